// Generation speed per table and for the whole `large` mix, into the null sink (nothing is
// written anywhere), with and without encoding, on one and two threads.
//
//   build/bench/generation_bench --benchmark_counter_table=true
//
// items_per_second is rows/s; bytes_per_second is the encoded output rate.
#include <benchmark/benchmark.h>

#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "sinks/encoding.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

const Format kFormats[] = {Format::kNull, Format::kCopyText, Format::kCopyBinary};

struct Fixture {
  Profile profile;
  std::vector<std::unique_ptr<TableGenerator>> generators;

  Fixture() {
    profile = *LoadProfile("large");
    std::vector<int64_t> counts(profile.schemas().size());
    for (size_t i = 0; i < counts.size(); ++i) counts[i] = profile.Target(i);
    generators = profile.model->MakeGenerators(
        std::make_shared<const GenerationPlan>(MakeGenerationPlan(profile, counts)));
  }
};

const Fixture& GetFixture() {
  static const Fixture fixture;
  return fixture;
}

// Args: table index, threads, format index.
void BM_GenerateTable(benchmark::State& state) {
  const Fixture& fixture = GetFixture();
  const auto table = static_cast<size_t>(state.range(0));
  const TableGenerator& generator = *fixture.generators[table];
  const int64_t rows = fixture.profile.Target(table);
  const auto encoding = MakeEncoding(kFormats[state.range(2)], generator.schema());
  auto sink = MakeNullSink();
  PipelineOptions options;
  options.threads = static_cast<int>(state.range(1));
  int64_t bytes = 0;
  for (auto _ : state) {
    (void)sink->BeginTable({});
    const Status status = RunPipeline(generator, *encoding, 0, rows, *sink, options);
    if (!status.ok()) state.SkipWithError(status.message().c_str());
    bytes += sink->bytes_written();
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(bytes);
  state.SetLabel(generator.schema().name + " " + std::string(FormatName(kFormats[state.range(2)])));
}

// The whole large profile (166,000 rows), table after table. Args: threads, format index.
void BM_LargeMix(benchmark::State& state) {
  const Fixture& fixture = GetFixture();
  auto sink = MakeNullSink();
  PipelineOptions options;
  options.threads = static_cast<int>(state.range(0));
  int64_t rows = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    for (size_t t = 0; t < fixture.generators.size(); ++t) {
      const TableGenerator& generator = *fixture.generators[t];
      const auto encoding = MakeEncoding(kFormats[state.range(1)], generator.schema());
      const int64_t count = fixture.profile.Target(t);
      (void)sink->BeginTable({});
      const Status status = RunPipeline(generator, *encoding, 0, count, *sink, options);
      if (!status.ok()) state.SkipWithError(status.message().c_str());
      rows += count;
      bytes += sink->bytes_written();
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(bytes);
  state.SetLabel(std::string("large mix ") + std::string(FormatName(kFormats[state.range(1)])));
}

BENCHMARK(BM_GenerateTable)
    ->ArgsProduct({{0, 1, 2, 3, 4}, {1, 2}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LargeMix)
    ->ArgsProduct({{1, 2}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace seedforge

BENCHMARK_MAIN();
