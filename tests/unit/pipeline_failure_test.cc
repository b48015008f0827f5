// The pipeline's and the scheduler's failure paths with several threads, with a fake sink and no
// server: the status a run returns is exactly the one that failed, and nothing is written after
// it. Both statuses are shared between threads (engine/pipeline.cc FirstFailure, the scheduler's
// job status in engine/run.cc), so these tests are also the ones a ThreadSanitizer build
// (SEEDFORGE_SANITIZE=thread) checks for races on them.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "generators/generation_model.h"
#include "generators/table_generator.h"
#include "sinks/encoding.h"
#include "tests/support/fake_sink.h"

namespace seedforge {
namespace {

using testing::FakeSink;
using testing::FakeTable;

// Two tables, declared here: assets (100 rows) and events (200 rows, each naming an asset), with
// values that vary from row to row so that equal bytes mean equal rows.
Profile TwoTableProfile() {
  StatusOr<Profile> profile = ParseProfile(R"({"name": "two", "tables": {
    "assets": {"rows": 100, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "asset_tag": {"type": "text", "gen": "pattern", "format": "AST-#####", "unique": true}}},
    "events": {"rows": 200, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "asset_id": {"type": "bigint", "gen": "ref", "to": "assets"},
      "severity": {"type": "text", "gen": "choice", "values": ["info", "warning", "error"]},
      "occurred_at": {"type": "timestamptz", "gen": "timestamp"}}}}})",
                                           "two.json", "");
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  return *std::move(profile);
}

// Runs rows [0, 200) of events through RunPipeline into `sink` with one-row batches.
Status RunEventsPipeline(FakeSink& sink, int threads) {
  const Profile profile = TwoTableProfile();
  const int events_table = profile.FindTable("events");
  EXPECT_GE(events_table, 0);
  std::vector<int64_t> counts;
  for (size_t t = 0; t < profile.schemas().size(); ++t) counts.push_back(profile.Target(t));
  EXPECT_EQ(counts[static_cast<size_t>(events_table)], 200);
  EXPECT_TRUE(profile.model->CheckCounts(counts).ok());
  const auto plan = std::make_shared<const GenerationPlan>(MakeGenerationPlan(profile, counts));
  const auto generators = profile.model->MakeGenerators(plan);
  const TableGenerator& events = *generators[static_cast<size_t>(events_table)];
  const auto encoding = MakeEncoding(Format::kCopyText, events.schema());
  TableWrite write;
  write.schema = &events.schema();
  write.encoding = encoding.get();
  write.rows_to_write = 200;
  EXPECT_TRUE(sink.BeginTable(write).ok());
  PipelineOptions options;
  options.threads = threads;
  options.batch_rows = 1;
  options.tokens = 8;
  return RunPipeline(events, *encoding, 0, 200, sink, options);
}

TEST(PipelineFailureTest, FailingBatchIsTheStatusReturnedAndNothingIsWrittenAfterIt) {
  for (const int threads : {1, 2}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    FakeSink sink;
    sink.FailAt("WriteBatch", "events", 7, IoError("disk on fire"));
    const Status status = RunEventsPipeline(sink, threads);
    EXPECT_EQ(status.code(), StatusCode::kIoError);
    EXPECT_EQ(status.message(), "disk on fire");
    // The sink stage is serial and in order: six batches of one row, the seventh failed, and no
    // batch in flight reached the sink afterwards.
    EXPECT_EQ(sink.CallsStartingWith("WriteBatch events").size(), 7u);
    const FakeTable* events = sink.Find("events");
    ASSERT_NE(events, nullptr);
    EXPECT_EQ(events->batch_rows, std::vector<int64_t>(6, 1));
  }
}

TEST(PipelineFailureTest, WithoutFailureEveryRowIsWrittenOnceInOrder) {
  FakeSink reference;
  ASSERT_TRUE(RunEventsPipeline(reference, 1).ok());
  FakeSink sink;
  ASSERT_TRUE(RunEventsPipeline(sink, 2).ok());
  EXPECT_EQ(sink.Find("events")->batch_rows, std::vector<int64_t>(200, 1));
  EXPECT_EQ(sink.Find("events")->bytes, reference.Find("events")->bytes);
  EXPECT_EQ(sink.Rows("events").size(), 200u);
}

// Two tables written at the same time by two workers; one fails while the other is in progress.
// The failure is the run's status (the other table, stopped because of it, ends kCancelled or
// completes, and neither replaces it).
TEST(SchedulerFailureTest, FailureOfOneOfTwoParallelTablesIsTheRunsStatus) {
  const Profile profile = TwoTableProfile();
  for (int attempt = 0; attempt < 5; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    FakeSink sink;
    sink.SetWorkers(1);
    // events (200 rows) starts first, assets (100) second; events' 2nd batch fails once both
    // have begun.
    sink.FailAt("WriteBatch", "events", 2, IoError("events disk on fire"), 2);
    RunOptions options;
    options.pipeline.threads = 2;
    options.pipeline.batch_rows = 10;
    options.format = Format::kCopyText;
    options.parallel_tables = 2;
    RunReport report;
    const Status status = RunProfile(profile, sink, options, &report);
    EXPECT_EQ(status.code(), StatusCode::kIoError);
    EXPECT_EQ(status.message(), "events disk on fire");
    const FakeTable* events = sink.Find("events");
    ASSERT_NE(events, nullptr);
    EXPECT_TRUE(events->aborted);
    EXPECT_EQ(events->batch_rows, std::vector<int64_t>{10});
    EXPECT_EQ(sink.Calls().back(), "FinishLoad");
    EXPECT_FALSE(report.completed);
  }
}

}  // namespace
}  // namespace seedforge
