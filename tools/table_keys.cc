// The keys and constraint names of any set of tables (see table_keys.h).
#include "tools/table_keys.h"

#include "core/table_schema.h"

namespace seedforge {

// Keys of a set of tables, read from their declarations (the profile's model) so that the
// declaration stays their one source.

std::vector<ForeignKey> ForeignKeysOf(const std::vector<TableSchema>& schemas) {
  std::vector<ForeignKey> result;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type != 'f' || constraint.columns.size() != 1) continue;
      ForeignKey& key = result.emplace_back(ForeignKey{
          constraint.name, schema.name, constraint.columns.front(), constraint.referenced_table});
      if (!constraint.referenced_columns.empty()) {
        key.parent_column = constraint.referenced_columns.front();
      }
    }
  }
  return result;
}

std::vector<UniqueKey> UniqueKeysOf(const std::vector<TableSchema>& schemas) {
  std::vector<UniqueKey> result;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type != 'p' && constraint.type != 'u') continue;
      result.push_back(UniqueKey{constraint.name, schema.name, constraint.columns});
    }
  }
  return result;
}

}  // namespace seedforge
