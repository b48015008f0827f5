// Text from catalogs: names, companies, jobs, addresses, places, contact data, network
// identifiers, versions, files, products, colours, currencies, words and sentences, and rows of
// tabular catalogs drawn together by several columns.
//
// Most generators are compositions of parts (a literal, a word list, a number range) drawn in
// order from the row's engine: "{number} {street} {type}" is three parts. Lists are copied into
// the generator at compile time, so the longest value is known exactly (every catalog entry is
// ASCII) and so is whether a value can start or end with a digit (what lets a template such as
// "{last}{n}" prove it is injective).
#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <charconv>
#include <cstring>
#include <optional>

#include "generators/catalog_hardware.h"
#include "generators/catalog_locations.h"
#include "generators/catalog_people.h"
#include "generators/values/alias_table.h"
#include "generators/values/catalog_text.h"
#include "generators/values/permutation.h"
#include "generators/values/spec_reader.h"
#include "generators/values/uniform_int.h"

namespace seedforge::values::internal {
namespace {

namespace fleet = seedforge::catalog;
namespace text = seedforge::values::catalog;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t PickIndex(CounterEngine& engine, size_t n) {
  return static_cast<size_t>(((engine() >> 32) * n) >> 32);
}

struct TextPart {
  enum class Type { kLiteral, kList, kNumber } type = Type::kLiteral;
  std::string literal;
  std::vector<std::string> list;
  std::optional<AliasTable> weights;
  int64_t min = 0, max = 0;
  int width = 0;                   // numbers: zero-padded to this many digits
  UniformInt<int64_t> pick{0, 0};  // numbers: [min, max]
};

TextPart Literal(std::string_view text) {
  TextPart part;
  part.literal = std::string(text);
  return part;
}

template <typename Range, typename Project>
TextPart ListOf(const Range& range, Project project) {
  TextPart part;
  part.type = TextPart::Type::kList;
  for (const auto& item : range) part.list.emplace_back(project(item));
  return part;
}

template <typename Range>
TextPart ListOf(const Range& range) {
  return ListOf(range, [](std::string_view item) { return item; });
}

template <typename Range, typename Project, typename Weight>
TextPart WeightedListOf(const Range& range, Project project, Weight weight) {
  TextPart part = ListOf(range, project);
  std::vector<double> weights;
  for (const auto& item : range) weights.push_back(static_cast<double>(weight(item)));
  part.weights.emplace(weights);
  return part;
}

TextPart Number(int64_t min, int64_t max, int width = 0) {
  TextPart part;
  part.type = TextPart::Type::kNumber;
  part.min = min, part.max = max, part.width = width;
  part.pick = UniformInt<int64_t>(min, max);
  return part;
}

// "Blue Ridge" -> "blueridge": a word usable in host and domain names.
std::string DomainWord(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || IsDigit(c)) out.push_back(c);
  }
  return out;
}

size_t Digits(int64_t v) {
  size_t n = v < 0 ? 2 : 1;
  for (uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : v; m >= 10; m /= 10) ++n;
  return n;
}

class ComposedTextGenerator final : public ColumnGenerator {
 public:
  ComposedTextGenerator(uint64_t key, std::vector<TextPart> parts)
      : key_(key), parts_(std::move(parts)) {
    info_.kind = ValueKind::kText;
    for (const TextPart& part : parts_) {
      size_t longest = 0;
      if (part.type == TextPart::Type::kLiteral) longest = part.literal.size();
      if (part.type == TextPart::Type::kList) {
        for (const std::string& item : part.list) longest = std::max(longest, item.size());
      }
      if (part.type == TextPart::Type::kNumber) {
        longest = std::max({Digits(part.min), Digits(part.max), static_cast<size_t>(part.width)});
      }
      info_.max_bytes += longest;
    }
    info_.max_chars = info_.max_bytes;  // ASCII catalogs
    info_.no_leading_digit = EdgeHasNoDigit(parts_.front(), true);
    info_.no_trailing_digit = EdgeHasNoDigit(parts_.back(), false);
    auto digit_free = [](std::string_view s) { return std::none_of(s.begin(), s.end(), IsDigit); };
    info_.no_digits = true;
    for (const TextPart& part : parts_) {
      if (part.type == TextPart::Type::kNumber) info_.no_digits = false;
      if (part.type == TextPart::Type::kLiteral) info_.no_digits &= digit_free(part.literal);
      for (const std::string& item : part.list) info_.no_digits &= digit_free(item);
    }
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    std::string* text = out->StartText();
    for (const TextPart& part : parts_) Append(part, engine, text);
  }

  static void Append(const TextPart& part, CounterEngine& engine, std::string* text) {
    switch (part.type) {
      case TextPart::Type::kLiteral:
        text->append(part.literal);
        return;
      case TextPart::Type::kList: {
        const size_t i =
            part.weights ? part.weights->Draw(engine) : PickIndex(engine, part.list.size());
        text->append(part.list[i]);
        return;
      }
      case TextPart::Type::kNumber: {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, part.pick(engine));
        for (int pad = part.width - static_cast<int>(result.ptr - digits); pad > 0; --pad) {
          text->push_back('0');
        }
        text->append(digits, result.ptr);
        return;
      }
    }
  }

 private:
  static bool EdgeHasNoDigit(const TextPart& part, bool leading) {
    auto ok = [&](std::string_view s) {
      return !s.empty() && !IsDigit(leading ? s.front() : s.back());
    };
    if (part.type == TextPart::Type::kLiteral) return ok(part.literal);
    if (part.type == TextPart::Type::kNumber) return false;
    for (const std::string& item : part.list) {
      if (!ok(item)) return false;
    }
    return true;
  }

  StreamKey key_;
  std::vector<TextPart> parts_;
};

StatusOr<GeneratorPtr> Composed(Spec& spec, std::vector<TextPart> parts) {
  return GeneratorPtr(std::make_unique<ComposedTextGenerator>(spec.stream_key(), std::move(parts)));
}

template <typename... Parts>
std::vector<TextPart> PartsOf(Parts... parts) {
  std::vector<TextPart> out;
  (out.push_back(std::move(parts)), ...);
  return out;
}

auto RoleName = [](const fleet::Role& role) { return role.name; };
auto RoleWeight = [](const fleet::Role& role) { return role.weight; };
auto DepartmentName = [](const fleet::Department& d) { return d.name; };
auto DepartmentWeight = [](const fleet::Department& d) { return d.weight; };

StatusOr<GeneratorPtr> MakeFirstName(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(fleet::kFirstNames)));
}
StatusOr<GeneratorPtr> MakeLastName(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(fleet::kLastNames)));
}
StatusOr<GeneratorPtr> MakeFullName(Spec& spec) {
  return Composed(spec,
                  PartsOf(ListOf(fleet::kFirstNames), Literal(" "), ListOf(fleet::kLastNames)));
}
StatusOr<GeneratorPtr> MakeCompany(Spec& spec) {
  return Composed(
      spec, PartsOf(ListOf(text::kCompanyStems), Literal(" "), ListOf(text::kCompanySuffixes)));
}
StatusOr<GeneratorPtr> MakeJobTitle(Spec& spec) {
  return Composed(spec, PartsOf(WeightedListOf(fleet::kRoles, RoleName, RoleWeight)));
}
StatusOr<GeneratorPtr> MakeDepartment(Spec& spec) {
  return Composed(spec,
                  PartsOf(WeightedListOf(fleet::kDepartments, DepartmentName, DepartmentWeight)));
}
StatusOr<GeneratorPtr> MakeStreetAddress(Spec& spec) {
  return Composed(spec, PartsOf(Number(1, 9999), Literal(" "), ListOf(text::kStreetNames),
                                Literal(" "), ListOf(text::kStreetTypes)));
}
StatusOr<GeneratorPtr> MakeCity(Spec& spec) {
  return Composed(spec, PartsOf(WeightedListOf(
                            text::kCities, [](const text::City& c) { return c.name; },
                            [](const text::City& c) { return c.weight; })));
}
StatusOr<GeneratorPtr> MakeCountry(Spec& spec) {
  return Composed(spec,
                  PartsOf(ListOf(text::kCountries, [](const text::Country& c) { return c.name; })));
}
StatusOr<GeneratorPtr> MakeCurrency(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(text::kCurrencies)));
}
StatusOr<GeneratorPtr> MakeColor(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(text::kColors)));
}
StatusOr<GeneratorPtr> MakeProductName(Spec& spec) {
  return Composed(
      spec, PartsOf(ListOf(text::kProductAdjectives), Literal(" "), ListOf(text::kProductMaterials),
                    Literal(" "), ListOf(text::kProductNouns)));
}
StatusOr<GeneratorPtr> MakeWord(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(text::kWords)));
}

TextPart DomainStems() { return ListOf(text::kCompanyStems, DomainWord); }

StatusOr<GeneratorPtr> MakeDomain(Spec& spec) {
  return Composed(spec, PartsOf(DomainStems(), ListOf(text::kTopLevelDomains)));
}
StatusOr<GeneratorPtr> MakeHostname(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(fleet::kServerRoles), Literal("-"), Number(1, 99, 2),
                                Literal("."), DomainStems(), ListOf(text::kTopLevelDomains)));
}
StatusOr<GeneratorPtr> MakeUrl(Spec& spec) {
  return Composed(spec,
                  PartsOf(Literal("https://www."), DomainStems(), ListOf(text::kTopLevelDomains),
                          Literal("/"), ListOf(text::kWords), Literal("/"), ListOf(text::kWords)));
}
StatusOr<GeneratorPtr> MakeFileName(Spec& spec) {
  return Composed(spec, PartsOf(ListOf(text::kWords), Literal("_"), ListOf(text::kWords),
                                Literal("."), ListOf(text::kFileExtensions)));
}
StatusOr<GeneratorPtr> MakeSemver(Spec& spec) {
  int64_t major = 5, minor = 20, patch = 30;
  SF_RETURN_IF_ERROR(spec.Integer("max_major", &major, 0, 1000000));
  SF_RETURN_IF_ERROR(spec.Integer("max_minor", &minor, 0, 1000000));
  SF_RETURN_IF_ERROR(spec.Integer("max_patch", &patch, 0, 1000000));
  return Composed(spec, PartsOf(Number(0, major), Literal("."), Number(0, minor), Literal("."),
                                Number(0, patch)));
}
StatusOr<GeneratorPtr> MakePhone(Spec& spec) {
  std::string format = "+1-###-###-####";
  SF_RETURN_IF_ERROR(spec.String("format", &format));
  return MakePatternGenerator(spec, format);
}
StatusOr<GeneratorPtr> MakePostalCode(Spec& spec) {
  std::string format = "#####";
  SF_RETURN_IF_ERROR(spec.String("format", &format));
  return MakePatternGenerator(spec, format);
}

// Words, sentences ("Quarterly report ... review.") and paragraphs (sentences joined by spaces).
class ProseGenerator final : public ColumnGenerator {
 public:
  ProseGenerator(uint64_t key, int64_t min_words, int64_t max_words, int64_t min_sentences,
                 int64_t max_sentences)
      : key_(key),
        min_words_(min_words),
        max_words_(max_words),
        min_sentences_(min_sentences),
        max_sentences_(max_sentences) {
    size_t longest = 0;
    for (std::string_view word : text::kWords) longest = std::max(longest, word.size());
    const size_t sentence = static_cast<size_t>(max_words) * (longest + 1);  // spaces and '.'
    info_.kind = ValueKind::kText;
    info_.max_bytes = info_.max_chars = static_cast<size_t>(max_sentences) * (sentence + 1) - 1;
    info_.no_leading_digit = info_.no_trailing_digit = info_.no_digits = true;
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    std::string* text = out->StartText();
    boost::random::uniform_int_distribution<int64_t> sentences(min_sentences_, max_sentences_);
    boost::random::uniform_int_distribution<int64_t> words(min_words_, max_words_);
    const int64_t sentence_count = sentences(engine);
    for (int64_t s = 0; s < sentence_count; ++s) {
      if (s > 0) text->push_back(' ');
      const int64_t word_count = words(engine);
      for (int64_t w = 0; w < word_count; ++w) {
        if (w > 0) text->push_back(' ');
        const size_t start = text->size();
        text->append(text::kWords[PickIndex(engine, std::size(text::kWords))]);
        if (w == 0) (*text)[start] = static_cast<char>((*text)[start] - 'a' + 'A');
      }
      text->push_back('.');
    }
  }

 private:
  StreamKey key_;
  int64_t min_words_, max_words_, min_sentences_, max_sentences_;
};

StatusOr<GeneratorPtr> MakeProse(Spec& spec, int64_t min_sentences, int64_t max_sentences) {
  int64_t min_words = 4, max_words = 12;
  SF_RETURN_IF_ERROR(spec.Integer("min_words", &min_words, 1, 1000));
  SF_RETURN_IF_ERROR(spec.Integer("max_words", &max_words, 1, 1000));
  if (max_words < min_words) return spec.Error("max_words", "must not be less than min_words");
  if (spec.gen() == "paragraph") {
    SF_RETURN_IF_ERROR(spec.Integer("min_sentences", &min_sentences, 1, 1000));
    SF_RETURN_IF_ERROR(spec.Integer("max_sentences", &max_sentences, 1, 1000));
    if (max_sentences < min_sentences) {
      return spec.Error("max_sentences", "must not be less than min_sentences");
    }
  }
  return GeneratorPtr(std::make_unique<ProseGenerator>(spec.stream_key(), min_words, max_words,
                                                       min_sentences, max_sentences));
}
StatusOr<GeneratorPtr> MakeSentence(Spec& spec) { return MakeProse(spec, 1, 1); }
StatusOr<GeneratorPtr> MakeParagraph(Spec& spec) { return MakeProse(spec, 3, 6); }

// ---- network identifiers ----

// Addresses inside a network: random hosts, or for a unique column a keyed permutation of the
// host numbers (distinct while rows <= hosts).
class InetGenerator final : public ColumnGenerator {
 public:
  InetGenerator(uint64_t key, bool ipv6, const uint8_t (&network)[16], int prefix, bool unique)
      : key_(key), ipv6_(ipv6) {
    std::memcpy(network_, network, 16);
    const int bits = (ipv6 ? 128 : 32) - prefix;
    // IPv4 networks of /30 or larger skip the network and broadcast addresses.
    skip_edges_ = !ipv6 && bits >= 2;
    host_bits_ = std::min(bits, 62);
    hosts_ = (uint64_t{1} << host_bits_) - (skip_edges_ ? 2 : 0);
    if (unique) permutation_.emplace(key, hosts_);
    pick_.emplace(0, hosts_ - 1);
    // Masks of the host bits in the address's low and high 64 bits.
    host_mask_low_ = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    host_mask_high_ = bits <= 64    ? 0
                      : bits >= 128 ? ~uint64_t{0}
                                    : (uint64_t{1} << (bits - 64)) - 1;
    network4_ = uint32_t{network[0]} << 24 | uint32_t{network[1]} << 16 |
                uint32_t{network[2]} << 8 | network[3];
    info_.kind = ValueKind::kInet;
    info_.injective_rows = unique ? hosts_ : kNotInjective;
    info_.max_bytes = info_.max_chars = ipv6 ? 39 : 15;
  }

  void Generate(const RowContext& context, Value* out) const override {
    uint64_t host;
    uint64_t high_random = 0;  // IPv6 host bits above the 62 a permutation covers
    if (permutation_.has_value()) {
      host = permutation_->Apply(context.row % hosts_);
    } else {
      CounterEngine engine = RowEngine(key_, context);
      host = (*pick_)(engine);
      high_random = engine();
    }
    if (skip_edges_) ++host;
    // The host bits, from the least significant end: `host` (below 2^62), then random bits
    // (bit 62 + i is bit i % 64 of high_random), OR-ed into the network.
    if (!ipv6_) return out->SetInet4(network4_ | static_cast<uint32_t>(host & host_mask_low_));
    const uint64_t low = (host | high_random << 62) & host_mask_low_;
    const uint64_t high = (high_random >> 2 | high_random << 62) & host_mask_high_;
    uint8_t bytes[16];
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<uint8_t>(network_[i] | high >> (56 - 8 * i));
      bytes[8 + i] = static_cast<uint8_t>(network_[8 + i] | low >> (56 - 8 * i));
    }
    out->SetInet6(bytes);
  }

 private:
  StreamKey key_;
  bool ipv6_;
  uint8_t network_[16] = {};
  bool skip_edges_ = false;
  int host_bits_ = 0;
  uint64_t hosts_ = 1;
  uint64_t host_mask_low_ = 0;
  uint64_t host_mask_high_ = 0;
  uint32_t network4_ = 0;
  std::optional<Permutation> permutation_;
  std::optional<UniformInt<uint64_t>> pick_;  // [0, hosts_)
};

bool ParseIpv4(std::string_view text, uint8_t (&bytes)[16]) {
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), octet);
    if (result.ec != std::errc() || octet > 255) return false;
    bytes[i] = static_cast<uint8_t>(octet);
    text.remove_prefix(static_cast<size_t>(result.ptr - text.data()));
    if (i < 3) {
      if (text.empty() || text[0] != '.') return false;
      text.remove_prefix(1);
    }
  }
  return text.empty();
}

// Full or "::"-compressed IPv6 without an embedded IPv4 part.
bool ParseIpv6(std::string_view text, uint8_t (&bytes)[16]) {
  uint16_t head[8], tail[8];
  int heads = 0, tails = 0;
  bool compressed = false;
  auto groups = [&](std::string_view part, uint16_t* out, int* count) {
    while (!part.empty()) {
      unsigned group = 0;
      const auto result = std::from_chars(part.data(), part.data() + part.size(), group, 16);
      if (result.ec != std::errc() || group > 0xffff || *count == 8) return false;
      out[(*count)++] = static_cast<uint16_t>(group);
      part.remove_prefix(static_cast<size_t>(result.ptr - part.data()));
      if (!part.empty()) {
        if (part[0] != ':' || part.size() == 1) return false;
        part.remove_prefix(1);
      }
    }
    return true;
  };
  const size_t gap = text.find("::");
  if (gap != std::string_view::npos) {
    compressed = true;
    if (!groups(text.substr(0, gap), head, &heads) || !groups(text.substr(gap + 2), tail, &tails)) {
      return false;
    }
  } else if (!groups(text, head, &heads)) {
    return false;
  }
  if (compressed ? heads + tails > 7 : heads != 8) return false;
  uint16_t all[8] = {};
  for (int i = 0; i < heads; ++i) all[i] = head[i];
  for (int i = 0; i < tails; ++i) all[8 - tails + i] = tail[i];
  for (int i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(all[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(all[i]);
  }
  return true;
}

StatusOr<GeneratorPtr> MakeInet(Spec& spec, bool ipv6) {
  std::string cidr = ipv6 ? "fd00::/8" : "10.0.0.0/8";
  SF_RETURN_IF_ERROR(spec.String("cidr", &cidr));
  const size_t slash = cidr.find('/');
  uint8_t network[16] = {};
  int prefix = -1;
  const int total = ipv6 ? 128 : 32;
  bool ok = slash != std::string::npos;
  if (ok) {
    const std::string_view bits(cidr.data() + slash + 1, cidr.size() - slash - 1);
    const auto result = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    ok = result.ec == std::errc() && result.ptr == bits.data() + bits.size() && prefix >= 0 &&
         prefix < total;
    const std::string_view address(cidr.data(), slash);
    ok = ok && (ipv6 ? ParseIpv6(address, network) : ParseIpv4(address, network));
  }
  if (!ok) {
    return spec.Error("cidr", ipv6 ? "expected an IPv6 network such as \"fd00::/8\""
                                   : "expected an IPv4 network such as \"10.0.0.0/8\"");
  }
  for (int bit = prefix; bit < total; ++bit) {  // clear host bits
    network[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  return GeneratorPtr(std::make_unique<InetGenerator>(spec.stream_key(), ipv6, network, prefix,
                                                      spec.want_injective()));
}
StatusOr<GeneratorPtr> MakeIpv4(Spec& spec) { return MakeInet(spec, false); }
StatusOr<GeneratorPtr> MakeIpv6(Spec& spec) { return MakeInet(spec, true); }

// Locally administered unicast MAC addresses (first byte x2, x6, xA or xE), so they can never
// collide with a real vendor's. A unique column permutes the low 40 bits. With `prefixes`
// (vendor OUIs such as "3c:22:fb"), the first three bytes are one of them and the low 24 bits a
// keyed permutation of the row: the addresses of one generator are distinct for 2^24 rows.
class MacGenerator final : public ColumnGenerator {
 public:
  MacGenerator(uint64_t key, bool unique, std::vector<std::array<uint8_t, 3>> prefixes)
      : key_(key), prefixes_(std::move(prefixes)) {
    const uint64_t span = prefixes_.empty() ? uint64_t{1} << 40 : uint64_t{1} << 24;
    if (unique || !prefixes_.empty()) permutation_.emplace(key, span);
    info_.kind = ValueKind::kMac;
    info_.injective_rows = permutation_.has_value() ? span : kNotInjective;
    info_.max_bytes = info_.max_chars = 17;
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    uint8_t bytes[6];
    if (!prefixes_.empty()) {
      const std::array<uint8_t, 3>& prefix =
          prefixes_[prefixes_.size() == 1 ? 0 : PickIndex(engine, prefixes_.size())];
      const uint64_t low = permutation_->Apply(context.row & ((uint64_t{1} << 24) - 1));
      for (int i = 0; i < 3; ++i) bytes[i] = prefix[i];
      for (int i = 0; i < 3; ++i) bytes[3 + i] = static_cast<uint8_t>(low >> (16 - 8 * i));
      return out->SetMac(bytes);
    }
    uint64_t bits = engine();
    if (permutation_.has_value()) {
      bits =
          (bits & 0xff0000000000ULL) | permutation_->Apply(context.row & ((uint64_t{1} << 40) - 1));
    }
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(bits >> (40 - 8 * i));
    bytes[0] = static_cast<uint8_t>((bytes[0] & 0xfc) | 0x02);
    out->SetMac(bytes);
  }

 private:
  StreamKey key_;
  std::vector<std::array<uint8_t, 3>> prefixes_;
  std::optional<Permutation> permutation_;
};

// "3c:22:fb" (hex digits, either case) into its three bytes.
bool ParseOui(std::string_view text, std::array<uint8_t, 3>* out) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return false;
  for (int i = 0; i < 3; ++i) {
    unsigned value = 0;
    const auto result = std::from_chars(text.data() + 3 * i, text.data() + 3 * i + 2, value, 16);
    if (result.ec != std::errc() || result.ptr != text.data() + 3 * i + 2) return false;
    (*out)[i] = static_cast<uint8_t>(value);
  }
  return true;
}

StatusOr<GeneratorPtr> MakeMac(Spec& spec) {
  std::vector<std::array<uint8_t, 3>> prefixes;
  if (spec.Has("prefixes")) {
    dom::element element;
    SF_RETURN_IF_ERROR(spec.Element("prefixes", &element));
    dom::array array;
    if (element.get_array().get(array) || array.size() == 0) {
      return spec.Error("prefixes", "expected a list of OUIs such as [\"3c:22:fb\"]");
    }
    for (dom::element item : array) {
      std::string_view text;
      std::array<uint8_t, 3> prefix{};
      if (item.get_string().get(text) || !ParseOui(text, &prefix)) {
        return spec.Error("prefixes", "expected OUIs of three hex bytes such as \"3c:22:fb\"");
      }
      prefixes.push_back(prefix);
    }
  }
  return GeneratorPtr(std::make_unique<MacGenerator>(spec.stream_key(), spec.want_injective(),
                                                     std::move(prefixes)));
}

// ---- tabular catalogs ----

struct TabularCatalog {
  std::string_view name;
  std::vector<std::string_view> fields;
  std::vector<std::vector<Value>> rows;  // rows[field][row]
  std::vector<double> weights;
};

template <typename Row, typename... Fields>
TabularCatalog MakeTable(std::string_view name, std::span<const Row> rows,
                         std::vector<std::string_view> fields, auto weight, Fields... getters) {
  TabularCatalog table{name, std::move(fields), {}, {}};
  table.rows.resize(sizeof...(getters));
  for (const Row& row : rows) {
    size_t field = 0;
    auto set = [&](auto getter) {
      Value value;
      using Result = decltype(getter(row));
      if constexpr (std::is_same_v<Result, double>) {
        value.SetFloat(getter(row));
      } else {
        value.SetText(getter(row));
      }
      table.rows[field++].push_back(std::move(value));
    };
    (set(getters), ...);
    table.weights.push_back(static_cast<double>(weight(row)));
  }
  return table;
}

// One row of the `systems` catalog: a hardware model with one operating system it runs. Its
// weight is the share of the model's asset type in a fleet (laptops 45, desktops 20, servers 8,
// VMs 15, mobiles 12), times the model's share of its type, times the system's share of the
// model's OS profile: drawing a row draws a coherent (type, manufacturer, model, OS) at once.
struct SystemRow {
  const fleet::HardwareModel* hardware;
  const fleet::OperatingSystem* os;
  double weight;
};

std::vector<SystemRow> BuildSystemRows() {
  constexpr double kTypeWeights[fleet::kAssetTypeCount] = {45, 20, 8, 15, 12};
  double type_totals[fleet::kAssetTypeCount] = {};
  for (const fleet::HardwareModel& model : fleet::kHardwareModels) {
    type_totals[static_cast<int>(model.type)] += model.weight;
  }
  std::vector<SystemRow> rows;
  for (const fleet::HardwareModel& model : fleet::kHardwareModels) {
    double os_total = 0;
    for (const fleet::OsChoice& choice : fleet::kOsChoices) {
      if (choice.profile == model.os_profile) os_total += choice.weight;
    }
    const int type = static_cast<int>(model.type);
    for (const fleet::OsChoice& choice : fleet::kOsChoices) {
      if (choice.profile != model.os_profile) continue;
      rows.push_back(
          {&model, &fleet::kOperatingSystems[choice.os],
           kTypeWeights[type] * model.weight / type_totals[type] * choice.weight / os_total});
    }
  }
  return rows;
}

std::string_view PlacementName(fleet::Placement placement) {
  switch (placement) {
    case fleet::Placement::kOffice:
      return "office";
    case fleet::Placement::kDatacenter:
      return "datacenter";
    case fleet::Placement::kAws:
      return "aws";
    case fleet::Placement::kAzureOrDatacenter:
      return "azure_or_datacenter";
  }
  return "office";
}

std::vector<TabularCatalog> BuildCatalogs() {
  std::vector<TabularCatalog> catalogs;
  using fleet::HardwareModel;
  catalogs.push_back(MakeTable<HardwareModel>(
      "devices", fleet::kHardwareModels, {"type", "manufacturer", "model"},
      [](const HardwareModel& m) { return m.weight; },
      [](const HardwareModel& m) { return fleet::kAssetTypeNames[static_cast<int>(m.type)]; },
      [](const HardwareModel& m) {
        return fleet::kManufacturers[static_cast<int>(m.manufacturer)].name;
      },
      [](const HardwareModel& m) { return m.name; }));
  static const std::vector<SystemRow> system_rows = BuildSystemRows();
  catalogs.push_back(MakeTable<SystemRow>(
      "systems", system_rows,
      {"type", "manufacturer", "model", "os_name", "os_version", "host_word", "placement"},
      [](const SystemRow& r) { return r.weight; },
      [](const SystemRow& r) { return fleet::kAssetTypeNames[static_cast<int>(r.hardware->type)]; },
      [](const SystemRow& r) {
        return fleet::kManufacturers[static_cast<int>(r.hardware->manufacturer)].name;
      },
      [](const SystemRow& r) { return r.hardware->name; },
      [](const SystemRow& r) { return r.os->name; },
      [](const SystemRow& r) { return r.os->version; },
      [](const SystemRow& r) { return r.hardware->host_word; },
      [](const SystemRow& r) { return PlacementName(r.hardware->placement); }));
  catalogs.push_back(MakeTable<text::City>(
      "cities", text::kCities, {"city", "country", "country_code", "currency", "timezone"},
      [](const text::City& c) { return c.weight; }, [](const text::City& c) { return c.name; },
      [](const text::City& c) { return c.country; },
      [](const text::City& c) { return c.country_code; },
      [](const text::City& c) { return c.currency; },
      [](const text::City& c) { return c.timezone; }));
  catalogs.push_back(MakeTable<text::Country>(
      "countries", text::kCountries, {"country", "code", "currency"},
      [](const text::Country&) { return 1; }, [](const text::Country& c) { return c.name; },
      [](const text::Country& c) { return c.code; },
      [](const text::Country& c) { return c.currency; }));
  catalogs.push_back(MakeTable<text::Coin>(
      "coins", text::kCoins, {"symbol", "name", "price"}, [](const text::Coin&) { return 1; },
      [](const text::Coin& c) { return c.symbol; }, [](const text::Coin& c) { return c.name; },
      [](const text::Coin& c) { return c.price; }));
  return catalogs;
}

const std::vector<TabularCatalog>& Catalogs() {
  static const std::vector<TabularCatalog> catalogs = BuildCatalogs();
  return catalogs;
}

// One field of a catalog row. Columns that name the same "together" group share one stream
// key, so they draw the same row: a device's manufacturer and model always match.
class CatalogGenerator final : public ColumnGenerator {
 public:
  // `memo`: the memo slot of the columns drawn "together" with this one (one catalog row per
  // row for all of them, drawn once), or -1.
  CatalogGenerator(uint64_t key, const TabularCatalog& catalog, size_t field, bool cycle, int memo)
      : key_(key),
        values_(catalog.rows[field]),
        table_(catalog.weights),
        cycle_(cycle),
        memo_(memo) {
    info_.kind = values_.front().kind();
    for (size_t i = 0; i < values_.size(); ++i) {
      const Value& value = values_[i];
      if (value.kind() == ValueKind::kText) {
        info_.max_bytes = std::max(info_.max_bytes, value.text().size());
        info_.no_leading_digit = (i == 0 || info_.no_leading_digit) && !value.text().empty() &&
                                 !IsDigit(value.text().front());
        info_.no_trailing_digit = (i == 0 || info_.no_trailing_digit) && !value.text().empty() &&
                                  !IsDigit(value.text().back());
        info_.no_digits = (i == 0 || info_.no_digits) &&
                          std::none_of(value.text().begin(), value.text().end(), IsDigit);
      } else {
        const double v = value.AsDouble();
        info_.has_range = true;
        info_.min_float = i == 0 ? v : std::min(info_.min_float, v);
        info_.max_float = i == 0 ? v : std::max(info_.max_float, v);
      }
    }
    info_.max_chars = info_.max_bytes;
  }

  void Generate(const RowContext& context, Value* out) const override {
    if (cycle_) return out->BorrowFrom(values_[context.row % values_.size()]);
    if (memo_ < 0) {
      CounterEngine engine = RowEngine(key_, context);
      return out->BorrowFrom(values_[table_.Draw(engine)]);
    }
    Memo& drawn = context.memos[memo_];
    if (drawn.row != context.row || drawn.element != context.element) {
      CounterEngine engine = RowEngine(key_, context);
      drawn = Memo{context.row, context.element, table_.Draw(engine)};
    }
    out->BorrowFrom(values_[drawn.value]);
  }

 private:
  StreamKey key_;
  const std::vector<Value>& values_;  // in the static catalog
  AliasTable table_;
  bool cycle_;  // row % rows instead of a weighted draw
  int memo_;
};

StatusOr<GeneratorPtr> MakeCatalog(Spec& spec) {
  std::string name, field, together;
  SF_RETURN_IF_ERROR(spec.Required("catalog"));
  SF_RETURN_IF_ERROR(spec.String("catalog", &name));
  SF_RETURN_IF_ERROR(spec.Required("field"));
  SF_RETURN_IF_ERROR(spec.String("field", &field));
  SF_RETURN_IF_ERROR(spec.String("together", &together));
  bool cycle = false;
  SF_RETURN_IF_ERROR(spec.Bool("cycle", &cycle));
  if (cycle && !together.empty()) {
    return spec.Error("together", "is not needed with cycle (cycling columns always agree)");
  }
  const TabularCatalog* catalog = nullptr;
  std::string names;
  for (const TabularCatalog& candidate : Catalogs()) {
    if (candidate.name == name) catalog = &candidate;
    names += (names.empty() ? "" : ", ") + std::string(candidate.name);
  }
  if (catalog == nullptr) {
    return spec.Error("catalog", "unknown catalog '" + name + "' (expected one of: " + names + ")");
  }
  std::string fields;
  for (size_t i = 0; i < catalog->fields.size(); ++i) {
    if (catalog->fields[i] == field) {
      const uint64_t key =
          together.empty() ? spec.stream_key() : spec.SharedKey("together:" + together);
      const int memo = together.empty() ? -1 : spec.MemoSlot(key, catalog);
      return GeneratorPtr(std::make_unique<CatalogGenerator>(key, *catalog, i, cycle, memo));
    }
    fields += (fields.empty() ? "" : ", ") + std::string(catalog->fields[i]);
  }
  return spec.Error("field", "catalog '" + name + "' has no field '" + field +
                                 "' (expected one of: " + fields + ")");
}

constexpr GeneratorFactory kFactories[] = {
    {"first_name", MakeFirstName},
    {"last_name", MakeLastName},
    {"full_name", MakeFullName},
    {"company", MakeCompany},
    {"job_title", MakeJobTitle},
    {"department", MakeDepartment},
    {"street_address", MakeStreetAddress},
    {"city", MakeCity},
    {"country", MakeCountry},
    {"postal_code", MakePostalCode},
    {"phone", MakePhone},
    {"url", MakeUrl},
    {"domain", MakeDomain},
    {"hostname", MakeHostname},
    {"ipv4", MakeIpv4},
    {"ipv6", MakeIpv6},
    {"mac", MakeMac},
    {"semver", MakeSemver},
    {"file_name", MakeFileName},
    {"product_name", MakeProductName},
    {"color", MakeColor},
    {"currency", MakeCurrency},
    {"word", MakeWord},
    {"sentence", MakeSentence},
    {"paragraph", MakeParagraph},
    {"catalog", MakeCatalog},
};

}  // namespace

std::span<const GeneratorFactory> TextFactories() { return kFactories; }

}  // namespace seedforge::values::internal
