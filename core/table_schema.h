// The description of a table that generators produce and sinks consume.
//
// Generators own the domain (what the columns mean) and declare their tables in the table model
// (core/table_model.h); sinks need that model for DDL and checks, and the names and value types
// derived from it to write headers, COPY column lists and binary field encodings. TableSchema is
// that meeting point.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/sql_type.h"
#include "core/status.h"
#include "core/table_model.h"

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
  // Any other type ParseSqlType() reads (varchar(n), uuid, date, arrays, enums...): written by
  // the generic writers from ColumnSchema::sql, compared by its format_type() text.
  kOther,
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
    case ColumnType::kOther:
      return "?";
  }
  return "?";
}

// The value types the model's SQL types map to: the inverse of SqlTypeName (format_type()
// spelling); nullopt for a type no RowWriter writes.
std::optional<ColumnType> ColumnTypeOf(std::string_view sql_type);

// What the generator of a column writes, beyond its declared SQL type: what a sink needs to
// decide whether a column of another type (in a table the application's own migrations created)
// takes every value, and in which form. Filled by the compiler of declared profiles
// (generators/declared); kAsDeclared (the default) means the column must have the declared type.
struct ColumnValues {
  enum class Kind : uint8_t {
    kAsDeclared,  // nothing known beyond the declared type
    kIntegers,    // integers in [min, max]
    kIds,         // ids of table `ids_of` (an id or a reference): 1 up to its largest id
    kDecimals,    // numbers with at most `integer_digits` digits before the point, `scale` after
    kText,        // text of at most `max_chars` characters (0: unknown)
    kMac,         // MAC addresses; into a text column as 08:00:2b:01:02:03 (17 characters)
    kInet,        // IP addresses; into a text column as inet prints them (up to 43 characters)
    kUuid,        // UUIDs; into a text column in their 36-character form
    kJson,        // JSON; into json, jsonb or an unbounded text column as its text
  };
  Kind kind = Kind::kAsDeclared;
  std::string generator = {};  // the generator's name, for messages ("template")
  int64_t min = 0;             // kIntegers: the range
  int64_t max = 0;
  std::string ids_of = {};  // kIds: the table (TableSchema::name) whose ids these are
  int integer_digits = 0;   // kDecimals
  int scale = 0;            // kDecimals
  int64_t max_chars = 0;    // kText; kMac, kInet, kUuid: the longest text form
};

// A column as writers and generators see it: derived from the model's ColumnDef.
struct ColumnSchema {
  std::string name;
  ColumnType type;
  bool nullable = false;
  // For a foreign key column, the table it refers to (by id); empty otherwise.
  std::string references = {};
  // The SQL type as format_type() prints it (the model's ColumnDef::type), and parsed.
  std::string sql_type = {};
  SqlType sql = {};
  // What its generator writes (set by the declared compiler after MakeTableSchemas).
  ColumnValues writes = {};
  // For a column whose type (or element type) is an enum the declaration defines: that type with
  // its labels (set by the declaring generator, which checks every value against them); null for
  // every other column, an enum that must already exist included.
  std::shared_ptr<const EnumTypeDef> declared_enum = {};
  // For a uuid column holding ids (the id of a table whose id is a uuid, or a reference to such
  // a table): the UuidIdKey of the table whose ids it holds (core/uuid_id.h); 0 for every other
  // column. Set by the declared compiler.
  uint64_t uuid_id_key = 0;
};

// A table as generators declare it: the table model (core/table_model.h), which DDL, the sink's
// checks and snapshots read, with what writers need derived from it by MakeTableSchemas.
struct TableSchema {
  TableDef table;  // the declared table: columns, constraints and indexes

  // Derived from `table` (never set by hand):
  std::string name;                   // table.name, e.g. "assets"
  std::vector<ColumnSchema> columns;  // table.columns in COPY order; column 0 is the id
  std::vector<std::string> parents;   // names of the tables its foreign keys refer to (excluding
                                      // itself), in the order the keys are declared
  // The unique keys besides the primary key (table.constraints of type 'u', in declared order),
  // each as column indices. Their order numbers the keys in EncodeUniqueKey, which generation
  // history records: reordering them changes what older records mean.
  std::vector<std::vector<int>> unique_keys;

  // Whether column 0 is the table's id (table.without_id is false). A table without one
  // numbers its rows all the same, but no row holds its number: every row it has counts as
  // generated, and nothing refers to it.
  bool has_id = true;

  // Whether the id (column 0) is a uuid (core/uuid_id.h) rather than an integer.
  bool UuidIds() const { return has_id && columns.front().sql.kind == SqlTypeKind::kUuid; }
  // The SQL expression (bigint) of a row's id: the quoted id column, `qualifier` before it
  // ("c." gives c.id), or for a uuid id the number it holds (IdNumberSql). REQUIRES: has_id.
  std::string IdSql(std::string_view qualifier = "") const;
  // An SQL condition that holds for generated rows with ids first..last: "true" for a table
  // without an id (whose rows all count as generated).
  std::string IdBetweenSql(int64_t first, int64_t last, std::string_view qualifier = "") const;
};

// Describes every table of `tables` (declared together; foreign keys refer to tables of the set
// by QualifiedName(), or to themselves) for writers: value types from the SQL types
// (ColumnTypeOf, kOther for the other types ParseSqlType reads), nullability, the table each
// single-column foreign key refers to, parents and unique keys. kInvalidArgument naming table and
// column for a type ParseSqlType refuses, a first column that is not an integer (smallint, integer,
// bigint) or a uuid, a key on a column that does not exist, or a foreign key to a table outside the
// set.
StatusOr<std::vector<TableSchema>> MakeTableSchemas(std::vector<TableDef> tables);

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
