// Orchestration of one run. Errors in the plan (a child whose required parent has no rows) are
// found before the sink creates anything, so bad input leaves the database as it was.
#include "engine/run.h"

#include <algorithm>
#include <chrono>

#include "engine/progress.h"

namespace seedforge {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

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
  std::array<int64_t, kTableCount> final_counts{};
  for (int i = 0; i < kTableCount; ++i) {
    SF_ASSIGN_OR_RETURN(const int64_t existing, sink.ExistingRows(*tables[i]));
    const int64_t target = profile.Target(static_cast<TableId>(i));
    final_counts[i] = std::max(existing, target);
    TableReport& table = report->tables.emplace_back();
    table.table = tables[i]->name;
    table.target = target;
    table.before = existing;
    table.after = existing;
    if (existing > target && profile.rows[i].has_value()) {
      table.note = "has " + GroupDigits(existing) + " rows, above the target " +
                   GroupDigits(target) + ": nothing deleted";
    }
  }
  const FleetConfig config = MakeFleetConfig(profile, final_counts);
  SF_RETURN_IF_ERROR(config.Validate().WithContext("profile " + profile.name));
  SF_RETURN_IF_ERROR(sink.CreateSchema(tables));

  const auto generators = MakeFleetGenerators(config);
  ProgressLine progress(options.show_progress);
  for (int i = 0; i < kTableCount; ++i) {
    TableReport& table = report->tables[static_cast<size_t>(i)];
    if (table.target <= table.before) continue;
    const TableGenerator& generator = *generators[static_cast<size_t>(i)];
    const auto encoding = MakeEncoding(options.format, generator.schema());
    TableWrite write;
    write.schema = &generator.schema();
    write.encoding = encoding.get();
    write.existing_rows = table.before;
    write.rows_to_write = table.target - table.before;

    const auto started = std::chrono::steady_clock::now();
    Status status = sink.BeginTable(write);
    PipelineOptions pipeline = options.pipeline;
    pipeline.on_progress = [&](int64_t done) { progress.Update(done); };
    progress.StartTable(table.table, write.rows_to_write);
    if (status.ok()) {
      status = RunPipeline(generator, *encoding, table.before, table.target, sink, pipeline);
    }
    if (status.ok()) status = sink.EndTable();
    progress.Finish();
    table.seconds = SecondsSince(started);
    table.bytes = sink.bytes_written();
    if (!status.ok()) {
      sink.AbortTable();
      // In append mode whole batches were committed before the failure; count them again.
      auto now = sink.ExistingRows(*tables[static_cast<size_t>(i)]);
      if (now.ok()) {
        table.after = *now;
        table.written = *now - table.before;
      }
      report->seconds = SecondsSince(run_started);
      return status;
    }
    table.written = write.rows_to_write;
    table.after = table.target;
    table.method = sink.method();
  }
  report->seconds = SecondsSince(run_started);
  report->completed = true;
  return Status::Ok();
}

}  // namespace seedforge
