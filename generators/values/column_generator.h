// The interface every column generator implements, and the random streams generators draw from.
//
// A generator is compiled once from its JSON spec (row_program.h) and then called for each row:
// Generate() is const, pure and thread-safe. Its output is a function of the row context only:
// the row index, the values of the columns it reads (computed earlier in the row), and its own
// stream key, which the compiler derived from (seed, table name, column name) once. Each row
// gets a fresh engine on that key, so any row can be computed alone, in any order, on any
// thread, and adding or reordering columns leaves the other columns' streams alone.
//
// Every generator also reports what it can produce (GeneratorInfo), for the schema checks that
// compare a column's declared type with its generator: the kind, whether it can be NULL,
// whether it is injective in the row (for unique columns), its longest text (for varchar(n))
// and its numeric range (for smallint, numeric(p,s)).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generators/counter_engine.h"
#include "generators/values/value.h"

namespace seedforge::values {

// A value some generators of a row share, computed by the first of them to run and reused by the
// others (the row of a catalog that "together" columns read): `row` and `element` say which row
// it holds, so a memo left from another row is never read. A pure function's cache, never state
// that changes a value. One per RowScratch and memo slot (Spec::MemoSlot).
struct Memo {
  uint64_t row = ~uint64_t{0};
  uint64_t element = 0;
  uint64_t value = 0;
};

struct RowContext {
  // Sets `row` and what every engine of the row shares.
  void SetRow(uint64_t index) {
    row = index;
    row_term = CounterEngine::RowTerm(index);
  }

  uint64_t row = 0;       // 0-based index of the row in its table
  uint64_t row_term = 0;  // CounterEngine::RowTerm(row)
  // The row's values, indexed by column position in the table. Only the columns a generator
  // declares in GeneratorInfo::reads are guaranteed to be computed when it runs.
  const Value* columns = nullptr;
  // Sub-stream for nested generators: an array generator runs its element generator once per
  // element with a different `element`, so elements draw independent values. 0 at top level.
  uint64_t element = 0;
  // RowScratch::user() of the scratch being computed: opaque to this folder, read only by the
  // generators registered through CompileOptions::extra_generators.
  const void* user = nullptr;
  // The scratch's memos (see Memo), indexed by the slots the compiler gave the generators.
  Memo* memos = nullptr;
};

// A generator's stream key, with the part of its engines' state that only depends on the key
// for top-level values (element 0) computed once: one mixing step less per value.
class StreamKey {
 public:
  StreamKey(uint64_t key)  // NOLINT(google-explicit-constructor): a key is a key
      : key_(key), top_level_term_(CounterEngine::ElementTerm(key, 0)) {}
  uint64_t value() const { return key_; }
  uint64_t top_level_term() const { return top_level_term_; }

 private:
  uint64_t key_;
  uint64_t top_level_term_;
};

// The engine of one generator for one row (and element). `stream_key` is fixed at compile time.
// The same engine as CounterEngine::ForStream(stream_key.value(), row, element).
inline CounterEngine RowEngine(const StreamKey& stream_key, const RowContext& context) {
  const uint64_t term = context.element == 0
                            ? stream_key.top_level_term()
                            : CounterEngine::ElementTerm(stream_key.value(), context.element);
  return CounterEngine::ForStreamWithTerms(stream_key.value(), context.row_term, term);
}

// Stream keys: a name hashed into a parent key. Computed at compile time only.
uint64_t HashName(uint64_t key, std::string_view name);
// The key of a column's stream: (seed, table name, column name).
inline uint64_t ColumnStreamKey(uint64_t seed, std::string_view table, std::string_view column) {
  return HashName(HashName(Mix64(seed ^ 0xc01d5eedULL), table), column);
}

// Whether rows [0, injective_rows) get pairwise distinct non-NULL values.
inline constexpr uint64_t kNotInjective = 0;
inline constexpr uint64_t kInjectiveForAllRows = std::numeric_limits<uint64_t>::max();

struct GeneratorInfo {
  ValueKind kind = ValueKind::kNull;  // what non-NULL values are (kNull: only NULL)
  bool can_be_null = false;
  // Rows [0, injective_rows) get pairwise distinct values: kNotInjective, a capacity (a pattern
  // of five digits has 100000) or kInjectiveForAllRows.
  uint64_t injective_rows = kNotInjective;
  // For text-like kinds (text, bytes, JSON, and arrays' text form): the longest value in bytes,
  // and in characters (different for non-ASCII catalogs). 0 when unknown / not text.
  size_t max_bytes = 0;
  size_t max_chars = 0;
  // Text never starts / never ends with an ASCII digit (lets a template tell "{last}{n}" apart).
  bool no_leading_digit = false;
  bool no_trailing_digit = false;
  bool no_digits = false;  // text never contains an ASCII digit (names, words)
  // Numeric range of integer, decimal (unscaled), timestamp, date and time kinds, and of float
  // kinds (min_float/max_float). has_range is false when the values are unbounded.
  bool has_range = false;
  int64_t min = 0;
  int64_t max = 0;
  double min_float = 0;
  double max_float = 0;
  int scale = 0;  // decimal digits after the point (kDecimal)
  // Element kind of an array, and what its element generator writes (owned by the array's
  // generator; null when alternatives with different elements were merged: unknown).
  ValueKind element_kind = ValueKind::kNull;
  const GeneratorInfo* element = nullptr;
  // Columns this generator reads (positions in the table), directly or through nested
  // generators. The row program computes them first.
  std::vector<int> reads;
};

class ColumnGenerator {
 public:
  virtual ~ColumnGenerator() = default;

  // Writes the column's value for `context.row` into `out`, reusing its buffers.
  // REQUIRES: the columns in info().reads are computed in context.columns.
  // Thread-safe: const and without shared mutable state.
  virtual void Generate(const RowContext& context, Value* out) const = 0;

  // Called once by the compiler, in dependency order, after every column is compiled: a
  // generator whose metadata depends on the columns it reads (a template's longest text, its
  // injectivity) completes info() from theirs, and one that needs a kind of input (a time to
  // add a duration to) checks it, returning an error that names its JSON path; containers link
  // their nested generators first. `columns[i]` is the info of column i, final for every column
  // in info().reads.
  [[nodiscard]] virtual Status Link(std::span<const GeneratorInfo* const> columns) {
    (void)columns;
    return Status::Ok();
  }

  const GeneratorInfo& info() const { return info_; }
  // For the compiler, which fills in `reads` after construction. Not for the row loop.
  GeneratorInfo* mutable_info() { return &info_; }

 protected:
  GeneratorInfo info_;
};

}  // namespace seedforge::values
