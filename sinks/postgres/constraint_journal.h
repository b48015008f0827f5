// The constraint journal: seedforge.pending_constraints (kPendingConstraintsTable,
// sinks/sink.h) holds the foreign keys a parallel bulk load dropped, and the indexes it has yet
// to build, until they are restored.
//
// Tables loaded at the same time on different connections cannot each drop the foreign keys
// between them (the two transactions would wait for each other's locks). So before the load
// every foreign key that touches a table about to be bulk-loaded is recorded here and dropped, in
// one transaction; after the load they are added back (each validated by one join) and the
// journal emptied, in one transaction. A run killed in between leaves whole tables and the
// journal; every run restores what the journal holds, so the next run completes it.
//
// Each bulk-loaded table also records its indexes that no constraint owns in the journal, in its
// own transaction, instead of building them before its COMMIT (bulk_load.h): RestoreJournal
// builds them after every table is loaded, the largest tables' first, on two connections at
// once, each index in a transaction of its own that also deletes its journal row. An index row's
// definition is the CREATE INDEX statement (pg_get_indexdef), a foreign key's the constraint
// definition (pg_get_constraintdef): "CREATE " tells them apart.
#pragma once

#include <set>
#include <string>
#include <vector>

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

struct JournaledIndex {
  std::string table;       // the table as regclass text
  std::string name;        // the index as regclass text (quoted, qualified when not on the path)
  std::string definition;  // pg_get_indexdef()
};

// Records `indexes` in the journal, in the caller's transaction (a row already there for the same
// table and name is replaced). REQUIRES: the journal exists.
Status JournalIndexes(PgConnection& connection, const std::vector<JournaledIndex>& indexes);

// Builds every index the journal holds (but those that exist meanwhile), the largest tables'
// first, on `connection` and, when `worker_conninfo` is not empty and two or more are pending,
// on a second connection to it at the same time; each in its own transaction with the deletion
// of its row. Then adds back, in one transaction, every foreign key the journal holds (but those
// restored by hand meanwhile) and empties the journal. OK and nothing done when the journal is
// absent, empty, or not readable and writable by this role (which could not restore them
// either: only the tables' owner can). Failpoints: sink.index_built (detail: the index) after
// each index's COMMIT, sink.foreign_keys_before_commit before the foreign keys' COMMIT.
Status RestoreJournal(PgConnection& connection, const std::string& worker_conninfo);

}  // namespace seedforge
