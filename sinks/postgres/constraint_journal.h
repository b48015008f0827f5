// The constraint journal: seedforge.pending_constraints (kPendingConstraintsTable,
// sinks/sink.h) holds the foreign keys a parallel bulk load dropped until they are restored.
//
// Tables loaded at the same time on different connections cannot each drop the foreign keys
// between them (the two transactions would wait for each other's locks). So before the load
// every foreign key that touches a table about to be bulk-loaded is recorded here and dropped, in
// one transaction; after the load they are added back (each validated by one join) and the
// journal emptied, in one transaction. A run killed in between leaves whole tables and the
// journal; every run restores what the journal holds, so the next run completes it.
#pragma once

#include <set>
#include <string>

#include "core/status.h"

namespace seedforge {

class PgConnection;

// Creates the journal (and the seedforge schema) when absent. Returns false when the role may
// not create it (then tables load one at a time, each dropping its own keys).
StatusOr<bool> CreateConstraintJournal(PgConnection& connection);

// In one transaction: records in the journal, then drops, every foreign key from or to one of
// `tables` (unquoted names, resolved with the session's search_path). REQUIRES: the journal
// exists.
Status JournalForeignKeys(PgConnection& connection, const std::set<std::string>& tables);

// Adds back, in one transaction, every foreign key the journal holds (but those restored by hand
// meanwhile) and empties the journal. OK and nothing done when the journal is absent, empty, or
// not readable and writable by this role (which could not restore the keys either: only the
// tables' owner can). Reaches failpoint sink.foreign_keys_before_commit before the COMMIT.
Status RestoreJournaledForeignKeys(PgConnection& connection);

}  // namespace seedforge
