// Generators built from other generators or from other columns: constants, NULL, weighted
// choices, cycles, cases on another column, templates, digit/letter patterns, JSON objects and
// arrays.
//
// Containers compute their nested values into the output value's child scratch (Value::Child),
// so a JSON object of five generated fields allocates nothing once its buffers have grown.
// Their metadata is completed in Link(), after the nested generators and the columns they read
// are final: a template's longest text is the sum of its parts', and it is injective when one
// part is (the row number, or a unique column) and the rest cannot blur where that part ends.
#include <algorithm>
#include <bit>
#include <boost/random/uniform_int_distribution.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "generators/values/alias_table.h"
#include "generators/values/permutation.h"
#include "generators/values/spec_reader.h"

namespace seedforge::values::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void DescribeText(std::string_view text, GeneratorInfo* info, bool first) {
  const size_t chars = static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  // An empty text has no edge of its own: what follows it in a template becomes the edge.
  const bool leading = !text.empty() && !IsDigit(text.front());
  const bool trailing = !text.empty() && !IsDigit(text.back());
  const bool digit_free = std::none_of(text.begin(), text.end(), IsDigit);
  if (first) {
    info->max_bytes = text.size(), info->max_chars = chars;
    info->no_leading_digit = leading, info->no_trailing_digit = trailing;
    info->no_digits = digit_free;
    return;
  }
  info->no_digits = info->no_digits && digit_free;
  info->max_bytes = std::max(info->max_bytes, text.size());
  info->max_chars = std::max(info->max_chars, chars);
  info->no_leading_digit = info->no_leading_digit && leading;
  info->no_trailing_digit = info->no_trailing_digit && trailing;
}

// A JSON scalar read into a Value, for constants and choices. Only strings, integers, numbers
// and booleans: `kind` must match across a list.
Status ReadScalar(Spec& spec, std::string_view key, dom::element element, Value* out) {
  std::string_view text;
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
  if (element.get_string().get(text) == simdjson::SUCCESS) {
    out->SetText(text);
  } else if (element.get_int64().get(integer) == simdjson::SUCCESS) {
    out->SetInteger(integer);
  } else if (element.get_double().get(number) == simdjson::SUCCESS) {
    out->SetFloat(number);
  } else if (element.get_bool().get(boolean) == simdjson::SUCCESS) {
    out->SetBool(boolean);
  } else {
    return spec.Error(key, "expected a string, number or boolean");
  }
  return Status::Ok();
}

void DescribeValues(const std::vector<Value>& values, GeneratorInfo* info) {
  info->kind = values.front().kind();
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& value = values[i];
    if (value.kind() == ValueKind::kText) DescribeText(value.text(), info, i == 0);
    if (value.kind() == ValueKind::kInteger) {
      const int64_t v = value.integer_value();
      info->min = i == 0 ? v : std::min(info->min, v);
      info->max = i == 0 ? v : std::max(info->max, v);
      info->has_range = true;
    }
    if (value.kind() == ValueKind::kFloat || value.kind() == ValueKind::kInteger) {
      const double v = value.AsDouble();
      info->min_float = i == 0 ? v : std::min(info->min_float, v);
      info->max_float = i == 0 ? v : std::max(info->max_float, v);
      info->has_range = true;
    }
  }
}

// ---- const and null ----

class ConstGenerator final : public ColumnGenerator {
 public:
  explicit ConstGenerator(Value value) : value_(std::move(value)) {
    std::vector<Value> one;
    one.push_back(std::move(value_));
    DescribeValues(one, &info_);
    value_ = std::move(one.front());
  }
  void Generate(const RowContext&, Value* out) const override { out->BorrowFrom(value_); }

 private:
  Value value_;
};

StatusOr<GeneratorPtr> MakeConst(Spec& spec) {
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Required("value"));
  SF_RETURN_IF_ERROR(spec.Element("value", &element));
  Value value;
  SF_RETURN_IF_ERROR(ReadScalar(spec, "value", element, &value));
  return GeneratorPtr(std::make_unique<ConstGenerator>(std::move(value)));
}

class NullGenerator final : public ColumnGenerator {
 public:
  NullGenerator() { info_.can_be_null = true; }
  void Generate(const RowContext&, Value* out) const override { out->SetNull(); }
};

StatusOr<GeneratorPtr> MakeNull(Spec&) { return GeneratorPtr(std::make_unique<NullGenerator>()); }

// ---- choice and cycle ----

Status ReadValueList(Spec& spec, std::vector<Value>* values) {
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Required("values"));
  SF_RETURN_IF_ERROR(spec.Element("values", &element));
  dom::array array;
  if (element.get_array().get(array) || array.size() == 0) {
    return spec.Error("values", "expected a non-empty array");
  }
  size_t index = 0;
  for (dom::element item : array) {
    Value value;
    const std::string key = "values[" + std::to_string(index++) + "]";
    SF_RETURN_IF_ERROR(ReadScalar(spec, key, item, &value));
    if (!values->empty() && value.kind() != values->front().kind()) {
      return spec.Error(key, std::string("is a ") + std::string(ValueKindName(value.kind())) +
                                 ", the first value a " +
                                 std::string(ValueKindName(values->front().kind())) +
                                 " (values must all be of one type)");
    }
    values->push_back(std::move(value));
  }
  return Status::Ok();
}

class ChoiceGenerator final : public ColumnGenerator {
 public:
  ChoiceGenerator(uint64_t key, std::vector<Value> values, const std::vector<double>& weights)
      : key_(key), values_(std::move(values)), table_(weights) {
    DescribeValues(values_, &info_);
  }
  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    out->BorrowFrom(values_[table_.Draw(engine)]);
  }

 private:
  StreamKey key_;
  std::vector<Value> values_;
  AliasTable table_;
};

StatusOr<GeneratorPtr> MakeChoice(Spec& spec) {
  std::vector<Value> values;
  SF_RETURN_IF_ERROR(ReadValueList(spec, &values));
  std::vector<double> weights(values.size(), 1.0);
  dom::element element;
  if (spec.Has("weights")) {
    SF_RETURN_IF_ERROR(spec.Element("weights", &element));
    dom::array array;
    if (element.get_array().get(array)) return spec.Error("weights", "expected an array");
    if (array.size() != values.size()) {
      return spec.Error("weights", "has " + std::to_string(array.size()) + " weights for " +
                                       std::to_string(values.size()) + " values");
    }
    size_t i = 0;
    double total = 0;
    for (dom::element item : array) {
      const std::string key = "weights[" + std::to_string(i) + "]";
      if (item.get_double().get(weights[i]) || !(weights[i] >= 0) || !std::isfinite(weights[i])) {
        return spec.Error(key, "expected a number >= 0");
      }
      total += weights[i++];
    }
    if (!(total > 0)) return spec.Error("weights", "must not all be 0");
  }
  return GeneratorPtr(
      std::make_unique<ChoiceGenerator>(spec.stream_key(), std::move(values), weights));
}

// values[row % n]: every value in turn (a symbol per row of a price table).
class CycleGenerator final : public ColumnGenerator {
 public:
  explicit CycleGenerator(std::vector<Value> values) : values_(std::move(values)) {
    DescribeValues(values_, &info_);
    bool distinct = true;
    for (size_t i = 0; i < values_.size() && distinct; ++i) {
      for (size_t j = 0; j < i && distinct; ++j) {
        distinct = values_[i].ToString() != values_[j].ToString();
      }
    }
    info_.injective_rows = distinct ? values_.size() : kNotInjective;
  }
  void Generate(const RowContext& context, Value* out) const override {
    out->BorrowFrom(values_[context.row % values_.size()]);
  }

 private:
  std::vector<Value> values_;
};

StatusOr<GeneratorPtr> MakeCycle(Spec& spec) {
  std::vector<Value> values;
  SF_RETURN_IF_ERROR(ReadValueList(spec, &values));
  return GeneratorPtr(std::make_unique<CycleGenerator>(std::move(values)));
}

// ---- case ----

// Merges the infos of alternatives (case branches) into `info`.
void MergeAlternatives(const std::vector<const GeneratorInfo*>& alternatives, GeneratorInfo* info) {
  bool first = true;
  for (const GeneratorInfo* alternative : alternatives) {
    info->can_be_null = info->can_be_null || alternative->can_be_null;
    if (alternative->kind == ValueKind::kNull) continue;
    if (first) {
      const bool can_be_null = info->can_be_null;
      std::vector<int> reads = std::move(info->reads);
      *info = *alternative;
      info->can_be_null = can_be_null || alternative->can_be_null;
      info->injective_rows = kNotInjective;
      info->reads = std::move(reads);
      first = false;
      continue;
    }
    if (info->element != alternative->element) info->element = nullptr;
    info->max_bytes = (info->max_bytes == 0 || alternative->max_bytes == 0)
                          ? 0
                          : std::max(info->max_bytes, alternative->max_bytes);
    info->max_chars = (info->max_chars == 0 || alternative->max_chars == 0)
                          ? 0
                          : std::max(info->max_chars, alternative->max_chars);
    info->no_leading_digit = info->no_leading_digit && alternative->no_leading_digit;
    info->no_trailing_digit = info->no_trailing_digit && alternative->no_trailing_digit;
    info->no_digits = info->no_digits && alternative->no_digits;
    info->has_range = info->has_range && alternative->has_range;
    info->min = std::min(info->min, alternative->min);
    info->max = std::max(info->max, alternative->max);
    info->min_float = std::min(info->min_float, alternative->min_float);
    info->max_float = std::max(info->max_float, alternative->max_float);
  }
}

class CaseGenerator final : public ColumnGenerator {
 public:
  struct Branch {
    std::string label;
    bool is_integer = false;  // the label reads as an integer (or true/false as 1/0)
    int64_t integer = 0;
    GeneratorPtr generator;
  };

  CaseGenerator(int on, std::vector<Branch> branches, GeneratorPtr otherwise)
      : on_(on), branches_(std::move(branches)), else_(std::move(otherwise)) {
    // An open-addressing table of the labels' keys, at most half full.
    size_t slots = 4;
    while (slots < 2 * branches_.size()) slots *= 2;
    slot_shift_ = 64 - std::countr_zero(slots);
    slots_.assign(slots, 0);
    for (size_t i = 0; i < branches_.size(); ++i) {
      size_t slot = Slot(LabelKey(branches_[i].label));
      while (slots_[slot] != 0) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = static_cast<uint32_t>(i + 1);
    }
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    std::vector<const GeneratorInfo*> alternatives;
    for (Branch& branch : branches_) {
      SF_RETURN_IF_ERROR(branch.generator->Link(columns));
      alternatives.push_back(&branch.generator->info());
    }
    if (else_ != nullptr) {
      SF_RETURN_IF_ERROR(else_->Link(columns));
      alternatives.push_back(&else_->info());
    }
    info_.can_be_null = else_ == nullptr;
    MergeAlternatives(alternatives, &info_);
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    const ColumnGenerator* chosen = Select(context.columns[on_]);
    if (chosen == nullptr) return out->SetNull();
    chosen->Generate(context, out);
  }

  // The kinds of the branches (and "else") must agree. Returns the path key ("cases.x" or
  // "else") of the first that does not, or an empty string.
  std::string Mismatch(ValueKind* first_kind, ValueKind* bad_kind) const {
    *first_kind = ValueKind::kNull;
    auto differs = [&](const ColumnGenerator& generator) {
      const ValueKind kind = generator.info().kind;
      if (kind == ValueKind::kNull) return false;
      if (*first_kind == ValueKind::kNull) *first_kind = kind;
      *bad_kind = kind;
      return kind != *first_kind;
    };
    for (const Branch& branch : branches_) {
      if (differs(*branch.generator)) return "cases." + branch.label;
    }
    if (else_ != nullptr && differs(*else_)) return "else";
    return "";
  }

 private:
  const ColumnGenerator* Select(const Value& on) const {
    switch (on.kind()) {
      case ValueKind::kText: {
        // A hash of the label's length and last bytes (labels often share a prefix:
        // "deployment_queued", ...) finds the one branch whose text can match.
        const std::string_view text = on.text();
        for (size_t slot = Slot(LabelKey(text)); slots_[slot] != 0;
             slot = (slot + 1) & (slots_.size() - 1)) {
          const Branch& branch = branches_[slots_[slot] - 1];
          if (branch.label == text) return branch.generator.get();
        }
        break;
      }
      case ValueKind::kInteger:
      case ValueKind::kBool:
        for (const Branch& branch : branches_) {
          if (branch.is_integer && branch.integer == on.integer_value()) {
            return branch.generator.get();
          }
        }
        break;
      default:
        break;
    }
    return else_.get();
  }

  // The length and the last eight bytes of a label, or for a shorter one its first, middle and
  // last bytes: equal labels, equal keys, without a loop.
  static uint64_t LabelKey(std::string_view text) {
    const size_t size = text.size();
    uint64_t bytes = 0;
    if (size >= 8) {
      std::memcpy(&bytes, text.data() + size - 8, 8);  // a fixed size: one load
    } else if (size > 0) {
      const auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(text[i])}; };
      bytes = byte(0) << 16 | byte(size / 2) << 8 | byte(size - 1);
    }
    return bytes ^ (uint64_t{size} << 56);
  }

  size_t Slot(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ULL) >> slot_shift_; }

  int on_;
  std::vector<Branch> branches_;
  std::vector<uint32_t> slots_;  // 1 + the branch index whose label hashes there; 0: empty
  int slot_shift_ = 62;
  GeneratorPtr else_;
};

StatusOr<GeneratorPtr> MakeCase(Spec& spec) {
  int on = -1;
  SF_RETURN_IF_ERROR(spec.Column("on", &on));
  SF_RETURN_IF_ERROR(spec.Required("cases"));
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Element("cases", &element));
  dom::object cases;
  if (element.get_object().get(cases) || cases.size() == 0) {
    return spec.Error("cases", "expected an object of value: spec");
  }
  std::vector<CaseGenerator::Branch> branches;
  for (auto [label, branch_spec] : cases) {
    for (const auto& existing : branches) {
      if (existing.label == label) {
        return spec.Error("cases." + std::string(label), "duplicate key (given twice)");
      }
    }
    CaseGenerator::Branch branch;
    branch.label = std::string(label);
    if (label == "true" || label == "false") {
      branch.is_integer = true;
      branch.integer = label == "true";
    } else {
      const auto parsed =
          std::from_chars(label.data(), label.data() + label.size(), branch.integer);
      branch.is_integer = parsed.ec == std::errc() && parsed.ptr == label.data() + label.size();
    }
    SF_RETURN_IF_ERROR(
        spec.NestedElement(branch_spec, "cases." + std::string(label), &branch.generator));
    branches.push_back(std::move(branch));
  }
  GeneratorPtr otherwise;
  if (spec.Has("else")) SF_RETURN_IF_ERROR(spec.Nested("else", &otherwise));
  auto generator = std::make_unique<CaseGenerator>(on, std::move(branches), std::move(otherwise));
  ValueKind kind, bad_kind;
  if (const std::string bad = generator->Mismatch(&kind, &bad_kind); !bad.empty()) {
    return spec.Error(bad, "produces " + std::string(ValueKindName(bad_kind)) +
                               " where the cases before it produce " +
                               std::string(ValueKindName(kind)));
  }
  return GeneratorPtr(std::move(generator));
}

// ---- template ----

class TemplateGenerator final : public ColumnGenerator {
 public:
  struct Part {
    enum class Type { kLiteral, kRowNumber, kColumn } type = Type::kLiteral;
    std::string literal;
    int column = -1;
  };

  TemplateGenerator(std::vector<Part> parts, bool lower) : parts_(std::move(parts)), lower_(lower) {
    info_.kind = ValueKind::kText;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    size_t bytes = 0;
    bool known = true;
    for (const Part& part : parts_) {
      if (part.type == Part::Type::kLiteral) bytes += part.literal.size();
      if (part.type == Part::Type::kRowNumber) bytes += 20;
      if (part.type == Part::Type::kColumn) {
        const size_t width = TextWidth(*columns[part.column]);
        known = known && width > 0;
        bytes += width;
      }
    }
    info_.max_bytes = known ? bytes : 0;
    info_.max_chars = info_.max_bytes;  // an upper bound: chars <= bytes
    info_.no_leading_digit = !LeadsWithDigit(0, columns);
    info_.no_trailing_digit = !TrailsWithDigit(parts_.size() - 1, columns);
    info_.no_digits = true;
    for (size_t p = 0; p < parts_.size(); ++p)
      info_.no_digits = info_.no_digits && DigitFree(p, columns);
    info_.injective_rows = Injectivity(columns);
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    std::string* text = out->StartText();
    char digits[24];
    for (const Part& part : parts_) {
      switch (part.type) {
        case Part::Type::kLiteral:
          text->append(part.literal);
          break;
        case Part::Type::kRowNumber: {
          const auto result = std::to_chars(digits, digits + sizeof digits, context.row + 1);
          text->append(digits, result.ptr);
          break;
        }
        case Part::Type::kColumn:
          context.columns[part.column].AppendText(text);
          break;
      }
    }
    if (lower_) {
      for (char& c : *text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
    }
  }

 private:
  bool LeadsWithDigit(size_t i, std::span<const GeneratorInfo* const> columns) const {
    if (i >= parts_.size()) return false;
    const Part& part = parts_[i];
    if (part.type == Part::Type::kLiteral) return part.literal.empty() || IsDigit(part.literal[0]);
    if (part.type == Part::Type::kRowNumber) return true;
    return !columns[part.column]->no_leading_digit;
  }
  bool TrailsWithDigit(size_t i, std::span<const GeneratorInfo* const> columns) const {
    if (i >= parts_.size()) return false;
    const Part& part = parts_[i];
    if (part.type == Part::Type::kLiteral) {
      return part.literal.empty() || IsDigit(part.literal.back());
    }
    if (part.type == Part::Type::kRowNumber) return true;
    return !columns[part.column]->no_trailing_digit;
  }

  bool DigitFree(size_t i, std::span<const GeneratorInfo* const> columns) const {
    const Part& part = parts_[i];
    if (part.type == Part::Type::kLiteral) {
      return std::none_of(part.literal.begin(), part.literal.end(), IsDigit);
    }
    if (part.type == Part::Type::kRowNumber) return false;
    return columns[part.column]->no_digits;
  }

  // See the file comment: one injective part, and the others fixed or unable to blur its edge.
  uint64_t Injectivity(std::span<const GeneratorInfo* const> columns) const {
    uint64_t best = kNotInjective;
    for (size_t p = 0; p < parts_.size(); ++p) {
      const Part& part = parts_[p];
      uint64_t rows = kNotInjective;
      if (part.type == Part::Type::kRowNumber) rows = kInjectiveForAllRows;
      if (part.type == Part::Type::kColumn) {
        const GeneratorInfo& column = *columns[part.column];
        // Lower-casing could merge two texts that differ in case only.
        if (!lower_ || column.kind != ValueKind::kText) rows = column.injective_rows;
      }
      if (rows == kNotInjective) continue;
      bool fixed_before = true, fixed_after = true;
      for (size_t q = 0; q < parts_.size(); ++q) {
        if (q == p || parts_[q].type == Part::Type::kLiteral) continue;
        (q < p ? fixed_before : fixed_after) = false;
      }
      bool ok = fixed_before && fixed_after;
      if (!ok && part.type == Part::Type::kRowNumber) {
        // "{first}.{last}{n}@{domain}": nothing before the row number has a digit and a non-digit
        // follows it, so the row number is the text's first run of digits (or, mirrored, its
        // last run).
        bool digit_free_before = true, digit_free_after = true;
        for (size_t q = 0; q < parts_.size(); ++q) {
          if (q == p) continue;
          (q < p ? digit_free_before : digit_free_after) &= DigitFree(q, columns);
        }
        ok = (digit_free_before && (p + 1 == parts_.size() || !LeadsWithDigit(p + 1, columns))) ||
             (digit_free_after && (p == 0 || !TrailsWithDigit(p - 1, columns)));
      }
      if (ok) best = std::max(best, rows);
    }
    return best;
  }

  std::vector<Part> parts_;
  bool lower_;
};

StatusOr<GeneratorPtr> MakeTemplate(Spec& spec) {
  std::string format;
  bool lower = false;
  SF_RETURN_IF_ERROR(spec.Required("format"));
  SF_RETURN_IF_ERROR(spec.String("format", &format));
  SF_RETURN_IF_ERROR(spec.Bool("lower", &lower));
  std::vector<TemplateGenerator::Part> parts;
  auto literal = [&]() -> std::string& {
    if (parts.empty() || parts.back().type != TemplateGenerator::Part::Type::kLiteral) {
      parts.emplace_back();
    }
    return parts.back().literal;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if ((c == '{' || c == '}') && i + 1 < format.size() && format[i + 1] == c) {
      literal().push_back(c);
      ++i;
      continue;
    }
    if (c == '}') return spec.Error("format", "'}' without '{' (write '}}' for a brace)");
    if (c != '{') {
      literal().push_back(c);
      continue;
    }
    const size_t close = format.find('}', i);
    if (close == std::string::npos) return spec.Error("format", "'{' without '}'");
    const std::string name = format.substr(i + 1, close - i - 1);
    TemplateGenerator::Part part;
    if (name == "n") {
      part.type = TemplateGenerator::Part::Type::kRowNumber;
    } else {
      part.type = TemplateGenerator::Part::Type::kColumn;
      SF_RETURN_IF_ERROR(spec.ColumnNamed("format", name, &part.column));
    }
    parts.push_back(std::move(part));
    i = close;
  }
  return GeneratorPtr(std::make_unique<TemplateGenerator>(std::move(parts), lower));
}

// ---- pattern ----

// "JOB-#####": '#' a digit, '?' an upper-case letter, '\' escapes. A pattern of a unique column
// numbers its slots from a keyed permutation of the row, so rows below its capacity (10^digits
// * 26^letters) get distinct codes.
class PatternGenerator final : public ColumnGenerator {
 public:
  PatternGenerator(uint64_t key, std::string text, std::vector<uint8_t> slots, bool unique)
      : key_(key), text_(std::move(text)), slots_(std::move(slots)) {
    uint64_t capacity = 1;
    constexpr uint64_t kCap = uint64_t{1} << 62;
    for (uint8_t slot : slots_) {
      if (slot == 0) continue;
      const uint64_t radix = slot == '#' ? 10 : 26;
      capacity = capacity > kCap / radix ? kCap : capacity * radix;
    }
    if (unique) permutation_.emplace(key, capacity);
    info_.kind = ValueKind::kText;
    info_.max_bytes = info_.max_chars = text_.size();
    info_.injective_rows = unique ? capacity : kNotInjective;
    info_.no_leading_digit = !text_.empty() && slots_[0] != '#' && !IsDigit(text_[0]);
    info_.no_trailing_digit = !text_.empty() && slots_.back() != '#' && !IsDigit(text_.back());
    info_.no_digits = true;
    for (size_t i = 0; i < text_.size(); ++i) {
      info_.no_digits =
          info_.no_digits && slots_[i] != '#' && (slots_[i] != 0 || !IsDigit(text_[i]));
    }
  }

  void Generate(const RowContext& context, Value* out) const override {
    std::string* text = out->StartText();
    text->append(text_);
    if (permutation_.has_value()) {
      uint64_t index = permutation_->Apply(context.row % permutation_->size());
      // The least significant slot is the last one. Each radix is a constant in its branch, so
      // the divisions become multiplications.
      for (size_t i = slots_.size(); i-- > 0;) {
        if (slots_[i] == '#') {
          (*text)[i] = static_cast<char>('0' + index % 10);
          index /= 10;
        } else if (slots_[i] == '?') {
          (*text)[i] = static_cast<char>('A' + index % 26);
          index /= 26;
        }
      }
      return;
    }
    CounterEngine engine = RowEngine(key_, context);
    uint64_t bits = 0;
    int left = 0;  // each 64-bit draw fills two slots from its 32-bit halves
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i] == 0) continue;
      if (left == 0) bits = engine(), left = 2;
      const uint64_t radix = slots_[i] == '#' ? 10 : 26;
      const uint64_t draw = ((bits & 0xffffffffu) * radix) >> 32;
      bits >>= 32;
      --left;
      (*text)[i] = static_cast<char>((slots_[i] == '#' ? '0' : 'A') + draw);
    }
  }

 private:
  StreamKey key_;
  std::string text_;            // the literal characters, slots as placeholders
  std::vector<uint8_t> slots_;  // per byte of text_: '#', '?' or 0 (literal)
  std::optional<Permutation> permutation_;
};

StatusOr<GeneratorPtr> MakePattern(Spec& spec) {
  std::string format;
  SF_RETURN_IF_ERROR(spec.Required("format"));
  SF_RETURN_IF_ERROR(spec.String("format", &format));
  return MakePatternGenerator(spec, format);
}

}  // namespace

StatusOr<GeneratorPtr> MakePatternGenerator(Spec& spec, std::string_view format) {
  std::string text;
  std::vector<uint8_t> slots;
  bool any = false;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '\\' && i + 1 < format.size()) {
      text.push_back(format[++i]);
      slots.push_back(0);
      continue;
    }
    const bool slot = c == '#' || c == '?';
    any = any || slot;
    text.push_back(slot ? '0' : c);
    slots.push_back(slot ? static_cast<uint8_t>(c) : 0);
  }
  if (!any) return spec.Error("format", "has no '#' (digit) or '?' (letter) to fill");
  return GeneratorPtr(std::make_unique<PatternGenerator>(spec.stream_key(), std::move(text),
                                                         std::move(slots), spec.want_injective()));
}

namespace {

// ---- JSON objects and arrays ----

class JsonGenerator final : public ColumnGenerator {
 public:
  struct Field {
    std::string key_json;  // "\"key\":"
    GeneratorPtr generator;
  };

  explicit JsonGenerator(std::vector<Field> fields) : fields_(std::move(fields)) {
    info_.kind = ValueKind::kJson;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    for (Field& field : fields_) SF_RETURN_IF_ERROR(field.generator->Link(columns));
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    for (size_t i = 0; i < fields_.size(); ++i)
      fields_[i].generator->Generate(context, out->Child(i));
    std::string* text = out->StartJson();
    text->push_back('{');
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) text->push_back(',');
      text->append(fields_[i].key_json);
      out->Child(i)->AppendJson(text);
    }
    text->push_back('}');
  }

 private:
  std::vector<Field> fields_;
};

StatusOr<GeneratorPtr> MakeJson(Spec& spec) {
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Required("fields"));
  SF_RETURN_IF_ERROR(spec.Element("fields", &element));
  dom::object object;
  if (element.get_object().get(object)) return spec.Error("fields", "expected an object");
  std::vector<JsonGenerator::Field> fields;
  for (auto [key, field_spec] : object) {
    JsonGenerator::Field field;
    Value name;
    name.SetText(key);
    name.AppendJson(&field.key_json);
    for (const auto& existing : fields) {
      if (existing.key_json == field.key_json) {
        return spec.Error("fields." + std::string(key), "duplicate key (given twice)");
      }
    }
    field.key_json.push_back(':');
    SF_RETURN_IF_ERROR(
        spec.NestedElement(field_spec, "fields." + std::string(key), &field.generator));
    fields.push_back(std::move(field));
  }
  return GeneratorPtr(std::make_unique<JsonGenerator>(std::move(fields)));
}

class ArrayGenerator final : public ColumnGenerator {
 public:
  ArrayGenerator(uint64_t key, GeneratorPtr element, int64_t min, int64_t max)
      : key_(key), element_(std::move(element)), min_(min), max_(max) {
    info_.kind = ValueKind::kArray;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    SF_RETURN_IF_ERROR(element_->Link(columns));
    info_.element_kind = element_->info().kind;
    info_.element = &element_->info();
    const size_t width = TextWidth(element_->info());
    // Text form "{a,b}": elements, separators and braces (quoting may add two bytes each).
    info_.max_bytes = width == 0 ? 0 : static_cast<size_t>(max_) * (width + 3) + 2;
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    boost::random::uniform_int_distribution<int64_t> length(min_, max_);
    const int64_t n = length(engine);
    out->StartArray();
    RowContext element = context;
    for (int64_t i = 0; i < n; ++i) {
      element.element =
          Mix64(context.element * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i) + 1);
      element_->Generate(element, out->AppendElement());
    }
  }

 private:
  StreamKey key_;
  GeneratorPtr element_;
  int64_t min_;
  int64_t max_;
};

StatusOr<GeneratorPtr> MakeArray(Spec& spec) {
  int64_t min = 0, max = 0;
  SF_RETURN_IF_ERROR(spec.Required("max"));
  SF_RETURN_IF_ERROR(spec.Integer("min", &min, 0, 10000));
  SF_RETURN_IF_ERROR(spec.Integer("max", &max, 0, 10000));
  if (max < min) return spec.Error("max", "must not be less than min");
  GeneratorPtr element;
  SF_RETURN_IF_ERROR(spec.Nested("of", &element));
  return GeneratorPtr(
      std::make_unique<ArrayGenerator>(spec.stream_key(), std::move(element), min, max));
}

constexpr GeneratorFactory kFactories[] = {
    {"const", MakeConst},     {"null", MakeNull}, {"choice", MakeChoice},
    {"cycle", MakeCycle},     {"case", MakeCase}, {"template", MakeTemplate},
    {"pattern", MakePattern}, {"json", MakeJson}, {"array", MakeArray},
};

}  // namespace

std::span<const GeneratorFactory> StructureFactories() { return kFactories; }

}  // namespace seedforge::values::internal
