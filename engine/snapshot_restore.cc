// snapshot restore (see snapshot.h).
//
// Rows: everything happens in ONE transaction on one connection, so a failure at any point, a
// kill or a lost server rolls all of it back: the foreign keys of the restored tables are
// dropped, then their keys and indexes (a COPY into a bare table is several times faster than
// one that maintains them row by row), the tables are truncated (or, with --recreate-schema,
// dropped and created from the manifest), loaded in dependency order with COPY FREEZE (legal
// after TRUNCATE in the same transaction; with wal_level=minimal it also skips WAL), and then
// keys, indexes and foreign keys are rebuilt from the manifest. Adding a foreign key validates
// every row with one join, so self-referencing and circular references are checked before
// COMMIT without deferring anything. Each table's row count (the COPY command tag) and the
// SHA-256 of the bytes sent are compared with the manifest before COMMIT.
//
// Template: CREATE DATABASE <new> TEMPLATE <template>, then, in one transaction on the
// maintenance database, rename the user's database away and the clone into its place, then drop
// the old one. The user's database therefore exists under its name at every moment; a kill leaves
// at worst an extra database named seedforge_restore_PID (the unfinished clone) or
// seedforge_replaced_PID (the old data). Renaming needs no session on the database, which is
// checked before anything is created.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "engine/snapshot.h"
#include "engine/snapshot_file.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

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
    if (options_.use_template && !manifest.template_database.empty()) {
      SF_ASSIGN_OR_RETURN(plan_.from_template, TemplateExists(*connection_, manifest));
      if (!plan_.from_template && options_.notice) {
        options_.notice("template database " + manifest.template_database +
                        " of this snapshot is not on this server; reloading the rows instead");
      }
    }
    SF_ASSIGN_OR_RETURN(std::vector<TableDef> current, ReadSnapshotTables(*connection_));
    std::map<std::string, TableDef*> by_name;
    for (TableDef& table : current) by_name[table.QualifiedName()] = &table;
    std::set<std::string> in_snapshot;
    std::vector<std::string> differences;
    for (const SnapshotTable& table : manifest.tables) {
      RestorePlan::Table& planned = plan_.tables.emplace_back();
      planned.snapshot = &table;
      const std::string name = table.definition.QualifiedName();
      in_snapshot.insert(name);
      const auto found = by_name.find(name);
      if (found == by_name.end()) continue;
      planned.current = *found->second;
      planned.difference = DescribeDifference(table.definition, *planned.current);
      if (!planned.difference.empty()) differences.push_back(planned.difference);
      SF_ASSIGN_OR_RETURN(planned.current_rows,
                          connection_->QueryInt("SELECT count(*) FROM " + name));
    }
    for (const TableDef& table : current) {
      const std::string name = table.QualifiedName();
      if (in_snapshot.count(name) != 0) continue;
      plan_.other_tables.push_back(name);
      if (plan_.from_template) continue;
      for (const ConstraintDef& constraint : table.constraints) {
        if (constraint.type != 'f' || in_snapshot.count(constraint.referenced_table) == 0) continue;
        return FailedPrecondition("table " + name + " is not in snapshot " + manifest.name +
                                  " and its foreign key " + QuoteIdentifier(constraint.name) +
                                  " refers to " + constraint.referenced_table +
                                  ", whose rows the restore replaces; drop that foreign key or "
                                  "table first");
      }
    }
    if (plan_.from_template) return CheckNoOtherSessions();
    if (!differences.empty() && !options_.recreate_schema) {
      std::string more;
      if (differences.size() > 1) {
        more = " (and " + std::to_string(differences.size() - 1) + " more table" +
               (differences.size() > 2 ? "s differ)" : " differs)");
      }
      return FailedPrecondition("snapshot " + manifest.name +
                                " does not match the database: " + differences.front() + more +
                                "; add --recreate-schema to drop and recreate the differing "
                                "tables from the snapshot");
    }
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

  // Missing or cut files are found before anything is asked or changed.
  Status CheckFiles() const {
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

  // Client sessions only: PostgreSQL itself ends autovacuum workers before renaming.
  Status CheckNoOtherSessions() {
    SF_ASSIGN_OR_RETURN(
        QueryResult others,
        connection_->Query("SELECT count(*), string_agg(DISTINCT coalesce(nullif("
                           "application_name, ''), 'unnamed') || ' (' || usename || ')', ', ') "
                           "FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                           "pg_backend_pid() AND backend_type = 'client backend'"));
    if (others.rows.at(0)[0] == "0") return Status::Ok();
    return FailedPrecondition("database " + connection_->database() + " has " + *others.rows[0][0] +
                              " other session(s) (" + others.rows[0][1].value_or("") +
                              "); restoring from the template swaps the database, which needs "
                              "none: close them, or add --no-template to reload the rows");
  }

  // Runs `statements` one by one, each through the extended query protocol (ExecuteOne): they
  // are built from the manifest, and a definition edited to hold a second statement is then
  // refused by the server even if it passed the manifest's form checks.
  Status RunEach(const std::vector<std::string>& statements, const std::string& what) {
    for (const std::string& statement : statements) {
      SF_RETURN_IF_ERROR(CheckCancel());
      SF_RETURN_IF_ERROR(connection_->ExecuteOne(statement).WithContext(what));
    }
    return Status::Ok();
  }

  static void Append(std::vector<std::string>* to, std::vector<std::string> more) {
    for (std::string& statement : more) to->push_back(std::move(statement));
  }

  Status ReloadRows() {
    PgConnection& c = *connection_;
    SF_RETURN_IF_ERROR(c.ExecuteOne("BEGIN"));
    std::vector<std::string> prepare;
    std::set<std::string> schemas;
    for (const RestorePlan::Table& table : plan_.tables) {
      schemas.insert(table.snapshot->definition.schema);
    }
    for (const std::string& schema : schemas) {
      SF_ASSIGN_OR_RETURN(
          QueryResult exists,
          c.QueryOne("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}));
      if (exists.rows.empty()) prepare.push_back("CREATE SCHEMA " + QuoteIdentifier(schema));
    }
    std::string locked;
    std::vector<std::string> truncated;
    for (const RestorePlan::Table& table : plan_.tables) {
      if (!table.current.has_value()) continue;
      locked += (locked.empty() ? "" : ", ") + table.current->QualifiedName();
      Append(&prepare, DropForeignKeysStatements(*table.current));
    }
    if (!locked.empty()) {
      prepare.insert(prepare.begin(), "LOCK TABLE " + locked + " IN ACCESS EXCLUSIVE MODE");
    }
    for (const RestorePlan::Table& table : plan_.tables) {
      const TableDef& def = table.snapshot->definition;
      if (table.current.has_value() && table.difference.empty()) {
        Append(&prepare, DropKeysAndIndexesStatements(*table.current));
        truncated.push_back(def.QualifiedName());
        continue;
      }
      if (table.current.has_value()) prepare.push_back("DROP TABLE " + def.QualifiedName());
      Append(&prepare, CreateTableStatements(def, KeyPlacement::kLater));
    }
    if (!truncated.empty()) {
      std::string truncate = "TRUNCATE ";
      for (size_t i = 0; i < truncated.size(); ++i) truncate += (i ? ", " : "") + truncated[i];
      prepare.push_back(truncate);
    }
    SF_RETURN_IF_ERROR(RunEach(prepare, "preparing the tables"));
    for (const SnapshotTable& table : snapshot_.manifest.tables) SF_RETURN_IF_ERROR(Load(table));
    std::vector<std::string> keys;
    std::vector<std::string> foreign_keys;
    for (const SnapshotTable& table : snapshot_.manifest.tables) {
      Append(&keys, AddKeysStatements(table.definition));
    }
    for (const SnapshotTable& table : snapshot_.manifest.tables) {
      Append(&keys, CreateIndexesStatements(table.definition));
      Append(&foreign_keys, AddForeignKeysStatements(table.definition));
    }
    SF_RETURN_IF_ERROR(RunEach(keys, "rebuilding keys and indexes"));
    SF_RETURN_IF_ERROR(RunEach(foreign_keys, "checking the foreign keys"));
    for (const SnapshotTable& table : snapshot_.manifest.tables) {
      SF_RETURN_IF_ERROR(RestoreSequences(table));
    }
    SF_RETURN_IF_ERROR(CheckCancel());  // the last moment at which Ctrl-C changes nothing
    return c.ExecuteOne("COMMIT");
  }

  Status Load(const SnapshotTable& table) {
    PgConnection& c = *connection_;
    const std::string name = table.definition.QualifiedName();
    const std::string columns = table.definition.CopyColumnList();
    SF_RETURN_IF_ERROR(c.CopyBegin("COPY " + name + (columns.empty() ? "" : " (" + columns + ")") +
                                   " FROM STDIN (FORMAT binary, FREEZE)")
                           .WithContext("table " + name));
    const std::string path = FilePath(table);
    auto stats = ReadSnapshotFile(path, [&](std::string_view chunk) -> Status {
      SF_RETURN_IF_ERROR(CheckCancel());
      return c.CopyPut(chunk);
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
    return Status::Ok();
  }

  // Puts each owned sequence back where the snapshot found it (the server refuses a value outside
  // the sequence's bounds), then past the largest restored value when that is further (a
  // sequence the snapshot could not read: past the largest value). Names and values travel as
  // parameters, never as SQL text.
  Status RestoreSequences(const SnapshotTable& table) {
    PgConnection& c = *connection_;
    const TableDef& def = table.definition;
    for (const ColumnDef& column : def.columns) {
      if (column.sequence.empty()) continue;
      const std::string where =
          "table " + def.QualifiedName() + ": restoring sequence " + column.sequence;
      for (const SnapshotSequence& state : table.sequences) {
        if (state.column != column.name) continue;
        SF_RETURN_IF_ERROR(
            c.ExecuteOne("SELECT pg_catalog.setval($1::pg_catalog.regclass, $2::bigint, $3::bool)",
                         {column.sequence, std::to_string(state.last_value),
                          state.is_called ? "true" : "false"})
                .WithContext(where));
      }
      SF_RETURN_IF_ERROR(
          c.ExecuteOne("SELECT pg_catalog.setval($1::pg_catalog.regclass, m, true) FROM (SELECT "
                       "max(" +
                           QuoteIdentifier(column.name) + ")::bigint AS m FROM " +
                           def.QualifiedName() +
                           ") x, pg_catalog.pg_sequences s WHERE m IS NOT NULL AND "
                           "format('%I.%I', s.schemaname, s.sequencename)::pg_catalog.regclass = "
                           "$1::pg_catalog.regclass AND (s.last_value IS NULL OR m > "
                           "s.last_value)",
                       {column.sequence})
              .WithContext(where));
    }
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
