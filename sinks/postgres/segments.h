// Generation history: seedforge.segments (kSegmentsTable, sinks/sink.h) records, for each range
// of a table's rows, the parent row counts, first id and reserved unique values they were
// generated with, so that a later top-up recomputes those rows exactly as they were made.
//
// A role that may not create or write the record runs without history (every row then counts as
// generated, ids index + 1). ReadTableContents (sinks/sink.h) reads a table through it.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "sinks/sink.h"

namespace seedforge {

class PgConnection;

// Makes sure seedforge.segments exists with every column (adding those a record made by an
// older seedforge lacks). Returns whether history is kept: false when the role may not create,
// alter or write it.
StatusOr<bool> PrepareSegments(PgConnection& connection);

// Records how this run generates `write`'s new rows, replacing what earlier records say about
// rows that no longer exist and ending an earlier segment that a killed run left short. Does
// nothing when write.row_counts is empty. Runs in the caller's transaction, if any.
// REQUIRES: PrepareSegments returned true.
Status RecordSegment(PgConnection& connection, const TableWrite& write);

// The statement (ending ";\n") that deletes the record of `tables`, for the transaction that
// empties them; "" when there is no record this role may change.
StatusOr<std::string> ForgetSegmentsSql(PgConnection& connection,
                                        const std::vector<const TableSchema*>& tables);

}  // namespace seedforge
