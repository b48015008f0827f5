// TEMPORARY until the engine branch lands: delete this file at merge
//
// The engine branch defines the generic MakeMappedGenerator and GenerationPlan's methods
// (generation_model.h); until then the declared model links against these: the wrapper maps
// nothing (every id stays index + 1), the plan's methods read history as FleetConfig's do.
#include <algorithm>
#include <iterator>
#include <memory>
#include <vector>

#include "generators/generation_model.h"

namespace seedforge {

const GenerationSegment* GenerationPlan::SegmentFor(size_t table, int64_t row) const {
  if (table >= history.size()) return nullptr;
  const std::vector<GenerationSegment>& segments = history[table];
  auto after = std::upper_bound(
      segments.begin(), segments.end(), row,
      [](int64_t value, const GenerationSegment& segment) { return value < segment.first_row; });
  return after == segments.begin() ? nullptr : &*std::prev(after);
}

std::span<const int64_t> GenerationPlan::CountsFor(size_t table, int64_t row) const {
  const GenerationSegment* segment = SegmentFor(table, row);
  if (segment == nullptr) return row_counts;
  return segment->model_row_counts;
}

int64_t GenerationPlan::IdOf(size_t table, int64_t row) const {
  const GenerationSegment* segment = SegmentFor(table, row);
  return segment == nullptr ? row + 1 : segment->FirstId() + (row - segment->first_row);
}

bool GenerationPlan::MovesIds(size_t table) const {
  if (table >= history.size()) return false;
  for (const GenerationSegment& segment : history[table]) {
    if (segment.FirstId() != segment.first_row + 1) return true;
  }
  return false;
}

std::unique_ptr<TableGenerator> MakeMappedGenerator(std::unique_ptr<TableGenerator> inner,
                                                    size_t table,
                                                    const std::vector<TableSchema>& schemas,
                                                    std::shared_ptr<const GenerationPlan> plan) {
  (void)table;
  (void)schemas;
  (void)plan;
  return inner;
}

}  // namespace seedforge
