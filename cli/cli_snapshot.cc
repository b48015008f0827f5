// `seedforge snapshot create | list | show | restore | delete | prune` (tools/snapshot.h).
//
// The snapshot folder is --dir, else SEEDFORGE_SNAPSHOTS, else ./backups. create and restore
// resolve the database like `seed` (--db, DATABASE_URL, the embedded cluster); list and show read
// only the folder; delete and prune connect only to drop template databases, on the server the
// manifest names (template_server) unless --db says otherwise, and never create or start the
// embedded cluster. Restore lists what it replaces and asks before changing anything (or takes
// --yes); an unknown snapshot name is one line and exit code 2.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "cli/cli.h"
#include "cli/cli_snapshot.h"
#include "core/civil_time.h"
#include "engine/report.h"
#include "engine/version.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "tools/snapshot.h"

namespace seedforge::cli {

void AddFolderOption(CLI::App* command, SnapshotOptions* options) {
  command->add_option("--dir", options->dir,
                      "Snapshot folder (default: SEEDFORGE_SNAPSHOTS, then ./backups)");
}

void AddDatabaseOption(CLI::App* command, SnapshotOptions* options) {
  AddConnectionOptions(command, &options->db, &options->home);
  command->add_flag("--quiet,-q", options->quiet, "Print nothing but errors");
}

StatusOr<std::string> Database(const SnapshotOptions& options) {
  std::optional<ClusterInfo> embedded;
  return ResolveDatabase(options.db, options.home, options.quiet || options.json, &embedded);
}

StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  if (!connection.ok()) return connection.status().WithContext(RedactConnectionString(url));
  return connection;
}

namespace {

// --- history --------------------------------------------------------------------------------

// --- create ---------------------------------------------------------------------------------

struct CreateCommandOptions {
  SnapshotOptions common;
  std::string name;
  bool make_template = false;
  std::string profile;
  std::string seed;
  int level = 1;
  int connections = 2;
  int lock_timeout = 0;
  std::vector<std::string> schemas;
  std::vector<std::string> exclude_schemas;
};

int RunCreate(const CreateCommandOptions& options) {
  SnapshotCreateOptions create;
  create.directory = SnapshotDirectory(options.common.dir);
  create.name = options.name.empty() ? DefaultSnapshotName() : options.name;
  create.make_template = options.make_template;
  create.compression_level = options.level;
  create.connections = options.connections;
  if (!options.profile.empty()) create.profile = options.profile;
  if (!options.seed.empty()) create.seed = options.seed;
  create.cancel = &CancelFlag();
  create.notice = Notice;
  create.lock_timeout_seconds = options.lock_timeout;
  if (Status valid = ValidateLockTimeout(options.lock_timeout); !valid.ok()) return Fail(valid);
  create.schemas = options.schemas;
  create.exclude_schemas = options.exclude_schemas;
  if (Status valid = create.Validate(); !valid.ok()) return Fail(valid);
  auto url = Database(options.common);
  if (!url.ok()) return Fail(url.status());
  create.conninfo = *url;
  const auto started = std::chrono::steady_clock::now();
  auto entry = CreateSnapshot(create);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  SnapshotManifest attempted;
  attempted.name = create.name;
  RecordSnapshotRun(create.conninfo, "snapshot create", entry.ok() ? entry->manifest : attempted,
                    entry.status(), seconds, create.make_template ? "copy+template" : "copy",
                    nullptr);
  if (!entry.ok()) return Fail(entry.status());
  if (options.common.quiet) return 0;
  const SnapshotManifest& m = entry->manifest;
  std::printf("snapshot %s of database %s: %s, %s rows, %s on disk (%s raw) in %.2f s\n",
              m.name.c_str(), m.database.c_str(), Coverage(m).c_str(),
              GroupDigits(m.total_rows()).c_str(), Bytes(entry->disk_bytes).c_str(),
              Bytes(m.raw_bytes()).c_str(), seconds);
  for (const SnapshotTable& table : m.tables) {
    std::printf("  %-28s %14s rows %10s\n", TableName(table).c_str(),
                GroupDigits(table.rows).c_str(), Bytes(table.compressed_bytes).c_str());
  }
  std::printf(
      "  schema: pre-data and post-data sections by pg_dump %s, %zu sequences, %zu "
      "materialized views\n",
      m.pg_dump_version.c_str(), m.sequences.size(), m.materialized_views.size());
  std::printf("saved in %s\n", entry->path.c_str());
  if (!m.template_database.empty()) {
    std::printf("template database %s kept on the server for fast restores\n",
                m.template_database.c_str());
  }
  std::printf("restore with: %s\n", RestoreHint(options.common, m.name).c_str());
  return 0;
}

// --- list, show -----------------------------------------------------------------------------

int RunList(const SnapshotOptions& options) {
  const std::string directory = SnapshotDirectory(options.dir);
  auto entries = ListSnapshots(directory);
  if (!entries.ok()) return Fail(entries.status());
  if (options.json) {
    std::string out = "[";
    for (size_t i = 0; i < entries->size(); ++i) {
      out += (i == 0 ? "\n  " : ",\n  ") + EntryJson((*entries)[i]);
    }
    std::printf("%s%s]\n", out.c_str(), entries->empty() ? "" : "\n");
    return 0;
  }
  if (entries->empty()) {
    std::printf("no snapshots in %s\n", directory.c_str());
    return 0;
  }
  std::printf("%-32s %-20s %-14s %10s %7s %14s  %s\n", "name", "created", "age", "size", "tables",
              "rows", "template");
  for (const SnapshotEntry& entry : *entries) {
    const SnapshotManifest& m = entry.manifest;
    if (!entry.damage.empty()) {
      std::printf("%-32s %-20s %-14s %10s  damaged\n", m.name.c_str(), "?", "?",
                  Bytes(entry.disk_bytes).c_str());
      std::printf("    damaged: %s\n", entry.damage.c_str());
      continue;
    }
    std::printf("%-32s %-20s %-14s %10s %7zu %14s  %s\n", m.name.c_str(),
                CreatedText(m.created_at).c_str(), Age(m.created_at).c_str(),
                Bytes(entry.disk_bytes).c_str(), m.tables.size(),
                GroupDigits(m.total_rows()).c_str(),
                m.template_database.empty() ? "-" : m.template_database.c_str());
    std::printf("    %s\n", TableCounts(m).c_str());
  }
  return 0;
}
int RunShow(const NamedOptions& options) {
  auto entry = FindSnapshot(SnapshotDirectory(options.common.dir), options.name);
  if (!entry.ok()) return Fail(entry.status());
  const SnapshotManifest& m = entry->manifest;
  if (options.common.json) {
    std::fputs(ManifestToJson(m).c_str(), stdout);
    return 0;
  }
  std::string out = fmt::format("snapshot {}\n", m.name);
  out += fmt::format("  created    {} ({})\n", m.created_at, Age(m.created_at));
  out += fmt::format("  source     database {} on PostgreSQL {}, seedforge {}\n", m.database,
                     m.server_version, m.seedforge_version);
  out += fmt::format("  profile    {}\n", ProfileText(m));
  out += fmt::format("  data       {}, {} rows; {} raw, {} on disk ({} COPY, {} level {}, {})\n",
                     Coverage(m), GroupDigits(m.total_rows()), Bytes(m.raw_bytes()),
                     Bytes(entry->disk_bytes), m.copy_format, m.compression, m.compression_level,
                     m.hash);
  out += fmt::format("  template   {}\n",
                     m.template_database.empty() ? "none" : "database " + m.template_database);
  out += fmt::format("  folder     {}\n  id         {}\n\n", entry->path, m.id);
  out += fmt::format("  {:<28} {:>14} {:>10} {:>10}  {}\n", "table", "rows", "raw", "on disk",
                     "sha256");
  for (const SnapshotTable& table : m.tables) {
    out += fmt::format("  {:<28} {:>14} {:>10} {:>10}  {}\n", TableName(table),
                       GroupDigits(table.rows), Bytes(table.raw_bytes),
                       Bytes(table.compressed_bytes), table.sha256.substr(0, 16));
  }
  out += fmt::format("\nschema (pg_dump {}; run as SQL on restore):\n", m.pg_dump_version);
  for (const SnapshotSchemaFile& file : m.schema_files) {
    out += fmt::format("  {:<28} {:>10}  {}\n", file.file, Bytes(file.bytes),
                       file.sha256.substr(0, 16));
  }
  out += fmt::format("  {} sequences, {} materialized views (refreshed on restore)\n",
                     m.sequences.size(), m.materialized_views.size());
  std::fputs(out.c_str(), stdout);
  return 0;
}
// --- restore --------------------------------------------------------------------------------

struct RestoreCommandOptions {
  SnapshotOptions common;
  std::string name;
  bool yes = false;
  bool recreate_schema = false;  // accepted for old scripts: restore always recreates
  bool no_template = false;
  bool dry_run = false;  // print the plan, change nothing
  int lock_timeout = 0;
};

void PrintPlan(const SnapshotEntry& entry, const RestorePlan& plan, const std::string& database) {
  const SnapshotManifest& m = entry.manifest;
  std::fprintf(stderr, "seedforge: snapshot %s (%s, profile %s): %s, %s rows\n", m.name.c_str(),
               m.created_at.c_str(), ProfileText(m).c_str(), Coverage(m).c_str(),
               GroupDigits(m.total_rows()).c_str());
  std::fprintf(stderr, "  %-28s %14s %14s\n", "table", "snapshot rows", "rows now");
  for (const RestorePlan::Table& table : plan.tables) {
    const std::string now = table.exists ? GroupDigits(table.current_rows) : "absent";
    std::fprintf(stderr, "  %-28s %14s %14s\n", TableName(*table.snapshot).c_str(),
                 GroupDigits(table.snapshot->rows).c_str(), now.c_str());
  }
  if (plan.from_template) {
    std::fprintf(stderr,
                 "  the whole database %s is replaced by a clone of template database %s "
                 "(every schema, not only these tables)\n",
                 database.c_str(), m.template_database.c_str());
    return;
  }
  if (!plan.other_tables.empty()) {
    std::string others;
    for (const std::string& name : plan.other_tables) others += (others.empty() ? "" : ", ") + name;
    std::fprintf(stderr, "  not in the snapshot, dropped with their schema: %s\n", others.c_str());
  }
  std::fprintf(stderr,
               "  the snapshot's schema (pg_dump %s) runs as SQL in database %s: restore only "
               "snapshots you trust as you would a database dump\n",
               m.pg_dump_version.c_str(), database.c_str());
}

int RunRestore(const RestoreCommandOptions& options) {
  if (Status valid = ValidateLockTimeout(options.lock_timeout); !valid.ok()) return Fail(valid);
  auto entry = FindSnapshot(SnapshotDirectory(options.common.dir), options.name);
  if (!entry.ok()) return Fail(entry.status());
  auto url = Database(options.common);
  if (!url.ok()) return Fail(url.status());
  SnapshotRestoreOptions restore_options;
  restore_options.conninfo = *url;
  restore_options.use_template = !options.no_template;
  restore_options.lock_timeout_seconds = options.lock_timeout;
  restore_options.cancel = &CancelFlag();
  restore_options.notice = Notice;
  auto restore = SnapshotRestore::Prepare(*entry, restore_options);
  if (!restore.ok()) return Fail(restore.status());
  const RestorePlan& plan = (*restore)->plan();
  const std::string& database = plan.database;
  if (options.dry_run) {
    PrintPlan(*entry, plan, database);
    std::printf(
        "dry run: nothing was changed; restore would %s database %s with snapshot %s (%s "
        "rows in the snapshot's tables now, %s in the snapshot)\n",
        plan.from_template ? "replace (template clone)" : "recreate the schemas of",
        database.c_str(), entry->manifest.name.c_str(), GroupDigits(plan.current_rows()).c_str(),
        GroupDigits(entry->manifest.total_rows()).c_str());
    return 0;
  }
  if (!options.common.quiet || (!options.yes && plan.replaces_anything())) {
    PrintPlan(*entry, plan, database);
  }
  if (plan.replaces_anything()) {
    std::string schemas;
    for (const std::string& schema : plan.schemas_present) {
      schemas += (schemas.empty() ? "" : ", ") + schema;
    }
    const std::string summary =
        plan.from_template
            ? "snapshot restore replaces database " + database + " (" +
                  GroupDigits(plan.current_rows()) + " rows in the snapshot's tables)"
            : "snapshot restore drops and recreates schema" +
                  std::string(plan.schemas_present.size() == 1 ? " " : "s ") + schemas + " (" +
                  std::to_string(plan.objects_present) + " objects, " +
                  GroupDigits(plan.current_rows()) +
                  " rows in the snapshot's tables) and runs the snapshot's schema as SQL";
    if (Status confirmed = Confirm(summary, "replace them with the snapshot?",
                                   "restore was not confirmed; nothing was changed", options.yes);
        !confirmed.ok()) {
      return Fail(confirmed);
    }
  }
  const auto started = std::chrono::steady_clock::now();
  const Status done = (*restore)->Execute();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordSnapshotRun(*url, "snapshot restore", entry->manifest, done, seconds,
                    plan.from_template ? "template" : "copy", &plan);
  if (!done.ok()) return Fail(done.WithContext("restore failed, database unchanged"));
  if (!options.common.quiet) {
    std::printf("restored snapshot %s into database %s: %s, %s rows in %.2f s (%s)\n",
                entry->manifest.name.c_str(), database.c_str(), Coverage(entry->manifest).c_str(),
                GroupDigits(entry->manifest.total_rows()).c_str(), seconds,
                plan.from_template
                    ? ("cloned template database " + entry->manifest.template_database).c_str()
                    : "schema recreated and rows reloaded in one transaction, counts and "
                      "SHA-256 checked");
  }
  return 0;
}

}  // namespace

// The row of seedforge.runs for a snapshot create or restore of `m` (its tables, as far as the
// run got) that ended with `status`. The profile, source, fingerprint and seed are those of the
// run that filled the data: for a create, from seedforge.runs unless --profile named another;
// after a restore, from the restored history. A restore of a snapshot without seedforge's schema
// (or without a known filling run) records the manifest's profile and seed without a
// fingerprint, which tells ReadFillingRun that nothing known filled the restored data.
void RecordSnapshotRun(const std::string& url, const std::string& command,
                       const SnapshotManifest& m, const Status& status, double seconds,
                       const std::string& method, const RestorePlan* plan) {
  RunRecord record;
  record.command = command;
  record.snapshot = m.name;
  record.seconds = seconds;
  record.method = method;
  record.seedforge_version = std::string(SeedforgeVersion());
  record.profile = m.profile.value_or("");
  int64_t seed = 0;
  if (m.seed.has_value() && ParseCount(*m.seed, &seed)) record.seed = static_cast<uint64_t>(seed);
  SetOutcome(status, &record);
  const bool restored = plan != nullptr && status.ok();
  record.cleared = restored;
  for (size_t i = 0; i < m.tables.size(); ++i) {
    // seedforge's own tables are history, not data.
    if (m.tables[i].definition.schema == "seedforge") continue;
    RunTableRecord& row = record.tables.emplace_back();
    row.table = TableName(m.tables[i]);
    row.target = m.tables[i].rows;
    row.before = plan != nullptr && i < plan->tables.size() ? plan->tables[i].current_rows
                                                            : m.tables[i].rows;
    row.added = restored ? m.tables[i].rows : 0;
    row.method = method;
  }
  const bool history_restored =
      std::find(m.schemas.begin(), m.schemas.end(), "seedforge") != m.schemas.end();
  RecordRunAt(url, std::move(record), status,
              [plan, history_restored](PgConnection& connection, RunRecord* run) -> Status {
                // A restore without seedforge's schema leaves the history of other data.
                if (plan != nullptr && !history_restored) return Status::Ok();
                SF_ASSIGN_OR_RETURN(const std::optional<FillingRun> filled,
                                    ReadFillingRun(connection));
                if (!filled.has_value()) return Status::Ok();
                // A create keeps a --profile that names another profile; after a restore the
                // restored history, not the manifest's label, says what filled the data.
                if (plan == nullptr && !run->profile.empty() && filled->profile != run->profile) {
                  return Status::Ok();
                }
                run->profile = filled->profile;
                run->profile_source = filled->profile_source;
                run->profile_fingerprint = filled->profile_fingerprint;
                run->seed = filled->seed;
                return Status::Ok();
              });
}

void AddSnapshotCommands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* snapshot = app.add_subcommand(
      "snapshot", "Save the database to a folder, list, show, restore, delete and prune snapshots");
  snapshot->require_subcommand(1);

  auto create = std::make_shared<CreateCommandOptions>();
  CLI::App* create_command = snapshot->add_subcommand(
      "create",
      "Save the schema (pg_dump) and every table's rows of every schema, with a manifest");
  create_command->add_option("name", create->name,
                             "Snapshot name (default: snapshot-YYYYMMDD-HHMMSS, UTC)");
  AddFolderOption(create_command, &create->common);
  AddDatabaseOption(create_command, &create->common);
  create_command->add_flag("--template", create->make_template,
                           "Also keep a template database on the server for fast restores (needs "
                           "no other session on the database)");
  create_command->add_option("--profile", create->profile,
                             "Profile to record in the manifest (default: the last seed's)");
  create_command->add_option("--seed", create->seed,
                             "Seed to record in the manifest (default: the last seed's)");
  create_command->add_option("--level", create->level, "zstd compression level, 1..19")
      ->capture_default_str();
  create_command->add_option("--schema", create->schemas,
                             "Only this schema (repeat for more; default: every schema but the "
                             "system ones)");
  create_command->add_option("--exclude-schema", create->exclude_schemas,
                             "Leave this schema out (repeat for more)");
  create_command->add_option("--lock-timeout", create->lock_timeout,
                             "Seconds to wait for a running seed to finish (0 = forever)");
  create_command
      ->add_option("--connections", create->connections,
                   "Connections dumping tables in parallel (one shared snapshot)")
      ->capture_default_str();

  auto list = std::make_shared<SnapshotOptions>();
  CLI::App* list_command = snapshot->add_subcommand("list", "Snapshots, newest first");
  AddFolderOption(list_command, list.get());
  list_command->add_flag("--json", list->json, "Print a JSON array");

  auto show = std::make_shared<NamedOptions>();
  CLI::App* show_command = snapshot->add_subcommand("show", "A snapshot's manifest, readable");
  show_command->add_option("name", show->name, "Snapshot name")->required();
  AddFolderOption(show_command, &show->common);
  show_command->add_flag("--json", show->common.json, "Print manifest.json");

  auto restore = std::make_shared<RestoreCommandOptions>();
  CLI::App* restore_command = snapshot->add_subcommand(
      "restore", "Replace the snapshot's schemas with its schema and rows, in one transaction");
  restore_command->add_option("name", restore->name, "Snapshot name")->required();
  AddFolderOption(restore_command, &restore->common);
  AddDatabaseOption(restore_command, &restore->common);
  restore_command->add_flag("--yes,-y", restore->yes, "Replace without asking");
  restore_command->add_flag("--dry-run", restore->dry_run,
                            "Print what the restore would replace (per table: rows in the "
                            "snapshot, rows now) and change nothing");
  restore_command->add_flag("--recreate-schema", restore->recreate_schema,
                            "Accepted for older scripts: restore always drops and recreates the "
                            "snapshot's schemas");
  restore_command->add_flag("--no-template", restore->no_template,
                            "Reload the rows even when the snapshot has a template database");
  restore_command->add_option("--lock-timeout", restore->lock_timeout,
                              "Seconds to wait for another seedforge run (0 = forever)");

  auto remove = std::make_shared<NamedOptions>();
  CLI::App* delete_command =
      snapshot->add_subcommand("delete", "Delete a snapshot (and its template database)");
  delete_command->add_option("name", remove->name, "Snapshot name")->required();
  AddFolderOption(delete_command, &remove->common);
  AddDatabaseOption(delete_command, &remove->common);
  delete_command->add_flag("--keep-template", remove->common.keep_template,
                           "Delete the folder only, leaving the template database on its server");

  auto prune = std::make_shared<PruneOptions>();
  CLI::App* prune_command = snapshot->add_subcommand(
      "prune", "Delete all but the newest N snapshots (and their template databases)");
  prune_command->add_option("--keep", prune->keep, "Snapshots to keep, newest first")->required();
  AddFolderOption(prune_command, &prune->common);
  AddDatabaseOption(prune_command, &prune->common);
  prune_command->add_flag("--keep-template", prune->common.keep_template,
                          "Delete the folders only, leaving template databases on their servers");

  commands->push_back({create_command, [create] { return RunCreate(*create); }});
  commands->push_back({list_command, [list] { return RunList(*list); }});
  commands->push_back({show_command, [show] { return RunShow(*show); }});
  commands->push_back({restore_command, [restore] { return RunRestore(*restore); }});
  commands->push_back({delete_command, [remove] { return RunDelete(*remove); }});
  commands->push_back({prune_command, [prune] { return RunPrune(*prune); }});
}

}  // namespace seedforge::cli
