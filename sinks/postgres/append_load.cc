// The append path (see append_load.h): each batch is a whole COPY (prologue, rows, epilogue) and
// commits on its own, so there is nothing to roll back between batches; destroying the load
// abandons only a COPY left in flight.
#include "sinks/postgres/append_load.h"

#include <optional>
#include <string>
#include <vector>

#include "core/failpoint.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/segments.h"
#include "sinks/postgres/transaction.h"

namespace seedforge {
namespace {

class AppendLoad final : public TableLoad {
 public:
  AppendLoad(PgConnection& connection, const TableWrite& write, Format format)
      : TableLoad(connection, write, format, "") {}

  ~AppendLoad() override { AbandonCopy(); }

  Status WriteBatch(std::string_view bytes) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyBegin(copy_sql_)));
    in_copy_ = true;
    Status status = connection_.CopyPut(prologue_.view());
    if (status.ok()) status = connection_.CopyPut(bytes);
    if (status.ok()) status = connection_.CopyPut(epilogue_.view());
    if (!status.ok()) {
      connection_.CopyAbort();
      in_copy_ = false;
      return Where(status);
    }
    in_copy_ = false;
    bytes_ += static_cast<int64_t>(prologue_.size() + epilogue_.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyEnd()));
    SF_FAILPOINT("sink.batch_committed", write_.schema->name);
    return Status::Ok();
  }

  Status Finish() override { return MoveIdentityPastLargestId(); }

  const char* method() const override { return "append"; }

 private:
  // in_copy_ (TableLoad's): between CopyBegin and CopyEnd of one batch.
};

// A large top-up in one transaction and one COPY. The server's per-row foreign-key checks (one
// trigger and one index probe of the parent per row, most of an append's time) are switched off
// for the transaction (session_replication_role = replica, which skips the RI triggers) when the
// session may, and replaced by one anti-join per foreign key at the end, after locking each
// referenced table in SHARE mode: no parent row can then go away before the COMMIT, and a
// missing one fails the table, rolling it back. Indexes stay and are kept up to date, so the
// application's reads are served throughout; the load holds ROW EXCLUSIVE on the table until
// COMMIT, and SHARE on the tables it refers to for the checks and the COMMIT only (their writers
// wait that long).
class TransactionAppendLoad final : public TableLoad {
 public:
  TransactionAppendLoad(PgConnection& connection, const TableWrite& write, Format format)
      : TableLoad(connection, write, format, "") {}

  ~TransactionAppendLoad() override { AbandonCopy(); }

  Status Begin(bool trusted, bool rebuild, bool record_history) {
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection_));
    transaction_.emplace(std::move(transaction));
    trusted_ = trusted;
    rebuild_ = rebuild;
    if (trusted_) {
      SF_RETURN_IF_ERROR(
          Where(connection_.Execute("SET LOCAL session_replication_role = replica")));
    }
    if (record_history) SF_RETURN_IF_ERROR(RecordSegment(connection_, write_));
    if (rebuild_) SF_RETURN_IF_ERROR(TakeIndexesDown());
    return OpenCopy();
  }

  Status WriteBatch(std::string_view bytes) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyPut(bytes)));
    SF_FAILPOINT("sink.append_batch_sent", write_.schema->name);
    return Status::Ok();
  }

  Status Finish() override {
    SF_RETURN_IF_ERROR(CloseCopy());
    SF_FAILPOINT("sink.append_rows_copied", write_.schema->name);
    if (rebuild_) SF_RETURN_IF_ERROR(PutIndexesBack());
    if (trusted_) {
      Phase("checking foreign keys");
      SF_RETURN_IF_ERROR(CheckForeignKeys());
    }
    SF_RETURN_IF_ERROR(MoveIdentityPastLargestId());
    Phase("committing");
    SF_RETURN_IF_ERROR(Where(transaction_->Commit()));
    SF_FAILPOINT("sink.table_committed", write_.schema->name);
    return Status::Ok();
  }

  const char* method() const override { return AppendMethod({true, trusted_, rebuild_}); }

 private:
  // Rebuild (AppendPlan::rebuild): drops the table's keys and indexes and the foreign keys that
  // depend on them (other tables' keys to it, its keys to itself), remembering their definitions;
  // all in this transaction, so a kill or an error brings them back as they were.
  Status TakeIndexesDown() {
    Phase("taking indexes down");
    SF_ASSIGN_OR_RETURN(const std::optional<TableDef> table, ReadTable(connection_, quoted_table_));
    if (!table.has_value()) return Where(Internal("the table is gone"));
    const std::string qualified = table->QualifiedName();
    SF_ASSIGN_OR_RETURN(
        QueryResult dependent,
        connection_.Query("SELECT conrelid::regclass::text, conname::text, "
                          "pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND "
                          "conparentid = 0 AND confrelid = " +
                          connection_.QuoteLiteral(quoted_table_) +
                          "::regclass ORDER BY conrelid, conname"));
    for (const auto& row : dependent.rows) {
      dropped_keys_.push_back({*row[0], *row[1], *row[2]});
    }
    for (const ConstraintDef& key : table->constraints) {
      if (key.type == 'p' || key.type == 'u')
        keys_.push_back({qualified, key.name, key.definition});
    }
    for (const DroppedKey& key : dropped_keys_) {
      SF_RETURN_IF_ERROR(Where(connection_.Execute(
          "ALTER TABLE " + key.table + " DROP CONSTRAINT " + QuoteIdentifier(key.name))));
    }
    for (const DroppedKey& key : keys_) {
      SF_RETURN_IF_ERROR(Where(connection_.Execute(
          "ALTER TABLE " + key.table + " DROP CONSTRAINT " + QuoteIdentifier(key.name))));
    }
    for (const IndexDef& index : table->indexes) {
      indexes_.push_back(index.definition);
      SF_RETURN_IF_ERROR(
          Where(connection_.Execute("DROP INDEX " + QualifiedName(table->schema, index.name))));
    }
    return Status::Ok();
  }

  // Rebuilds what TakeIndexesDown dropped: each key and index in one sort of the whole table,
  // then the dependent foreign keys, each validated by one join.
  Status PutIndexesBack() {
    Phase("building indexes");
    for (const DroppedKey& key : keys_) {
      SF_RETURN_IF_ERROR(
          Where(connection_.Execute("ALTER TABLE " + key.table + " ADD CONSTRAINT " +
                                    QuoteIdentifier(key.name) + " " + key.definition)));
    }
    for (const std::string& index : indexes_) {
      SF_RETURN_IF_ERROR(Where(connection_.Execute(index)));
    }
    Phase("validating foreign keys");
    for (const DroppedKey& key : dropped_keys_) {
      SF_RETURN_IF_ERROR(
          Where(connection_.Execute("ALTER TABLE " + key.table + " ADD CONSTRAINT " +
                                    QuoteIdentifier(key.name) + " " + key.definition)));
    }
    return Status::Ok();
  }

  struct DroppedKey {
    std::string table;  // as SQL names it
    std::string name;
    std::string definition;  // pg_get_constraintdef()
  };
  std::vector<DroppedKey> keys_;          // the table's primary and unique keys
  std::vector<DroppedKey> dropped_keys_;  // foreign keys that depend on them
  std::vector<std::string> indexes_;      // pg_get_indexdef() of the other indexes
  bool rebuild_ = false;

  // Each foreign key of the table (as the catalog reads them), over the rows this load added
  // (their ids).
  Status CheckForeignKeys() {
    SF_ASSIGN_OR_RETURN(const std::optional<TableDef> table, ReadTable(connection_, quoted_table_));
    if (!table.has_value()) return Where(Internal("the table is gone"));
    const std::string new_rows = write_.schema->IdBetweenSql(
        write_.first_id, write_.first_id + write_.rows_to_write - 1, "c.");
    for (const ConstraintDef& key : table->constraints) {
      if (key.type != 'f') continue;
      std::string listed, child, parent, not_null;
      for (size_t i = 0; i < key.columns.size(); ++i) {
        const std::string column = QuoteIdentifier(key.columns[i]);
        listed += (i == 0 ? "" : ", ") + column;
        child += (i == 0 ? "c." : ", c.") + column;
        parent += (i == 0 ? "p." : ", p.") + QuoteIdentifier(key.referenced_columns[i]);
        not_null += " AND c." + column + " IS NOT NULL";
      }
      SF_RETURN_IF_ERROR(
          connection_.Execute("LOCK TABLE " + key.referenced_table + " IN SHARE MODE"));
      SF_ASSIGN_OR_RETURN(
          const int64_t missing,
          connection_.QueryInt("SELECT count(*) FROM " + quoted_table_ + " c WHERE (" + new_rows +
                               ")" + not_null + " AND NOT EXISTS (SELECT 1 FROM " +
                               key.referenced_table + " p WHERE (" + parent + ") = (" + child +
                               "))"));
      if (missing != 0) {
        // The referenced table as the session names it (no schema when the path finds it).
        SF_ASSIGN_OR_RETURN(
            const std::string referenced,
            connection_.QueryValue("SELECT " + connection_.QuoteLiteral(key.referenced_table) +
                                   "::regclass::text"));
        return Where(FailedPrecondition(
            std::to_string(missing) + " new row(s) refer through foreign key " +
            QuoteIdentifier(key.name) + " (" + listed + ") to rows of " + referenced +
            " that do not exist; nothing of this table's load was kept"));
      }
    }
    return Status::Ok();
  }

  std::optional<Transaction> transaction_;  // open from Begin until Finish commits
  bool trusted_ = false;
};

}  // namespace

StatusOr<AppendPlan> PlanAppend(PgConnection& connection, const TableWrite& write,
                                AppendMode mode) {
  AppendPlan plan;
  if (mode == AppendMode::kBatches ||
      (mode == AppendMode::kAuto && write.rows_to_write < kTransactionAppendRows)) {
    return plan;
  }
  plan.one_transaction = true;
  const std::string table =
      connection.QuoteLiteral(connection.QuoteIdentifier(write.schema->name)) + "::regclass";
  // Replica mode would also skip the table's own triggers (but ALWAYS ones) and fire REPLICA
  // ones, and the foreign keys of a partitioned table's partitions are theirs, not the table's:
  // then the server keeps checking every row.
  SF_ASSIGN_OR_RETURN(
      const std::string trusted,
      connection.QueryValue("SELECT current_setting('is_superuser') = 'on' AND NOT EXISTS (SELECT "
                            "1 FROM pg_trigger WHERE tgrelid = " +
                            table +
                            " AND NOT tgisinternal AND tgenabled IN ('O', 'R')) AND (SELECT "
                            "relkind FROM pg_class WHERE oid = " +
                            table + ") <> 'p'"));
  plan.trusted = trusted == "t";
  // Rebuild when the new rows are at least as many as those present (sorting the whole table
  // into each index then costs less than inserting every new row into it), and not for a
  // partitioned table (its partitions own the indexes) or one with an exclusion constraint.
  if (mode == AppendMode::kRebuild ||
      (mode == AppendMode::kAuto && write.rows_to_write >= write.existing_rows)) {
    SF_ASSIGN_OR_RETURN(
        const std::string plain,
        connection.QueryValue("SELECT (SELECT relkind FROM pg_class WHERE oid = " + table +
                              ") = 'r' AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE "
                              "conrelid = " +
                              table + " AND contype = 'x')"));
    plan.rebuild = plain == "t";
  }
  return plan;
}

StatusOr<std::unique_ptr<TableLoad>> StartAppend(PgConnection& connection, const TableWrite& write,
                                                 Format format, bool record_history,
                                                 const AppendPlan& plan) {
  if (plan.one_transaction) {
    auto load = std::make_unique<TransactionAppendLoad>(connection, write, format);
    SF_RETURN_IF_ERROR(load->Begin(plan.trusted, plan.rebuild, record_history));
    return std::unique_ptr<TableLoad>(std::move(load));
  }
  if (record_history) SF_RETURN_IF_ERROR(RecordSegment(connection, write));
  return std::unique_ptr<TableLoad>(std::make_unique<AppendLoad>(connection, write, format));
}

}  // namespace seedforge
