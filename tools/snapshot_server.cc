// Snapshots and the server (see snapshot.h): template databases, marked with the snapshot's
// random id in their comment so that delete, prune and restore touch a template only when it is
// this snapshot's, never a same-named one made from a copy of the folder on another machine; the
// checks and the lock taken before a snapshot is made or restored; connection strings for
// another database; the other sessions on a database.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tools/snapshot.h"

namespace seedforge {
namespace {

std::string TemplateComment(const SnapshotManifest& manifest) {
  return "seedforge snapshot " + manifest.id;
}

}  // namespace

StatusOr<bool> TemplateExists(PgConnection& connection, const SnapshotManifest& manifest) {
  if (manifest.template_database.empty()) return false;
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.Query("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                       "datname = " +
                       connection.QuoteLiteral(manifest.template_database)));
  return !found.rows.empty() && found.rows[0][0] == TemplateComment(manifest);
}

StatusOr<bool> DropTemplate(PgConnection& connection, const SnapshotManifest& manifest) {
  SF_ASSIGN_OR_RETURN(const bool exists, TemplateExists(connection, manifest));
  if (!exists) return false;
  const std::string name = QuoteIdentifier(manifest.template_database);
  SF_RETURN_IF_ERROR(connection.Execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false"));
  SF_RETURN_IF_ERROR(connection.Execute("DROP DATABASE " + name));
  return true;
}

Status CommentTemplate(PgConnection& connection, const SnapshotManifest& manifest) {
  return connection.Execute("COMMENT ON DATABASE " + QuoteIdentifier(manifest.template_database) +
                            " IS " + connection.QuoteLiteral(TemplateComment(manifest)));
}

StatusOr<std::vector<std::string>> CoveredSchemas(PgConnection& connection,
                                                  const std::vector<std::string>& include,
                                                  const std::vector<std::string>& exclude) {
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.QueryOne("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN "
                          "('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' "
                          "AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY nspname COLLATE \"C\"",
                          {}));
  std::vector<std::string> schemas;
  for (const auto& row : found.rows) schemas.push_back(*row[0]);
  for (const std::string& name : include) {
    if (std::find(schemas.begin(), schemas.end(), name) == schemas.end()) {
      return NotFound("--schema " + name + ": database " + connection.database() +
                      " has no schema of that name");
    }
  }
  std::vector<std::string> covered;
  for (const std::string& name : schemas) {
    const bool wanted =
        include.empty() || std::find(include.begin(), include.end(), name) != include.end();
    const bool excluded = std::find(exclude.begin(), exclude.end(), name) != exclude.end();
    if (wanted && !excluded) covered.push_back(name);
  }
  return covered;
}

std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "\"" : ",\"";
    for (const char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Status CheckNoPendingConstraints(PgConnection& connection, const std::string& what) {
  // Looked up in the catalog first: a query that fails would abort the caller's transaction.
  SF_ASSIGN_OR_RETURN(
      std::string readable,
      connection.QueryValue(
          "SELECT coalesce(bool_or(has_schema_privilege(c.relnamespace, 'USAGE') AND "
          "has_table_privilege(c.oid, 'SELECT')), false) FROM pg_class c JOIN pg_namespace n ON "
          "n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname = " +
          connection.QuoteLiteral(kPendingConstraintsTable)));
  if (readable != "t") return Status::Ok();
  SF_ASSIGN_OR_RETURN(
      const int64_t pending,
      connection.QueryInt("SELECT count(*) FROM " + std::string(kPendingConstraintsTable)));
  if (pending == 0) return Status::Ok();
  return FailedPrecondition(
      std::string(kPendingConstraintsTable) + " holds " + std::to_string(pending) +
      " foreign key(s) that an interrupted `seedforge seed` took down for its bulk load; run "
      "`seedforge seed` again to finish that load, " +
      what);
}

Status TakeSeedforgeLock(PgConnection& connection, int timeout_seconds,
                         const std::atomic<bool>* cancel,
                         const std::function<void(std::string_view)>& notice) {
  const std::string key = std::to_string(kAdvisoryLockKey);
  const std::string sql = "SELECT pg_try_advisory_lock(" + key + ")";
  const auto started = std::chrono::steady_clock::now();
  for (bool first = true;; first = false) {
    SF_ASSIGN_OR_RETURN(const std::string got, connection.QueryValue(sql));
    if (got == "t") {
      SF_FAILPOINT("snapshot.lock_taken", "");
      return Status::Ok();
    }
    if (first && notice) {
      notice("waiting for another seedforge run on database " + connection.database() +
             " to finish (advisory lock " + key + ")");
    }
    if (first) SF_FAILPOINT("snapshot.lock_busy", "");
    if (timeout_seconds > 0 &&
        std::chrono::steady_clock::now() - started >= std::chrono::seconds(timeout_seconds)) {
      return Unavailable("gave up after " + std::to_string(timeout_seconds) +
                         " s waiting for another seedforge run on this database (--lock-timeout)");
    }
    if (cancel != nullptr && cancel->load()) {
      return Cancelled("interrupted while waiting for another seedforge run");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

namespace {

// `conninfo` in key=value form, leaving out the keywords `skip` accepts, then `extra` settings.
StatusOr<std::string> RebuildConninfo(const std::string& conninfo,
                                      const std::function<bool(std::string_view)>& skip,
                                      const std::vector<std::pair<const char*, std::string>>& extra,
                                      bool* skipped_any) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error == nullptr ? "out of memory" : error;
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return InvalidArgument("cannot parse the connection string: " + message);
  }
  std::string out;
  const auto add = [&out](const char* key, std::string_view value) {
    out += out.empty() ? "" : " ";
    out += key;
    out += "='";
    for (const char c : value) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += "'";
  };
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (skip(option->keyword)) {
      if (skipped_any != nullptr) *skipped_any = true;
      continue;
    }
    add(option->keyword, option->val);
  }
  PQconninfoFree(options);
  for (const auto& [key, value] : extra) add(key, value);
  return out;
}

}  // namespace

StatusOr<std::string> ConninfoForDatabase(const std::string& conninfo,
                                          const std::string& database) {
  return RebuildConninfo(
      conninfo, [](std::string_view key) { return key == "dbname"; }, {{"dbname", database}},
      nullptr);
}

StatusOr<std::string> ConninfoWithoutPassword(const std::string& conninfo) {
  bool had_password = false;
  SF_ASSIGN_OR_RETURN(
      std::string rebuilt,
      RebuildConninfo(
          conninfo, [](std::string_view key) { return key == "password"; }, {}, &had_password));
  return had_password ? rebuilt : conninfo;
}

StatusOr<OtherSessions> ListOtherSessions(PgConnection& connection) {
  // Not `backend_type = 'client backend'`: for other roles' sessions it is NULL unless we are a
  // superuser or pg_read_all_stats. Background processes without a role (autovacuum) have no
  // usesysid; PostgreSQL ends those itself before copying or renaming a database.
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.Query("SELECT count(*), coalesce(string_agg('pid ' || pid || ' ' || "
                       "coalesce(nullif(application_name, ''), 'unnamed') || ' (' || "
                       "coalesce(usename, 'unknown role') || ')', ', ' ORDER BY pid), '') FROM "
                       "pg_stat_activity WHERE datname = current_database() AND pid <> "
                       "pg_backend_pid() AND usesysid IS NOT NULL AND (backend_type IS NULL OR "
                       "backend_type = 'client backend')"));
  OtherSessions sessions;
  sessions.count = std::stoll(found.rows.at(0).at(0).value_or("0"));
  sessions.names = found.rows.at(0).at(1).value_or("");
  return sessions;
}

}  // namespace seedforge
