// The tables a profile declares ("tables" in its JSON), compiled into a GenerationModel.
//
// Each table's "columns" object is a set of column specs in the language of generators/values
// (README.md there), plus the generators that need other tables (ref, parent, index_in_parent,
// lookup: README.md here). CompileDeclaredTables reads the declaration once: it orders the tables
// by their foreign keys, compiles one RowProgram per table, checks that every generator's values
// fit its column's SQL type (and that a column of an enum type DeclareOptions::types_json declares
// takes only its labels), and builds the table model (columns, keys, indexes, checks). The
// model then makes one TableGenerator per table for a plan; no parsing or lookup by name happens
// while rows are written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generators/generation_model.h"

namespace seedforge {

struct DeclareOptions {
  // Where the declaration comes from ("profiles/x.json", "built-in travelers"): first in every
  // message.
  std::string origin;
  // The text of the profile's "types" object (enum types the columns may name), "" when none.
  std::string types_json;
  uint64_t seed = 42;
  // The default time window of time generators, microseconds since the Unix epoch, [start, end).
  int64_t window_start_micros = 1'704'067'200'000'000;  // 2024-01-01
  int64_t window_end_micros = 1'767'225'600'000'000;    // 2026-01-01
};

struct DeclaredTables {
  std::shared_ptr<const GenerationModel> model;
  // The "rows" each table declares, in model (load) order; nullopt for per-parent tables (their
  // count is the model's DerivedCount).
  std::vector<std::optional<int64_t>> rows;
};

// Compiles `tables_json`, the text of a profile's "tables" object, with the enum types of
// options.types_json (each column of one carries it: ColumnSchema::declared_enum). Errors are
// kInvalidArgument, one line: "<origin>: $.tables.<table>.<path>: <what is wrong>" (or
// "$.types.<type>...").
// The model is immutable and thread-safe; its generators are pure (TableGenerator).
StatusOr<DeclaredTables> CompileDeclaredTables(std::string_view tables_json,
                                               const DeclareOptions& options);

}  // namespace seedforge
