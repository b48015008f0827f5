// The append path: loads a table that already has rows (or that the role does not own) with one
// COPY per batch in autocommit mode, so every batch is its own transaction. A kill loses at most
// the batch in flight and never leaves part of one; the engine resumes from count(*), and the
// rows committed so far are a prefix of the plan.
#pragma once

#include <memory>

#include "core/status.h"
#include "sinks/postgres/table_load.h"

namespace seedforge {

// Starts appending `write` over `connection` (not owned; must outlive the load): records the
// segment first when `record_history` (before the first batch commits). `format` is kCopyText or
// kCopyBinary. Reaches failpoint sink.batch_committed:TABLE after each batch's COPY commits.
StatusOr<std::unique_ptr<TableLoad>> StartAppend(PgConnection& connection, const TableWrite& write,
                                                 Format format, bool record_history);

}  // namespace seedforge
