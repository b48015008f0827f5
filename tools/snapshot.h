// Snapshots of a database: save every table's rows and the whole schema to a folder, list and
// delete them, and restore one in a single transaction (or by cloning a template database).
//
// A snapshot is a folder DIR/NAME holding the schema as two pg_dump sections (pre-data.sql,
// post-data.sql; see tools/pg_dump.h), one zstd-compressed binary COPY stream per table that
// holds rows, and manifest.json (written last; see ManifestToJson for its fields) with the
// SHA-256 of every file. It is written as DIR/.NAME.partial-PID and renamed into place only when
// complete, so a folder named like a snapshot always is a whole one.
//
// What it covers: every schema but the system ones (or those --schema / --exclude-schema
// choose), and in them every table the user can read: ordinary tables, and partitioned tables
// through their leaf partitions (each partition's rows are copied as they are stored, so a row
// comes back into the partition it was in); the sequences with their values; materialized views
// (refreshed on restore). seedforge's own schema travels like any other, so later top-ups work
// after a restore, but the rows of seedforge.pending_constraints never do. An object create
// cannot hold (a foreign table, a table or sequence the user cannot read, large objects) makes
// it fail naming the object: nothing is left out silently.
//
// Restore replaces the covered schemas in ONE transaction: the schemas are dropped (after
// checking that no object outside them depends on them) and recreated by the pre-data script,
// the rows loaded with COPY FREEZE, each table's row count and SHA-256 compared with the
// manifest, then the post-data script builds keys, indexes, foreign keys (each validated over
// all rows) and triggers (created after the rows, so they do not fire on them, as pg_restore
// does), sequences are set and materialized views refreshed, and only then COMMIT. Any failure, a
// kill or a lost server leaves the database as it was.
//
// Trust: the two scripts are run as pg_restore would run a dump, so a snapshot is as trusted as
// a dump: restore only snapshots from people you would let run SQL on that database. Everything
// else seedforge builds from the manifest (names, sequence values) is checked against the forms
// the catalog produces and run one statement at a time through the extended query protocol,
// which cannot carry a second statement.
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
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/ddl.h"

namespace seedforge {

class PgConnection;

// The state of a sequence when the snapshot was taken.
struct SnapshotSequence {
  std::string sequence;  // qualified, quoted as quote_ident() would: "public.users_id_seq"
  int64_t last_value = 0;
  bool is_called = false;
  // The sequence's bounds: a manifest whose last_value lies outside them is refused.
  int64_t min_value = 0;
  int64_t max_value = 0;
};

// A table whose rows the snapshot holds: an ordinary table or a leaf partition.
struct SnapshotTable {
  TableDef definition;       // schema, name, and the columns COPY carries (names only; generated
                             // columns are left out, the server computes them again)
  std::string partition_of;  // qualified partitioned table it is a partition of; "" if none
  std::string file;          // data file name inside the snapshot folder
  int64_t rows = 0;
  int64_t raw_bytes = 0;         // the binary COPY stream
  int64_t compressed_bytes = 0;  // the file
  std::string sha256;            // hex SHA-256 of the raw stream
};

// One pg_dump section of the schema.
struct SnapshotSchemaFile {
  std::string section;  // "pre-data" or "post-data"
  std::string file;     // "pre-data.sql"
  int64_t bytes = 0;
  std::string sha256;
};

struct SnapshotManifest {
  int format_version = 2;
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
  // Where the template database lives: the connection string create used, in key=value form,
  // without its password (libpq finds that in PGPASSWORD, PGPASSFILE or ~/.pgpass). "" when there
  // is no template, or in a manifest written before seedforge recorded it.
  std::string template_server;
  std::string pg_dump_version;       // of the pg_dump that wrote the schema files
  std::vector<std::string> schemas;  // the schemas covered (and replaced by restore), by name
  // --schema / --exclude-schema of create. With no --schema the snapshot stands for the whole
  // database: restore then also drops the target's other schemas (but the excluded ones).
  std::vector<std::string> include_schemas;
  std::vector<std::string> exclude_schemas;
  std::vector<SnapshotSchemaFile> schema_files;  // pre-data, then post-data
  std::vector<std::string> partitioned_tables;   // qualified, by name
  std::vector<std::string> materialized_views;   // qualified, populated ones, in creation order
  std::vector<SnapshotSequence> sequences;       // by name
  std::vector<SnapshotTable> tables;             // by schema and name

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
  SnapshotManifest manifest;  // of a damaged snapshot, only `name` (the folder's) is set
  std::string path;           // DIR/NAME
  int64_t disk_bytes = 0;     // size of the files in the folder
  std::string damage;         // why manifest.json could not be read; "" for a whole snapshot
};

// Every snapshot in `directory`: the whole ones newest first (by created_at, then name), then the
// damaged ones (a manifest.json that cannot be read or parsed; `damage` says why) by name, so
// that one damaged folder never hides the others. Folders being written (.NAME.partial-PID) and
// folders without a manifest are skipped. A missing directory has no snapshots.
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
// `conninfo` without its password: unchanged when it has none, else rebuilt in key=value form
// from its other settings. What may be printed or stored for a later command to connect with.
StatusOr<std::string> ConninfoWithoutPassword(const std::string& conninfo);

// The other sessions on the current database of `connection`: every backend but ours whose
// datname is it, whatever role runs it (a role that is not a superuser sees the pid, user and
// application_name of other roles' sessions, but their backend_type reads NULL), with names like
// "pid 4242 psql (alice)" joined by ", ".
struct OtherSessions {
  int64_t count = 0;
  std::string names;
};
StatusOr<OtherSessions> ListOtherSessions(PgConnection& connection);

// --- Shared by create and restore ----------------------------------------------------------

// The schemas a snapshot covers on `connection`'s database: every schema but pg_catalog,
// information_schema, pg_toast and temporary ones; only `include` when not empty; never
// `exclude`. kNotFound naming a schema of `include` that does not exist. Sorted by name.
StatusOr<std::vector<std::string>> CoveredSchemas(PgConnection& connection,
                                                  const std::vector<std::string>& include,
                                                  const std::vector<std::string>& exclude);
// `items` as a PostgreSQL text[] literal ({"a","b \"c\""}), to pass as a statement parameter.
std::string TextArrayLiteral(const std::vector<std::string>& items);
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
  std::string directory;       // the snapshot folder (created if missing)
  std::string name;            // REQUIRES: ValidateSnapshotName(name).ok()
  std::string conninfo;        // the database, for the extra connections
  bool make_template = false;  // also keep a template database on the server
  int compression_level = 1;   // zstd level, 1..19 (snapshot_create.cc says why 1)
  int connections = 2;         // tables dumped in parallel, sharing one exported snapshot; 1..64
                               // (kMaxConnections)
  std::optional<std::string> profile;  // recorded in the manifest; else seedforge.runs' newest
  std::optional<std::string> seed;
  std::vector<std::string> schemas;              // --schema: only these (exact names); empty: all
  std::vector<std::string> exclude_schemas;      // --exclude-schema
  int lock_timeout_seconds = 0;                  // waiting for a running seed; 0 = forever
  const std::atomic<bool>* cancel = nullptr;     // set by a signal handler: stop, remove the folder
  std::function<void(std::string_view)> notice;  // one-line notices (waiting for the lock)

  Status Validate() const;
};

// Writes the snapshot of the database at `options.conninfo`, holding seedforge's advisory lock so
// that it never saves a seed that is still loading. The schema (pg_dump, see tools/pg_dump.h)
// and the rows are read in one exported snapshot, so they always match. With make_template, first
// clones the database into the template database (which needs no other session on it) and dumps the
// clone, so files and template hold exactly the same rows. Fails with kFailedPrecondition when
// seedforge.pending_constraints holds rows (an interrupted `seedforge seed`) or an object cannot
// be held (naming it), and with kInvalidArgument when the snapshot already exists. On failure
// nothing is left behind.
StatusOr<SnapshotEntry> CreateSnapshot(const SnapshotCreateOptions& options);

// --- Restore --------------------------------------------------------------------------------

struct SnapshotRestoreOptions {
  std::string conninfo;          // the database to restore into
  bool use_template = true;      // clone the template database when the snapshot has one
  int lock_timeout_seconds = 0;  // waiting for the advisory lock; 0 = forever
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(std::string_view)> notice;  // one-line notices (waiting for the lock...)
};

// What a restore will do, computed under the advisory lock before anything changes.
struct RestorePlan {
  struct Table {
    const SnapshotTable* snapshot = nullptr;
    bool exists = false;       // a table of that name is in the database now
    int64_t current_rows = 0;  // its rows now
  };
  std::string database;                      // the database restored into
  bool from_template = false;                // clone the template database, no row reload
  std::vector<Table> tables;                 // the manifest's order
  std::vector<std::string> schemas_present;  // covered schemas that exist now (dropped)
  int64_t objects_present = 0;               // relations, types and functions in them now
  std::vector<std::string> other_tables;  // tables in those schemas not in the snapshot (dropped)
  int64_t current_rows() const;
  // True when the restore drops something: a covered schema holds objects, or the template path.
  bool replaces_anything() const { return objects_present > 0 || from_template; }
};

class SnapshotRestore {
 public:
  // Connects, takes seedforge's advisory lock and plans. Fails, changing nothing, when an object
  // outside the covered schemas depends on one inside them (a foreign key, a view, a column of
  // one of their types: dropping the schemas would take it along), when the server is of an
  // older major version than the snapshot's, when a file is missing, cut or changed, or when
  // seedforge's own journal holds foreign keys of an interrupted seed.
  static StatusOr<std::unique_ptr<SnapshotRestore>> Prepare(const SnapshotEntry& snapshot,
                                                            const SnapshotRestoreOptions& options);
  virtual ~SnapshotRestore() = default;
  virtual const RestorePlan& plan() const = 0;
  // Replaces the covered schemas (see the top of this header). Call at most once.
  virtual Status Execute() = 0;
};

}  // namespace seedforge
