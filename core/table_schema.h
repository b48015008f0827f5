// The description of a table that generators produce and sinks consume.
//
// Generators own the domain (what the columns mean); sinks only need names and value types to
// write headers, COPY column lists and binary field encodings. This struct is that meeting point.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seedforge {

// The value type of a column, as written by a RowWriter. Each maps to one PostgreSQL type.
enum class ColumnType {
  kInt64,      // bigint
  kInt32,      // integer
  kBool,       // boolean
  kText,       // text (UTF-8)
  kTimestamp,  // timestamptz, microseconds since the Unix epoch, UTC
  kNumeric2,   // numeric(12,2), carried as an int64 count of hundredths
  kInet,       // inet, IPv4 host address
  kMacAddr,    // macaddr
  kJson,       // jsonb, a JSON object given as text
};

// The PostgreSQL type of a column type, as format_type() spells it (also usable in a cast).
inline std::string_view SqlTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "bigint";
    case ColumnType::kInt32:
      return "integer";
    case ColumnType::kBool:
      return "boolean";
    case ColumnType::kText:
      return "text";
    case ColumnType::kTimestamp:
      return "timestamp with time zone";
    case ColumnType::kNumeric2:
      return "numeric(12,2)";
    case ColumnType::kInet:
      return "inet";
    case ColumnType::kMacAddr:
      return "macaddr";
    case ColumnType::kJson:
      return "jsonb";
  }
  return "?";
}

struct ColumnSchema {
  std::string name;
  ColumnType type;
  bool nullable = false;
  // For a foreign key column, the table it refers to (by id); empty otherwise.
  std::string references = {};
};

struct TableSchema {
  std::string name;                    // SQL table name, e.g. "assets"
  std::vector<ColumnSchema> columns;   // in COPY order; column 0 is the bigint id
  std::vector<std::string> parents;    // tables this one has foreign keys to (excluding itself)
  std::string create_sql;              // CREATE TABLE IF NOT EXISTS ... with its constraints
  std::vector<std::string> index_sql;  // CREATE INDEX IF NOT EXISTS ... statements
  // The unique keys besides the id, each as column indices (all text columns).
  std::vector<std::vector<int>> unique_keys;
};

// "<key>\x1f<value>\x1f<value>...": unique key number `key` of a table (an index into
// TableSchema::unique_keys) with its column values in key order, appended to `out`. How reserved
// unique values are named (see GenerationSegment).
inline void EncodeUniqueKey(int key, std::span<const std::string_view> values, std::string* out) {
  out->append(std::to_string(key));
  for (const std::string_view value : values) {
    out->push_back('\x1f');
    out->append(value);
  }
}

}  // namespace seedforge
