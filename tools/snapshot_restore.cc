// snapshot restore (see snapshot.h).
//
// Rows: everything happens in ONE transaction on one connection, so a failure at any point, a
// kill or a lost server rolls all of it back. The covered schemas are dropped (DROP SCHEMA ...
// CASCADE, after Plan() made sure nothing outside them depends on them; public is recreated
// with its owner, privileges and comment, since pg_dump expects it to exist), the pre-data
// script recreates them, the tables are loaded with COPY FREEZE (legal for a table created in
// the same transaction; with wal_level=minimal it also skips WAL) into bare tables (a COPY is
// several times faster without indexes to maintain), each table's row count (the COPY command
// tag) and the SHA-256 of the bytes sent are compared with the manifest, the post-data script
// builds keys, indexes and foreign keys (each validated by one join over every row, so circular
// and self references are checked before COMMIT) and triggers, then the sequences are set and
// the materialized views refreshed.
//
// The scripts are pg_dump output: many statements, run as one simple-protocol query string, as
// pg_restore runs them. They are the trusted part of a snapshot (checked against the manifest's
// SHA-256 before anything changes); every statement seedforge builds itself from the manifest
// runs alone through the extended query protocol, with values as parameters.
//
// Template: CREATE DATABASE <new> TEMPLATE <template>, then, in one transaction on the
// maintenance database, rename the user's database away and the clone into its place, then drop
// the old one. The user's database therefore exists under its name at every moment; a kill leaves
// at worst an extra database named seedforge_restore_PID (the unfinished clone) or
// seedforge_replaced_PID (the old data). Renaming needs no session on the database, which is
// checked before anything is created.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tools/pg_dump.h"
#include "tools/snapshot.h"
#include "tools/snapshot_file.h"

namespace seedforge {
namespace {

// `ALTER DATABASE x SET` for one pg_db_role_setting entry ("name=value"). List settings are
// stored already quoted element by element and go back as they are; others as one literal.
std::string SettingSql(PgConnection& connection, const std::string& database,
                       const std::string& entry) {
  const size_t equals = entry.find('=');
  const std::string name = entry.substr(0, equals);
  const std::string value = equals == std::string::npos ? "" : entry.substr(equals + 1);
  static const std::set<std::string> kListSettings = {
      "search_path", "temp_tablespaces", "local_preload_libraries", "session_preload_libraries"};
  const std::string sql_value =
      kListSettings.count(name) != 0 ? value : connection.QuoteLiteral(value);
  return "ALTER DATABASE " + QuoteIdentifier(database) + " SET " + QuoteIdentifier(name) + " = " +
         sql_value;
}

class Restore final : public SnapshotRestore {
 public:
  Restore(SnapshotEntry snapshot, SnapshotRestoreOptions options)
      : snapshot_(std::move(snapshot)), options_(std::move(options)) {}

  Status Plan() {
    auto connection = PgConnection::Connect(options_.conninfo);
    if (!connection.ok()) {
      return connection.status().WithContext(RedactConnectionString(options_.conninfo));
    }
    connection_ = std::move(*connection);
    plan_.database = connection_->database();
    SF_RETURN_IF_ERROR(TakeSeedforgeLock(*connection_, options_.lock_timeout_seconds,
                                         options_.cancel, options_.notice));
    SF_RETURN_IF_ERROR(CheckNoPendingConstraints(*connection_, "then restore"));
    const SnapshotManifest& manifest = snapshot_.manifest;
    const int snapshot_major = std::atoi(manifest.server_version.c_str());
    if (connection_->server_version() / 10000 < snapshot_major) {
      return FailedPrecondition("snapshot " + manifest.name + " was taken on PostgreSQL " +
                                manifest.server_version + " and this server is " +
                                connection_->server_version_text() +
                                ": a schema dumped by pg_dump restores only into the same or a "
                                "newer major version");
    }
    if (options_.use_template && !manifest.template_database.empty()) {
      SF_ASSIGN_OR_RETURN(plan_.from_template, TemplateExists(*connection_, manifest));
      if (!plan_.from_template && options_.notice) {
        options_.notice("template database " + manifest.template_database +
                        " of this snapshot is not on this server; reloading the rows instead");
      }
    }
    // The schemas replaced: the snapshot's, and for a snapshot of the whole database every other
    // schema of this one too (but those create was told to leave out).
    covered_ = manifest.schemas;
    if (manifest.include_schemas.empty()) {
      SF_ASSIGN_OR_RETURN(std::vector<std::string> here,
                          CoveredSchemas(*connection_, {}, manifest.exclude_schemas));
      for (std::string& schema : here) {
        if (std::find(covered_.begin(), covered_.end(), schema) == covered_.end()) {
          covered_.push_back(std::move(schema));
        }
      }
    }
    std::vector<std::string> quoted;
    for (const std::string& schema : covered_) quoted.push_back(QuoteIdentifier(schema));
    schemas_array_ = TextArrayLiteral(quoted);
    SF_ASSIGN_OR_RETURN(
        QueryResult present,
        connection_->QueryOne(
            "SELECT n.nspname, (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = "
            "n.oid) + (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND "
            "t.typrelid = 0 AND t.typelem = 0) + (SELECT count(*) FROM pg_catalog.pg_proc p WHERE "
            "p.pronamespace = n.oid) FROM pg_catalog.pg_namespace n WHERE "
            "n.oid::pg_catalog.regnamespace::text = ANY ($1::text[]) ORDER BY 1",
            {schemas_array_}));
    for (const auto& row : present.rows) {
      plan_.schemas_present.push_back(*row[0]);
      plan_.objects_present += std::stoll(*row[1]);
    }
    std::set<std::string> in_snapshot;
    for (const SnapshotTable& table : manifest.tables) {
      RestorePlan::Table& planned = plan_.tables.emplace_back();
      planned.snapshot = &table;
      const std::string name = table.definition.QualifiedName();
      in_snapshot.insert(name);
      SF_ASSIGN_OR_RETURN(
          QueryResult exists,
          connection_->QueryOne("SELECT CASE WHEN pg_catalog.to_regclass($1) IS NULL "
                                "THEN false ELSE pg_catalog.has_table_privilege("
                                "pg_catalog.to_regclass($1), 'SELECT') END",
                                {name}));
      planned.exists = exists.rows.at(0)[0] == "t";
      if (!planned.exists) continue;
      SF_ASSIGN_OR_RETURN(QueryResult rows,
                          connection_->QueryOne("SELECT count(*) FROM ONLY " + name, {}));
      planned.current_rows = std::stoll(*rows.rows.at(0)[0]);
    }
    for (const std::string& name : manifest.partitioned_tables) in_snapshot.insert(name);
    SF_ASSIGN_OR_RETURN(
        QueryResult tables,
        connection_->QueryOne("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM "
                              "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                              "c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
                              "n.oid::pg_catalog.regnamespace::text = ANY ($1::text[]) ORDER BY 1",
                              {schemas_array_}));
    for (const auto& row : tables.rows) {
      if (in_snapshot.count(*row[0]) == 0 && *row[0] != kPendingConstraintsTable) {
        plan_.other_tables.push_back(*row[0]);
      }
    }
    if (plan_.from_template) return CheckNoOtherSessions();
    SF_RETURN_IF_ERROR(CheckNoDependentsOutside());
    return CheckFiles();
  }

  const RestorePlan& plan() const override { return plan_; }

  Status Execute() override {
    if (plan_.from_template) return CloneTemplate();
    Status status = ReloadRows();
    if (!status.ok()) (void)connection_->ExecuteOne("ROLLBACK");
    return status;
  }

 private:
  Status CheckCancel() const {
    if (options_.cancel != nullptr && options_.cancel->load()) return Cancelled("interrupted");
    return Status::Ok();
  }

  std::string FilePath(const SnapshotTable& table) const {
    return snapshot_.path + "/" + table.file;
  }

  // An object outside the covered schemas that depends on one inside them would be dropped with
  // them (DROP SCHEMA ... CASCADE): refuse, naming it, instead.
  Status CheckNoDependentsOutside() {
    SF_ASSIGN_OR_RETURN(
        QueryResult outside,
        connection_->QueryOne(
            "WITH inside AS (SELECT oid FROM pg_catalog.pg_namespace WHERE "
            "oid::pg_catalog.regnamespace::text = ANY ($1::text[])), objects AS (SELECT "
            "'pg_catalog.pg_class'::pg_catalog.regclass AS classid, oid AS objid, relnamespace "
            "AS nsp FROM pg_catalog.pg_class UNION ALL SELECT "
            "'pg_catalog.pg_type'::pg_catalog.regclass, oid, typnamespace FROM "
            "pg_catalog.pg_type UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, oid, "
            "pronamespace FROM pg_catalog.pg_proc UNION ALL SELECT "
            "'pg_catalog.pg_constraint'::pg_catalog.regclass, oid, connamespace FROM "
            "pg_catalog.pg_constraint UNION ALL SELECT "
            "'pg_catalog.pg_rewrite'::pg_catalog.regclass, r.oid, c.relnamespace FROM "
            "pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class UNION ALL "
            "SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, t.oid, c.relnamespace FROM "
            "pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid UNION ALL "
            "SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass, oid, extnamespace FROM "
            "pg_catalog.pg_extension) SELECT pg_catalog.pg_describe_object(d.classid, d.objid, "
            "0), pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0) FROM "
            "pg_catalog.pg_depend d JOIN objects r ON r.classid = d.refclassid AND r.objid = "
            "d.refobjid JOIN objects o ON o.classid = d.classid AND o.objid = d.objid WHERE "
            "r.nsp IN (SELECT oid FROM inside) AND o.nsp NOT IN (SELECT oid FROM inside) AND "
            "d.deptype IN ('n', 'a') ORDER BY 1 LIMIT 1",
            {schemas_array_}));
    if (outside.rows.empty()) return Status::Ok();
    std::string schemas;
    for (const std::string& schema : covered_) schemas += (schemas.empty() ? "" : ", ") + schema;
    return FailedPrecondition(*outside.rows[0][0] + " is outside the restored schemas (" + schemas +
                              ") and depends on " + *outside.rows[0][1] +
                              ", which the restore drops and recreates; drop it first or "
                              "snapshot its schema too");
  }

  // Missing, cut or changed files are found before anything is asked or changed; the schema
  // scripts are read here, once, and run from memory.
  Status CheckFiles() {
    for (const SnapshotSchemaFile& file : snapshot_.manifest.schema_files) {
      const std::string path = snapshot_.path + "/" + file.file;
      std::ifstream in(path, std::ios::binary);
      if (!in) return FailedPrecondition("snapshot file " + path + ": cannot be read");
      std::ostringstream text;
      text << in.rdbuf();
      std::string script = text.str();
      if (static_cast<int64_t>(script.size()) != file.bytes || Sha256Hex(script) != file.sha256) {
        return FailedPrecondition("snapshot file " + path +
                                  " does not match the manifest's size and SHA-256 (changed "
                                  "since the snapshot was taken)");
      }
      scripts_.push_back(WithoutPsqlRestrict(script));
    }
    for (const SnapshotTable& table : snapshot_.manifest.tables) {
      const std::string path = FilePath(table);
      std::error_code error;
      const auto size = std::filesystem::file_size(path, error);
      if (error) return FailedPrecondition("snapshot file " + path + ": " + error.message());
      if (static_cast<int64_t>(size) != table.compressed_bytes) {
        return FailedPrecondition(
            "snapshot file " + path + " is " + std::to_string(size) + " bytes, the manifest says " +
            std::to_string(table.compressed_bytes) + " (truncated or replaced)");
      }
    }
    return Status::Ok();
  }

  // Every role's sessions (ListOtherSessions): PostgreSQL itself ends autovacuum workers.
  Status CheckNoOtherSessions() {
    SF_ASSIGN_OR_RETURN(const OtherSessions others, ListOtherSessions(*connection_));
    if (others.count == 0) return Status::Ok();
    return FailedPrecondition("database " + connection_->database() + " has " +
                              std::to_string(others.count) + " other session(s) (" + others.names +
                              "); restoring from the template swaps the database, which needs "
                              "none: close them, or add --no-template to reload the rows");
  }

  // Empties schema public without dropping it: dropping would lose what pg_dump compares its
  // privileges with (pg_init_privs) and pg_dump's scripts expect it to exist. Extensions first,
  // then relations, routines and types, each kind in one DROP ... CASCADE (Plan() made sure
  // nothing outside the covered schemas depends on them). Names come from the database's own
  // catalog (quote_ident, regprocedure), each statement runs alone.
  Status EmptyPublic() {
    PgConnection& c = *connection_;
    const std::string in_public =
        " = 'public'::pg_catalog.regnamespace AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend "
        "d WHERE d.objid = x.oid AND d.deptype = 'e')";
    SF_ASSIGN_OR_RETURN(
        QueryResult others,
        c.QueryOne("SELECT 'collation ' || x.oid::pg_catalog.regcollation FROM "
                   "pg_catalog.pg_collation x WHERE x.collnamespace" +
                       in_public +
                       " UNION ALL SELECT 'operator ' || x.oid::pg_catalog.regoperator FROM "
                       "pg_catalog.pg_operator x WHERE x.oprnamespace" +
                       in_public +
                       " UNION ALL SELECT 'text search configuration ' || "
                       "x.oid::pg_catalog.regconfig FROM pg_catalog.pg_ts_config x WHERE "
                       "x.cfgnamespace" +
                       in_public + " LIMIT 1",
                   {}));
    if (!others.rows.empty()) {
      return FailedPrecondition("schema public holds " + *others.rows[0][0] +
                                ", which restore does not know how to clear; drop it first");
    }
    struct Kind {
      const char* drop;
      std::string query;
    };
    const std::vector<Kind> kinds = {
        {"EXTENSION",
         "SELECT pg_catalog.quote_ident(x.extname) FROM pg_catalog.pg_extension x WHERE "
         "x.extnamespace = 'public'::pg_catalog.regnamespace"},
        {"VIEW",
         "SELECT x.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class x WHERE "
         "x.relkind = 'v' AND x.relnamespace" +
             in_public},
        {"MATERIALIZED VIEW",
         "SELECT x.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class x "
         "WHERE x.relkind = 'm' AND x.relnamespace" +
             in_public},
        {"FOREIGN TABLE",
         "SELECT x.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class x "
         "WHERE x.relkind = 'f' AND x.relnamespace" +
             in_public},
        {"TABLE",
         "SELECT x.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class x WHERE "
         "x.relkind IN ('r', 'p') AND NOT x.relispartition AND x.relnamespace" +
             in_public},
        {"SEQUENCE",
         "SELECT x.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class x WHERE "
         "x.relkind = 'S' AND x.relnamespace" +
             in_public},
        {"ROUTINE",
         "SELECT x.oid::pg_catalog.regprocedure::text FROM pg_catalog.pg_proc x WHERE "
         "x.pronamespace" +
             in_public},
        {"DOMAIN",
         "SELECT x.oid::pg_catalog.regtype::text FROM pg_catalog.pg_type x WHERE "
         "x.typtype = 'd' AND x.typnamespace" +
             in_public},
        {"TYPE",
         "SELECT x.oid::pg_catalog.regtype::text FROM pg_catalog.pg_type x LEFT JOIN "
         "pg_catalog.pg_class r ON r.oid = x.typrelid WHERE x.typtype IN ('c', 'e', 'r') "
         "AND (x.typrelid = 0 OR r.relkind = 'c') AND x.typnamespace" +
             in_public},
    };
    for (const Kind& kind : kinds) {
      SF_ASSIGN_OR_RETURN(QueryResult names, c.QueryOne(kind.query, {}));
      if (names.rows.empty()) continue;
      std::string list;
      for (const auto& row : names.rows) list += (list.empty() ? "" : ", ") + *row[0];
      SF_RETURN_IF_ERROR(
          c.ExecuteOne(std::string("DROP ") + kind.drop + " IF EXISTS " + list + " CASCADE")
              .WithContext("clearing schema public"));
    }
    return Status::Ok();
  }

  // Drops the covered schemas that exist, but public, which is emptied instead.
  Status DropSchemas() {
    PgConnection& c = *connection_;
    // pg_dump creates public itself when it was named with --schema (create --schema public):
    // then it is dropped like the others.
    const bool script_creates_public =
        scripts_.at(0).find("\nCREATE SCHEMA public;\n") != std::string::npos;
    for (const std::string& schema : plan_.schemas_present) {
      if (schema == "public" && !script_creates_public) {
        SF_RETURN_IF_ERROR(EmptyPublic());
        continue;
      }
      SF_RETURN_IF_ERROR(c.ExecuteOne("DROP SCHEMA " + QuoteIdentifier(schema) + " CASCADE")
                             .WithContext("dropping schema " + schema));
    }
    const bool public_covered =
        std::find(snapshot_.manifest.schemas.begin(), snapshot_.manifest.schemas.end(), "public") !=
        snapshot_.manifest.schemas.end();
    const bool public_present =
        std::find(plan_.schemas_present.begin(), plan_.schemas_present.end(), "public") !=
        plan_.schemas_present.end();
    if (public_covered && !public_present && !script_creates_public) {
      SF_RETURN_IF_ERROR(
          c.ExecuteOne("CREATE SCHEMA public").WithContext("creating schema public"));
    }
    return Status::Ok();
  }

  Status ReloadRows() {
    PgConnection& c = *connection_;
    SF_RETURN_IF_ERROR(c.ExecuteOne("BEGIN"));
    SF_RETURN_IF_ERROR(DropSchemas());
    SF_RETURN_IF_ERROR(CheckCancel());
    SF_RETURN_IF_ERROR(
        c.Execute(scripts_.at(0)).WithContext("running the schema's pre-data section"));
    for (const SnapshotTable& table : snapshot_.manifest.tables) SF_RETURN_IF_ERROR(Load(table));
    SF_RETURN_IF_ERROR(CheckCancel());
    SF_RETURN_IF_ERROR(c.Execute(scripts_.at(1))
                           .WithContext("running the schema's post-data section (keys, indexes, "
                                        "foreign keys, triggers)"));
    for (const SnapshotSequence& sequence : snapshot_.manifest.sequences) {
      SF_RETURN_IF_ERROR(
          c.ExecuteOne("SELECT pg_catalog.setval($1::pg_catalog.regclass, $2::bigint, $3::bool)",
                       {sequence.sequence, std::to_string(sequence.last_value),
                        sequence.is_called ? "true" : "false"})
              .WithContext("restoring sequence " + sequence.sequence));
    }
    for (const std::string& view : snapshot_.manifest.materialized_views) {
      SF_RETURN_IF_ERROR(CheckCancel());
      SF_RETURN_IF_ERROR(c.ExecuteOne("REFRESH MATERIALIZED VIEW " + view)
                             .WithContext("refreshing materialized view " + view));
    }
    SF_FAILPOINT("restore.before_commit", "");
    SF_RETURN_IF_ERROR(CheckCancel());  // the last moment at which Ctrl-C changes nothing
    return c.ExecuteOne("COMMIT");
  }

  Status Load(const SnapshotTable& table) {
    PgConnection& c = *connection_;
    const std::string name = table.definition.QualifiedName();
    const std::string columns = table.definition.CopyColumnList();
    // One statement through the extended protocol, names quoted by seedforge.
    SF_RETURN_IF_ERROR(c.CopyBegin("COPY " + name + (columns.empty() ? "" : " (" + columns + ")") +
                                   " FROM STDIN (FORMAT binary, FREEZE)")
                           .WithContext("table " + name));
    const std::string path = FilePath(table);
    auto stats = ReadSnapshotFile(path, [&](std::string_view chunk) -> Status {
      SF_RETURN_IF_ERROR(CheckCancel());
      SF_RETURN_IF_ERROR(c.CopyPut(chunk));
      SF_FAILPOINT("restore.chunk_sent", name);
      return Status::Ok();
    });
    if (!stats.ok()) {
      c.CopyAbort();
      return stats.status().WithContext("table " + name);
    }
    SF_RETURN_IF_ERROR(c.CopyEnd().WithContext("table " + name + ": loading " + path));
    if (c.last_copy_rows() != table.rows) {
      return FailedPrecondition("table " + name + ": " + path + " holds " +
                                std::to_string(c.last_copy_rows()) + " rows, the manifest says " +
                                std::to_string(table.rows));
    }
    if (stats->sha256 != table.sha256 || stats->raw_bytes != table.raw_bytes) {
      return FailedPrecondition("table " + name + ": the content of " + path +
                                " does not match the manifest's SHA-256 (the file was changed)");
    }
    SF_FAILPOINT("restore.table_copied", name);
    return Status::Ok();
  }

  // The template path (see the top of this file).
  Status CloneTemplate() {
    const SnapshotManifest& manifest = snapshot_.manifest;
    const std::string database = connection_->database();
    SF_ASSIGN_OR_RETURN(QueryResult info,
                        connection_->Query("SELECT pg_get_userbyid(datdba), datconnlimit, "
                                           "datacl IS NULL FROM pg_database WHERE datname = "
                                           "current_database()"));
    const std::string owner = *info.rows.at(0)[0];
    std::vector<std::string> after;  // settings, privileges and limits to carry over
    if (*info.rows[0][1] != "-1") {
      after.push_back("ALTER DATABASE {new} WITH CONNECTION LIMIT " + *info.rows[0][1]);
    }
    SF_ASSIGN_OR_RETURN(
        QueryResult settings,
        connection_->Query("SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setrole = 0 "
                           "AND setdatabase = (SELECT oid FROM pg_database WHERE datname = "
                           "current_database())"));
    for (const auto& row : settings.rows)
      after.push_back(SettingSql(*connection_, "{new}", *row[0]));
    if (*info.rows[0][2] == "f") {
      after.push_back("REVOKE ALL ON DATABASE {new} FROM PUBLIC");
      SF_ASSIGN_OR_RETURN(
          QueryResult grants,
          connection_->Query("SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
                             "ELSE quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable "
                             "FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = "
                             "current_database()"));
      for (const auto& row : grants.rows) {
        after.push_back("GRANT " + *row[0] + " ON DATABASE {new} TO " + *row[1] +
                        (row[2] == "t" ? " WITH GRANT OPTION" : ""));
      }
    }
    connection_.reset();  // renaming the database needs no session on it, ours included

    SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> admin, ConnectMaintenance(database));
    const std::string pid = std::to_string(getpid());
    const std::string fresh = "seedforge_restore_" + pid;
    const std::string replaced = "seedforge_replaced_" + pid;
    SF_RETURN_IF_ERROR(admin->Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(fresh)));
    SF_RETURN_IF_ERROR(admin
                           ->Execute("CREATE DATABASE " + QuoteIdentifier(fresh) + " TEMPLATE " +
                                     QuoteIdentifier(manifest.template_database) + " OWNER " +
                                     QuoteIdentifier(owner))
                           .WithContext("cloning template database " + manifest.template_database));
    const auto drop_fresh = [&] {
      (void)admin->Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(fresh) + " WITH (FORCE)");
    };
    for (std::string statement : after) {
      statement.replace(statement.find("{new}"), 5, QuoteIdentifier(fresh));
      Status status = admin->Execute(statement);
      if (!status.ok()) {
        drop_fresh();
        return status.WithContext("copying the settings of database " + database);
      }
    }
    if (Status counted = CheckClonedCounts(fresh); !counted.ok()) {
      drop_fresh();
      return counted;
    }
    Status swapped =
        admin->Execute("BEGIN; ALTER DATABASE " + QuoteIdentifier(database) + " RENAME TO " +
                       QuoteIdentifier(replaced) + "; ALTER DATABASE " + QuoteIdentifier(fresh) +
                       " RENAME TO " + QuoteIdentifier(database) + "; COMMIT");
    if (!swapped.ok()) {
      (void)admin->Execute("ROLLBACK");
      drop_fresh();
      if (swapped.message().find("being accessed by other users") != std::string::npos) {
        return FailedPrecondition("database " + database +
                                  " got another session while restoring from the template, and "
                                  "swapping needs none; nothing was changed: close it, or add "
                                  "--no-template to reload the rows");
      }
      return swapped.WithContext("swapping in the restored database");
    }
    Status dropped = admin->Execute("DROP DATABASE " + QuoteIdentifier(replaced));
    if (!dropped.ok() && options_.notice) {
      options_.notice("restored, but the replaced database is still there as " + replaced + " (" +
                      dropped.message() + "); drop it with DROP DATABASE " + replaced);
    }
    return Status::Ok();
  }

  // A connection to the maintenance database ("postgres", else "template1"), never `database`.
  StatusOr<std::unique_ptr<PgConnection>> ConnectMaintenance(const std::string& database) {
    Status last;
    for (const char* name : {"postgres", "template1"}) {
      if (database == name) continue;
      SF_ASSIGN_OR_RETURN(std::string conninfo, ConninfoForDatabase(options_.conninfo, name));
      auto connection = PgConnection::Connect(conninfo);
      if (connection.ok()) return std::move(*connection);
      last = connection.status();
    }
    return last.WithContext("connecting to the maintenance database to swap databases");
  }

  // The clone's row counts must be the manifest's before it replaces anything.
  Status CheckClonedCounts(const std::string& clone) {
    SF_ASSIGN_OR_RETURN(std::string conninfo, ConninfoForDatabase(options_.conninfo, clone));
    auto connection = PgConnection::Connect(conninfo);
    if (!connection.ok()) return connection.status().WithContext("checking the cloned database");
    for (const SnapshotTable& table : snapshot_.manifest.tables) {
      const std::string name = table.definition.QualifiedName();
      SF_ASSIGN_OR_RETURN(const int64_t rows,
                          (*connection)->QueryInt("SELECT count(*) FROM " + name));
      if (rows != table.rows) {
        return FailedPrecondition("template database " + snapshot_.manifest.template_database +
                                  ": table " + name + " holds " + std::to_string(rows) +
                                  " rows, the manifest says " + std::to_string(table.rows) +
                                  "; add --no-template to reload the rows from the files");
      }
    }
    return Status::Ok();
  }

  SnapshotEntry snapshot_;
  SnapshotRestoreOptions options_;
  std::unique_ptr<PgConnection> connection_;
  RestorePlan plan_;
  std::vector<std::string> covered_;  // the schemas the restore replaces
  std::string schemas_array_;         // the same, quoted, as a text[] literal
  std::vector<std::string> scripts_;  // pre-data and post-data, checked, ready to run
};

}  // namespace

int64_t RestorePlan::current_rows() const {
  int64_t total = 0;
  for (const Table& table : tables) total += table.current_rows;
  return total;
}

StatusOr<std::unique_ptr<SnapshotRestore>> SnapshotRestore::Prepare(
    const SnapshotEntry& snapshot, const SnapshotRestoreOptions& options) {
  auto restore = std::make_unique<Restore>(snapshot, options);
  SF_RETURN_IF_ERROR(restore->Plan());
  return std::unique_ptr<SnapshotRestore>(std::move(restore));
}

}  // namespace seedforge
