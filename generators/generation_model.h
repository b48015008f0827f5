// What the engine generates from: a model of tables and the plan a run hands its generators.
//
// A GenerationModel is a set of tables in load order (parents before children) and a way to make
// one TableGenerator per table once the plan is known. The engine (engine/run.h) plans without
// knowing what the tables are: it reads what every table holds, decides the final generated row
// count of each, hands those counts and the tables' recorded history to MakeGenerators(), and
// writes the rows the plan asks for. The model is the tables a profile declares
// (generators/declared/); tests build small models of their own.
//
// Tables are numbered by their position in schemas(): "table i" means schemas()[i] everywhere
// (row counts, history, fixtures, reports).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/generation_segment.h"
#include "core/status.h"
#include "core/table_schema.h"
#include "generators/table_generator.h"

namespace seedforge {

// The plan as generators see it: the seed and time window, and per table (model order) the final
// count of generated rows and the history segments of rows generated earlier with other counts.
struct GenerationPlan {
  uint64_t seed = 42;
  // Time window of generated data, microseconds since the Unix epoch, [start, end).
  int64_t window_start_micros = 0;
  int64_t window_end_micros = 0;
  // Final generated row count of each table. Children draw their parents from these (or from
  // their segment's model_row_counts); a table's own count does not change its rows.
  std::vector<int64_t> row_counts;
  // Per table, sorted by first_row: the counts earlier rows were generated with. Rows no segment
  // covers (all rows of a fresh run) use row_counts.
  std::vector<std::vector<GenerationSegment>> history;

  // The counts row `row` of `table` is generated with: its segment's, else row_counts.
  // REQUIRES: every segment has row_counts.size() model_row_counts (ApplyHistory keeps only
  // those).
  std::span<const int64_t> CountsFor(size_t table, int64_t row) const;
  // The segment row `row` of `table` belongs to, or null (then its id is row + 1).
  const GenerationSegment* SegmentFor(size_t table, int64_t row) const;
  // The id of generated row `row` of `table`.
  int64_t IdOf(size_t table, int64_t row) const;
  // True when some row of `table` has an id other than index + 1.
  bool MovesIds(size_t table) const;
};

class GenerationModel {
 public:
  virtual ~GenerationModel() = default;

  // The tables in load order: every foreign key refers to an earlier table or to its own.
  virtual const std::vector<TableSchema>& schemas() const = 0;

  // For a table whose size follows from its parents (children laid out per parent, e.g. 1 to 12
  // routing steps per traveler): its generated row count once the tables before it have
  // `final_counts` (entries of later tables are unspecified), for a run with `seed` (how many
  // children each parent gets is drawn from it). std::nullopt for a table with a target of its
  // own.
  virtual std::optional<int64_t> DerivedCount(size_t table, uint64_t seed,
                                              std::span<const int64_t> final_counts) const {
    (void)table;
    (void)seed;
    (void)final_counts;
    return std::nullopt;
  }

  // OK when tables can be generated with these final counts; else kInvalidArgument naming the
  // table and why ("table assets: 10 rows need users, which has none").
  virtual Status CheckCounts(std::span<const int64_t> final_counts) const = 0;

  // One generator per table, in schemas() order. Tables whose history moves ids or reserves
  // unique values come wrapped (MakeMappedGenerator). REQUIRES: CheckCounts(plan.row_counts)
  // is OK. The generators may keep `plan`, which must outlive them.
  virtual std::vector<std::unique_ptr<TableGenerator>> MakeGenerators(
      std::shared_ptr<const GenerationPlan> plan) const = 0;

  // A canonical text of everything apart from the seed and the targets that decides the
  // generated values (parameters, the declaration), for ProfileFingerprint.
  virtual std::string CanonicalText() const = 0;
};

// Wraps `inner` (which writes ids and foreign keys as index + 1) so that ids and foreign keys are
// written as plan->IdOf gives them and unique keys avoid each segment's reserved values: a
// colliding value gets a suffix, "-2", "-3"... (or "+2" before the '@' of an e-mail address), on
// the key's first column. `table` is the inner table's index in `schemas`; a foreign key column
// names its table in ColumnSchema::references. Returns `inner` itself when the table needs
// neither.
std::unique_ptr<TableGenerator> MakeMappedGenerator(std::unique_ptr<TableGenerator> inner,
                                                    size_t table,
                                                    const std::vector<TableSchema>& schemas,
                                                    std::shared_ptr<const GenerationPlan> plan);

// True when every unique key of `schema` has a text column (text, varchar, char; not an enum nor
// an array), by which the mapped generator moves a reserved value aside. A key without one (an
// integer, a uuid, (parent, index_in_parent)) keeps its generated values, reserved or not.
bool UniqueKeysMoveAside(const TableSchema& schema);

// A generated row that cannot be written as the run would write it: its unique key takes a value
// another row holds (`too_long_column` -1), or a text column of a key, moved aside from another
// row's value, is longer than its column takes.
struct ReservedCollision {
  int64_t row = 0;  // the generated row index
  int key = 0;      // its index in TableSchema::unique_keys (-1 for a value too long)
  std::vector<std::string> values;  // the key's values as the server prints them, or the value
  int too_long_column = -1;         // the column whose (moved) value is too long, else -1
  int64_t limit = 0;                // the most characters that column takes
};

// Generates rows [begin, end) of `generator` (the table's generator as MakeGenerators gives it,
// which has moved aside what it can) and returns the first row whose unique key, in the server's
// text (core/server_text.h), is one of `reserved` (EncodeUniqueKey values), or whose text in a
// unique key's column has more characters than `character_limits` gives for the column (one per
// column, -1 or 0 for no limit; empty: none); std::nullopt when there is none. Keys with a NULL or
// a value server_text.h does not render (an array, a float, an interval) are not compared.
// Memory: one row at a time. REQUIRES: 0 <= begin <= end.
std::optional<ReservedCollision> FindReservedCollision(const TableGenerator& generator,
                                                       const ReservedKeys& reserved,
                                                       std::span<const int64_t> character_limits,
                                                       int64_t begin, int64_t end);

}  // namespace seedforge
