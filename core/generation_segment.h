// One range of a table's generated rows and what it was generated with: the one segment type of
// generation history, shared by the generators (which recompute the rows from it), the sinks
// (which record and read it back) and the engine (which plans the next one).
//
// Row indices count generated rows only. A segment covers rows from `first_row` up to the next
// segment's first row (or `row_count` rows when that is known). Their ids are consecutive from
// FirstId(); a segment starts past the ids of rows seedforge did not make, which is how a top-up
// never collides with them. The generators compute ids as index + 1; a MappedGenerator
// (generators/table_generator.h, MakeMappedGenerator) turns those into the segment's ids, in the
// id column and in every foreign key, and moves unique values out of `reserved_keys`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace seedforge {

// Unique-key values that generated rows must not take, because rows seedforge did not make
// (fixtures, rows an application inserted) hold them. Each entry is an EncodeUniqueKey value.
using ReservedKeys = std::unordered_set<std::string>;

struct GenerationSegment {
  std::string table;      // the table the rows belong to (as history records it)
  int64_t first_row = 0;  // index of the segment's first generated row
  // Rows planned for the segment; -1: up to the next segment. A planned segment with no rows to
  // add has 0 (or -1).
  int64_t row_count = -1;
  // The final count of generated rows of every table of the model, in load order, for the run
  // that made these rows: children drew their foreign keys from those ranges.
  std::vector<int64_t> model_row_counts;
  int64_t first_id = 0;  // id of row first_row; 0: first_row + 1 (ids equal index + 1)
  std::shared_ptr<const ReservedKeys> reserved_keys;  // null or empty: none

  int64_t FirstId() const { return first_id == 0 ? first_row + 1 : first_id; }
};

}  // namespace seedforge
