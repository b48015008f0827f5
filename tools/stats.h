// `seedforge stats` as a library: counts and sizes of the profile's tables, computed on the
// server (only aggregates come back), as text or JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/profile.h"

namespace seedforge {

class PgConnection;

struct TableStats {
  std::string table;
  bool exists = false;
  int64_t rows = 0;         // count(*); 0 when absent
  int64_t target = 0;       // the profile's target
  int64_t bytes = 0;        // pg_total_relation_size: heap, indexes and TOAST
  std::string size_pretty;  // pg_size_pretty(bytes); "" when absent
};

struct DatabaseStats {
  std::string database;
  std::string server_version;
  std::string profile;
  uint64_t seed = 0;
  int64_t bytes = 0;               // pg_database_size
  std::string size_pretty;         //
  std::vector<TableStats> tables;  // the model's tables in foreign-key order
};

// Counts and sizes of the profile's tables. Absent tables are reported, not errors.
StatusOr<DatabaseStats> CollectStats(PgConnection& connection, const Profile& profile);
// A text table, one line per table, then the database size. Ends with a newline.
std::string FormatStatsText(const DatabaseStats& stats);
// One JSON object: {"database", "server_version", "profile", "seed", "database_bytes",
// "database_size", "tables": [{"table", "exists", "rows", "target", "bytes", "size"}]}.
std::string FormatStatsJson(const DatabaseStats& stats);

}  // namespace seedforge
