// Compiling a profile's "tables" into a GenerationModel, and the generators of that model.
//
// Compilation runs in passes, each reporting errors with the JSON path: read every table's
// header (its key, rows, and the ref/parent columns with their targets), check the columns of
// the enum types "types" declares (every value a label; a choice without values gets the
// labels, written into the column's spec text before the values compiler reads it), order the
// tables by those references (Kahn's algorithm, ties in declaration order; a cycle between
// tables is reported as "a -> b -> a"), compile each table's columns with the values compiler in
// that order (the factories of generators/declared/declared_generators.cc see the tables before),
// then check every typed column's generator against its SQL type and pick the RowWriter method that
// writes it, and build the table model: identity primary key, unique keys, foreign keys, checks,
// indexes.
//
// At run time a table generator computes each row into one RowScratch per WriteRows call, with a
// RowEnv (declared_internal.h) that knows the row's parent counts and place under its parent, and
// writes the typed columns through the function chosen at compile time: no lookup by name and no
// parsing per row.
#include "generators/declared/declared_tables.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "core/sql_type.h"
#include "core/table_model.h"
#include "core/table_schema.h"
#include "core/uuid_id.h"
#include "generators/declared/declared_internal.h"
#include "generators/values/spec_reader.h"

namespace seedforge {
namespace declared {

using values::GeneratorInfo;
using values::Value;
using values::ValueKind;
namespace dom = simdjson::dom;

// --- Runtime: parent layout and RowEnv --------------------------------------------------------

void ParentLayout::Build(int64_t parent_count) {
  parents = parent_count;
  block_first.clear();
  block_first.reserve(static_cast<size_t>(parent_count / 64 + 2));
  int64_t total = 0;
  for (int64_t p = 0; p < parent_count; ++p) {
    if (p % 64 == 0) block_first.push_back(total);
    total += CountOf(p);
  }
  block_first.push_back(total);
}

struct RowEnv::Slot {
  Slot(const Runtime* runtime, int table)
      : env(runtime, table),
        scratch(runtime->programs[table]->NewScratch()),
        computed(runtime->programs[table]->column_count(), false) {
    scratch.set_user(&env);
  }
  RowEnv env;
  values::RowScratch scratch;
  int64_t row = -1;            // the row the scratch holds columns of
  std::vector<bool> computed;  // which columns of `row` are computed
};

RowEnv::RowEnv(const Runtime* runtime, int table)
    : runtime_(runtime), table_(table), slots_(runtime->programs.size()) {
  if (runtime->layouts[table].has_value()) layout_ = &*runtime->layouts[table];
  first_counts = runtime->plan->CountsFor(static_cast<size_t>(table), 0);
}

RowEnv::~RowEnv() = default;

std::span<const int64_t> RowEnv::CountsOf(int64_t of_row) const {
  return runtime_->plan->CountsFor(static_cast<size_t>(table_), of_row);
}

std::pair<int64_t, int64_t> RowEnv::ChildrenOf(int table, int64_t of_parent) const {
  const ParentLayout& layout = *runtime_->layouts[static_cast<size_t>(table)];
  if (of_parent < 0 || of_parent >= layout.parents) return {0, 0};
  const int64_t block = of_parent / 64;
  int64_t first = layout.block_first[static_cast<size_t>(block)];
  for (int64_t p = block * 64; p < of_parent; ++p) first += layout.CountOf(p);
  return {first, layout.CountOf(of_parent)};
}

void RowEnv::SetRow(int64_t new_row) {
  row = new_row;
  counts = runtime_->plan->CountsFor(static_cast<size_t>(table_), new_row);
  if (layout_ == nullptr) return;
  // Walk on from the previous row's parent when the row is a little further on; else search.
  int steps = 0;
  if (cursor_parent_ >= 0 && new_row >= cursor_first_) {
    while (new_row >= cursor_first_ + cursor_count_ && steps < 64 &&
           cursor_parent_ + 1 < layout_->parents) {
      cursor_first_ += cursor_count_;
      cursor_count_ = layout_->CountOf(++cursor_parent_);
      ++steps;
    }
  }
  if (cursor_parent_ < 0 || new_row < cursor_first_ || new_row >= cursor_first_ + cursor_count_) {
    const auto& first = layout_->block_first;
    const size_t blocks = first.size() - 1;
    size_t block =
        static_cast<size_t>(std::upper_bound(first.begin(), first.begin() + blocks, new_row) -
                            first.begin()) -
        1;
    cursor_parent_ = static_cast<int64_t>(block) * 64;
    cursor_first_ = first[block];
    cursor_count_ = layout_->CountOf(cursor_parent_);
    while (new_row >= cursor_first_ + cursor_count_) {
      cursor_first_ += cursor_count_;
      cursor_count_ = layout_->CountOf(++cursor_parent_);
    }
  }
  parent = cursor_parent_;
  index_in_parent = new_row - cursor_first_;
}

const Value& RowEnv::Lookup(int table, int64_t lookup_row, int column) const {
  std::unique_ptr<Slot>& slot = slots_[table];
  if (slot == nullptr) slot = std::make_unique<Slot>(runtime_, table);
  if (slot->row != lookup_row) {
    std::fill(slot->computed.begin(), slot->computed.end(), false);
    slot->row = lookup_row;
    slot->env.SetRow(lookup_row);
  }
  if (!slot->computed[column]) {
    runtime_->programs[table]->ComputeColumn(static_cast<uint64_t>(lookup_row),
                                             static_cast<size_t>(column), &slot->scratch);
    slot->computed[column] = true;
  }
  return slot->scratch[column];
}

namespace {

// --- Writers: one function per (SQL type, value kind), chosen at compile time ------------------

// `param`: the scale of a numeric, the UuidIdKey of a uuid id (ColumnWriter::param).
using WriteFn = void (*)(const Value& value, int64_t param, RowWriter& out);

void WriteInt16(const Value& v, int64_t, RowWriter& out) {
  out.Int16(static_cast<int16_t>(v.integer_value()));
}
void WriteInt32(const Value& v, int64_t, RowWriter& out) {
  out.Int32(static_cast<int32_t>(v.integer_value()));
}
void WriteInt64(const Value& v, int64_t, RowWriter& out) { out.Int64(v.integer_value()); }
// A numeric whose column keeps more fraction digits than the generator makes: the server prints
// (and verify fingerprints) the column's scale, so the value is written at that scale, `Pad`
// digits more (12.5 into numeric(6,2) as 12.50).
constexpr int64_t PowerOfTen(int digits) { return digits == 0 ? 1 : 10 * PowerOfTen(digits - 1); }

template <int Pad>
void WriteNumeric(const Value& v, int64_t scale, RowWriter& out) {
  out.Numeric(v.integer_value() * PowerOfTen(Pad), static_cast<int>(scale));
}
template <int... Pads>
constexpr std::array<WriteFn, sizeof...(Pads)> NumericWriters(std::integer_sequence<int, Pads...>) {
  return {&WriteNumeric<Pads>...};
}
// Indexed by Pad: 0 to 18 (the most an int64 holds).
constexpr auto kNumericWriters = NumericWriters(std::make_integer_sequence<int, 19>());

// money: cents, from a value of 0, 1 or 2 fraction digits (2 - Pad).
template <int Pad>
void WriteMoney(const Value& v, int64_t, RowWriter& out) {
  out.Money(v.integer_value() * PowerOfTen(Pad));
}
constexpr WriteFn kMoneyWriters[] = {&WriteMoney<0>, &WriteMoney<1>, &WriteMoney<2>};
void WriteFloat32(const Value& v, int64_t, RowWriter& out) {
  out.Float32(static_cast<float>(v.AsDouble()));
}
void WriteFloat64(const Value& v, int64_t, RowWriter& out) { out.Float64(v.AsDouble()); }
void WriteBool(const Value& v, int64_t, RowWriter& out) { out.Bool(v.bool_value()); }
void WriteText(const Value& v, int64_t, RowWriter& out) { out.Text(v.text()); }
void WriteTimestamp(const Value& v, int64_t, RowWriter& out) { out.Timestamp(v.integer_value()); }
void WriteLocalTimestamp(const Value& v, int64_t, RowWriter& out) {
  out.LocalTimestamp(v.integer_value());
}
void WriteDate(const Value& v, int64_t, RowWriter& out) {
  constexpr int64_t kDay = 86'400'000'000;
  const int64_t micros = v.integer_value();
  const int64_t days = micros / kDay - (micros % kDay < 0 ? 1 : 0);
  out.Date(static_cast<int32_t>(days));
}
void WriteTime(const Value& v, int64_t, RowWriter& out) { out.Time(v.integer_value()); }
void WriteInterval(const Value& v, int64_t, RowWriter& out) {
  const values::Interval interval = v.interval();
  out.Interval(interval.months, interval.days, interval.micros);
}
void WriteUuid(const Value& v, int64_t, RowWriter& out) {
  uint8_t bytes[16];
  std::memcpy(bytes, v.bytes16(), 16);
  out.Uuid(bytes);
}
// An id of a table whose ids are uuids: its UuidOfId with the key in `param`.
void WriteUuidId(const Value& v, int64_t key, RowWriter& out) {
  uint8_t bytes[16];
  UuidOfId(static_cast<uint64_t>(key), v.integer_value(), bytes);
  out.Uuid(bytes);
}
IpAddress AddressOf(const Value& v) {
  IpAddress address;
  address.v6 = v.is_ipv6();
  std::memcpy(address.bytes, v.bytes16(), address.v6 ? 16 : 4);
  address.prefix = static_cast<uint8_t>(v.prefix());
  return address;
}
void WriteInet(const Value& v, int64_t, RowWriter& out) { out.Inet(AddressOf(v)); }
void WriteCidr(const Value& v, int64_t, RowWriter& out) { out.Cidr(AddressOf(v)); }
void WriteMac(const Value& v, int64_t, RowWriter& out) {
  uint8_t bytes[6];
  std::memcpy(bytes, v.mac(), 6);
  out.MacAddr(bytes);
}
void WriteJsonb(const Value& v, int64_t, RowWriter& out) { out.Json(v.text()); }
void WriteJsonText(const Value& v, int64_t, RowWriter& out) { out.JsonText(v.text()); }
void WriteBytea(const Value& v, int64_t, RowWriter& out) {
  const std::string_view bytes = v.text();
  out.Bytea({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

void WriteTsVector(const Value& v, int64_t, RowWriter& out) { out.TsVector(v.text()); }
void WritePoint(const Value& v, int64_t, RowWriter& out) {
  out.Point(v.float_value(), v.y_value());
}
// A range: its flags, then each present bound with the element type's writer.
template <WriteFn Bound>
void WriteRange(const Value& v, int64_t scale, RowWriter& out) {
  const uint8_t flags = v.range_flags();
  out.BeginRange(flags);
  if ((flags & (RowWriter::kRangeEmpty | RowWriter::kRangeLowerInfinite)) == 0) {
    Bound(v.range_bound(0), scale, out);
  }
  if ((flags & (RowWriter::kRangeEmpty | RowWriter::kRangeUpperInfinite)) == 0) {
    Bound(v.range_bound(1), scale, out);
  }
  out.EndRange();
}

struct ColumnWriter {
  int column = 0;  // position in the program
  WriteFn write = nullptr;
  int64_t param = 0;  // what `write` takes beside the value (WriteFn)
  bool array = false;
};

int Digits(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  int digits = 1;
  while (magnitude >= 10) magnitude /= 10, ++digits;
  return digits;
}

std::string KindText(ValueKind kind) {
  switch (kind) {
    case ValueKind::kInteger:
      return "integers";
    case ValueKind::kFloat:
      return "floating-point numbers";
    case ValueKind::kDecimal:
      return "decimals";
    case ValueKind::kText:
      return "text";
    default:
      return std::string(values::ValueKindName(kind)) + " values";
  }
}

// The writer of a range generator's values (`info`) into a range column of `type`, or why its
// bounds do not fit the range's element type.
std::string ChooseRangeWriter(const SqlType& type, const GeneratorInfo& info, WriteFn* write,
                              int* scale) {
  const ValueKind bound = info.element_kind;
  const std::string writes = "writes ranges of " + KindText(bound);
  *scale = 0;
  switch (type.kind) {
    case SqlTypeKind::kInt4Range:
    case SqlTypeKind::kInt8Range: {
      if (bound != ValueKind::kInteger) return writes;
      const bool four = type.kind == SqlTypeKind::kInt4Range;
      *write = four ? WriteRange<WriteInt32> : WriteRange<WriteInt64>;
      // An int8range takes a lower bound that grows with the rows (an id), as bigint does.
      if (!info.has_range) return four ? "writes ranges of integers without a bound" : "";
      SqlType element;
      element.kind = four ? SqlTypeKind::kInteger : SqlTypeKind::kBigint;
      const IntegerRange range = *IntegerRangeOf(element);
      if (info.min < range.min || info.max > range.max) {
        return "writes ranges of integers from " + std::to_string(info.min) + " to " +
               std::to_string(info.max);
      }
      return "";
    }
    case SqlTypeKind::kNumRange:
      if (bound != ValueKind::kInteger && bound != ValueKind::kDecimal) return writes;
      *write = WriteRange<kNumericWriters[0]>;
      *scale = bound == ValueKind::kDecimal ? info.scale : 0;
      return "";
    case SqlTypeKind::kDateRange:
      if (bound != ValueKind::kDate) return writes;
      *write = WriteRange<WriteDate>;
      return "";
    case SqlTypeKind::kTsRange:
    case SqlTypeKind::kTsTzRange:
      if (bound != ValueKind::kTimestamp) return writes;
      *write = type.kind == SqlTypeKind::kTsTzRange ? WriteRange<WriteTimestamp>
                                                    : WriteRange<WriteLocalTimestamp>;
      return "";
    default:
      return writes;
  }
}

// Chooses the writer of values `info` describes (of kind `kind`) into a column of element type
// `type`. `bounded_ids`: an id or reference, whose integers grow with the rows (no range).
// Returns the reason they do not fit, or "".
std::string ChooseWriter(const SqlType& type, ValueKind kind, const GeneratorInfo& info,
                         bool bounded_ids, WriteFn* write, int* scale) {
  const std::string writes = "writes " + KindText(kind);
  switch (type.kind) {
    case SqlTypeKind::kSmallint:
    case SqlTypeKind::kInteger:
    case SqlTypeKind::kBigint: {
      if (kind != ValueKind::kInteger) return writes;
      *write = type.kind == SqlTypeKind::kSmallint  ? WriteInt16
               : type.kind == SqlTypeKind::kInteger ? WriteInt32
                                                    : WriteInt64;
      if (type.kind == SqlTypeKind::kBigint || bounded_ids) return "";
      if (!info.has_range) return "writes integers without a bound";
      const IntegerRange range = *IntegerRangeOf(type);
      if (info.min < range.min || info.max > range.max) {
        return "writes integers from " + std::to_string(info.min) + " to " +
               std::to_string(info.max);
      }
      return "";
    }
    case SqlTypeKind::kNumeric: {
      if (kind != ValueKind::kInteger && kind != ValueKind::kDecimal) return writes;
      *write = kNumericWriters[0];
      *scale = kind == ValueKind::kDecimal ? info.scale : 0;
      if (!info.has_range) {
        return type.precision < 0 ? "" : "writes numbers without a bound";
      }
      const int64_t unit = PowerOfTen(*scale);
      const int integer_digits = std::max(Digits(info.min / unit), Digits(info.max / unit));
      if (!FitsNumeric(type, integer_digits, *scale)) {
        return "writes numbers of " + std::to_string(integer_digits) + " integer and " +
               std::to_string(*scale) + " fraction digits";
      }
      // Written at the column's scale; numeric without a precision keeps the value's own.
      const int pad = type.precision < 0 ? 0 : type.scale - *scale;
      if (pad > 0 && integer_digits + type.scale <= 18) {
        *write = kNumericWriters[static_cast<size_t>(pad)];
        *scale = type.scale;
      }
      return "";
    }
    case SqlTypeKind::kReal:
    case SqlTypeKind::kDoublePrecision:
      if (kind != ValueKind::kFloat && kind != ValueKind::kInteger && kind != ValueKind::kDecimal) {
        return writes;
      }
      *write = type.kind == SqlTypeKind::kReal ? WriteFloat32 : WriteFloat64;
      return "";
    case SqlTypeKind::kBoolean:
      if (kind != ValueKind::kBool) return writes;
      *write = WriteBool;
      return "";
    case SqlTypeKind::kText:
    case SqlTypeKind::kVarchar:
    case SqlTypeKind::kChar:
    case SqlTypeKind::kEnum:
      if (kind != ValueKind::kText) return writes;
      *write = WriteText;
      if (MaxCharacters(type) < 0) return "";
      if (info.max_chars == 0) return "writes text of unknown length";
      if (!FitsCharacters(type, static_cast<int64_t>(info.max_chars))) {
        return "writes up to " + std::to_string(info.max_chars) + " characters";
      }
      return "";
    case SqlTypeKind::kTimestampTz:
    case SqlTypeKind::kTimestamp:
      if (kind != ValueKind::kTimestamp) return writes;
      *write = type.kind == SqlTypeKind::kTimestampTz ? WriteTimestamp : WriteLocalTimestamp;
      return "";
    case SqlTypeKind::kDate:
      if (kind != ValueKind::kDate) return writes;
      *write = WriteDate;
      return "";
    case SqlTypeKind::kTime:
      if (kind != ValueKind::kTime) return writes;
      *write = WriteTime;
      return "";
    case SqlTypeKind::kInterval:
      if (kind != ValueKind::kInterval) return writes;
      *write = WriteInterval;
      return "";
    case SqlTypeKind::kUuid:
      if (kind != ValueKind::kUuid) return writes;
      *write = WriteUuid;
      return "";
    case SqlTypeKind::kInet:
    case SqlTypeKind::kCidr:
      if (kind != ValueKind::kInet) return writes;
      *write = type.kind == SqlTypeKind::kInet ? WriteInet : WriteCidr;
      return "";
    case SqlTypeKind::kMacAddr:
      if (kind != ValueKind::kMac) return writes;
      *write = WriteMac;
      return "";
    case SqlTypeKind::kJson:
    case SqlTypeKind::kJsonb:
      if (kind != ValueKind::kJson) return writes;
      *write = type.kind == SqlTypeKind::kJsonb ? WriteJsonb : WriteJsonText;
      return "";
    case SqlTypeKind::kBytea:
      if (kind != ValueKind::kBytes) return writes;
      *write = WriteBytea;
      return "";
    case SqlTypeKind::kMoney: {
      if (kind != ValueKind::kInteger && kind != ValueKind::kDecimal) return writes;
      const int value_scale = kind == ValueKind::kDecimal ? info.scale : 0;
      if (value_scale > 2)
        return "writes numbers of " + std::to_string(value_scale) +
               " fraction digits (money keeps 2)";
      if (!info.has_range) return "writes numbers without a bound";
      // Cents within what the server reads back from text (+-90,000,000,000,000,000.00).
      const int64_t unit = PowerOfTen(2 - value_scale);
      constexpr int64_t kMostCents = 9'000'000'000'000'000'000;
      if (info.min < -kMostCents / unit || info.max > kMostCents / unit) {
        return "writes numbers beyond money's range";
      }
      *write = kMoneyWriters[2 - value_scale];
      return "";
    }
    case SqlTypeKind::kXml:
      if (kind != ValueKind::kXml) return writes;
      *write = WriteText;
      return "";
    case SqlTypeKind::kTsVector:
      if (kind != ValueKind::kTsVector) return writes;
      *write = WriteTsVector;
      return "";
    case SqlTypeKind::kPoint:
      if (kind != ValueKind::kPoint) return writes;
      *write = WritePoint;
      return "";
    case SqlTypeKind::kInt4Range:
    case SqlTypeKind::kInt8Range:
    case SqlTypeKind::kNumRange:
    case SqlTypeKind::kDateRange:
    case SqlTypeKind::kTsRange:
    case SqlTypeKind::kTsTzRange:
      if (kind != ValueKind::kRange) return writes;
      return ChooseRangeWriter(type, info, write, scale);
  }
  return writes;
}

// What a column writes, for the sink's check of a table another tool created (ColumnValues in
// core/table_schema.h): its values' kind with the range, digits or longest text the compiler
// already checked against the declared type. `ids`: an id or reference (ids_of is filled in once
// the foreign keys are known).
ColumnValues DescribeValues(const SqlType& type, const GeneratorInfo& info, bool ids,
                            const std::string& gen) {
  using Kind = ColumnValues::Kind;
  ColumnValues values;
  values.generator = gen;
  if (type.array) return values;
  switch (info.kind) {
    case ValueKind::kInteger:
      if (IntegerRangeOf(type).has_value() && ids) {
        values.kind = Kind::kIds;
      } else if (IntegerRangeOf(type).has_value() && info.has_range) {
        values.kind = Kind::kIntegers;
        values.min = info.min;
        values.max = info.max;
      } else if (type.kind == SqlTypeKind::kNumeric && info.has_range) {
        values.kind = Kind::kDecimals;
        values.integer_digits = std::max(Digits(info.min), Digits(info.max));
      }
      break;
    case ValueKind::kDecimal:
      if (type.kind == SqlTypeKind::kNumeric && info.has_range) {
        const int64_t unit = PowerOfTen(info.scale);
        values.kind = Kind::kDecimals;
        values.integer_digits = std::max(Digits(info.min / unit), Digits(info.max / unit));
        values.scale = info.scale;
      }
      break;
    case ValueKind::kText:
      if (type.kind != SqlTypeKind::kEnum) {
        values.kind = Kind::kText;
        values.max_chars = static_cast<int64_t>(info.max_chars);
      }
      break;
    case ValueKind::kMac:
      values.kind = Kind::kMac;
      values.max_chars = 17;
      break;
    case ValueKind::kInet:
      // Host addresses print without a prefix (15 or 39 characters at most); otherwise IPv6's
      // 39 and "/128".
      values.kind = Kind::kInet;
      values.max_chars = info.max_chars != 0 ? static_cast<int64_t>(info.max_chars) : 43;
      break;
    case ValueKind::kUuid:
      values.kind = Kind::kUuid;
      values.max_chars = 36;
      break;
    case ValueKind::kJson:
      values.kind = Kind::kJson;
      break;
    default:
      break;
  }
  return values;
}

// --- Compile-time structures -----------------------------------------------------------------

struct ColumnHeader {
  std::string name;
  std::string gen;
  std::string lookup_via, lookup_column;  // a lookup's "via" and "column"
  std::string type_text;                  // as written; "" for a helper column
  SqlType type;
  std::optional<bool> nullable;
  bool reference_case = false;  // a case whose branches are refs (see ReadRefBranches)
  int enum_type = -1;           // the declared enum type (or element type) it has, or -1
};

// One table as declared, in model order once sorted.
struct TableHeader {
  std::string key;
  std::string name;
  std::string schema;
  std::string path;  // "$.tables.<key>"
  std::optional<int64_t> rows;
  std::string per_key;
  int per = -1;  // declaration index before sorting, model index after
  int64_t per_min = 0;
  int64_t per_max = 0;
  std::string columns_json;
  dom::object column_specs;  // the "columns" object (valid while compiling)
  std::vector<ColumnHeader> columns;
  std::vector<ForeignColumn> foreign;
  std::vector<std::string> foreign_to;  // the "to" keys of `foreign`, for resolving
  dom::element unique;                  // table-level keys, indexes, checks (may be absent)
  dom::element indexes;
  dom::element checks;
  bool has_unique = false, has_indexes = false, has_checks = false;
  // "primary_key": the table's key is these columns of its own (none: []), and it has no id.
  std::optional<std::vector<std::string>> primary_key;
};

bool IsLowerIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// The unquoted name of a table key as written in SQL; "" with *error set when it is not one.
std::string TableName(std::string_view key, std::string* error) {
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"') {
    std::string name;
    for (size_t i = 1; i + 1 < key.size(); ++i) {
      if (key[i] == '"') {
        if (i + 2 < key.size() && key[i + 1] == '"') {
          name.push_back('"');
          ++i;
          continue;
        }
        *error = "a double quote inside a quoted name must be doubled";
        return "";
      }
      name.push_back(key[i]);
    }
    if (name.empty() || name.size() > 63) *error = "a table name has 1 to 63 characters";
    return name;
  }
  if (IsLowerIdentifier(key)) return std::string(key);
  std::string lower(key);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (IsLowerIdentifier(lower)) {
    *error = "'" + std::string(key) +
             "' is not a lower-case SQL identifier; to keep its case, quote it: \"\\\"" +
             std::string(key) + "\\\"\"";
  } else {
    *error = "'" + std::string(key) +
             "' is not an SQL identifier (lower-case letters, digits and '_'); quote it: \"\\\"" +
             std::string(key) + "\\\"\"";
  }
  return "";
}

bool IsLabel(const EnumTypeDef& type, std::string_view text) {
  return std::find(type.labels.begin(), type.labels.end(), text) != type.labels.end();
}

// "'refunded' is not a label of enum order_status (pending, paid, shipped)"
std::string NotALabel(std::string_view text, const EnumTypeDef& type) {
  std::string labels;
  for (const std::string& label : type.labels) labels += (labels.empty() ? "" : ", ") + label;
  return "'" + std::string(text) + "' is not a label of enum " + type.QualifiedName() + " (" +
         labels + ")";
}

// The minified JSON of object[key], "" when absent.
std::string MinifiedMember(dom::object object, const char* key) {
  dom::element element;
  return object.at_key(key).get(element) == simdjson::SUCCESS ? simdjson::minify(element)
                                                              : std::string();
}

class Compiler {
 public:
  Compiler(const DeclareOptions& options) : options_(options) {}

  Status Error(const std::string& path, const std::string& message) const {
    return InvalidArgument(options_.origin + ": " + path + ": " + message);
  }

  // Reads "types" (`json`, "" when none) into enums_. Before ReadHeaders.
  Status ReadTypes(std::string_view json);
  Status ReadHeaders(dom::object tables);
  // Checks the values of every column of a declared enum type against its labels, and the keys
  // of every case on such a column; gives a choice without "values" the labels. Rewrites
  // columns_json. After ReadHeaders, before Sort.
  Status CheckEnumColumns();
  Status Sort();
  // Compiles every table's program with `options` (the plan's seed and window).
  StatusOr<std::vector<std::shared_ptr<const values::RowProgram>>> CompilePrograms(
      const DeclareOptions& options, std::vector<TableSetup>* setups) const;
  Status BuildTables(const std::vector<std::shared_ptr<const values::RowProgram>>& programs);

  const DeclareOptions& options_;
  std::vector<std::shared_ptr<const EnumTypeDef>> enums_;  // "types", in declaration order
  std::vector<std::string> enum_paths_;                    // "$.types.<key>" of each
  std::string types_canonical_;                            // minified "types", "" when none
  std::vector<TableHeader> headers_;                       // model order after Sort()
  std::vector<TableDef> defs_;
  std::vector<std::vector<ColumnWriter>> writers_;
  std::vector<std::vector<ColumnValues>> values_;  // per table, per written column

 private:
  // The name PostgreSQL would choose for a key, index or foreign key of `header`'s table
  // (ChooseRelationName, ChooseConstraintName): ObjectName(), and when another object of the
  // schema already has it, the label with 1, 2, ... after it. So names fit in 63 bytes and a
  // table the application created without naming its constraints has the same names.
  std::string ChooseName(const TableHeader& header, std::string_view columns,
                         std::string_view label);
  // Relations (tables, sequences, indexes) and constraints named so far, as schema '.' name.
  std::set<std::string> taken_names_;

  Status ReadTable(std::string_view key, dom::element value, TableHeader* header);
  Status ReadColumn(TableHeader* header, std::string_view name, dom::element spec, bool first);
  Status CheckCompositeKey(const TableHeader& header, const ForeignColumn& f,
                           const TableDef& target, std::vector<std::string>* columns,
                           std::vector<std::string>* referenced) const;
  Status ReadRefBranches(const std::string& path, dom::object object, dom::object* first_ref,
                         std::vector<std::string>* paths) const;
  // Appends `spec` (at `path`, of a column whose values must be labels of `type`, or of any
  // column when `type` is null) to `out`, checked as CheckEnumColumns says.
  Status RewriteEnumSpec(const TableHeader& header, dom::element spec, const std::string& path,
                         const EnumTypeDef* type, const ColumnHeader& column,
                         std::string* out) const;
  // The keys of a case on a column of a declared enum type are labels.
  Status CheckCaseKeys(const TableHeader& header, dom::object spec, const std::string& path) const;
  // Checks nested specs of a column of no declared enum type for cases on one.
  Status CheckNestedCases(const TableHeader& header, dom::element spec,
                          const std::string& path) const;
  // True when lookup `spec` reads a column of declared enum type `type`.
  bool LooksUpEnum(const TableHeader& header, dom::object spec, const EnumTypeDef* type) const;

  dom::parser types_parser_;  // keeps the "types" DOM while compiling
};

Status Compiler::ReadTypes(std::string_view json) {
  if (json.empty()) return Status::Ok();
  dom::element root;
  if (auto error = types_parser_.parse(json.data(), json.size()).get(root); error) {
    return Error("$.types", std::string("malformed JSON (") + simdjson::error_message(error) + ")");
  }
  dom::object types;
  if (root.get_object().get(types)) {
    return Error("$.types",
                 "expected an object of enum types, e.g. {\"order_status\": {\"enum\": "
                 "[\"pending\", \"paid\"]}}");
  }
  types_canonical_ = simdjson::minify(root);
  for (auto [key, value] : types) {
    const std::string path = "$.types." + std::string(key);
    auto parsed = ParseSqlType(key);
    if (!parsed.ok() || parsed->kind != SqlTypeKind::kEnum || parsed->array) {
      return Error(path, "'" + std::string(key) + "' is not a name for an enum type (" +
                             (parsed.ok() ? std::string("a built-in type has it")
                                          : parsed.status().message()) +
                             ")");
    }
    auto type = std::make_shared<EnumTypeDef>();
    type->schema = parsed->enum_schema;
    type->name = parsed->enum_name;
    if (type->QualifiedName() != key) {
      return Error(path, "write the type's name as SQL quotes it: " + type->QualifiedName() +
                             " (double-quote a name to keep upper-case letters)");
    }
    dom::object object;
    if (value.get_object().get(object)) {
      return Error(path, "expected {\"enum\": [\"label\", ...]}");
    }
    dom::element labels;
    bool has_labels = false;
    for (auto [field, member] : object) {
      if (field != "enum") {
        return Error(path + "." + std::string(field), "unknown key (expected enum)");
      }
      labels = member;
      has_labels = true;
    }
    if (!has_labels) return Error(path, "missing \"enum\": [\"label\", ...]");
    dom::array array;
    if (labels.get_array().get(array) || array.size() == 0) {
      return Error(path + ".enum", "expected a non-empty array of labels");
    }
    size_t i = 0;
    for (dom::element item : array) {
      const std::string item_path = path + ".enum[" + std::to_string(i++) + "]";
      std::string_view label;
      if (item.get_string().get(label) || label.empty()) {
        return Error(item_path, "expected a label (a non-empty string)");
      }
      if (label.size() > 63) return Error(item_path, "a label has at most 63 bytes");
      if (IsLabel(*type, label)) {
        return Error(item_path, "label '" + std::string(label) + "' is given twice");
      }
      type->labels.emplace_back(label);
    }
    enums_.push_back(std::move(type));
    enum_paths_.push_back(path);
  }
  return Status::Ok();
}

Status Compiler::CheckEnumColumns() {
  if (enums_.empty()) return Status::Ok();
  for (size_t e = 0; e < enums_.size(); ++e) {
    for (const TableHeader& header : headers_) {
      if (header.schema == enums_[e]->schema && header.name == enums_[e]->name) {
        return Error(enum_paths_[e], "type " + enums_[e]->QualifiedName() +
                                         " has the name of table " + header.key +
                                         " (whose row type has it)");
      }
    }
  }
  for (TableHeader& header : headers_) {
    std::string json = "{";
    size_t c = 0;
    for (auto [name, spec] : header.column_specs) {
      const ColumnHeader& column = header.columns[c++];
      const EnumTypeDef* type = column.enum_type >= 0 ? enums_[column.enum_type].get() : nullptr;
      if (json.size() > 1) json.push_back(',');
      values::AppendJsonString(name, &json);
      json.push_back(':');
      SF_RETURN_IF_ERROR(RewriteEnumSpec(header, spec, header.path + ".columns." + column.name,
                                         type, column, &json));
    }
    header.columns_json = json + "}";
  }
  return Status::Ok();
}

Status Compiler::CheckCaseKeys(const TableHeader& header, dom::object spec,
                               const std::string& path) const {
  std::string_view gen, on;
  if (spec.at_key("gen").get_string().get(gen) || gen != "case" ||
      spec.at_key("on").get_string().get(on)) {
    return Status::Ok();
  }
  for (const ColumnHeader& target : header.columns) {
    if (target.name != on || target.enum_type < 0 || target.type.array) continue;
    const EnumTypeDef& type = *enums_[target.enum_type];
    dom::object cases;
    if (spec.at_key("cases").get_object().get(cases)) return Status::Ok();
    for (auto [label, branch] : cases) {
      if (!IsLabel(type, label)) {
        return Error(path + ".cases." + std::string(label), NotALabel(label, type));
      }
    }
  }
  return Status::Ok();
}

Status Compiler::CheckNestedCases(const TableHeader& header, dom::element spec,
                                  const std::string& path) const {
  dom::object object;
  dom::array array;
  if (spec.get_object().get(object) == simdjson::SUCCESS) {
    SF_RETURN_IF_ERROR(CheckCaseKeys(header, object, path));
    for (auto [key, member] : object) {
      SF_RETURN_IF_ERROR(CheckNestedCases(header, member, path + "." + std::string(key)));
    }
  } else if (spec.get_array().get(array) == simdjson::SUCCESS) {
    size_t i = 0;
    for (dom::element item : array) {
      SF_RETURN_IF_ERROR(CheckNestedCases(header, item, path + "[" + std::to_string(i++) + "]"));
    }
  }
  return Status::Ok();
}

bool Compiler::LooksUpEnum(const TableHeader& header, dom::object spec,
                           const EnumTypeDef* type) const {
  std::string_view via, name;
  if (spec.at_key("via").get_string().get(via) || spec.at_key("column").get_string().get(name)) {
    return false;
  }
  for (const ForeignColumn& f : header.foreign) {
    if (f.column != via || f.target < 0) continue;
    for (const ColumnHeader& target : headers_[f.target].columns) {
      if (target.name == name) {
        return target.enum_type >= 0 && enums_[target.enum_type].get() == type;
      }
    }
  }
  return false;
}

Status Compiler::RewriteEnumSpec(const TableHeader& header, dom::element spec,
                                 const std::string& path, const EnumTypeDef* type,
                                 const ColumnHeader& column, std::string* out) const {
  if (type == nullptr) {
    SF_RETURN_IF_ERROR(CheckNestedCases(header, spec, path));
    *out += simdjson::minify(spec);
    return Status::Ok();
  }
  dom::object object;
  if (spec.get_object().get(object)) {
    *out += simdjson::minify(spec);  // the values compiler says what is wrong
    return Status::Ok();
  }
  SF_RETURN_IF_ERROR(CheckCaseKeys(header, object, path));
  std::string_view gen;
  if (object.at_key("gen").get_string().get(gen)) {
    *out += simdjson::minify(spec);
    return Status::Ok();
  }
  if (gen == "choice" || gen == "cycle") {
    dom::element values;
    if (object.at_key("values").get(values) != simdjson::SUCCESS) {
      // Over the labels, in their order.
      *out += "{\"values\":[";
      for (size_t i = 0; i < type->labels.size(); ++i) {
        if (i > 0) out->push_back(',');
        values::AppendJsonString(type->labels[i], out);
      }
      out->push_back(']');
      for (auto [key, member] : object) {
        out->push_back(',');
        values::AppendJsonString(key, out);
        out->push_back(':');
        *out += simdjson::minify(member);
      }
      out->push_back('}');
      return Status::Ok();
    }
    dom::array array;
    if (values.get_array().get(array) == simdjson::SUCCESS) {
      size_t i = 0;
      for (dom::element item : array) {
        std::string_view text;
        if (item.get_string().get(text) == simdjson::SUCCESS && !IsLabel(*type, text)) {
          return Error(path + ".values[" + std::to_string(i) + "]", NotALabel(text, *type));
        }
        ++i;
      }
    }
    *out += simdjson::minify(spec);
    return Status::Ok();
  }
  if (gen == "const") {
    std::string_view text;
    if (object.at_key("value").get_string().get(text) == simdjson::SUCCESS &&
        !IsLabel(*type, text)) {
      return Error(path + ".value", NotALabel(text, *type));
    }
    *out += simdjson::minify(spec);
    return Status::Ok();
  }
  if (gen == "null" || (gen == "lookup" && LooksUpEnum(header, object, type))) {
    *out += simdjson::minify(spec);
    return Status::Ok();
  }
  if (gen != "case" && gen != "array") {
    return Error(path + ".gen", "column " + column.name + " is of enum type " +
                                    type->QualifiedName() + ": generator '" + std::string(gen) +
                                    "' may write text that is not a label; use choice (over the "
                                    "labels when it has no \"values\"), cycle, const, case, or a "
                                    "lookup of a column of that type");
  }
  // case and array: their nested specs are values of the column (an array's elements).
  out->push_back('{');
  bool first = true;
  for (auto [key, member] : object) {
    if (!first) out->push_back(',');
    first = false;
    values::AppendJsonString(key, out);
    out->push_back(':');
    dom::object branches;
    if (gen == "case" && key == "cases" && member.get_object().get(branches) == simdjson::SUCCESS) {
      out->push_back('{');
      bool first_branch = true;
      for (auto [label, branch] : branches) {
        if (!first_branch) out->push_back(',');
        first_branch = false;
        values::AppendJsonString(label, out);
        out->push_back(':');
        SF_RETURN_IF_ERROR(RewriteEnumSpec(header, branch, path + ".cases." + std::string(label),
                                           type, column, out));
      }
      out->push_back('}');
    } else if ((gen == "case" && key == "else") || (gen == "array" && key == "of")) {
      SF_RETURN_IF_ERROR(
          RewriteEnumSpec(header, member, path + "." + std::string(key), type, column, out));
    } else {
      *out += simdjson::minify(member);
    }
  }
  out->push_back('}');
  return Status::Ok();
}

Status Compiler::ReadHeaders(dom::object tables) {
  for (auto [key, value] : tables) {
    TableHeader header;
    header.key = std::string(key);
    header.path = "$.tables." + header.key;
    for (const TableHeader& other : headers_) {
      if (other.key == header.key) return Error(header.path, "duplicate table");
    }
    std::string error;
    header.name = TableName(key, &error);
    if (!error.empty()) return Error(header.path, error);
    for (const TableHeader& other : headers_) {
      if (other.name == header.name) {
        return Error(header.path, "table " + other.key + " has the same name");
      }
    }
    SF_RETURN_IF_ERROR(ReadTable(key, value, &header));
    headers_.push_back(std::move(header));
  }
  if (headers_.empty()) return Error("$.tables", "declare at least one table");
  // Resolve references by key.
  auto find = [&](const std::string& key) {
    for (size_t i = 0; i < headers_.size(); ++i) {
      if (headers_[i].key == key) return static_cast<int>(i);
    }
    return -1;
  };
  auto known = [&]() {
    std::string names;
    for (const TableHeader& h : headers_) names += (names.empty() ? "" : ", ") + h.key;
    return names;
  };
  for (size_t t = 0; t < headers_.size(); ++t) {
    TableHeader& header = headers_[t];
    if (!header.per_key.empty()) {
      header.per = find(header.per_key);
      if (header.per < 0) {
        return Error(header.path + ".rows.per",
                     "unknown table '" + header.per_key + "' (declared: " + known() + ")");
      }
      if (header.per == static_cast<int>(t)) {
        return Error(header.path + ".rows.per", "a table cannot be per-parent of itself");
      }
    }
    for (size_t f = 0; f < header.foreign.size(); ++f) {
      ForeignColumn& column = header.foreign[f];
      if (column.parent) {
        if (header.per < 0) {
          return Error(column.path + ".gen",
                       "'parent' is for a per-parent table (\"rows\": {\"per\": ...})");
        }
        column.target = header.per;
        continue;
      }
      column.target = find(header.foreign_to[f]);
      if (column.target < 0) {
        return Error(column.path + (column.pair ? ".of" : ".to"),
                     "unknown table '" + header.foreign_to[f] + "' (declared: " + known() + ")");
      }
    }
  }
  return Status::Ok();
}

Status Compiler::ReadTable(std::string_view key, dom::element value, TableHeader* header) {
  (void)key;
  dom::object table;
  if (value.get_object().get(table)) {
    return Error(header->path, "expected an object with \"rows\" and \"columns\"");
  }
  dom::element columns, primary_key;
  bool has_rows = false, has_columns = false, has_primary_key = false;
  for (auto [name, member] : table) {
    const std::string path = header->path + "." + std::string(name);
    if (name == "rows") {
      has_rows = true;
      int64_t rows = 0;
      dom::object per;
      if (member.get_int64().get(rows) == simdjson::SUCCESS) {
        if (rows < 0) return Error(path, "expected a row count >= 0");
        header->rows = rows;
      } else if (member.get_object().get(per) == simdjson::SUCCESS) {
        std::string_view per_key;
        if (per.at_key("per").get_string().get(per_key)) {
          return Error(path + ".per", "expected the name of the parent table");
        }
        header->per_key = std::string(per_key);
        for (auto [bound, number] : per) {
          if (bound == "per") continue;
          int64_t n = 0;
          if (bound != "min" && bound != "max") {
            return Error(path + "." + std::string(bound),
                         "unknown key (expected one of: per, min, max)");
          }
          if (number.get_int64().get(n) || n < 0 || n > 1'000'000) {
            return Error(path + "." + std::string(bound), "expected an integer in [0, 1000000]");
          }
          (bound == "min" ? header->per_min : header->per_max) = n;
        }
        if (per.at_key("min").error() || per.at_key("max").error()) {
          return Error(path, "a per-parent count needs \"min\" and \"max\"");
        }
        if (header->per_min > header->per_max) return Error(path, "\"min\" exceeds \"max\"");
      } else {
        return Error(path,
                     "expected a row count or {\"per\": <table>, \"min\": <n>, \"max\": <n>}");
      }
    } else if (name == "columns") {
      has_columns = true;
      columns = member;
    } else if (name == "schema") {
      std::string_view schema;
      if (member.get_string().get(schema) || schema.empty()) {
        return Error(path, "expected a schema name");
      }
      header->schema = std::string(schema);
    } else if (name == "primary_key") {
      primary_key = member;
      has_primary_key = true;
    } else if (name == "unique") {
      header->unique = member;
      header->has_unique = true;
    } else if (name == "indexes") {
      header->indexes = member;
      header->has_indexes = true;
    } else if (name == "checks") {
      header->checks = member;
      header->has_checks = true;
    } else {
      return Error(path,
                   "unknown key (expected one of: rows, columns, schema, primary_key, unique, "
                   "indexes, checks)");
    }
  }
  if (!has_rows) return Error(header->path, "missing \"rows\"");
  if (!has_columns) return Error(header->path, "missing \"columns\"");
  dom::object column_object;
  if (columns.get_object().get(column_object) || column_object.size() == 0) {
    return Error(header->path + ".columns", "expected an object of column specs");
  }
  header->columns_json = simdjson::minify(columns);
  header->column_specs = column_object;
  if (has_primary_key) header->primary_key.emplace();  // ReadColumn sees there is no id
  bool first = true;
  for (auto [name, spec] : column_object) {
    SF_RETURN_IF_ERROR(ReadColumn(header, name, spec, first));
    first = false;
  }
  if (!has_primary_key) return Status::Ok();
  const std::string path = header->path + ".primary_key";
  dom::array names;
  if (primary_key.get_array().get(names)) {
    return Error(path, "expected a list of column names (the table's key; [] for none)");
  }
  for (dom::element name : names) {
    std::string_view text;
    if (name.get_string().get(text)) return Error(path, "expected column names");
    const auto found = std::find_if(header->columns.begin(), header->columns.end(),
                                    [&](const ColumnHeader& c) { return c.name == text; });
    if (found == header->columns.end() || found->type_text.empty()) {
      return Error(path,
                   "unknown column '" + std::string(text) + "'" +
                       (found == header->columns.end() ? "" : " (a helper column, not written)"));
    }
    if (std::find(header->primary_key->begin(), header->primary_key->end(), text) !=
        header->primary_key->end()) {
      return Error(path, "column '" + std::string(text) + "' is listed twice");
    }
    header->primary_key->emplace_back(text);
  }
  return Status::Ok();
}

// The ref branches of a case column (path `path`, spec `object`): their paths and the first
// one's spec (its `to` and key options are the column's). Every branch is a ref to one table, or
// null; a ref branch has no self-reference options. No ref branch: `paths` stays empty.
Status Compiler::ReadRefBranches(const std::string& path, dom::object object,
                                 dom::object* first_ref, std::vector<std::string>* paths) const {
  std::vector<std::pair<std::string, dom::object>> branches;
  dom::object cases;
  if (object.at_key("cases").get_object().get(cases) == simdjson::SUCCESS) {
    for (auto [label, branch] : cases) {
      dom::object branch_object;
      if (branch.get_object().get(branch_object) == simdjson::SUCCESS) {
        branches.emplace_back(path + ".cases." + std::string(label), branch_object);
      }
    }
  }
  dom::object otherwise;
  if (object.at_key("else").get_object().get(otherwise) == simdjson::SUCCESS) {
    branches.emplace_back(path + ".else", otherwise);
  }
  auto gen_of = [](dom::object branch) {
    std::string_view gen;
    if (branch.at_key("gen").get_string().get(gen) != simdjson::SUCCESS) return std::string_view();
    return gen;
  };
  std::string_view to;
  std::string first_path;
  for (const auto& [branch_path, branch] : branches) {
    if (gen_of(branch) != "ref") continue;
    std::string_view branch_to;
    if (branch.at_key("to").get_string().get(branch_to)) {
      return Error(branch_path + ".to", "expected the name of the referenced table");
    }
    for (const char* key : {"earlier", "same", "within", "distinct"}) {
      if (branch.at_key(key).error() == simdjson::SUCCESS) {
        return Error(branch_path + "." + key,
                     "'" + std::string(key) + "' is for a column's own ref, not a case branch");
      }
    }
    if (paths->empty()) {
      to = branch_to;
      first_path = branch_path;
      *first_ref = branch;
    } else if (branch_to != to) {
      return Error(branch_path + ".to", "the ref branches of a case refer to one table ('" +
                                            std::string(to) + "' in " + first_path + ")");
    } else {
      for (const char* key : {"deferrable", "on_delete"}) {
        if (MinifiedMember(branch, key) != MinifiedMember(*first_ref, key)) {
          return Error(branch_path + "." + key,
                       "the ref branches of a case share their key options; give '" +
                           std::string(key) + "' as in " + first_path);
        }
      }
    }
    paths->push_back(branch_path);
  }
  if (paths->empty()) return Status::Ok();
  for (const auto& [branch_path, branch] : branches) {
    const std::string_view gen = gen_of(branch);
    if (gen != "ref" && gen != "null") {
      return Error(branch_path + ".gen",
                   "a case with ref branches has only ref and null branches, not '" +
                       std::string(gen) + "'");
    }
  }
  return Status::Ok();
}

Status Compiler::ReadColumn(TableHeader* header, std::string_view name, dom::element spec,
                            bool first) {
  const std::string path = header->path + ".columns." + std::string(name);
  ColumnHeader column;
  column.name = std::string(name);
  dom::object object;
  if (spec.get_object().get(object)) {
    return Error(path, "expected a generator spec, an object with \"gen\"");
  }
  std::string_view text;
  if (object.at_key("gen").get_string().get(text) == simdjson::SUCCESS) column.gen = text;
  if (column.gen == "lookup") {
    if (object.at_key("via").get_string().get(text) == simdjson::SUCCESS) column.lookup_via = text;
    if (object.at_key("column").get_string().get(text) == simdjson::SUCCESS) {
      column.lookup_column = text;
    }
  }
  dom::element member;
  if (object.at_key("type").get(member) == simdjson::SUCCESS) {
    if (member.get_string().get(text)) return Error(path + ".type", "expected an SQL type");
    column.type_text = std::string(text);
    auto type = ParseSqlType(text);
    if (!type.ok()) return Error(path + ".type", type.status().message());
    column.type = *type;
    for (size_t e = 0; e < enums_.size() && type->kind == SqlTypeKind::kEnum; ++e) {
      if (enums_[e]->schema == type->enum_schema && enums_[e]->name == type->enum_name) {
        column.enum_type = static_cast<int>(e);
      }
    }
  }
  if (object.at_key("nullable").get(member) == simdjson::SUCCESS) {
    bool nullable = false;
    if (member.get_bool().get(nullable)) return Error(path + ".nullable", "expected true or false");
    column.nullable = nullable;
  }
  if (first && !header->primary_key.has_value()) {
    int64_t number = 1;
    const bool integer_id =
        column.gen == "id" && !column.type_text.empty() && !column.type.array &&
        (IntegerRangeOf(column.type).has_value() || column.type.kind == SqlTypeKind::kUuid) &&
        !column.type.serial &&
        (object.at_key("start").get_int64().get(number) != simdjson::SUCCESS || number == 1) &&
        (object.at_key("step").get_int64().get(number) != simdjson::SUCCESS || number == 1) &&
        object.at_key("null_rate").error() != simdjson::SUCCESS;
    if (!integer_id) {
      return Error(path,
                   "the first column must be the id: an integer or a uuid with \"gen\": \"id\" "
                   "(or give the table a \"primary_key\" of its own columns, [] for none)");
    }
  }
  // A case whose branches are refs to one table (or null) is a reference column too: the
  // ref branches are compiled as such (TopLevel in declared_generators.cc finds their paths).
  dom::object ref_spec = object;
  std::vector<std::string> branch_paths;
  if (column.gen == "case") {
    SF_RETURN_IF_ERROR(ReadRefBranches(path, object, &ref_spec, &branch_paths));
    if (!branch_paths.empty()) column.reference_case = true;
  }
  if (column.gen == "ref" || column.gen == "parent" || column.gen == "pair" ||
      column.reference_case) {
    object = ref_spec;
    ForeignColumn foreign;
    foreign.column = column.name;
    foreign.path = path;
    foreign.branch_paths = std::move(branch_paths);
    foreign.parent = column.gen == "parent";
    foreign.pair = column.gen == "pair";
    std::string to;
    if (!foreign.parent) {
      const char* key = foreign.pair ? "of" : "to";
      if (object.at_key(key).get_string().get(text)) {
        return Error(path + "." + key, "expected the name of the referenced table");
      }
      to = std::string(text);
    }
    if (foreign.pair && object.at_key("part").get_string().get(text) == simdjson::SUCCESS) {
      foreign.pair_second = text == "second";
    }
    bool scramble = true;
    if (foreign.pair && object.at_key("scramble").get_bool().get(scramble) == simdjson::SUCCESS) {
      foreign.pair_plain = !scramble;
    }
    bool flag = false;
    if (object.at_key("earlier").get_bool().get(flag) == simdjson::SUCCESS) foreign.earlier = flag;
    if (object.at_key("distinct").get_bool().get(flag) == simdjson::SUCCESS)
      foreign.distinct = flag;
    dom::element key;
    if (object.at_key("foreign_key").get(key) == simdjson::SUCCESS) {
      dom::object pairs;
      if (key.get_object().get(pairs) || pairs.size() < 2) {
        return Error(path + ".foreign_key",
                     "expected an object of this table's columns to the referenced table's, in "
                     "key order, e.g. {\"tenant_id\": \"tenant_id\", \"" +
                         column.name + "\": \"id\"}");
      }
      for (auto [mine, theirs] : pairs) {
        if (theirs.get_string().get(text)) {
          return Error(path + ".foreign_key." + std::string(mine),
                       "expected a column of the referenced table");
        }
        foreign.key.emplace_back(std::string(mine), std::string(text));
      }
    }
    if (object.at_key("same").get_string().get(text) == simdjson::SUCCESS) foreign.same = true;
    if (object.at_key("deferrable").get_bool().get(flag) == simdjson::SUCCESS) {
      foreign.deferrable = flag;
    }
    if (object.at_key("on_delete").get_string().get(text) == simdjson::SUCCESS) {
      foreign.on_delete = std::string(text);
    }
    const bool can_be_null =
        column.nullable.value_or(false) || object.at_key("null_rate").error() == simdjson::SUCCESS;
    bool breaks_cycle = false;  // said outright: a NOT NULL key taken down during the load
    if (object.at_key("breaks_cycle").get_bool().get(flag) == simdjson::SUCCESS) {
      breaks_cycle = flag;
    }
    foreign.can_break_cycle = column.gen == "ref" && !column.reference_case &&
                              object.at_key("via").error() != simdjson::SUCCESS &&
                              (foreign.deferrable || can_be_null || breaks_cycle);
    for (const ForeignColumn& other : header->foreign) {
      if (other.parent && foreign.parent) {
        return Error(path + ".gen", "a table has one 'parent' column (" + other.column + ")");
      }
    }
    header->foreign.push_back(std::move(foreign));
    header->foreign_to.push_back(std::move(to));
  }
  header->columns.push_back(std::move(column));
  return Status::Ok();
}

Status Compiler::Sort() {
  const size_t n = headers_.size();
  std::vector<std::vector<int>> needs(n);  // the other tables each table refers to
  for (size_t t = 0; t < n; ++t) {
    // A per-parent table follows its parent even without a parent column: its count does.
    if (headers_[t].per >= 0) needs[t].push_back(headers_[t].per);
    for (const ForeignColumn& column : headers_[t].foreign) {
      if (column.target != static_cast<int>(t)) needs[t].push_back(column.target);
    }
  }
  // Table t may come before p when every reference of t to p can point at a later table.
  auto can_break = [&](int t, int p) {
    const TableHeader& header = headers_[static_cast<size_t>(t)];
    return header.per != p &&
           std::all_of(header.foreign.begin(), header.foreign.end(),
                       [&](const ForeignColumn& c) { return c.target != p || c.can_break_cycle; });
  };
  std::vector<int> order;
  std::vector<bool> done(n, false);
  while (order.size() < n) {
    bool progressed = false;
    for (size_t t = 0; t < n && !progressed; ++t) {
      if (done[t]) continue;
      if (!std::all_of(needs[t].begin(), needs[t].end(), [&](int p) { return done[p]; })) continue;
      done[t] = true;
      order.push_back(static_cast<int>(t));
      progressed = true;
    }
    if (progressed) continue;
    // A cycle: walk from the first remaining table along references to remaining tables, then
    // break it at its first reference that can point at a later table (the table it starts
    // from loads first), or report it.
    std::vector<int> path, position(n, -1);
    int table = static_cast<int>(std::find(done.begin(), done.end(), false) - done.begin());
    while (position[table] < 0) {
      position[table] = static_cast<int>(path.size());
      path.push_back(table);
      for (int p : needs[table]) {
        if (!done[p]) {
          table = p;
          break;
        }
      }
    }
    path.push_back(table);
    const size_t start = static_cast<size_t>(position[table]);
    bool broken = false;
    for (size_t i = start; i + 1 < path.size() && !broken; ++i) {
      if (!can_break(path[i], path[i + 1])) continue;
      std::erase(needs[static_cast<size_t>(path[i])], path[i + 1]);
      broken = true;
    }
    if (broken) continue;
    std::string cycle;
    for (size_t i = start; i < path.size(); ++i) {
      cycle += (i == start ? "" : " -> ") + headers_[path[i]].key;
    }
    return Error("$.tables", "tables refer to each other in a cycle: " + cycle +
                                 "; give one of these refs \"deferrable\": true, a \"null_rate\" "
                                 "(or \"nullable\": true) or \"breaks_cycle\": true so that it "
                                 "may point at a table loaded after its own");
  }
  std::vector<int> model_index(n);
  for (size_t i = 0; i < n; ++i) model_index[order[i]] = static_cast<int>(i);
  std::vector<TableHeader> sorted;
  for (int t : order) {
    TableHeader header = std::move(headers_[t]);
    if (header.per >= 0) header.per = model_index[header.per];
    for (ForeignColumn& column : header.foreign) {
      column.target = model_index[column.target];
      column.forward = column.target > static_cast<int>(sorted.size());
    }
    sorted.push_back(std::move(header));
  }
  headers_ = std::move(sorted);
  return Status::Ok();
}

StatusOr<std::vector<std::shared_ptr<const values::RowProgram>>> Compiler::CompilePrograms(
    const DeclareOptions& options, std::vector<TableSetup>* setups) const {
  setups->clear();
  for (const TableHeader& header : headers_) {
    TableSetup setup;
    setup.key = header.key;
    setup.name = header.name;
    setup.per = header.per;
    setup.per_min = header.per_min;
    setup.per_max = header.per_max;
    setup.foreign = header.foreign;
    setups->push_back(std::move(setup));
  }
  std::vector<std::shared_ptr<const values::RowProgram>> programs;
  for (size_t t = 0; t < headers_.size(); ++t) {
    CompileContext context;
    context.tables = setups;
    context.current = static_cast<int>(t);
    values::internal::GeneratorRegistry registry;
    registry.factories = DeclaredFactories();
    registry.context = &context;
    values::CompileOptions compile;
    compile.seed = options.seed;
    compile.window_start_micros = options.window_start_micros;
    compile.window_end_micros = options.window_end_micros;
    compile.path = headers_[t].path + ".columns";
    compile.extra_generators = &registry;
    auto program = values::RowProgram::Compile(headers_[t].name, headers_[t].columns_json, compile);
    if (!program.ok()) return InvalidArgument(options.origin + ": " + program.status().message());
    programs.push_back(std::make_shared<const values::RowProgram>(std::move(program).value()));
    (*setups)[t].program = programs.back().get();
  }
  return programs;
}

std::string JoinUnderscore(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& column : columns) out += (out.empty() ? "" : "_") + column;
  return out;
}

// Reads [["a", "b"], ...] at `path`.
StatusOr<std::vector<std::vector<std::string>>> ReadColumnLists(const Compiler& compiler,
                                                                dom::element element,
                                                                const std::string& path,
                                                                const TableHeader& header) {
  std::vector<std::vector<std::string>> lists;
  dom::array outer;
  if (element.get_array().get(outer)) {
    return compiler.Error(path, "expected a list of column lists, e.g. [[\"a\", \"b\"]]");
  }
  size_t i = 0;
  for (dom::element list : outer) {
    const std::string list_path = path + "[" + std::to_string(i++) + "]";
    dom::array inner;
    if (list.get_array().get(inner) || inner.size() == 0) {
      return compiler.Error(list_path, "expected a non-empty list of column names");
    }
    std::vector<std::string> columns;
    for (dom::element name : inner) {
      std::string_view text;
      if (name.get_string().get(text)) return compiler.Error(list_path, "expected column names");
      const auto found = std::find_if(header.columns.begin(), header.columns.end(),
                                      [&](const ColumnHeader& c) { return c.name == text; });
      if (found == header.columns.end() || found->type_text.empty()) {
        return compiler.Error(
            list_path,
            "unknown column '" + std::string(text) + "'" +
                (found == header.columns.end() ? "" : " (a helper column, not written)"));
      }
      columns.emplace_back(text);
    }
    lists.push_back(std::move(columns));
  }
  return lists;
}

std::string Compiler::ChooseName(const TableHeader& header, std::string_view columns,
                                 std::string_view label) {
  for (int pass = 0;; ++pass) {
    const std::string name = declare::ObjectName(
        header.name, columns,
        pass == 0 ? std::string(label) : std::string(label) + std::to_string(pass));
    if (taken_names_.insert(header.schema + "." + name).second) return name;
  }
}

// A ref's "foreign_key" (f.key): the ref's own column to the target's id, every other column a
// lookup through the ref of the target's column it pairs with, so the key holds by construction.
// Fills the key's columns and the referenced ones, in key order.
Status Compiler::CheckCompositeKey(const TableHeader& header, const ForeignColumn& f,
                                   const TableDef& target, std::vector<std::string>* columns,
                                   std::vector<std::string>* referenced) const {
  const std::string path = f.path + ".foreign_key";
  columns->clear();
  referenced->clear();
  bool own = false;
  for (const auto& pair : f.key) {
    const std::string& mine = pair.first;  // not a structured binding: the lambda reads it
    const std::string& theirs = pair.second;
    const std::string at = path + "." + mine;
    if (mine == f.column) {
      if (theirs != target.columns[0].name) {
        return Error(at, "the ref's own column pairs with the id of " + target.name + ", '" +
                             target.columns[0].name + "'");
      }
      own = true;
    } else {
      if (f.forward || FindColumn(target, theirs) == nullptr) {
        return Error(at, "'" + theirs + "' is not a column of " + target.name +
                             (f.forward ? " loaded before this table" : ""));
      }
      const auto found = std::find_if(header.columns.begin(), header.columns.end(),
                                      [&](const ColumnHeader& c) { return c.name == mine; });
      if (found == header.columns.end() || found->type_text.empty() || found->gen != "lookup" ||
          found->lookup_via != f.column || found->lookup_column != theirs) {
        return Error(at, "column '" + mine + "' must be {\"gen\": \"lookup\", \"via\": \"" +
                             f.column + "\", \"column\": \"" + theirs +
                             "\"} with a \"type\", so that the key holds");
      }
    }
    columns->push_back(mine);
    referenced->push_back(theirs);
  }
  if (!own) return Error(path, "the key must hold the ref's own column '" + f.column + "'");
  return Status::Ok();
}

// The table (model index) the reference column `column` of `header` refers to; -1 for none.
int ForeignTarget(const TableHeader& header, const std::string& column) {
  for (const ForeignColumn& foreign : header.foreign) {
    if (foreign.column == column) return foreign.target;
  }
  return -1;
}

Status Compiler::BuildTables(
    const std::vector<std::shared_ptr<const values::RowProgram>>& programs) {
  for (const TableHeader& header : headers_) taken_names_.insert(header.schema + "." + header.name);
  for (size_t t = 0; t < headers_.size(); ++t) {
    const TableHeader& header = headers_[t];
    const values::RowProgram& program = *programs[t];
    TableDef def;
    def.schema = header.schema;
    def.name = header.name;
    // A table with a "primary_key" of its own columns has no id: its rows are numbered, not
    // written with their number.
    const bool has_id = !header.primary_key.has_value();
    def.without_id = !has_id;
    std::vector<ColumnWriter> writers;
    std::vector<ColumnValues> values;
    std::vector<ConstraintDef> uniques, foreigns;
    for (size_t c = 0; c < header.columns.size(); ++c) {
      const ColumnHeader& column = header.columns[c];
      const std::string path = header.path + ".columns." + column.name;
      if (column.type_text.empty()) {
        if (column.nullable.has_value() || program.unique(c)) {
          return Error(path, "a helper column (without \"type\") is not written: \"" +
                                 std::string(column.nullable ? "nullable" : "unique") +
                                 "\" needs a \"type\"");
        }
        continue;
      }
      const GeneratorInfo& info = program.info(c);
      ColumnWriter writer;
      writer.column = static_cast<int>(c);
      writer.array = column.type.array;
      const bool bounded_ids = column.gen == "id" || column.gen == "ref" ||
                               column.gen == "parent" || column.gen == "pair" ||
                               column.reference_case;
      // The table whose ids the column holds: a uuid column holds them as UuidOfId.
      const int ids_of = !bounded_ids       ? -1
                         : c == 0 && has_id ? static_cast<int>(t)
                                            : ForeignTarget(header, column.name);
      if (ids_of >= 0 && headers_[ids_of].primary_key.has_value()) {
        return Error(path, "column " + column.name + " refers to " + headers_[ids_of].key +
                               ", which has no id (its \"primary_key\" is its own columns); a "
                               "reference needs the id of the table it refers to");
      }
      const bool uuid_ids =
          ids_of >= 0 && headers_[ids_of].columns[0].type.kind == SqlTypeKind::kUuid;
      if (ids_of >= 0 && !column.type.array &&
          uuid_ids != (column.type.kind == SqlTypeKind::kUuid)) {
        return Error(path, "column " + column.name + " is " + column.type_text +
                               ", but the ids of " + headers_[ids_of].key + " are " +
                               headers_[ids_of].columns[0].type_text);
      }
      if (info.kind == ValueKind::kNull) {
        writer.write = WriteInt64;  // never called: every value is NULL
      } else if (uuid_ids && !column.type.array && info.kind == ValueKind::kInteger) {
        writer.write = WriteUuidId;
        writer.param = static_cast<int64_t>(UuidIdKey(headers_[ids_of].name));
      } else {
        std::string reason;
        int scale = 0;
        if (column.type.array) {
          reason = info.kind != ValueKind::kArray
                       ? "writes " + KindText(info.kind)
                       : ChooseWriter(ElementType(column.type), info.element_kind,
                                      info.element != nullptr ? *info.element : GeneratorInfo{},
                                      false, &writer.write, &scale);
        } else {
          reason = ChooseWriter(column.type, info.kind, info, bounded_ids, &writer.write, &scale);
        }
        writer.param = scale;
        if (!reason.empty()) {
          return Error(path, "column " + column.name + " is " + column.type_text + ", generator '" +
                                 column.gen + "' " + reason);
        }
      }
      bool not_null = !info.can_be_null;
      if (column.nullable.has_value()) {
        if (!*column.nullable && info.can_be_null) {
          return Error(path + ".nullable", "column " + column.name +
                                               " is declared NOT NULL but generator '" +
                                               column.gen + "' can write NULL");
        }
        not_null = !*column.nullable;
      }
      if (c == 0 && has_id && uuid_ids) {
        // Rows seedforge does not generate (fixtures, the application's) get random UUIDs.
        ColumnDef id = declare::Column(column.name, "uuid", true);
        id.default_expr = "gen_random_uuid()";
        def.columns.push_back(std::move(id));
      } else if (c == 0 && has_id) {
        ChooseName(header, column.name, "seq");  // the identity's sequence is a relation too
        ColumnDef id = declare::IdentityColumn(column.name);
        id.type = FormatSqlType(column.type);
        def.columns.push_back(std::move(id));
      } else {
        def.columns.push_back(declare::Column(column.name, FormatSqlType(column.type), not_null));
      }
      writers.push_back(writer);
      values.push_back(DescribeValues(column.type, info, bounded_ids, column.gen));
      if (program.unique(c) && (c > 0 || !has_id)) {
        uniques.push_back(
            declare::UniqueKey(ChooseName(header, column.name, "key"), {column.name}));
      }
    }
    // Whether a key of these columns holds by construction.
    std::string parent_column, index_column;
    for (const ForeignColumn& f : header.foreign) {
      if (f.parent) parent_column = f.column;
    }
    for (size_t c = 0; c < header.columns.size(); ++c) {
      if (header.columns[c].gen == "index_in_parent") index_column = header.columns[c].name;
    }
    auto holds = [&](const std::vector<std::string>& key) {
      for (const std::string& column : key) {
        const GeneratorInfo& info = program.info(program.FindColumn(column));
        if (info.injective_rows == values::kInjectiveForAllRows ||
            (info.injective_rows != values::kNotInjective && header.rows.has_value() &&
             static_cast<uint64_t>(*header.rows) <= info.injective_rows)) {
          return true;
        }
      }
      if (key.size() != 2) return false;
      auto is_pair_of = [&](const std::string& a, const std::string& b) {
        return !a.empty() && !b.empty() &&
               ((key[0] == a && key[1] == b) || (key[1] == a && key[0] == b));
      };
      if (is_pair_of(parent_column, index_column)) return true;
      // The two parts of one pair generator: distinct pairs by construction (UnrankPair).
      const ForeignColumn* pair_parts[2] = {nullptr, nullptr};
      for (const ForeignColumn& f : header.foreign) {
        for (size_t i = 0; i < 2; ++i) {
          if (f.pair && f.column == key[i]) pair_parts[i] = &f;
        }
        // The parent and a ref distinct under it (a post's tags).
        if (f.distinct && is_pair_of(parent_column, f.column)) return true;
      }
      return pair_parts[0] != nullptr && pair_parts[1] != nullptr &&
             pair_parts[0]->target == pair_parts[1]->target &&
             pair_parts[0]->pair_second != pair_parts[1]->pair_second &&
             pair_parts[0]->pair_plain == pair_parts[1]->pair_plain;
    };
    auto refuse = [&](const std::string& path, const std::string& what,
                      const std::vector<std::string>& key) {
      std::string list;
      for (const std::string& column : key) list += (list.empty() ? "" : ", ") + column;
      return Error(path, what + " (" + list +
                             ") has no column injective in the row; include a unique column "
                             "('id', 'scramble', 'uuid', a unique 'pattern' or 'template'), or "
                             "use (parent, index_in_parent) or (parent, a \"distinct\" ref) of a "
                             "per-parent table, or the first and second parts of a 'pair'");
    };
    if (header.primary_key.has_value()) {
      if (!header.primary_key->empty()) {
        const std::string name = ChooseName(header, "", "pkey");
        if (!holds(*header.primary_key)) {
          return refuse(header.path + ".primary_key", "primary key " + name, *header.primary_key);
        }
        def.constraints.push_back(declare::PrimaryKey(name, *header.primary_key));
      }
    } else {
      def.constraints.push_back(
          declare::PrimaryKey(ChooseName(header, "", "pkey"), {def.columns[0].name}));
    }
    for (ConstraintDef& key : uniques) def.constraints.push_back(std::move(key));
    if (header.has_unique) {
      SF_ASSIGN_OR_RETURN(auto keys,
                          ReadColumnLists(*this, header.unique, header.path + ".unique", header));
      for (size_t k = 0; k < keys.size(); ++k) {
        const std::vector<std::string>& key = keys[k];
        const std::string name = ChooseName(header, JoinUnderscore(key), "key");
        if (!holds(key)) {
          return refuse(header.path + ".unique[" + std::to_string(k) + "]", "unique key " + name,
                        key);
        }
        def.constraints.push_back(declare::UniqueKey(name, key));
      }
    }
    if (header.has_checks) {
      dom::object checks;
      if (header.checks.get_object().get(checks)) {
        return Error(header.path + ".checks", "expected an object of name: SQL expression");
      }
      for (auto [name, expression] : checks) {
        std::string_view text;
        if (expression.get_string().get(text) || text.empty()) {
          return Error(header.path + ".checks." + std::string(name), "expected an SQL expression");
        }
        if (name.empty() || name.size() > 63) {
          return Error(header.path + ".checks." + std::string(name),
                       "a constraint name has 1 to 63 bytes");
        }
        taken_names_.insert(header.schema + "." + std::string(name));
        def.constraints.push_back(declare::Check(std::string(name), text));
      }
    }
    for (const ForeignColumn& f : header.foreign) {
      TableDef later;  // a forward ref's table, built after this one: its name and id suffice
      if (f.forward) {
        const TableHeader& referenced = headers_[static_cast<size_t>(f.target)];
        later.schema = referenced.schema;
        later.name = referenced.name;
        later.columns.push_back(declare::Column(referenced.columns[0].name, "bigint", true));
      }
      const TableDef& target =
          f.forward ? later : (f.target == static_cast<int>(t) ? def : defs_[f.target]);
      std::string options;
      if (!f.on_delete.empty()) {
        std::string upper = f.on_delete;
        for (char& ch : upper) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
        options = "ON DELETE " + upper;
      }
      if (f.deferrable)
        options += std::string(options.empty() ? "" : " ") + "DEFERRABLE INITIALLY DEFERRED";
      std::vector<std::string> columns = {f.column}, referenced = {target.columns[0].name};
      if (!f.key.empty()) {
        SF_RETURN_IF_ERROR(CheckCompositeKey(header, f, target, &columns, &referenced));
      }
      def.constraints.push_back(
          declare::ForeignKey(ChooseName(header, JoinUnderscore(columns), "fkey"), columns, target,
                              referenced, options));
    }
    if (header.has_indexes) {
      SF_ASSIGN_OR_RETURN(auto lists,
                          ReadColumnLists(*this, header.indexes, header.path + ".indexes", header));
      for (const std::vector<std::string>& columns : lists) {
        def.indexes.push_back(
            declare::Index(def, ChooseName(header, JoinUnderscore(columns), "idx"), columns));
      }
    }
    defs_.push_back(std::move(def));
    writers_.push_back(std::move(writers));
    values_.push_back(std::move(values));
  }
  return Status::Ok();
}

// --- The model and its generators ------------------------------------------------------------

struct ModelData {
  DeclareOptions options;
  std::vector<TableHeader> headers;  // model order (dom elements are not kept valid: unused)
  std::vector<TableSchema> schemas;
  std::vector<std::vector<ColumnWriter>> writers;  // per table, typed columns in schema order
  std::vector<std::shared_ptr<const values::RowProgram>> programs;
  std::vector<uint64_t> count_keys;  // per-parent tables: the key of the per-parent counts
  std::string canonical;
  // For recompiling with another seed or window: a compiler holding the headers.
  std::unique_ptr<Compiler> compiler;
};

// The tables' JSON as the fingerprint sees it: minified, without each table's numeric "rows". A
// target is not a generation setting (a top-up raises it, in the file as with --rows); a
// {"per": ...} layout is, and stays.
std::string CanonicalTables(dom::object tables) {
  std::string text = "{";
  for (auto [name, table] : tables) {
    if (text.size() > 1) text += ',';
    values::AppendJsonString(name, &text);
    text += ':';
    dom::object fields;
    if (table.get_object().get(fields)) {
      text += simdjson::minify(table);
      continue;
    }
    text += '{';
    bool first = true;
    for (auto [key, value] : fields) {
      if (key == "rows" && value.is_int64()) continue;
      if (!first) text += ',';
      first = false;
      values::AppendJsonString(key, &text);
      text += ':';
      text += simdjson::minify(value);
    }
    text += '}';
  }
  return text + "}";
}

uint64_t CountKey(uint64_t seed, std::string_view table) {
  return values::HashName(values::ColumnStreamKey(seed, table, ""), "rows per parent");
}

class DeclaredTableGenerator final : public TableGenerator {
 public:
  // Keeps the model's data alive: a generator may outlive the model that made it.
  DeclaredTableGenerator(std::shared_ptr<const Runtime> runtime,
                         std::shared_ptr<const ModelData> data, int table)
      : runtime_(std::move(runtime)),
        data_(std::move(data)),
        table_(table),
        program_(runtime_->programs[table].get()),
        writers_(data_->writers[table]) {}

  const TableSchema& schema() const override { return data_->schemas[table_]; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    RowEnv env(runtime_.get(), table_);
    values::RowScratch scratch = program_->NewScratch();
    scratch.set_user(&env);
    for (int64_t row = begin; row < end; ++row) {
      env.SetRow(row);
      program_->ComputeRow(static_cast<uint64_t>(row), &scratch);
      out.BeginRow();
      for (const ColumnWriter& writer : writers_) {
        const Value& value = scratch[writer.column];
        if (value.is_null()) {
          out.Null();
        } else if (!writer.array) {
          writer.write(value, writer.param, out);
        } else {
          out.BeginArray();
          for (const Value& element : value.elements()) {
            if (element.is_null()) {
              out.Null();
            } else {
              writer.write(element, writer.param, out);
            }
          }
          out.EndArray();
        }
      }
      out.EndRow();
    }
  }

 private:
  std::shared_ptr<const Runtime> runtime_;
  std::shared_ptr<const ModelData> data_;
  int table_;
  const values::RowProgram* program_;
  const std::vector<ColumnWriter>& writers_;
};

class DeclaredModel final : public GenerationModel {
 public:
  explicit DeclaredModel(std::shared_ptr<const ModelData> data) : data_(std::move(data)) {}

  const std::vector<TableSchema>& schemas() const override { return data_->schemas; }

  std::optional<int64_t> DerivedCount(size_t table, uint64_t seed,
                                      std::span<const int64_t> final_counts) const override {
    const TableHeader& header = data_->headers[table];
    if (header.per < 0) return std::nullopt;
    ParentLayout layout;
    layout.count_key = CountKey(seed, header.name);
    layout.min = header.per_min;
    layout.max = header.per_max;
    const int64_t parents = final_counts[header.per];
    if (layout.min == layout.max) return parents * layout.min;
    int64_t total = 0;
    for (int64_t p = 0; p < parents; ++p) total += layout.CountOf(p);
    return total;
  }

  Status CheckCounts(std::span<const int64_t> final_counts) const override {
    for (size_t t = 0; t < data_->headers.size(); ++t) {
      const TableHeader& header = data_->headers[t];
      if (final_counts[t] <= 0) continue;
      const values::RowProgram& program = *data_->programs[t];
      for (const ForeignColumn& f : header.foreign) {
        if (f.target == static_cast<int>(t) || final_counts[f.target] > 0) continue;
        if (program.info(program.FindColumn(f.column)).can_be_null) continue;
        return InvalidArgument("table " + header.key + ": " + std::to_string(final_counts[t]) +
                               " rows need rows of " + data_->headers[f.target].key +
                               ", which has none");
      }
      for (const ForeignColumn& f : header.foreign) {
        if (!f.distinct || header.per_max <= final_counts[f.target]) continue;
        return InvalidArgument("table " + header.key + ": up to " + std::to_string(header.per_max) +
                               " rows per " + data_->headers[header.per].key +
                               " row need as many distinct " + data_->headers[f.target].key +
                               " rows (column " + f.column + "), but it has " +
                               std::to_string(final_counts[f.target]));
      }
      for (const ForeignColumn& f : header.foreign) {
        if (!f.pair) continue;
        const int64_t parents = final_counts[f.target];
        const int64_t pairs = PairCount(parents);
        if (final_counts[t] <= pairs) continue;
        return InvalidArgument("table " + header.key + ": " + std::to_string(final_counts[t]) +
                               " rows need as many distinct pairs of " +
                               data_->headers[f.target].key + " rows (column " + f.column +
                               "), but its " + std::to_string(parents) + " rows make only " +
                               std::to_string(pairs));
      }
    }
    return Status::Ok();
  }

  std::vector<std::unique_ptr<TableGenerator>> MakeGenerators(
      std::shared_ptr<const GenerationPlan> plan) const override {
    auto runtime = std::make_shared<Runtime>();
    runtime->plan = plan;
    const DeclareOptions& options = data_->options;
    if (plan->seed == options.seed && plan->window_start_micros == options.window_start_micros &&
        plan->window_end_micros == options.window_end_micros) {
      runtime->programs = data_->programs;
    } else {
      DeclareOptions changed = options;
      changed.seed = plan->seed;
      changed.window_start_micros = plan->window_start_micros;
      changed.window_end_micros = plan->window_end_micros;
      std::vector<TableSetup> setups;
      // The declaration compiled with these options before; only seed and window differ.
      runtime->programs = data_->compiler->CompilePrograms(changed, &setups).value();
    }
    runtime->layouts.resize(data_->headers.size());
    for (size_t t = 0; t < data_->headers.size(); ++t) {
      const TableHeader& header = data_->headers[t];
      if (header.per < 0) continue;
      ParentLayout layout;
      layout.parent_table = header.per;
      layout.count_key = CountKey(plan->seed, header.name);
      layout.min = header.per_min;
      layout.max = header.per_max;
      layout.Build(plan->row_counts[header.per]);
      runtime->layouts[t] = std::move(layout);
    }
    std::vector<std::unique_ptr<TableGenerator>> generators;
    for (size_t t = 0; t < data_->headers.size(); ++t) {
      std::unique_ptr<TableGenerator> inner =
          std::make_unique<DeclaredTableGenerator>(runtime, data_, static_cast<int>(t));
      generators.push_back(MakeMappedGenerator(std::move(inner), t, data_->schemas, plan));
    }
    return generators;
  }

  std::string CanonicalText() const override { return data_->canonical; }

 private:
  std::shared_ptr<const ModelData> data_;
};

}  // namespace
}  // namespace declared

StatusOr<DeclaredTables> CompileDeclaredTables(std::string_view tables_json,
                                               const DeclareOptions& options) {
  using namespace declared;
  auto data = std::make_unique<ModelData>();
  data->options = options;
  data->compiler = std::make_unique<Compiler>(data->options);
  Compiler& compiler = *data->compiler;
  // The parser must outlive the headers' DOM elements while compiling.
  dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(tables_json.data(), tables_json.size()).get(root); error) {
    return compiler.Error("$.tables",
                          std::string("malformed JSON (") + simdjson::error_message(error) + ")");
  }
  dom::object tables;
  if (root.get_object().get(tables)) return compiler.Error("$.tables", "expected an object");
  data->canonical = CanonicalTables(tables);
  SF_RETURN_IF_ERROR(compiler.ReadTypes(options.types_json));
  // The labels decide values (a choice over them): part of the canonical text when declared.
  if (!compiler.types_canonical_.empty())
    data->canonical += "\x1etypes:" + compiler.types_canonical_;
  SF_RETURN_IF_ERROR(compiler.ReadHeaders(tables));
  SF_RETURN_IF_ERROR(compiler.CheckEnumColumns());
  SF_RETURN_IF_ERROR(compiler.Sort());
  std::vector<TableSetup> setups;
  SF_ASSIGN_OR_RETURN(data->programs, compiler.CompilePrograms(options, &setups));
  SF_RETURN_IF_ERROR(compiler.BuildTables(data->programs));
  auto schemas = MakeTableSchemas(compiler.defs_);
  if (!schemas.ok()) return InvalidArgument(options.origin + ": " + schemas.status().message());
  data->schemas = std::move(schemas).value();
  for (size_t t = 0; t < data->schemas.size(); ++t) {
    TableSchema& schema = data->schemas[t];
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      ColumnSchema& column = schema.columns[c];
      for (const ColumnHeader& header : compiler.headers_[t].columns) {
        if (header.name == column.name && header.enum_type >= 0) {
          column.declared_enum = compiler.enums_[header.enum_type];
        }
      }
      const ColumnWriter& writer = compiler.writers_[t][c];
      if (writer.write == WriteUuidId) column.uuid_id_key = static_cast<uint64_t>(writer.param);
      column.writes = std::move(compiler.values_[t][c]);
      if (column.writes.kind != ColumnValues::Kind::kIds) continue;
      column.writes.ids_of = c == 0 ? schema.name : column.references;
      // A reference whose table the model cannot name keeps the declared type.
      if (column.writes.ids_of.empty()) column.writes.kind = ColumnValues::Kind::kAsDeclared;
    }
  }
  data->writers = std::move(compiler.writers_);
  DeclaredTables out;
  for (const TableHeader& header : compiler.headers_) {
    out.rows.push_back(header.per >= 0 ? std::nullopt : header.rows);
    data->count_keys.push_back(CountKey(options.seed, header.name));
  }
  data->headers = compiler.headers_;
  out.model = std::make_shared<DeclaredModel>(std::shared_ptr<const ModelData>(std::move(data)));
  return out;
}

}  // namespace seedforge
