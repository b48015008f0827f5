// The server's own pg_dump, run by seedforge for the schema of snapshots and SQL exports.
//
// seedforge copies the rows itself (parallel binary COPY) but leaves the DDL to pg_dump: it
// knows every kind of object of every server version (partitions, extensions, types, functions,
// triggers, policies, comments...), which a hand-written catalog reader would chase forever.
// `pg_dump --schema-only --section=pre-data` gives what must exist before the rows are loaded
// (schemas, extensions, types, functions, sequences, tables and partitions, views);
// `--section=post-data` what is built after them (keys, indexes, foreign keys, triggers, rules,
// policies), so triggers never fire on restored rows and each index is built in one sort.
//
// Version rule: pg_dump refuses a server of a newer major version than its own, so FindPgDump
// picks a pg_dump whose major version is at least the server's: $SEEDFORGE_PG_DUMP when set,
// else the newest of /usr/lib/postgresql/N/bin/pg_dump (Debian, Ubuntu) and `pg_dump` on PATH.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace seedforge {

struct PgDumpProgram {
  std::string path;     // executable
  std::string version;  // "15.18"
  int major = 0;        // 15
};

// A pg_dump that can dump a server of major version `server_major` (see the top of this file).
// kFailedPrecondition naming the versions found when there is none.
StatusOr<PgDumpProgram> FindPgDump(int server_major);

struct SchemaDumpOptions {
  std::string conninfo;              // the database; the password goes to pg_dump through its
                                     // environment (PGPASSWORD), never on its command line
  std::string snapshot_id;           // pg_export_snapshot() of the transaction the rows are read in
  std::vector<std::string> schemas;  // -n for each (exact names); empty: all schemas
  std::vector<std::string> exclude_schemas;  // -N for each (exact names)
  std::vector<std::string> extensions;       // -e for each (only used with `schemas`)
};

// Runs `pg_dump --schema-only --format=custom` once and writes its pre-data and post-data
// sections, as `pg_dump --section=...` would print them, to the two paths (created; must not
// exist) with the pg_restore next to it. Owners, privileges, tablespaces and subscriptions are
// left out (--no-owner --no-privileges --no-tablespaces --no-subscriptions): restored objects
// belong to the user who restores, on whatever server. Fails with one line holding the tool's
// first error line, without the password, and leaves no file behind.
Status DumpSchemaSections(const PgDumpProgram& program, const SchemaDumpOptions& options,
                          const std::string& pre_data_path, const std::string& post_data_path);

// `script` without the psql meta-commands pg_dump 15.14+ writes around it (`\restrict KEY`,
// `\unrestrict KEY`), so that the server can run it as one simple-protocol query string.
std::string WithoutPsqlRestrict(std::string_view script);

// Hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace seedforge
