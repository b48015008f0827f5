// RAII transaction (see transaction.h).
#include "sinks/postgres/transaction.h"

#include "sinks/postgres/connection.h"

namespace seedforge {

StatusOr<Transaction> Transaction::Begin(PgConnection& connection) {
  SF_RETURN_IF_ERROR(connection.Execute("BEGIN"));
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
  other.connection_ = nullptr;
}

Transaction::~Transaction() { Rollback(); }

Status Transaction::Commit() {
  SF_RETURN_IF_ERROR(connection_->Execute("COMMIT"));
  connection_ = nullptr;
  return Status::Ok();
}

void Transaction::Rollback() {
  if (connection_ == nullptr) return;
  (void)connection_->Execute("ROLLBACK");
  connection_ = nullptr;
}

}  // namespace seedforge
