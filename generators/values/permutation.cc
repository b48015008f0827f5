// Six Feistel rounds: each maps (left, right) to (right, left ^ F(right)), a bijection whatever F
// is. Four rounds already pass simple statistical tests for a Luby-Rackoff construction; six
// keep small domains (a few bits per half) from showing visible structure.
#include "generators/values/permutation.h"

#include "generators/counter_engine.h"

namespace seedforge::values {

Permutation::Permutation(uint64_t key, uint64_t n) : n_(n) {
  int bits = 2;
  while (bits < 64 && (uint64_t{1} << bits) < n) bits += 2;
  half_bits_ = bits / 2;
  half_mask_ = half_bits_ >= 64 ? ~uint64_t{0} : (uint64_t{1} << half_bits_) - 1;
  for (int round = 0; round < 6; ++round) round_keys_[round] = Mix64(key + 0x51ed27u * (round + 1));
}

uint64_t Permutation::Feistel(uint64_t x) const {
  uint64_t left = x >> half_bits_;
  uint64_t right = x & half_mask_;
  for (uint64_t round_key : round_keys_) {
    const uint64_t mixed = left ^ (Mix64(right ^ round_key) & half_mask_);
    left = right;
    right = mixed;
  }
  return left << half_bits_ | right;
}

uint64_t Permutation::Apply(uint64_t x) const {
  do {
    x = Feistel(x);
  } while (x >= n_);
  return x;
}

}  // namespace seedforge::values
