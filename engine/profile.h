// Profiles: what to generate, read from JSON.
//
// A profile names the seed, the time window, its tables with their generators ("tables") and a
// target row count per table. It may "extends" another profile (a built-in name or a path relative
// to the file), whose values it overrides key by key. Unknown keys, wrong types, negative or
// fractional counts and unknown tables are errors that name the file and the JSON path
// ("profiles/x.json: $.rows.assets: expected a non-negative integer, got -5"); malformed JSON
// names the line and column, and so do an empty file, a NUL byte, invalid UTF-8 and content after
// the object. A key given twice in one object is refused (JSON would let the last one win
// silently). A UTF-8 byte-order mark at the start is accepted and ignored (editors on Windows write
// one).
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

// One value of a fixture row, as the profile gives it.
struct FixtureValue {
  enum class Kind { kNull, kString, kNumber, kBool, kJson, kRef };
  Kind kind = Kind::kNull;
  // kString: the string; kNumber: the number as written; kJson: the object's JSON text; kRef: the
  // natural key of the fixture it refers to, in the table the column references.
  std::string text;
  bool boolean = false;
};

// A named record a profile asks for (e.g. an "admin" user): inserted when no row has its natural
// key, never overwritten. Ids come from the table's identity.
struct FixtureRow {
  std::vector<std::pair<int, FixtureValue>> values;  // column index in the table's schema, value
  std::string path;                                  // "$.fixtures.users.rows[0]", for messages
  // The value of column `column`, or null when the row does not give it.
  const FixtureValue* Find(int column) const;
};

struct TableFixtures {
  int key_column = -1;  // the natural key: an index into the table's columns; -1: no fixtures
  std::vector<FixtureRow> rows;
};

// A named query of the profile ("checks") that counts the rows breaking one of its rules;
// `seedforge verify` runs it and expects 0.
struct ProfileCheck {
  std::string name;
  std::string sql;  // one SELECT returning one integer
};

struct Profile {
  std::string name;         // this file's "name" key (never inherited), or its file name stem
  std::string description;  // one line for `seedforge profiles`
  std::string source;       // "built-in" or the file path it was read from
  uint64_t seed = 42;
  int64_t window_start_micros = 0;  // default 2024-01-01T00:00:00Z
  int64_t window_end_micros = 0;    // default 2026-01-01T00:00:00Z
  // The tables and their generators. Never null in a loaded profile; "extends" inherits it.
  std::shared_ptr<const GenerationModel> model;
  // "tables": the declaration of the tables (generators/declared/), as JSON text, merged over
  // its base's when it extends one.
  std::string declared_tables;
  // "types": the enum types the declared tables may use, as JSON text, merged over its base's
  // (a type at a time) when it extends one; empty when none.
  std::string declared_types;
  // Target rows per table (schemas() order); std::nullopt when the profile does not name the
  // table. Sized schemas().size() in a loaded profile.
  std::vector<std::optional<int64_t>> rows;
  // "guard_tables": the tables (indices into schemas()) whose rows make `seedforge auto` skip;
  // empty when the profile does not say (then GuardTables() gives the tables named in "rows").
  std::vector<size_t> guard_tables;
  // Per entry of guard_tables: the SQL condition a row must meet to count as data ("" for every
  // row), e.g. "subdomain <> 'demo'" for an app whose demo tenant is not data.
  std::vector<std::string> guard_conditions;
  // "env": environment variables `seedforge auto` reads as a table's target besides
  // SEED_<TABLE>_COUNT (an application's own names, e.g. SEED_USER_COUNT for users): the
  // variable's name and the table's index in schemas().
  std::vector<std::pair<std::string, size_t>> count_variables;
  // "checks": the profile's rules as queries counting violating rows, in name order (an
  // "extends" keeps its base's; a check of the same name replaces the base's).
  std::vector<ProfileCheck> checks;
  // "fixtures": per table (schemas() order), the named records to insert when absent.
  std::vector<TableFixtures> fixtures;

  // The model's tables in load order. REQUIRES: model is set.
  const std::vector<TableSchema>& schemas() const { return model->schemas(); }
  // The index of the table named `name` in schemas(), or -1.
  int FindTable(std::string_view table_name) const;

  // The tables `seedforge auto` checks: guard_tables, else those named in "rows", else all.
  std::vector<size_t> GuardTables() const;

  // The target of a table, 0 when the profile does not name it.
  int64_t Target(size_t table) const { return table < rows.size() ? rows[table].value_or(0) : 0; }
};

// Sets `model` (its tables become the profile's) and sizes rows and fixtures to its tables,
// every target unnamed and no fixtures; guard_tables is cleared.
void SetModel(std::shared_ptr<const GenerationModel> model, Profile* profile);

// Loads a built-in profile by name ("default", "large", "xl", ...) or a JSON file by path. A
// reference containing '/' or ending in ".json" is a path; otherwise a built-in name is tried
// first, then a file of that name. The result has a model.
StatusOr<Profile> LoadProfile(std::string_view reference);

// The profile `reference` names (resolved as LoadProfile does) as one JSON object, pretty-printed
// (PrettyJson, ending in a newline): its "extends" chain merged base first, objects key by key
// (MergeJsonObjects, as loading merges them), without the "extends" key; "name" is the file's own,
// never inherited. A reference the chain follows is a built-in name first, else a path relative to
// the directory of the file that names it. Fails with LoadProfile's error when the profile does not
// load.
StatusOr<std::string> ResolvedProfileJson(std::string_view reference);

// Parses a profile from JSON text; `origin` names it in messages (a path or "built-in NAME");
// `directory` resolves a relative "extends". Exposed for tests.
StatusOr<Profile> ParseProfile(std::string_view json, std::string_view origin,
                               std::string_view directory);

// Applies "TABLE=N" from --rows or SEED_<TABLE>_COUNT. Returns InvalidArgument naming `source`
// (e.g. "--rows") for an unknown table or a count that is not a non-negative integer.
Status ApplyRowOverride(std::string_view assignment, std::string_view source, Profile* profile);

// The TABLE of SEED_<TABLE>_COUNT for a table name: upper-cased, every character other than
// A-Z and 0-9 as '_' ("users" -> "USERS", "order-items" -> "ORDER_ITEMS").
std::string TableVariablePart(std::string_view table);

// A fingerprint of what decides the generated values apart from the seed and the row targets:
// the time window, the declared tables and the fixtures (64 hex digits, SHA-256 of a canonical
// text). Profiles that differ only in their targets (`default`, `large`, `xl`) share it, so growing
// the targets is a top-up, and anything else is a different data set (cli/cli_seed.cc).
std::string ProfileFingerprint(const Profile& profile);

// Multiplies every target the profile gives by the factor `text` (a decimal number above 0 and
// at most 1000000), rounding to the nearest whole row. InvalidArgument naming `source`
// ("--scale") for anything else or a target that would pass 2^63 - 1.
Status ScaleTargets(std::string_view text, std::string_view source, Profile* profile);

// Applies each assignment with ApplyRowOverride; a table assigned twice is refused
// (kInvalidArgument "--rows: users is given twice (users=5, then users=8)").
Status ApplyRowOverrides(const std::vector<std::string>& assignments, std::string_view source,
                         Profile* profile);

// Parses a non-negative integer in decimal; false on anything else (sign, spaces, overflow).
bool ParseCount(std::string_view text, int64_t* value);
// Why ParseCount refused `text`: "out of range (expected 0 to 9223372036854775807)" for a number
// too large, else "expected a non-negative integer". Counts and seeds are signed 64-bit in the
// database, so that is the range everywhere (--seed, --rows, "seed" and "rows" in a profile).
std::string CountProblem(std::string_view text);

}  // namespace seedforge
