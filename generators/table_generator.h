// Table generators: pure functions from a row index to a row.
//
// A TableGenerator turns row index i (id = i + 1) into one row, written column by column into a
// RowWriter. The row is a pure function of (seed, table, i), the profile's parameters and the
// final row counts of the parent tables (a child draws foreign keys from [1, parent count] and
// recomputes the parent attributes it needs). No clock, no global state, no thread id: the same
// config gives byte-identical rows on any thread count, batch size or machine.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/generation_segment.h"
#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "generators/fleet_parameters.h"

namespace seedforge {

struct FleetConfig {
  uint64_t seed = 42;
  // Time window of generated data, microseconds since the Unix epoch, [start, end).
  int64_t window_start_micros = 0;
  int64_t window_end_micros = 0;
  FleetParameters parameters;
  // Final row count of each table, indexed by TableId. Children draw foreign keys from
  // [1, row_counts[parent]]; a table's own count does not change its rows.
  std::array<int64_t, kTableCount> row_counts{};
  // Per table, sorted by first_row: the counts earlier rows were generated with. Rows no segment
  // covers (all rows of a fresh run) use row_counts.
  std::array<std::vector<GenerationSegment>, kTableCount> history{};

  // The counts row `row` of `table` is generated with: its segment's, else row_counts.
  // REQUIRES: every segment of `history` has kTableCount model_row_counts (ApplyHistory keeps
  // only those).
  std::span<const int64_t, kTableCount> CountsFor(TableId table, int64_t row) const;
  // The segment row `row` of `table` belongs to, or null (then its id is row + 1).
  const GenerationSegment* SegmentFor(TableId table, int64_t row) const;
  // The id of generated row `row` of `table`.
  int64_t IdOf(TableId table, int64_t row) const;
  // True when some row of `table` has an id other than index + 1.
  bool MovesIds(TableId table) const;

  // REQUIRES nothing; returns InvalidArgument naming the bad field.
  Status Validate() const;
};

class TableGenerator {
 public:
  virtual ~TableGenerator() = default;

  virtual const TableSchema& schema() const = 0;

  // Writes rows [begin, end) in index order, each as BeginRow(), one value per column, EndRow().
  // REQUIRES: 0 <= begin <= end. Thread-safe: const and pure, may be called concurrently.
  virtual void WriteRows(int64_t begin, int64_t end, RowWriter& out) const = 0;
};

// The five generators of the fleet model, in foreign-key order (users first, events last).
// Tables whose history moves ids or reserves unique values are wrapped in a MappedGenerator.
// REQUIRES: config.Validate().ok(). The generators keep a copy of the config.
std::vector<std::unique_ptr<TableGenerator>> MakeFleetGenerators(const FleetConfig& config);

// Wraps `inner` so that ids and foreign keys are written as config.IdOf gives them and unique
// keys avoid each segment's reserved values: a colliding value gets a suffix, "-2", "-3"... (or
// "+2" before the '@' of an e-mail address), on the key's first column. Other values pass
// through unchanged. REQUIRES: `inner` writes a table of `config`.
std::unique_ptr<TableGenerator> MakeMappedGenerator(std::unique_ptr<TableGenerator> inner,
                                                    TableId table,
                                                    std::shared_ptr<const FleetConfig> config);

// The schemas of the fleet model in load order, without needing a config.
const std::vector<TableSchema>& FleetSchemas();

// Returns the TableId for a table name, or false if there is no such table.
bool LookupTable(std::string_view name, TableId* id);

}  // namespace seedforge
