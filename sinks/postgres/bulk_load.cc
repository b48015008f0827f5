// The bulk path (see bulk_load.h). The dropped definitions are read back as the catalog prints
// them (pg_get_constraintdef, pg_get_indexdef) and re-run verbatim, so the table ends with
// exactly the constraints and indexes it had, whatever made them.
#include "sinks/postgres/bulk_load.h"

#include <optional>
#include <string>
#include <vector>

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/segments.h"
#include "sinks/postgres/transaction.h"

namespace seedforge {
namespace {

struct SavedDefinition {
  std::string table;       // qualified, quoted table name the definition belongs to
  std::string name;        // quoted constraint or index name
  std::string definition;  // pg_get_constraintdef / pg_get_indexdef text
  bool is_index = false;   // CREATE INDEX statement rather than a table constraint
  bool is_foreign_key = false;
};

class BulkLoad final : public TableLoad {
 public:
  // COPY FREEZE is refused for a partitioned table (its rows go to the partitions).
  BulkLoad(PgConnection& connection, const TableWrite& write, Format format, bool partitioned)
      : TableLoad(connection, write, format, partitioned ? "" : ", FREEZE") {}

  // The COPY is abandoned before the transaction rolls back (the member's destructor).
  ~BulkLoad() override { AbandonCopy(); }

  Status Begin(bool record_history) {
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection_));
    transaction_.emplace(std::move(transaction));
    SF_RETURN_IF_ERROR(
        connection_.Execute("LOCK TABLE " + quoted_table_ + " IN ACCESS EXCLUSIVE MODE"));
    SF_RETURN_IF_ERROR(SaveDefinitions());
    SF_RETURN_IF_ERROR(
        connection_.Execute(DropDefinitionsSql() + "TRUNCATE " + quoted_table_ + ";"));
    if (record_history) SF_RETURN_IF_ERROR(RecordSegment(connection_, write_));
    return OpenCopy();
  }

  Status WriteBatch(std::string_view bytes) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyPut(bytes)));
    SF_FAILPOINT("sink.bulk_batch_sent", write_.schema->name);
    return Status::Ok();
  }

  Status Finish() override {
    SF_RETURN_IF_ERROR(CloseCopy());
    SF_FAILPOINT("sink.bulk_rows_copied", write_.schema->name);
    Phase("building indexes");
    SF_RETURN_IF_ERROR(RestoreDefinitions());
    SF_RETURN_IF_ERROR(MoveIdentityPastLargestId());
    SF_FAILPOINT("sink.bulk_before_commit", write_.schema->name);
    Phase("committing");
    SF_RETURN_IF_ERROR(Where(transaction_->Commit()));
    SF_FAILPOINT("sink.table_committed", write_.schema->name);
    return Status::Ok();
  }

  const char* method() const override { return "bulk"; }

 private:
  // Reads this table's keys and foreign keys, other tables' foreign keys to it, and the indexes
  // no constraint owns. Of a partitioned table, what is declared on the table itself: its
  // partitions' clones (conparentid set) go and come back with it, and its indexes are printed
  // "ON ONLY" the table, which would recreate them without the partitions' indexes.
  Status SaveDefinitions() {
    const std::string oid = connection_.QuoteLiteral(quoted_table_) + "::regclass";
    SF_ASSIGN_OR_RETURN(
        QueryResult constraints,
        connection_.Query("SELECT conrelid::regclass::text, quote_ident(conname), "
                          "pg_get_constraintdef(oid), contype = 'f' FROM pg_constraint "
                          "WHERE conparentid = 0 AND ((conrelid = " +
                          oid +
                          " AND contype IN ('p', 'u', 'f')) OR "
                          "(confrelid = " +
                          oid + " AND contype = 'f' AND conrelid <> " + oid +
                          ")) ORDER BY contype = 'f', conname"));
    SF_ASSIGN_OR_RETURN(
        QueryResult indexes,
        connection_.Query("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
                          "FROM pg_index i WHERE indrelid = " +
                          oid +
                          " AND NOT EXISTS (SELECT 1 "
                          "FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = "
                          "i.indrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY 1"));
    saved_.clear();
    for (const auto& row : constraints.rows) {
      saved_.push_back({*row[0], *row[1], *row[2], false, *row[3] == "t"});
    }
    for (const auto& row : indexes.rows) {
      std::string definition = *row[1];
      const size_t only = definition.find(" ON ONLY ");
      if (only != std::string::npos) definition.erase(only + 3, 5);
      saved_.push_back({"", *row[0], std::move(definition), true, false});
    }
    return Status::Ok();
  }

  // Foreign keys first, then keys, then indexes.
  std::string DropDefinitionsSql() const {
    std::string drop;
    for (int pass = 0; pass < 3; ++pass) {
      for (const SavedDefinition& d : saved_) {
        const int kind = d.is_foreign_key ? 0 : d.is_index ? 2 : 1;
        if (kind != pass) continue;
        drop += d.is_index ? "DROP INDEX " + d.name + ";\n"
                           : "ALTER TABLE " + d.table + " DROP CONSTRAINT " + d.name + ";\n";
      }
    }
    return drop;
  }

  // Recreates what Begin dropped: indexes and keys first (foreign keys need the keys).
  Status RestoreDefinitions() {
    for (int pass = 0; pass < 2; ++pass) {
      for (const SavedDefinition& d : saved_) {
        if (d.is_foreign_key != (pass == 1)) continue;
        const std::string sql = d.is_index ? d.definition
                                           : "ALTER TABLE " + d.table + " ADD CONSTRAINT " +
                                                 d.name + " " + d.definition;
        Status status = connection_.Execute(sql);
        if (!status.ok()) {
          return status.WithContext("table " + write_.schema->name + ": restoring " + d.name);
        }
      }
    }
    return Status::Ok();
  }

  std::optional<Transaction> transaction_;  // open from Begin until Finish commits
  std::vector<SavedDefinition> saved_;
};

}  // namespace

StatusOr<std::unique_ptr<TableLoad>> StartBulk(PgConnection& connection, const TableWrite& write,
                                               Format format, bool record_history) {
  SF_ASSIGN_OR_RETURN(
      QueryResult kind,
      connection.Query("SELECT relkind = 'p' FROM pg_class WHERE oid = " +
                       connection.QuoteLiteral(connection.QuoteIdentifier(write.schema->name)) +
                       "::regclass"));
  const bool partitioned = !kind.rows.empty() && kind.rows[0][0] == "t";
  auto load = std::make_unique<BulkLoad>(connection, write, format, partitioned);
  SF_RETURN_IF_ERROR(load->Begin(record_history)
                         .WithContext("preparing " + write.schema->name + " for bulk load"));
  return std::unique_ptr<TableLoad>(std::move(load));
}

}  // namespace seedforge
