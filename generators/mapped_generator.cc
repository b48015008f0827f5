// MakeMappedGenerator: rows of segments that do not number their ids from 1, and rows that must
// keep clear of unique values seedforge did not make (see GenerationSegment).
//
// The inner generator writes ids as index + 1. The wrapper sits between it and the real writer:
// the id column (column 0) and every single-column foreign key go through GenerationPlan::IdOf of
// the table they name (a uuid id through the id it holds, core/uuid_id.h); when some segment of the
// table reserves unique values, each row is recorded (every RowWriter call, arrays included), its
// unique keys are checked and moved if taken, and the row is replayed call by call. Tables without
// either never get wrapped, so the common case costs nothing.
//
// A key moves by its first text column (text, varchar, char): "-2" on that column makes the key
// differ whatever its other columns hold, so a key (name, tenant_id) moves like a key (name).
// The other columns are compared in the text the server prints for them (core/server_text.h),
// which is how the reserved values were read. A key without a text column (an integer, a uuid, a
// date, (parent, index_in_parent)) cannot move without breaking what its values mean (a step
// number, a range a CHECK bounds), so it is left as generated, and the engine refuses a run that
// would write such a key taken by another row before it writes anything (FindReservedCollision).
#include <algorithm>
#include <cassert>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/server_text.h"
#include "core/uuid_id.h"
#include "generators/generation_model.h"

namespace seedforge {
namespace {

// Columns a key may move by: text written as it is, not an enum (whose labels are fixed) nor an
// array.
bool MovableColumn(const ColumnSchema& column) {
  const SqlTypeKind kind = column.sql.kind;
  return !column.sql.array && (kind == SqlTypeKind::kText || kind == SqlTypeKind::kVarchar ||
                               kind == SqlTypeKind::kChar);
}

// Which table's ids a column holds: the table itself for column 0, the referenced table for a
// single-column foreign key; -1 for other columns and for tables whose ids are all index + 1.
std::vector<int> IdColumns(const TableSchema& schema, size_t table,
                           const std::vector<TableSchema>& schemas, const GenerationPlan& plan) {
  std::vector<int> mapped(schema.columns.size(), -1);
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    int target = c == 0 && schema.has_id ? static_cast<int>(table) : -1;
    if (target < 0 && !schema.columns[c].references.empty()) {
      for (size_t t = 0; t < schemas.size(); ++t) {
        if (schemas[t].name == schema.columns[c].references) target = static_cast<int>(t);
      }
    }
    if (target >= 0 && plan.MovesIds(static_cast<size_t>(target))) mapped[c] = target;
  }
  return mapped;
}

bool ReservesValues(size_t table, const GenerationPlan& plan) {
  if (table >= plan.history.size()) return false;
  for (const GenerationSegment& segment : plan.history[table]) {
    if (segment.reserved_keys != nullptr && !segment.reserved_keys->empty()) return true;
  }
  return false;
}

// One RowWriter call of a recorded row.
enum class Op : uint8_t {
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kNumeric,
  kMoney,
  kNumericText,
  kNumeric2,
  kDate,
  kTime,
  kLocalTimestamp,
  kTimestamp,
  kInterval,
  kUuid,
  kInet,
  kCidr,
  kInet4,
  kMacAddr,
  kBytea,
  kJson,
  kJsonText,
  kText,
  kBool,
  kNull,
  kBeginArray,
  kEndArray,
  kTsVector,
  kPoint,  // a: the bits of x, b: of y
  kBeginRange,
  kEndRange,
};

struct Call {
  Op op;
  int64_t a = 0;      // the value, the unscaled numeric, months << 32 | days, float bits
  int64_t b = 0;      // numeric scale, interval micros
  size_t offset = 0;  // bytes in the arena: text, JSON, numeric text, uuid, address, MAC, bytea
  size_t length = 0;
};

class MappingWriter final : public RowWriter {
 public:
  MappingWriter(const TableSchema& schema, size_t table, const GenerationPlan& plan,
                const std::vector<int>& id_columns, bool check_keys, int64_t first_row,
                RowWriter& out)
      : schema_(schema),
        table_(table),
        plan_(plan),
        id_columns_(id_columns),
        check_keys_(check_keys),
        out_(out),
        row_(first_row - 1) {
    column_start_.resize(schema.columns.size());
  }

  void BeginRow() override {
    ++row_;
    column_ = 0;
    in_array_ = false;
    calls_.clear();
    arena_.clear();
    if (!check_keys_) out_.BeginRow();
  }
  void EndRow() override {
    if (check_keys_) Replay();
    out_.EndRow();
  }

  void Int16(int16_t value) override {
    value = static_cast<int16_t>(MapId(value));
    if (check_keys_) return Record({Op::kInt16, value});
    out_.Int16(value);
    Advance();
  }
  void Int32(int32_t value) override {
    value = static_cast<int32_t>(MapId(value));
    if (check_keys_) return Record({Op::kInt32, value});
    out_.Int32(value);
    Advance();
  }
  void Int64(int64_t value) override {
    value = MapId(value);
    if (check_keys_) return Record({Op::kInt64, value});
    out_.Int64(value);
    Advance();
  }
  void Float32(float value) override {
    if (check_keys_) {
      uint32_t bits = 0;
      std::memcpy(&bits, &value, sizeof bits);
      return Record({Op::kFloat32, static_cast<int64_t>(bits)});
    }
    out_.Float32(value);
    Advance();
  }
  void Float64(double value) override {
    if (check_keys_) {
      int64_t bits = 0;
      std::memcpy(&bits, &value, sizeof bits);
      return Record({Op::kFloat64, bits});
    }
    out_.Float64(value);
    Advance();
  }
  void Numeric(int64_t unscaled, int scale) override {
    if (check_keys_) return Record({Op::kNumeric, unscaled, scale});
    out_.Numeric(unscaled, scale);
    Advance();
  }
  void Money(int64_t cents) override {
    if (check_keys_) return Record({Op::kMoney, cents});
    out_.Money(cents);
    Advance();
  }
  void NumericText(std::string_view decimal) override {
    if (check_keys_) return RecordBytes(Op::kNumericText, decimal.data(), decimal.size());
    out_.NumericText(decimal);
    Advance();
  }
  void Numeric2(int64_t hundredths) override {
    if (check_keys_) return Record({Op::kNumeric2, hundredths});
    out_.Numeric2(hundredths);
    Advance();
  }
  void Date(int32_t days) override {
    if (check_keys_) return Record({Op::kDate, days});
    out_.Date(days);
    Advance();
  }
  void Time(int64_t micros) override {
    if (check_keys_) return Record({Op::kTime, micros});
    out_.Time(micros);
    Advance();
  }
  void LocalTimestamp(int64_t micros) override {
    if (check_keys_) return Record({Op::kLocalTimestamp, micros});
    out_.LocalTimestamp(micros);
    Advance();
  }
  void Timestamp(int64_t micros) override {
    if (check_keys_) return Record({Op::kTimestamp, micros});
    out_.Timestamp(micros);
    Advance();
  }
  void Interval(int32_t months, int32_t days, int64_t micros) override {
    if (check_keys_) {
      const uint64_t packed =
          static_cast<uint64_t>(static_cast<uint32_t>(months)) << 32 | static_cast<uint32_t>(days);
      return Record({Op::kInterval, static_cast<int64_t>(packed), micros});
    }
    out_.Interval(months, days, micros);
    Advance();
  }
  void Uuid(const uint8_t (&given)[16]) override {
    uint8_t bytes[16];
    std::memcpy(bytes, given, sizeof bytes);
    // A uuid id (core/uuid_id.h): the id it holds, mapped, as a UUID again.
    if (!in_array_ && column_ < id_columns_.size() && id_columns_[column_] >= 0 &&
        schema_.columns[column_].uuid_id_key != 0) {
      UuidOfId(schema_.columns[column_].uuid_id_key, MapId(IdOfUuid(given)), bytes);
    }
    if (check_keys_) return RecordBytes(Op::kUuid, bytes, sizeof bytes);
    out_.Uuid(bytes);
    Advance();
  }
  void Inet(const IpAddress& address) override {
    if (check_keys_) return RecordBytes(Op::kInet, &address, sizeof address);
    out_.Inet(address);
    Advance();
  }
  void Cidr(const IpAddress& address) override {
    if (check_keys_) return RecordBytes(Op::kCidr, &address, sizeof address);
    out_.Cidr(address);
    Advance();
  }
  void Inet4(uint32_t address) override {
    if (check_keys_) return Record({Op::kInet4, static_cast<int64_t>(address)});
    out_.Inet4(address);
    Advance();
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    if (check_keys_) return RecordBytes(Op::kMacAddr, bytes, sizeof bytes);
    out_.MacAddr(bytes);
    Advance();
  }
  void Bytea(std::span<const uint8_t> bytes) override {
    if (check_keys_) return RecordBytes(Op::kBytea, bytes.data(), bytes.size());
    out_.Bytea(bytes);
    Advance();
  }
  void Json(std::string_view json) override {
    if (check_keys_) return RecordBytes(Op::kJson, json.data(), json.size());
    out_.Json(json);
    Advance();
  }
  void JsonText(std::string_view json) override {
    if (check_keys_) return RecordBytes(Op::kJsonText, json.data(), json.size());
    out_.JsonText(json);
    Advance();
  }
  void Text(std::string_view text) override {
    if (check_keys_) return RecordBytes(Op::kText, text.data(), text.size());
    out_.Text(text);
    Advance();
  }
  void Bool(bool value) override {
    if (check_keys_) return Record({Op::kBool, value ? 1 : 0});
    out_.Bool(value);
    Advance();
  }
  void Null() override {
    if (check_keys_) return Record({Op::kNull});
    out_.Null();
    Advance();
  }
  void BeginArray() override {
    if (check_keys_) {
      Record({Op::kBeginArray});
    } else {
      out_.BeginArray();
    }
    in_array_ = true;
  }
  void TsVector(std::string_view send_form) override {
    if (check_keys_) return RecordBytes(Op::kTsVector, send_form.data(), send_form.size());
    out_.TsVector(send_form);
    Advance();
  }
  void Point(double x, double y) override {
    if (check_keys_) {
      int64_t x_bits = 0, y_bits = 0;
      std::memcpy(&x_bits, &x, sizeof x_bits);
      std::memcpy(&y_bits, &y, sizeof y_bits);
      return Record({Op::kPoint, x_bits, y_bits});
    }
    out_.Point(x, y);
    Advance();
  }
  // A range's bounds are one column's value, as an array's elements are (never ids).
  void BeginRange(uint8_t flags) override {
    if (check_keys_) {
      Record({Op::kBeginRange, flags});
    } else {
      out_.BeginRange(flags);
    }
    in_array_ = true;
  }
  void EndRange() override {
    in_array_ = false;
    if (check_keys_) return Record({Op::kEndRange});
    out_.EndRange();
    Advance();
  }
  void EndArray() override {
    in_array_ = false;
    if (check_keys_) return Record({Op::kEndArray});
    out_.EndArray();
    Advance();
  }

 private:
  // The id an integer of the current column is written as (ids and foreign keys only; array
  // elements never).
  int64_t MapId(int64_t value) const {
    if (in_array_ || column_ >= id_columns_.size()) return value;
    const int target = id_columns_[column_];
    return target < 0 ? value : plan_.IdOf(static_cast<size_t>(target), value - 1);
  }

  // One value of a column was written (a top-level value, or the end of an array).
  void Advance() {
    if (!in_array_) ++column_;
  }

  // Records one call. BeginArray is recorded before in_array_ is set, EndArray after it is
  // cleared: the column ends (Advance) with a top-level value or with EndArray.
  void Record(Call call) {
    const bool begins = call.op == Op::kBeginArray || call.op == Op::kBeginRange;
    const bool starts_column =
        begins || (!in_array_ && call.op != Op::kEndArray && call.op != Op::kEndRange);
    if (starts_column && column_ < column_start_.size()) column_start_[column_] = calls_.size();
    calls_.push_back(call);
    if (!begins) Advance();
  }

  void RecordBytes(Op op, const void* data, size_t length) {
    Call call{op};
    call.offset = arena_.size();
    call.length = length;
    arena_.append(static_cast<const char*>(data), length);
    Record(call);
  }

  std::string_view Bytes(const Call& call) const {
    return std::string_view(arena_).substr(call.offset, call.length);
  }

  // The call that wrote column `c` (its BeginArray for an array).
  const Call& CallOf(size_t c) const { return calls_[column_start_[c]]; }

  void Write(const Call& call) {
    switch (call.op) {
      case Op::kInt16:
        return out_.Int16(static_cast<int16_t>(call.a));
      case Op::kInt32:
        return out_.Int32(static_cast<int32_t>(call.a));
      case Op::kInt64:
        return out_.Int64(call.a);
      case Op::kFloat32: {
        const uint32_t bits = static_cast<uint32_t>(call.a);
        float value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return out_.Float32(value);
      }
      case Op::kFloat64: {
        double value = 0;
        std::memcpy(&value, &call.a, sizeof value);
        return out_.Float64(value);
      }
      case Op::kNumeric:
        return out_.Numeric(call.a, static_cast<int>(call.b));
      case Op::kMoney:
        return out_.Money(call.a);
      case Op::kNumericText:
        return out_.NumericText(Bytes(call));
      case Op::kNumeric2:
        return out_.Numeric2(call.a);
      case Op::kDate:
        return out_.Date(static_cast<int32_t>(call.a));
      case Op::kTime:
        return out_.Time(call.a);
      case Op::kLocalTimestamp:
        return out_.LocalTimestamp(call.a);
      case Op::kTimestamp:
        return out_.Timestamp(call.a);
      case Op::kInterval: {
        const uint64_t packed = static_cast<uint64_t>(call.a);
        return out_.Interval(static_cast<int32_t>(static_cast<uint32_t>(packed >> 32)),
                             static_cast<int32_t>(static_cast<uint32_t>(packed)), call.b);
      }
      case Op::kUuid: {
        uint8_t bytes[16];
        std::memcpy(bytes, arena_.data() + call.offset, sizeof bytes);
        return out_.Uuid(bytes);
      }
      case Op::kInet:
      case Op::kCidr: {
        IpAddress address;
        std::memcpy(&address, arena_.data() + call.offset, sizeof address);
        return call.op == Op::kInet ? out_.Inet(address) : out_.Cidr(address);
      }
      case Op::kInet4:
        return out_.Inet4(static_cast<uint32_t>(call.a));
      case Op::kMacAddr: {
        uint8_t bytes[6];
        std::memcpy(bytes, arena_.data() + call.offset, sizeof bytes);
        return out_.MacAddr(bytes);
      }
      case Op::kBytea:
        return out_.Bytea(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(arena_.data() + call.offset), call.length));
      case Op::kJson:
        return out_.Json(Bytes(call));
      case Op::kJsonText:
        return out_.JsonText(Bytes(call));
      case Op::kText:
        return out_.Text(Bytes(call));
      case Op::kBool:
        return out_.Bool(call.a != 0);
      case Op::kNull:
        return out_.Null();
      case Op::kBeginArray:
        return out_.BeginArray();
      case Op::kEndArray:
        return out_.EndArray();
      case Op::kTsVector:
        return out_.TsVector(Bytes(call));
      case Op::kPoint: {
        double x = 0, y = 0;
        std::memcpy(&x, &call.a, sizeof x);
        std::memcpy(&y, &call.b, sizeof y);
        return out_.Point(x, y);
      }
      case Op::kBeginRange:
        return out_.BeginRange(static_cast<uint8_t>(call.a));
      case Op::kEndRange:
        return out_.EndRange();
    }
  }

  // Moves every unique key the segment reserves, then writes the row.
  void Replay() {
    const GenerationSegment* segment = plan_.SegmentFor(table_, row_);
    moved_.assign(schema_.columns.size(), false);
    assert(column_ == schema_.columns.size());  // one value per column
    if (segment != nullptr && segment->reserved_keys != nullptr &&
        !segment->reserved_keys->empty() && column_ == schema_.columns.size()) {
      RenderKeyColumns();
      for (size_t k = 0; k < schema_.unique_keys.size(); ++k) {
        MoveIfReserved(static_cast<int>(k), *segment->reserved_keys);
      }
    }
    out_.BeginRow();
    size_t column = 0;
    bool in_array = false;
    for (const Call& call : calls_) {
      const bool top = !in_array;
      if (call.op == Op::kBeginArray || call.op == Op::kBeginRange) in_array = true;
      if (call.op == Op::kEndArray || call.op == Op::kEndRange) in_array = false;
      if (top && column < moved_.size() && moved_[column]) {
        out_.Text(moved_values_[column]);
      } else {
        Write(call);
      }
      if (!in_array) ++column;
    }
  }

  // The server's text of every column of a unique key in this row (rendered_), and whether it
  // has one (a NULL, an array or a type server_text.h does not render has none).
  void RenderKeyColumns() {
    rendered_.resize(schema_.columns.size());
    has_text_.assign(schema_.columns.size(), false);
    for (const std::vector<int>& key : schema_.unique_keys) {
      for (const int c : key) {
        const size_t column = static_cast<size_t>(c);
        if (has_text_[column]) continue;
        rendered_[column].clear();
        has_text_[column] = RenderCall(CallOf(column), &rendered_[column]);
      }
    }
  }

  // Appends the server's text of a recorded value; false for what server_text.h does not render.
  bool RenderCall(const Call& call, std::string* out) const {
    switch (call.op) {
      case Op::kInt16:
      case Op::kInt32:
      case Op::kInt64:
        AppendIntegerServerText(call.a, out);
        return true;
      case Op::kNumeric:
        AppendNumericServerText(call.a, static_cast<int>(call.b), out);
        return true;
      case Op::kNumeric2:
        AppendNumericServerText(call.a, 2, out);
        return true;
      case Op::kMoney:  // printed by lc_monetary ("$1,234.56")
        return false;
      case Op::kNumericText:
      case Op::kText:
        out->append(Bytes(call));
        return true;
      case Op::kBool:
        AppendBoolServerText(call.a != 0, out);
        return true;
      case Op::kDate:
        return AppendDateServerText(static_cast<int32_t>(call.a), out);
      case Op::kTime:
        AppendTimeServerText(call.a, out);
        return true;
      case Op::kLocalTimestamp:
        return AppendTimestampServerText(call.a, false, out);
      case Op::kTimestamp:
        return AppendTimestampServerText(call.a, true, out);
      case Op::kUuid: {
        uint8_t bytes[16];
        std::memcpy(bytes, arena_.data() + call.offset, sizeof bytes);
        AppendUuidServerText(bytes, out);
        return true;
      }
      case Op::kMacAddr: {
        uint8_t bytes[6];
        std::memcpy(bytes, arena_.data() + call.offset, sizeof bytes);
        AppendMacServerText(bytes, out);
        return true;
      }
      case Op::kInet4:
        AppendInet4ServerText(static_cast<uint32_t>(call.a), out);
        return true;
      case Op::kInet: {
        IpAddress address;
        std::memcpy(&address, arena_.data() + call.offset, sizeof address);
        return AppendInetServerText(address, out);
      }
      default:
        return false;
    }
  }

  // The column key `k` moves by in this row: its first text column, or -1 when it has none or
  // some column has no text to compare (a NULL key never conflicts).
  int MovingColumn(int k) const {
    int moving = -1;
    for (const int c : schema_.unique_keys[static_cast<size_t>(k)]) {
      const size_t column = static_cast<size_t>(c);
      if (!has_text_[column]) return -1;
      if (moving < 0 && CallOf(column).op == Op::kText && MovableColumn(schema_.columns[column])) {
        moving = c;
      }
    }
    return moving;
  }

  // Column `c` of the row as the server prints it: its moved value once a key moved it.
  std::string_view ValueOf(int c) const {
    const size_t column = static_cast<size_t>(c);
    return moved_[column] ? std::string_view(moved_values_[column])
                          : std::string_view(rendered_[column]);
  }

  // The encoded key `k` with column `replace` taking `replacement`.
  const std::string& KeyOf(int k, int replace, std::string_view replacement) {
    const std::vector<int>& columns = schema_.unique_keys[static_cast<size_t>(k)];
    key_values_.clear();
    for (const int c : columns) key_values_.push_back(c == replace ? replacement : ValueOf(c));
    key_.clear();
    EncodeUniqueKey(k, key_values_, &key_);
    return key_;
  }

  void MoveIfReserved(int k, const ReservedKeys& reserved) {
    const int moving = MovingColumn(k);
    if (moving < 0) return;
    if (!reserved.contains(KeyOf(k, -1, {}))) return;
    const std::string base(ValueOf(moving));
    const size_t at = base.rfind('@');
    std::string candidate;
    for (int n = 2;; ++n) {
      candidate = at == std::string::npos
                      ? base + "-" + std::to_string(n)
                      : base.substr(0, at) + "+" + std::to_string(n) + base.substr(at);
      if (!reserved.contains(KeyOf(k, moving, candidate))) break;
    }
    // Each key keeps what the keys before it moved (a row may hold several reserved keys: an
    // application user that looks like a generated one holds both its username and e-mail).
    moved_values_.resize(schema_.columns.size());
    moved_values_[static_cast<size_t>(moving)] = std::move(candidate);
    moved_[static_cast<size_t>(moving)] = true;
  }

  const TableSchema& schema_;
  const size_t table_;
  const GenerationPlan& plan_;
  const std::vector<int>& id_columns_;
  const bool check_keys_;
  RowWriter& out_;
  int64_t row_;
  size_t column_ = 0;
  bool in_array_ = false;
  std::vector<Call> calls_;
  std::vector<size_t> column_start_;  // per column: the index in calls_ of its first call
  std::string arena_;
  std::vector<std::string_view> key_values_;
  std::string key_;
  std::vector<bool> moved_;                // per column: a key moved it (this row)
  std::vector<std::string> moved_values_;  // per column: its moved value, where moved_
  std::vector<std::string> rendered_;      // per key column: its server text (this row)
  std::vector<bool> has_text_;             // per column: rendered_ holds its text
};

class MappedGenerator final : public TableGenerator {
 public:
  MappedGenerator(std::unique_ptr<TableGenerator> inner, size_t table, std::vector<int> id_columns,
                  std::shared_ptr<const GenerationPlan> plan)
      : inner_(std::move(inner)),
        table_(table),
        plan_(std::move(plan)),
        id_columns_(std::move(id_columns)),
        check_keys_(ReservesValues(table_, *plan_)) {}

  const TableSchema& schema() const override { return inner_->schema(); }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    MappingWriter writer(schema(), table_, *plan_, id_columns_, check_keys_, begin, out);
    inner_->WriteRows(begin, end, writer);
  }

 private:
  std::unique_ptr<TableGenerator> inner_;
  size_t table_;
  std::shared_ptr<const GenerationPlan> plan_;
  std::vector<int> id_columns_;
  bool check_keys_;
};

// Renders the unique-key columns of each row in the server's text and, at EndRow, looks every
// key up in `reserved`; the first hit is kept (later rows are still written to it, and ignored).
class CollisionWriter final : public RowWriter {
 public:
  CollisionWriter(const TableSchema& schema, const ReservedKeys& reserved,
                  std::span<const int64_t> character_limits, int64_t first_row)
      : schema_(schema), reserved_(reserved), row_(first_row - 1) {
    in_key_.assign(schema.columns.size(), false);
    limits_.assign(schema.columns.size(), -1);
    for (const std::vector<int>& key : schema.unique_keys) {
      for (const int c : key) {
        const auto column = static_cast<size_t>(c);
        in_key_[column] = true;
        if (column < character_limits.size()) limits_[column] = character_limits[column];
      }
    }
    text_.resize(schema.columns.size());
    has_text_.resize(schema.columns.size());
    is_text_.resize(schema.columns.size());
  }

  const std::optional<ReservedCollision>& found() const { return found_; }

  void BeginRow() override {
    ++row_;
    column_ = 0;
    in_array_ = false;
  }
  void EndRow() override {
    if (found_.has_value()) return;
    for (size_t c = 0; c < limits_.size(); ++c) {
      if (limits_[c] <= 0 || !is_text_[c] || Characters(text_[c]) <= limits_[c]) continue;
      found_ = ReservedCollision{row_, -1, {text_[c]}, static_cast<int>(c), limits_[c]};
      return;
    }
    for (size_t k = 0; k < schema_.unique_keys.size(); ++k) {
      values_.clear();
      for (const int c : schema_.unique_keys[k]) {
        if (!has_text_[static_cast<size_t>(c)]) break;
        values_.push_back(text_[static_cast<size_t>(c)]);
      }
      if (values_.size() != schema_.unique_keys[k].size()) continue;
      key_.clear();
      EncodeUniqueKey(static_cast<int>(k), values_, &key_);
      if (!reserved_.contains(key_)) continue;
      found_ = ReservedCollision{row_, static_cast<int>(k), {values_.begin(), values_.end()}};
      return;
    }
  }

  void Int64(int64_t value) override {
    Value([&](std::string* out) {
      AppendIntegerServerText(value, out);
      return true;
    });
  }
  void Int32(int32_t value) override {
    Value([&](std::string* out) {
      AppendIntegerServerText(value, out);
      return true;
    });
  }
  void Int16(int16_t value) override {
    Value([&](std::string* out) {
      AppendIntegerServerText(value, out);
      return true;
    });
  }
  void Bool(bool value) override {
    Value([&](std::string* out) {
      AppendBoolServerText(value, out);
      return true;
    });
  }
  void Text(std::string_view value) override {
    const size_t column = column_;
    Value([&](std::string* out) {
      out->append(value);
      return true;
    });
    if (!in_array_ && column < is_text_.size()) is_text_[column] = true;
  }

  void Timestamp(int64_t micros) override {
    Value([&](std::string* out) { return AppendTimestampServerText(micros, true, out); });
  }
  void LocalTimestamp(int64_t micros) override {
    Value([&](std::string* out) { return AppendTimestampServerText(micros, false, out); });
  }
  void Date(int32_t days) override {
    Value([&](std::string* out) { return AppendDateServerText(days, out); });
  }
  void Time(int64_t micros) override {
    Value([&](std::string* out) {
      AppendTimeServerText(micros, out);
      return true;
    });
  }
  void Numeric2(int64_t hundredths) override {
    Value([&](std::string* out) {
      AppendNumericServerText(hundredths, 2, out);
      return true;
    });
  }
  void Numeric(int64_t unscaled, int scale) override {
    Value([&](std::string* out) {
      AppendNumericServerText(unscaled, scale, out);
      return true;
    });
  }
  void NumericText(std::string_view decimal) override {
    Value([&](std::string* out) {
      out->append(decimal);
      return true;
    });
  }
  void Inet4(uint32_t address) override {
    Value([&](std::string* out) {
      AppendInet4ServerText(address, out);
      return true;
    });
  }
  void Inet(const IpAddress& address) override {
    Value([&](std::string* out) { return AppendInetServerText(address, out); });
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    Value([&](std::string* out) {
      AppendMacServerText(bytes, out);
      return true;
    });
  }
  void Uuid(const uint8_t (&bytes)[16]) override {
    Value([&](std::string* out) {
      AppendUuidServerText(bytes, out);
      return true;
    });
  }
  void Money(int64_t) override { Unrendered(); }  // printed by lc_monetary ("$1,234.56")
  void Json(std::string_view) override { Unrendered(); }
  void JsonText(std::string_view) override { Unrendered(); }
  void Float32(float) override { Unrendered(); }
  void Float64(double) override { Unrendered(); }
  void Interval(int32_t, int32_t, int64_t) override { Unrendered(); }
  void Cidr(const IpAddress&) override { Unrendered(); }
  void Bytea(std::span<const uint8_t>) override { Unrendered(); }
  void Null() override { Unrendered(); }
  void BeginArray() override { in_array_ = true; }
  void EndArray() override {
    in_array_ = false;
    Unrendered();
  }
  void TsVector(std::string_view) override { Unrendered(); }
  void Point(double, double) override { Unrendered(); }
  void BeginRange(uint8_t) override { in_array_ = true; }  // its bounds are not columns
  void EndRange() override {
    in_array_ = false;
    Unrendered();
  }

 private:
  // One top-level value of the current column, rendered by `render` when the column is in a key.
  template <typename Render>
  void Value(Render render) {
    if (in_array_) return;
    if (column_ < in_key_.size() && in_key_[column_]) {
      text_[column_].clear();
      has_text_[column_] = render(&text_[column_]);
      is_text_[column_] = false;
    }
    ++column_;
  }
  void Unrendered() {
    if (in_array_) return;
    if (column_ < has_text_.size()) {
      has_text_[column_] = false;
      is_text_[column_] = false;
    }
    ++column_;
  }
  // Characters of UTF-8 text (what varchar(n) counts).
  static int64_t Characters(std::string_view text) {
    int64_t count = 0;
    for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
    return count;
  }

  const TableSchema& schema_;
  const ReservedKeys& reserved_;
  int64_t row_;
  size_t column_ = 0;
  bool in_array_ = false;
  std::vector<bool> in_key_;       // per column: part of some unique key
  std::vector<std::string> text_;  // per key column: its server text (this row)
  std::vector<bool> has_text_;     // per column: text_ holds this row's value
  std::vector<bool> is_text_;      // per column: this row's value was written as Text
  std::vector<int64_t> limits_;    // per column: the most characters it takes, -1: no limit
  std::vector<std::string_view> values_;
  std::string key_;
  std::optional<ReservedCollision> found_;
};

}  // namespace

bool UniqueKeysMoveAside(const TableSchema& schema) {
  for (const std::vector<int>& key : schema.unique_keys) {
    bool movable = false;
    for (const int c : key)
      movable = movable || MovableColumn(schema.columns[static_cast<size_t>(c)]);
    if (!movable) return false;
  }
  return true;
}

std::optional<ReservedCollision> FindReservedCollision(const TableGenerator& generator,
                                                       const ReservedKeys& reserved,
                                                       std::span<const int64_t> character_limits,
                                                       int64_t begin, int64_t end) {
  // In blocks, so that a collision early in a large table stops the search soon.
  constexpr int64_t kBlockRows = 16384;
  for (int64_t block = begin; block < end; block += kBlockRows) {
    const int64_t block_end = std::min(end, block + kBlockRows);
    CollisionWriter writer(generator.schema(), reserved, character_limits, block);
    generator.WriteRows(block, block_end, writer);
    if (writer.found().has_value()) return writer.found();
  }
  return std::nullopt;
}

std::unique_ptr<TableGenerator> MakeMappedGenerator(std::unique_ptr<TableGenerator> inner,
                                                    size_t table,
                                                    const std::vector<TableSchema>& schemas,
                                                    std::shared_ptr<const GenerationPlan> plan) {
  std::vector<int> id_columns = IdColumns(inner->schema(), table, schemas, *plan);
  bool maps = ReservesValues(table, *plan);
  for (const int target : id_columns) maps = maps || target >= 0;
  if (!maps) return inner;
  return std::make_unique<MappedGenerator>(std::move(inner), table, std::move(id_columns),
                                           std::move(plan));
}

}  // namespace seedforge
