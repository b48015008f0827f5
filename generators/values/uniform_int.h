// Uniform integers in fixed bounds, as Boost.Random draws them, with the bounds' arithmetic done
// once.
//
// boost::random::uniform_int_distribution<T>(min, max)(engine) on a 64-bit engine divides twice
// per draw: once to size the buckets the engine's range is cut into (a function of the bounds
// alone), once to find the draw's bucket. A generator whose bounds are fixed at compile time
// keeps a UniformInt instead: the bucket size is computed in the constructor, each draw divides
// once, and every draw is the one Boost's distribution gives for the same engine state (see
// generate_uniform_int in boost/random/uniform_int_distribution.hpp; tests/unit compares them).
//
// Thread-safe: immutable after construction.
#pragma once

#include <cstdint>
#include <type_traits>

#include "generators/counter_engine.h"

namespace seedforge::values {

template <typename T>
class UniformInt {
  static_assert(std::is_integral_v<T> && sizeof(T) == 8, "64-bit integers only");

 public:
  // REQUIRES: min <= max.
  UniformInt(T min, T max)
      : min_(static_cast<uint64_t>(min)), range_(static_cast<uint64_t>(max) - min_) {
    constexpr uint64_t kEngineRange = ~uint64_t{0};
    if (range_ == 0 || range_ == kEngineRange) return;
    bucket_size_ = kEngineRange / (range_ + 1);
    if (kEngineRange % (range_ + 1) == range_) ++bucket_size_;
  }

  T operator()(CounterEngine& engine) const {
    if (range_ == 0) return static_cast<T>(min_);
    if (bucket_size_ == 0) return static_cast<T>(engine() + min_);  // the engine's whole range
    for (;;) {
      const uint64_t bucket = engine() / bucket_size_;
      if (bucket <= range_) return static_cast<T>(bucket + min_);
    }
  }

 private:
  uint64_t min_;
  uint64_t range_;
  uint64_t bucket_size_ = 0;
};

}  // namespace seedforge::values
