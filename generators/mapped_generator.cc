// MakeMappedGenerator: rows of segments that do not number their ids from 1, and rows that must
// keep clear of unique values seedforge did not make (see GenerationSegment).
//
// The inner generator writes ids as index + 1. The wrapper sits between it and the real writer:
// id and foreign-key columns go through FleetConfig::IdOf of the table they name; when some
// segment of the table reserves unique values, each row is recorded, its unique keys are checked
// and moved if taken, and the row is replayed. Tables without either never get wrapped, so the
// common case costs nothing.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "generators/table_generator.h"

namespace seedforge {
namespace {

// Which table's ids a column holds: the table itself for column 0, the referenced table for a
// foreign key; -1 for other columns and for tables whose ids are all index + 1.
std::vector<int> IdColumns(const TableSchema& schema, TableId table, const FleetConfig& config) {
  std::vector<int> mapped(schema.columns.size(), -1);
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    TableId target = table;
    if (c > 0 && !LookupTable(schema.columns[c].references, &target)) continue;
    if (config.MovesIds(target)) mapped[c] = static_cast<int>(target);
  }
  return mapped;
}

bool ReservesValues(TableId table, const FleetConfig& config) {
  for (const GenerationSegment& segment : config.history[static_cast<int>(table)]) {
    if (segment.reserved_keys != nullptr && !segment.reserved_keys->empty()) return true;
  }
  return false;
}

// Records one row's values, then replays them into the real writer.
struct RecordedValue {
  ColumnType type;
  bool null = false;
  int64_t number = 0;  // integers, timestamps, hundredths, IPv4, and text's arena offset
  size_t length = 0;   // text and JSON
  uint8_t mac[6] = {};
};

class MappingWriter final : public RowWriter {
 public:
  MappingWriter(const TableSchema& schema, TableId table, const FleetConfig& config,
                const std::vector<int>& id_columns, bool check_keys, RowWriter& out)
      : schema_(schema),
        table_(table),
        config_(config),
        id_columns_(id_columns),
        check_keys_(check_keys),
        out_(out) {
    values_.resize(schema.columns.size());
  }

  void BeginRow() override {
    column_ = 0;
    arena_.clear();
    if (!check_keys_) out_.BeginRow();
  }
  void EndRow() override {
    if (check_keys_) Replay();
    out_.EndRow();
  }
  void Int64(int64_t value) override {
    const int target = id_columns_[column_];
    if (column_ == 0) row_ = value - 1;
    if (target >= 0) value = config_.IdOf(static_cast<TableId>(target), value - 1);
    if (check_keys_) {
      Record(ColumnType::kInt64).number = value;
    } else {
      out_.Int64(value);
      ++column_;
    }
  }
  void Int32(int32_t value) override { Pass(ColumnType::kInt32, value, &RowWriter::Int32); }
  void Bool(bool value) override { Pass(ColumnType::kBool, value, &RowWriter::Bool); }
  void Timestamp(int64_t value) override {
    Pass(ColumnType::kTimestamp, value, &RowWriter::Timestamp);
  }
  void Numeric2(int64_t value) override {
    Pass(ColumnType::kNumeric2, value, &RowWriter::Numeric2);
  }
  void Inet4(uint32_t value) override { Pass(ColumnType::kInet, value, &RowWriter::Inet4); }
  void Text(std::string_view value) override { PassText(ColumnType::kText, value); }
  void Json(std::string_view value) override { PassText(ColumnType::kJson, value); }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    if (!check_keys_) {
      out_.MacAddr(bytes);
      ++column_;
      return;
    }
    std::memcpy(Record(ColumnType::kMacAddr).mac, bytes, sizeof(bytes));
  }
  void Null() override {
    if (!check_keys_) {
      out_.Null();
      ++column_;
      return;
    }
    Record(schema_.columns[column_].type).null = true;
  }

 private:
  RecordedValue& Record(ColumnType type) {
    RecordedValue& value = values_[column_++];
    value = RecordedValue{};
    value.type = type;
    return value;
  }

  template <typename T>
  void Pass(ColumnType type, T value, void (RowWriter::*write)(T)) {
    if (check_keys_) {
      Record(type).number = static_cast<int64_t>(value);
      return;
    }
    (out_.*write)(value);
    ++column_;
  }

  void PassText(ColumnType type, std::string_view text) {
    if (!check_keys_) {
      type == ColumnType::kJson ? out_.Json(text) : out_.Text(text);
      ++column_;
      return;
    }
    RecordedValue& value = Record(type);
    value.number = static_cast<int64_t>(arena_.size());
    value.length = text.size();
    arena_.append(text);
  }

  std::string_view TextOf(size_t column) const {
    const RecordedValue& value = values_[column];
    return std::string_view(arena_).substr(static_cast<size_t>(value.number), value.length);
  }

  // Moves every unique key the segment reserves, then writes the row.
  void Replay() {
    const GenerationSegment* segment = config_.SegmentFor(table_, row_);
    moved_.assign(values_.size(), false);
    if (segment != nullptr && segment->reserved_keys != nullptr &&
        !segment->reserved_keys->empty()) {
      for (size_t k = 0; k < schema_.unique_keys.size(); ++k) {
        MoveIfReserved(static_cast<int>(k), *segment->reserved_keys);
      }
    }
    out_.BeginRow();
    for (size_t c = 0; c < values_.size(); ++c) {
      const RecordedValue& value = values_[c];
      if (value.null) {
        out_.Null();
        continue;
      }
      switch (value.type) {
        case ColumnType::kInt64:
          out_.Int64(value.number);
          break;
        case ColumnType::kInt32:
          out_.Int32(static_cast<int32_t>(value.number));
          break;
        case ColumnType::kBool:
          out_.Bool(value.number != 0);
          break;
        case ColumnType::kText:
          out_.Text(ValueOf(static_cast<int>(c)));
          break;
        case ColumnType::kTimestamp:
          out_.Timestamp(value.number);
          break;
        case ColumnType::kNumeric2:
          out_.Numeric2(value.number);
          break;
        case ColumnType::kInet:
          out_.Inet4(static_cast<uint32_t>(value.number));
          break;
        case ColumnType::kMacAddr:
          out_.MacAddr(value.mac);
          break;
        case ColumnType::kJson:
          out_.Json(TextOf(c));
          break;
        case ColumnType::kOther:  // the fleet's tables have none
          std::abort();
      }
    }
  }

  // Text column `c` of the row as it is written: its moved value once a key moved it.
  std::string_view ValueOf(int c) const {
    const size_t column = static_cast<size_t>(c);
    return moved_[column] ? std::string_view(moved_values_[column]) : TextOf(column);
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
    const int first = schema_.unique_keys[static_cast<size_t>(k)].front();
    if (!reserved.contains(KeyOf(k, -1, {}))) return;
    const std::string base(ValueOf(first));
    const size_t at = base.rfind('@');
    std::string candidate;
    for (int n = 2;; ++n) {
      candidate = at == std::string::npos
                      ? base + "-" + std::to_string(n)
                      : base.substr(0, at) + "+" + std::to_string(n) + base.substr(at);
      if (!reserved.contains(KeyOf(k, first, candidate))) break;
    }
    // Each key keeps what the keys before it moved (a row may hold several reserved keys: an
    // application user that looks like a generated one holds both its username and e-mail).
    moved_values_.resize(values_.size());
    moved_values_[static_cast<size_t>(first)] = std::move(candidate);
    moved_[static_cast<size_t>(first)] = true;
  }

  const TableSchema& schema_;
  const TableId table_;
  const FleetConfig& config_;
  const std::vector<int>& id_columns_;
  const bool check_keys_;
  RowWriter& out_;
  size_t column_ = 0;
  int64_t row_ = 0;
  std::vector<RecordedValue> values_;
  std::string arena_;
  std::vector<std::string_view> key_values_;
  std::string key_;
  std::vector<bool> moved_;                // per column: a key moved it (this row)
  std::vector<std::string> moved_values_;  // per column: its moved value, where moved_
};

class MappedGenerator final : public TableGenerator {
 public:
  MappedGenerator(std::unique_ptr<TableGenerator> inner, TableId table,
                  std::shared_ptr<const FleetConfig> config)
      : inner_(std::move(inner)),
        table_(table),
        config_(std::move(config)),
        id_columns_(IdColumns(inner_->schema(), table_, *config_)),
        check_keys_(ReservesValues(table_, *config_)) {}

  const TableSchema& schema() const override { return inner_->schema(); }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    MappingWriter writer(schema(), table_, *config_, id_columns_, check_keys_, out);
    inner_->WriteRows(begin, end, writer);
  }

 private:
  std::unique_ptr<TableGenerator> inner_;
  TableId table_;
  std::shared_ptr<const FleetConfig> config_;
  std::vector<int> id_columns_;
  bool check_keys_;
};

}  // namespace

std::unique_ptr<TableGenerator> MakeMappedGenerator(std::unique_ptr<TableGenerator> inner,
                                                    TableId table,
                                                    std::shared_ptr<const FleetConfig> config) {
  const std::vector<int> id_columns = IdColumns(inner->schema(), table, *config);
  bool maps = ReservesValues(table, *config);
  for (const int target : id_columns) maps = maps || target >= 0;
  if (!maps) return inner;
  return std::make_unique<MappedGenerator>(std::move(inner), table, std::move(config));
}

}  // namespace seedforge
