// The constraint journal: seedforge.pending_constraints (kPendingConstraintsTable,
// sinks/sink.h) holds the foreign keys a parallel bulk load dropped until they are restored.
//
// Tables loaded at the same time on different connections cannot each drop the foreign keys
// between them (the two transactions would wait for each other's locks). So before the load
// every foreign key that touches a table about to be bulk-loaded is recorded here and dropped, in
// one transaction; each comes back (validated by one join) as soon as its two tables have
// committed, when no other key is being restored (EarlyForeignKeys), and what is left after the
// load is added back and the journal emptied, in one transaction. A run killed in between
// leaves whole tables and the journal; every run restores what the journal holds, so the next
// run completes it.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <utility>
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

// The same for every foreign key of each (table, referenced table) of `pairs` (regclass text):
// the keys from a table to one loaded after it.
Status JournalForeignKeysBetween(PgConnection& connection,
                                 const std::vector<std::pair<std::string, std::string>>& pairs);

// The foreign keys of a parallel load that can come back before the load ends, while other
// tables still load: a key whose table and referenced table have both committed. Adding a key
// locks both its tables against each other's keys (SHARE ROW EXCLUSIVE), and most keys share a
// table (the one everything refers to), so one connection restores keys at a time, the others
// waiting their turn. The connection that commits the last table restores every key left, so
// the end of the load only meets keys that could not come back (rows break them). Shared by the
// load's connections.
class EarlyForeignKeys {
 public:
  // `loading`: the tables the load has yet to commit (regclass OIDs as text).
  explicit EarlyForeignKeys(std::set<std::string> loading) : loading_(std::move(loading)) {}

  // Table `oid` has committed: once no other connection is restoring keys, restores on
  // `connection` each journaled foreign key whose two tables have both committed, each in a
  // transaction of its own that also takes it off the journal. A key that cannot be restored
  // (rows break it) is left in the journal for RestoreJournaledForeignKeys, which reports it.
  // Failpoint sink.foreign_key_restored (detail: the key) after each COMMIT. Thread-safe.
  Status Committed(PgConnection& connection, const std::string& oid);

 private:
  std::mutex restoring_;  // held by the connection restoring keys
  std::mutex mutex_;      // guards loading_
  std::set<std::string> loading_;
};

// Adds back, in one transaction, every foreign key the journal holds (but those restored by hand
// meanwhile) and empties the journal. OK and nothing done when the journal is absent, empty, or
// not readable and writable by this role (which could not restore the keys either: only the
// tables' owner can). Reaches failpoint sink.foreign_keys_before_commit before the COMMIT.
Status RestoreJournaledForeignKeys(PgConnection& connection);

}  // namespace seedforge
