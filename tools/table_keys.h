// The keys and constraint names of any set of tables, read from their declarations (verify
// reads the profile's). A profile's rules about its data are its own "checks".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/table_schema.h"

namespace seedforge {

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
// The single-column foreign keys and the primary and unique keys of any set of tables, from
// their declarations (verify runs these on the profile's tables).
std::vector<ForeignKey> ForeignKeysOf(const std::vector<TableSchema>& schemas);
std::vector<UniqueKey> UniqueKeysOf(const std::vector<TableSchema>& schemas);

}  // namespace seedforge
