// The bulk path: loads a table that starts empty, in ONE transaction. Keeping indexes and
// checking foreign keys row by row is what makes COPY into a constrained table slow, so the
// transaction records the table's index and constraint definitions (its own primary, unique and
// foreign keys and the foreign keys of other tables that point at it), drops them, TRUNCATEs
// (which lets COPY use FREEZE and, with wal_level=minimal, skip WAL), COPYs every batch, then
// recreates exactly the recorded definitions, which builds each index in one sort and validates
// each foreign key with one join. A kill rolls the whole table back, definitions included; the
// rerun starts the table again. (Foreign keys already moved to the constraint journal are not
// there to record: a parallel load restores them in FinishLoad.)
#pragma once

#include <memory>

#include "core/status.h"
#include "sinks/postgres/table_load.h"

namespace seedforge {

// Starts bulk-loading `write` over `connection` (not owned; must outlive the load): BEGIN, lock,
// record and drop the definitions, TRUNCATE, record the segment when `record_history` (in the
// table's transaction), and open the COPY. REQUIRES: the role owns the table. Destroying the
// load before Finish() succeeded rolls everything back. Failpoints, with detail TABLE:
// sink.bulk_batch_sent after each batch is sent, sink.bulk_rows_copied after the COPY ends,
// sink.bulk_before_commit and sink.table_committed around the COMMIT.
StatusOr<std::unique_ptr<TableLoad>> StartBulk(PgConnection& connection, const TableWrite& write,
                                               Format format, bool record_history);

}  // namespace seedforge
