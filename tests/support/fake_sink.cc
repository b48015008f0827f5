// The fake sink keeps everything in one State behind a mutex, because the engine calls worker
// sinks from several threads at once. Failures are looked up by (method, table) and counted per
// pair, so "the 3rd WriteBatch of events" means the 3rd batch handed to the events table.
#include "tests/support/fake_sink.h"

#include <chrono>
#include <deque>
#include <utility>

namespace seedforge::testing {

struct FakeSink::State {
  struct Failure {
    std::string method;
    std::string table;
    int nth = 0;
    Status status;
    int wait_for_tables = 0;
  };

  std::mutex mutex;  // guards every member below
  std::condition_variable table_begun;
  std::map<std::string, TableContents, std::less<>> contents;
  std::vector<Failure> failures;
  std::map<std::pair<std::string, std::string>, int> call_counts;
  std::vector<std::string> calls;
  std::vector<std::string> load_writes;
  std::deque<FakeTable> tables;  // deque: Find() pointers stay valid as tables are added
  std::map<std::string, int64_t, std::less<>> committed;  // rows of tables whose EndTable was OK
  int workers_left = 0;
  int tables_begun = 0;

  // Logs `line` and returns the failure planned for this call of `method` on `table`, if any.
  // REQUIRES: `lock` holds `mutex`.
  Status Record(std::unique_lock<std::mutex>& lock, const std::string& method,
                const std::string& table, std::string line) {
    calls.push_back(std::move(line));
    const int count = ++call_counts[{method, table}];
    for (const Failure& failure : failures) {
      if (failure.method != method || failure.table != table || failure.nth != count) continue;
      if (failure.wait_for_tables > 0) {
        table_begun.wait_for(lock, std::chrono::seconds(30),
                             [&] { return tables_begun >= failure.wait_for_tables; });
      }
      return failure.status;
    }
    return Status::Ok();
  }
};

namespace {

std::string JoinNumbers(const std::vector<int64_t>& numbers) {
  std::string text;
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(numbers[i]);
  }
  return text;
}

std::string TableNames(const std::vector<const TableSchema*>& tables) {
  std::string text;
  for (const TableSchema* table : tables) {
    if (!text.empty()) text += ',';
    text += table->name;
  }
  return text;
}

}  // namespace

FakeSink::FakeSink() : state_(std::make_shared<State>()) {}
FakeSink::FakeSink(std::shared_ptr<State> state) : state_(std::move(state)) {}
FakeSink::~FakeSink() = default;

void FakeSink::SetContents(std::string_view table, TableContents contents) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->contents[std::string(table)] = std::move(contents);
}

void FakeSink::FailAt(std::string_view method, std::string_view table, int nth, Status status,
                      int wait_for_tables) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->failures.push_back(State::Failure{std::string(method), std::string(table), nth,
                                            std::move(status), wait_for_tables});
}

void FakeSink::SetWorkers(int workers) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->workers_left = workers;
}

std::vector<std::string> FakeSink::Calls() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->calls;
}

std::vector<std::string> FakeSink::CallsStartingWith(std::string_view prefix) const {
  std::vector<std::string> matching;
  for (const std::string& call : Calls()) {
    if (std::string_view(call).substr(0, prefix.size()) == prefix) matching.push_back(call);
  }
  return matching;
}

std::vector<FakeTable> FakeSink::Tables() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return std::vector<FakeTable>(state_->tables.begin(), state_->tables.end());
}

const FakeTable* FakeSink::Find(std::string_view name) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto it = state_->tables.rbegin(); it != state_->tables.rend(); ++it) {
    if (it->table == name) return &*it;
  }
  return nullptr;
}

std::vector<std::vector<std::string>> FakeSink::Rows(std::string_view name) const {
  std::vector<std::vector<std::string>> rows;
  const FakeTable* table = Find(name);
  if (table == nullptr) return rows;
  std::vector<std::string> row;
  std::string field;
  for (const char c : table->bytes) {
    if (c == '\t' || c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      if (c == '\n') rows.push_back(std::move(row)), row.clear();
      continue;
    }
    field.push_back(c);
  }
  return rows;
}

std::vector<std::string> FakeSink::LoadWrites() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->load_writes;
}

Status FakeSink::Prepare() {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->Record(lock, "Prepare", "", "Prepare");
}

StatusOr<int64_t> FakeSink::ExistingRows(const TableSchema& table) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  int64_t rows = 0;
  if (auto it = state_->contents.find(table.name); it != state_->contents.end()) {
    rows = it->second.rows;
  }
  if (auto it = state_->committed.find(table.name); it != state_->committed.end()) {
    rows += it->second;
  }
  SF_RETURN_IF_ERROR(state_->Record(lock, "ExistingRows", table.name,
                                    "ExistingRows " + table.name + " -> " + std::to_string(rows)));
  return rows;
}

Status FakeSink::CheckSchema(const std::vector<const TableSchema*>& tables) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->Record(lock, "CheckSchema", "", "CheckSchema " + TableNames(tables));
}

Status FakeSink::CreateSchema(const std::vector<const TableSchema*>& tables) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->Record(lock, "CreateSchema", "", "CreateSchema " + TableNames(tables));
}

Status FakeSink::ClearTables(const std::vector<const TableSchema*>& tables) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  SF_RETURN_IF_ERROR(state_->Record(lock, "ClearTables", "", "ClearTables " + TableNames(tables)));
  for (const TableSchema* table : tables) state_->contents.erase(table->name);
  return Status::Ok();
}

StatusOr<TableContents> FakeSink::ReadContents(const TableSchema& table) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  SF_RETURN_IF_ERROR(
      state_->Record(lock, "ReadContents", table.name, "ReadContents " + table.name));
  auto it = state_->contents.find(table.name);
  return it == state_->contents.end() ? TableContents{} : it->second;
}

Status FakeSink::BeginLoad(const std::vector<TableWrite>& writes) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  std::string line = "BeginLoad";
  for (const TableWrite& write : writes) {
    line += ' ';
    line += write.schema->name;
    state_->load_writes.push_back(write.schema->name +
                                  " rows=" + std::to_string(write.rows_to_write) +
                                  " first_row=" + std::to_string(write.first_row) +
                                  " first_id=" + std::to_string(write.first_id));
  }
  return state_->Record(lock, "BeginLoad", "", std::move(line));
}

Status FakeSink::FinishLoad() {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->Record(lock, "FinishLoad", "", "FinishLoad");
}

StatusOr<std::unique_ptr<Sink>> FakeSink::OpenWorker() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->calls.push_back("OpenWorker");
  if (state_->workers_left <= 0) return std::unique_ptr<Sink>();
  --state_->workers_left;
  return std::unique_ptr<Sink>(new FakeSink(state_));
}

Status FakeSink::BeginTable(const TableWrite& write) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  FakeTable& table = state_->tables.emplace_back();
  table.table = write.schema->name;
  table.existing_rows = write.existing_rows;
  table.rows_to_write = write.rows_to_write;
  table.first_row = write.first_row;
  table.first_id = write.first_id;
  table.row_counts = write.row_counts;
  table.reserved = write.reserved;
  current_ = static_cast<int>(state_->tables.size()) - 1;
  ++state_->tables_begun;
  state_->table_begun.notify_all();
  return state_->Record(
      lock, "BeginTable", table.table,
      "BeginTable " + table.table + " first_row=" + std::to_string(write.first_row) + " first_id=" +
          std::to_string(write.first_id) + " rows=" + std::to_string(write.rows_to_write) +
          " counts=" + JoinNumbers(write.row_counts) +
          " reserved=" + std::to_string(write.reserved.size()));
}

Status FakeSink::WriteBatch(std::string_view bytes, int64_t rows) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  FakeTable& table = state_->tables[static_cast<size_t>(current_)];
  const std::string name = table.table;
  SF_RETURN_IF_ERROR(state_->Record(lock, "WriteBatch", name,
                                    "WriteBatch " + name + " rows=" + std::to_string(rows)));
  table.bytes.append(bytes);
  table.batch_rows.push_back(rows);
  return Status::Ok();
}

Status FakeSink::EndTable() {
  std::unique_lock<std::mutex> lock(state_->mutex);
  FakeTable& table = state_->tables[static_cast<size_t>(current_)];
  const std::string name = table.table;
  SF_RETURN_IF_ERROR(state_->Record(lock, "EndTable", name, "EndTable " + name));
  table.ended = true;
  int64_t rows = 0;
  for (const int64_t batch : table.batch_rows) rows += batch;
  state_->committed[name] += rows;
  return Status::Ok();
}

void FakeSink::AbortTable() {
  std::unique_lock<std::mutex> lock(state_->mutex);
  std::string name = current_ < 0 ? "" : state_->tables[static_cast<size_t>(current_)].table;
  if (current_ >= 0) state_->tables[static_cast<size_t>(current_)].aborted = true;
  (void)state_->Record(lock, "AbortTable", name, "AbortTable " + name);
}

int64_t FakeSink::bytes_written() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (current_ < 0) return 0;
  return static_cast<int64_t>(state_->tables[static_cast<size_t>(current_)].bytes.size());
}

}  // namespace seedforge::testing
