// The sink's schema checks (see schema_check.h). The column comparison is a pure function of the
// two models, so its messages are tested without a server. A column of another type than the
// declared one is judged by what its generator writes (ColumnValues): every value must fit, and
// the wire form binary COPY needs for it comes out of the same decision; the privilege checks ask
// the server (has_table_privilege and friends), which alone knows roles and grants.
#include "sinks/postgres/schema_check.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"

namespace seedforge {
namespace {

using Kind = ColumnValues::Kind;

// True when a column of type `actual` (format_type() text) takes the model's values as they are:
// the same type, or for numeric any precision of at least 12 with 2 decimals, or no typmod.
// An enum (or an array of one) declared without a schema is the catalog's type of that name in
// whatever schema: the catalog prints it qualified ("public.mood").
bool TypeMatches(const ColumnSchema& column, const std::string& actual) {
  if (column.sql.kind == SqlTypeKind::kEnum) {
    auto parsed = ParseSqlType(actual);
    return parsed.ok() && parsed->kind == SqlTypeKind::kEnum && parsed->array == column.sql.array &&
           parsed->enum_name == column.sql.enum_name &&
           (column.sql.enum_schema.empty() || column.sql.enum_schema == parsed->enum_schema);
  }
  if (column.type != ColumnType::kNumeric2) return actual == column.sql_type;
  if (actual == "numeric") return true;
  int precision = 0;
  int scale = 0;
  char end = 0;
  return std::sscanf(actual.c_str(), "numeric(%d,%d%c", &precision, &scale, &end) == 3 &&
         end == ')' && precision >= 12 && scale == 2;
}

bool IsCharacterType(const SqlType& type) {
  return type.kind == SqlTypeKind::kText || type.kind == SqlTypeKind::kVarchar ||
         type.kind == SqlTypeKind::kChar;
}

// The wire form of integers sent to an integer column of type `type`.
WireType IntegerWire(const SqlType& type) {
  return type.kind == SqlTypeKind::kSmallint  ? WireType::kInt16
         : type.kind == SqlTypeKind::kInteger ? WireType::kInt32
                                              : WireType::kInt64;
}

// The outcome for one column: how its values go in, or why they cannot ("" when they can).
struct ColumnFit {
  WireType wire = WireType::kAsDeclared;
  std::string problem;
};

ColumnFit Refuse(std::string problem) { return {WireType::kAsDeclared, std::move(problem)}; }

// Whether a column of type `found` (another type than the declared one) takes every value
// `values` describes; nullopt when the values are of a kind `found` does not hold at all.
std::optional<ColumnFit> FitByValues(const ColumnValues& values, const SqlType& found) {
  const std::string generator = "generator '" + values.generator + "' ";
  const bool integer = IntegerRangeOf(found).has_value();
  switch (values.kind) {
    case Kind::kIntegers:
      if (!integer) break;
      if (!FitsIntegers(found, values.min, values.max)) {
        return Refuse(generator + "writes integers from " + std::to_string(values.min) + " to " +
                      std::to_string(values.max));
      }
      return ColumnFit{IntegerWire(found), ""};
    case Kind::kIds:  // their range is checked against the run's targets (CheckIdsFit)
      if (!integer) break;
      return ColumnFit{IntegerWire(found), ""};
    case Kind::kDecimals:
      if (found.kind != SqlTypeKind::kNumeric) break;
      if (!FitsNumeric(found, values.integer_digits, values.scale)) {
        return Refuse(generator + "writes numbers of " + std::to_string(values.integer_digits) +
                      " integer and " + std::to_string(values.scale) + " fraction digits");
      }
      return ColumnFit{};
    case Kind::kText:
      if (!IsCharacterType(found)) break;
      if (MaxCharacters(found) < 0) return ColumnFit{};
      if (values.max_chars == 0) return Refuse(generator + "writes text of unknown length");
      if (!FitsCharacters(found, values.max_chars)) {
        return Refuse(generator + "writes up to " + std::to_string(values.max_chars) +
                      " characters");
      }
      return ColumnFit{};
    case Kind::kMac:
    case Kind::kInet:
    case Kind::kUuid:
      if (!IsCharacterType(found)) break;
      if (!FitsCharacters(found, values.max_chars)) {
        return Refuse(generator + "writes up to " + std::to_string(values.max_chars) +
                      " characters");
      }
      return ColumnFit{WireType::kText, ""};
    case Kind::kJson:
      if (found.kind == SqlTypeKind::kJson) return ColumnFit{WireType::kJson, ""};
      if (found.kind == SqlTypeKind::kJsonb) return ColumnFit{WireType::kJsonb, ""};
      if (IsCharacterType(found) && MaxCharacters(found) < 0) return ColumnFit{WireType::kText, ""};
      break;
    case Kind::kAsDeclared:
      break;
  }
  return std::nullopt;
}

// How the column `found` of the table takes the values of `column`.
ColumnFit FitColumn(const ColumnSchema& column, const ColumnDef& found) {
  // A domain takes what its base type takes (and the server checks the domain's CHECKs).
  const std::string& found_type = found.base_type.empty() ? found.type : found.base_type;
  if (TypeMatches(column, found_type)) return {};
  const StatusOr<SqlType> type = ParseSqlType(found_type);
  std::optional<ColumnFit> by_values;
  if (type.ok() && !type->array && !column.sql.array) by_values = FitByValues(column.writes, *type);
  if (!by_values.has_value()) return Refuse("seedforge writes " + column.sql_type);
  ColumnFit fit = *std::move(by_values);
  // A declared jsonb is written by Json, a declared json by JsonText: the same text either way.
  if (fit.wire == WireType::kJsonb && column.sql.kind == SqlTypeKind::kJsonb) {
    fit.wire = WireType::kAsDeclared;
  }
  if (fit.wire == WireType::kJson && column.sql.kind == SqlTypeKind::kJson) {
    fit.wire = WireType::kAsDeclared;
  }
  return fit;
}

}  // namespace

StatusOr<std::vector<WireType>> TableTakesRows(const TableSchema& declared,
                                               const TableDef& actual) {
  const std::string where = "table " + declared.name + ": ";
  std::set<std::string> seen;
  std::vector<WireType> wires;
  bool converted = false;
  for (const ColumnSchema& column : declared.columns) {
    const ColumnDef* found = FindColumn(actual, column.name);
    if (found == nullptr) {
      return InvalidArgument(where + "column " + column.name + " is missing");
    }
    seen.insert(column.name);
    const ColumnFit fit = FitColumn(column, *found);
    if (!fit.problem.empty()) {
      return InvalidArgument(where + "column " + column.name + " is " + found->type + ", " +
                             fit.problem);
    }
    wires.push_back(fit.wire);
    converted = converted || fit.wire != WireType::kAsDeclared;
    if (found->generated != 0) {
      return InvalidArgument(where + "column " + column.name +
                             " is a generated column, seedforge writes it");
    }
    if (column.nullable && found->not_null) {
      return InvalidArgument(where + "column " + column.name +
                             " is NOT NULL, seedforge writes NULLs in it");
    }
  }
  for (const ColumnDef& column : actual.columns) {
    // A BEFORE INSERT trigger that fills the column counts as its default.
    const bool has_default = !column.default_expr.empty() || column.identity != 0 ||
                             column.generated != 0 || actual.FillingTrigger(column.name) != nullptr;
    if (seen.count(column.name) != 0 || !column.not_null || has_default) continue;
    return InvalidArgument(where + "column " + column.name +
                           " is NOT NULL without a default, and seedforge does not write it");
  }
  if (!converted) wires.clear();
  return wires;
}

Status CheckTableTakesRows(const TableSchema& declared, const TableDef& actual) {
  return TableTakesRows(declared, actual).status();
}

Status CheckIdsFit(const TableSchema& declared, const TableDef& actual,
                   const std::map<std::string, int64_t>& largest_ids) {
  for (const ColumnSchema& column : declared.columns) {
    if (column.writes.kind != Kind::kIds) continue;
    const auto largest = largest_ids.find(column.writes.ids_of);
    const ColumnDef* found = FindColumn(actual, column.name);
    if (largest == largest_ids.end() || found == nullptr) continue;
    const StatusOr<SqlType> type = ParseSqlType(found->type);
    if (!type.ok() || FitsIntegers(*type, 1, std::max<int64_t>(1, largest->second))) continue;
    return InvalidArgument("table " + declared.name + ": column " + column.name + " is " +
                           found->type + ", generator '" + column.writes.generator +
                           "' writes ids up to " + std::to_string(largest->second));
  }
  return Status::Ok();
}

std::vector<const EnumTypeDef*> DeclaredEnumTypes(const std::vector<const TableSchema*>& tables) {
  std::vector<const EnumTypeDef*> types;
  std::set<std::string> seen;
  for (const TableSchema* table : tables) {
    for (const ColumnSchema& column : table->columns) {
      if (column.declared_enum == nullptr) continue;
      if (seen.insert(column.declared_enum->QualifiedName()).second) {
        types.push_back(column.declared_enum.get());
      }
    }
  }
  return types;
}

std::string DescribeMissingLabels(const EnumTypeDef& declared,
                                  const std::vector<std::string>& actual) {
  const std::set<std::string> present(actual.begin(), actual.end());
  std::string missing, all;
  int count = 0;
  for (const std::string& label : declared.labels) {
    all += (all.empty() ? "" : ", ") + label;
    if (present.count(label) != 0) continue;
    missing += (missing.empty() ? "" : ", ") + label;
    ++count;
  }
  if (count == 0) return "";
  return "type " + declared.QualifiedName() + " lacks the label" + (count == 1 ? " " : "s ") +
         missing + " (declared: " + all + ")";
}

Status CheckEnumTypes(PgConnection& connection, const std::vector<const EnumTypeDef*>& declared,
                      std::vector<const EnumTypeDef*>* missing) {
  missing->clear();
  for (const EnumTypeDef* type : declared) {
    const std::string name = type->QualifiedName();
    SF_ASSIGN_OR_RETURN(
        QueryResult found,
        connection.QueryOne("SELECT t.typtype::text, e.enumlabel FROM pg_catalog.pg_type t "
                            "LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
                            "WHERE t.oid = pg_catalog.to_regtype($1) ORDER BY e.enumsortorder",
                            {name}));
    if (found.rows.empty()) {
      missing->push_back(type);
      continue;
    }
    if (found.rows[0][0] != "e") {
      return InvalidArgument("type " + name + " exists in the database and is not an enum type");
    }
    std::vector<std::string> labels;
    for (const auto& row : found.rows) {
      if (row[1].has_value()) labels.push_back(*row[1]);
    }
    const std::string difference = DescribeMissingLabels(*type, labels);
    if (!difference.empty()) return InvalidArgument(difference + " in the database");
  }
  return Status::Ok();
}

Status CheckUndeclaredEnumsExist(PgConnection& connection, const TableSchema& table) {
  for (const ColumnSchema& column : table.columns) {
    if (column.sql.kind != SqlTypeKind::kEnum || column.declared_enum != nullptr) continue;
    const std::string name = QualifiedName(column.sql.enum_schema, column.sql.enum_name);
    SF_ASSIGN_OR_RETURN(
        QueryResult found,
        connection.QueryOne("SELECT pg_catalog.to_regtype($1) IS NOT NULL", {name}));
    if (found.rows.empty() || found.rows[0][0] != "t") {
      return InvalidArgument("table " + table.name + ": column " + column.name + " is of type " +
                             name +
                             ", which the database does not have (declare it in the "
                             "profile's \"types\" to have it created)");
    }
  }
  return Status::Ok();
}

Status CheckCanCreate(PgConnection& connection, const std::string& missing) {
  SF_ASSIGN_OR_RETURN(QueryResult schema,
                      connection.Query("SELECT current_schema(), current_user, "
                                       "has_schema_privilege(current_schema(), 'CREATE')"));
  const auto& row = schema.rows.at(0);
  if (!row[0].has_value()) {
    return FailedPrecondition("cannot create " + missing + ": no schema on the search_path exists");
  }
  if (row[2] != "t") {
    return PermissionDenied("schema " + *row[0] + ": role " + row[1].value_or("?") +
                            " has no CREATE privilege, needed to create " + missing);
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
