// Internal to profile reading (engine/profile.h): the reader's class, whose parts live in three
// files by responsibility: profile.cc walks the document (the root, extends, the window, rows,
// guard tables, checks, env) and holds the scalar helpers; profile_fixtures.cc reads "fixtures";
// profile_text.cc checks the raw text before simdjson walks it and turns byte offsets into
// lines and columns. simdjson's types appear here because only those files include it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/table_schema.h"
#include "engine/profile.h"
#include "simdjson.h"

namespace seedforge::profile_detail {

namespace od = simdjson::ondemand;

// The profile's table names, for "unknown table" messages: "(expected one of: users, ...)".
std::string ExpectedTables(const Profile& profile);

// Reads one profile file (and, through "extends", the profiles it builds on). Not thread-safe.
class ProfileReader {
 public:
  ProfileReader(std::string_view origin, std::string_view directory, int depth)
      : origin_(origin), directory_(directory), depth_(depth) {}

  StatusOr<Profile> Read(std::string_view json);

 private:
  // The window every profile starts from; no model yet (ChooseModel or a base gives it).
  static Profile EmptyProfile();
  StatusOr<Profile> LoadBase(std::string_view reference);
  // THE place where a profile's model is chosen, before any other key is read (keys come in any
  // order; "rows", "fixtures" and "guard_tables" name tables of the model). `profile` holds the
  // base's model ("extends" or, for a profile that declares no tables,
  // the built-in "default").
  Status ChooseModel(od::document& doc, od::object& root, Profile* profile);
  // The object member `key` of `root` merged over *merged (the base's, key by key; copied when
  // the base has none); *given tells whether the member is there. `expected`: the message for a
  // member that is not an object.
  Status MergeMember(od::document& doc, od::object& root, std::string_view key,
                     std::string_view expected, std::string* merged, bool* given);
  Status ReadRoot(od::document& doc, od::object& root, Profile* profile);
  // "fixtures": {"TABLE": {"key": "COLUMN", "rows": [{"COLUMN": value, ...}, ...]}, ...}. A table
  // named here replaces the base profile's fixtures of that table.
  Status ReadFixtures(od::document& doc, od::value& value, Profile* profile);
  Status ReadTableFixtures(od::document& doc, od::value& value, const std::string& path,
                           const TableSchema& schema, TableFixtures* fixtures);
  static int ColumnIndex(const TableSchema& schema, std::string_view name);
  Status ReadFixtureRow(od::document& doc, od::value& value, const TableSchema& schema,
                        FixtureRow* row);
  Status ReadFixtureValue(od::document& doc, od::value& value, const std::string& path,
                          const ColumnSchema& column, FixtureValue* out);
  // OK when `text` is a label of `type`; else "<path>: 'x' is not a label of enum t (a, b)".
  Status CheckEnumLabel(const EnumTypeDef& type, const std::string& text,
                        const std::string& path) const;
  // Every {"ref": KEY} names a fixture of the referenced table.
  Status CheckFixtureReferences(const Profile& profile) const;
  Status ReadWindow(od::document& doc, od::value& value, Profile* profile);
  Status ReadRows(od::document& doc, od::value& value, Profile* profile);
  // A non-empty array of distinct table names.
  Status ReadGuardTables(od::document& doc, od::value& value, Profile* profile);
  Status ReadCountVariables(od::document& doc, od::value& value, Profile* profile);
  Status ReadChecks(od::document& doc, od::value& value, Profile* profile);
  Status String(od::document& doc, od::value& value, const std::string& path, std::string* out);
  // The text of a scalar as written (raw_json_token() runs on to the next token).
  static std::string_view NumberToken(od::value& value);
  // A non-negative integer. 1.5, -3, "10" and 1e3 are all refused with the same clear message.
  Status Count(od::document& doc, od::value& value, const std::string& path, int64_t* out);
  Status Invalid(std::string_view path, const std::string& message) const;
  Status Syntax(od::document& doc, simdjson::error_code error) const;
  // `doc` may be null (iterate() failed): the message then has no line and column.
  Status Syntax(od::document* doc, simdjson::error_code error) const;
  // ":LINE:COLUMN" of byte `offset` of the text (both from 1).
  std::string LineColumn(size_t offset) const;
  Status TextError(size_t offset, const std::string& message) const;
  // What simdjson would report badly or not at all (before it walks the text): nothing but
  // blanks, a NUL byte, invalid UTF-8, and anything after the closing brace of the object.
  Status CheckText() const;
  // The offset of the first byte that does not start or continue a valid UTF-8 sequence
  // (overlong forms, surrogates and code points above U+10FFFF included), or npos.
  static size_t InvalidUtf8Offset(std::string_view text);
  // The offset just past the '}' that closes the object opening at `open`, or npos.
  static size_t ObjectEnd(std::string_view text, size_t open);
  // Refuses a key an object already gave: JSON would let the last one win, silently.
  Status Once(std::vector<std::string>* seen, std::string_view key, std::string_view path) const;
  std::string origin_;
  std::string directory_;
  int depth_;
  simdjson::padded_string json_;
};

}  // namespace seedforge::profile_detail
