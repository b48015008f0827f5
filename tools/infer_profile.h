// Inferring a profile from a live schema: what `seedforge init` writes.
//
// InferProfile() takes the tables the catalog reader gives (sinks/postgres/catalog.h ReadTables,
// in foreign-key order) and the labels of the enum types they use, and writes a profile in the
// declared-table language (generators/declared/README.md) that declares every selected table:
// its integer id, a generator for every column the server does not fill itself, references for
// its foreign keys, its unique keys, CHECKs and plain indexes, and row targets. It is pure: no
// server, no files, so the unit tests give it TableDefs written by hand.
//
// Column generators come from one table of name rules (kNameRules in the .cc: a column-name
// pattern and a type class give a generator and the reason the summary shows), then from the
// column's type. CHECK constraints of the simple forms (x > k, x BETWEEN a AND b, x IN (...),
// length(x) <= n, a < b between two columns) narrow the generators; any other CHECK, and every
// shape the engine cannot fill (no single integer primary key, a composite foreign key that is
// NOT NULL, a cycle of NOT NULL references...), is an error naming the table and the reason.
// The profile is compiled once before it is returned, so what InferProfile hands back loads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/table_model.h"

namespace seedforge {

struct InferOptions {
  // Target rows of every table no NOT NULL foreign key makes a child (the roots); children get
  // 1 to 3 rows per parent row (one when the reference is unique).
  int64_t rows = 1000;
  // The profile's "name", and what its "description" says it was inferred from ("the schema of
  // database shopdb", "schema files 001.sql, 002.sql").
  std::string name = "inferred";
  std::string source;
  // Only tables matching one of these (empty: every table), and none matching `exclude`. A
  // pattern is a glob (`*`, `?`) matched against the table's name and its schema.name.
  std::vector<std::string> tables;
  std::vector<std::string> exclude;

  // kInvalidArgument naming the bad field.
  Status Validate() const;
};

struct InferredProfile {
  std::string json;  // the profile, pretty-printed, ending in a newline
  // What was inferred: the tables with their targets, then one line per column
  // ("customers.email: e-mail (name)"), the columns that fell back to their type last.
  std::vector<std::string> summary;
  int tables = 0;
  int columns = 0;  // columns the profile generates
};

// True when `pattern` (a glob: `*` any run of characters, `?` one) matches `table`'s name or
// its schema-qualified name "schema.name" (both unquoted).
bool TableMatches(const std::string& pattern, const TableDef& table);

// The profile for `tables` (catalog order: referenced tables first). `enum_labels` maps each enum
// type as format_type() prints it under search_path = pg_catalog ("public.order_status") to its
// labels in sort order; a user type missing from it (a domain, a composite, an extension's type)
// cannot be generated. Errors are kInvalidArgument, one line naming the table (and column) and
// the reason, e.g. "table tags: primary key (post_id, tag) has 2 columns; the engine needs one
// integer id column (exclude the table with --exclude tags)".
StatusOr<InferredProfile> InferProfile(
    const std::vector<TableDef>& tables,
    const std::map<std::string, std::vector<std::string>>& enum_labels,
    const InferOptions& options);

}  // namespace seedforge
