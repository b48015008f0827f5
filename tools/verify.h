// Folder tools/: the PostgreSQL tools that never touch a generator's internals: stats, verify
// (with the fingerprints and the profile's checks), snapshots, exports, pg_dump and the
// embedded cluster. They use engine/ (profiles, planning, reports), sinks/ (the connection and
// the catalog reader) and core/; only cli/ and the tests include them.
//
// Verifying a seeded database: `seedforge verify` as a library. Its parts live beside it:
// tools/fingerprint.h (the fingerprint), tools/table_keys.h (the keys of the profile's tables),
// tools/stats.h (the counts it starts from).
//
// Everything is computed on the server: only aggregates (counts, sizes, one hash per table) come
// back to the client, so both commands stay fast on millions of rows.
//
// Verify runs four kinds of checks:
//   - tables:      every table of the model exists and holds at least its target;
//   - constraints: every primary, unique and foreign key and index of the model exists, and none
//                  is parked in seedforge.pending_constraints; for each foreign key, the number of
//                  child rows whose parent is missing (meaningful even when the key was dropped);
//                  for each unique key, the number of duplicate values;
//   - checks:      the profile's "checks", each an SQL count of violating rows that must be zero,
//                  run read-only on the generated rows (ProfileCheckSql);
//   - fingerprint: per table, a hash of the generated rows computed in SQL, compared with the hash
//                  the profile and seed say they must have, computed by running the generators in
//                  this process without the database.
//
// The fingerprint is defined in tools/fingerprint.h.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "engine/profile.h"
#include "tools/fingerprint.h"
#include "tools/stats.h"
#include "tools/table_keys.h"

namespace seedforge {

class PgConnection;

struct VerifyOptions {
  int threads = 0;           // generator threads for the expected fingerprints; 0 = cores
  bool fingerprints = true;  // compute and compare fingerprints
  // The table scans (orphans, duplicates, the profile's checks, fingerprints) run on this many
  // connections at once: the given one and connections - 1 more to `conninfo` (none when it is
  // empty, or when one cannot be opened: then fewer). The report is the same either way.
  int connections = 1;
  std::string conninfo;
};

// The SQL of a profile check as verify runs it: $WINDOW_START and $WINDOW_END replaced by the
// profile's window as timestamptz literals.
std::string ProfileCheckSql(const ProfileCheck& check, const Profile& profile);

struct CheckResult {
  std::string kind;     // "table", "constraint", "orphans", "duplicates", "check", "fingerprint"
  std::string subject;  // e.g. "events", "events.asset_id", "assets(asset_tag)", a rule name
  bool passed = false;
  std::string detail;  // what was found, e.g. "3 rows whose assets row is missing"
};

struct TableFingerprintResult {
  std::string table;
  Fingerprint expected;
  Fingerprint found;
  bool compared = false;  // false when the table is absent
};

struct VerifyReport {
  std::string database;
  std::string profile;
  uint64_t seed = 0;
  std::vector<CheckResult> checks;
  std::vector<TableFingerprintResult> fingerprints;
  double seconds = 0;

  bool passed() const;
  int failed_count() const;
};

// Runs every check on `connection` (and options.connections - 1 more) for `profile`. A check that
// fails, or whose query fails (a column of another type, say), is a failed CheckResult; the
// returned status is an error only when the inspection itself cannot run (connection lost). The
// checks are listed in the same order however many connections ran them.
StatusOr<VerifyReport> Verify(PgConnection& connection, const Profile& profile,
                              const VerifyOptions& options);
// Per-table fingerprints, then one line per failing check, then a summary line. Ends with '\n'.
std::string FormatVerifyText(const VerifyReport& report);
// One JSON object: {"database", "profile", "seed", "passed", "failed", "seconds",
// "fingerprints": [{"table", "rows", "expected", "found", "found_rows", "match"}],
// "checks": [{"kind", "subject", "passed", "detail"}]}.
std::string FormatVerifyJson(const VerifyReport& report);

}  // namespace seedforge
