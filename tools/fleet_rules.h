// The fleet model's own rules for `verify`: the realism rules (each an SQL count of violating
// rows), fleet-specific (a generic model carries its own checks); and the keys and constraint
// names of any set of tables, read from their declarations (verify reads the profile's).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/table_schema.h"
#include "engine/profile.h"

namespace seedforge {

struct RealismRule {
  std::string_view name;  // e.g. "UsersCreatedInIdOrder"
  // SELECT count(*) of the rows breaking the rule, with placeholders $WINDOW_START, $WINDOW_END
  // (timestamptz literals) and $EMAIL_DOMAIN (a text literal) for the profile's values.
  std::string_view sql;
};

// Every realism rule of the fleet model. The span refers to static storage.
std::span<const RealismRule> RealismRules();
// The rule's SQL with the profile's values in place of the placeholders.
std::string RealismRuleSql(const RealismRule& rule, const Profile& profile);

// ---------------------------------------------------------------------------------------------
// Keys of a set of tables, read from their declarations.

struct ForeignKey {
  std::string constraint;            // e.g. "events_asset_id_fkey"
  std::string table;                 // child table
  std::string column;                // child column
  std::string parent;                // parent table
  std::string parent_column = "id";  // the parent's column it refers to
};
struct UniqueKey {
  std::string constraint;            // e.g. "assets_asset_tag_key"
  std::string table;                 //
  std::vector<std::string> columns;  // in key order
};
// The single-column foreign keys, the primary and unique keys, and every constraint and index
// name (table, name) of any set of tables, from their declarations (verify runs these on the
// profile's tables).
std::vector<ForeignKey> ForeignKeysOf(const std::vector<TableSchema>& schemas);
std::vector<UniqueKey> UniqueKeysOf(const std::vector<TableSchema>& schemas);
std::vector<std::pair<std::string, std::string>> ObjectNamesOf(
    const std::vector<TableSchema>& schemas);

}  // namespace seedforge
