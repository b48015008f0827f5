// One table's columns compiled from their JSON specs into a program that computes any row.
//
// Compile() reads the "columns" object of a table (its members in declaration order, each a
// column spec as generators/values/README.md documents), builds one ColumnGenerator per column
// with its tables precomputed, resolves every column name a spec mentions to a position, orders
// the columns so that each is computed after the columns it reads, and checks that a column
// marked unique has a generator injective in the row. Errors are one line naming the JSON path.
//
// ComputeRow() then does no parsing, no lookup by name and, once the scratch has seen a few
// rows, no allocation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generators/values/column_generator.h"
#include "generators/values/value.h"

namespace seedforge::values {

namespace internal {
struct GeneratorRegistry;  // spec_reader.h
}  // namespace internal

struct CompileOptions {
  uint64_t seed = 0;  // the profile's seed, folded into every stream key
  // The profile's time window: the default range of time generators ("from"/"to").
  int64_t window_start_micros = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z
  int64_t window_end_micros = 1'767'225'600'000'000;    // 2026-01-01T00:00:00Z
  // JSON path of the columns object, for messages: "tables.users.columns" when empty.
  std::string path;
  // Generators defined outside this folder (generators/declared: references to other tables),
  // consulted after the built-in ones. Null: the built-in generators only. Must outlive Compile.
  const internal::GeneratorRegistry* extra_generators = nullptr;
};

// The computed values of one row, indexed by column position. Owned by one worker.
class RowScratch {
 public:
  explicit RowScratch(size_t columns, size_t memos = 0) : values_(columns), memos_(memos) {}
  const Value& operator[](size_t column) const { return values_[column]; }
  Value& operator[](size_t column) { return values_[column]; }
  const Value* data() const { return values_.data(); }
  Value* data() { return values_.data(); }
  size_t size() const { return values_.size(); }
  // An opaque pointer ComputeRow passes to the generators in RowContext::user: what generators
  // from outside this folder need of the row beyond its index (the table generator's per-worker
  // state). Null unless set.
  void set_user(const void* user) { user_ = user; }
  const void* user() const { return user_; }
  Memo* memos() { return memos_.data(); }

 private:
  std::vector<Value> values_;
  std::vector<Memo> memos_;
  const void* user_ = nullptr;
};

class RowProgram {
 public:
  // Compiles the table `table`'s `columns_json` (a JSON object of column specs).
  static StatusOr<RowProgram> Compile(std::string_view table, std::string_view columns_json,
                                      const CompileOptions& options);

  RowProgram(RowProgram&&) noexcept = default;
  RowProgram& operator=(RowProgram&&) noexcept = default;
  ~RowProgram();

  const std::string& table() const { return table_; }
  size_t column_count() const { return names_.size(); }
  // Columns in declaration order (the order of the JSON object).
  const std::string& column_name(size_t column) const { return names_[column]; }
  // Position of a column by name, or -1. For setting up, not for the row loop.
  int FindColumn(std::string_view name) const;
  const GeneratorInfo& info(size_t column) const;
  // Whether the spec marked the column unique ("unique": true).
  bool unique(size_t column) const { return unique_[column]; }
  // The order in which ComputeRow computes the columns (each after the columns it reads).
  const std::vector<int>& order() const { return order_; }

  RowScratch NewScratch() const { return RowScratch(names_.size(), memo_count_); }

  // Computes every column of row `row` into `scratch`.
  // REQUIRES: scratch was made by NewScratch() of this program. Thread-safe (const).
  void ComputeRow(uint64_t row, RowScratch* scratch) const;

  // Computes `column` of row `row` and only the columns it depends on (what a child table
  // needs of its parent's row). REQUIRES: as ComputeRow.
  void ComputeColumn(uint64_t row, size_t column, RowScratch* scratch) const;

 private:
  RowProgram() = default;
  friend class ProgramBuilder;

  std::string table_;
  std::vector<std::string> names_;
  std::vector<bool> unique_;
  std::vector<std::unique_ptr<const ColumnGenerator>> generators_;
  std::vector<int> order_;
  std::vector<std::vector<int>> closures_;  // per column: itself and its dependencies, in order
  size_t memo_count_ = 0;                   // memo slots the generators use (Spec::MemoSlot)
};

}  // namespace seedforge::values
