// The pieces the snapshot commands share (cli_snapshot.cc registers them and runs create, list,
// show and restore; cli_snapshot_text.cc words what they print; cli_snapshot_remove.cc deletes
// and prunes). Internal to cli/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "tools/snapshot.h"

namespace CLI {
class App;
}  // namespace CLI

namespace seedforge {
class PgConnection;
}  // namespace seedforge

namespace seedforge::cli {

struct SnapshotOptions {
  std::string dir;  // --dir; empty: SEEDFORGE_SNAPSHOTS, then ./backups
  std::string db;
  std::string home = ".seedforge";
  bool quiet = false;
  bool json = false;
  bool keep_template = false;  // delete, prune: remove the folders, leave template databases
};

struct NamedOptions {
  SnapshotOptions common;
  std::string name;
};

struct PruneOptions {
  SnapshotOptions common;
  int keep = -1;
};

// --dir on `command`.
void AddFolderOption(CLI::App* command, SnapshotOptions* options);
// --db, --home, the connection options and --quiet on `command`.
void AddDatabaseOption(CLI::App* command, SnapshotOptions* options);
// The database for create and restore: --db, DATABASE_URL, then the embedded cluster.
StatusOr<std::string> Database(const SnapshotOptions& options);
// Connects to `url`; an error names the URL without its password.
StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& url);

// --- cli_snapshot_text.cc ---
// "512 bytes", "12 kB", "3.4 MB", "1.2 GB" (1024-based, as pg_size_pretty).
std::string Bytes(int64_t bytes);
// "45 s ago", "12 min ago", "3 h ago", "5 days ago" from an ISO 8601 UTC time.
std::string Age(const std::string& created_at);
// "2026-01-22 14:30:22Z": created_at to the second.
std::string CreatedText(const std::string& created_at);
// "users" for public tables, "seedforge.segments" otherwise.
std::string ShortName(const TableDef& table);
std::string ProfileText(const SnapshotManifest& m);
// "schemas billing, public; 14 tables, 2 partitioned with 6 partitions".
std::string Coverage(const SnapshotManifest& m);
std::string TableName(const SnapshotTable& table);
std::string TableCounts(const SnapshotManifest& m);
// A command that can be pasted as it is: no password (libpq takes it from PGPASSWORD, PGPASSFILE
// or ~/.pgpass); no --db when the database came from DATABASE_URL or the embedded cluster.
std::string RestoreHint(const SnapshotOptions& options, const std::string& name);
// One snapshot as a JSON object, for `snapshot list --json`.
std::string EntryJson(const SnapshotEntry& entry);

// --- cli_snapshot.cc ---

// Records the seedforge.runs row of a snapshot create or restore of `m` that took `seconds` and
// ended with `status` (`method`: "copy", "template"...; `plan`: the restore's, null for a create),
// as `seedforge snapshot` does; `seedforge serve` records its own the same way.
void RecordSnapshotRun(const std::string& url, const std::string& command,
                       const SnapshotManifest& m, const Status& status, double seconds,
                       const std::string& method, const RestorePlan* plan);

// --- cli_snapshot_remove.cc ---

// `snapshot delete NAME`: removes the folder and its template database. Returns the exit code.
int RunDelete(const NamedOptions& options);
// `snapshot prune --keep N`: deletes all but the newest N snapshots. Returns the exit code.
int RunPrune(const PruneOptions& options);

}  // namespace seedforge::cli
