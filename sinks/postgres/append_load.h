// The append path: loads a table that already has rows (or that the role does not own) with one
// COPY per batch in autocommit mode, so every batch is its own transaction. A kill loses at most
// the batch in flight and never leaves part of one; the engine resumes from count(*), and the
// rows committed so far are a prefix of the plan.
#pragma once

#include <cstdint>
#include <memory>

#include "core/status.h"
#include "sinks/postgres/table_load.h"

namespace seedforge {

// A large top-up can instead load in one transaction (AppendMode, PlanAppend): one COPY, the
// per-row foreign-key checks replaced by one pass per key when the session may switch them off,
// and when the new rows are at least as many as the rows present, the table's indexes rebuilt
// after the COPY rather than kept up to date row by row. A kill then rolls the whole table's new
// rows (and any index taken down) back, and the rerun makes them again.

// At least this many new rows: AppendMode::kAuto loads them in one transaction. Below it, the
// batches' own commits cost little and a kill keeps more.
inline constexpr int64_t kTransactionAppendRows = 10'000;

struct AppendPlan {
  bool one_transaction = false;  // one transaction and one COPY, else a COPY per batch
  // The session may skip the per-row checks (superuser, no trigger of the table's own that
  // replica mode would skip): the foreign keys are checked once per key at the end.
  bool trusted = false;
  // Also take the table's keys and indexes (and the foreign keys that depend on them) down in
  // the transaction, and rebuild them after the COPY: one sort per index instead of an insert
  // per row. Holds ACCESS EXCLUSIVE on the table (and on the tables whose keys refer to it)
  // until COMMIT, so the application's reads of them wait for the load.
  bool rebuild = false;
};

// The method a run reports for a table appended as `plan` says: "append", "append-tx",
// "append-rebuild", or with "-checked" after them when the server checks every row.
inline const char* AppendMethod(const AppendPlan& plan) {
  if (!plan.one_transaction) return "append";
  if (plan.rebuild) return plan.trusted ? "append-rebuild" : "append-rebuild-checked";
  return plan.trusted ? "append-tx" : "append-tx-checked";
}

// How `write` is appended under `mode` (reads the role and the table's triggers).
StatusOr<AppendPlan> PlanAppend(PgConnection& connection, const TableWrite& write, AppendMode mode);

// Starts appending `write` over `connection` (not owned; must outlive the load) as `plan` says:
// records the segment first when `record_history` (before the first batch commits; in the
// transaction of the one-transaction path). `format` is kCopyText or kCopyBinary. Reaches
// failpoint sink.batch_committed:TABLE after each batch's COPY commits, or on the one-transaction
// path sink.append_batch_sent:TABLE after each batch, sink.append_rows_copied:TABLE after the COPY
// and sink.table_committed:TABLE after the COMMIT.
StatusOr<std::unique_ptr<TableLoad>> StartAppend(PgConnection& connection, const TableWrite& write,
                                                 Format format, bool record_history,
                                                 const AppendPlan& plan);

}  // namespace seedforge
