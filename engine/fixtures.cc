// Fixture statements (see fixtures.h).
#include "engine/fixtures.h"

#include <cctype>

#include <string_view>

#include "sinks/postgres/connection.h"
#include "sinks/postgres/ddl.h"
#include "sinks/postgres/schema_check.h"

namespace seedforge {
namespace {

// The SQL expression of one fixture value of `column`.
std::string ValueSql(PgConnection& connection, const Profile& profile, const ColumnSchema& column,
                     const FixtureValue& value) {
  using Kind = FixtureValue::Kind;
  const std::string& type = column.sql_type;
  switch (value.kind) {
    case Kind::kNull:
      return "NULL::" + type;
    case Kind::kBool:
      return value.boolean ? "true" : "false";
    case Kind::kNumber:
      return value.text + "::" + type;
    case Kind::kString:
    case Kind::kJson:
      return connection.QuoteLiteral(value.text) + "::" + type;
    case Kind::kRef: {
      // The reader checked that the parent is a table of the profile with that fixture.
      const size_t parent = static_cast<size_t>(profile.FindTable(column.references));
      const TableSchema& schema = profile.schemas()[parent];
      const TableFixtures& fixtures = profile.fixtures[parent];
      const ColumnSchema& key = schema.columns[static_cast<size_t>(fixtures.key_column)];
      return "(SELECT " + connection.QuoteIdentifier(schema.columns.front().name) + " FROM " +
             connection.QuoteIdentifier(schema.name) + " WHERE " +
             connection.QuoteIdentifier(key.name) + " = " + connection.QuoteLiteral(value.text) +
             "::" + key.sql_type + " LIMIT 1)";
    }
  }
  return "NULL";
}

// A statement of the fixture transaction: the insert of one fixture row (its count is the row
// inserted or not), or moving an identity.
struct FixtureStatement {
  size_t table = 0;
  std::string sql;
  std::string path;  // the fixture row's JSON path; empty for an identity move
};

// In foreign-key order, per fixture row, an insert of the row when its key is absent, returning
// how many rows it inserted. Rows are separate statements so that a {"ref": ...} sees the
// fixtures inserted before it. With `move_identities`, each table's rows are preceded by moving
// its identity past the largest id, so fixtures never take an id a row was given by hand (setval
// is not transactional, so a dry run leaves that out).
std::vector<FixtureStatement> FixtureStatements(PgConnection& connection, const Profile& profile,
                                                bool move_identities) {
  std::vector<FixtureStatement> statements;
  for (size_t t = 0; t < profile.fixtures.size(); ++t) {
    const TableFixtures& fixtures = profile.fixtures[t];
    if (fixtures.rows.empty()) continue;
    const TableSchema& schema = profile.schemas()[t];
    const std::string table = connection.QuoteIdentifier(schema.name);
    const std::string id = connection.QuoteIdentifier(schema.columns.front().name);
    const ColumnSchema& key = schema.columns[static_cast<size_t>(fixtures.key_column)];
    if (move_identities && schema.has_id && !schema.UuidIds()) {
      statements.push_back(
          {t,
           "SELECT setval(s, GREATEST(m, COALESCE(pg_sequence_last_value(s), 0))) FROM (SELECT "
           "pg_get_serial_sequence(" +
               connection.QuoteLiteral(table) + ", " +
               connection.QuoteLiteral(schema.columns.front().name) +
               ")::regclass AS s, (SELECT max(" + id + ") FROM " + table +
               ") AS m) x WHERE s IS NOT NULL AND m IS NOT NULL",
           ""});
    }
    for (const FixtureRow& row : fixtures.rows) {
      std::string columns;
      std::string values;
      // The counting run rolls back, but a sequence does not: its rows take an id past the
      // largest instead of the identity's next value, so counting moves no sequence (a rerun
      // would otherwise give the fixtures later ids than a run that was never interrupted).
      const bool explicit_id = !move_identities && row.Find(0) == nullptr;
      if (explicit_id) {
        columns = id;
        values = "(SELECT COALESCE(max(" + id + "), 0) + 1 FROM " + table + ")";
      }
      for (const auto& [column, value] : row.values) {
        const ColumnSchema& target = schema.columns[static_cast<size_t>(column)];
        columns += columns.empty() ? "" : ", ";
        columns += connection.QuoteIdentifier(target.name);
        values += values.empty() ? "" : ", ";
        values += ValueSql(connection, profile, target, value);
      }
      statements.push_back({t,
                            "WITH f AS (INSERT INTO " + table + " (" + columns + ")" +
                                (explicit_id ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " +
                                values + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " +
                                connection.QuoteIdentifier(key.name) + " = " +
                                ValueSql(connection, profile, key, *row.Find(fixtures.key_column)) +
                                ") RETURNING 1) SELECT count(*) FROM f",
                            row.path});
    }
  }
  return statements;
}

// Runs the statements in a transaction that ends with `end` ("COMMIT" or "ROLLBACK").
StatusOr<std::vector<int64_t>> RunFixtures(PgConnection& connection, const Profile& profile,
                                           const std::string& prologue, const char* end) {
  std::vector<int64_t> inserted(profile.schemas().size(), 0);
  const auto statements = FixtureStatements(connection, profile, std::string_view(end) == "COMMIT");
  if (statements.empty()) return inserted;
  SF_RETURN_IF_ERROR(connection.Execute("BEGIN"));
  Status status = prologue.empty() ? Status::Ok() : connection.Execute(prologue);
  for (const FixtureStatement& statement : statements) {
    if (!status.ok()) break;
    if (statement.path.empty()) {
      status = connection.Execute(statement.sql);
      continue;
    }
    auto count = connection.QueryInt(statement.sql);
    if (!count.ok()) {
      status = count.status().WithContext(profile.source + ": " + statement.path);
      break;
    }
    inserted[statement.table] += *count;
  }
  if (!status.ok()) {
    (void)connection.Execute("ROLLBACK");
    return status;
  }
  SF_RETURN_IF_ERROR(connection.Execute(end));
  return inserted;
}

}  // namespace

bool HasFixtures(const Profile& profile) {
  for (const TableFixtures& fixtures : profile.fixtures) {
    if (!fixtures.rows.empty()) return true;
  }
  return false;
}

namespace {

// The server's text of fixture value `value` in `column`; false when it cannot be known here.
bool FixtureServerText(const ColumnSchema& column, const FixtureValue& value, std::string* out) {
  switch (value.kind) {
    case FixtureValue::Kind::kString:
      *out = value.text;
      if (column.sql.kind == SqlTypeKind::kUuid) {
        for (char& c : *out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return true;
    case FixtureValue::Kind::kBool:
      out->assign(1, value.boolean ? 't' : 'f');
      return true;
    case FixtureValue::Kind::kNumber: {
      *out = value.text;
      if (column.sql.kind != SqlTypeKind::kNumeric || column.sql.scale <= 0) return true;
      // numeric(p,s) prints s fraction digits.
      if (out->find_first_of("eE") != std::string::npos) return false;
      size_t point = out->find('.');
      if (point == std::string::npos) {
        point = out->size();
        out->push_back('.');
      }
      const size_t digits = out->size() - point - 1;
      const auto scale = static_cast<size_t>(column.sql.scale);
      if (digits > scale) return false;
      out->append(scale - digits, '0');
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

std::vector<std::string> FixtureRowUniqueKeys(const TableSchema& schema, const FixtureRow& row) {
  std::vector<std::string> keys;
  std::vector<std::string> texts;
  std::vector<std::string_view> values;
  for (size_t k = 0; k < schema.unique_keys.size(); ++k) {
    texts.clear();
    for (const int column : schema.unique_keys[k]) {
      const FixtureValue* value = row.Find(column);
      std::string text;
      if (value == nullptr ||
          !FixtureServerText(schema.columns[static_cast<size_t>(column)], *value, &text)) {
        break;
      }
      texts.push_back(std::move(text));
    }
    if (texts.size() != schema.unique_keys[k].size()) continue;
    values.assign(texts.begin(), texts.end());
    EncodeUniqueKey(static_cast<int>(k), values, &keys.emplace_back());
  }
  return keys;
}

std::vector<std::vector<std::string>> FixtureUniqueKeys(const Profile& profile) {
  std::vector<std::vector<std::string>> keys(profile.schemas().size());
  for (size_t t = 0; t < keys.size(); ++t) {
    for (const FixtureRow& row : profile.fixtures[t].rows) {
      for (std::string& key : FixtureRowUniqueKeys(profile.schemas()[t], row)) {
        keys[t].push_back(std::move(key));
      }
    }
  }
  return keys;
}

StatusOr<std::vector<int64_t>> CountAbsentFixtures(PgConnection& connection,
                                                   const Profile& profile) {
  std::string create;
  // The declared enum types the missing tables need, created as CreateSchema would (and rolled
  // back with them).
  std::vector<const TableSchema*> tables;
  for (const TableSchema& schema : profile.schemas()) tables.push_back(&schema);
  for (const EnumTypeDef* type : DeclaredEnumTypes(tables)) {
    SF_ASSIGN_OR_RETURN(QueryResult exists,
                        connection.Query("SELECT to_regtype(" +
                                         connection.QuoteLiteral(type->QualifiedName()) + ")"));
    if (!exists.rows.at(0).at(0).has_value()) create += CreateEnumTypeStatement(*type) + ";\n";
  }
  for (const TableSchema& schema : profile.schemas()) {
    SF_ASSIGN_OR_RETURN(
        QueryResult exists,
        connection.Query("SELECT to_regclass(" +
                         connection.QuoteLiteral(connection.QuoteIdentifier(schema.name)) + ")"));
    if (!exists.rows.at(0).at(0).has_value()) create += CreateTableWithConstraintsSql(schema.table);
  }
  return RunFixtures(connection, profile, create, "ROLLBACK");
}

StatusOr<std::vector<int64_t>> InsertFixtures(PgConnection& connection, const Profile& profile) {
  return RunFixtures(connection, profile, "", "COMMIT");
}

}  // namespace seedforge
