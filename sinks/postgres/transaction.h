// An RAII transaction on one connection: BEGIN when made, COMMIT when asked, ROLLBACK when it
// goes out of scope without a successful Commit() (an error path returning early, an aborted
// table). Replaces hand-written ROLLBACKs on each error path.
#pragma once

#include "core/status.h"

namespace seedforge {

class PgConnection;

class Transaction {
 public:
  // Sends BEGIN on `connection` (not owned; must outlive the transaction).
  static StatusOr<Transaction> Begin(PgConnection& connection);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&& other) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back unless Commit() succeeded. A failed ROLLBACK (a broken connection, which the
  // server rolls back itself) is ignored.
  ~Transaction();

  // Sends COMMIT. REQUIRES: neither Commit() succeeded nor Rollback() was called. On failure the
  // transaction still counts as open and is rolled back when it goes out of scope (after a failed
  // COMMIT the server has ended it; the ROLLBACK is harmless).
  Status Commit();
  // Rolls back now (what the destructor would do).
  void Rollback();

 private:
  explicit Transaction(PgConnection* connection) : connection_(connection) {}

  PgConnection* connection_;  // null once committed or rolled back
};

}  // namespace seedforge
