// stats: one count and one size query per table, on the connection given.
#include "tools/stats.h"

#include <fmt/format.h>

#include "core/table_schema.h"
#include "engine/report.h"
#include "engine/run.h"
#include "sinks/postgres/connection.h"
#include "tools/sql_text.h"

namespace seedforge {

StatusOr<DatabaseStats> CollectStats(PgConnection& connection, const Profile& profile) {
  DatabaseStats stats;
  stats.profile = profile.name;
  stats.seed = profile.seed;
  stats.server_version = connection.server_version_text();
  SF_ASSIGN_OR_RETURN(QueryResult database,
                      connection.Query("SELECT current_database(), "
                                       "pg_database_size(current_database()), "
                                       "pg_size_pretty(pg_database_size(current_database()))"));
  stats.database = database.rows.at(0).at(0).value_or("");
  SF_ASSIGN_OR_RETURN(stats.bytes, ParseInt(database.rows.at(0).at(1)));
  stats.size_pretty = database.rows.at(0).at(2).value_or("");
  // A per-parent table's target is the count a fresh seed derives from its parents' targets.
  const std::vector<int64_t> targets = PlanFreshSeed(profile).targets;
  for (size_t t = 0; t < profile.schemas().size(); ++t) {
    const TableSchema& schema = profile.schemas()[t];
    TableStats& table = stats.tables.emplace_back();
    table.table = schema.name;
    table.target = targets[t];
    const std::string qualified = schema.table.QualifiedName();  // quoted as SQL needs it
    const std::string name = SqlLiteral(qualified);
    SF_ASSIGN_OR_RETURN(
        const std::string exists,
        connection.QueryValue("SELECT (to_regclass(" + name + ") IS NOT NULL)::text"));
    table.exists = exists == "true";
    if (!table.exists) continue;
    auto counted = connection.Query("SELECT (SELECT count(*) FROM " + qualified +
                                    "), pg_total_relation_size(" + name +
                                    "), pg_size_pretty(pg_total_relation_size(" + name + "))");
    if (!counted.ok()) {
      // Say which step needed what: a bare "permission denied for table users" does not.
      Status failed = counted.status().WithContext("counting rows of " + schema.name);
      if (failed.code() == StatusCode::kPermissionDenied) {
        failed = Status(failed.code(), failed.message() + " (the role needs SELECT on it)");
      }
      return failed;
    }
    const QueryResult& row = *counted;
    SF_ASSIGN_OR_RETURN(table.rows, ParseInt(row.rows.at(0).at(0)));
    SF_ASSIGN_OR_RETURN(table.bytes, ParseInt(row.rows.at(0).at(1)));
    table.size_pretty = row.rows.at(0).at(2).value_or("");
  }
  return stats;
}

std::string FormatStatsText(const DatabaseStats& stats) {
  std::string out = fmt::format("database {} (PostgreSQL {}), profile {} (seed {})\n",
                                stats.database, stats.server_version, stats.profile, stats.seed);
  out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", "table", "rows", "target", "of target",
                     "size");
  for (const TableStats& table : stats.tables) {
    if (!table.exists) {
      out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", table.table, "absent",
                         GroupDigits(table.target), "-", "-");
      continue;
    }
    const std::string share = table.target > 0
                                  ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(table.rows) /
                                                               static_cast<double>(table.target))
                                  : "-";
    out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", table.table, GroupDigits(table.rows),
                       GroupDigits(table.target), share, table.size_pretty);
  }
  out += fmt::format("database size: {} ({} bytes)\n", stats.size_pretty, stats.bytes);
  return out;
}

std::string FormatStatsJson(const DatabaseStats& stats) {
  std::string out = "{\n";
  out += fmt::format("  \"database\": {},\n", JsonString(stats.database));
  out += fmt::format("  \"server_version\": {},\n", JsonString(stats.server_version));
  out += fmt::format("  \"profile\": {},\n", JsonString(stats.profile));
  out += fmt::format("  \"seed\": {},\n", stats.seed);
  out += fmt::format("  \"database_bytes\": {},\n", stats.bytes);
  out += fmt::format("  \"database_size\": {},\n", JsonString(stats.size_pretty));
  out += "  \"tables\": [";
  for (size_t i = 0; i < stats.tables.size(); ++i) {
    const TableStats& t = stats.tables[i];
    out += fmt::format(
        "{}\n    {{\"table\": {}, \"exists\": {}, \"rows\": {}, \"target\": {}, \"bytes\": {}, "
        "\"size\": {}}}",
        i == 0 ? "" : ",", JsonString(t.table), t.exists ? "true" : "false", t.rows, t.target,
        t.bytes, t.exists ? JsonString(t.size_pretty) : "null");
  }
  out += "\n  ]\n}\n";
  return out;
}
}  // namespace seedforge
