// Internal to generators/declared: what the compiler of a declaration, the generators that read
// other tables (ref, parent, index_in_parent, lookup) and the table generators share.
//
// At compile time the generators' factories read a CompileContext (through the values
// compiler's GeneratorRegistry): the tables in load order with their foreign-key columns and, for
// tables compiled already, their RowProgram. At run time every row is computed with a RowEnv as
// the scratch's user pointer: the row's counts of the other tables, its parent and its index
// under that parent, and a way to compute a column of a row of another table (lookup).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generators/counter_engine.h"
#include "generators/generation_model.h"
#include "generators/values/row_program.h"
#include "generators/values/spec_reader.h"
#include "generators/values/value.h"

namespace seedforge::declared {

// A top-level ref, parent or pair column, found before the columns compile (to order the tables).
struct ForeignColumn {
  std::string column;  // its name
  std::string path;    // "$.tables.t.columns.c"
  // A case column's ref branches ("$.tables.t.columns.c.cases.x", ".else"); empty otherwise.
  std::vector<std::string> branch_paths;
  int target = -1;           // the referenced table, model index
  bool parent = false;       // gen "parent"
  bool pair = false;         // gen "pair": one part of a pair of distinct rows of `target`
  bool pair_second = false;  // "part": "second" (the larger index); else "first"
  bool pair_plain = false;   // "scramble": false (colex order)
  bool earlier = false;
  bool same = false;
  bool distinct = false;  // "distinct": true: rows under one parent refer to distinct rows
  // "foreign_key": {"tenant_id": "tenant_id", "product_id": "id"}: the key is composite, this
  // table's columns (in key order, `column` among them) to the target's; the others are lookups
  // through `column`. Empty: the key is `column` alone, to the target's id.
  std::vector<std::pair<std::string, std::string>> key;
  bool deferrable = false;
  std::string on_delete;  // "", "cascade", "set null", "restrict"
  // A plain ref that is deferrable or can be NULL: it may point at a table loaded after its own,
  // which is how a cycle of references between tables is broken.
  bool can_break_cycle = false;
  bool forward = false;  // it does: `target` comes later in load order (set by the sort)
};

// What the factories need of one table while the programs compile.
struct TableSetup {
  std::string key;      // as written in the JSON, quotes included
  std::string name;     // unquoted
  int per = -1;         // per-parent tables: the parent table's model index
  int64_t per_min = 0;  // the fewest children a parent gets
  int64_t per_max = 0;  // and the most
  std::vector<ForeignColumn> foreign;
  const values::RowProgram* program = nullptr;  // set once this table has compiled
};

struct CompileContext {
  const std::vector<TableSetup>* tables = nullptr;  // model order
  int current = -1;                                 // the table being compiled
};

// The factories of ref, parent, index_in_parent, lookup and pair, which read a CompileContext as
// the registry's context.
std::span<const values::internal::GeneratorFactory> DeclaredFactories();

// A uniform integer in [0, n). REQUIRES: n > 0. Multiply-high (bias below 2^-64 * n).
inline int64_t Below(CounterEngine& engine, int64_t n) {
  __extension__ using Wide = unsigned __int128;
  return static_cast<int64_t>((static_cast<Wide>(engine()) * static_cast<uint64_t>(n)) >> 64);
}
inline double Uniform01(CounterEngine& engine) {
  return static_cast<double>(engine() >> 11) * 0x1p-53;
}

// Two distinct row indices, first < second.
struct PairIndices {
  int64_t first = 0;
  int64_t second = 1;
};

// The q-th pair in colex order: (0,1), (0,2), (1,2), (0,3), (1,3), (2,3), (0,4)...: second is the
// largest b with b(b-1)/2 <= q, first = q - b(b-1)/2. A bijection from [0, n(n-1)/2) onto the
// pairs of [0, n), for every n, so a longer prefix only adds pairs with a new second index.
// REQUIRES: q < 2^62.
PairIndices UnrankPair(uint64_t q);

// How many pairs of distinct rows `rows` rows make: rows(rows-1)/2, saturated at INT64_MAX.
int64_t PairCount(int64_t rows);

// How a per-parent table lays its rows out: parent by parent, each parent with a count uniform
// in [min, max] drawn from (count_key, parent). block_first[j] is the first row of parent 64 j.
struct ParentLayout {
  int parent_table = -1;
  uint64_t count_key = 0;
  int64_t min = 0;
  int64_t max = 0;
  int64_t parents = 0;
  std::vector<int64_t> block_first;  // parents / 64 + 1 entries, then the total

  int64_t CountOf(int64_t parent) const {
    if (min == max) return min;
    CounterEngine engine = CounterEngine::ForStream(count_key, static_cast<uint64_t>(parent), 0);
    return min + Below(engine, max - min + 1);
  }
  // Builds block_first for `parents` parents.
  void Build(int64_t parent_count);
  int64_t total() const { return block_first.empty() ? 0 : block_first.back(); }
};

// What the generators of one plan run on.
struct Runtime {
  std::shared_ptr<const GenerationPlan> plan;
  std::vector<std::shared_ptr<const values::RowProgram>> programs;  // model order
  std::vector<std::optional<ParentLayout>> layouts;                 // per-parent tables only
};

// The per-worker state of computing rows of one table: set for each row before ComputeRow, read
// by the generators through RowContext::user. Not thread-safe: one per WriteRows call.
class RowEnv {
 public:
  RowEnv(const Runtime* runtime, int table);
  ~RowEnv();
  RowEnv(const RowEnv&) = delete;
  RowEnv& operator=(const RowEnv&) = delete;

  // Sets the row: counts, and for a per-parent table its parent and index under it. Consecutive
  // rows cost O(1); a jump costs a binary search and at most 64 count draws.
  void SetRow(int64_t row);

  int64_t row = 0;
  std::span<const int64_t> counts;  // the counts the row is generated with (model order)
  // The counts the table's row 0 was generated with: a pair's permutation is over the pairs of
  // the parent count of the table's first rows, whatever segment a row is in (see pair).
  std::span<const int64_t> first_counts;
  // The counts row `of_row` of this table is generated with.
  std::span<const int64_t> CountsOf(int64_t of_row) const;
  int64_t parent = -1;          // per-parent tables: the parent's index
  int64_t index_in_parent = 0;  // 0-based

  // The rows of per-parent table `table` under its parent `of_parent`: the first and how many
  // (0 for a parent past the table's layout). Costs at most 63 count draws.
  // REQUIRES: `table` is laid out per parent.
  std::pair<int64_t, int64_t> ChildrenOf(int table, int64_t of_parent) const;

  // The value of `column` of row `row` of `table`, computed with only what that column needs.
  // Valid until the next Lookup of the same table. REQUIRES: table != this table.
  const values::Value& Lookup(int table, int64_t row, int column) const;

 private:
  struct Slot;
  const Runtime* runtime_;
  int table_;
  const ParentLayout* layout_ = nullptr;
  int64_t cursor_parent_ = -1;  // the parent of the previous row, its first row and count
  int64_t cursor_first_ = 0;
  int64_t cursor_count_ = 0;
  mutable std::vector<std::unique_ptr<Slot>> slots_;  // per table, made at its first lookup
};

}  // namespace seedforge::declared
