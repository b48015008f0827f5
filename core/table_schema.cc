// Deriving the writers' view of declared tables (see table_schema.h). Everything is computed
// from the declared model so that the SQL a sink creates and the values a generator writes can
// never disagree about a column.
#include "core/table_schema.h"

#include "core/uuid_id.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace seedforge {
namespace {

constexpr ColumnType kAllTypes[] = {
    ColumnType::kInt64, ColumnType::kInt32,     ColumnType::kBool,
    ColumnType::kText,  ColumnType::kTimestamp, ColumnType::kNumeric2,
    ColumnType::kInet,  ColumnType::kMacAddr,   ColumnType::kJson,
};

StatusOr<int> ColumnIndex(const TableDef& table, const std::string& column,
                          const std::string& where) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == column) return static_cast<int>(i);
  }
  return InvalidArgument(where + ": no column " + column);
}

// Fills in everything but `references` and `parents` of one table.
StatusOr<TableSchema> Describe(TableDef table) {
  TableSchema schema;
  schema.name = table.name;
  const std::string where = "table " + table.QualifiedName();
  for (const ColumnDef& column : table.columns) {
    StatusOr<SqlType> sql = ParseSqlType(column.type);
    if (!sql.ok()) {
      return InvalidArgument(where + ": column " + column.name + ": " + sql.status().message());
    }
    schema.columns.push_back({column.name,
                              ColumnTypeOf(column.type).value_or(ColumnType::kOther),
                              !column.not_null,
                              "",
                              column.type,
                              *std::move(sql),
                              {}});
  }
  schema.has_id = !table.without_id;
  if (schema.columns.empty() ||
      (schema.has_id && (schema.columns.front().sql.array ||
                         (!IntegerRangeOf(schema.columns.front().sql).has_value() &&
                          schema.columns.front().sql.kind != SqlTypeKind::kUuid)))) {
    return InvalidArgument(where + ": the first column must be the id (an integer or a uuid)");
  }
  for (const ConstraintDef& constraint : table.constraints) {
    if (constraint.type != 'u') continue;
    std::vector<int>& key = schema.unique_keys.emplace_back();
    for (const std::string& column : constraint.columns) {
      SF_ASSIGN_OR_RETURN(const int index,
                          ColumnIndex(table, column, where + " constraint " + constraint.name));
      key.push_back(index);
    }
  }
  schema.table = std::move(table);
  return schema;
}

}  // namespace

std::optional<ColumnType> ColumnTypeOf(std::string_view sql_type) {
  for (const ColumnType type : kAllTypes) {
    if (SqlTypeName(type) == sql_type) return type;
  }
  return std::nullopt;
}

StatusOr<std::vector<TableSchema>> MakeTableSchemas(std::vector<TableDef> tables) {
  // QualifiedName() -> name and id column ("" for a table without one).
  std::map<std::string, std::pair<std::string, std::string>> names;
  for (const TableDef& table : tables) {
    names[table.QualifiedName()] = {
        table.name, table.without_id || table.columns.empty() ? "" : table.columns.front().name};
  }
  std::vector<TableSchema> schemas;
  for (TableDef& table : tables) {
    SF_ASSIGN_OR_RETURN(TableSchema schema, Describe(std::move(table)));
    const std::string where = "table " + schema.table.QualifiedName();
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type != 'f') continue;
      const auto parent = names.find(constraint.referenced_table);
      if (parent == names.end()) {
        return InvalidArgument(where + " constraint " + constraint.name + ": table " +
                               constraint.referenced_table + " is not declared");
      }
      // The column holding the referenced table's id: the key's one column, or the one of a
      // composite key that refers to the id (the others copy the referenced row's columns).
      for (size_t i = 0; i < constraint.columns.size(); ++i) {
        if (constraint.columns.size() > 1 &&
            (i >= constraint.referenced_columns.size() ||
             constraint.referenced_columns[i] != parent->second.second)) {
          continue;
        }
        SF_ASSIGN_OR_RETURN(const int column,
                            ColumnIndex(schema.table, constraint.columns[i],
                                        where + " constraint " + constraint.name));
        schema.columns[static_cast<size_t>(column)].references = parent->second.first;
      }
      const bool self = constraint.referenced_table == schema.table.QualifiedName();
      bool known = false;
      for (const std::string& name : schema.parents) known = known || name == parent->second.first;
      if (!self && !known) schema.parents.push_back(parent->second.first);
    }
    schemas.push_back(std::move(schema));
  }
  return schemas;
}

std::string TableSchema::IdSql(std::string_view qualifier) const {
  const std::string column = std::string(qualifier) + QuoteIdentifier(columns.front().name);
  return UuidIds() ? IdNumberSql(column) : column;
}

std::string TableSchema::IdBetweenSql(int64_t first, int64_t last,
                                      std::string_view qualifier) const {
  if (!has_id) return "true";
  return IdSql(qualifier) + " BETWEEN " + std::to_string(first) + " AND " + std::to_string(last);
}

}  // namespace seedforge
