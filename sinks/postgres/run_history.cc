// seedforge.runs (see run_history.h). The table is looked up in the catalog before it is used:
// naming seedforge.runs is an error for a role without USAGE on the schema, and such a role simply
// runs without history.
#include "sinks/postgres/run_history.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "sinks/postgres/connection.h"

namespace seedforge {
namespace {

std::string RunsPrivilegeQuery(const char* privileges) {
  return SeedforgeTablePrivilegeQuery("runs", privileges);
}

constexpr const char* kCreateRuns =
    "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS seedforge.runs ("
    "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL, "
    "command text NOT NULL, profile text NOT NULL, profile_source text NOT NULL, "
    "profile_fingerprint text NOT NULL, seed numeric(20, 0) NOT NULL, "
    "targets jsonb NOT NULL, tables jsonb NOT NULL, rows_added bigint NOT NULL, "
    "cleared boolean NOT NULL, seconds double precision NOT NULL, outcome text NOT NULL, "
    "message text, seedforge_version text NOT NULL, server_version text NOT NULL, "
    "host text NOT NULL)";

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
StatusOr<bool> EnsureRunsTable(PgConnection& connection, bool create) {
  SF_ASSIGN_OR_RETURN(QueryResult found, connection.Query(RunsPrivilegeQuery("INSERT")));
  if (!found.rows.empty()) return found.rows[0][0] == "t";
  if (!create) return false;
  SF_ASSIGN_OR_RETURN(
      QueryResult creatable,
      connection.Query("SELECT COALESCE((SELECT has_schema_privilege(oid, 'CREATE') FROM "
                       "pg_namespace WHERE nspname = 'seedforge'), "
                       "has_database_privilege(current_database(), 'CREATE'))"));
  if (creatable.rows.at(0).at(0) != "t") return false;
  const Status created = connection.Execute(kCreateRuns);
  if (created.code() == StatusCode::kPermissionDenied) return false;
  SF_RETURN_IF_ERROR(created.WithContext(std::string("creating ") + kRunsTable));
  return true;
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

Status RecordRun(PgConnection& connection, const RunRecord& record) {
  // A run that failed before writing anything leaves a database without history as it was.
  const bool changed = record.rows_added() > 0 || record.outcome == "completed" || record.cleared;
  SF_ASSIGN_OR_RETURN(const bool writable, EnsureRunsTable(connection, changed));
  if (!writable) return Status::Ok();
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
  const Status inserted = connection.Execute(
      "INSERT INTO seedforge.runs (started_at, finished_at, command, profile, profile_source, "
      "profile_fingerprint, seed, targets, tables, rows_added, cleared, seconds, outcome, message, "
      "seedforge_version, server_version, host) SELECT now() - make_interval(secs => " +
      seconds + "), now(), " + literal(record.command) + ", " + literal(record.profile) + ", " +
      literal(record.profile_source) + ", " + literal(record.profile_fingerprint) + ", " +
      std::to_string(record.seed) + ", " + literal(targets) + "::jsonb, " + literal(tables) +
      "::jsonb, " + std::to_string(record.rows_added()) + ", " +
      (record.cleared ? "true" : "false") + ", " + seconds + ", " + literal(record.outcome) + ", " +
      (record.message.empty() ? std::string("NULL") : literal(record.message)) + ", " +
      literal(record.seedforge_version) + ", current_setting('server_version'), " +
      literal(HostName()));
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
          "((j->>'rows_added')::bigint > 0 OR (j->>'cleared')::boolean) "
          "ORDER BY (j->>'id')::bigint DESC LIMIT 1"));
  if (newest.rows.empty()) return std::optional<FillingRun>();
  const auto& row = newest.rows[0];
  FillingRun run;
  run.profile = row[0].value_or("");
  run.profile_source = row[1].value_or("");
  run.profile_fingerprint = row[2].value_or("");
  run.seed = std::stoull(row[3].value_or("0"));
  run.finished_at = row[4].value_or("");
  return std::optional<FillingRun>(std::move(run));
}

}  // namespace seedforge
