// Orchestration of one run. Errors in the plan (a child whose required parent has no rows) are
// found before the sink creates anything, so bad input leaves the database as it was.
#include "engine/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/failpoint.h"
#include "engine/fixtures.h"
#include "engine/progress.h"

namespace seedforge {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One table to write. The first five fields are set before the workers start and only read
// after; `started`, `done` and `status` are written by the workers, under Scheduler::mutex_.
struct TableJob {
  size_t table = 0;  // index into the report and the model (schemas() order)
  const TableGenerator* generator = nullptr;
  std::unique_ptr<Encoding> encoding;
  TableWrite write;
  bool independent = false;
  bool started = false;  // guarded by Scheduler::mutex_
  bool done = false;     // guarded by Scheduler::mutex_
  Status status;         // guarded by Scheduler::mutex_
};

// Hands out jobs to workers: the largest ready job first; a dependent job is ready once every
// earlier dependent job is done. Thread-safe.
class Scheduler {
 public:
  explicit Scheduler(std::vector<TableJob>& jobs) : jobs_(jobs) {}

  // Returns the next job, waiting while none is ready; nullptr when all are handed out or a job
  // failed.
  TableJob* Next() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (failed_) return nullptr;
      TableJob* best = nullptr;
      bool pending = false;
      bool earlier_dependent_open = false;
      for (TableJob& job : jobs_) {
        const bool ready = job.independent || !earlier_dependent_open;
        if (!job.done && !job.independent) earlier_dependent_open = true;
        if (job.started) continue;
        pending = true;
        if (ready && (best == nullptr || job.write.rows_to_write > best->write.rows_to_write)) {
          best = &job;
        }
      }
      if (best != nullptr) {
        best->started = true;
        return best;
      }
      if (!pending) return nullptr;
      changed_.wait(lock);
    }
  }

  // Records that `job` ended with `status`; a failure stops handing out jobs.
  void Done(TableJob* job, Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!status.ok()) failed_ = true;
    job->status = std::move(status);
    job->done = true;
    changed_.notify_all();
  }

  // The first failure in load order, else OK: later ones were stopped because of it (kCancelled
  // is the cause only when nothing else failed).
  Status FirstFailure() {
    std::lock_guard<std::mutex> lock(mutex_);
    Status first;
    for (const TableJob& job : jobs_) {
      if (job.status.ok()) continue;
      if (first.ok() || first.code() == StatusCode::kCancelled) first = job.status;
    }
    return first;
  }

 private:
  std::vector<TableJob>& jobs_;  // their started, done and status: guarded by mutex_
  std::mutex mutex_;
  std::condition_variable changed_;
  bool failed_ = false;  // guarded by mutex_
};

// Writes one table through `sink`, filling its report row.
Status WriteTable(const TableJob& job, Sink& sink, const RunOptions& options,
                  const std::atomic<bool>* abort, ProgressLine& progress, TableReport* table) {
  const auto started = std::chrono::steady_clock::now();
  PipelineOptions pipeline = options.pipeline;
  pipeline.abort = abort;
  int64_t reported = 0;
  pipeline.on_progress = [&](int64_t done) {
    progress.Advance(table->table, done - reported);
    reported = done;
  };
  TableWrite write = job.write;
  write.on_phase = [&](std::string_view phase) { progress.TablePhase(table->table, phase); };
  Status status = sink.BeginTable(write);
  if (status.ok()) {
    status = RunPipeline(*job.generator, *job.encoding, job.write.first_row,
                         job.write.first_row + job.write.rows_to_write, sink, pipeline);
  }
  if (status.ok()) status = sink.EndTable();
  table->seconds = SecondsSince(started);
  table->bytes = sink.bytes_written();
  table->method = sink.method();
  if (status.ok()) {
    table->written = job.write.rows_to_write;
    table->after = table->before + table->written;
    return status;
  }
  sink.AbortTable();
  // Appending commits whole batches before a failure; count what is there now.
  auto now = sink.ExistingRows(*job.write.schema);
  if (now.ok()) {
    table->after = *now;
    table->written = *now - table->before;
  }
  return status;
}

// The final counts of a run into empty tables: every target, derived counts applied.
std::vector<int64_t> CountsFromEmpty(const Profile& profile) {
  const size_t tables = profile.schemas().size();
  std::vector<int64_t> to_write(tables);
  for (size_t i = 0; i < tables; ++i) to_write[i] = profile.Target(i);
  std::vector<int64_t> final_counts;
  ApplyDerivedCounts(*profile.model, profile.seed, std::vector<int64_t>(tables, 0), &to_write,
                     &final_counts);
  return final_counts;
}

// Asks options.before_write what to do and, for kClearThenWrite, empties the tables (their
// former counts go to `cleared`). The profile is checked against empty tables first, so a bad
// profile fails before anything is deleted.
StatusOr<StartAction> DecideStart(const Profile& profile, Sink& sink,
                                  const std::vector<const TableSchema*>& tables,
                                  const RunOptions& options, std::vector<int64_t>* cleared) {
  if (!options.before_write) return StartAction::kWrite;
  std::vector<int64_t> existing(tables.size(), 0);
  for (size_t i = 0; i < tables.size(); ++i) {
    SF_ASSIGN_OR_RETURN(existing[i], sink.ExistingRows(*tables[i]));
  }
  SF_ASSIGN_OR_RETURN(const StartAction action, options.before_write(existing));
  if (action != StartAction::kClearThenWrite) return action;
  SF_RETURN_IF_ERROR(
      profile.model->CheckCounts(CountsFromEmpty(profile)).WithContext("profile " + profile.name));
  if (!options.dry_run) SF_RETURN_IF_ERROR(sink.ClearTables(tables));
  *cleared = existing;
  return action;
}

}  // namespace

int64_t NextGeneratedId(const TableContents& contents) {
  if (!contents.history) return contents.generated + 1;
  int64_t next = contents.generated + 1;
  if (!contents.segments.empty()) {
    const GenerationSegment& last = contents.segments.back();
    next = last.FirstId() + (contents.generated - last.first_row);
  }
  return contents.max_id >= next ? contents.max_id + 1 : next;
}

GenerationPlan MakeGenerationPlan(const Profile& profile,
                                  const std::vector<int64_t>& final_counts) {
  GenerationPlan plan;
  plan.seed = profile.seed;
  plan.window_start_micros = profile.window_start_micros;
  plan.window_end_micros = profile.window_end_micros;
  plan.row_counts = final_counts;
  plan.history.resize(final_counts.size());
  return plan;
}

void ApplyHistory(const std::vector<TableContents>& contents,
                  const std::vector<GenerationSegment>& planned, GenerationPlan* plan) {
  const size_t tables = plan->row_counts.size();
  plan->history.resize(tables);
  for (size_t i = 0; i < tables && i < contents.size(); ++i) {
    auto& segments = plan->history[i];
    segments.clear();
    for (const GenerationSegment& segment : contents[i].segments) {
      if (segment.model_row_counts.size() != tables) continue;
      if (segment.first_row >= contents[i].generated) continue;  // describes rows that are gone
      GenerationSegment& kept = segments.emplace_back(segment);
      kept.first_id = segment.FirstId();
    }
    if (i >= planned.size()) continue;
    const GenerationSegment& next = planned[i];
    const bool moved = next.first_id != 0 && next.first_id != contents[i].generated + 1;
    const bool reserves = next.reserved_keys != nullptr && !next.reserved_keys->empty();
    // The rows this run adds are generated with its own counts.
    if (next.row_count > 0 && (!segments.empty() || moved || reserves)) {
      GenerationSegment& added = segments.emplace_back(next);
      added.first_row = contents[i].generated;
      added.model_row_counts = plan->row_counts;
    }
  }
}

std::vector<std::optional<int64_t>> ApplyDerivedCounts(const GenerationModel& model, uint64_t seed,
                                                       const std::vector<int64_t>& generated,
                                                       std::vector<int64_t>* to_write,
                                                       std::vector<int64_t>* final_counts) {
  const size_t tables = generated.size();
  std::vector<std::optional<int64_t>> derived(tables);
  final_counts->assign(tables, 0);
  for (size_t i = 0; i < tables; ++i) {
    derived[i] = model.DerivedCount(i, seed, *final_counts);
    if (derived[i].has_value()) (*to_write)[i] = std::max<int64_t>(0, *derived[i] - generated[i]);
    (*final_counts)[i] = generated[i] + (*to_write)[i];
  }
  return derived;
}

FreshSeedPlan PlanFreshSeed(const Profile& profile) {
  const size_t tables = profile.schemas().size();
  FreshSeedPlan fresh;
  // As RunProfile plans an empty database: every fixture is absent, so the generated rows leave
  // room for them under the targets and keep clear of their unique values.
  std::vector<int64_t> to_write(tables, 0);
  for (size_t t = 0; t < tables; ++t) {
    const auto fixtures = static_cast<int64_t>(profile.fixtures[t].rows.size());
    to_write[t] = std::max<int64_t>(0, profile.Target(t) - fixtures);
  }
  const std::vector<std::optional<int64_t>> derived = ApplyDerivedCounts(
      *profile.model, profile.seed, std::vector<int64_t>(tables, 0), &to_write, &fresh.generated);
  fresh.targets.resize(tables);
  for (size_t t = 0; t < tables; ++t) fresh.targets[t] = derived[t].value_or(profile.Target(t));
  return fresh;
}

namespace {

// What the plan decided for every table (schemas() order; every vector has one entry per table).
struct RunPlan {
  explicit RunPlan(size_t tables)
      : cleared(tables, 0),
        fixtures(tables, 0),
        contents(tables),
        final_counts(tables, 0),
        to_write(tables, 0) {}
  StartAction action = StartAction::kWrite;
  std::vector<int64_t> cleared;   // rows emptied first (kClearThenWrite)
  std::vector<int64_t> fixtures;  // fixture rows the run will add
  std::vector<TableContents> contents;
  std::vector<int64_t> final_counts;  // generated rows once the run is done
  std::vector<int64_t> to_write;
};

// The report's header fields, before anything is read.
void StartReport(const Profile& profile, const Sink& sink, const RunOptions& options,
                 RunReport* report) {
  report->profile = profile.name;
  report->profile_source = profile.source;
  report->seed = profile.seed;
  report->threads = ResolveThreads(options.pipeline.threads);
  report->batch_rows = options.pipeline.batch_rows;
  report->format = std::string(FormatName(options.format));
  report->sink = sink.description();
  report->completed = false;
  report->tables.clear();
}

// What every table holds and what the run adds to it; one report row per table. Rows seedforge
// did not make (fixtures, rows of the application) count towards the target but are never
// regenerated: new rows continue the generated ones. A table whose count the model derives from
// its parents has that count as its target (ApplyDerivedCounts). A dry run plans a clear as if it
// had happened: every table empty, every fixture absent.
Status PlanTables(const Profile& profile, Sink& sink, const std::vector<const TableSchema*>& tables,
                  const RunOptions& options, RunPlan* plan, RunReport* report) {
  const bool planned_clear = options.dry_run && plan->action == StartAction::kClearThenWrite;
  if (planned_clear) {
    for (size_t i = 0; i < tables.size(); ++i) {
      plan->fixtures[i] = static_cast<int64_t>(profile.fixtures[i].rows.size());
    }
  } else if (options.count_fixtures && plan->action != StartAction::kSkip) {
    SF_ASSIGN_OR_RETURN(plan->fixtures, options.count_fixtures());
    if (plan->fixtures.size() != tables.size()) {
      return Internal("count_fixtures gave " + std::to_string(plan->fixtures.size()) +
                      " counts for " + std::to_string(tables.size()) + " tables");
    }
  }
  std::vector<int64_t> generated(tables.size(), 0);
  for (size_t i = 0; i < tables.size(); ++i) {
    TableContents& contents = plan->contents[i];
    if (planned_clear) {
      contents = TableContents{};
    } else {
      SF_ASSIGN_OR_RETURN(contents, sink.ReadContents(*tables[i]));
    }
    generated[i] = contents.generated;
    plan->to_write[i] = std::max<int64_t>(0, profile.Target(i) - contents.rows - plan->fixtures[i]);
  }
  const std::vector<std::optional<int64_t>> derived = ApplyDerivedCounts(
      *profile.model, profile.seed, generated, &plan->to_write, &plan->final_counts);
  for (size_t i = 0; i < tables.size(); ++i) {
    const int64_t existing = plan->contents[i].rows;
    const int64_t target = derived[i].value_or(profile.Target(i));
    TableReport& table = report->tables.emplace_back();
    table.table = tables[i]->name;
    table.target = target;
    table.before = planned_clear ? plan->cleared[i] : existing;
    table.after = existing;
    table.planned = plan->to_write[i];
    if (existing > target && (derived[i].has_value() || profile.rows[i].has_value())) {
      table.note = "has " + GroupDigits(existing) + " rows, above the target " +
                   GroupDigits(target) + ": nothing deleted";
    }
    if (plan->cleared[i] > 0) {
      table.note = (options.dry_run ? "would clear " : "cleared ") + GroupDigits(plan->cleared[i]) +
                   " rows first";
    }
  }
  return Status::Ok();
}

// A dry run's report: the fixtures and, for every table with rows to add, the sink's method.
Status ReportDryRun(const Profile& profile, Sink& sink,
                    const std::vector<const TableSchema*>& tables, const RunPlan& plan,
                    RunReport* report) {
  SF_RETURN_IF_ERROR(
      profile.model->CheckCounts(plan.final_counts).WithContext("profile " + profile.name));
  report->dry_run = true;
  const bool skip = plan.action == StartAction::kSkip;
  for (size_t i = 0; i < tables.size(); ++i) {
    TableReport& table = report->tables[i];
    table.fixtures = skip ? 0 : plan.fixtures[i];
    if (skip) table.planned = 0;
    if (table.planned == 0) continue;
    TableWrite write;
    write.schema = tables[i];
    write.existing_rows = plan.contents[i].rows;
    write.rows_to_write = plan.to_write[i];
    SF_ASSIGN_OR_RETURN(table.method, sink.PlannedMethod(write));
  }
  return Status::Ok();
}

// Where every table's new rows start, and the unique values they keep clear of: those of other
// rows and of every fixture. plan->contents[i].foreign_unique_keys becomes that sorted, distinct
// list.
std::vector<GenerationSegment> PlanSegments(const Profile& profile, RunPlan* plan) {
  const auto fixture_keys = FixtureUniqueKeys(profile);
  std::vector<TableContents>& contents = plan->contents;
  std::vector<GenerationSegment> planned(contents.size());
  for (size_t i = 0; i < contents.size(); ++i) {
    planned[i].table = profile.schemas()[i].name;
    planned[i].row_count = plan->to_write[i];
    planned[i].first_id = NextGeneratedId(contents[i]);
    std::vector<std::string>& reserved = contents[i].foreign_unique_keys;
    reserved.insert(reserved.end(), fixture_keys[i].begin(), fixture_keys[i].end());
    std::sort(reserved.begin(), reserved.end());
    reserved.erase(std::unique(reserved.begin(), reserved.end()), reserved.end());
    if (!reserved.empty()) {
      planned[i].reserved_keys =
          std::make_shared<const ReservedKeys>(reserved.begin(), reserved.end());
    }
  }
  return planned;
}

// "(a, b)" of a unique key's column names, or "a" for a key of one column.
std::string KeyColumnsText(const TableSchema& schema, const std::vector<int>& key,
                           const std::vector<std::string>* values) {
  std::string text;
  for (size_t c = 0; c < key.size(); ++c) {
    text += c == 0 ? "" : ", ";
    text += values != nullptr ? (*values)[c] : schema.columns[static_cast<size_t>(key[c])].name;
  }
  return key.size() == 1 ? text : "(" + text + ")";
}

// Refuses, before anything is written, a run whose new rows would take a unique value that
// another row holds in a key seedforge cannot move aside (one without a text column: see
// UniqueKeysMoveAside). Generates only the tables with such keys and reserved values, one row
// at a time; the reserved values are those the plan already holds. The message names table, key,
// value and what holds it: a fixture of the profile (absent or already inserted) or a row
// seedforge did not make.
Status CheckReservedCollisions(const Profile& profile, const Sink& sink, const RunPlan& plan,
                               const std::vector<GenerationSegment>& planned,
                               const std::vector<std::unique_ptr<TableGenerator>>& generators,
                               const GenerationPlan& generation) {
  for (size_t i = 0; i < planned.size(); ++i) {
    const TableSchema& schema = profile.schemas()[i];
    if (plan.to_write[i] == 0 || planned[i].reserved_keys == nullptr) continue;
    // The most characters each column takes: the existing table's, else the declared type's.
    std::vector<int64_t> limits = sink.CharacterLimits(schema);
    if (limits.size() != schema.columns.size()) {
      limits.assign(schema.columns.size(), -1);
      for (size_t c = 0; c < schema.columns.size(); ++c) {
        const SqlType& type = schema.columns[c].sql;
        if (!type.array && type.length > 0) limits[c] = type.length;
      }
    }
    bool limited = false;
    for (const std::vector<int>& key : schema.unique_keys) {
      for (const int c : key) limited = limited || limits[static_cast<size_t>(c)] > 0;
    }
    if (UniqueKeysMoveAside(schema) && !limited) continue;
    const int64_t first = plan.contents[i].generated;
    const std::optional<ReservedCollision> collision = FindReservedCollision(
        *generators[i], *planned[i].reserved_keys, limits, first, first + plan.to_write[i]);
    if (!collision.has_value()) continue;
    const std::string new_row = "table " + schema.name + ": new row " +
                                GroupDigits(collision->row - first + 1) + " (id " +
                                std::to_string(generation.IdOf(i, collision->row)) + ")";
    if (collision->too_long_column >= 0) {
      const std::string& column =
          schema.columns[static_cast<size_t>(collision->too_long_column)].name;
      return InvalidArgument(new_row + " would move its " + column + " aside to " +
                             collision->values[0] + " (another row or a fixture holds its " +
                             "generated value), longer than the " +
                             std::to_string(collision->limit) + " characters column " + column +
                             " takes; widen the column, or delete or change the row or fixture " +
                             "that holds the value; nothing was written");
    }
    const std::vector<int>& key = schema.unique_keys[static_cast<size_t>(collision->key)];
    std::string encoded;
    std::vector<std::string_view> values(collision->values.begin(), collision->values.end());
    EncodeUniqueKey(collision->key, values, &encoded);
    std::string holder = "a row seedforge did not make holds";
    std::string remedy = "delete or change that row";
    for (const FixtureRow& row : profile.fixtures[i].rows) {
      const std::vector<std::string> keys = FixtureRowUniqueKeys(schema, row);
      if (std::find(keys.begin(), keys.end(), encoded) == keys.end()) continue;
      holder = profile.source == "built-in"
                   ? "fixture " + row.path + " of built-in profile " + profile.name + " holds"
                   : "fixture " + profile.source + ": " + row.path + " holds";
      remedy = "change the fixture";
      break;
    }
    const std::string columns = KeyColumnsText(schema, key, nullptr);
    return InvalidArgument(new_row + " would take unique key " + columns + " = " +
                           KeyColumnsText(schema, key, &collision->values) + ", which " + holder +
                           " (seedforge moves only keys with a text column aside); " + remedy +
                           ", or change the " + "generator of " + columns +
                           " (its start or range) so that the new values differ; " +
                           "nothing was written");
  }
  return Status::Ok();
}

// The plan's segments and generators, once CheckReservedCollisions found no new row taking a
// unique value it cannot move aside.
struct PreparedGenerators {
  std::vector<GenerationSegment> planned;
  std::vector<std::unique_ptr<TableGenerator>> generators;
};

StatusOr<PreparedGenerators> PrepareGenerators(const Profile& profile, const Sink& sink,
                                               RunPlan* plan) {
  PreparedGenerators prepared;
  prepared.planned = PlanSegments(profile, plan);
  auto generation =
      std::make_shared<GenerationPlan>(MakeGenerationPlan(profile, plan->final_counts));
  ApplyHistory(plan->contents, prepared.planned, generation.get());
  prepared.generators = profile.model->MakeGenerators(generation);
  SF_RETURN_IF_ERROR(CheckReservedCollisions(profile, sink, *plan, prepared.planned,
                                             prepared.generators, *generation));
  return prepared;
}

// The largest id of every table once the plan is carried out: the larger of the largest id it
// holds and the last of the ids its new rows get (they start at NextGeneratedId), then the
// fixtures it inserts, which take the next ids of the sequence.
std::vector<int64_t> LargestIds(const RunPlan& plan) {
  std::vector<int64_t> largest(plan.contents.size(), 0);
  for (size_t i = 0; i < plan.contents.size(); ++i) {
    largest[i] = std::max(plan.contents[i].max_id,
                          NextGeneratedId(plan.contents[i]) + plan.to_write[i] - 1) +
                 plan.fixtures[i];
  }
  return largest;
}

// One job per table with rows to write, in load order.
std::vector<TableJob> MakeJobs(const RunPlan& plan, const std::vector<GenerationSegment>& planned,
                               const std::vector<std::unique_ptr<TableGenerator>>& generators,
                               Format format, const Sink& sink) {
  std::vector<TableJob> jobs;
  for (size_t i = 0; i < plan.to_write.size(); ++i) {
    if (plan.to_write[i] == 0) continue;
    TableJob& job = jobs.emplace_back();
    job.table = i;
    job.generator = generators[i].get();
    job.encoding = MakeEncoding(format, job.generator->schema(),
                                sink.EncodingOptionsFor(job.generator->schema()));
    job.write.schema = &job.generator->schema();
    job.write.encoding = job.encoding.get();
    job.write.existing_rows = plan.contents[i].rows;
    job.write.rows_to_write = plan.to_write[i];
    job.write.first_row = plan.contents[i].generated;
    job.write.first_id = planned[i].first_id;
    job.write.row_counts = plan.final_counts;
    job.write.reserved = plan.contents[i].foreign_unique_keys;
  }
  return jobs;
}

// Up to `wanted` - 1 worker sinks besides `sink` (fewer when the sink has no more to give).
StatusOr<std::vector<std::unique_ptr<Sink>>> OpenWorkers(Sink& sink, size_t wanted) {
  std::vector<std::unique_ptr<Sink>> workers;
  while (workers.size() + 1 < wanted) {
    SF_ASSIGN_OR_RETURN(std::unique_ptr<Sink> worker, sink.OpenWorker());
    if (worker == nullptr) break;
    workers.push_back(std::move(worker));
  }
  return workers;
}

// Writes the jobs through `sink` and `extra_workers`, one table per sink at a time. Returns the
// first failure in load order (Scheduler::FirstFailure).
Status WriteTables(std::vector<TableJob>& jobs, Sink& sink,
                   const std::vector<std::unique_ptr<Sink>>& extra_workers,
                   const RunOptions& options, ProgressLine& progress, RunReport* report) {
  std::vector<Sink*> workers = {&sink};
  for (const auto& worker : extra_workers) workers.push_back(worker.get());
  int64_t total_rows = 0;
  for (const TableJob& job : jobs) total_rows += job.write.rows_to_write;
  progress.Start(report->command.empty() ? "writing" : report->command, total_rows);
  Scheduler scheduler(jobs);
  std::atomic<bool> abort{false};
  auto work = [&](Sink& worker) {
    while (TableJob* job = scheduler.Next()) {
      // Each job's report row is written by the one worker that took the job.
      TableReport& table = report->tables[job->table];
      progress.TableStarted(table.table, job->write.rows_to_write);
      Status status = WriteTable(*job, worker, options, &abort, progress, &table);
      progress.TableFinished(table.table);
      if (!status.ok()) abort = true;
      scheduler.Done(job, std::move(status));
    }
  };
  if (workers.size() == 1) {
    work(sink);
  } else {
    std::vector<std::thread> threads;
    for (Sink* worker : workers) threads.emplace_back(work, std::ref(*worker));
    for (std::thread& thread : threads) thread.join();
  }
  progress.Finish();
  return scheduler.FirstFailure();
}

// After every table was written: the parked foreign keys back, then the fixtures.
Status FinishRun(Sink& sink, const RunOptions& options, ProgressLine& progress, RunReport* report) {
  progress.TableStarted("foreign keys");
  const Status finished = sink.FinishLoad();
  progress.Finish();
  SF_RETURN_IF_ERROR(finished);
  if (!options.insert_fixtures) return Status::Ok();
  SF_FAILPOINT("run.before_fixtures", "");
  SF_ASSIGN_OR_RETURN(const auto inserted, options.insert_fixtures());
  for (size_t i = 0; i < inserted.size() && i < report->tables.size(); ++i) {
    if (inserted[i] == 0) continue;
    TableReport& table = report->tables[i];
    table.after += inserted[i];
    table.fixtures = inserted[i];
  }
  return Status::Ok();
}

}  // namespace

Status RunProfile(const Profile& profile, Sink& sink, const RunOptions& options,
                  RunReport* report) {
  const auto run_started = std::chrono::steady_clock::now();
  SF_RETURN_IF_ERROR(options.pipeline.Validate());
  StartReport(profile, sink, options, report);
  auto complete = [&] {
    report->seconds = SecondsSince(run_started);
    report->completed = true;
    return Status::Ok();
  };

  const std::vector<TableSchema>& schemas = profile.schemas();
  std::vector<const TableSchema*> tables;
  for (const TableSchema& schema : schemas) tables.push_back(&schema);

  SF_RETURN_IF_ERROR(sink.Prepare());
  SF_RETURN_IF_ERROR(sink.CheckSchema(tables));
  RunPlan plan(tables.size());
  SF_ASSIGN_OR_RETURN(plan.action, DecideStart(profile, sink, tables, options, &plan.cleared));
  SF_RETURN_IF_ERROR(PlanTables(profile, sink, tables, options, &plan, report));
  SF_RETURN_IF_ERROR(sink.CheckIds(tables, LargestIds(plan)));
  if (options.dry_run) {
    SF_RETURN_IF_ERROR(ReportDryRun(profile, sink, tables, plan, report));
    if (plan.action != StartAction::kSkip) {
      // What the run would refuse, the dry run refuses too.
      SF_RETURN_IF_ERROR(PrepareGenerators(profile, sink, &plan).status());
    }
    return complete();
  }
  if (plan.action == StartAction::kSkip) return complete();

  SF_RETURN_IF_ERROR(
      profile.model->CheckCounts(plan.final_counts).WithContext("profile " + profile.name));
  SF_ASSIGN_OR_RETURN(const PreparedGenerators prepared, PrepareGenerators(profile, sink, &plan));
  const std::vector<GenerationSegment>& planned = prepared.planned;
  const auto& generators = prepared.generators;
  SF_RETURN_IF_ERROR(sink.CreateSchema(tables));

  std::vector<TableJob> jobs = MakeJobs(plan, planned, generators, options.format, sink);
  std::vector<TableWrite> writes;
  for (const TableJob& job : jobs) writes.push_back(job.write);
  SF_RETURN_IF_ERROR(sink.BeginLoad(writes));
  for (TableJob& job : jobs) job.independent = sink.LoadsIndependently(job.write);

  const size_t wanted =
      std::min<size_t>(static_cast<size_t>(std::max(1, options.parallel_tables)), jobs.size());
  SF_ASSIGN_OR_RETURN(const auto extra_workers, OpenWorkers(sink, wanted));
  ProgressLine progress(options.show_progress, options.progress_listener);
  const Status written = WriteTables(jobs, sink, extra_workers, options, progress, report);
  report->seconds = SecondsSince(run_started);
  if (!written.ok()) {
    // Best effort: put back the foreign keys parked for tables that did commit, so a run stopped
    // by a signal or a failing table leaves a whole schema; if it cannot, the journal keeps them
    // for the next run.
    (void)sink.FinishLoad();
    return written;
  }
  SF_RETURN_IF_ERROR(FinishRun(sink, options, progress, report));
  return complete();
}

}  // namespace seedforge
