// Table generators: pure functions from a row index to a row.
//
// A TableGenerator turns row index i (id = i + 1) into one row, written column by column into a
// RowWriter. The row is a pure function of (seed, table, i), the profile's declaration and the
// final row counts of the parent tables (a child draws foreign keys from [1, parent count] and
// recomputes the parent attributes it needs). No clock, no global state, no thread id: the same
// plan gives byte-identical rows on any thread count, batch size or machine. The declared
// tables' generators are in generators/declared/; the model interface in generation_model.h.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/generation_segment.h"
#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"

namespace seedforge {

class TableGenerator {
 public:
  virtual ~TableGenerator() = default;

  virtual const TableSchema& schema() const = 0;

  // Writes rows [begin, end) in index order, each as BeginRow(), one value per column, EndRow().
  // REQUIRES: 0 <= begin <= end. Thread-safe: const and pure, may be called concurrently.
  virtual void WriteRows(int64_t begin, int64_t end, RowWriter& out) const = 0;
};

}  // namespace seedforge
