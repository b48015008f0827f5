// The sink's schema checks (see schema_check.h). The column comparison is a pure function of the
// two models, so its messages are tested without a server; the privilege checks ask the server
// (has_table_privilege and friends), which alone knows roles and grants.
#include "sinks/postgres/schema_check.h"

#include <cstdio>
#include <set>
#include <string>

#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"

namespace seedforge {
namespace {

// True when a column of type `actual` (format_type() text) takes the model's values as they are:
// the same type, or for numeric any precision of at least 12 with 2 decimals, or no typmod.
bool TypeMatches(const ColumnSchema& column, const std::string& actual) {
  if (column.type != ColumnType::kNumeric2) return actual == column.sql_type;
  if (actual == "numeric") return true;
  int precision = 0;
  int scale = 0;
  char end = 0;
  return std::sscanf(actual.c_str(), "numeric(%d,%d%c", &precision, &scale, &end) == 3 &&
         end == ')' && precision >= 12 && scale == 2;
}

}  // namespace

Status CheckTableTakesRows(const TableSchema& declared, const TableDef& actual) {
  const std::string where = "table " + declared.name + ": ";
  std::set<std::string> seen;
  for (const ColumnSchema& column : declared.columns) {
    const ColumnDef* found = FindColumn(actual, column.name);
    if (found == nullptr) {
      return FailedPrecondition(where + "column " + column.name + " is missing");
    }
    seen.insert(column.name);
    if (!TypeMatches(column, found->type)) {
      return FailedPrecondition(where + "column " + column.name + " is " + found->type +
                                ", seedforge writes " + column.sql_type);
    }
    if (found->generated != 0) {
      return FailedPrecondition(where + "column " + column.name +
                                " is a generated column, seedforge writes it");
    }
    if (column.nullable && found->not_null) {
      return FailedPrecondition(where + "column " + column.name +
                                " is NOT NULL, seedforge writes NULLs in it");
    }
  }
  for (const ColumnDef& column : actual.columns) {
    const bool has_default =
        !column.default_expr.empty() || column.identity != 0 || column.generated != 0;
    if (seen.count(column.name) != 0 || !column.not_null || has_default) continue;
    return FailedPrecondition(where + "column " + column.name +
                              " is NOT NULL without a default, and seedforge does not write it");
  }
  return Status::Ok();
}

StatusOr<bool> CheckExistingTable(PgConnection& connection, const TableSchema& table) {
  SF_ASSIGN_OR_RETURN(std::optional<TableDef> actual,
                      ReadTable(connection, connection.QuoteIdentifier(table.name)));
  if (!actual.has_value()) return false;
  SF_RETURN_IF_ERROR(CheckTableTakesRows(table, *actual));
  return true;
}

Status CheckCanCreate(PgConnection& connection, const std::string& missing) {
  SF_ASSIGN_OR_RETURN(QueryResult schema,
                      connection.Query("SELECT current_schema(), current_user, "
                                       "has_schema_privilege(current_schema(), 'CREATE')"));
  const auto& row = schema.rows.at(0);
  if (!row[0].has_value()) {
    return FailedPrecondition("cannot create table " + missing +
                              ": no schema on the search_path exists");
  }
  if (row[2] != "t") {
    return PermissionDenied("schema " + *row[0] + ": role " + row[1].value_or("?") +
                            " has no CREATE privilege, needed to create table " + missing);
  }
  return Status::Ok();
}

Status CheckCanAppend(PgConnection& connection, const TableSchema& table) {
  const std::string name = connection.QuoteIdentifier(table.name);
  const std::string literal = connection.QuoteLiteral(name);
  SF_ASSIGN_OR_RETURN(
      QueryResult rights,
      connection.Query("SELECT current_user, has_table_privilege(" + literal +
                       ", 'INSERT'), s, s IS NULL OR (has_sequence_privilege(s, 'SELECT') AND "
                       "has_sequence_privilege(s, 'UPDATE')) "
                       "FROM pg_get_serial_sequence(" +
                       literal + ", " + connection.QuoteLiteral(table.columns.front().name) +
                       ") AS s"));
  const auto& row = rights.rows.at(0);
  const std::string role = row[0].value_or("?");
  if (row[1] != "t") {
    return PermissionDenied("table " + table.name + ": role " + role +
                            " has no INSERT privilege on it");
  }
  if (row[3] != "t") {
    return PermissionDenied("table " + table.name + ": role " + role +
                            " needs SELECT and UPDATE on sequence " + row[2].value_or("?") +
                            " to move it past the generated ids");
  }
  return Status::Ok();
}

}  // namespace seedforge
