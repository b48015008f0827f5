// Fingerprints (see fingerprint.h for the definition of the canonical text and the sum).
//
// The row hash is MD5 because it is the one digest PostgreSQL has in every supported version
// without an extension; the client computes it with OpenSSL's libcrypto, which libpq itself is
// built on (Debian's libpq-dev depends on libssl-dev), so it adds no new dependency. Eight bytes
// of it per row, summed modulo 2^64, make an order-independent fingerprint: a changed, missing
// or extra row changes the sum with probability 1 - 2^-64.
#include "tools/fingerprint.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <simdjson.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/civil_time.h"
#include "core/text_search.h"
#include "engine/json_text.h"
#include "engine/pipeline.h"
#include "sinks/postgres/connection.h"
#include "tools/sql_text.h"

namespace seedforge {
namespace {

// ---------------------------------------------------------------------------------------------
// MD5 through libcrypto, with the algorithm fetched once.

const EVP_MD* Md5() {
  static const EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md5;
}

uint64_t FirstEightBytes(const unsigned char* digest) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | digest[i];
  return value;
}

class Md5Hasher {
 public:
  Md5Hasher() : context_(EVP_MD_CTX_new()) {}
  ~Md5Hasher() { EVP_MD_CTX_free(context_); }
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;

  uint64_t Hash(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestInit_ex(context_, Md5(), nullptr);
    EVP_DigestUpdate(context_, text.data(), text.size());
    EVP_DigestFinal_ex(context_, digest, &length);
    return FirstEightBytes(digest);
  }

 private:
  EVP_MD_CTX* context_;
};

// ---------------------------------------------------------------------------------------------
// jsonb's output text of a JSON document, as jsonb_out prints it: object keys shorter first,
// then bytewise (the last of duplicate keys kept), ", " between members and elements, ": "
// after keys, strings re-escaped as escape_json does, numbers as written.

namespace od = simdjson::ondemand;

bool AppendJsonbValue(od::value value, std::string* out) {
  od::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case od::json_type::object: {
      std::vector<std::pair<std::string, std::string>> members;
      od::object object;
      if (value.get_object().get(object)) return false;
      for (auto field : object) {
        std::string_view key;
        od::value item;
        if (field.unescaped_key().get(key) || field.value().get(item)) return false;
        std::string text;
        if (!AppendJsonbValue(item, &text)) return false;
        const std::string name(key);
        const auto same = std::find_if(members.begin(), members.end(),
                                       [&](const auto& member) { return member.first == name; });
        if (same != members.end()) {
          same->second = std::move(text);
        } else {
          members.emplace_back(name, std::move(text));
        }
      }
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
        return a.first.size() != b.first.size() ? a.first.size() < b.first.size()
                                                : a.first < b.first;
      });
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendJsonString(members[i].first, out);
        out->append(": ");
        out->append(members[i].second);
      }
      out->push_back('}');
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array)) return false;
      out->push_back('[');
      bool first = true;
      for (auto element : array) {
        od::value item;
        if (element.get(item)) return false;
        if (!first) out->append(", ");
        first = false;
        if (!AppendJsonbValue(item, out)) return false;
      }
      out->push_back(']');
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) return false;
      AppendJsonString(text, out);
      return true;
    }
    default: {  // number, true, false, null: the token as written
      std::string_view token = value.raw_json_token();
      while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
        token.remove_suffix(1);
      }
      out->append(token);
      return true;
    }
  }
}

// Appends jsonb's text of `json`; a text simdjson cannot read is appended as it is (the
// fingerprint then differs, which verify reports).
void AppendJsonbText(std::string_view json, std::string* out) {
  // One parser and one padded copy per thread, reused row after row.
  thread_local od::parser parser;
  thread_local std::string padded;
  padded.assign(json);
  padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  const size_t start = out->size();
  od::document document;
  od::value root;
  if (parser.iterate(padded.data(), json.size(), padded.size()).get(document) ==
          simdjson::SUCCESS &&
      document.get_value().get(root) == simdjson::SUCCESS && AppendJsonbValue(root, out)) {
    return;
  }
  out->resize(start);
  out->append(json);
}

// ---------------------------------------------------------------------------------------------
// The canonical row text (verify.h), written by the generators.

void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<size_t>(result.ptr - digits));
}

class FingerprintWriter final : public RowWriter {
 public:
  FingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows)
      : text_(*text), sum_(*sum), rows_(*rows) {}

  void BeginRow() override {
    text_.clear();
    first_ = true;
  }
  void EndRow() override {
    sum_ += hasher_.Hash(text_);
    ++rows_;
  }
  void Int64(int64_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Int32(int32_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Bool(bool value) override {
    Separate();
    if (in_array_) {
      text_.push_back(value ? 't' : 'f');
    } else {
      text_.append(value ? "true" : "false");
    }
  }
  void Text(std::string_view value) override {
    Separate();
    text_.append(value);
  }
  void Timestamp(int64_t unix_micros) override {
    Separate();
    // PostgreSQL prints the fraction without trailing zeros ("12.24027+00"); FormatTimestamp
    // prints six digits or none.
    char buffer[kMaxTimestampChars];
    const std::string_view formatted(
        buffer, FormatTimestamp(unix_micros, TimestampStyle::kPostgres, buffer));
    const size_t zone = formatted.rfind('+');
    const size_t dot = formatted.rfind('.');
    if (dot == std::string_view::npos || zone == std::string_view::npos || zone < dot) {
      text_.append(formatted);
      return;
    }
    size_t fraction_end = zone;
    while (fraction_end > dot + 1 && formatted[fraction_end - 1] == '0') --fraction_end;
    text_.append(formatted.substr(0, fraction_end));
    text_.append(formatted.substr(zone));
  }
  void Numeric2(int64_t hundredths) override {
    Separate();
    const uint64_t magnitude =
        hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
    if (hundredths < 0) text_.push_back('-');
    AppendInt(text_, static_cast<int64_t>(magnitude / 100));
    text_.push_back('.');
    text_.push_back(static_cast<char>('0' + magnitude % 100 / 10));
    text_.push_back(static_cast<char>('0' + magnitude % 10));
  }
  void Inet4(uint32_t address) override {
    Separate();
    for (int shift = 24; shift >= 0; shift -= 8) {
      AppendInt(text_, (address >> shift) & 0xFF);
      if (shift != 0) text_.push_back('.');
    }
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    Separate();
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 6; ++i) {
      if (i != 0) text_.push_back(':');
      text_.push_back(kHex[bytes[i] >> 4]);
      text_.push_back(kHex[bytes[i] & 0xF]);
    }
  }
  void Json(std::string_view json_object) override {
    Separate();
    AppendJsonbText(json_object, &text_);  // jsonb's output: keys sorted, ", " and ": "
  }
  void Null() override {
    Separate();
    if (in_array_) {
      elements_.back().null = true;
      text_.append("NULL");
    } else {
      text_.append("\\N");
    }
  }
  // A one-dimensional array as array_out prints it: {a,b}, an element in double quotes (with
  // '"' and '\\' escaped) when it is empty, is NULL as text, or holds a brace, comma, quote,
  // backslash or white space.
  void BeginArray() override {
    Separate();
    array_start_ = text_.size();
    in_array_ = true;
    elements_.clear();
  }
  void EndArray() override {
    in_array_ = false;
    const std::string body = text_.substr(array_start_);
    text_.resize(array_start_);
    text_.push_back('{');
    for (size_t i = 0; i < elements_.size(); ++i) {
      const size_t begin = elements_[i].start - array_start_;
      const size_t end =
          i + 1 < elements_.size() ? elements_[i + 1].start - array_start_ : body.size();
      const std::string_view element(body.data() + begin, end - begin);
      if (i > 0) text_.push_back(',');
      if (elements_[i].null || !NeedsQuotes(element)) {
        text_.append(element);
        continue;
      }
      text_.push_back('"');
      for (const char c : element) {
        if (c == '"' || c == '\\') text_.push_back('\\');
        text_.push_back(c);
      }
      text_.push_back('"');
    }
    text_.push_back('}');
  }

  // The declared tables' types, each as the server's output function prints it (col::text with
  // DateStyle ISO, IntervalStyle postgres, extra_float_digits 1), so that the canonical text of
  // verify.h needs no per-type SQL.
  void Int16(int16_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Float32(float value) override {
    Separate();
    AppendFloat(value, 6);
  }
  void Float64(double value) override {
    Separate();
    AppendFloat(value, 15);
  }
  void Numeric(int64_t unscaled, int scale) override {
    Separate();
    const uint64_t magnitude =
        unscaled < 0 ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
    std::string digits = std::to_string(magnitude);
    if (scale > 0 && digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    if (unscaled < 0) text_.push_back('-');
    if (scale <= 0) {
      text_.append(digits);
      return;
    }
    text_.append(digits, 0, digits.size() - static_cast<size_t>(scale));
    text_.push_back('.');
    text_.append(digits, digits.size() - static_cast<size_t>(scale), std::string::npos);
  }
  void NumericText(std::string_view decimal) override {
    Separate();
    text_.append(decimal);
  }
  void Date(int32_t days) override {
    Separate();
    const CivilDate date = CivilFromDays(days);
    text_.append(fmt::format("{:04d}-{:02d}-{:02d}", date.year, date.month, date.day));
  }
  void Time(int64_t micros) override {
    Separate();
    AppendClock(micros);
  }
  void LocalTimestamp(int64_t micros) override {
    Separate();
    const int64_t days = FloorDiv(micros, kMicrosPerDay);
    const CivilDate date = CivilFromDays(days);
    text_.append(fmt::format("{:04d}-{:02d}-{:02d} ", date.year, date.month, date.day));
    AppendClock(micros - days * kMicrosPerDay);
  }
  void Interval(int32_t months, int32_t days, int64_t micros) override {
    Separate();
    // IntervalStyle postgres, for the non-negative intervals generators make.
    const size_t start = text_.size();
    auto part = [&](int64_t count, const char* one, const char* many) {
      if (count == 0) return;
      if (text_.size() > start) text_.push_back(' ');
      AppendInt(text_, count);
      text_.append(count == 1 ? one : many);
    };
    part(months / 12, " year", " years");
    part(months % 12, " mon", " mons");
    part(days, " day", " days");
    if (micros != 0 || text_.size() == start) {
      if (text_.size() > start) text_.push_back(' ');
      AppendClock(micros);
    }
  }
  void Uuid(const uint8_t (&bytes)[16]) override {
    Separate();
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) text_.push_back('-');
      AppendHexByte(bytes[i]);
    }
  }
  void Inet(const IpAddress& address) override {
    Separate();
    AppendAddress(address);
    // An inet column is fingerprinted through host(), which drops the prefix; an element of an
    // inet[] prints it unless the prefix is full.
    const int full = address.v6 ? 128 : 32;
    if (address.prefix != full && in_array_) {
      text_.push_back('/');
      AppendInt(text_, address.prefix);
    }
  }
  void Cidr(const IpAddress& address) override {
    Separate();
    AppendAddress(address);
    text_.push_back('/');
    AppendInt(text_, address.prefix);
  }
  void Bytea(std::span<const uint8_t> bytes) override {
    Separate();
    text_.append("\\x");
    for (const uint8_t byte : bytes) AppendHexByte(byte);
  }
  void JsonText(std::string_view json) override {
    Separate();
    text_.append(json);
  }
  void TsVector(std::string_view send_form) override {
    Separate();
    AppendTsVectorText(send_form, &text_);
  }
  // point_out: (x,y), each as float8 prints.
  void Point(double x, double y) override {
    Separate();
    text_.push_back('(');
    AppendFloat(x, 15);
    text_.push_back(',');
    AppendFloat(y, 15);
    text_.push_back(')');
  }
  // range_out: "empty", or the brackets around the bounds, a bound in double quotes (with '"'
  // and '\\' doubled) when it is empty or holds a quote, backslash, bracket, parenthesis, comma
  // or white space (a timestamp's space).
  void BeginRange(uint8_t flags) override {
    Separate();
    range_flags_ = flags;
    range_start_ = text_.size();
    in_range_ = true;
    elements_.clear();
  }
  void EndRange() override {
    in_range_ = false;
    const std::string body = text_.substr(range_start_);
    text_.resize(range_start_);
    if ((range_flags_ & kRangeEmpty) != 0) {
      text_.append("empty");
      return;
    }
    text_.push_back((range_flags_ & kRangeLowerInclusive) != 0 ? '[' : '(');
    size_t next = 0;
    auto bound = [&] {
      const size_t begin = elements_[next].start - range_start_;
      const size_t end =
          next + 1 < elements_.size() ? elements_[next + 1].start - range_start_ : body.size();
      ++next;
      AppendRangeBound(std::string_view(body.data() + begin, end - begin));
    };
    if ((range_flags_ & kRangeLowerInfinite) == 0 && next < elements_.size()) bound();
    text_.push_back(',');
    if ((range_flags_ & kRangeUpperInfinite) == 0 && next < elements_.size()) bound();
    text_.push_back((range_flags_ & kRangeUpperInclusive) != 0 ? ']' : ')');
  }

 private:
  void AppendRangeBound(std::string_view bound) {
    bool quote = bound.empty();
    for (const char c : bound) {
      quote = quote || c == '"' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' ||
              c == ',' || std::isspace(static_cast<unsigned char>(c));
    }
    if (!quote) {
      text_.append(bound);
      return;
    }
    text_.push_back('"');
    for (const char c : bound) {
      if (c == '"' || c == '\\') text_.push_back(c);
      text_.push_back(c);
    }
    text_.push_back('"');
  }
  void Separate() {
    if (in_range_) {
      elements_.push_back({text_.size(), false});
      return;
    }
    if (in_array_) {
      elements_.push_back({text_.size(), false});
      return;
    }
    if (!first_) text_.push_back('\t');
    first_ = false;
  }
  // PostgreSQL's float output with extra_float_digits 1: the shortest text that reads back to
  // the same value, in exponent form when the decimal exponent is below -4 or at least
  // `digits` (FLT_DIG or DBL_DIG).
  template <typename Float>
  void AppendFloat(Float value, int digits) {
    if (std::isnan(value)) {
      text_.append("NaN");
      return;
    }
    if (std::isinf(value)) {
      text_.append(value < 0 ? "-Infinity" : "Infinity");
      return;
    }
    char buffer[64];
    auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string_view scientific(buffer, static_cast<size_t>(result.ptr - buffer));
    // The exponent as from_chars reads it: the buffer is not NUL-terminated after it.
    const size_t e = scientific.find('e');
    const size_t sign = scientific[e + 1] == '+' ? e + 2 : e + 1;
    int exponent = 0;
    std::from_chars(scientific.data() + sign, scientific.data() + scientific.size(), exponent);
    if (value != 0 && (exponent < -4 || exponent >= digits)) {
      text_.append(scientific);
      return;
    }
    result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    text_.append(buffer, static_cast<size_t>(result.ptr - buffer));
  }
  // HH:MM:SS with the fraction of the second without trailing zeros; hours may pass 24.
  void AppendClock(int64_t micros) {
    const int64_t seconds = micros / 1'000'000;
    int64_t fraction = micros % 1'000'000;
    text_.append(
        fmt::format("{:02d}:{:02d}:{:02d}", seconds / 3600, seconds / 60 % 60, seconds % 60));
    if (fraction == 0) return;
    int width = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --width;
    }
    text_.append(fmt::format(".{:0{}d}", fraction, width));
  }
  void AppendHexByte(uint8_t byte) {
    static constexpr char kHex[] = "0123456789abcdef";
    text_.push_back(kHex[byte >> 4]);
    text_.push_back(kHex[byte & 0xF]);
  }
  // Dotted IPv4, or IPv6 with the longest run of two or more zero groups as "::" (the first of
  // equal runs), as PostgreSQL's inet output writes them.
  void AppendAddress(const IpAddress& address) {
    if (!address.v6) {
      text_.append(fmt::format("{}.{}.{}.{}", address.bytes[0], address.bytes[1], address.bytes[2],
                               address.bytes[3]));
      return;
    }
    uint16_t groups[8];
    for (int i = 0; i < 8; ++i)
      groups[i] = static_cast<uint16_t>(address.bytes[2 * i] << 8 | address.bytes[2 * i + 1]);
    int best = -1, best_length = 0;
    for (int i = 0; i < 8;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) ++j;
      if (j - i > best_length) {
        best = i;
        best_length = j - i;
      }
      i = j;
    }
    if (best_length < 2) best = -1;
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        text_.append(i == 0 ? "::" : ":");
        i += best_length - 1;
        continue;
      }
      text_.append(fmt::format("{:x}", groups[i]));
      if (i < 7) text_.push_back(':');
    }
  }

  static bool NeedsQuotes(std::string_view element) {
    if (element.empty()) return true;
    if (element.size() == 4 && (element[0] | 0x20) == 'n' && (element[1] | 0x20) == 'u' &&
        (element[2] | 0x20) == 'l' && (element[3] | 0x20) == 'l') {
      return true;
    }
    for (const char c : element) {
      if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t' ||
          c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        return true;
      }
    }
    return false;
  }

  struct Element {
    size_t start;  // offset in text_ where the element's text begins
    bool null;
  };
  bool in_array_ = false;
  size_t array_start_ = 0;
  bool in_range_ = false;  // the bounds of a range are collected in elements_ as an array's are
  uint8_t range_flags_ = 0;
  size_t range_start_ = 0;
  std::vector<Element> elements_;
  std::string& text_;
  uint64_t& sum_;
  int64_t& rows_;
  Md5Hasher hasher_;
  bool first_ = true;
};

// The SQL rendering of one column in the canonical text.
std::string ColumnText(const ColumnSchema& column) {
  const std::string name = QuoteIdentifier(column.name);
  std::string value;
  switch (column.type) {
    case ColumnType::kText:
      value = name;
      break;
    case ColumnType::kInet:  // cast: the table's column may be text (schema_check.h)
      value = "host(" + name + "::inet)";
      break;
    default:  // every other type as its output function prints it
      value = name + "::text";
      // but money, which lc_monetary prints ("$1,234.56"): as the number the writers give
      if (column.sql.kind == SqlTypeKind::kMoney) {
        value = name + (column.sql.array ? "::numeric[]::text" : "::numeric::text");
      }
      break;
  }
  return "coalesce(" + value + ", E'\\\\N')";
}

constexpr std::string_view kTwoTo64 = "18446744073709551616";

}  // namespace

std::string Fingerprint::HashHex() const { return fmt::format("{:016x}", hash); }

uint64_t RowHash(std::string_view canonical_text) {
  Md5Hasher hasher;
  return hasher.Hash(canonical_text);
}

std::unique_ptr<RowWriter> MakeFingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows) {
  return std::make_unique<FingerprintWriter>(text, sum, rows);
}

Fingerprint ExpectedFingerprint(const TableGenerator& generator, int64_t rows, int threads) {
  constexpr int64_t kBlockRows = 4096;
  tbb::task_arena arena(ResolveThreads(threads));
  return arena.execute([&] {
    return tbb::parallel_reduce(
        tbb::blocked_range<int64_t>(0, rows, kBlockRows), Fingerprint{},
        [&](const tbb::blocked_range<int64_t>& range, Fingerprint sum) {
          std::string text;
          FingerprintWriter writer(&text, &sum.hash, &sum.rows);
          generator.WriteRows(range.begin(), range.end(), writer);
          return sum;
        },
        [](Fingerprint a, const Fingerprint& b) {
          a.rows += b.rows;
          a.hash += b.hash;  // modulo 2^64 by unsigned wrap-around
          return a;
        });
  });
}

std::string FingerprintSql(const TableSchema& schema, std::string_view condition) {
  std::string text;
  for (const ColumnSchema& column : schema.columns) {
    text += text.empty() ? "" : " || E'\\t' || ";
    text += ColumnText(column);
  }
  return fmt::format(
      "SELECT count(*), mod(mod(coalesce(sum(('x' || left(md5({}), 16))::bit(64)::bigint), 0), "
      "{}) + {}, {})::text FROM {} WHERE {}",
      text, kTwoTo64, kTwoTo64, kTwoTo64, schema.table.QualifiedName(), condition);
}

std::string GeneratedIdCondition(const TableContents& contents, int64_t rows,
                                 const TableSchema& schema) {
  if (!schema.has_id) return "true";
  const std::string id_column = schema.IdSql();
  if (!contents.history || contents.segments.empty()) {
    return fmt::format("{} BETWEEN 1 AND {}", id_column, rows);
  }
  std::string condition;
  for (size_t i = 0; i < contents.segments.size(); ++i) {
    const GenerationSegment& segment = contents.segments[i];
    const int64_t end =
        std::min(rows, i + 1 < contents.segments.size() ? contents.segments[i + 1].first_row
                                                        : contents.generated);
    if (end <= segment.first_row) continue;
    condition += condition.empty() ? "" : " OR ";
    condition += fmt::format("{} BETWEEN {} AND {}", id_column, segment.FirstId(),
                             segment.FirstId() + (end - segment.first_row) - 1);
  }
  return condition.empty() ? "false" : condition;
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        int64_t rows) {
  // The id column by its own name: a table's id need not be called id ("ID", user_id).
  return ServerFingerprint(connection, schema, schema.IdBetweenSql(1, rows));
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        std::string_view condition) {
  SF_ASSIGN_OR_RETURN(QueryResult result, connection.Query(FingerprintSql(schema, condition)));
  if (result.rows.size() != 1 || result.rows[0].size() != 2) {
    return Internal("fingerprint query of " + schema.name + " returned no row");
  }
  Fingerprint fingerprint;
  SF_ASSIGN_OR_RETURN(fingerprint.rows, ParseInt(result.rows[0][0]));
  const std::string& hash = result.rows[0][1].value_or("");
  const auto parsed = std::from_chars(hash.data(), hash.data() + hash.size(), fingerprint.hash);
  if (parsed.ec != std::errc()) return Internal("unexpected fingerprint from the server: " + hash);
  return fingerprint;
}

Status PrepareInspectSession(PgConnection& connection) {
  return connection.Execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'");
}
}  // namespace seedforge
