// Inspecting a seeded database: `seedforge stats` and `seedforge verify`, as a library.
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
//   - realism:     the realism rules of the fleet model (RealismRules() below), each an SQL count
//                  of violating rows that must be zero;
//   - fingerprint: per table, a hash of the generated rows computed in SQL, compared with the hash
//                  the profile and seed say they must have, computed by running the generators in
//                  this process without the database.
//
// The fingerprint. A row's canonical text is its columns rendered as text and joined by a tab,
// NULL as the two characters \N, with no escaping:
//   bigint, integer, numeric(12,2), macaddr: the type's text output (`col::text`);
//   boolean: `true` / `false`;  text: the value itself;  inet: `host(col)` (10.1.2.3);
//   timestamptz: `col::text` with TimeZone UTC and DateStyle ISO (2024-01-02 03:04:05.12345+00:
//                the fraction without trailing zeros, none when it is zero);
//   jsonb: `col::text`, PostgreSQL's canonical jsonb text, which the generators emit verbatim.
// The row's hash is the first 16 hex digits (8 bytes, big-endian) of the MD5 of that text, read
// as an unsigned 64-bit integer; the table's fingerprint is the sum of its rows' hashes modulo
// 2^64, with the row count beside it. A sum does not depend on row order, so the server computes
// it as one aggregate (`sum(('x' || left(md5(text), 16))::bit(64)::bigint)`, then modulo 2^64)
// and the client over its blocks in parallel. It covers the generated rows: ids 1..n with
// n = min(rows present, target); rows with larger ids (a larger earlier target, rows an
// application inserted) are outside it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "engine/profile.h"
#include "generators/table_generator.h"
#include "sinks/sink.h"

namespace seedforge {

class PgConnection;

// ---------------------------------------------------------------------------------------------
// Fingerprints.

struct Fingerprint {
  int64_t rows = 0;   // rows hashed
  uint64_t hash = 0;  // sum of the row hashes modulo 2^64

  bool operator==(const Fingerprint&) const = default;
  // 16 lowercase hex digits of `hash`.
  std::string HashHex() const;
};

// The hash of one row's canonical text: the first 8 bytes of its MD5, big-endian.
uint64_t RowHash(std::string_view canonical_text);

// A RowWriter that renders each row as its canonical text (see above) into `*text` and, at
// EndRow, adds the row's hash to `*sum` and counts the row in `*rows`. `text` is cleared at
// BeginRow. The pointers must outlive the writer. Not thread-safe.
std::unique_ptr<RowWriter> MakeFingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows);

// The fingerprint of rows [0, rows) of `generator`, computed in this process (in parallel;
// `threads` 0 = one per core). REQUIRES: rows >= 0.
Fingerprint ExpectedFingerprint(const TableGenerator& generator, int64_t rows, int threads = 0);

// The SQL query computing the fingerprint of the rows of `schema`'s table that satisfy
// `condition` (an SQL boolean expression). It returns one row: the row count and the hash as an
// unsigned decimal. REQUIRES: the session has TimeZone UTC and DateStyle ISO
// (PrepareInspectSession).
std::string FingerprintSql(const TableSchema& schema, std::string_view condition);

// Runs FingerprintSql on `connection` for ids 1..rows.
StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        int64_t rows);
// Runs FingerprintSql on `connection` for the rows satisfying `condition`.
StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        std::string_view condition);

// An SQL condition on `id_column` that holds for the ids of generated rows [0, rows) of a table
// with `contents` (its segments' id ranges; ids 1..rows without history).
std::string GeneratedIdCondition(const TableContents& contents, int64_t rows,
                                 std::string_view id_column);

// Sets the session settings the inspection queries rely on (TimeZone UTC, DateStyle ISO).
Status PrepareInspectSession(PgConnection& connection);

// ---------------------------------------------------------------------------------------------
// Realism rules.

struct RealismRule {
  std::string_view name;  // e.g. "UsersCreatedInIdOrder"
  // SELECT count(*) of the rows breaking the rule, with placeholders $WINDOW_START, $WINDOW_END
  // (timestamptz literals) and $EMAIL_DOMAIN (a text literal) for the profile's values.
  std::string_view sql;
};

// Every realism rule of the fleet model. The span refers to static storage.
std::span<const RealismRule> RealismRules();
// The rule's SQL with the profile's values in place of the placeholders.
std::string RealismRuleSql(const RealismRule& rule, const Profile& profile);

// ---------------------------------------------------------------------------------------------
// Keys of the model, read from its CREATE statements.

struct ForeignKey {
  std::string constraint;  // e.g. "events_asset_id_fkey"
  std::string table;       // child table
  std::string column;      // child column
  std::string parent;      // parent table (its id column)
};
struct UniqueKey {
  std::string constraint;            // e.g. "assets_asset_tag_key"
  std::string table;                 //
  std::vector<std::string> columns;  // in key order
};
// The foreign and unique keys of the fleet model (primary keys are unique keys on id).
const std::vector<ForeignKey>& ModelForeignKeys();
const std::vector<UniqueKey>& ModelUniqueKeys();

// ---------------------------------------------------------------------------------------------
// stats

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

// ---------------------------------------------------------------------------------------------
// verify

struct VerifyOptions {
  int threads = 0;           // generator threads for the expected fingerprints; 0 = cores
  bool fingerprints = true;  // compute and compare fingerprints
  bool realism = true;       // run the realism rules
};

struct CheckResult {
  std::string kind;     // "table", "constraint", "orphans", "duplicates", "realism", "fingerprint"
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

// Runs every check on `connection` for `profile`. A check that fails, or whose query fails (a
// column of another type, say), is a failed CheckResult; the returned status is an error only when
// the inspection itself cannot run (connection lost).
StatusOr<VerifyReport> Verify(PgConnection& connection, const Profile& profile,
                              const VerifyOptions& options);
// Per-table fingerprints, then one line per failing check, then a summary line. Ends with '\n'.
std::string FormatVerifyText(const VerifyReport& report);
// One JSON object: {"database", "profile", "seed", "passed", "failed", "seconds",
// "fingerprints": [{"table", "rows", "expected", "found", "found_rows", "match"}],
// "checks": [{"kind", "subject", "passed", "detail"}]}.
std::string FormatVerifyJson(const VerifyReport& report);

}  // namespace seedforge
