// The random engine behind every generated value.
//
// Generation must be a pure function of (seed, table, row index), so each row gets its own engine
// whose state is derived from that triple (plus a stream number, so that an attribute a child
// needs, such as an asset's created_at, can be recomputed cheaply without replaying the whole
// row). The engine is SplitMix64: one 64-bit add and a mixing function per output. It satisfies
// the UniformRandomBitGenerator concept, so Boost.Random's distributions run on top of it; Boost's
// distributions (unlike std::'s) give identical results on every standard library.
//
// Thread-safe: engines are values, created per row on the stack.
#pragma once

#include <cstdint>
#include <limits>

namespace seedforge {

// The finalizer of SplitMix64 (Stafford's Mix13): a bijection on 64 bits with full avalanche.
constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class CounterEngine {
 public:
  using result_type = uint64_t;

  // `table` and `stream` are small constants chosen by each generator; `row` is the row index.
  CounterEngine(uint64_t seed, uint32_t table, uint64_t row, uint32_t stream)
      : state_(Mix64(Mix64(seed ^ 0x5eedf0a9e5eedULL) ^
                     Mix64((uint64_t{table} << 32 | stream) + 0x9e3779b97f4a7c15ULL) ^ row)) {}

  // The engine of a keyed stream: `stream_key` names the stream (generators/values hashes the
  // seed, table and column names into it once, at compile time), `row` the row and `element`
  // a sub-stream inside the row (array elements). Independent of the constructor above.
  static CounterEngine ForStream(uint64_t stream_key, uint64_t row, uint64_t element) {
    return ForStreamWithTerms(stream_key, RowTerm(row), ElementTerm(stream_key, element));
  }
  // ForStream in parts, for callers that compute a part once for many engines: the row's term
  // once per row for all its streams (values::RowContext), the element's term once per stream
  // for top-level values (values::StreamKey).
  //   ForStream(k, r, e) == ForStreamWithTerms(k, RowTerm(r), ElementTerm(k, e))
  static constexpr uint64_t RowTerm(uint64_t row) { return Mix64(row + 0x2545f4914f6cdd1dULL); }
  static constexpr uint64_t ElementTerm(uint64_t stream_key, uint64_t element) {
    return Mix64(element * 0xd1b54a32d192ed03ULL + stream_key);
  }
  static CounterEngine ForStreamWithTerms(uint64_t stream_key, uint64_t row_term,
                                          uint64_t element_term) {
    CounterEngine engine;
    engine.state_ = Mix64(stream_key ^ row_term) + element_term;
    return engine;
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<uint64_t>::max(); }

  result_type operator()() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }

 private:
  CounterEngine() = default;

  uint64_t state_ = 0;
};

}  // namespace seedforge
