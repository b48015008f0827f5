// seedforge.runs: what the database remembers of the runs that wrote into it.
//
// One row per `seed`, `reset` and `auto` run against PostgreSQL, written after the run over the
// run's main connection: the command, the profile (name, where it came from, and a fingerprint of
// its generation settings apart from the row targets), the seed, the targets, what each table got,
// the outcome and the versions. The newest run that wrote rows says which profile and seed filled
// the database: `stats`, `verify`, `snapshot create` and top-ups default to them, and a top-up
// with another seed or other settings is refused (cli/cli_seed.cc).
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
  std::string command;              // "seed", "reset", "auto"
  std::string profile;              // the profile's name
  std::string profile_source;       // "built-in" or the file it was read from
  std::string profile_fingerprint;  // ProfileFingerprint (engine/profile.h)
  uint64_t seed = 0;
  std::vector<RunTableRecord> tables;
  double seconds = 0;
  // "completed", "skipped" (auto found data), "failed" or "interrupted".
  std::string outcome;
  std::string message;  // the error, for failed and interrupted runs
  std::string seedforge_version;
  bool cleared = false;  // the run emptied the tables first (reset, --clear-existing)
  int64_t rows_added() const;
};

// The profile and seed the data of the database were generated with, as recorded.
struct FillingRun {
  std::string profile;
  std::string profile_source;
  std::string profile_fingerprint;
  uint64_t seed = 0;
  std::string finished_at;  // as the server prints it, UTC
};

// Appends `record` to seedforge.runs, creating the schema and table when absent (not for a run
// that failed before it wrote anything: that leaves the database as it was). A role without
// the privilege to create or write them gets OK and no row (history is optional). Other failures
// are returned.
Status RecordRun(PgConnection& connection, const RunRecord& record);

// The newest run that wrote rows (or cleared the tables) and was not skipped: the profile and seed
// the database's generated rows come from. nullopt when the table is absent, unreadable or holds
// no such run.
StatusOr<std::optional<FillingRun>> ReadFillingRun(PgConnection& connection);

}  // namespace seedforge
