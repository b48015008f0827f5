// The PostgreSQL sink: COPY ... FROM STDIN, in one of two ways per table.
//
// Append (the table already has rows): one COPY per batch in autocommit mode, so every batch is
// its own transaction. A kill loses at most the batch in flight and never leaves part of one;
// the engine resumes from count(*), and the rows committed so far are a prefix of the plan.
//
// Bulk (the table is empty): keeping indexes and checking foreign keys row by row is what makes
// COPY into a constrained table slow. So, in ONE transaction: record the table's index and
// constraint definitions (its own primary, unique and foreign keys and the foreign keys of other
// tables that point at it), drop them, TRUNCATE (which lets COPY use FREEZE and, with
// wal_level=minimal, skip WAL), COPY every batch, then recreate exactly the recorded definitions,
// which builds each index in one sort and validates each foreign key with one join. A kill rolls
// the whole table back, definitions included; the rerun starts the table again. A role that does
// not own the table cannot drop its constraints and gets the append path instead.
//
// Parallel bulk (a worker connection string is given): a table's transaction cannot drop the
// foreign keys of a table another connection is loading at the same time (the two would wait for
// each other's locks). So BeginLoad first drops, in one transaction, every foreign key that
// touches a table about to be bulk-loaded and records its definition in a journal table
// (seedforge.pending_constraints); the tables then load concurrently, each still atomic with its
// own keys and indexes; FinishLoad re-adds the journaled foreign keys (each validated by one join)
// and empties the journal in one transaction. A run killed in between leaves whole tables and the
// journal; every run's FinishLoad restores what the journal holds, so the next run completes it.
//
// After either path the identity sequence is moved past the largest id, so the application's own
// inserts never collide with generated rows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/byte_buffer.h"
#include "core/failpoint.h"
#include "sinks/pg_connection.h"
#include "sinks/run_history.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

// True when a column of type `actual` (format_type() text) takes the model's values as they are:
// the same type, or for numeric any precision of at least 12 with 2 decimals, or no typmod.
bool TypeMatches(ColumnType type, const std::string& actual) {
  if (type != ColumnType::kNumeric2) return actual == SqlTypeName(type);
  if (actual == "numeric") return true;
  int precision = 0;
  int scale = 0;
  char end = 0;
  return std::sscanf(actual.c_str(), "numeric(%d,%d%c", &precision, &scale, &end) == 3 &&
         end == ')' && precision >= 12 && scale == 2;
}

std::string SegmentsPrivilegeQuery(const char* privileges) {
  return SeedforgeTablePrivilegeQuery("segments", privileges);
}

struct SavedDefinition {
  std::string table;       // qualified, quoted table name the definition belongs to
  std::string name;        // quoted constraint or index name
  std::string definition;  // pg_get_constraintdef / pg_get_indexdef text
  bool is_index = false;   // CREATE INDEX statement rather than a table constraint
  bool is_foreign_key = false;
};

class PostgresSink final : public Sink {
 public:
  PostgresSink(PgConnection* connection, Format format, PostgresSinkOptions options)
      : connection_(*connection), format_(format), options_(std::move(options)) {}

  // A worker on its own connection, sharing the main sink's load decisions.
  PostgresSink(std::unique_ptr<PgConnection> owned, Format format, PostgresSinkOptions options,
               bool journaled, std::set<std::string> bulk_tables)
      : owned_connection_(std::move(owned)),
        connection_(*owned_connection_),
        format_(format),
        options_(std::move(options)),
        journaled_(journaled),
        bulk_tables_(std::move(bulk_tables)) {}

  ~PostgresSink() override {
    if (in_copy_ || in_transaction_) AbortTable();
  }

  Status Prepare() override {
    if (options_.advisory_lock) return TakeAdvisoryLock();
    return Status::Ok();
  }

  Status CheckSchema(const std::vector<const TableSchema*>& tables) override {
    std::string missing;
    for (const TableSchema* table : tables) {
      SF_ASSIGN_OR_RETURN(const bool exists, CheckTable(*table));
      if (!exists && missing.empty()) missing = table->name;
    }
    if (missing.empty()) return Status::Ok();
    SF_ASSIGN_OR_RETURN(QueryResult schema,
                        connection_.Query("SELECT current_schema(), current_user, "
                                          "has_schema_privilege(current_schema(), 'CREATE')"));
    const auto& row = schema.rows.at(0);
    if (!row[0].has_value()) {
      return FailedPrecondition("cannot create table " + missing +
                                ": no schema on the search_path exists");
    }
    if (row[2] != "t") {
      return PermissionDenied("schema " + *row[0] + ": role " + row[1].value_or("?") +
                              " has no CREATE privilege, needed to create table " + missing);
    }
    return Status::Ok();
  }

  // Creates the missing tables with their indexes, and the missing indexes of existing tables the
  // role owns (a table of another role is left as it is: only its owner may index it).
  Status CreateSchema(const std::vector<const TableSchema*>& tables) override {
    std::string ddl;
    for (const TableSchema* table : tables) {
      SF_ASSIGN_OR_RETURN(
          QueryResult found,
          connection_.Query("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                            "WHERE oid = to_regclass(" +
                            connection_.QuoteLiteral(connection_.QuoteIdentifier(table->name)) +
                            ")"));
      const bool exists = !found.rows.empty();
      if (exists && found.rows[0][0] != "t") continue;
      if (!exists) ddl += table->create_sql + ";\n";
      for (const std::string& index : table->index_sql) ddl += index + ";\n";
    }
    if (!ddl.empty()) {
      Status status = connection_.Execute("BEGIN;\n" + ddl + "COMMIT;");
      if (!status.ok()) {
        (void)connection_.Execute("ROLLBACK");
        return status.WithContext("creating the schema");
      }
    }
    return PrepareHistory();
  }

  Status ClearTables(const std::vector<const TableSchema*>& tables) override {
    std::string names;
    for (const TableSchema* table : tables) {
      const std::string name = connection_.QuoteIdentifier(table->name);
      SF_ASSIGN_OR_RETURN(
          QueryResult exists,
          connection_.Query("SELECT to_regclass(" + connection_.QuoteLiteral(name) + ")"));
      if (!exists.rows.at(0).at(0).has_value()) continue;
      names += names.empty() ? "" : ", ";
      names += name;
    }
    if (names.empty()) return Status::Ok();
    // One statement is one transaction; without CASCADE a table outside the list that refers to
    // one of them makes it fail rather than empty that table too.
    // The record of how the old rows were generated goes with them, whether or not this run
    // keeps history (Prepare has not looked yet): rows generated afresh must not be mapped
    // through segments of rows that are gone.
    SF_ASSIGN_OR_RETURN(QueryResult segments,
                        connection_.Query(SegmentsPrivilegeQuery("SELECT,DELETE")));
    std::string forget;
    if (!segments.rows.empty() && segments.rows[0][0] == "t") {
      std::string literals;
      for (const TableSchema* table : tables) {
        literals += literals.empty() ? "" : ", ";
        literals += connection_.QuoteLiteral(table->name);
      }
      forget = "DELETE FROM " + std::string(kSegmentsTable) + " WHERE table_name IN (" + literals +
               ");\n";
    }
    Status status = connection_.Execute("BEGIN;\nTRUNCATE " + names + " RESTART IDENTITY;\n" +
                                        forget + "COMMIT;");
    if (!status.ok()) (void)connection_.Execute("ROLLBACK");
    return status.WithContext("clearing " + names);
  }

  StatusOr<TableContents> ReadContents(const TableSchema& table) override {
    return ReadTableContents(connection_, table);
  }

  Status BeginLoad(const std::vector<TableWrite>& writes) override {
    for (const TableWrite& write : writes) {
      if (write.rows_to_write > 0) SF_RETURN_IF_ERROR(CheckCanAppend(*write.schema));
    }
    bulk_tables_.clear();
    for (const TableWrite& write : writes) {
      if (!options_.bulk_load_empty_tables || write.existing_rows != 0 ||
          write.rows_to_write == 0) {
        continue;
      }
      SF_ASSIGN_OR_RETURN(const bool owns,
                          OwnsTable(connection_.QuoteIdentifier(write.schema->name)));
      if (owns) bulk_tables_.insert(write.schema->name);
    }
    journaled_ = false;
    if (options_.worker_conninfo.empty() || bulk_tables_.size() < 2) return Status::Ok();
    Status created = connection_.Execute(
        "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS " +
        std::string(kPendingConstraintsTable) +
        " (table_name text NOT NULL, constraint_name text NOT NULL, definition text NOT NULL, "
        "PRIMARY KEY (table_name, constraint_name))");
    if (created.code() == StatusCode::kPermissionDenied) return Status::Ok();  // one at a time
    SF_RETURN_IF_ERROR(created.WithContext("creating " + std::string(kPendingConstraintsTable)));
    std::string tables;
    for (const std::string& name : bulk_tables_) {
      tables += tables.empty() ? "" : ", ";
      tables += connection_.QuoteLiteral(connection_.QuoteIdentifier(name)) + "::regclass";
    }
    SF_RETURN_IF_ERROR(connection_.Execute("BEGIN"));
    Status status = DropForeignKeysInto(tables);
    if (status.ok()) status = connection_.Execute("COMMIT");
    if (!status.ok()) {
      (void)connection_.Execute("ROLLBACK");
      return status.WithContext("dropping foreign keys for the bulk load");
    }
    journaled_ = true;
    SF_FAILPOINT("sink.journal_written", "");
    return Status::Ok();
  }

  Status FinishLoad() override {
    // A role that may not read the journal could not restore foreign keys either (only the
    // tables' owner can); it leaves the journal to a run of the owner.
    SF_ASSIGN_OR_RETURN(
        QueryResult journal,
        connection_.Query("SELECT has_schema_privilege(n.oid, 'USAGE') AND "
                          "has_table_privilege(c.oid, 'SELECT, DELETE') FROM pg_class c JOIN "
                          "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname || '.' || "
                          "c.relname = " +
                          connection_.QuoteLiteral(kPendingConstraintsTable)));
    if (journal.rows.empty() || journal.rows[0][0] != "t") return Status::Ok();
    SF_ASSIGN_OR_RETURN(
        QueryResult pending,
        connection_.Query("SELECT table_name, constraint_name, definition, EXISTS (SELECT 1 FROM "
                          "pg_constraint c WHERE c.conrelid = to_regclass(p.table_name) AND "
                          "quote_ident(c.conname) = p.constraint_name) FROM " +
                          std::string(kPendingConstraintsTable) + " p ORDER BY 1, 2"));
    if (pending.rows.empty()) return Status::Ok();
    SF_RETURN_IF_ERROR(connection_.Execute("BEGIN"));
    for (const auto& row : pending.rows) {
      if (*row[3] == "t") continue;  // restored by hand meanwhile
      Status status = connection_.Execute("ALTER TABLE " + *row[0] + " ADD CONSTRAINT " + *row[1] +
                                          " " + *row[2]);
      if (!status.ok()) {
        (void)connection_.Execute("ROLLBACK");
        return status.WithContext(
            "table " + *row[0] + ": restoring foreign key " + *row[1] + " (kept in " +
            kPendingConstraintsTable +
            ", which every seed retries; fix the rows that break it, or run `seedforge reset`, "
            "which empties the tables and then restores it)");
      }
    }
    Status status = connection_.Execute("DELETE FROM " + std::string(kPendingConstraintsTable));
    if (status.ok() && failpoint::Enabled()) {
      status = failpoint::Reach("sink.foreign_keys_before_commit", "");
    }
    if (status.ok()) status = connection_.Execute("COMMIT");
    if (!status.ok()) (void)connection_.Execute("ROLLBACK");
    return status;
  }

  // The choice BeginLoad makes: bulk into an empty table the role owns (or will create).
  StatusOr<std::string> PlannedMethod(const TableWrite& write) override {
    if (!options_.bulk_load_empty_tables || write.existing_rows != 0) return std::string("append");
    const std::string name = connection_.QuoteIdentifier(write.schema->name);
    SF_ASSIGN_OR_RETURN(
        QueryResult exists,
        connection_.Query("SELECT to_regclass(" + connection_.QuoteLiteral(name) + ")"));
    if (!exists.rows.at(0).at(0).has_value()) return std::string("bulk");
    SF_ASSIGN_OR_RETURN(const bool owns, OwnsTable(name));
    return std::string(owns ? "bulk" : "append");
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
    auto worker = std::make_unique<PostgresSink>(std::move(connection), format_, std::move(options),
                                                 journaled_, bulk_tables_);
    worker->history_enabled_ = history_enabled_;
    return std::unique_ptr<Sink>(std::move(worker));
  }

  StatusOr<int64_t> ExistingRows(const TableSchema& table) override {
    const std::string name = connection_.QuoteIdentifier(table.name);
    SF_ASSIGN_OR_RETURN(
        QueryResult exists,
        connection_.Query("SELECT to_regclass(" + connection_.QuoteLiteral(name) + ")"));
    if (!exists.rows.at(0).at(0).has_value()) return int64_t{0};
    auto count = connection_.QueryInt("SELECT count(*) FROM " + name);
    if (!count.ok()) return count.status().WithContext("counting rows of " + table.name);
    return count;
  }

  Status BeginTable(const TableWrite& write) override {
    write_ = write;
    quoted_table_ = connection_.QuoteIdentifier(write.schema->name);
    bytes_ = 0;
    prologue_.Reset();
    epilogue_.Reset();
    write.encoding->WritePrologue(prologue_);
    write.encoding->WriteEpilogue(epilogue_);
    std::string columns;
    for (const ColumnSchema& column : write.schema->columns) {
      if (!columns.empty()) columns += ", ";
      columns += connection_.QuoteIdentifier(column.name);
    }
    copy_sql_ = "COPY " + quoted_table_ + " (" + columns + ") FROM STDIN WITH (FORMAT " +
                (format_ == Format::kCopyBinary ? "binary" : "text");
    bulk_ = bulk_tables_.count(write.schema->name) != 0;
    if (!bulk_) SF_RETURN_IF_ERROR(RecordSegment());  // before the first batch commits
    if (!bulk_) {
      copy_sql_ += ")";
      return Status::Ok();
    }
    copy_sql_ += ", FREEZE)";
    return BeginBulk().WithContext("preparing " + write.schema->name + " for bulk load");
  }

  Status WriteBatch(std::string_view bytes, int64_t /*rows*/) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    if (bulk_) {
      SF_RETURN_IF_ERROR(Where(connection_.CopyPut(bytes)));
      SF_FAILPOINT("sink.bulk_batch_sent", write_.schema->name);
      return Status::Ok();
    }
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

  Status EndTable() override {
    if (bulk_) {
      bytes_ += static_cast<int64_t>(epilogue_.size());
      SF_RETURN_IF_ERROR(Where(connection_.CopyPut(epilogue_.view())));
      in_copy_ = false;
      SF_RETURN_IF_ERROR(Where(connection_.CopyEnd()));
      SF_FAILPOINT("sink.bulk_rows_copied", write_.schema->name);
      Phase("building indexes");
      SF_RETURN_IF_ERROR(RestoreDefinitions());
    }
    SF_RETURN_IF_ERROR(MoveIdentityPastLargestId());
    if (bulk_) {
      SF_FAILPOINT("sink.bulk_before_commit", write_.schema->name);
      Phase("committing");
      SF_RETURN_IF_ERROR(Where(connection_.Execute("COMMIT")));
      in_transaction_ = false;
      SF_FAILPOINT("sink.table_committed", write_.schema->name);
    }
    return Status::Ok();
  }

  void AbortTable() override {
    if (in_copy_) connection_.CopyAbort();
    in_copy_ = false;
    if (in_transaction_) (void)connection_.Execute("ROLLBACK");
    in_transaction_ = false;
  }

  int64_t bytes_written() const override { return bytes_; }
  std::string method() const override { return bulk_ ? "bulk" : "append"; }

  std::string description() const override {
    return "postgresql " + connection_.server_version_text();
  }

 private:
  // Makes sure seedforge.segments exists; a role that may not create it runs without history
  // (top-ups after parents grew then recompute old parents with the new counts).
  Status PrepareHistory() {
    SF_ASSIGN_OR_RETURN(QueryResult found,
                        connection_.Query(SegmentsPrivilegeQuery("SELECT,INSERT,DELETE")));
    if (!found.rows.empty()) {
      history_enabled_ = found.rows[0][0] == "t";
      if (!history_enabled_) return Status::Ok();
      // Tables made before ids and reserved values were recorded get the columns (NULL: ids
      // index + 1, nothing reserved); a role that may not alter it keeps the old record.
      SF_ASSIGN_OR_RETURN(const int64_t missing,
                          connection_.QueryInt("SELECT 3 - count(*) FROM pg_attribute WHERE "
                                               "attrelid = 'seedforge.segments'::regclass AND "
                                               "attname IN ('first_id', 'row_count', 'reserved')"));
      if (missing == 0) return Status::Ok();
      const Status altered = connection_.Execute(
          "ALTER TABLE " + std::string(kSegmentsTable) +
          " ADD COLUMN IF NOT EXISTS first_id bigint, ADD COLUMN IF NOT EXISTS row_count bigint, "
          "ADD COLUMN IF NOT EXISTS reserved text[]");
      if (!altered.ok()) history_enabled_ = false;
      return Status::Ok();
    }
    const Status created = connection_.Execute(
        "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS " +
        std::string(kSegmentsTable) +
        " (table_name text NOT NULL, first_row bigint NOT NULL, row_counts bigint[] NOT NULL, "
        "first_id bigint, row_count bigint, reserved text[], PRIMARY KEY (table_name, "
        "first_row))");
    if (created.code() == StatusCode::kPermissionDenied) return Status::Ok();
    SF_RETURN_IF_ERROR(created.WithContext("creating " + std::string(kSegmentsTable)));
    history_enabled_ = true;
    return Status::Ok();
  }

  // Records how this run generates the table's new rows, replacing what earlier records say about
  // rows that no longer exist and ending an earlier segment that a killed run left short.
  Status RecordSegment() {
    if (!history_enabled_ || write_.row_counts.empty()) return Status::Ok();
    std::string counts;
    for (const int64_t count : write_.row_counts) {
      counts += counts.empty() ? "" : ",";
      counts += std::to_string(count);
    }
    std::string reserved;
    for (const std::string& key : write_.reserved) {
      reserved += reserved.empty() ? "" : ",";
      reserved += connection_.QuoteLiteral(key);
    }
    const std::string table = connection_.QuoteLiteral(write_.schema->name);
    const std::string first = std::to_string(write_.first_row);
    const std::string segments(kSegmentsTable);
    return Where(connection_.Execute(
        "DELETE FROM " + segments + " WHERE table_name = " + table + " AND first_row >= " + first +
        "; UPDATE " + segments + " SET row_count = " + first + " - first_row WHERE table_name = " +
        table + " AND row_count > " + first + " - first_row; INSERT INTO " + segments +
        " (table_name, first_row, row_counts, first_id, row_count, reserved) VALUES (" + table +
        ", " + first + ", '{" + counts + "}', " + std::to_string(write_.first_id) + ", " +
        std::to_string(write_.rows_to_write) + ", ARRAY[" + reserved + "]::text[])"));
  }

  void Phase(std::string_view phase) const {
    if (write_.on_phase) write_.on_phase(phase);
  }

  Status Where(Status status) const { return status.WithContext("table " + write_.schema->name); }

  Status TakeAdvisoryLock() {
    const std::string key = std::to_string(kAdvisoryLockKey);
    SF_ASSIGN_OR_RETURN(std::string got,
                        connection_.QueryValue("SELECT pg_try_advisory_lock(" + key + ")"));
    if (got == "t") return Status::Ok();
    if (options_.notice) {
      options_.notice("waiting for another seedforge run on database " + connection_.database() +
                      " to finish (advisory lock " + key + ")");
    }
    // Poll rather than block in pg_advisory_lock, so that Ctrl-C (the cancel flag) and
    // --lock-timeout are both noticed within a poll interval.
    const auto started = std::chrono::steady_clock::now();
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (options_.cancel != nullptr && options_.cancel->load()) {
        return Cancelled("interrupted while waiting for another seedforge run");
      }
      SF_ASSIGN_OR_RETURN(got, connection_.QueryValue("SELECT pg_try_advisory_lock(" + key + ")"));
      if (got == "t") return Status::Ok();
      if (options_.lock_timeout_seconds > 0 &&
          std::chrono::steady_clock::now() - started >=
              std::chrono::seconds(options_.lock_timeout_seconds)) {
        return Unavailable(
            "gave up after " + std::to_string(options_.lock_timeout_seconds) +
            " s waiting for another seedforge run on this database (--lock-timeout)");
      }
    }
  }

  // Compares an existing table with the model (see Sink::CheckSchema). Returns false when the
  // table does not exist.
  StatusOr<bool> CheckTable(const TableSchema& table) {
    const std::string oid =
        "to_regclass(" + connection_.QuoteLiteral(connection_.QuoteIdentifier(table.name)) + ")";
    SF_ASSIGN_OR_RETURN(QueryResult kind,
                        connection_.Query("SELECT relkind FROM pg_class WHERE oid = " + oid));
    if (kind.rows.empty()) return false;
    const std::string where = "table " + table.name + ": ";
    if (kind.rows[0][0] != "r" && kind.rows[0][0] != "p") {
      return FailedPrecondition(table.name + " exists but is not a table");
    }
    SF_ASSIGN_OR_RETURN(
        QueryResult columns,
        connection_.Query("SELECT attname, format_type(atttypid, atttypmod), attnotnull, "
                          "atthasdef OR attidentity <> '', attgenerated <> '' FROM pg_attribute "
                          "WHERE attrelid = " +
                          oid + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
    std::set<std::string> seen;
    for (const ColumnSchema& column : table.columns) {
      const std::vector<std::optional<std::string>>* found = nullptr;
      for (const auto& row : columns.rows) {
        if (row[0] == column.name) found = &row;
      }
      if (found == nullptr)
        return FailedPrecondition(where + "column " + column.name + " is missing");
      seen.insert(column.name);
      const std::string& type = *(*found)[1];
      if (!TypeMatches(column.type, type)) {
        return FailedPrecondition(where + "column " + column.name + " is " + type +
                                  ", seedforge writes " + std::string(SqlTypeName(column.type)));
      }
      if ((*found)[4] == "t") {
        return FailedPrecondition(where + "column " + column.name +
                                  " is a generated column, seedforge writes it");
      }
      if (column.nullable && (*found)[2] == "t") {
        return FailedPrecondition(where + "column " + column.name +
                                  " is NOT NULL, seedforge writes NULLs in it");
      }
    }
    for (const auto& row : columns.rows) {
      if (seen.count(*row[0]) != 0 || row[2] != "t" || row[3] == "t" || row[4] == "t") continue;
      return FailedPrecondition(where + "column " + *row[0] +
                                " is NOT NULL without a default, and seedforge does not write it");
    }
    return true;
  }

  // Fails, naming the table, unless this role may append to it and move its identity sequence.
  Status CheckCanAppend(const TableSchema& table) {
    const std::string name = connection_.QuoteIdentifier(table.name);
    const std::string literal = connection_.QuoteLiteral(name);
    SF_ASSIGN_OR_RETURN(
        QueryResult rights,
        connection_.Query("SELECT current_user, has_table_privilege(" + literal +
                          ", 'INSERT'), s, s IS NULL OR (has_sequence_privilege(s, 'SELECT') AND "
                          "has_sequence_privilege(s, 'UPDATE')) "
                          "FROM pg_get_serial_sequence(" +
                          literal + ", " + connection_.QuoteLiteral(table.columns.front().name) +
                          ") AS s"));
    const auto& row = rights.rows.at(0);
    const std::string role = row[0].value_or("?");
    if (row[1] != "t") {
      return PermissionDenied("table " + table.name + ": role " + role +
                              " has no INSERT privilege on it");
    }
    if (row[3] != "t") {
      return PermissionDenied("table " + table.name + ": role " + role +
                              " needs SELECT and UPDATE on sequence " + row[2].value_or("?") +
                              " to move it past the generated ids");
    }
    return Status::Ok();
  }

  // Records in the journal and drops every foreign key from or to `tables` (regclass literals).
  Status DropForeignKeysInto(const std::string& tables) {
    const std::string where =
        "contype = 'f' AND (conrelid IN (" + tables + ") OR confrelid IN (" + tables + "))";
    SF_ASSIGN_OR_RETURN(
        QueryResult keys,
        connection_.Query("SELECT conrelid::regclass::text, quote_ident(conname) FROM "
                          "pg_constraint WHERE " +
                          where + " ORDER BY 1, 2"));
    SF_RETURN_IF_ERROR(connection_.Execute(
        "INSERT INTO " + std::string(kPendingConstraintsTable) +
        " SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM "
        "pg_constraint WHERE " +
        where + " ON CONFLICT DO NOTHING"));
    std::string drop;
    for (const auto& row : keys.rows) {
      drop += "ALTER TABLE " + *row[0] + " DROP CONSTRAINT " + *row[1] + ";\n";
    }
    return drop.empty() ? Status::Ok() : connection_.Execute(drop);
  }

  StatusOr<bool> OwnsTable(const std::string& quoted_table) {
    SF_ASSIGN_OR_RETURN(
        std::string owns,
        connection_.QueryValue("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM "
                               "pg_class WHERE oid = " +
                               connection_.QuoteLiteral(quoted_table) + "::regclass"));
    return owns == "t";
  }

  Status BeginBulk() {
    SF_RETURN_IF_ERROR(connection_.Execute("BEGIN"));
    in_transaction_ = true;
    SF_RETURN_IF_ERROR(
        connection_.Execute("LOCK TABLE " + quoted_table_ + " IN ACCESS EXCLUSIVE MODE"));
    const std::string oid = connection_.QuoteLiteral(quoted_table_) + "::regclass";
    // Constraints: this table's keys and foreign keys, and other tables' foreign keys to it.
    SF_ASSIGN_OR_RETURN(
        QueryResult constraints,
        connection_.Query("SELECT conrelid::regclass::text, quote_ident(conname), "
                          "pg_get_constraintdef(oid), contype = 'f' FROM pg_constraint "
                          "WHERE (conrelid = " +
                          oid +
                          " AND contype IN ('p', 'u', 'f')) OR "
                          "(confrelid = " +
                          oid + " AND contype = 'f' AND conrelid <> " + oid +
                          ") ORDER BY contype = 'f', conname"));
    // Indexes that do not belong to a constraint.
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
    for (const auto& row : indexes.rows) saved_.push_back({"", *row[0], *row[1], true, false});
    // Foreign keys first, then keys, then indexes.
    std::string drop;
    for (int pass = 0; pass < 3; ++pass) {
      for (const SavedDefinition& d : saved_) {
        const int kind = d.is_foreign_key ? 0 : d.is_index ? 2 : 1;
        if (kind != pass) continue;
        drop += d.is_index ? "DROP INDEX " + d.name + ";\n"
                           : "ALTER TABLE " + d.table + " DROP CONSTRAINT " + d.name + ";\n";
      }
    }
    drop += "TRUNCATE " + quoted_table_ + ";";
    SF_RETURN_IF_ERROR(connection_.Execute(drop));
    SF_RETURN_IF_ERROR(RecordSegment());  // in the table's transaction
    SF_RETURN_IF_ERROR(connection_.CopyBegin(copy_sql_));
    in_copy_ = true;
    bytes_ += static_cast<int64_t>(prologue_.size());
    return connection_.CopyPut(prologue_.view());
  }

  // Recreates what BeginBulk dropped: indexes and keys first (foreign keys need the keys).
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

  Status MoveIdentityPastLargestId() {
    const std::string& id = write_.schema->columns.front().name;
    SF_ASSIGN_OR_RETURN(QueryResult sequence,
                        connection_.Query("SELECT pg_get_serial_sequence(" +
                                          connection_.QuoteLiteral(quoted_table_) + ", " +
                                          connection_.QuoteLiteral(id) + ")"));
    if (sequence.rows.empty() || !sequence.rows[0][0].has_value()) return Status::Ok();
    const std::string& seq = *sequence.rows[0][0];
    return Where(connection_.Execute(
        "SELECT setval(" + connection_.QuoteLiteral(seq) + ", m, true) FROM (SELECT GREATEST(max(" +
        connection_.QuoteIdentifier(id) +
        "), (SELECT CASE WHEN is_called THEN last_value END "
        "FROM " +
        seq + ")) AS m FROM " + quoted_table_ + ") s WHERE m IS NOT NULL"));
  }

  std::unique_ptr<PgConnection> owned_connection_;  // set for workers only
  PgConnection& connection_;
  Format format_;
  PostgresSinkOptions options_;
  bool journaled_ = false;             // foreign keys of bulk tables are in the journal
  bool history_enabled_ = false;       // seedforge.segments exists and may be written
  std::set<std::string> bulk_tables_;  // tables this run bulk-loads (decided in BeginLoad)
  TableWrite write_;
  std::string quoted_table_;
  std::string copy_sql_;
  ByteBuffer prologue_;
  ByteBuffer epilogue_;
  std::vector<SavedDefinition> saved_;
  bool bulk_ = false;
  bool in_copy_ = false;
  bool in_transaction_ = false;
  int64_t bytes_ = 0;
};

}  // namespace

namespace {

std::vector<int64_t> SplitInts(const std::string& list) {
  std::vector<int64_t> values;
  for (size_t begin = 0; begin <= list.size();) {
    size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    if (end > begin) values.push_back(std::stoll(list.substr(begin, end - begin)));
    begin = end + 1;
  }
  return values;
}

// The table's segments and whether history is (or will be) kept: the record exists and may be
// written, or it does not exist yet and the role may create it.
StatusOr<bool> ReadSegments(PgConnection& connection, const std::string& table,
                            std::vector<GenerationSegment>* segments) {
  SF_ASSIGN_OR_RETURN(QueryResult found,
                      connection.Query(SegmentsPrivilegeQuery("SELECT,INSERT,DELETE")));
  if (found.rows.empty()) {
    SF_ASSIGN_OR_RETURN(
        QueryResult creatable,
        connection.Query("SELECT COALESCE((SELECT has_schema_privilege(oid, 'CREATE') FROM "
                         "pg_namespace WHERE nspname = 'seedforge'), "
                         "has_database_privilege(current_database(), 'CREATE'))"));
    return creatable.rows.at(0).at(0) == "t";
  }
  if (found.rows[0][0] != "t") return false;
  // Through to_jsonb so that a record made before first_id, row_count and reserved reads too.
  const std::string literal = connection.QuoteLiteral(table);
  SF_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT first_row, array_to_string(row_counts, ','), to_jsonb(s)->>"
                       "'first_id', to_jsonb(s)->>'row_count' FROM " +
                       std::string(kSegmentsTable) + " s WHERE table_name = " + literal +
                       " ORDER BY first_row"));
  for (const auto& row : rows.rows) {
    GenerationSegment& segment = segments->emplace_back();
    segment.table = table;
    segment.first_row = std::stoll(*row[0]);
    segment.model_row_counts = SplitInts(*row[1]);
    if (row[2].has_value()) segment.first_id = std::stoll(*row[2]);
    if (row[3].has_value()) segment.row_count = std::stoll(*row[3]);
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult reserved,
      connection.Query("SELECT (to_jsonb(s)->>'first_row')::bigint, r FROM " +
                       std::string(kSegmentsTable) +
                       " s, jsonb_array_elements_text(COALESCE(to_jsonb(s)->'reserved', '[]')) r "
                       "WHERE table_name = " +
                       literal + " ORDER BY 1"));
  std::vector<std::vector<std::string>> keys(segments->size());
  size_t at = 0;
  for (const auto& row : reserved.rows) {
    const int64_t first_row = std::stoll(*row[0]);
    while (at < segments->size() && (*segments)[at].first_row < first_row) ++at;
    if (at < segments->size()) keys[at].push_back(*row[1]);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) continue;
    (*segments)[i].reserved_keys =
        std::make_shared<const ReservedKeys>(keys[i].begin(), keys[i].end());
  }
  return true;
}

}  // namespace

StatusOr<TableContents> ReadTableContents(PgConnection& connection, const TableSchema& table) {
  TableContents contents;
  const std::string name = connection.QuoteIdentifier(table.name);
  SF_ASSIGN_OR_RETURN(QueryResult exists, connection.Query("SELECT to_regclass(" +
                                                           connection.QuoteLiteral(name) + ")"));
  SF_ASSIGN_OR_RETURN(contents.history, ReadSegments(connection, table.name, &contents.segments));
  if (!exists.rows.at(0).at(0).has_value()) return contents;
  const std::string id = connection.QuoteIdentifier(table.columns.front().name);
  SF_ASSIGN_OR_RETURN(QueryResult counts, connection.Query("SELECT count(*), COALESCE(max(" + id +
                                                           "), 0) FROM " + name));
  contents.rows = std::stoll(*counts.rows.at(0).at(0));
  contents.max_id = std::stoll(*counts.rows.at(0).at(1));
  if (!contents.history) {
    contents.generated = contents.rows;
    return contents;
  }
  // Generated rows: every segment but the last is whole (a run that was cut short is ended by the
  // next one's record); the last holds the rows present in its id range.
  std::string generated_ids = "false";
  for (size_t i = 0; i < contents.segments.size(); ++i) {
    const GenerationSegment& segment = contents.segments[i];
    int64_t rows = 0;
    if (i + 1 < contents.segments.size()) {
      rows = contents.segments[i + 1].first_row - segment.first_row;
      if (segment.row_count >= 0) rows = std::min(rows, segment.row_count);
    } else {
      std::string range = id + " >= " + std::to_string(segment.FirstId());
      if (segment.row_count >= 0) {
        range += " AND " + id + " < " + std::to_string(segment.FirstId() + segment.row_count);
      }
      SF_ASSIGN_OR_RETURN(rows,
                          connection.QueryInt("SELECT count(*) FROM " + name + " WHERE " + range));
    }
    contents.generated = segment.first_row + rows;
    if (rows > 0) {
      generated_ids += " OR " + id + " BETWEEN " + std::to_string(segment.FirstId()) + " AND " +
                       std::to_string(segment.FirstId() + rows - 1);
    }
  }
  if (contents.rows == contents.generated || table.unique_keys.empty()) return contents;
  // The unique values of the other rows, which new rows must keep clear of.
  std::string columns;
  for (const std::vector<int>& key : table.unique_keys) {
    for (const int column : key) {
      columns += columns.empty() ? "" : ", ";
      columns += connection.QuoteIdentifier(table.columns[static_cast<size_t>(column)].name);
    }
  }
  SF_ASSIGN_OR_RETURN(QueryResult values, connection.Query("SELECT " + columns + " FROM " + name +
                                                           " WHERE NOT (" + generated_ids + ")"));
  std::vector<std::string_view> key_values;
  for (const auto& row : values.rows) {
    size_t at = 0;
    for (size_t k = 0; k < table.unique_keys.size(); ++k) {
      key_values.clear();
      bool null = false;
      for (size_t c = 0; c < table.unique_keys[k].size(); ++c, ++at) {
        null = null || !row[at].has_value();
        key_values.push_back(row[at].has_value() ? std::string_view(*row[at]) : "");
      }
      if (null) continue;  // NULLs never conflict
      std::string& key = contents.foreign_unique_keys.emplace_back();
      EncodeUniqueKey(static_cast<int>(k), key_values, &key);
    }
  }
  return contents;
}

std::unique_ptr<Sink> MakePostgresSink(PgConnection* connection, Format encoding_format,
                                       PostgresSinkOptions options) {
  return std::make_unique<PostgresSink>(connection, encoding_format, std::move(options));
}

}  // namespace seedforge
