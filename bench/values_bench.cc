// Speed of a compiled RowProgram of eight typical columns (ids, names, a unique e-mail
// template, a weighted timestamp, a weighted status, a log-normal amount, a dependent case):
// rows computed into a reused scratch, nothing encoded or written.
//
//   build/bench/values_bench
//
// items_per_second is rows/s on one thread.
#include <benchmark/benchmark.h>

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

BENCHMARK_MAIN();
