// The PostgreSQL sink: a coordinator behind the Sink interface (sinks/sink.h) that decides, per
// table, how the rows go in and hands each responsibility to the file named for it:
//
//   advisory_lock.h       two seeders on one database take turns (Prepare)
//   schema_check.h        existing tables take the rows, the role may write them (CheckSchema)
//   ddl.h                 the declared tables and indexes that are missing (CreateSchema)
//   segments.h            generation history, kept with the rows it describes
//   append_load.h         a table that has rows (or that the role does not own): batch by batch
//   bulk_load.h           an empty table the role owns: one transaction, keys rebuilt at the end
//   constraint_journal.h  with worker connections, the foreign keys of tables loaded at the same
//                         time are dropped before the load and restored after it (FinishLoad)
//
// After either load path the identity sequence is moved past the largest id, so the application's
// own inserts never collide with generated rows.
//
// Threads: the engine calls each sink from one thread at a time (sinks/sink.h), and a worker
// sink (OpenWorker) has its own connection and its own copy of the load decisions, so no member
// here is written by two threads.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/failpoint.h"
#include "core/sql_type.h"
#include "sinks/postgres/advisory_lock.h"
#include "sinks/postgres/append_load.h"
#include "sinks/postgres/bulk_load.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/constraint_journal.h"
#include "sinks/postgres/ddl.h"
#include "sinks/postgres/schema_check.h"
#include "sinks/postgres/segments.h"
#include "sinks/postgres/table_load.h"
#include "sinks/postgres/transaction.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

class PostgresSink final : public Sink {
 public:
  PostgresSink(PgConnection* connection, Format format, PostgresSinkOptions options)
      : connection_(*connection), format_(format), options_(std::move(options)) {}

  // A worker on its own connection, sharing the main sink's load decisions.
  PostgresSink(std::unique_ptr<PgConnection> owned, Format format, PostgresSinkOptions options,
               bool journaled, std::set<std::string> bulk_tables, bool history_enabled,
               std::shared_ptr<EarlyForeignKeys> early_keys)
      : owned_connection_(std::move(owned)),
        connection_(*owned_connection_),
        format_(format),
        options_(std::move(options)),
        journaled_(journaled),
        history_enabled_(history_enabled),
        bulk_tables_(std::move(bulk_tables)),
        early_keys_(std::move(early_keys)) {}

  // A table in progress is abandoned (its load rolls back) before the connection closes.
  ~PostgresSink() override { load_.reset(); }

  Status Prepare() override {
    if (options_.advisory_lock) return TakeAdvisoryLock(connection_, options_);
    return Status::Ok();
  }

  // Also checks the enum types: a declared one that exists has every declared label, and an
  // undeclared one that a missing table needs exists. Keeps what it read of the existing
  // tables: CheckIds, EncodingOptionsFor and CreateSchema answer from it.
  Status CheckSchema(const std::vector<const TableSchema*>& tables) override {
    SF_RETURN_IF_ERROR(CheckEnumTypes(connection_, DeclaredEnumTypes(tables), &missing_types_));
    std::string missing;
    existing_.clear();
    for (const TableSchema* table : tables) {
      SF_ASSIGN_OR_RETURN(std::optional<TableDef> actual,
                          ReadTable(connection_, connection_.QuoteIdentifier(table->name)));
      if (!actual.has_value()) {
        SF_RETURN_IF_ERROR(CheckUndeclaredEnumsExist(connection_, *table));
        if (missing.empty()) missing = table->name;
        continue;
      }
      SF_ASSIGN_OR_RETURN(std::vector<WireType> wires, TableTakesRows(*table, *actual));
      existing_[table->name] = {*std::move(actual), std::move(wires)};
    }
    if (missing.empty() && missing_types_.empty()) return Status::Ok();
    return CheckCanCreate(connection_, missing.empty()
                                           ? "type " + missing_types_[0]->QualifiedName()
                                           : "table " + missing);
  }

  Status CheckIds(const std::vector<const TableSchema*>& tables,
                  const std::vector<int64_t>& largest_ids) override {
    std::map<std::string, int64_t> largest;
    for (size_t i = 0; i < tables.size() && i < largest_ids.size(); ++i) {
      largest[tables[i]->name] = largest_ids[i];
    }
    for (const TableSchema* table : tables) {
      const auto found = existing_.find(table->name);
      if (found == existing_.end()) continue;
      SF_RETURN_IF_ERROR(CheckIdsFit(*table, found->second.table, largest));
    }
    return Status::Ok();
  }

  EncodingOptions EncodingOptionsFor(const TableSchema& table) const override {
    EncodingOptions options;
    const auto found = existing_.find(table.name);
    if (found != existing_.end()) options.wire_types = found->second.wire_types;
    const auto oids = array_element_oids_.find(table.name);
    if (oids != array_element_oids_.end()) options.array_element_oids = oids->second;
    return options;
  }

  std::vector<int64_t> CharacterLimits(const TableSchema& table) const override {
    const auto found = existing_.find(table.name);
    if (found == existing_.end()) return {};
    std::vector<int64_t> limits(table.columns.size(), -1);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      for (const ColumnDef& column : found->second.table.columns) {
        if (column.name != table.columns[c].name) continue;
        const StatusOr<SqlType> type = ParseSqlType(column.type);
        if (type.ok() && !type->array && type->length > 0) limits[c] = type->length;
      }
    }
    return limits;
  }

  // Creates the missing tables from their declared model (ddl.h) with their indexes, and the
  // missing indexes of existing tables the role owns (a table of another role is left as it is:
  // only its owner may index it).
  // The declared enum types CheckSchema found missing are created first, in the same
  // transaction. Every statement is its own ExecuteOne: names and labels come from a profile.
  Status CreateSchema(const std::vector<const TableSchema*>& tables) override {
    std::vector<std::string> ddl;
    std::vector<std::string> foreign_keys;  // after every table: a key may refer to a later one
    for (const EnumTypeDef* type : missing_types_) ddl.push_back(CreateEnumTypeStatement(*type));
    for (const TableSchema* table : tables) {
      SF_ASSIGN_OR_RETURN(
          QueryResult found,
          connection_.Query("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                            "WHERE oid = to_regclass(" +
                            connection_.QuoteLiteral(connection_.QuoteIdentifier(table->name)) +
                            ")"));
      const bool exists = !found.rows.empty();
      if (exists && found.rows[0][0] != "t") continue;
      if (!exists) {
        for (std::string& statement : CreateTableStatements(table->table, KeyPlacement::kInline)) {
          ddl.push_back(std::move(statement));
        }
        for (std::string& statement : AddForeignKeysStatements(table->table)) {
          foreign_keys.push_back(std::move(statement));
        }
      }
      // An existing table keeps its own indexes: a declared index is added only when no index
      // or key of the table already covers its columns (whatever its name).
      TableDef wanted = table->table;
      const auto existing = existing_.find(table->name);
      if (exists && existing != existing_.end()) {
        std::erase_if(wanted.indexes, [&](const IndexDef& index) {
          return !EquivalentIndex(index, existing->second.table).empty();
        });
      }
      for (std::string& index : CreateMissingIndexesStatements(wanted)) {
        ddl.push_back(std::move(index));
      }
    }
    for (std::string& statement : foreign_keys) ddl.push_back(std::move(statement));
    if (!ddl.empty()) {
      SF_RETURN_IF_ERROR(RunStatementsInTransaction(ddl).WithContext("creating the schema"));
    }
    SF_ASSIGN_OR_RETURN(history_enabled_, PrepareSegments(connection_));
    return ReadArrayElementOids(tables);
  }

  Status ClearTables(const std::vector<const TableSchema*>& tables) override {
    std::string names;
    for (const TableSchema* table : tables) {
      const std::string name = connection_.QuoteIdentifier(table->name);
      SF_ASSIGN_OR_RETURN(const bool exists, RelationExists(connection_, name));
      if (!exists) continue;
      names += names.empty() ? "" : ", ";
      names += name;
    }
    if (names.empty()) return Status::Ok();
    // Without CASCADE a table outside the list that refers to one of them makes it fail rather
    // than empty that table too. The record of how the old rows were generated goes with them,
    // whether or not this run keeps history (Prepare has not looked yet): rows generated afresh
    // must not be mapped through segments of rows that are gone.
    SF_ASSIGN_OR_RETURN(const std::string forget, ForgetSegmentsSql(connection_, tables));
    return RunInTransaction("TRUNCATE " + names + " RESTART IDENTITY;\n" + forget)
        .WithContext("clearing " + names);
  }

  StatusOr<TableContents> ReadContents(const TableSchema& table) override {
    return ReadTableContents(connection_, table);
  }

  Status BeginLoad(const std::vector<TableWrite>& writes) override {
    for (const TableWrite& write : writes) {
      if (write.rows_to_write > 0) SF_RETURN_IF_ERROR(CheckCanAppend(connection_, *write.schema));
    }
    bulk_tables_.clear();
    for (const TableWrite& write : writes) {
      if (!options_.bulk_load_empty_tables || write.existing_rows != 0 ||
          write.rows_to_write == 0) {
        continue;
      }
      SF_ASSIGN_OR_RETURN(
          const bool owns,
          OwnsRelation(connection_, connection_.QuoteIdentifier(write.schema->name)));
      if (owns) bulk_tables_.insert(write.schema->name);
    }
    journaled_ = false;
    early_keys_.reset();
    SF_RETURN_IF_ERROR(ParkForwardKeys(writes));
    if (options_.worker_conninfo.empty() || bulk_tables_.size() < 2) return Status::Ok();
    SF_ASSIGN_OR_RETURN(const bool journal, CreateConstraintJournal(connection_));
    if (!journal) return Status::Ok();  // one at a time
    SF_RETURN_IF_ERROR(JournalForeignKeys(connection_, bulk_tables_));
    journaled_ = true;
    std::set<std::string> loading;
    for (const std::string& table : bulk_tables_) {
      SF_ASSIGN_OR_RETURN(std::string oid, TableOid(table));
      loading.insert(std::move(oid));
    }
    for (const std::string& table : forward_tables_) {
      SF_ASSIGN_OR_RETURN(std::string oid, TableOid(table));
      loading.insert(std::move(oid));
    }
    early_keys_ = std::make_shared<EarlyForeignKeys>(std::move(loading));
    SF_FAILPOINT("sink.journal_written", "");
    return Status::Ok();
  }

  Status FinishLoad() override { return RestoreJournaledForeignKeys(connection_); }

  // A foreign key from a table to one loaded after it (a ref that breaks a cycle between tables)
  // cannot hold while the first table loads: when both tables get rows, it waits in the
  // constraint journal until the later one has committed (or the load ends), as the keys of a
  // parallel bulk load do. The journal needs the role to own the table (to drop the key).
  Status ParkForwardKeys(const std::vector<TableWrite>& writes) {
    forward_tables_.clear();
    std::map<std::string, size_t> position;  // QualifiedName() -> index in writes
    for (size_t i = 0; i < writes.size(); ++i) {
      position[writes[i].schema->table.QualifiedName()] = i;
    }
    // (table, the table it refers to), quoted; the table's keys are matched by what they refer
    // to, since an existing table names its keys as it likes.
    std::vector<std::pair<std::string, std::string>> keys;
    for (size_t i = 0; i < writes.size(); ++i) {
      const TableDef& table = writes[i].schema->table;
      for (const ConstraintDef& constraint : table.constraints) {
        const auto later = position.find(constraint.referenced_table);
        if (constraint.type != 'f' || later == position.end() || later->second <= i) continue;
        keys.emplace_back(connection_.QuoteIdentifier(writes[i].schema->name),
                          connection_.QuoteIdentifier(writes[later->second].schema->name));
        forward_tables_.insert(writes[i].schema->name);
        forward_tables_.insert(writes[later->second].schema->name);
      }
    }
    if (keys.empty()) return Status::Ok();
    SF_ASSIGN_OR_RETURN(const bool journal, CreateConstraintJournal(connection_));
    if (!journal) {
      return PermissionDenied(
          "table " + keys.front().first + ": its foreign key to " + keys.front().second +
          ", which loads after it (a cycle of references), waits in " + kPendingConstraintsTable +
          " during the load, which this role may not create");
    }
    return JournalForeignKeysBetween(connection_, keys);
  }

  // The choice BeginLoad makes: bulk into an empty table the role owns (or will create).
  StatusOr<std::string> PlannedMethod(const TableWrite& write) override {
    const std::string name = connection_.QuoteIdentifier(write.schema->name);
    SF_ASSIGN_OR_RETURN(const bool exists, RelationExists(connection_, name));
    if (options_.bulk_load_empty_tables && write.existing_rows == 0) {
      if (!exists) return std::string("bulk");
      SF_ASSIGN_OR_RETURN(const bool owns, OwnsRelation(connection_, name));
      if (owns) return std::string("bulk");
    }
    if (!exists) return std::string("append");
    SF_ASSIGN_OR_RETURN(const AppendPlan plan,
                        PlanAppend(connection_, write, options_.append_mode));
    return std::string(AppendMethod(plan));
  }

  bool LoadsIndependently(const TableWrite& write) const override {
    return journaled_ && bulk_tables_.count(write.schema->name) != 0;
  }

  StatusOr<std::unique_ptr<Sink>> OpenWorker() override {
    if (!journaled_) return std::unique_ptr<Sink>();
    SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                        PgConnection::Connect(options_.worker_conninfo));
    PostgresSinkOptions options = options_;
    options.advisory_lock = false;  // the main connection holds it for the whole run
    return std::unique_ptr<Sink>(
        std::make_unique<PostgresSink>(std::move(connection), format_, std::move(options),
                                       journaled_, bulk_tables_, history_enabled_, early_keys_));
  }

  StatusOr<int64_t> ExistingRows(const TableSchema& table) override {
    const std::string name = connection_.QuoteIdentifier(table.name);
    SF_ASSIGN_OR_RETURN(const bool exists, RelationExists(connection_, name));
    if (!exists) return int64_t{0};
    auto count = connection_.QueryInt("SELECT count(*) FROM " + name);
    if (!count.ok()) return count.status().WithContext("counting rows of " + table.name);
    return count;
  }

  Status BeginTable(const TableWrite& write) override {
    load_.reset();
    bytes_ = 0;
    bulk_ = bulk_tables_.count(write.schema->name) != 0;
    current_table_ = write.schema->name;
    if (bulk_) {
      SF_ASSIGN_OR_RETURN(load_, StartBulk(connection_, write, format_, history_enabled_));
    } else {
      SF_ASSIGN_OR_RETURN(const AppendPlan plan,
                          PlanAppend(connection_, write, options_.append_mode));
      SF_ASSIGN_OR_RETURN(load_, StartAppend(connection_, write, format_, history_enabled_, plan));
    }
    method_ = load_->method();
    return Status::Ok();
  }

  Status WriteBatch(std::string_view bytes, int64_t /*rows*/) override {
    return load_->WriteBatch(bytes);
  }

  // In a parallel load, a committed table lets the foreign keys between it and the tables
  // committed before come back now, while the other tables still load.
  Status EndTable() override {
    SF_RETURN_IF_ERROR(load_->Finish());
    if (early_keys_ == nullptr || (!bulk_ && forward_tables_.count(current_table_) == 0)) {
      return Status::Ok();
    }
    SF_ASSIGN_OR_RETURN(const std::string oid, TableOid(current_table_));
    return early_keys_->Committed(connection_, oid);
  }

  void AbortTable() override {
    if (load_ != nullptr) bytes_ = load_->bytes_written();
    load_.reset();
  }

  int64_t bytes_written() const override {
    return load_ != nullptr ? load_->bytes_written() : bytes_;
  }
  std::string method() const override { return method_; }

  std::string description() const override {
    return "postgresql " + connection_.server_version_text();
  }

 private:
  // The element type OID binary COPY writes in each array of the tables' array columns: the
  // built-in types' fixed OIDs, an enum's read from this database (its types exist by now).
  Status ReadArrayElementOids(const std::vector<const TableSchema*>& tables) {
    array_element_oids_.clear();
    for (const TableSchema* table : tables) {
      std::vector<uint32_t> oids(table->columns.size(), 0);
      bool any = false;
      for (size_t c = 0; c < table->columns.size(); ++c) {
        const SqlType& type = table->columns[c].sql;
        if (!type.array) continue;
        any = true;
        oids[c] = BuiltinElementOid(type);
        if (oids[c] != 0) continue;
        SF_ASSIGN_OR_RETURN(
            const QueryResult found,
            connection_.QueryOne("SELECT coalesce(pg_catalog.to_regtype($1)::oid, 0)",
                                 {FormatSqlType(ElementType(type))}));
        oids[c] = static_cast<uint32_t>(std::stoul(found.rows.at(0)[0].value_or("0")));
      }
      if (any) array_element_oids_[table->name] = std::move(oids);
    }
    return Status::Ok();
  }

  // Runs `sql` in one transaction, rolled back on any error.
  Status RunInTransaction(const std::string& sql) {
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection_));
    SF_RETURN_IF_ERROR(connection_.Execute(sql));
    return transaction.Commit();
  }

  // The OID of table `name` (unquoted, resolved with the session's search_path), as text.
  StatusOr<std::string> TableOid(const std::string& name) {
    SF_ASSIGN_OR_RETURN(const QueryResult found,
                        connection_.QueryOne("SELECT to_regclass($1)::oid::text",
                                             {connection_.QuoteIdentifier(name)}));
    return found.rows.at(0)[0].value_or("");
  }

  // Runs each of `statements` on its own (ExecuteOne) in one transaction, rolled back on any
  // error.
  Status RunStatementsInTransaction(const std::vector<std::string>& statements) {
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection_));
    for (const std::string& statement : statements) {
      SF_RETURN_IF_ERROR(connection_.ExecuteOne(statement));
    }
    return transaction.Commit();
  }

  // An existing table as CheckSchema read it, and how binary COPY sends its columns.
  struct ExistingTable {
    TableDef table;
    std::vector<WireType> wire_types;  // empty: every column has the model's type
  };

  std::unique_ptr<PgConnection> owned_connection_;  // set for workers only
  PgConnection& connection_;
  Format format_;
  PostgresSinkOptions options_;
  bool journaled_ = false;                // foreign keys of bulk tables are in the journal
  bool history_enabled_ = false;          // seedforge.segments exists and may be written
  std::set<std::string> bulk_tables_;     // tables this run bulk-loads (decided in BeginLoad)
  std::string method_ = "append";         // the last table's load path
  std::set<std::string> forward_tables_;  // the two tables of each key ParkForwardKeys parked
  std::unique_ptr<TableLoad> load_;       // the table in progress; null between tables
  bool bulk_ = false;                     // the current (or last) table is bulk-loaded
  std::string current_table_;             // TableSchema::name of the current (or last) table
  // The foreign keys a parallel load restores as tables commit; shared with the workers.
  std::shared_ptr<EarlyForeignKeys> early_keys_;
  int64_t bytes_ = 0;                              // bytes of the last table, once its load is gone
  std::map<std::string, ExistingTable> existing_;  // by TableSchema::name, set by CheckSchema
  // The declared enum types the database lacks, set by CheckSchema (CreateSchema creates them;
  // they point into the tables' schemas, which outlive the run).
  std::vector<const EnumTypeDef*> missing_types_;
  // By TableSchema::name, for tables with array columns: EncodingOptions::array_element_oids
  // (set by CreateSchema).
  std::map<std::string, std::vector<uint32_t>> array_element_oids_;
};

}  // namespace

std::unique_ptr<Sink> MakePostgresSink(PgConnection* connection, Format encoding_format,
                                       PostgresSinkOptions options) {
  return std::make_unique<PostgresSink>(connection, encoding_format, std::move(options));
}

}  // namespace seedforge
