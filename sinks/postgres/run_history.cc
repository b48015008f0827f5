// seedforge.runs (see run_history.h). The table is looked up in the catalog before it is used:
// naming seedforge.runs is an error for a role without USAGE on the schema, and such a role simply
// runs without history.
#include "sinks/postgres/run_history.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "sinks/postgres/connection.h"

namespace seedforge {
namespace {

std::string RunsPrivilegeQuery(const char* privileges) {
  return SeedforgeTablePrivilegeQuery("runs", privileges);
}

// Every column of seedforge.runs, in table order: the table is created with all of them, and a
// table of an older build gets the ones it lacks (with these defaults for its rows).
struct RunsColumn {
  const char* name;
  const char* definition;
};
constexpr RunsColumn kRunsColumns[] = {
    {"id", "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"},
    {"started_at", "timestamptz NOT NULL DEFAULT now()"},
    {"finished_at", "timestamptz NOT NULL DEFAULT now()"},
    {"command", "text NOT NULL DEFAULT ''"},
    {"profile", "text NOT NULL DEFAULT ''"},
    {"profile_source", "text NOT NULL DEFAULT ''"},
    {"profile_fingerprint", "text NOT NULL DEFAULT ''"},
    {"seed", "numeric(20, 0) NOT NULL DEFAULT 0"},
    {"targets", "jsonb NOT NULL DEFAULT '{}'"},
    {"tables", "jsonb NOT NULL DEFAULT '[]'"},
    {"rows_added", "bigint NOT NULL DEFAULT 0"},
    {"cleared", "boolean NOT NULL DEFAULT false"},
    {"seconds", "double precision NOT NULL DEFAULT 0"},
    {"outcome", "text NOT NULL DEFAULT ''"},
    {"message", "text"},
    {"seedforge_version", "text NOT NULL DEFAULT ''"},
    {"server_version", "text NOT NULL DEFAULT ''"},
    {"host", "text NOT NULL DEFAULT ''"},
    {"method", "text NOT NULL DEFAULT ''"},
    {"snapshot", "text"},
};

std::string CreateRunsSql() {
  std::string sql = "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS " +
                    std::string(kRunsTable) + " (";
  for (const RunsColumn& column : kRunsColumns) {
    if (&column != kRunsColumns) sql += ", ";
    sql += std::string(column.name) + " " + column.definition;
  }
  return sql + ")";
}

std::string JsonText(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

// Whether the role may write seedforge.runs, creating it when absent, allowed to and `create`.
// A read-only session (a standby, default_transaction_read_only) writes no history.
StatusOr<bool> EnsureRunsTable(PgConnection& connection, bool create) {
  SF_ASSIGN_OR_RETURN(const std::string read_only,
                      connection.QueryValue("SELECT current_setting('transaction_read_only')"));
  if (read_only == "on") return false;
  SF_ASSIGN_OR_RETURN(QueryResult found, connection.Query(RunsPrivilegeQuery("INSERT")));
  if (!found.rows.empty()) return found.rows[0][0] == "t";
  if (!create) return false;
  SF_ASSIGN_OR_RETURN(
      QueryResult creatable,
      connection.Query("SELECT COALESCE((SELECT has_schema_privilege(oid, 'CREATE') FROM "
                       "pg_namespace WHERE nspname = 'seedforge'), "
                       "has_database_privilege(current_database(), 'CREATE'))"));
  if (creatable.rows.at(0).at(0) != "t") return false;
  const Status created = connection.Execute(CreateRunsSql());
  if (created.code() == StatusCode::kPermissionDenied) return false;
  SF_RETURN_IF_ERROR(created.WithContext(std::string("creating ") + kRunsTable));
  return true;
}

// The columns seedforge.runs has after adding those an older build's table lacks. REQUIRES: the
// table exists and the role may use it. A role that may not alter it keeps the columns it has.
StatusOr<std::set<std::string>> MigrateRunsTable(PgConnection& connection) {
  const std::string columns_query =
      "SELECT attname FROM pg_attribute WHERE attrelid = 'seedforge.runs'::regclass AND attnum > "
      "0 AND NOT attisdropped";
  SF_ASSIGN_OR_RETURN(QueryResult present, connection.Query(columns_query));
  std::set<std::string> names;
  for (const auto& row : present.rows) names.insert(row[0].value_or(""));
  std::string alter;
  for (const RunsColumn& column : kRunsColumns) {
    if (names.count(column.name) > 0) continue;
    alter += std::string(alter.empty() ? "" : ", ") + "ADD COLUMN IF NOT EXISTS " + column.name +
             " " + column.definition;
  }
  if (alter.empty()) return names;
  const Status altered = connection.Execute("ALTER TABLE " + std::string(kRunsTable) + " " + alter);
  if (altered.code() == StatusCode::kPermissionDenied) return names;
  SF_RETURN_IF_ERROR(altered.WithContext(std::string("adding the new columns of ") + kRunsTable));
  for (const RunsColumn& column : kRunsColumns) names.insert(column.name);
  return names;
}

int64_t ToInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (!text.has_value()) return 0;
  std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

uint64_t ToUnsigned(const std::optional<std::string>& text) {
  uint64_t value = 0;
  if (!text.has_value()) return 0;
  std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

double ToDouble(const std::optional<std::string>& text) {
  return text.has_value() ? std::strtod(text->c_str(), nullptr) : 0;
}

}  // namespace

std::string SeedforgeTablePrivilegeQuery(std::string_view table, std::string_view privileges) {
  return "SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, '" +
         std::string(privileges) +
         "') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
         "'seedforge' AND c.relname = '" +
         std::string(table) + "'";
}

int64_t RunRecord::rows_added() const {
  int64_t total = 0;
  for (const RunTableRecord& table : tables) total += table.added + table.fixtures;
  return total;
}

std::string JoinedMethods(const std::vector<RunTableRecord>& tables) {
  std::string joined;
  for (const RunTableRecord& table : tables) {
    if (table.method.empty()) continue;
    const std::string part = "+" + joined + "+";
    if (part.find("+" + table.method + "+") != std::string::npos) continue;
    joined += (joined.empty() ? "" : "+") + table.method;
  }
  return joined;
}

Status RunFilter::Validate() const {
  if (id < 0) return InvalidArgument("id must be 0 (any) or positive, got " + std::to_string(id));
  if (limit >= 0) return Status::Ok();
  return InvalidArgument("limit must be 0 (all) or positive, got " + std::to_string(limit));
}

Status RecordRun(PgConnection& connection, const RunRecord& record, HistoryCreation creation) {
  // A run that failed before writing anything leaves a database without history as it was.
  const bool changed = record.rows_added() > 0 || record.outcome == "completed" || record.cleared;
  SF_ASSIGN_OR_RETURN(
      const bool writable,
      EnsureRunsTable(connection, changed && creation == HistoryCreation::kCreateIfAbsent));
  if (!writable) return Status::Ok();
  SF_ASSIGN_OR_RETURN(const std::set<std::string> columns, MigrateRunsTable(connection));
  std::string targets = "{";
  std::string tables = "[";
  for (const RunTableRecord& table : record.tables) {
    if (targets.size() > 1) targets += ", ";
    targets += JsonText(table.table) + ": " + std::to_string(table.target);
    if (tables.size() > 1) tables += ", ";
    tables +=
        "{\"table\": " + JsonText(table.table) + ", \"target\": " + std::to_string(table.target) +
        ", \"before\": " + std::to_string(table.before) +
        ", \"added\": " + std::to_string(table.added) +
        ", \"fixtures\": " + std::to_string(table.fixtures) +
        ", \"seconds\": " + Number(table.seconds) + ", \"method\": " + JsonText(table.method) + "}";
  }
  targets += "}";
  tables += "]";
  const auto literal = [&connection](std::string_view text) {
    return connection.QuoteLiteral(text);
  };
  const std::string seconds = Number(record.seconds);
  const std::pair<const char*, std::string> values[] = {
      {"started_at", "now() - make_interval(secs => " + seconds + ")"},
      {"finished_at", "now()"},
      {"command", literal(record.command)},
      {"profile", literal(record.profile)},
      {"profile_source", literal(record.profile_source)},
      {"profile_fingerprint", literal(record.profile_fingerprint)},
      {"seed", std::to_string(record.seed)},
      {"targets", literal(targets) + "::jsonb"},
      {"tables", literal(tables) + "::jsonb"},
      {"rows_added", std::to_string(record.rows_added())},
      {"cleared", record.cleared ? "true" : "false"},
      {"seconds", seconds},
      {"outcome", literal(record.outcome)},
      {"message", record.message.empty() ? std::string("NULL") : literal(record.message)},
      {"seedforge_version", literal(record.seedforge_version)},
      {"server_version", "current_setting('server_version')"},
      {"host", literal(HostName())},
      {"method", literal(record.method)},
      {"snapshot", record.snapshot.empty() ? std::string("NULL") : literal(record.snapshot)},
  };
  std::string names;
  std::string expressions;
  for (const auto& [name, expression] : values) {
    if (columns.count(name) == 0) continue;
    names += (names.empty() ? "" : ", ") + std::string(name);
    expressions += (expressions.empty() ? "" : ", ") + expression;
  }
  const Status inserted = connection.Execute("INSERT INTO " + std::string(kRunsTable) + " (" +
                                             names + ") SELECT " + expressions);
  return inserted.WithContext(std::string("recording the run in ") + kRunsTable);
}

StatusOr<std::optional<FillingRun>> ReadFillingRun(PgConnection& connection) {
  SF_ASSIGN_OR_RETURN(QueryResult found, connection.Query(RunsPrivilegeQuery("SELECT")));
  if (found.rows.empty() || found.rows[0][0] != "t") return std::optional<FillingRun>();
  // Through to_jsonb, so that a table of another shape reads as "no such run" instead of failing.
  SF_ASSIGN_OR_RETURN(
      QueryResult newest,
      connection.Query(
          "SELECT j->>'profile', j->>'profile_source', j->>'profile_fingerprint', j->>'seed', "
          "to_char((j->>'finished_at')::timestamptz AT TIME ZONE 'UTC', "
          "'YYYY-MM-DD HH24:MI:SS') FROM (SELECT to_jsonb(r) AS j FROM seedforge.runs r) s "
          "WHERE j ? 'profile_fingerprint' AND j->>'outcome' <> 'skipped' AND "
          "coalesce(j->>'command', '') NOT IN ('verify', 'snapshot create') AND "
          "((j->>'rows_added')::bigint > 0 OR (j->>'cleared')::boolean) "
          "ORDER BY (j->>'id')::bigint DESC LIMIT 1"));
  if (newest.rows.empty()) return std::optional<FillingRun>();
  const auto& row = newest.rows[0];
  // A restore of data whose profile is not known: nothing known filled the database.
  if (row[2].value_or("").empty()) return std::optional<FillingRun>();
  FillingRun run;
  run.profile = row[0].value_or("");
  run.profile_source = row[1].value_or("");
  run.profile_fingerprint = row[2].value_or("");
  run.seed = std::stoull(row[3].value_or("0"));
  run.finished_at = row[4].value_or("");
  return std::optional<FillingRun>(std::move(run));
}

StatusOr<std::vector<StoredRun>> ReadRuns(PgConnection& connection, const RunFilter& filter) {
  std::vector<StoredRun> runs;
  SF_ASSIGN_OR_RETURN(QueryResult found, connection.Query(RunsPrivilegeQuery("SELECT")));
  if (found.rows.empty() || found.rows[0][0] != "t") return runs;
  // Through to_jsonb, as ReadFillingRun: a table of an older build reads with its missing fields
  // NULL. One row per run and table (one row with NULL table for a run without tables).
  const char* const kTime = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";
  SF_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.QueryOne(
          "WITH runs AS (SELECT j FROM (SELECT to_jsonb(r) AS j FROM seedforge.runs r) s WHERE "
          "($1::text = '' OR j->>'profile' = $1::text) AND ($2::text = '' OR j->>'command' = "
          "$2::text) AND ($4::bigint = 0 OR (j->>'id')::bigint = $4::bigint) ORDER BY "
          "(j->>'id')::bigint DESC LIMIT NULLIF($3::bigint, 0)) "
          "SELECT j->>'id', to_char((j->>'started_at')::timestamptz AT TIME ZONE 'UTC', " +
              std::string(kTime) +
              "), to_char((j->>'finished_at')::timestamptz AT TIME ZONE 'UTC', " + kTime +
              "), j->>'command', j->>'profile', j->>'profile_source', j->>'profile_fingerprint', "
              "j->>'seed', j->>'seconds', j->>'outcome', j->>'message', j->>'seedforge_version', "
              "j->>'method', j->>'snapshot', j->>'cleared', j->>'server_version', j->>'host', "
              "t.e->>'table', t.e->>'target', t.e->>'before', t.e->>'added', t.e->>'fixtures', "
              "t.e->>'seconds', t.e->>'method' FROM runs LEFT JOIN LATERAL "
              "jsonb_array_elements(CASE WHEN jsonb_typeof(j->'tables') = 'array' THEN "
              "j->'tables' ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, n) ON true "
              "ORDER BY (j->>'id')::bigint DESC, t.n",
          {filter.profile, filter.command, std::to_string(filter.limit),
           std::to_string(filter.id)}));
  std::optional<std::string> current_id;
  for (const auto& row : rows.rows) {
    if (runs.empty() || row[0] != current_id) {
      current_id = row[0];
      StoredRun& run = runs.emplace_back();
      run.id = ToInt(row[0]);
      run.started_at = row[1].value_or("");
      run.finished_at = row[2].value_or("");
      RunRecord& record = run.record;
      record.command = row[3].value_or("");
      record.profile = row[4].value_or("");
      record.profile_source = row[5].value_or("");
      record.profile_fingerprint = row[6].value_or("");
      record.seed = ToUnsigned(row[7]);
      record.seconds = ToDouble(row[8]);
      record.outcome = row[9].value_or("");
      record.message = row[10].value_or("");
      record.seedforge_version = row[11].value_or("");
      record.method = row[12].value_or("");
      record.snapshot = row[13].value_or("");
      record.cleared = row[14].value_or("") == "true";
      run.server_version = row[15].value_or("");
      run.host = row[16].value_or("");
    }
    if (!row[17].has_value()) continue;
    RunTableRecord& table = runs.back().record.tables.emplace_back();
    table.table = *row[17];
    table.target = ToInt(row[18]);
    table.before = ToInt(row[19]);
    table.added = ToInt(row[20]);
    table.fixtures = ToInt(row[21]);
    table.seconds = ToDouble(row[22]);
    table.method = row[23].value_or("");
  }
  return runs;
}

}  // namespace seedforge
