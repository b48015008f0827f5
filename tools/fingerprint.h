// Fingerprints of generated rows: computed by running the generators in this process, and by
// one SQL aggregate on the server, so that `verify` can compare the two (tools/verify.h).
//
// The fingerprint. A row's canonical text is its columns rendered as text and joined by a tab,
// NULL as the two characters \N, with no escaping:
//   bigint, integer, numeric(12,2), macaddr: the type's text output (`col::text`);
//   boolean: `true` / `false`;  text: the value itself;  inet: `host(col::inet)` (10.1.2.3);
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
#include <memory>
#include <string>
#include <string_view>

#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "generators/table_generator.h"
#include "sinks/sink.h"

namespace seedforge {

class PgConnection;

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

// An SQL condition that holds for the ids of generated rows [0, rows) of `schema`'s table with
// `contents` (its segments' id ranges; ids 1..rows without history): "true" for a table without
// an id, whose rows all count as generated.
std::string GeneratedIdCondition(const TableContents& contents, int64_t rows,
                                 const TableSchema& schema);

// Sets the session settings the inspection queries rely on (TimeZone UTC, DateStyle ISO).
Status PrepareInspectSession(PgConnection& connection);

}  // namespace seedforge
