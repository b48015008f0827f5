// Reading generator specs from a simdjson DOM. The DOM (rather than On Demand, which
// engine/profile.cc uses for the profile's top level) lets a spec be read in any key order:
// "gen" first, then the parameters that generator takes, then the check for unknown keys.
#include "generators/values/spec_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/civil_time.h"

namespace seedforge::values {

uint64_t HashName(uint64_t key, std::string_view name) {
  uint64_t h = Mix64(key ^ (0x6e616d65ULL + name.size()));
  size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t chunk = 0;
    for (int b = 0; b < 8; ++b) chunk |= uint64_t{static_cast<uint8_t>(name[i + b])} << (8 * b);
    h = Mix64(h ^ chunk) + 0x9e3779b97f4a7c15ULL;
  }
  uint64_t tail = 0;
  for (int b = 0; i < name.size(); ++i, ++b) {
    tail |= uint64_t{static_cast<uint8_t>(name[i])} << (8 * b);
  }
  return Mix64(h ^ tail ^ 0xff51afd7ed558ccdULL);
}

namespace internal {
namespace {

// Draws NULL with a rate, and otherwise defers to the wrapped generator. The decision has its
// own stream, so changing the rate does not change the values of the rows that stay non-NULL.
class NullRateGenerator final : public ColumnGenerator {
 public:
  NullRateGenerator(GeneratorPtr inner, double rate, uint64_t key)
      : inner_(std::move(inner)), threshold_(ToThreshold(rate)), key_(key) {
    info_ = inner_->info();
    info_.can_be_null = rate > 0 || info_.can_be_null;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    SF_RETURN_IF_ERROR(inner_->Link(columns));
    info_ = inner_->info();
    info_.can_be_null = true;
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    if (engine() < threshold_) return out->SetNull();
    inner_->Generate(context, out);
  }

 private:
  static uint64_t ToThreshold(double rate) {
    if (rate >= 1) return std::numeric_limits<uint64_t>::max();
    return static_cast<uint64_t>(std::ldexp(rate, 64));
  }

  GeneratorPtr inner_;
  uint64_t threshold_;
  StreamKey key_;
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::vector<GeneratorFactory> AllFactories() {
  std::vector<GeneratorFactory> all;
  for (auto list : {NumberFactories(), StructureFactories(), TextFactories(), TimeFactories(),
                    TypeFactories()}) {
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

const std::vector<GeneratorFactory>& Factories() {
  static const std::vector<GeneratorFactory> factories = AllFactories();
  return factories;
}

}  // namespace

size_t TextWidth(const GeneratorInfo& info) {
  auto digits = [](int64_t v) {
    size_t n = v < 0 ? 2 : 1;
    for (uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : v; m >= 10; m /= 10) ++n;
    return n;
  };
  switch (info.kind) {
    case ValueKind::kNull:
      return 0;
    case ValueKind::kInteger:
      return info.has_range ? std::max(digits(info.min), digits(info.max)) : 20;
    case ValueKind::kDecimal:
      return info.has_range ? std::max(digits(info.min), digits(info.max)) + 2 : 21;
    case ValueKind::kFloat:
      return 24;
    case ValueKind::kBool:
      return 5;
    case ValueKind::kUuid:
      return 36;
    case ValueKind::kTimestamp:
      return 27;  // 2024-01-02T03:04:05.123456Z
    case ValueKind::kDate:
      return 10;
    case ValueKind::kTime:
      return 15;
    case ValueKind::kInterval:
      return 48;
    case ValueKind::kInet:
      return 43;
    case ValueKind::kMac:
      return 17;
    default:
      return info.max_bytes;
  }
}

std::string FormatDouble(double value) {
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return std::string(digits, result.ptr);
}

Spec::Spec(dom::object object, Frame frame, TableScope* scope, std::vector<int>* reads)
    : object_(object), frame_(std::move(frame)), scope_(scope), reads_(reads) {}

Status Spec::Error(std::string_view key, std::string_view message) const {
  return InvalidArgument(frame_.path + "." + std::string(key) + ": " + std::string(message));
}

Status Spec::Error(std::string_view message) const {
  return InvalidArgument(frame_.path + ": " + std::string(message));
}

bool Spec::Has(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  dom::element ignored;
  return object_.at_key(key).get(ignored) == simdjson::SUCCESS;
}

Status Spec::Required(std::string_view key) {
  if (!Has(key)) return Error(key, "missing (required by '" + gen_ + "')");
  return Status::Ok();
}

Status Spec::Element(std::string_view key, dom::element* out) {
  if (!Has(key)) return Status::Ok();
  if (object_.at_key(key).get(*out) != simdjson::SUCCESS) return Error(key, "unreadable");
  return Status::Ok();
}

Status Spec::Double(std::string_view key, double* out) {
  if (!Has(key)) return Status::Ok();
  if (frame_.durations && object_.at_key(key).is_string()) {
    int64_t micros = 0;
    SF_RETURN_IF_ERROR(Duration(key, &micros));
    *out = static_cast<double>(micros) / kMicrosPerSecond;
    return Status::Ok();
  }
  if (object_.at_key(key).get_double().get(*out)) {
    return Error(key, frame_.durations ? "expected a duration (\"2h\") or a number of seconds"
                                       : "expected a number");
  }
  return Status::Ok();
}

Status Spec::Double(std::string_view key, double* out, double min, double max) {
  SF_RETURN_IF_ERROR(Double(key, out));
  if (*out >= min && *out <= max) return Status::Ok();
  if (max == std::numeric_limits<double>::infinity()) {
    return Error(key, "must be at least " + FormatDouble(min));
  }
  return Error(key, "must be between " + FormatDouble(min) + " and " + FormatDouble(max));
}

Status Spec::Integer(std::string_view key, int64_t* out, int64_t min, int64_t max) {
  if (!Has(key)) return Status::Ok();
  if (object_.at_key(key).get_int64().get(*out)) return Error(key, "expected an integer");
  if (*out >= min && *out <= max) return Status::Ok();
  if (max == std::numeric_limits<int64_t>::max()) {
    return Error(key, "must be at least " + std::to_string(min));
  }
  return Error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
}

Status Spec::Bool(std::string_view key, bool* out) {
  if (!Has(key)) return Status::Ok();
  if (object_.at_key(key).get_bool().get(*out)) return Error(key, "expected true or false");
  return Status::Ok();
}

Status Spec::String(std::string_view key, std::string* out) {
  if (!Has(key)) return Status::Ok();
  std::string_view text;
  if (object_.at_key(key).get_string().get(text)) return Error(key, "expected a string");
  out->assign(text);
  return Status::Ok();
}

Status Spec::Duration(std::string_view key, int64_t* micros) {
  if (!Has(key)) return Status::Ok();
  dom::element element = object_.at_key(key).value_unsafe();
  double amount = 0;
  double unit = static_cast<double>(kMicrosPerSecond);
  std::string_view text;
  if (element.get_string().get(text) == simdjson::SUCCESS) {
    const char* end = text.data() + text.size();
    const auto parsed = std::from_chars(text.data(), end, amount);
    const std::string_view suffix(parsed.ptr, static_cast<size_t>(end - parsed.ptr));
    static constexpr std::pair<std::string_view, int64_t> kUnits[] = {{"us", 1},
                                                                      {"ms", 1000},
                                                                      {"s", kMicrosPerSecond},
                                                                      {"m", kMicrosPerMinute},
                                                                      {"h", kMicrosPerHour},
                                                                      {"d", kMicrosPerDay},
                                                                      {"w", kMicrosPerWeek}};
    bool known = false;
    for (const auto& [name, size] : kUnits) {
      if (suffix == name) known = true, unit = static_cast<double>(size);
    }
    if (parsed.ec != std::errc() || !known) {
      return Error(key, "expected a duration such as \"90s\", \"15m\", \"2h\", \"3d\" or \"1w\"");
    }
  } else if (element.get_double().get(amount)) {
    return Error(key, "expected a duration (\"2h\", \"3d\") or a number of seconds");
  }
  if (!(amount >= 0) || amount * unit > 9.2e18) return Error(key, "must be a positive duration");
  *micros = static_cast<int64_t>(std::llround(amount * unit));
  return Status::Ok();
}

Status Spec::Time(std::string_view key, int64_t* unix_micros) {
  std::string text;
  SF_RETURN_IF_ERROR(String(key, &text));
  if (text.empty()) return Status::Ok();
  if (text.size() == 10) text += "T00:00:00Z";
  if (!ParseIso8601(text, unix_micros)) {
    return Error(key, "expected an ISO 8601 time such as \"2024-01-01T00:00:00Z\" or a date");
  }
  return Status::Ok();
}

Status Spec::Column(std::string_view key, int* column) {
  std::string name;
  SF_RETURN_IF_ERROR(Required(key));
  SF_RETURN_IF_ERROR(String(key, &name));
  return ColumnNamed(key, name, column);
}

Status Spec::ColumnNamed(std::string_view key, std::string_view name, int* column) {
  const auto& columns = scope_->columns;
  const auto found = std::find(columns.begin(), columns.end(), name);
  if (found == columns.end()) return Error(key, "unknown column '" + std::string(name) + "'");
  *column = static_cast<int>(found - columns.begin());
  if (std::find(reads_->begin(), reads_->end(), *column) == reads_->end()) {
    reads_->push_back(*column);
  }
  return Status::Ok();
}

Status Spec::Nested(std::string_view key, GeneratorPtr* out) {
  dom::element element;
  SF_RETURN_IF_ERROR(Required(key));
  SF_RETURN_IF_ERROR(Element(key, &element));
  return NestedElement(element, key, out);
}

Status Spec::NestedElement(dom::element element, std::string_view sub, GeneratorPtr* out) {
  Frame frame;
  frame.path = frame_.path + "." + std::string(sub);
  frame.stream_key = HashName(frame_.stream_key, sub);
  SF_ASSIGN_OR_RETURN(*out, CompileSpec(element, std::move(frame), scope_, reads_));
  return Status::Ok();
}

Status Spec::NestedDuration(std::string_view key, GeneratorPtr* out) {
  dom::element element;
  SF_RETURN_IF_ERROR(Required(key));
  SF_RETURN_IF_ERROR(Element(key, &element));
  Frame frame;
  frame.path = frame_.path + "." + std::string(key);
  frame.stream_key = HashName(frame_.stream_key, key);
  frame.durations = true;
  SF_ASSIGN_OR_RETURN(*out, CompileSpec(element, std::move(frame), scope_, reads_));
  const ValueKind kind = (*out)->info().kind;
  if (kind != ValueKind::kInteger && kind != ValueKind::kFloat && kind != ValueKind::kDecimal) {
    return Error(key,
                 "expected a number generator of durations, such as {\"gen\": "
                 "\"exponential\", \"mean\": \"3d\"}");
  }
  return Status::Ok();
}

Status Spec::Finish() {
  std::vector<std::string_view> seen;
  for (auto [key, value] : object_) {
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return Error(key, "duplicate key (given twice in the same object)");
    }
    seen.push_back(key);
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::vector<std::string_view> parameters;
    for (std::string_view name : known_) {
      if (name != "gen" && name != "type" && name != "unique" && name != "nullable") {
        parameters.push_back(name);
      }
    }
    return Error(key, "unknown parameter of '" + gen_ +
                          "' (expected one of: " + JoinNames(parameters) + ")");
  }
  return Status::Ok();
}

StatusOr<GeneratorPtr> CompileSpec(dom::element element, Spec::Frame frame, TableScope* scope,
                                   std::vector<int>* reads) {
  dom::object object;
  if (element.get_object().get(object)) {
    return InvalidArgument(frame.path + ": expected a generator spec, an object with \"gen\"");
  }
  const uint64_t stream_key = frame.stream_key;
  const bool column_level = frame.column_level;
  Spec spec(object, std::move(frame), scope, reads);
  if (column_level) {
    (void)spec.Has("type");
    (void)spec.Has("unique");
    (void)spec.Has("nullable");  // read by the table model (generators/declared)
  }
  std::string gen;
  SF_RETURN_IF_ERROR(spec.Required("gen"));
  SF_RETURN_IF_ERROR(spec.String("gen", &gen));
  spec.gen_ = gen;
  const GeneratorFactory* factory = nullptr;
  for (const GeneratorFactory& candidate : Factories()) {
    if (candidate.name == gen) factory = &candidate;
  }
  const GeneratorRegistry* extra = scope->options->extra_generators;
  if (factory == nullptr && extra != nullptr) {
    for (const GeneratorFactory& candidate : extra->factories) {
      if (candidate.name == gen) factory = &candidate;
    }
  }
  if (factory == nullptr) {
    std::string_view closest;
    size_t best = 3;
    std::vector<std::string_view> names;
    auto consider = [&](const GeneratorFactory& candidate) {
      names.push_back(candidate.name);
      const size_t distance = EditDistance(gen, candidate.name);
      if (distance < best) best = distance, closest = candidate.name;
    };
    for (const GeneratorFactory& candidate : Factories()) consider(candidate);
    if (extra != nullptr) {
      for (const GeneratorFactory& candidate : extra->factories) consider(candidate);
    }
    if (!closest.empty()) {
      return spec.Error(
          "gen", "unknown generator '" + gen + "' (did you mean '" + std::string(closest) + "'?)");
    }
    return spec.Error(
        "gen", "unknown generator '" + gen + "' (expected one of: " + JoinNames(names) + ")");
  }
  double null_rate = 0;
  SF_RETURN_IF_ERROR(spec.Double("null_rate", &null_rate, 0, 1));
  SF_ASSIGN_OR_RETURN(GeneratorPtr generator, factory->make(spec));
  SF_RETURN_IF_ERROR(spec.Finish());
  if (null_rate > 0) {
    generator = std::make_unique<NullRateGenerator>(std::move(generator), null_rate,
                                                    HashName(stream_key, "null_rate"));
  }
  return generator;
}

}  // namespace internal
}  // namespace seedforge::values
