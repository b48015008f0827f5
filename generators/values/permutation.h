// A keyed bijection of [0, n): random-looking unique numbers without a set in memory.
//
// A balanced Feistel network over the smallest even number of bits 2h with 2^2h >= n permutes
// [0, 2^2h); cycle-walking (apply again while the result is >= n) restricts it to [0, n) and stays
// a bijection, because the walk from a value in [0, n) follows its cycle to the next value in
// [0, n). The domain is at most 4n, so a walk takes fewer than 4 steps on average. Rounds use
// Mix64 of the key, the round number and the half, so different keys give unrelated orders.
//
// Thread-safe: immutable after construction.
#pragma once

#include <cstdint>

namespace seedforge::values {

class Permutation {
 public:
  // REQUIRES: n >= 1.
  Permutation(uint64_t key, uint64_t n);

  uint64_t size() const { return n_; }
  // The image of `x`. REQUIRES: x < size().
  uint64_t Apply(uint64_t x) const;

 private:
  uint64_t Feistel(uint64_t x) const;

  uint64_t n_;
  int half_bits_;
  uint64_t half_mask_;
  uint64_t round_keys_[6];
};

}  // namespace seedforge::values
