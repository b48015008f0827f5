// The constraint journal: seedforge.pending_constraints (kPendingConstraintsTable,
// sinks/sink.h) holds the foreign keys a parallel bulk load dropped, and the indexes it has yet
// to build, until they are restored.
//
// Tables loaded at the same time on different connections cannot each drop the foreign keys
// between them (the two transactions would wait for each other's locks). So before the load
// every foreign key that touches a table about to be bulk-loaded is recorded here and dropped, in
// one transaction; each comes back (validated by one join) as soon as its two tables have
// committed (EarlyForeignKeys), and what is left after the load is added back and the journal
// emptied, in one transaction. A run killed in between leaves whole tables and the journal;
// every run restores what the journal holds, so the next run completes it.
//
// Each bulk-loaded table also records its indexes that no constraint owns in the journal, in its
// own transaction, instead of building them before its COMMIT (bulk_load.h): RestoreJournal
// builds them after every table is loaded, the largest tables' first, on two connections at
// once, each index in a transaction of its own that also deletes its journal row. An index row's
// definition is the CREATE INDEX statement (pg_get_indexdef), a foreign key's the constraint
// definition (pg_get_constraintdef): "CREATE " tells them apart.
#pragma once

#include <mutex>
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

// The foreign keys of a parallel load that can come back before the load ends: a key whose
// table and referenced table have both committed is restored by the connection that committed
// the later of them, while the others still load. Shared by the load's connections.
class EarlyForeignKeys {
 public:
  // `loading`: the tables the load has yet to commit (regclass OIDs as text).
  explicit EarlyForeignKeys(std::set<std::string> loading) : loading_(std::move(loading)) {}

  // Table `oid` has committed: restores, on `connection`, each journaled foreign key whose two
  // tables have both committed and that no other connection took, each in a transaction of its
  // own that also takes it off the journal. A key that cannot be restored (rows break it) is
  // left in the journal for RestoreJournal, which reports it. Failpoint
  // sink.foreign_key_restored (detail: the key) after each COMMIT. Thread-safe.
  Status Committed(PgConnection& connection, const std::string& oid);

 private:
  std::mutex mutex_;
  std::set<std::string> loading_;  // guarded by mutex_
  std::set<std::string> taken_;    // "table\x1fkey" restored or being restored; guarded
};

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
