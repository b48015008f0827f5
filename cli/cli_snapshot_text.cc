// What the snapshot commands print: sizes, ages, coverage, table counts, the restore hint and
// the JSON of `snapshot list --json` (see cli_snapshot.h).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "cli/cli_snapshot.h"
#include "core/civil_time.h"
#include "engine/report.h"
#include "sinks/postgres/connection.h"

namespace seedforge::cli {

// "512 bytes", "12 kB", "3.4 MB", "1.2 GB" (1024-based, as pg_size_pretty).
std::string Bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  return value < 10 ? fmt::format("{:.1f} {}", value, units[unit])
                    : fmt::format("{:.0f} {}", value, units[unit]);
}

// "45 s ago", "12 min ago", "3 h ago", "5 days ago" from an ISO 8601 UTC time.
std::string Age(const std::string& created_at) {
  int64_t micros = 0;
  if (!ParseIso8601(created_at, &micros)) return "?";
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t seconds = std::max<int64_t>(0, now - micros / 1000000);
  if (seconds < 120) return fmt::format("{} s ago", seconds);
  if (seconds < 7200) return fmt::format("{} min ago", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{} h ago", seconds / 3600);
  return fmt::format("{} days ago", seconds / 86400);
}

// "2026-01-22 14:30:22Z": created_at to the second.
std::string CreatedText(const std::string& created_at) {
  std::string text = created_at.substr(0, 19);
  if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
  return text + "Z";
}

// "users" for public tables, "seedforge.segments" otherwise.
std::string ShortName(const TableDef& table) {
  return table.schema == "public" ? QuoteIdentifier(table.name) : table.QualifiedName();
}

std::string ProfileText(const SnapshotManifest& m) {
  if (!m.profile.has_value() && !m.seed.has_value()) return "unknown";
  return m.profile.value_or("?") + ", seed " + m.seed.value_or("?");
}

// "schemas billing, public; 14 tables, 2 partitioned with 6 partitions".
std::string Coverage(const SnapshotManifest& m) {
  std::string schemas;
  for (const std::string& schema : m.schemas) schemas += (schemas.empty() ? "" : ", ") + schema;
  size_t partitions = 0;
  for (const SnapshotTable& table : m.tables) partitions += table.partition_of.empty() ? 0 : 1;
  std::string out = fmt::format("schema{} {}; {} tables", m.schemas.size() == 1 ? "" : "s",
                                schemas.empty() ? "none" : schemas, m.tables.size() - partitions);
  if (!m.partitioned_tables.empty()) {
    out +=
        fmt::format(", {} partitioned with {} partitions", m.partitioned_tables.size(), partitions);
  }
  return out;
}

std::string TableName(const SnapshotTable& table) {
  std::string name = ShortName(table.definition);
  if (!table.partition_of.empty()) name += " (partition of " + table.partition_of + ")";
  return name;
}

std::string TableCounts(const SnapshotManifest& m) {
  std::string out = Coverage(m) + ": ";
  bool first = true;
  for (const SnapshotTable& table : m.tables) {
    out += first ? "" : ", ";
    first = false;
    out += ShortName(table.definition) + " " + GroupDigits(table.rows);
  }
  return out;
}

// A command that can be pasted as it is: no password (libpq takes it from PGPASSWORD, PGPASSFILE
// or ~/.pgpass); no --db when the database came from DATABASE_URL or the embedded cluster.
std::string RestoreHint(const SnapshotOptions& options, const std::string& name) {
  std::string hint = "seedforge snapshot restore " + name;
  if (!options.dir.empty()) hint += " --dir " + options.dir;
  if (!options.db.empty()) {
    auto without_password = ConninfoWithoutPassword(options.db);
    const std::string db =
        without_password.ok() ? *without_password : RedactConnectionString(options.db);
    hint += " --db '";
    for (const char c : db) hint += c == '\'' ? std::string("'\\''") : std::string(1, c);
    hint += "'";
  }
  return hint;
}

std::string EntryJson(const SnapshotEntry& entry) {
  const SnapshotManifest& m = entry.manifest;
  if (!entry.damage.empty()) {
    return fmt::format(
        "{{\"name\": {}, \"path\": {}, \"bytes\": {}, \"size\": {}, \"damaged\": {}}}",
        JsonString(m.name), JsonString(entry.path), entry.disk_bytes,
        JsonString(Bytes(entry.disk_bytes)), JsonString(entry.damage));
  }
  std::string tables;
  for (const SnapshotTable& table : m.tables) {
    tables += tables.empty() ? "" : ", ";
    tables += fmt::format("{{\"table\": {}, \"rows\": {}, \"partition_of\": {}}}",
                          JsonString(table.definition.QualifiedName()), table.rows,
                          table.partition_of.empty() ? "null" : JsonString(table.partition_of));
  }
  std::string schemas;
  for (const std::string& schema : m.schemas) {
    schemas += (schemas.empty() ? "" : ", ") + JsonString(schema);
  }
  return fmt::format(
      "{{\"name\": {}, \"created_at\": {}, \"age\": {}, \"path\": {}, \"bytes\": {}, \"size\": {}, "
      "\"raw_bytes\": {}, \"rows\": {}, \"profile\": {}, \"seed\": {}, \"database\": {}, "
      "\"template_database\": {}, \"schemas\": [{}], \"partitioned_tables\": {}, "
      "\"tables\": [{}], \"damaged\": null}}",
      JsonString(m.name), JsonString(m.created_at), JsonString(Age(m.created_at)),
      JsonString(entry.path), entry.disk_bytes, JsonString(Bytes(entry.disk_bytes)), m.raw_bytes(),
      m.total_rows(), m.profile ? JsonString(*m.profile) : "null",
      m.seed ? JsonString(*m.seed) : "null", JsonString(m.database),
      m.template_database.empty() ? "null" : JsonString(m.template_database), schemas,
      m.partitioned_tables.size(), tables);
}

}  // namespace seedforge::cli
