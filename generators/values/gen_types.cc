// Values of PostgreSQL's richer types: small XML documents, tsvectors of another column's text,
// ranges of numbers, dates and times, and points.
//
// Each is built from what the other generators already make: an XML document's items and a
// range's lower bound come from nested generators, a range's length from a nested number spec
// (durations for dates and times), a tsvector from the text of a column of the row. A range is
// written in the server's canonical form, [lower, lower + length), with a length of zero as
// "empty" and a NULL length as no upper bound, so that what the server prints is what the
// fingerprint expects. Draws come from the generator's own stream; nested generators have theirs.
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/civil_time.h"
#include "core/row_writer.h"
#include "core/text_search.h"
#include "generators/values/spec_reader.h"

namespace seedforge::values::internal {
namespace {

// --- xml ---------------------------------------------------------------------------------------

// An XML name as the generator accepts it: ASCII letters, digits, '_', '-' and '.', not
// starting with a digit, '-' or '.', and not starting with "xml" (reserved).
bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) {
    return false;
  }
  if (name.size() >= 3 && (name[0] | 0x20) == 'x' && (name[1] | 0x20) == 'm' &&
      (name[2] | 0x20) == 'l') {
    return false;
  }
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

// Appends `text` as XML character data: & < > escaped, control characters XML 1.0 does not
// allow (all below 0x20 but tab, newline and carriage return) left out.
void AppendXmlEscaped(std::string_view text, std::string* out) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out->push_back(c);
    }
  }
}

// <root><item>text</item>...</root> with a uniform number of items in [min, max], each the
// text form of the nested generator's value (a NULL item is <item/>).
class XmlGenerator final : public ColumnGenerator {
 public:
  XmlGenerator(uint64_t key, GeneratorPtr item, std::string root, std::string element, int64_t min,
               int64_t max)
      : key_(key), item_(std::move(item)), min_(min), max_(max) {
    info_.kind = ValueKind::kXml;
    open_root_ = "<" + root + ">";
    close_root_ = "</" + root + ">";
    open_item_ = "<" + element + ">";
    close_item_ = "</" + element + ">";
    empty_item_ = "<" + element + "/>";
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    return item_->Link(columns);
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    boost::random::uniform_int_distribution<int64_t> count(min_, max_);
    const int64_t n = count(engine);
    // The items and their text live in the output's children, which keep their buffers (the
    // second first: Child() may grow the storage, which moves the first).
    std::string* text = out->Child(1)->StartText();
    Value* item = out->Child(0);
    std::string* xml = out->StartXml();
    xml->append(open_root_);
    RowContext element = context;
    for (int64_t i = 0; i < n; ++i) {
      element.element =
          Mix64(context.element * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i) + 1);
      item_->Generate(element, item);
      if (item->is_null()) {
        xml->append(empty_item_);
        continue;
      }
      text->clear();
      item->AppendText(text);
      xml->append(open_item_);
      AppendXmlEscaped(*text, xml);
      xml->append(close_item_);
    }
    xml->append(close_root_);
  }

 private:
  StreamKey key_;
  GeneratorPtr item_;
  int64_t min_;
  int64_t max_;
  std::string open_root_, close_root_, open_item_, close_item_, empty_item_;
};

StatusOr<GeneratorPtr> MakeXml(Spec& spec) {
  std::string root = "root", element = "item";
  int64_t min = 1, max = 3;
  SF_RETURN_IF_ERROR(spec.String("root", &root));
  if (!IsXmlName(root)) return spec.Error("root", "'" + root + "' is not an XML element name");
  SF_RETURN_IF_ERROR(spec.String("element", &element));
  if (!IsXmlName(element)) {
    return spec.Error("element", "'" + element + "' is not an XML element name");
  }
  SF_RETURN_IF_ERROR(spec.Integer("min", &min, 0, 10000));
  SF_RETURN_IF_ERROR(spec.Integer("max", &max, 0, 10000));
  if (max < min) return spec.Error("max", "must not be less than min");
  GeneratorPtr item;
  SF_RETURN_IF_ERROR(spec.Nested("of", &item));
  return GeneratorPtr(std::make_unique<XmlGenerator>(
      spec.stream_key(), std::move(item), std::move(root), std::move(element), min, max));
}

// --- tsvector ----------------------------------------------------------------------------------

class TsVectorGenerator final : public ColumnGenerator {
 public:
  TsVectorGenerator(int of, std::string name, std::string path)
      : of_(of), name_(std::move(name)), path_(std::move(path)) {
    info_.kind = ValueKind::kTsVector;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    const GeneratorInfo& source = *columns[of_];
    if (source.kind != ValueKind::kText && source.kind != ValueKind::kNull) {
      return InvalidArgument(path_ + ".of: column '" + name_ + "' produces " +
                             std::string(ValueKindName(source.kind)) + ", not text");
    }
    info_.can_be_null = source.can_be_null || source.kind == ValueKind::kNull;
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    const Value& source = context.columns[of_];
    if (source.is_null()) return out->SetNull();  // to_tsvector(NULL) is NULL
    BuildTsVector(source.text(), out->StartTsVector());
  }

 private:
  int of_;
  std::string name_;
  std::string path_;
};

StatusOr<GeneratorPtr> MakeTsVector(Spec& spec) {
  int of = -1;
  SF_RETURN_IF_ERROR(spec.Column("of", &of));
  return GeneratorPtr(std::make_unique<TsVectorGenerator>(of, spec.column_name(of), spec.path()));
}

// --- ranges ------------------------------------------------------------------------------------

constexpr int64_t PowerOfTen(int digits) { return digits == 0 ? 1 : 10 * PowerOfTen(digits - 1); }

// [lower, lower + length): lower from a nested generator (integers, decimals, dates or
// timestamps), length from a nested number spec (the same unit as integers and decimals;
// seconds, or durations such as "3d", for dates and timestamps, dates in whole days).
class RangeGenerator final : public ColumnGenerator {
 public:
  RangeGenerator(GeneratorPtr lower, GeneratorPtr length, std::string path)
      : lower_(std::move(lower)), length_(std::move(length)), path_(std::move(path)) {
    info_.kind = ValueKind::kRange;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    SF_RETURN_IF_ERROR(lower_->Link(columns));
    SF_RETURN_IF_ERROR(length_->Link(columns));
    const GeneratorInfo& lower = lower_->info();
    const GeneratorInfo& length = length_->info();
    const ValueKind kind = lower.kind;
    if (kind != ValueKind::kInteger && kind != ValueKind::kDecimal && kind != ValueKind::kDate &&
        kind != ValueKind::kTimestamp) {
      return InvalidArgument(path_ + ".lower: produces " + std::string(ValueKindName(kind)) +
                             ", not integers, decimals, dates or timestamps");
    }
    if (kind == ValueKind::kInteger && length.kind != ValueKind::kInteger) {
      return InvalidArgument(path_ + ".length: produces " +
                             std::string(ValueKindName(length.kind)) +
                             ", not integers (the lower bound is an integer)");
    }
    if (kind == ValueKind::kDecimal && length.kind == ValueKind::kDecimal &&
        length.scale > lower.scale) {
      return InvalidArgument(path_ + ".length: has " + std::to_string(length.scale) +
                             " fraction digits, more than the lower bound's " +
                             std::to_string(lower.scale));
    }
    info_.can_be_null = lower.can_be_null;
    info_.element_kind = kind;
    info_.scale = kind == ValueKind::kDecimal ? lower.scale : 0;
    // The bounds' range, for the check against int4range and numrange(p,s): the lower bound's
    // and the longest length added to its largest value.
    if (lower.has_range && length.has_range && length.min >= 0 &&
        (kind == ValueKind::kInteger || kind == ValueKind::kDecimal)) {
      const int64_t unit = length.kind == ValueKind::kDecimal
                               ? PowerOfTen(info_.scale - length.scale)
                               : PowerOfTen(info_.scale);
      int64_t longest = 0;
      if (!__builtin_mul_overflow(length.max, unit, &longest) &&
          !__builtin_add_overflow(lower.max, longest, &info_.max)) {
        info_.has_range = true;
        info_.min = lower.min;
      }
    }
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    Value* upper = out->Child(1);  // first: Child() may grow the storage, which moves Child(0)
    Value* lower = out->Child(0);
    lower_->Generate(context, lower);
    if (lower->is_null()) return out->SetNull();
    length_->Generate(context, upper);
    if (upper->is_null()) {
      return out->StartRange(RowWriter::kRangeLowerInclusive | RowWriter::kRangeUpperInfinite);
    }
    const int64_t start = lower->integer_value();
    int64_t length = 0;
    switch (lower->kind()) {
      case ValueKind::kInteger:
        length = upper->integer_value();
        break;
      case ValueKind::kDecimal: {
        const int scale = lower->scale();
        if (upper->kind() == ValueKind::kInteger) {
          length = upper->integer_value() * PowerOfTen(scale);
        } else if (upper->kind() == ValueKind::kDecimal) {
          length = upper->integer_value() * PowerOfTen(scale - upper->scale());
        } else {
          length = std::llround(upper->AsDouble() * static_cast<double>(PowerOfTen(scale)));
        }
        break;
      }
      case ValueKind::kDate:  // whole days of the duration
        length = static_cast<int64_t>(std::max(0.0, upper->AsDouble()) / 86400) * kMicrosPerDay;
        break;
      default:  // timestamps
        length = std::llround(std::max(0.0, upper->AsDouble()) * kMicrosPerSecond);
        break;
    }
    if (length <= 0) return out->StartRange(RowWriter::kRangeEmpty);
    if (lower->kind() == ValueKind::kDecimal) {
      upper->SetDecimal(start + length, lower->scale());
    } else if (lower->kind() == ValueKind::kDate) {
      upper->SetDate(start + length);
    } else if (lower->kind() == ValueKind::kTimestamp) {
      upper->SetTimestamp(start + length);
    } else {
      upper->SetInteger(start + length);
    }
    out->StartRange(RowWriter::kRangeLowerInclusive);
  }

 private:
  GeneratorPtr lower_;
  GeneratorPtr length_;
  std::string path_;
};

StatusOr<GeneratorPtr> MakeRange(Spec& spec) {
  GeneratorPtr lower, length;
  SF_RETURN_IF_ERROR(spec.Required("lower"));
  SF_RETURN_IF_ERROR(spec.Nested("lower", &lower));
  SF_RETURN_IF_ERROR(spec.NestedDuration("length", &length));
  return GeneratorPtr(
      std::make_unique<RangeGenerator>(std::move(lower), std::move(length), spec.path()));
}

// --- point -------------------------------------------------------------------------------------

// x and y uniform in their bounds, each rounded to `scale` decimal digits (6: about 0.1 m of
// longitude and latitude).
class PointGenerator final : public ColumnGenerator {
 public:
  PointGenerator(uint64_t key, double min_x, double max_x, double min_y, double max_y, int scale)
      : key_(key),
        min_x_(min_x),
        max_x_(max_x),
        min_y_(min_y),
        max_y_(max_y),
        unit_(std::pow(10.0, scale)) {
    info_.kind = ValueKind::kPoint;
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    const double x = Draw(engine, min_x_, max_x_);
    const double y = Draw(engine, min_y_, max_y_);
    out->SetPoint(x, y);
  }

 private:
  double Draw(CounterEngine& engine, double min, double max) const {
    const double unit_interval = static_cast<double>(engine() >> 11) * 0x1p-53;  // [0, 1)
    const double value = std::round((min + unit_interval * (max - min)) * unit_);
    return std::clamp(value / unit_, min, max) + 0.0;  // + 0.0: never -0, which prints "-0"
  }

  StreamKey key_;
  double min_x_, max_x_, min_y_, max_y_;
  double unit_;
};

StatusOr<GeneratorPtr> MakePoint(Spec& spec) {
  double min_x = -180, max_x = 180, min_y = -90, max_y = 90;
  int64_t scale = 6;
  constexpr double kLimit = 1e15;
  SF_RETURN_IF_ERROR(spec.Double("min_x", &min_x, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Double("max_x", &max_x, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Double("min_y", &min_y, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Double("max_y", &max_y, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Integer("scale", &scale, 0, 12));
  if (max_x < min_x) return spec.Error("max_x", "must not be less than min_x");
  if (max_y < min_y) return spec.Error("max_y", "must not be less than min_y");
  return GeneratorPtr(std::make_unique<PointGenerator>(spec.stream_key(), min_x, max_x, min_y,
                                                       max_y, static_cast<int>(scale)));
}

constexpr GeneratorFactory kFactories[] = {
    {"xml", MakeXml},
    {"tsvector", MakeTsVector},
    {"range", MakeRange},
    {"point", MakePoint},
};

}  // namespace

std::span<const GeneratorFactory> TypeFactories() { return kFactories; }

}  // namespace seedforge::values::internal
