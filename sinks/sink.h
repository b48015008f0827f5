// Where encoded rows go.
//
// The engine drives a sink table by table, in foreign-key order:
//   Prepare, ExistingRows for every table, CreateSchema, BeginLoad(all writes), then for each
//   table with rows to add: BeginTable, WriteBatch* (in row order), EndTable; then FinishLoad.
//   On an error the engine calls AbortTable() and skips FinishLoad.
// Tables may be written concurrently, each through its own worker sink from OpenWorker(); a
// table for which LoadsIndependently() is false is written only after every earlier such table
// (in load order) has finished.
// A sink never knows the domain; it sees schemas, encoded bytes and row counts. Not thread-safe:
// the engine calls a sink from one thread at a time (the pipeline's serial output stage).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/generation_segment.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "sinks/encoding.h"

namespace seedforge {

class PgConnection;

// What a table holds, as far as generation is concerned.
struct TableContents {
  int64_t rows = 0;       // every row, count(*)
  int64_t generated = 0;  // rows seedforge generated; the others are fixtures and rows of the app
  int64_t max_id = 0;     // largest id, 0 when empty
  // Generation history is (or, once the schema is created, will be) recorded. Without it every
  // row counts as generated, with ids index + 1, as before history existed.
  bool history = false;
  std::vector<GenerationSegment> segments;  // this table's, by first_row
  // EncodeUniqueKey of every unique key of the rows seedforge did not generate ("foreign" rows:
  // fixtures, rows of the application); new rows keep clear of them.
  std::vector<std::string> foreign_unique_keys;
};

// How a table will be written in this run.
struct TableWrite {
  const TableSchema* schema = nullptr;
  const Encoding* encoding = nullptr;
  int64_t existing_rows = 0;  // rows the table held before this run (all of them)
  int64_t rows_to_write = 0;  // rows this run appends
  // Recorded as the new rows' segment: their first generated row index and first id, the run's
  // final count of generated rows of every table, and the unique values they avoid.
  int64_t first_row = 0;
  int64_t first_id = 0;
  std::vector<int64_t> row_counts;
  std::vector<std::string> reserved;
  // Told what a long step after the rows is doing ("building indexes", "committing"); may be
  // empty. Called on the thread writing the table.
  std::function<void(std::string_view)> on_phase;
};

class Sink {
 public:
  virtual ~Sink() = default;

  // Makes ready to write: takes the lock, creates folders. Changes no data.
  virtual Status Prepare() = 0;
  // Rows already present in `table`; 0 when it does not exist yet (and for file and null sinks).
  virtual StatusOr<int64_t> ExistingRows(const TableSchema& table) = 0;
  // Checks that those `tables` that already exist can take the rows the model writes: every
  // column present with a type that holds every value its generator writes (NULLs only where the
  // model writes them), and no extra NOT NULL column without a default. Also checks the privileges
  // the run will need. Changes nothing; returns kFailedPrecondition or kPermissionDenied naming the
  // table and column. REQUIRES: Prepare() was called. Called before anything is created, cleared or
  // written.
  virtual Status CheckSchema(const std::vector<const TableSchema*>& /*tables*/) {
    return Status::Ok();
  }
  // Checks that the ids this run writes fit the id and reference columns of those `tables` that
  // already exist: `largest_ids[i]` is the largest id tables[i] holds once the run is done.
  // Changes nothing; kFailedPrecondition naming table, column, type and the largest id.
  // REQUIRES: CheckSchema(tables) was called.
  virtual Status CheckIds(const std::vector<const TableSchema*>& /*tables*/,
                          const std::vector<int64_t>& /*largest_ids*/) {
    return Status::Ok();
  }
  // What the encoding of `table` needs to know about the table it goes into: how binary COPY
  // sends columns whose type there is not the model's (EncodingOptions::wire_types). Empty for
  // tables that have the model's types, and for sinks that create their own.
  // REQUIRES: CheckSchema was called with `table`.
  virtual EncodingOptions EncodingOptionsFor(const TableSchema& /*table*/) const { return {}; }
  // For each column of `table` in schema order, the most characters a value of the column where
  // the rows go may have (a varchar(n) or char(n) there: n; -1 for no limit): a text value moved
  // aside from another row's (GenerationSegment::reserved_keys) grows and must still fit. Empty
  // when the sink creates the table itself (the declared types then hold) or has no limits.
  // REQUIRES: CheckSchema was called with `table`.
  virtual std::vector<int64_t> CharacterLimits(const TableSchema& /*table*/) const { return {}; }
  // Creates `tables` (load order) with their indexes where they do not exist yet.
  virtual Status CreateSchema(const std::vector<const TableSchema*>& tables) = 0;
  // Deletes every row of those `tables` that exist, all in one transaction (parents and children
  // together), and restarts their identity sequences; other tables and the schema are left alone.
  // Fails, deleting nothing, when another table still refers to one of them. Only the PostgreSQL
  // sink can; the others return kFailedPrecondition. REQUIRES: Prepare() was called.
  virtual Status ClearTables(const std::vector<const TableSchema*>& /*tables*/) {
    return FailedPrecondition("this sink cannot clear tables");
  }
  // What `table` holds: rows, generated rows, history, unique values of other rows (all zero and
  // empty for file and null sinks). Changes nothing. REQUIRES: Prepare() was called.
  virtual StatusOr<TableContents> ReadContents(const TableSchema& /*table*/) {
    return TableContents{};
  }
  // Called once before any table is written, with every table this run writes (may be none).
  virtual Status BeginLoad(const std::vector<TableWrite>& /*writes*/) { return Status::Ok(); }
  // Called once after every table was written.
  virtual Status FinishLoad() { return Status::Ok(); }
  // True when `write` needs no other table's rows while it is written, so it may run at the same
  // time as any other table. REQUIRES: BeginLoad was called.
  virtual bool LoadsIndependently(const TableWrite& /*write*/) const { return true; }
  // How `write` would be loaded ("bulk", "append", "file", "null"), for a dry run's plan. Changes
  // nothing. REQUIRES: Prepare() was called.
  virtual StatusOr<std::string> PlannedMethod(const TableWrite& /*write*/) { return method(); }
  // Opens another sink of the same kind, to write a different table on another thread at the
  // same time. Returns nullptr when the sink cannot (then tables are written one at a time).
  virtual StatusOr<std::unique_ptr<Sink>> OpenWorker() = 0;

  virtual Status BeginTable(const TableWrite& write) = 0;
  // Writes `rows` encoded rows (no prologue or epilogue; the sink adds them as it needs).
  virtual Status WriteBatch(std::string_view bytes, int64_t rows) = 0;
  // Finishes the table: commits, restores indexes and constraints, closes files.
  virtual Status EndTable() = 0;
  // Abandons the table in progress: rolls back the uncommitted part, removes partial files.
  virtual void AbortTable() = 0;
  // Bytes handed to the sink for the current table so far (including prologue/epilogue).
  virtual int64_t bytes_written() const = 0;
  // How the last table was written, for reports: "bulk", "append", "file" or "null".
  virtual std::string method() const = 0;
  // A short description for reports, e.g. "postgresql 15.20" or "files in out/".
  virtual std::string description() const = 0;
};

// How rows are appended to a table that has rows (see sinks/postgres/append_load.h).
enum class AppendMode {
  kAuto,  // one transaction from kTransactionAppendRows new rows (rebuilding the indexes when they
          // at least double the table), else batch by batch
  kBatches,      // a COPY and a commit per batch
  kTransaction,  // one transaction and one COPY
  kRebuild,      // as kTransaction, the table's indexes and keys rebuilt after the COPY
};

struct PostgresSinkOptions {
  // Load tables that start empty in one transaction with COPY FREEZE into bare tables, then
  // rebuild their indexes and constraints in bulk. Off: always append batch by batch.
  bool bulk_load_empty_tables = true;
  // How tables that have rows (or that the role does not own) are appended to.
  AppendMode append_mode = AppendMode::kAuto;
  // Take a session advisory lock in Prepare() so that two seeders on one database serialise.
  bool advisory_lock = true;
  // Seconds to wait for the advisory lock; 0 = wait forever.
  int lock_timeout_seconds = 0;
  // Set (by a signal handler) to stop waiting for the advisory lock; may be null.
  const std::atomic<bool>* cancel = nullptr;
  // Receives one-line notices for the user ("waiting for another seedforge run..."); may be empty.
  std::function<void(std::string_view)> notice;
  // Connection string for worker connections (OpenWorker). Empty: one connection only, and each
  // empty table is bulk-loaded in a transaction that also drops and restores the foreign keys
  // pointing at it (always consistent, but tables load one after another).
  std::string worker_conninfo;
};

// A sink that COPYs into PostgreSQL over `connection` (not owned; must outlive the sink).
// `encoding_format` must be kCopyText or kCopyBinary.
std::unique_ptr<Sink> MakePostgresSink(PgConnection* connection, Format encoding_format,
                                       PostgresSinkOptions options);

// Where the PostgreSQL sink records the parent counts each range of rows was generated with.
inline constexpr const char* kSegmentsTable = "seedforge.segments";

// What `table` holds (see TableContents), read over `connection`; zeros when it does not exist.
StatusOr<TableContents> ReadTableContents(PgConnection& connection, const TableSchema& table);

// Where the PostgreSQL sink records the foreign keys it dropped for a parallel bulk load until it
// restores them; a run that was killed leaves rows here and the next run restores them.
inline constexpr const char* kPendingConstraintsTable = "seedforge.pending_constraints";

// A sink that writes DIR/<table>.<ext>, via a temporary name renamed on EndTable.
std::unique_ptr<Sink> MakeFileSink(std::string directory, Format format);

// A sink that discards everything but counts bytes.
std::unique_ptr<Sink> MakeNullSink();

// The advisory lock key seedforge takes on a database (documented for operators).
inline constexpr int64_t kAdvisoryLockKey = 0x5eedf0a9;

}  // namespace seedforge
