// The simple forms of CHECK constraints that `seedforge init` turns into generator bounds.
//
// ReadCheck() takes a CHECK as pg_get_constraintdef() prints it ("CHECK (((a >= 1) AND (a <=
// 5)))") and reads each of its AND-ed parts: `x > k`, `x >= k`, `x < k`, `x <= k` (BETWEEN prints
// as two of them), `x = ANY (ARRAY[...])` (IN), `length(x) <= n` (char_length,
// character_length), `x <> ''`, `x IS NOT NULL`, and `a < b` / `a <= b` between two columns;
// of an OR, the first branch of such a form (it implies the OR: `x IS NULL OR x >= y`).
// Column references may carry casts (`(size)::text`) and quotes; literals their casts
// (`(0)::numeric`, `'-1'::integer`). Pure text work: tools/infer_profile.cc decides what the
// bounds mean for a column's generator.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedforge {

// What the simple CHECKs of a table say about one column.
struct ColumnBounds {
  std::optional<double> min, max;  // x > min (min_strict) or x >= min; likewise max
  bool min_strict = false, max_strict = false;
  std::vector<std::string> values;  // x IN (...): the allowed values, as text
  bool numeric_values = false;      // the values are numbers (written as the CHECK has them)
  bool partition_values = false;    // the values are a list partition's, not a CHECK's
  int max_length = -1;              // length(x) <= n; -1 when none
  int min_length = 0;               // length(x) >= n (x <> '' is 1)
};

// `lower` < `upper` (or <= when not strict) between two columns of a row.
struct ColumnOrder {
  std::string lower, upper;
  bool strict = true;
};

// Adds what CHECK `definition` says to `bounds` (by column name, unquoted) and `orders`. False
// when a part of it is not one of the forms above (what was read of it may be kept).
bool ReadCheck(std::string_view definition, std::map<std::string, ColumnBounds>* bounds,
               std::vector<ColumnOrder>* orders);

// A partition's bound as pg_get_expr(relpartbound) prints it, for a partition key of one column:
// "FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')", "FOR VALUES IN ('eu', 'us')", "FOR VALUES
// WITH (modulus 4, remainder 0)" or "DEFAULT". Values are the literals' text ("2024-01-01
// 00:00:00+00", "10").
struct PartitionBound {
  enum class Kind { kRange, kList, kHash, kDefault };
  Kind kind = Kind::kDefault;
  std::optional<std::string> from, to;  // range; nullopt for MINVALUE and MAXVALUE
  std::vector<std::string> values;      // list, NULL left out
  bool numeric_values = false;          // the literals are numbers
};

// The bound `bound` says, or nullopt when it is not one of the forms above (a key of several
// columns, say).
std::optional<PartitionBound> ReadPartitionBound(std::string_view bound);

// The expression of a CHECK definition, as a profile's "checks" take it: "CHECK ((a > 0)) NOT
// VALID" gives "((a > 0))".
std::string CheckExpression(std::string_view definition);

}  // namespace seedforge
