// Speed of a compiled RowProgram of eight typical columns (ids, names, a unique e-mail
// template, a weighted timestamp, a weighted status, a log-normal amount, a dependent case):
// rows computed into a reused scratch, nothing encoded or written.
//
//   build/bench/values_bench
//
// items_per_second is rows/s on one thread. BM_DeclaredTable writes whole rows through a
// declared TableGenerator (generators/declared) into a RowWriter that discards them: /0 a table
// of five columns, /1 a per-parent child of it (parent, index_in_parent, a lookup, a time after
// it).
#include <benchmark/benchmark.h>

#include "generators/declared/declared_tables.h"
#include "generators/values/row_program.h"

namespace seedforge::values {
namespace {

constexpr const char* kColumns = R"({
  "id": {"gen": "id"},
  "first_name": {"gen": "first_name"},
  "last_name": {"gen": "last_name"},
  "email": {"gen": "template", "format": "{first_name}.{last_name}{n}@example.com",
            "lower": true, "unique": true},
  "created_at": {"gen": "timestamp", "weekly": [5, 5, 5, 5, 5, 1, 1]},
  "status": {"gen": "choice", "values": ["active", "suspended", "closed"],
             "weights": [90, 7, 3]},
  "balance": {"gen": "lognormal", "median": 120, "sigma": 1.2, "scale": 2, "min": 0},
  "closed_at": {"gen": "case", "on": "status", "cases": {"closed": {
      "gen": "after", "of": "created_at", "by": {"gen": "exponential", "mean": "90d"}}}}})";

void BM_RowProgramEightColumns(benchmark::State& state) {
  CompileOptions options;
  options.seed = 42;
  auto program = RowProgram::Compile("accounts", kColumns, options);
  if (!program.ok()) {
    state.SkipWithError(program.status().message().c_str());
    return;
  }
  RowScratch scratch = program->NewScratch();
  uint64_t row = 0;
  for (auto _ : state) {
    program->ComputeRow(row++, &scratch);
    benchmark::DoNotOptimize(scratch.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(row));
}
BENCHMARK(BM_RowProgramEightColumns);

void BM_WalkPrice(benchmark::State& state) {
  CompileOptions options;
  auto program = RowProgram::Compile("prices", R"({
    "symbol": {"gen": "catalog", "catalog": "coins", "field": "symbol", "cycle": true},
    "observed_at": {"gen": "monotone_time", "every": "1h", "per": 12, "jitter": false},
    "price": {"gen": "walk", "series": "symbol", "along": "observed_at", "start": 100,
              "scale": 2}})",
                                     options);
  if (!program.ok()) {
    state.SkipWithError(program.status().message().c_str());
    return;
  }
  RowScratch scratch = program->NewScratch();
  uint64_t row = 0;
  for (auto _ : state) {
    program->ComputeRow(row++, &scratch);
    benchmark::DoNotOptimize(scratch.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(row));
}
BENCHMARK(BM_WalkPrice);

}  // namespace
}  // namespace seedforge::values

namespace seedforge::declared_bench {

// Takes every value and keeps nothing.
class NullWriter final : public RowWriter {
 public:
  void BeginRow() override {}
  void EndRow() override {}
  void Int64(int64_t v) override { benchmark::DoNotOptimize(v); }
  void Int32(int32_t v) override { benchmark::DoNotOptimize(v); }
  void Int16(int16_t v) override { benchmark::DoNotOptimize(v); }
  void Bool(bool v) override { benchmark::DoNotOptimize(v); }
  void Text(std::string_view v) override { benchmark::DoNotOptimize(v.data()); }
  void Timestamp(int64_t v) override { benchmark::DoNotOptimize(v); }
  void Numeric2(int64_t v) override { benchmark::DoNotOptimize(v); }
  void Numeric(int64_t v, int) override { benchmark::DoNotOptimize(v); }
  void Inet4(uint32_t v) override { benchmark::DoNotOptimize(v); }
  void MacAddr(const uint8_t (&)[6]) override {}
  void Json(std::string_view v) override { benchmark::DoNotOptimize(v.data()); }
  void Null() override {}
};

// clang-format off
constexpr const char* kTables = R"json({
  "travelers": {
    "rows": 1000000,
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "job_number": {"type": "varchar(16)", "gen": "pattern", "format": "JOB-######", "unique": true},
      "quantity": {"type": "integer", "gen": "uniform", "min": 1, "max": 500, "step": 1},
      "created_at": {"type": "timestamptz", "gen": "monotone_time", "every": "1m"},
      "customer": {"type": "text", "gen": "company"}
    }
  },
  "routing_steps": {
    "rows": {"per": "travelers", "min": 1, "max": 12},
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "traveler_id": {"type": "bigint", "gen": "parent"},
      "step_number": {"type": "integer", "gen": "index_in_parent"},
      "traveler_created": {"gen": "lookup", "via": "traveler_id", "column": "created_at"},
      "started_at": {"type": "timestamptz", "gen": "after", "of": "traveler_created",
                     "by": {"gen": "exponential", "mean": "2h"}}
    }
  }
})json";
// clang-format on

// Writes batches of 4096 rows of table state.range(0) (0: travelers, 1: routing_steps).
void BM_DeclaredTable(benchmark::State& state) {
  DeclareOptions options;
  options.origin = "bench";
  auto tables = CompileDeclaredTables(kTables, options);
  if (!tables.ok()) {
    state.SkipWithError(tables.status().message().c_str());
    return;
  }
  const GenerationModel& model = *tables->model;
  auto plan = std::make_shared<GenerationPlan>();
  plan->seed = options.seed;
  plan->window_start_micros = options.window_start_micros;
  plan->window_end_micros = options.window_end_micros;
  plan->row_counts = {1'000'000, 0};
  plan->row_counts[1] = *model.DerivedCount(1, 42, plan->row_counts);
  plan->history.resize(2);
  auto generators = model.MakeGenerators(plan);
  const size_t table = static_cast<size_t>(state.range(0));
  const int64_t rows = plan->row_counts[table];
  constexpr int64_t kBatch = 4096;
  NullWriter writer;
  int64_t begin = 0, written = 0;
  for (auto _ : state) {
    if (begin + kBatch > rows) begin = 0;
    generators[table]->WriteRows(begin, begin + kBatch, writer);
    begin += kBatch;
    written += kBatch;
  }
  state.SetItemsProcessed(written);
}
BENCHMARK(BM_DeclaredTable)->Arg(0)->Arg(1);

}  // namespace seedforge::declared_bench

BENCHMARK_MAIN();
