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

struct TableJob {
  size_t table = 0;  // index into the report and the model (TableId order)
  const TableGenerator* generator = nullptr;
  std::unique_ptr<Encoding> encoding;
  TableWrite write;
  bool independent = false;
  bool started = false;
  bool done = false;
  Status status;
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

  void Done(TableJob* job) {
    std::lock_guard<std::mutex> lock(mutex_);
    job->done = true;
    changed_.notify_all();
  }

  void Fail() {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_ = true;
    changed_.notify_all();
  }

 private:
  std::vector<TableJob>& jobs_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool failed_ = false;
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
    const TableSegment& last = contents.segments.back();
    next = last.FirstId() + (contents.generated - last.first_row);
  }
  return contents.max_id >= next ? contents.max_id + 1 : next;
}

void ApplyHistory(const std::array<TableContents, kTableCount>& contents,
                  const std::array<PlannedSegment, kTableCount>& planned, FleetConfig* config) {
  for (int i = 0; i < kTableCount; ++i) {
    auto& segments = config->history[i];
    segments.clear();
    for (const TableSegment& segment : contents[i].segments) {
      if (segment.row_counts.size() != static_cast<size_t>(kTableCount)) continue;
      if (segment.first_row >= contents[i].generated) continue;  // describes rows that are gone
      GenerationSegment& kept = segments.emplace_back();
      kept.first_row = segment.first_row;
      std::copy(segment.row_counts.begin(), segment.row_counts.end(), kept.row_counts.begin());
      kept.first_id = segment.FirstId();
      if (!segment.reserved.empty()) {
        kept.reserved =
            std::make_shared<const ReservedKeys>(segment.reserved.begin(), segment.reserved.end());
      }
    }
    const PlannedSegment& next = planned[i];
    const bool moved = next.first_id != 0 && next.first_id != contents[i].generated + 1;
    const bool reserves = next.reserved != nullptr && !next.reserved->empty();
    // The rows this run adds are generated with its own counts.
    if (next.writing && (!segments.empty() || moved || reserves)) {
      GenerationSegment& added = segments.emplace_back();
      added.first_row = contents[i].generated;
      added.row_counts = config->row_counts;
      added.first_id = next.first_id;
      added.reserved = next.reserved;
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

Status RunProfile(const Profile& profile, Sink& sink, const RunOptions& options,
                  RunReport* report) {
  const auto run_started = std::chrono::steady_clock::now();
  SF_RETURN_IF_ERROR(options.pipeline.Validate());
  report->profile = profile.name;
  report->profile_source = profile.source;
  report->seed = profile.seed;
  report->threads = ResolveThreads(options.pipeline.threads);
  report->batch_rows = options.pipeline.batch_rows;
  report->format = std::string(FormatName(options.format));
  report->sink = sink.description();
  report->completed = false;
  report->tables.clear();

  const std::vector<TableSchema>& schemas = FleetSchemas();
  std::vector<const TableSchema*> tables;
  for (const TableSchema& schema : schemas) tables.push_back(&schema);

  SF_RETURN_IF_ERROR(sink.Prepare());
  SF_RETURN_IF_ERROR(sink.CheckSchema(tables));
  std::array<int64_t, kTableCount> cleared{};
  SF_ASSIGN_OR_RETURN(const StartAction action,
                      DecideStart(profile, sink, tables, options, &cleared));
  // What every table holds. Rows seedforge did not make (fixtures, rows of the application)
  // count towards the target but are never regenerated: new rows continue the generated ones.
  // A dry run plans a clear as if it had happened: every table empty, every fixture absent.
  const bool planned_clear = options.dry_run && action == StartAction::kClearThenWrite;
  std::array<int64_t, kTableCount> fixtures{};
  if (planned_clear) {
    for (int i = 0; i < kTableCount; ++i) {
      fixtures[i] = static_cast<int64_t>(profile.fixtures[static_cast<size_t>(i)].rows.size());
    }
  } else if (options.count_fixtures && action != StartAction::kSkip) {
    SF_ASSIGN_OR_RETURN(fixtures, options.count_fixtures());
  }
  const auto fixture_keys = FixtureUniqueKeys(profile);
  std::array<TableContents, kTableCount> contents;
  std::array<int64_t, kTableCount> final_counts{};  // generated rows once the run is done
  std::array<int64_t, kTableCount> to_write{};
  for (int i = 0; i < kTableCount; ++i) {
    if (planned_clear) {
      contents[i] = TableContents{};
    } else {
      SF_ASSIGN_OR_RETURN(contents[i], sink.ReadContents(*tables[i]));
    }
    const int64_t existing = contents[i].rows;
    const int64_t target = profile.Target(static_cast<TableId>(i));
    to_write[i] = std::max<int64_t>(0, target - existing - fixtures[i]);
    final_counts[i] = contents[i].generated + to_write[i];
    TableReport& table = report->tables.emplace_back();
    table.table = tables[i]->name;
    table.target = target;
    table.before = planned_clear ? cleared[i] : existing;
    table.after = existing;
    table.planned = to_write[i];
    if (existing > target && profile.rows[i].has_value()) {
      table.note = "has " + GroupDigits(existing) + " rows, above the target " +
                   GroupDigits(target) + ": nothing deleted";
    }
    if (cleared[i] > 0) {
      table.note =
          (options.dry_run ? "would clear " : "cleared ") + GroupDigits(cleared[i]) + " rows first";
    }
  }
  if (options.dry_run) {
    SF_RETURN_IF_ERROR(
        MakeFleetConfig(profile, final_counts).Validate().WithContext("profile " + profile.name));
    report->dry_run = true;
    for (int i = 0; i < kTableCount; ++i) {
      TableReport& table = report->tables[static_cast<size_t>(i)];
      table.fixtures = action == StartAction::kSkip ? 0 : fixtures[i];
      if (action == StartAction::kSkip) table.planned = 0;
      if (table.planned == 0) continue;
      TableWrite write;
      write.schema = tables[i];
      write.existing_rows = contents[i].rows;
      write.rows_to_write = to_write[i];
      SF_ASSIGN_OR_RETURN(table.method, sink.PlannedMethod(write));
    }
    report->seconds = SecondsSince(run_started);
    report->completed = true;
    return Status::Ok();
  }
  if (action == StartAction::kSkip) {
    report->seconds = SecondsSince(run_started);
    report->completed = true;
    return Status::Ok();
  }
  FleetConfig config = MakeFleetConfig(profile, final_counts);
  SF_RETURN_IF_ERROR(config.Validate().WithContext("profile " + profile.name));
  SF_RETURN_IF_ERROR(sink.CreateSchema(tables));
  std::array<PlannedSegment, kTableCount> planned;
  for (int i = 0; i < kTableCount; ++i) {
    planned[i].writing = to_write[i] > 0;
    planned[i].first_id = NextGeneratedId(contents[i]);
    // New rows keep clear of the unique values of other rows and of every fixture.
    std::vector<std::string>& reserved = contents[i].foreign_keys;
    reserved.insert(reserved.end(), fixture_keys[i].begin(), fixture_keys[i].end());
    std::sort(reserved.begin(), reserved.end());
    reserved.erase(std::unique(reserved.begin(), reserved.end()), reserved.end());
    if (!reserved.empty()) {
      planned[i].reserved = std::make_shared<const ReservedKeys>(reserved.begin(), reserved.end());
    }
  }
  ApplyHistory(contents, planned, &config);
  const std::vector<int64_t> counts_to_record(final_counts.begin(), final_counts.end());

  const auto generators = MakeFleetGenerators(config);

  std::vector<TableJob> jobs;
  std::vector<TableWrite> writes;
  int64_t total_rows = 0;
  for (int i = 0; i < kTableCount; ++i) {
    if (to_write[i] == 0) continue;
    TableJob& job = jobs.emplace_back();
    job.table = static_cast<size_t>(i);
    job.generator = generators[static_cast<size_t>(i)].get();
    job.encoding = MakeEncoding(options.format, job.generator->schema());
    job.write.schema = &job.generator->schema();
    job.write.encoding = job.encoding.get();
    job.write.existing_rows = contents[i].rows;
    job.write.rows_to_write = to_write[i];
    job.write.first_row = contents[i].generated;
    job.write.first_id = planned[i].first_id;
    job.write.row_counts = counts_to_record;
    job.write.reserved = contents[i].foreign_keys;
    writes.push_back(job.write);
    total_rows += job.write.rows_to_write;
  }
  SF_RETURN_IF_ERROR(sink.BeginLoad(writes));
  for (TableJob& job : jobs) job.independent = sink.LoadsIndependently(job.write);

  std::vector<Sink*> workers = {&sink};
  std::vector<std::unique_ptr<Sink>> owned_workers;
  const size_t wanted =
      std::min<size_t>(static_cast<size_t>(std::max(1, options.parallel_tables)), jobs.size());
  while (workers.size() < wanted) {
    SF_ASSIGN_OR_RETURN(std::unique_ptr<Sink> worker, sink.OpenWorker());
    if (worker == nullptr) break;
    workers.push_back(worker.get());
    owned_workers.push_back(std::move(worker));
  }

  ProgressLine progress(options.show_progress);
  progress.Start(report->command.empty() ? "writing" : report->command, total_rows);
  Scheduler scheduler(jobs);
  std::atomic<bool> abort{false};
  auto work = [&](Sink& worker) {
    while (TableJob* job = scheduler.Next()) {
      TableReport& table = report->tables[job->table];
      progress.TableStarted(table.table, job->write.rows_to_write);
      job->status = WriteTable(*job, worker, options, &abort, progress, &table);
      progress.TableFinished(table.table);
      if (!job->status.ok()) {
        abort = true;
        scheduler.Fail();
      }
      scheduler.Done(job);
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
  report->seconds = SecondsSince(run_started);
  // The first failure in load order is the cause; later ones were stopped because of it.
  Status first;
  for (const TableJob& job : jobs) {
    if (job.status.ok()) continue;
    if (first.ok() || first.code() == StatusCode::kCancelled) first = job.status;
  }
  if (!first.ok()) {
    // Best effort: put back the foreign keys parked for tables that did commit, so a run stopped
    // by a signal or a failing table leaves a whole schema; if it cannot, the journal keeps them
    // for the next run.
    (void)sink.FinishLoad();
    return first;
  }
  progress.TableStarted("foreign keys");
  const Status finished = sink.FinishLoad();
  progress.Finish();
  SF_RETURN_IF_ERROR(finished);
  if (options.insert_fixtures) {
    SF_FAILPOINT("run.before_fixtures", "");
    SF_ASSIGN_OR_RETURN(const auto inserted, options.insert_fixtures());
    for (int i = 0; i < kTableCount; ++i) {
      if (inserted[i] == 0) continue;
      TableReport& table = report->tables[static_cast<size_t>(i)];
      table.after += inserted[i];
      table.fixtures = inserted[i];
    }
  }
  report->seconds = SecondsSince(run_started);
  report->completed = true;
  return Status::Ok();
}

}  // namespace seedforge
