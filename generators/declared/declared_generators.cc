// The generators that read other tables: ref, parent, index_in_parent, lookup and pair.
//
// They are compiled by the values compiler like any generator (registered through its
// GeneratorRegistry) and differ only in what they read at run time: the RowEnv the table
// generator sets as the scratch's user pointer. A ref draws a parent index from the counts the
// row is generated with (plan->CountsFor), so a top-up's new rows see the new parents and old
// rows keep theirs; parent and index_in_parent read the row's place in the per-parent layout;
// lookup computes a column of the referenced row with the parent table's program. pair writes
// one part of the row's pair of distinct parent rows: row r is the colex pair of P(r), P a keyed
// permutation of the pairs of the parent count the table's first rows were generated with (its
// row 0's counts), so every row of every segment has its own pair: rows past those pairs take the
// colex pair of r itself, which has a parent index beyond that first count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "generators/declared/declared_internal.h"
#include "generators/values/permutation.h"
#include "generators/values/spec_reader.h"

namespace seedforge::declared {
namespace {

using values::ColumnGenerator;
using values::GeneratorInfo;
using values::RowContext;
using values::Value;
using values::ValueKind;
using values::internal::GeneratorPtr;
using values::internal::Spec;

const CompileContext& Context(const Spec& spec) {
  return *static_cast<const CompileContext*>(spec.options().extra_generators->context);
}

const RowEnv& Env(const RowContext& context) { return *static_cast<const RowEnv*>(context.user); }

// The ForeignColumn of the column whose spec, or ref branch of whose case, this is; null for
// any other nested spec.
const ForeignColumn* TopLevel(const Spec& spec) {
  const CompileContext& context = Context(spec);
  for (const ForeignColumn& column : (*context.tables)[context.current].foreign) {
    if (column.path == spec.path()) return &column;
    for (const std::string& branch : column.branch_paths) {
      if (branch == spec.path()) return &column;
    }
  }
  return nullptr;
}

// Zipf over ranks 1..n with P(k) proportional to k^-s by rejection-inversion (Hoermann and
// Derflinger). What depends on s alone is set up once; h(n + 0.5) per draw, as n is the row's
// parent count.
class Zipf {
 public:
  explicit Zipf(double s)
      : s_(s), h_x1_(H(1.5) - 1), threshold_(2 - HInverse(H(2.5) - std::pow(2.0, -s))) {}

  int64_t Rank(CounterEngine& engine, int64_t n) const {
    // h(n + 0.5) is a pure function of (s, n), which stay the same for whole runs of rows: each
    // thread keeps the last one it computed (the value, not the thread, decides the result).
    thread_local double cached_s = 0;
    thread_local int64_t cached_n = -1;
    thread_local double cached_h_n = 0;
    if (cached_s != s_ || cached_n != n) {
      cached_s = s_;
      cached_n = n;
      cached_h_n = H(static_cast<double>(n) + 0.5);
    }
    const double h_n = cached_h_n;
    while (true) {
      const double u = h_n + Uniform01(engine) * (h_x1_ - h_n);
      const double x = HInverse(u);
      const int64_t k = std::clamp<int64_t>(static_cast<int64_t>(x + 0.5), 1, n);
      const double kd = static_cast<double>(k);
      if (kd - x <= threshold_ || u >= H(kd + 0.5) - std::pow(kd, -s_)) return k;
    }
  }

 private:
  double H(double x) const {
    const double log_x = std::log(x);
    return std::fabs(1 - s_) < 1e-9 ? log_x : std::expm1((1 - s_) * log_x) / (1 - s_);
  }
  double HInverse(double y) const {
    if (std::fabs(1 - s_) < 1e-9) return std::exp(y);
    return std::exp(std::log1p(y * (1 - s_)) / (1 - s_));
  }

  double s_;
  double h_x1_;
  double threshold_;
};

class RefGenerator final : public ColumnGenerator {
 public:
  // kDistinct: the rows under one parent refer to distinct rows of `target`: sibling i takes
  // P(i), P a permutation keyed by the parent over the target's count for the parent's first
  // row (so every sibling uses the same count, whatever segment it is in).
  enum class Mode { kAny, kEarlier, kSame, kWithin, kDistinct };
  // kWithin: a row of the per-parent table `target` under the parent whose id column `within`
  // of this row holds; NULL when that parent has no such rows (`within_can_be_empty`).
  RefGenerator(uint64_t key, int target, Mode mode, double skew, int within = -1,
               bool within_can_be_empty = false)
      : key_(key),
        target_(target),
        mode_(mode),
        skew_(skew),
        zipf_(skew > 0 ? skew : 1),
        within_(within) {
    info_.kind = ValueKind::kInteger;
    info_.can_be_null =
        mode == Mode::kWithin ? within_can_be_empty : mode != Mode::kAny && mode != Mode::kDistinct;
  }

  void Generate(const RowContext& context, Value* out) const override {
    const RowEnv& env = Env(context);
    CounterEngine engine = values::RowEngine(key_, context);
    int64_t index = 0;
    switch (mode_) {
      case Mode::kEarlier:
        if (env.row == 0) return out->SetNull();
        index = Below(engine, env.row);
        break;
      case Mode::kSame:
        if (env.index_in_parent == 0) return out->SetNull();
        index = env.row - env.index_in_parent + Below(engine, env.index_in_parent);
        break;
      case Mode::kWithin: {
        const Value& owner = context.columns[within_];
        if (owner.is_null()) return out->SetNull();
        const auto [first, count] = env.ChildrenOf(target_, owner.integer_value() - 1);
        if (count <= 0) return out->SetNull();
        index = first + (skew_ > 0 ? zipf_.Rank(engine, count) - 1 : Below(engine, count));
        break;
      }
      case Mode::kDistinct: {
        const int64_t count = env.CountsOf(env.row - env.index_in_parent)[target_];
        // CheckCounts keeps the children of a parent at most the target's rows.
        if (count <= env.index_in_parent) return out->SetNull();
        const values::Permutation order(
            CounterEngine::ForStream(key_.value(), static_cast<uint64_t>(env.parent), 1)(),
            static_cast<uint64_t>(count));
        index = static_cast<int64_t>(order.Apply(static_cast<uint64_t>(env.index_in_parent)));
        break;
      }
      case Mode::kAny: {
        const int64_t count = env.counts[target_];
        if (count <= 0) return out->SetNull();
        index = skew_ > 0 ? zipf_.Rank(engine, count) - 1 : Below(engine, count);
        break;
      }
    }
    out->SetInteger(index + 1);
  }

 private:
  values::StreamKey key_;
  int target_;
  Mode mode_;
  double skew_;
  Zipf zipf_;
  int within_;
};

// The options every foreign key takes; the table model reads them from the pre-pass.
Status ForeignKeyOptions(Spec& spec) {
  bool deferrable = false;
  std::string on_delete;
  SF_RETURN_IF_ERROR(spec.Bool("deferrable", &deferrable));
  SF_RETURN_IF_ERROR(spec.String("on_delete", &on_delete));
  values::internal::dom::element key;  // read and checked by the pre-pass (ForeignColumn::key)
  SF_RETURN_IF_ERROR(spec.Element("foreign_key", &key));
  if (!on_delete.empty() && on_delete != "cascade" && on_delete != "set null" &&
      on_delete != "restrict") {
    return spec.Error(
        "on_delete", "expected \"cascade\", \"set null\" or \"restrict\", not '" + on_delete + "'");
  }
  return Status::Ok();
}

StatusOr<GeneratorPtr> MakeCopiedRef(Spec& spec, const ForeignColumn& foreign);

StatusOr<GeneratorPtr> MakeRef(Spec& spec) {
  const CompileContext& context = Context(spec);
  const ForeignColumn* foreign = TopLevel(spec);
  if (foreign == nullptr) return spec.Error("gen", "'ref' must be a column's own generator");
  if (spec.Has("via")) return MakeCopiedRef(spec, *foreign);
  std::string to, same;
  double skew = 0;
  bool earlier = false;
  SF_RETURN_IF_ERROR(spec.Required("to"));
  SF_RETURN_IF_ERROR(spec.String("to", &to));  // resolved by the pre-pass: foreign->target
  if (spec.Has("skew")) SF_RETURN_IF_ERROR(spec.Double("skew", &skew, 0.01, 20));
  SF_RETURN_IF_ERROR(spec.Bool("earlier", &earlier));
  bool distinct = false;
  SF_RETURN_IF_ERROR(spec.Bool("distinct", &distinct));
  bool breaks_cycle = false;  // read by the pre-pass (can_break_cycle)
  SF_RETURN_IF_ERROR(spec.Bool("breaks_cycle", &breaks_cycle));
  SF_RETURN_IF_ERROR(spec.String("same", &same));
  std::string within;
  SF_RETURN_IF_ERROR(spec.String("within", &within));
  SF_RETURN_IF_ERROR(ForeignKeyOptions(spec));
  if (!within.empty()) {
    // A row of a per-parent table under the same parent as this row's (a product's category of
    // the product's own tenant): `within` is a column of this row holding that parent's id.
    const TableSetup& target = (*context.tables)[foreign->target];
    if (foreign->target == context.current || target.per < 0) {
      return spec.Error("within",
                        "'within' is for a reference to a per-parent table (\"rows\": "
                        "{\"per\": ...}) other than this one");
    }
    if (earlier || distinct || !same.empty()) return spec.Error("within", "give 'within' alone");
    int column = -1;
    SF_RETURN_IF_ERROR(spec.Column("within", &column));
    return GeneratorPtr(std::make_unique<RefGenerator>(spec.stream_key(), foreign->target,
                                                       RefGenerator::Mode::kWithin, skew, column,
                                                       target.per_min == 0));
  }
  const TableSetup& table = (*context.tables)[context.current];
  const bool self = foreign->target == context.current;
  if (distinct) {
    if (table.per < 0 || self) {
      return spec.Error("distinct",
                        "'distinct' is for a ref of a per-parent table (\"rows\": {\"per\": "
                        "...}) to another table: the rows under one parent refer to distinct rows");
    }
    if (earlier || !same.empty() || skew > 0) {
      return spec.Error("distinct", "give 'distinct' without 'earlier', 'same' or 'skew'");
    }
    return GeneratorPtr(std::make_unique<RefGenerator>(spec.stream_key(), foreign->target,
                                                       RefGenerator::Mode::kDistinct, 0));
  }
  RefGenerator::Mode mode = RefGenerator::Mode::kAny;
  if (earlier && !same.empty()) return spec.Error("same", "give 'earlier' or 'same', not both");
  if (earlier || !same.empty()) {
    if (!self) {
      return earlier ? spec.Error("earlier", "'earlier' is for a reference to the table itself")
                     : spec.Error("same", "'same' is for a reference to the table itself");
    }
    if (skew > 0) return spec.Error("skew", "'skew' is for a reference to another table");
    mode = earlier ? RefGenerator::Mode::kEarlier : RefGenerator::Mode::kSame;
  } else if (self && !foreign->deferrable) {
    return spec.Error("to",
                      "a reference to the table itself needs \"earlier\": true, \"same\" or "
                      "\"deferrable\": true (a row may refer to a later row)");
  }
  if (!same.empty()) {
    const bool parent_column =
        table.per >= 0 &&
        std::any_of(table.foreign.begin(), table.foreign.end(),
                    [&](const ForeignColumn& c) { return c.parent && c.column == same; });
    if (!parent_column) {
      return spec.Error("same", "'" + same + "' is not the parent column of a per-parent table");
    }
    int column = -1;
    SF_RETURN_IF_ERROR(spec.Column("same", &column));  // computed first, for readers' sake
  }
  return GeneratorPtr(
      std::make_unique<RefGenerator>(spec.stream_key(), foreign->target, mode, skew));
}

class ParentGenerator final : public ColumnGenerator {
 public:
  ParentGenerator() { info_.kind = ValueKind::kInteger; }
  void Generate(const RowContext& context, Value* out) const override {
    out->SetInteger(Env(context).parent + 1);
  }
};

StatusOr<GeneratorPtr> MakeParent(Spec& spec) {
  const CompileContext& context = Context(spec);
  const TableSetup& table = (*context.tables)[context.current];
  if (table.per < 0) {
    return spec.Error("gen", "'parent' is for a per-parent table (\"rows\": {\"per\": ...})");
  }
  if (TopLevel(spec) == nullptr)
    return spec.Error("gen", "'parent' must be a column's own generator");
  SF_RETURN_IF_ERROR(ForeignKeyOptions(spec));
  return GeneratorPtr(std::make_unique<ParentGenerator>());
}

class IndexInParentGenerator final : public ColumnGenerator {
 public:
  explicit IndexInParentGenerator(int64_t start) : start_(start) {
    info_.kind = ValueKind::kInteger;
  }
  void Generate(const RowContext& context, Value* out) const override {
    out->SetInteger(start_ + Env(context).index_in_parent);
  }

 private:
  int64_t start_;
};

StatusOr<GeneratorPtr> MakeIndexInParent(Spec& spec, int64_t max_children) {
  int64_t start = 1;
  SF_RETURN_IF_ERROR(spec.Integer("start", &start, -(int64_t{1} << 60), int64_t{1} << 60));
  auto generator = std::make_unique<IndexInParentGenerator>(start);
  GeneratorInfo* info = generator->mutable_info();
  info->has_range = true;
  info->min = start;
  info->max = start + max_children - 1;
  info->min_float = static_cast<double>(info->min);
  info->max_float = static_cast<double>(info->max);
  return GeneratorPtr(std::move(generator));
}

StatusOr<GeneratorPtr> MakeIndexInParentFactory(Spec& spec);

class LookupGenerator final : public ColumnGenerator {
 public:
  LookupGenerator(int via, int table, int column, const GeneratorInfo& target)
      : via_(via), table_(table), column_(column) {
    info_ = target;
    info_.reads.clear();
    info_.injective_rows = values::kNotInjective;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    if (columns[via_]->can_be_null) info_.can_be_null = true;
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    const Value& via = context.columns[via_];
    if (via.is_null()) return out->SetNull();
    out->CopyFrom(Env(context).Lookup(table_, via.integer_value() - 1, column_));
  }

 private:
  int via_;
  int table_;
  int column_;
};

StatusOr<GeneratorPtr> MakeLookup(Spec& spec) {
  const CompileContext& context = Context(spec);
  const TableSetup& table = (*context.tables)[context.current];
  std::string via_name, column_name;
  SF_RETURN_IF_ERROR(spec.Required("via"));
  SF_RETURN_IF_ERROR(spec.String("via", &via_name));
  const auto foreign = std::find_if(table.foreign.begin(), table.foreign.end(),
                                    [&](const ForeignColumn& c) { return c.column == via_name; });
  if (foreign == table.foreign.end()) {
    return spec.Error("via",
                      "'" + via_name + "' is not a ref or parent column of table " + table.key);
  }
  int via = -1;
  SF_RETURN_IF_ERROR(spec.Column("via", &via));
  if (foreign->target == context.current) {
    return spec.Error("via", "a lookup through a reference to the table itself is not supported");
  }
  SF_RETURN_IF_ERROR(spec.Required("column"));
  SF_RETURN_IF_ERROR(spec.String("column", &column_name));
  const TableSetup& target = (*context.tables)[foreign->target];
  if (foreign->forward) {
    return spec.Error("via", "'" + via_name + "' refers to " + target.key +
                                 ", which loads after this table (the ref breaks a cycle); a "
                                 "lookup reads tables loaded before");
  }
  const int column = target.program->FindColumn(column_name);
  if (column < 0) {
    return spec.Error("column", "table " + target.key + " has no column '" + column_name + "'");
  }
  return GeneratorPtr(std::make_unique<LookupGenerator>(via, foreign->target, column,
                                                        target.program->info(column)));
}

// A reference copied through another: `via` (a ref or parent column of this row) names a row of
// another table whose `column` is itself a reference to `to`; the value is that row's, so an
// event's user is its asset's owner. A foreign key to `to`, NULL when via or the column is.
StatusOr<GeneratorPtr> MakeCopiedRef(Spec& spec, const ForeignColumn& foreign) {
  const CompileContext& context = Context(spec);
  const TableSetup& table = (*context.tables)[context.current];
  std::string to, via_name, column_name;
  SF_RETURN_IF_ERROR(spec.String("to", &to));
  SF_RETURN_IF_ERROR(ForeignKeyOptions(spec));
  SF_RETURN_IF_ERROR(spec.String("via", &via_name));
  const auto via_column =
      std::find_if(table.foreign.begin(), table.foreign.end(),
                   [&](const ForeignColumn& c) { return c.column == via_name; });
  if (via_column == table.foreign.end() || via_column->column == foreign.column) {
    return spec.Error(
        "via", "'" + via_name + "' is not another ref or parent column of table " + table.key);
  }
  if (via_column->target == context.current) {
    return spec.Error("via",
                      "a ref copied through a reference to the table itself is not supported");
  }
  int via = -1;
  SF_RETURN_IF_ERROR(spec.Column("via", &via));
  SF_RETURN_IF_ERROR(spec.Required("column"));
  SF_RETURN_IF_ERROR(spec.String("column", &column_name));
  const TableSetup& through = (*context.tables)[via_column->target];
  if (via_column->forward) {
    return spec.Error("via", "'" + via_name + "' refers to " + through.key +
                                 ", which loads after this table (the ref breaks a cycle); a "
                                 "copied ref reads tables loaded before");
  }
  const auto copied = std::find_if(through.foreign.begin(), through.foreign.end(),
                                   [&](const ForeignColumn& c) { return c.column == column_name; });
  if (copied == through.foreign.end() || copied->target != foreign.target) {
    return spec.Error("column", "column '" + column_name + "' of table " + through.key +
                                    " is not a reference to " + to);
  }
  const int column = through.program->FindColumn(column_name);
  return GeneratorPtr(std::make_unique<LookupGenerator>(via, via_column->target, column,
                                                        through.program->info(column)));
}

StatusOr<GeneratorPtr> MakeIndexInParentFactory(Spec& spec) {
  const CompileContext& context = Context(spec);
  const TableSetup& table = (*context.tables)[context.current];
  if (table.per < 0) {
    return spec.Error("gen",
                      "'index_in_parent' is for a per-parent table (\"rows\": {\"per\": ...})");
  }
  return MakeIndexInParent(spec, table.per_max);
}

class PairGenerator final : public ColumnGenerator {
 public:
  PairGenerator(uint64_t key, int target, bool second, bool scramble)
      : key_(key), target_(target), second_(second), scramble_(scramble) {
    info_.kind = ValueKind::kInteger;
  }

  void Generate(const RowContext& context, Value* out) const override {
    const RowEnv& env = Env(context);
    const uint64_t row = static_cast<uint64_t>(env.row);
    const uint64_t first_pairs = static_cast<uint64_t>(PairCount(env.first_counts[target_]));
    uint64_t q = row;
    if (scramble_ && row < first_pairs) q = values::Permutation(key_, first_pairs).Apply(row);
    const PairIndices pair = UnrankPair(q);
    out->SetInteger((second_ ? pair.second : pair.first) + 1);
  }

 private:
  uint64_t key_;  // shared by both parts: (seed, table, "pair " + parent table)
  int target_;
  bool second_;
  bool scramble_;
};

StatusOr<GeneratorPtr> MakePair(Spec& spec) {
  const CompileContext& context = Context(spec);
  const ForeignColumn* foreign = TopLevel(spec);
  if (foreign == nullptr) return spec.Error("gen", "'pair' must be a column's own generator");
  std::string of, part;
  bool scramble = true;
  SF_RETURN_IF_ERROR(spec.Required("of"));
  SF_RETURN_IF_ERROR(spec.String("of", &of));  // resolved by the pre-pass: foreign->target
  SF_RETURN_IF_ERROR(spec.Required("part"));
  SF_RETURN_IF_ERROR(spec.String("part", &part));
  if (part != "first" && part != "second") {
    return spec.Error("part", "expected \"first\" or \"second\", not '" + part + "'");
  }
  SF_RETURN_IF_ERROR(spec.Bool("scramble", &scramble));
  SF_RETURN_IF_ERROR(ForeignKeyOptions(spec));
  if (foreign->target == context.current) {
    return spec.Error("of", "a pair of the table's own rows is not supported");
  }
  return GeneratorPtr(std::make_unique<PairGenerator>(spec.SharedKey("pair " + of), foreign->target,
                                                      part == "second", scramble));
}

constexpr values::internal::GeneratorFactory kFactories[] = {
    {"ref", MakeRef},       {"parent", MakeParent}, {"index_in_parent", MakeIndexInParentFactory},
    {"lookup", MakeLookup}, {"pair", MakePair},
};

}  // namespace

std::span<const values::internal::GeneratorFactory> DeclaredFactories() { return kFactories; }

PairIndices UnrankPair(uint64_t q) {
  __extension__ using Wide = unsigned __int128;
  auto triangle = [](uint64_t b) { return static_cast<Wide>(b) * (b - 1) / 2; };
  // b(b-1)/2 <= q < (b+1)b/2: start from the real root of b^2 - b - 2q and correct by one.
  uint64_t b = static_cast<uint64_t>((1 + std::sqrt(1 + 8 * static_cast<double>(q))) / 2);
  if (b < 1) b = 1;
  while (triangle(b) > q) --b;
  while (triangle(b + 1) <= q) ++b;
  PairIndices pair;
  pair.second = static_cast<int64_t>(b);
  pair.first = static_cast<int64_t>(q - static_cast<uint64_t>(triangle(b)));
  return pair;
}

int64_t PairCount(int64_t rows) {
  if (rows < 2) return 0;
  __extension__ using Wide = unsigned __int128;
  const Wide pairs = static_cast<Wide>(rows) * static_cast<Wide>(rows - 1) / 2;
  const Wide max = static_cast<Wide>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(pairs > max ? max : pairs);
}

}  // namespace seedforge::declared
