// The catalog reader: what a PostgreSQL database says about its tables, in the table model
// (core/table_model.h).
//
// ReadTables() reads, for every ordinary table of the given schemas, its columns, constraints
// (primary, unique, foreign, check, exclusion) and the indexes that no constraint owns, and
// returns the tables in foreign-key dependency order. ReadTable() reads one table named as a
// session would name it. Every name and expression is schema-qualified (read with search_path =
// pg_catalog, as pg_dump does), so definitions read from two databases compare equal exactly
// when they mean the same thing. Used by the PostgreSQL sink's schema check, `seedforge snapshot`
// (the manifest's schema, restore's comparison and recreation) and `seedforge export --format
// sql`; sinks/postgres/ddl.h turns the result back into DDL.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/table_model.h"

namespace seedforge {

class PgConnection;

// Which relations ReadTables returns.
enum class TableKinds {
  kOrdinary,                // ordinary tables (relkind 'r'), not partitions
  kOrdinaryAndPartitioned,  // and partitioned tables (relkind 'p', TableDef::partitioned), not
                            // their partitions: each table once, as an application sees it
};

// The ordinary tables (relkind 'r', not partitions) of `schemas`, in dependency order: every
// table comes after the tables its foreign keys refer to. Self references are ignored; a cycle is
// broken deterministically (the tables left are taken in (schema, name) order). Ties are taken in
// (schema, name) order, so the result is the same on every database with the same schema.
// Temporarily sets the session's search_path to pg_catalog (restored before returning, also on
// error). Runs inside the caller's transaction, if any. Schemas that do not exist are skipped.
StatusOr<std::vector<TableDef>> ReadTables(PgConnection& connection,
                                           const std::vector<std::string>& schemas,
                                           TableKinds kinds = TableKinds::kOrdinary);

// The table (ordinary or partitioned) that `name` (SQL text: "users", "s.\"Order\"") means in
// this session, resolved with the session's search_path; nullopt when there is none.
// kFailedPrecondition when `name` is a relation that is not a table (a view, a sequence).
// Otherwise as ReadTables.
StatusOr<std::optional<TableDef>> ReadTable(PgConnection& connection, const std::string& name);

// The server's own text of the declared CHECKs of `declared` that `actual` (the existing table,
// as ReadTable read it) has no CHECK of the same name for, keyed by the declared name: each
// predicate as pg_get_constraintdef() prints it on `actual`'s columns, read as ReadTable reads
// definitions (search_path = pg_catalog), for EquivalentConstraint to find an application's CHECK
// of another name that says the same. The predicates are added to an empty temporary copy of the
// table's columns (CREATE TEMP TABLE ... (LIKE ...)) in a transaction that is rolled back: the
// database is unchanged. Nothing is asked when `actual` has no CHECK of another name. A
// predicate the server refuses is left out, and so is everything when the session cannot make
// a temporary table (a read-only session): those CHECKs are then matched by name only.
// REQUIRES: no transaction is open on `connection`.
StatusOr<std::map<std::string, std::string>> NormalizedCheckDefinitions(PgConnection& connection,
                                                                        const TableDef& declared,
                                                                        const TableDef& actual);

// True when `name` (SQL text, as for ReadTable) is a relation of this session.
StatusOr<bool> RelationExists(PgConnection& connection, const std::string& name);
// True when the current role owns relation `name` (or is a member of its owner's role): what
// dropping and recreating its constraints takes. An error when there is no such relation.
StatusOr<bool> OwnsRelation(PgConnection& connection, const std::string& name);

}  // namespace seedforge
