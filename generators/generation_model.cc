// GenerationPlan: which counts and which ids the rows of a table are generated with.
#include "generators/generation_model.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace seedforge {

const GenerationSegment* GenerationPlan::SegmentFor(size_t table, int64_t row) const {
  if (table >= history.size()) return nullptr;
  const std::vector<GenerationSegment>& segments = history[table];
  // The last segment starting at or before `row`.
  auto after = std::upper_bound(
      segments.begin(), segments.end(), row,
      [](int64_t value, const GenerationSegment& segment) { return value < segment.first_row; });
  return after == segments.begin() ? nullptr : &*std::prev(after);
}

std::span<const int64_t> GenerationPlan::CountsFor(size_t table, int64_t row) const {
  const GenerationSegment* segment = SegmentFor(table, row);
  if (segment == nullptr) return row_counts;
  assert(segment->model_row_counts.size() == row_counts.size());
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

}  // namespace seedforge
