// seedforge.runs: what the database remembers of the runs that wrote into it.
//
// One row per `seed`, `reset`, `auto`, `verify`, `snapshot create` and `snapshot restore` run
// against PostgreSQL, written after the run: the command, the profile (name, where it came from,
// and a fingerprint of its generation settings apart from the row targets), the seed, the targets,
// what each table got, the method, the outcome and the versions. The newest run that wrote rows
// says which profile and seed filled the database: `stats`, `verify`, `snapshot create` and
// top-ups default to them, and a top-up with another seed or other settings is refused
// (cli/cli_seed.cc).
//
// Only the runs that write rows (seed, reset, auto) create the table; verify and snapshot runs
// are recorded only where it exists already, so a read-only look never adds a schema. A table
// written by an older build is brought up to date with ADD COLUMN IF NOT EXISTS when it lacks a
// column (existing rows get the column's default); a role that may not alter it keeps writing
// the columns it has.
//
// A snapshot restore replaces the data, and with the seedforge schema also this table: the
// restored history is the snapshot's, and the restore's own row carries the profile, fingerprint
// and seed of the run that filled the restored data, so that it is the filling run from then on.
//
// A role that may not create the `seedforge` schema runs without history, as for
// seedforge.segments. Nothing here knows the data model: tables and targets are names and numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace seedforge {

class PgConnection;

inline constexpr const char* kRunsTable = "seedforge.runs";

// A query giving one row when table seedforge.`table` exists: whether the current role may use
// the schema and has `privileges` on the table. Looked up in the catalog, not by name: naming a
// seedforge table is an error for a role without USAGE on the schema, and such a role simply runs
// without history.
std::string SeedforgeTablePrivilegeQuery(std::string_view table, std::string_view privileges);

// What a run did to one table.
struct RunTableRecord {
  std::string table;
  int64_t target = 0;
  int64_t before = 0;    // rows present before the run
  int64_t added = 0;     // generated rows the run added
  int64_t fixtures = 0;  // fixture rows the run inserted
  double seconds = 0;
  std::string method;  // "bulk", "append" or "" when nothing was written
};

// One row of seedforge.runs.
struct RunRecord {
  // "seed", "reset", "auto", "verify", "snapshot create" or "snapshot restore".
  std::string command;
  std::string profile;              // the profile's name
  std::string profile_source;       // "built-in" or the file it was read from
  std::string profile_fingerprint;  // ProfileFingerprint (engine/profile.h)
  uint64_t seed = 0;
  std::vector<RunTableRecord> tables;
  double seconds = 0;
  // "completed", "skipped" (auto found data), "failed" or "interrupted"; verify: "passed" or
  // "failed" (checks failed, or an error).
  std::string outcome;
  std::string message;  // the error, for failed and interrupted runs
  std::string seedforge_version;
  // How the run wrote: the tables' methods joined by "+" in first-use order ("bulk",
  // "bulk+append"); "copy" or "template" for snapshot runs; "" when nothing was written.
  std::string method;
  std::string snapshot;  // the snapshot's name, for snapshot create and restore
  // The run emptied the tables first (reset, --clear-existing, snapshot restore).
  bool cleared = false;
  int64_t rows_added() const;
};

// The methods of `tables` joined by "+", each once, in the order they first appear: what
// RunRecord::method holds for the runs that generate.
std::string JoinedMethods(const std::vector<RunTableRecord>& tables);

// One stored row of seedforge.runs.
struct StoredRun {
  int64_t id = 0;
  std::string started_at;   // ISO 8601 UTC to the second, "2026-12-03T07:45:35Z"
  std::string finished_at;  // the same form
  RunRecord record;         // as written; fields a row from an older build lacks are empty or zero
  std::string server_version;
  std::string host;
};

// Which rows ReadRuns returns.
struct RunFilter {
  std::string profile;  // only runs of this profile (its name); empty: every profile
  std::string command;  // only this command ("seed", "snapshot restore"); empty: every command
  int64_t limit = 0;    // at most this many, newest first; 0: all
  int64_t id = 0;       // only the run with this id; 0: any

  // kInvalidArgument "limit must be 0 (all) or positive, got N" for a negative limit.
  Status Validate() const;
};

// The profile and seed the data of the database were generated with, as recorded.
struct FillingRun {
  std::string profile;
  std::string profile_source;
  std::string profile_fingerprint;
  uint64_t seed = 0;
  std::string finished_at;  // as the server prints it, UTC
};

// Whether RecordRun may create the seedforge schema and table.
enum class HistoryCreation {
  kCreateIfAbsent,  // seed, reset, auto: runs that write rows
  kOnlyIfPresent,   // verify, snapshot create and restore: never add a schema to look or restore
};

// Appends `record` to seedforge.runs, creating the schema and table when absent and `creation`
// allows it (not for a run that failed before it wrote anything: that leaves the database as it
// was), and adding the columns an older build's table lacks. A role without the privilege to
// create or write them, or a read-only session, gets OK and no row (history is optional). Other
// failures are returned.
Status RecordRun(PgConnection& connection, const RunRecord& record,
                 HistoryCreation creation = HistoryCreation::kCreateIfAbsent);

// The newest run that wrote rows (or cleared the tables) and was not skipped: the profile and seed
// the database's generated rows come from. verify and snapshot create runs never count; a snapshot
// restore does, carrying what filled the restored data. nullopt when the table is absent,
// unreadable or holds no such run, or when the newest one does not know its profile (a restore of
// a snapshot without seedforge's schema, or of data seedforge did not make).
StatusOr<std::optional<FillingRun>> ReadFillingRun(PgConnection& connection);

// The rows of seedforge.runs that `filter` selects, newest (highest id) first, with their tables.
// An absent or unreadable table gives no rows; a table of an older build reads with the fields it
// lacks empty. REQUIRES: filter.Validate().ok().
StatusOr<std::vector<StoredRun>> ReadRuns(PgConnection& connection, const RunFilter& filter);

}  // namespace seedforge
