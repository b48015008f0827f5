// Internal to generators/values: Vose's alias table for weighted choices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "generators/counter_engine.h"

namespace seedforge::values::internal {

// Vose's alias table: O(1) per draw whatever the number of values; one 64-bit draw per pick
// (32 bits choose the column, 32 bits the coin). REQUIRES: weights >= 0, not all 0.
class AliasTable {
 public:
  explicit AliasTable(const std::vector<double>& weights) {
    const size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    probability_.assign(n, 0);
    alias_.assign(n, 0);
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      probability_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t i : large) probability_[i] = 1;
    for (uint32_t i : small) probability_[i] = 1;
  }

  size_t Draw(CounterEngine& engine) const {
    const uint64_t bits = engine();
    const size_t column = static_cast<size_t>(((bits >> 32) * probability_.size()) >> 32);
    const double coin = static_cast<double>(bits & 0xffffffffu) * 0x1.0p-32;
    return coin < probability_[column] ? column : alias_[column];
  }

 private:
  std::vector<double> probability_;
  std::vector<uint32_t> alias_;
};

}  // namespace seedforge::values::internal
