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
  size_t table = 0;  // index into the report and the model (TableId order)
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

// Asks options.before_write what to do and, for kClearThenWrite, empties the tables (their
// former counts go to `cleared`). The profile is checked against empty tables first, so a bad
// profile fails before anything is deleted.
StatusOr<StartAction> DecideStart(const Profile& profile, Sink& sink,
                                  const std::vector<const TableSchema*>& tables,
                                  const RunOptions& options,
                                  std::array<int64_t, kTableCount>* cleared) {
  if (!options.before_write) return StartAction::kWrite;
  std::array<int64_t, kTableCount> existing{};
  for (int i = 0; i < kTableCount; ++i) {
    SF_ASSIGN_OR_RETURN(existing[i], sink.ExistingRows(*tables[i]));
  }
  SF_ASSIGN_OR_RETURN(const StartAction action, options.before_write(existing));
  if (action != StartAction::kClearThenWrite) return action;
  std::array<int64_t, kTableCount> targets{};
  for (int i = 0; i < kTableCount; ++i) targets[i] = profile.Target(static_cast<TableId>(i));
  SF_RETURN_IF_ERROR(
      MakeFleetConfig(profile, targets).Validate().WithContext("profile " + profile.name));
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

void ApplyHistory(const std::array<TableContents, kTableCount>& contents,
                  const std::array<GenerationSegment, kTableCount>& planned, FleetConfig* config) {
  for (int i = 0; i < kTableCount; ++i) {
    auto& segments = config->history[i];
    segments.clear();
    for (const GenerationSegment& segment : contents[i].segments) {
      if (segment.model_row_counts.size() != static_cast<size_t>(kTableCount)) continue;
      if (segment.first_row >= contents[i].generated) continue;  // describes rows that are gone
      GenerationSegment& kept = segments.emplace_back(segment);
      kept.first_id = segment.FirstId();
    }
    const GenerationSegment& next = planned[i];
    const bool moved = next.first_id != 0 && next.first_id != contents[i].generated + 1;
    const bool reserves = next.reserved_keys != nullptr && !next.reserved_keys->empty();
    // The rows this run adds are generated with its own counts.
    if (next.row_count > 0 && (!segments.empty() || moved || reserves)) {
      GenerationSegment& added = segments.emplace_back(next);
      added.first_row = contents[i].generated;
      added.model_row_counts.assign(config->row_counts.begin(), config->row_counts.end());
    }
  }
}

FleetConfig MakeFleetConfig(const Profile& profile,
                            const std::array<int64_t, kTableCount>& final_counts) {
  FleetConfig config;
  config.seed = profile.seed;
  config.window_start_micros = profile.window_start_micros;
  config.window_end_micros = profile.window_end_micros;
  config.parameters = profile.parameters;
  config.row_counts = final_counts;
  return config;
}

namespace {

// What the plan decided for every table (TableId order).
struct RunPlan {
  StartAction action = StartAction::kWrite;
  std::array<int64_t, kTableCount> cleared{};   // rows emptied first (kClearThenWrite)
  std::array<int64_t, kTableCount> fixtures{};  // fixture rows the run will add
  std::array<TableContents, kTableCount> contents;
  std::array<int64_t, kTableCount> final_counts{};  // generated rows once the run is done
  std::array<int64_t, kTableCount> to_write{};
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
// regenerated: new rows continue the generated ones. A dry run plans a clear as if it had
// happened: every table empty, every fixture absent.
Status PlanTables(const Profile& profile, Sink& sink, const std::vector<const TableSchema*>& tables,
                  const RunOptions& options, RunPlan* plan, RunReport* report) {
  const bool planned_clear = options.dry_run && plan->action == StartAction::kClearThenWrite;
  if (planned_clear) {
    for (int i = 0; i < kTableCount; ++i) {
      plan->fixtures[i] =
          static_cast<int64_t>(profile.fixtures[static_cast<size_t>(i)].rows.size());
    }
  } else if (options.count_fixtures && plan->action != StartAction::kSkip) {
    SF_ASSIGN_OR_RETURN(plan->fixtures, options.count_fixtures());
  }
  for (int i = 0; i < kTableCount; ++i) {
    TableContents& contents = plan->contents[i];
    if (planned_clear) {
      contents = TableContents{};
    } else {
      SF_ASSIGN_OR_RETURN(contents, sink.ReadContents(*tables[i]));
    }
    const int64_t existing = contents.rows;
    const int64_t target = profile.Target(static_cast<TableId>(i));
    plan->to_write[i] = std::max<int64_t>(0, target - existing - plan->fixtures[i]);
    plan->final_counts[i] = contents.generated + plan->to_write[i];
    TableReport& table = report->tables.emplace_back();
    table.table = tables[i]->name;
    table.target = target;
    table.before = planned_clear ? plan->cleared[i] : existing;
    table.after = existing;
    table.planned = plan->to_write[i];
    if (existing > target && profile.rows[i].has_value()) {
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
  SF_RETURN_IF_ERROR(MakeFleetConfig(profile, plan.final_counts)
                         .Validate()
                         .WithContext("profile " + profile.name));
  report->dry_run = true;
  const bool skip = plan.action == StartAction::kSkip;
  for (int i = 0; i < kTableCount; ++i) {
    TableReport& table = report->tables[static_cast<size_t>(i)];
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
std::array<GenerationSegment, kTableCount> PlanSegments(const Profile& profile, RunPlan* plan) {
  const auto fixture_keys = FixtureUniqueKeys(profile);
  std::array<TableContents, kTableCount>& contents = plan->contents;
  std::array<GenerationSegment, kTableCount> planned;
  for (int i = 0; i < kTableCount; ++i) {
    planned[i].table = std::string(kTableNames[i]);
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

// One job per table with rows to write, in TableId (load) order.
std::vector<TableJob> MakeJobs(const RunPlan& plan,
                               const std::array<GenerationSegment, kTableCount>& planned,
                               const std::vector<std::unique_ptr<TableGenerator>>& generators,
                               Format format) {
  const std::vector<int64_t> counts_to_record(plan.final_counts.begin(), plan.final_counts.end());
  std::vector<TableJob> jobs;
  for (int i = 0; i < kTableCount; ++i) {
    if (plan.to_write[i] == 0) continue;
    TableJob& job = jobs.emplace_back();
    job.table = static_cast<size_t>(i);
    job.generator = generators[static_cast<size_t>(i)].get();
    job.encoding = MakeEncoding(format, job.generator->schema());
    job.write.schema = &job.generator->schema();
    job.write.encoding = job.encoding.get();
    job.write.existing_rows = plan.contents[i].rows;
    job.write.rows_to_write = plan.to_write[i];
    job.write.first_row = plan.contents[i].generated;
    job.write.first_id = planned[i].first_id;
    job.write.row_counts = counts_to_record;
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
  for (int i = 0; i < kTableCount; ++i) {
    if (inserted[i] == 0) continue;
    TableReport& table = report->tables[static_cast<size_t>(i)];
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

  const std::vector<TableSchema>& schemas = FleetSchemas();
  std::vector<const TableSchema*> tables;
  for (const TableSchema& schema : schemas) tables.push_back(&schema);

  SF_RETURN_IF_ERROR(sink.Prepare());
  SF_RETURN_IF_ERROR(sink.CheckSchema(tables));
  RunPlan plan;
  SF_ASSIGN_OR_RETURN(plan.action, DecideStart(profile, sink, tables, options, &plan.cleared));
  SF_RETURN_IF_ERROR(PlanTables(profile, sink, tables, options, &plan, report));
  if (options.dry_run) {
    SF_RETURN_IF_ERROR(ReportDryRun(profile, sink, tables, plan, report));
    return complete();
  }
  if (plan.action == StartAction::kSkip) return complete();

  FleetConfig config = MakeFleetConfig(profile, plan.final_counts);
  SF_RETURN_IF_ERROR(config.Validate().WithContext("profile " + profile.name));
  SF_RETURN_IF_ERROR(sink.CreateSchema(tables));
  const std::array<GenerationSegment, kTableCount> planned = PlanSegments(profile, &plan);
  ApplyHistory(plan.contents, planned, &config);
  const auto generators = MakeFleetGenerators(config);

  std::vector<TableJob> jobs = MakeJobs(plan, planned, generators, options.format);
  std::vector<TableWrite> writes;
  for (const TableJob& job : jobs) writes.push_back(job.write);
  SF_RETURN_IF_ERROR(sink.BeginLoad(writes));
  for (TableJob& job : jobs) job.independent = sink.LoadsIndependently(job.write);

  const size_t wanted =
      std::min<size_t>(static_cast<size_t>(std::max(1, options.parallel_tables)), jobs.size());
  SF_ASSIGN_OR_RETURN(const auto extra_workers, OpenWorkers(sink, wanted));
  ProgressLine progress(options.show_progress);
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
