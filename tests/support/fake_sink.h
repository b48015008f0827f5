// A Sink without a server, for unit tests of the engine (run, pipeline, planning, id mapping).
//
// It answers ReadContents/ExistingRows from per-table TableContents a test sets, records every
// call the engine makes (in order, as one readable line each, and the TableWrite of each table),
// keeps the bytes of every WriteBatch per table, and fails on demand: the N-th call of a method
// for a table returns a given Status. Workers (OpenWorker) share the recorder, so a test sees
// one log whatever the number of parallel tables. Use Format::kCopyText in RunOptions and
// Rows() to read the written rows back as text fields.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/sink.h"

namespace seedforge::testing {

// What the fake sink saw of one table written by a run (one BeginTable).
struct FakeTable {
  // The TableWrite of BeginTable, without schema/encoding/on_phase (they are the engine's).
  std::string table;
  int64_t existing_rows = 0;
  int64_t rows_to_write = 0;
  int64_t first_row = 0;
  int64_t first_id = 0;
  std::vector<int64_t> row_counts;
  std::vector<std::string> reserved;
  std::string bytes;                // every WriteBatch's bytes, in order
  std::vector<int64_t> batch_rows;  // the row count of each WriteBatch
  bool ended = false;               // EndTable returned OK
  bool aborted = false;             // AbortTable was called
};

class FakeSink final : public Sink {
 public:
  FakeSink();
  ~FakeSink() override;

  // --- Set up (before the run) ---
  // What ReadContents answers for `table` (ExistingRows answers contents.rows). Unset: empty.
  void SetContents(std::string_view table, TableContents contents);
  // The `nth` (1-based) call of `method` ("Prepare", "CheckSchema", "CreateSchema",
  // "ClearTables", "ReadContents", "BeginLoad", "BeginTable", "WriteBatch", "EndTable",
  // "FinishLoad") for `table` ("" for calls without a table) returns `status`. When
  // `wait_for_tables` > 0, the failing call first waits (up to 30 s) until that many BeginTable
  // calls were made, so that a test can have two tables in progress when one fails.
  void FailAt(std::string_view method, std::string_view table, int nth, Status status,
              int wait_for_tables = 0);
  // How many worker sinks OpenWorker gives (after that it returns nullptr). Default 0.
  void SetWorkers(int workers);

  // --- Read back (after the run) ---
  // Every call, in order, one line each, e.g. "BeginTable users first_row=5 first_id=7 rows=2".
  std::vector<std::string> Calls() const;
  // The calls whose line starts with `prefix` (e.g. "BeginTable", "AbortTable").
  std::vector<std::string> CallsStartingWith(std::string_view prefix) const;
  // The tables written, in BeginTable order.
  std::vector<FakeTable> Tables() const;
  // The table `name` as written (the last BeginTable of it); null when it was not written.
  const FakeTable* Find(std::string_view name) const;
  // The rows written to `name`, split as COPY text (tab between fields, newline after a row);
  // NULL stays "\\N". Empty when the table was not written.
  std::vector<std::vector<std::string>> Rows(std::string_view name) const;
  // The BeginLoad writes, as "table rows=N first_row=R first_id=I" lines.
  std::vector<std::string> LoadWrites() const;

  // --- Sink ---
  Status Prepare() override;
  StatusOr<int64_t> ExistingRows(const TableSchema& table) override;
  Status CheckSchema(const std::vector<const TableSchema*>& tables) override;
  Status CreateSchema(const std::vector<const TableSchema*>& tables) override;
  Status ClearTables(const std::vector<const TableSchema*>& tables) override;
  StatusOr<TableContents> ReadContents(const TableSchema& table) override;
  Status BeginLoad(const std::vector<TableWrite>& writes) override;
  Status FinishLoad() override;
  StatusOr<std::unique_ptr<Sink>> OpenWorker() override;
  Status BeginTable(const TableWrite& write) override;
  Status WriteBatch(std::string_view bytes, int64_t rows) override;
  Status EndTable() override;
  void AbortTable() override;
  int64_t bytes_written() const override;
  std::string method() const override { return "fake"; }
  std::string description() const override { return "fake sink"; }

  struct State;  // shared with workers; defined in the .cc

 private:
  explicit FakeSink(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  // The table this (worker) sink is writing or last wrote: an index into State::tables; -1
  // before its first BeginTable.
  int current_ = -1;
};

}  // namespace seedforge::testing
