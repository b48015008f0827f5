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
#include <string>
#include <string_view>
#include <vector>

#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "generators/fleet_parameters.h"

namespace seedforge {

// The parent row counts a range of a table's rows was generated with: rows from `first_row` up
// to the next segment's first row. A table that was topped up after its parents grew has
// several; a child recomputing such a parent row must use that row's own counts.
struct GenerationSegment {
  int64_t first_row = 0;
  std::array<int64_t, kTableCount> row_counts{};
};

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
  const std::array<int64_t, kTableCount>& CountsFor(TableId table, int64_t row) const;

  // REQUIRES nothing; returns InvalidArgument naming the bad field.
  Status Validate() const;
};

class TableGenerator {
 public:
  virtual ~TableGenerator() = default;

  virtual TableId id() const = 0;
  virtual const TableSchema& schema() const = 0;

  // Writes rows [begin, end) in index order, each as BeginRow(), one value per column, EndRow().
  // REQUIRES: 0 <= begin <= end. Thread-safe: const and pure, may be called concurrently.
  virtual void WriteRows(int64_t begin, int64_t end, RowWriter& out) const = 0;
};

// The five generators of the fleet model, in foreign-key order (users first, events last).
// REQUIRES: config.Validate().ok(). The generators keep a copy of the config.
std::vector<std::unique_ptr<TableGenerator>> MakeFleetGenerators(const FleetConfig& config);

// The schemas of the fleet model in load order, without needing a config.
const std::vector<TableSchema>& FleetSchemas();

// Returns the TableId for a table name, or false if there is no such table.
bool LookupTable(std::string_view name, TableId* id);

}  // namespace seedforge
