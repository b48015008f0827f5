// values::UniformInt draws what Boost.Random's uniform_int_distribution draws, draw for draw,
// for bounds of every shape (the generated data depends on it: golden fingerprints would move).
#include "generators/values/uniform_int.h"

#include <gtest/gtest.h>

#include <boost/random/uniform_int_distribution.hpp>
#include <limits>

namespace seedforge::values {
namespace {

template <typename T>
void ExpectSameAsBoost(T min, T max) {
  const UniformInt<T> fixed(min, max);
  boost::random::uniform_int_distribution<T> boost_pick(min, max);
  for (uint64_t row = 0; row < 20000; ++row) {
    CounterEngine ours = CounterEngine::ForStream(0x5eed, row, 0);
    CounterEngine theirs = CounterEngine::ForStream(0x5eed, row, 0);
    // Three draws per engine: the second and third start from where a rejection left it.
    for (int draw = 0; draw < 3; ++draw) {
      const T expected = boost_pick(theirs);
      ASSERT_EQ(fixed(ours), expected) << "[" << min << ", " << max << "] row " << row;
    }
  }
}

TEST(UniformIntTest, SignedBoundsDrawAsBoostDoes) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  ExpectSameAsBoost<int64_t>(0, 0);
  ExpectSameAsBoost<int64_t>(-5, -5);
  ExpectSameAsBoost<int64_t>(0, 1);
  ExpectSameAsBoost<int64_t>(0, 9);
  ExpectSameAsBoost<int64_t>(-3, 3);
  ExpectSameAsBoost<int64_t>(0, 3'599'999'999);           // microseconds in an hour
  ExpectSameAsBoost<int64_t>(0, (int64_t{1} << 32) - 1);  // a power of two
  ExpectSameAsBoost<int64_t>(1'704'067'200'000'000, 1'767'225'599'999'999);
  ExpectSameAsBoost<int64_t>(kMin, -1);
  ExpectSameAsBoost<int64_t>(kMin / 2 - 7, kMax / 2 + 11);  // more than half the engine's range
  ExpectSameAsBoost<int64_t>(kMin, kMax - 1);
  ExpectSameAsBoost<int64_t>(kMin, kMax);  // the whole range: the engine's value shifted
}

TEST(UniformIntTest, UnsignedBoundsDrawAsBoostDoes) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  ExpectSameAsBoost<uint64_t>(0, 0);
  ExpectSameAsBoost<uint64_t>(0, 1);
  ExpectSameAsBoost<uint64_t>(0, 16'777'213);  // hosts of a /8 without its edges
  ExpectSameAsBoost<uint64_t>(7, (uint64_t{1} << 63) + 5);
  ExpectSameAsBoost<uint64_t>(0, kMax - 1);
  ExpectSameAsBoost<uint64_t>(0, kMax);
  ExpectSameAsBoost<uint64_t>(1, kMax);
}

}  // namespace
}  // namespace seedforge::values
