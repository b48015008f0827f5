// Snapshots of a database: save every table's rows and the schema to a folder, list and delete
// them, and restore one in a single transaction (or by cloning a template database).
//
// A snapshot is a folder DIR/NAME holding one zstd-compressed binary COPY stream per table and
// manifest.json (written last; see ManifestToJson for its fields). It is written as
// DIR/.NAME.partial-PID and renamed into place only when complete, so a folder named like a
// snapshot always is a whole one. The tables are every ordinary table of schema `public` and of
// schema `seedforge` except seedforge.pending_constraints (seedforge's generation history,
// seedforge.segments, travels with the rows so that later top-ups work after a restore).
//
// Restore replaces the rows of those tables in ONE transaction: foreign keys, keys and indexes
// are dropped, the tables emptied and loaded in dependency order with COPY FREEZE, keys, indexes
// and foreign keys rebuilt (so every foreign key, self-referencing and circular ones included,
// is checked before COMMIT), identity sequences put back, and every table's row count and
// SHA-256 compared with the manifest before COMMIT. Any failure, a kill or a lost server leaves
// the database as it was.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sinks/pg_schema.h"

namespace seedforge {

class PgConnection;

// The state of a sequence a column owns, when the snapshot was taken.
struct SnapshotSequence {
  std::string column;    // unquoted column name
  std::string sequence;  // qualified sequence name (ColumnDef::sequence)
  int64_t last_value = 0;
  bool is_called = false;
  // The sequence's bounds when the snapshot was taken: a manifest whose last_value lies outside
  // them is refused (std::nullopt in manifests written before they were recorded).
  std::optional<int64_t> min_value;
  std::optional<int64_t> max_value;
};

struct SnapshotTable {
  TableDef definition;
  std::string file;  // data file name inside the snapshot folder
  int64_t rows = 0;
  int64_t raw_bytes = 0;         // the binary COPY stream
  int64_t compressed_bytes = 0;  // the file
  std::string sha256;            // hex SHA-256 of the raw stream
  std::vector<SnapshotSequence> sequences;
};

struct SnapshotManifest {
  int format_version = 1;
  std::string id;          // random, unique per snapshot; also the template database's comment
  std::string name;        // the folder name
  std::string created_at;  // ISO 8601 UTC, "2026-01-22T14:30:22Z"
  std::optional<std::string> profile;  // the profile the data was seeded with, when known
  std::optional<std::string> seed;     // its seed, when known
  std::string seedforge_version;
  std::string server_version;  // "15.20"
  std::string database;        // the database the snapshot was taken from
  std::string copy_format = "binary";
  std::string compression = "zstd";
  int compression_level = 0;
  std::string hash = "sha256";
  std::string template_database;  // "" when the snapshot has no template database
  std::string ddl;                // the whole schema as SQL (informational; restore uses `tables`)
  std::vector<SnapshotTable> tables;  // dependency order

  int64_t total_rows() const;
  int64_t raw_bytes() const;
  int64_t compressed_bytes() const;
};

// The manifest as pretty-printed JSON, and back. ParseManifest names `origin` and the JSON path
// in its errors (kFailedPrecondition: a snapshot folder whose manifest is unreadable is damaged).
std::string ManifestToJson(const SnapshotManifest& manifest);
StatusOr<SnapshotManifest> ParseManifest(std::string_view json, const std::string& origin);

// --- The snapshot folder --------------------------------------------------------------------

// The snapshot folder: `flag` when not empty, else SEEDFORGE_SNAPSHOTS, else "backups".
std::string SnapshotDirectory(const std::string& flag);
// kInvalidArgument unless `name` is 1..48 characters of [A-Za-z0-9._-] starting with a letter
// or digit (it becomes a folder name and part of a database name).
Status ValidateSnapshotName(const std::string& name);
// "snapshot-YYYYMMDD-HHMMSS" for the current UTC time.
std::string DefaultSnapshotName();

struct SnapshotEntry {
  SnapshotManifest manifest;
  std::string path;        // DIR/NAME
  int64_t disk_bytes = 0;  // size of the files in the folder
};

// Every complete snapshot in `directory`, newest first (by created_at, then name). Folders being
// written (.NAME.partial-PID) and folders without a manifest are skipped; a damaged manifest is
// an error naming it. A missing directory has no snapshots.
StatusOr<std::vector<SnapshotEntry>> ListSnapshots(const std::string& directory);
// The snapshot `name` in `directory`; kNotFound ("no snapshot named X in DIR") when absent.
StatusOr<SnapshotEntry> FindSnapshot(const std::string& directory, const std::string& name);
// Removes the snapshot's folder (renamed to a .partial name first, so it never looks whole while
// it is being removed).
Status RemoveSnapshotFolder(const SnapshotEntry& entry);
// Removes folders DIR/.NAME.partial-PID whose process no longer runs (left by a killed create or
// delete). Returns their names.
std::vector<std::string> RemoveStalePartials(const std::string& directory);

// --- Template databases ---------------------------------------------------------------------

// True when the template database `manifest` names exists on the server of `connection` and was
// made for this snapshot (its comment holds the snapshot id).
StatusOr<bool> TemplateExists(PgConnection& connection, const SnapshotManifest& manifest);
// Drops the snapshot's template database if it exists on that server and is this snapshot's.
// Returns true when one was dropped.
StatusOr<bool> DropTemplate(PgConnection& connection, const SnapshotManifest& manifest);
// Comments the template database with the snapshot's id (what TemplateExists checks).
Status CommentTemplate(PgConnection& connection, const SnapshotManifest& manifest);
// `conninfo` (URI or key=value) pointing at database `database` instead; other settings kept.
StatusOr<std::string> ConninfoForDatabase(const std::string& conninfo, const std::string& database);

// --- Shared by create and restore ----------------------------------------------------------

// The tables a snapshot holds (see the top of this header), in dependency order.
StatusOr<std::vector<TableDef>> ReadSnapshotTables(PgConnection& connection);
// kFailedPrecondition when seedforge.pending_constraints holds foreign keys parked by an
// interrupted `seedforge seed`; the message says to rerun the seed first and then `what`.
Status CheckNoPendingConstraints(PgConnection& connection, const std::string& what);
// Takes seedforge's session advisory lock (kAdvisoryLockKey in sinks/sink.h) on `connection`,
// polling so that `cancel` and `timeout_seconds` (0 = forever) are noticed; says once through
// `notice` (may be empty) that it waits. kUnavailable on timeout, kCancelled when cancelled.
Status TakeSeedforgeLock(PgConnection& connection, int timeout_seconds,
                         const std::atomic<bool>* cancel,
                         const std::function<void(std::string_view)>& notice);

// --- Create ---------------------------------------------------------------------------------

struct SnapshotCreateOptions {
  std::string directory;               // the snapshot folder (created if missing)
  std::string name;                    // REQUIRES: ValidateSnapshotName(name).ok()
  std::string conninfo;                // the database, for the extra connections
  bool make_template = false;          // also keep a template database on the server
  int compression_level = 1;           // zstd level, 1..19 (snapshot_create.cc says why 1)
  int connections = 2;                 // tables dumped in parallel, sharing one exported snapshot
  std::optional<std::string> profile;  // recorded in the manifest; else seedforge.runs' newest
  std::optional<std::string> seed;
  int lock_timeout_seconds = 0;                  // waiting for a running seed; 0 = forever
  const std::atomic<bool>* cancel = nullptr;     // set by a signal handler: stop, remove the folder
  std::function<void(std::string_view)> notice;  // one-line notices (waiting for the lock)

  Status Validate() const;
};

// Writes the snapshot of the database at `options.conninfo`, holding seedforge's advisory lock so
// that it never saves a seed that is still loading. With make_template, first clones the
// database into the template database (which needs no other session on it) and dumps the clone,
// so files and template hold exactly the same rows. Fails with kFailedPrecondition when
// seedforge.pending_constraints holds rows (an interrupted `seedforge seed`), and with
// kInvalidArgument when the snapshot already exists. On failure nothing is left behind.
StatusOr<SnapshotEntry> CreateSnapshot(const SnapshotCreateOptions& options);

// --- Restore --------------------------------------------------------------------------------

struct SnapshotRestoreOptions {
  std::string conninfo;          // the database to restore into
  bool use_template = true;      // clone the template database when the snapshot has one
  bool recreate_schema = false;  // drop and recreate tables whose definition differs
  int lock_timeout_seconds = 0;  // waiting for the advisory lock; 0 = forever
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(std::string_view)> notice;  // one-line notices (waiting for the lock...)
};

// What a restore will do, computed under the advisory lock before anything changes.
struct RestorePlan {
  struct Table {
    const SnapshotTable* snapshot = nullptr;
    std::optional<TableDef> current;  // the table as it is in the database; nullopt: absent
    int64_t current_rows = 0;
    std::string difference;  // DescribeDifference(snapshot, current); "" when equal or absent
  };
  std::string database;                   // the database restored into
  bool from_template = false;             // clone the template database, no row reload
  std::vector<Table> tables;              // the manifest's order
  std::vector<std::string> other_tables;  // tables of public/seedforge not in the snapshot
  int64_t current_rows() const;
  bool replaces_rows() const { return current_rows() > 0 || from_template; }
};

class SnapshotRestore {
 public:
  // Connects, takes seedforge's advisory lock and plans. Fails, changing nothing, when a table's
  // definition differs without recreate_schema (naming the table and what differs), when a table
  // outside the snapshot has a foreign key to one of its tables, or when seedforge's own journal
  // holds foreign keys of an interrupted seed.
  static StatusOr<std::unique_ptr<SnapshotRestore>> Prepare(const SnapshotEntry& snapshot,
                                                            const SnapshotRestoreOptions& options);
  virtual ~SnapshotRestore() = default;
  virtual const RestorePlan& plan() const = 0;
  // Replaces the data (see the top of this header). Call at most once.
  virtual Status Execute() = 0;
};

}  // namespace seedforge
