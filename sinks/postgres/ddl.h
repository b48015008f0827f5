// DDL from the table model (core/table_model.h): the statements that create a table, split the
// way a bulk load wants them: create the bare table, load, then build the keys and indexes in one
// sort each, then add the foreign keys (each validated by one join).
//
// Each function has two forms: *Statements returns one statement per element, without a
// terminating ';' (what restore runs one by one through PgConnection::ExecuteOne, so text from a
// manifest can never be more than one statement), and *Sql the same statements each ending with
// ";\n" (a schema file). Used by the PostgreSQL sink to create the tables generators declare,
// by `seedforge snapshot restore` and by `seedforge export --format sql`.
#pragma once

#include <string>
#include <vector>

#include "core/table_model.h"

namespace seedforge {

// Where CreateTableSql puts the primary, unique and exclusion constraints.
enum class KeyPlacement {
  kInline,  // in the CREATE TABLE (what a schema file wants)
  kLater,   // left out; AddKeysSql() adds them after the rows are loaded (what a bulk load wants)
};

// CREATE TABLE with its columns (types, collations, identity, generated columns, defaults,
// NOT NULL) and check constraints, and, with kInline, its primary, unique and exclusion
// constraints. Never foreign keys or indexes. A serial column's sequence is created first and
// owned by the column afterwards.
std::vector<std::string> CreateTableStatements(const TableDef& table,
                                               KeyPlacement keys = KeyPlacement::kInline);
std::string CreateTableSql(const TableDef& table, KeyPlacement keys = KeyPlacement::kInline);
// ALTER TABLE ... ADD CONSTRAINT for the primary, unique and exclusion constraints.
std::vector<std::string> AddKeysStatements(const TableDef& table);
std::string AddKeysSql(const TableDef& table);
// The CREATE INDEX statements of the indexes no constraint owns.
std::vector<std::string> CreateIndexesStatements(const TableDef& table);
std::string CreateIndexesSql(const TableDef& table);
// ALTER TABLE ... ADD CONSTRAINT for the foreign keys, and for check constraints marked NOT VALID
// (which CREATE TABLE cannot take). Run after every table's keys exist.
std::vector<std::string> AddForeignKeysStatements(const TableDef& table);
std::string AddForeignKeysSql(const TableDef& table);
// ALTER TABLE ... DROP CONSTRAINT for the foreign keys.
std::vector<std::string> DropForeignKeysStatements(const TableDef& table);
std::string DropForeignKeysSql(const TableDef& table);
// Drops the indexes AddKeysSql and CreateIndexesSql create: the primary, unique and exclusion
// constraints and the other indexes. REQUIRES: no foreign key still refers to those keys.
std::vector<std::string> DropKeysAndIndexesStatements(const TableDef& table);
std::string DropKeysAndIndexesSql(const TableDef& table);

// CREATE TYPE name AS ENUM ('label', ...): the name quoted, each label a string literal as
// quote_literal() writes it. One statement, without ';'.
std::string CreateEnumTypeStatement(const EnumTypeDef& type);

// The table with every constraint but no index: CreateTableStatements (kInline), then
// AddForeignKeysStatements. REQUIRES: the tables its foreign keys refer to exist (a table's own
// foreign keys to itself are fine), so create tables in dependency order.
std::vector<std::string> CreateTableWithConstraintsStatements(const TableDef& table);
std::string CreateTableWithConstraintsSql(const TableDef& table);
// CREATE INDEX IF NOT EXISTS for each index no constraint owns: the missing indexes of a table
// that may already have some.
std::vector<std::string> CreateMissingIndexesStatements(const TableDef& table);

}  // namespace seedforge
