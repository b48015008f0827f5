// `seedforge seed` and `seedforge generate`, and the seeding path that `reset` and `auto` share.
//
// Clearing (--clear-existing, reset) is decided inside the run, after the sink has taken the
// advisory lock, from the row counts it then sees: what is listed and confirmed is exactly what
// is deleted, and no other seeder can add rows between the count, the clear and the seed.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

#include "cli/cli.h"
#include "engine/fixtures.h"
#include "engine/progress.h"
#include "engine/run.h"
#include "engine/version.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "sinks/sink.h"

namespace seedforge::cli {
namespace {

struct SeedOptions {
  CommonOptions common;
  DatabaseOptions database;
  bool clear_existing = false;
  bool yes = false;
  bool from_schema = false;  // --from-schema: the profile init would write, inferred in memory
};

// "y" or "yes", any case, surrounding blanks ignored.
bool IsYes(std::string answer) {
  while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) {
    answer.pop_back();
  }
  size_t first = 0;
  while (first < answer.size() && std::isspace(static_cast<unsigned char>(answer[first]))) {
    ++first;
  }
  answer = answer.substr(first);
  for (char& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return answer == "y" || answer == "yes";
}

struct GenerateOptions {
  CommonOptions common;
  std::string format;
  std::string out = "out";
};

int RunGenerate(const GenerateOptions& options) {
  auto profile = LoadWithOverrides(options.common);
  if (!profile.ok()) return Fail(profile.status());
  auto format = ParseFormat(options.format);
  if (!format.ok()) return Fail(format.status().WithContext("--format"));
  RunOptions run;
  run.pipeline = MakePipelineOptions(options.common);
  run.format = *format;
  run.show_progress = !options.common.quiet && ProgressLine::StderrIsTerminal();
  auto sink = *format == Format::kNull ? MakeNullSink() : MakeFileSink(options.out, *format);
  RunReport report;
  report.command = "generate";
  report.version = std::string(SeedforgeVersion());
  const Status status = RunProfile(*profile, *sink, run, &report);
  return Finish(status, report, options.common);
}

}  // namespace

void AddDatabaseOptions(CLI::App* command, DatabaseOptions* options) {
  AddConnectionOptions(command, &options->db, &options->home);
  command->add_option("--copy-format", options->copy_format, "COPY format: text or binary")
      ->capture_default_str();
  command->add_option("--lock-timeout", options->lock_timeout,
                      "Seconds to wait for another seedforge run on the database (0 = forever)");
  command
      ->add_option("--connections", options->connections,
                   "Database connections; tables that start empty load in parallel on them")
      ->capture_default_str();
  command->add_flag("--no-bulk", options->no_bulk,
                    "Append batch by batch even into empty tables (no COPY FREEZE path)");
  command
      ->add_option("--append-mode", options->append_mode,
                   "How tables that hold rows get new ones: auto (one transaction from 10,000 "
                   "new rows, its indexes rebuilt when the new rows are at least as many as "
                   "those present), batch (a commit per batch), transaction (one transaction, "
                   "indexes kept) or rebuild (one transaction, indexes rebuilt)")
      ->capture_default_str();
  command->add_flag("--dry-run", options->dry_run,
                    "Print the plan (per table: rows present, target, rows to add, bulk or "
                    "append) and change nothing");
  command->add_flag("--allow-mismatch", options->allow_mismatch,
                    "Top up even when the seed or the generation settings differ from those that "
                    "filled the database");
}

namespace {

std::string ShortFingerprint(const std::string& fingerprint) { return fingerprint.substr(0, 12); }

// Refuses to add rows to a database that holds rows generated with another seed or other
// settings (anything but the targets), naming both. Read under the advisory lock.
Status CheckSameSettings(PgConnection& connection, const Profile& profile,
                         const std::vector<int64_t>& existing) {
  int64_t rows = 0;
  for (const int64_t count : existing) rows += count;
  if (rows == 0) return Status::Ok();
  SF_ASSIGN_OR_RETURN(const std::optional<FillingRun> filled, ReadFillingRun(connection));
  if (!filled.has_value()) return Status::Ok();
  const std::string fingerprint = ProfileFingerprint(profile);
  if (filled->seed == profile.seed && filled->profile_fingerprint == fingerprint) {
    return Status::Ok();
  }
  std::string differs;
  if (filled->seed != profile.seed) differs = "seed";
  if (filled->profile_fingerprint != fingerprint) {
    differs += differs.empty() ? "generation settings" : " and generation settings";
  }
  return InvalidArgument(
      "database " + connection.database() + " holds rows generated with profile " +
      filled->profile + " (seed " + std::to_string(filled->seed) + ", settings " +
      ShortFingerprint(filled->profile_fingerprint) + "), and profile " + profile.name + " (seed " +
      std::to_string(profile.seed) + ", settings " + ShortFingerprint(fingerprint) +
      ") has another " + differs +
      "; mixing them breaks verify: use the same profile and seed (a top-up may only raise "
      "targets), `seedforge reset` to start afresh, or --allow-mismatch");
}

// The row of seedforge.runs for a run that ended with `status`.
RunRecord MakeRunRecord(const Profile& profile, const RunReport& report, const Status& status,
                        bool skipped, bool cleared) {
  RunRecord record = ProfileRunRecord(report.command, profile);
  record.seconds = report.seconds;
  record.seedforge_version = report.version;
  record.cleared = cleared && status.ok();
  SetOutcome(status, &record);
  if (status.ok() && skipped) record.outcome = "skipped";
  for (const TableReport& table : report.tables) {
    RunTableRecord& row = record.tables.emplace_back();
    row.table = table.table;
    row.target = table.target;
    row.before = table.before;
    row.added = table.written;
    row.fixtures = table.fixtures;
    row.seconds = table.seconds;
    row.method = table.method;
  }
  record.method = JoinedMethods(record.tables);
  return record;
}

}  // namespace

std::optional<AppendMode> ParseAppendMode(std::string_view text) {
  if (text == "auto") return AppendMode::kAuto;
  if (text == "batch") return AppendMode::kBatches;
  if (text == "transaction") return AppendMode::kTransaction;
  if (text == "rebuild") return AppendMode::kRebuild;
  return std::nullopt;
}

Status ValidateDatabaseOptions(const DatabaseOptions& database) {
  const StatusOr<Format> format = ParseFormat(database.copy_format);
  if (!format.ok() || (*format != Format::kCopyText && *format != Format::kCopyBinary)) {
    return InvalidArgument("--copy-format: expected text or binary, got '" + database.copy_format +
                           "'");
  }
  SF_RETURN_IF_ERROR(ValidateLockTimeout(database.lock_timeout));
  if (!ParseAppendMode(database.append_mode).has_value()) {
    return InvalidArgument("--append-mode: expected auto, batch, transaction or rebuild, got '" +
                           database.append_mode + "'");
  }
  if (database.connections < 1 || database.connections > kMaxConnections) {
    return InvalidArgument("--connections must be between 1 and " +
                           std::to_string(kMaxConnections) + ", got " +
                           std::to_string(database.connections));
  }
  return Status::Ok();
}

int SeedDatabase(const Profile& profile, const CommonOptions& common,
                 const DatabaseOptions& database, const std::string& url, PgConnection* connection,
                 const std::optional<ClusterInfo>& embedded, const std::string& command,
                 decltype(RunOptions::before_write) before_write) {
  if (Status valid = ValidateDatabaseOptions(database); !valid.ok()) return Fail(valid);
  const StatusOr<Format> format = ParseFormat(database.copy_format);
  RunOptions run;
  run.pipeline = MakePipelineOptions(common);
  if (Status valid = run.pipeline.Validate(); !valid.ok()) return Fail(valid);
  run.format = *format;
  run.show_progress = !common.quiet && ProgressLine::StderrIsTerminal();
  run.dry_run = database.dry_run;
  run.progress_listener = database.progress_listener;
  bool skipped = false;
  bool cleared = false;
  run.before_write = [&skipped, &cleared, before_write, connection, &profile,
                      &database](const std::vector<int64_t>& existing) -> StatusOr<StartAction> {
    StartAction action = StartAction::kWrite;
    if (before_write) {
      SF_ASSIGN_OR_RETURN(action, before_write(existing));
    }
    skipped = action == StartAction::kSkip;
    cleared = action == StartAction::kClearThenWrite;
    if (action == StartAction::kWrite && !database.allow_mismatch) {
      SF_RETURN_IF_ERROR(CheckSameSettings(*connection, profile, existing));
    }
    return action;
  };

  if (HasFixtures(profile)) {
    run.count_fixtures = [connection, &profile] {
      return CountAbsentFixtures(*connection, profile);
    };
    run.insert_fixtures = [connection, &profile] { return InsertFixtures(*connection, profile); };
  }

  PostgresSinkOptions sink_options;
  sink_options.bulk_load_empty_tables = !database.no_bulk;
  sink_options.append_mode = *ParseAppendMode(database.append_mode);
  sink_options.lock_timeout_seconds = database.lock_timeout;
  sink_options.notice = Notice;
  sink_options.cancel = &CancelFlag();
  if (database.connections > 1) sink_options.worker_conninfo = url;
  run.parallel_tables = database.connections;
  auto sink = MakePostgresSink(connection, run.format, sink_options);

  RunReport report;
  report.command = command;
  report.version = std::string(SeedforgeVersion());
  report.server_version = connection->server_version_text();
  if (!common.quiet) {
    std::printf("seedforge %s: profile %s (seed %llu) into %s on database %s\n",
                std::string(SeedforgeVersion()).c_str(), profile.name.c_str(),
                static_cast<unsigned long long>(profile.seed), sink->description().c_str(),
                connection->database().c_str());
    if (Status flushed = FlushStdout(); !flushed.ok()) return Fail(flushed);  // before any write
  }
  const Status status = RunProfile(profile, *sink, run, &report);
  if (database.dry_run) {
    if (!status.ok()) return Fail(status);
    if (!common.quiet && !skipped) std::fputs(FormatPlan(report).c_str(), stdout);
    return 0;
  }
  // What the database remembers: after the run, over the main connection (still holding the
  // advisory lock). A run refused before it began (bad profile, other settings) is recorded too.
  if (const Status recorded =
          RecordRun(*connection, MakeRunRecord(profile, report, status, skipped, cleared));
      !recorded.ok() && status.ok()) {
    Notice("warning: " + recorded.message());
  }
  if (status.ok() && skipped) {
    if (!common.report.empty()) {
      if (Status written = WriteReportFile(report, common.report); !written.ok()) {
        return Fail(written);
      }
    }
    return 0;
  }
  const int code = Finish(status, report, common);
  if (code == 0 && embedded.has_value() && !common.quiet) {
    std::printf("connect: %s\n", embedded->PsqlCommand().c_str());
  }
  return code;
}

decltype(RunOptions::before_write) ConfirmClear(std::string what, bool yes, bool quiet,
                                                std::vector<std::string> table_names) {
  return [what, yes, quiet, names = std::move(table_names)](
             const std::vector<int64_t>& existing) -> StatusOr<StartAction> {
    int64_t total = 0;
    int tables = 0;
    for (const int64_t rows : existing) {
      total += rows;
      tables += rows > 0 ? 1 : 0;
    }
    if (total == 0) return StartAction::kWrite;
    const std::string summary = what + " deletes " + GroupDigits(total) + " rows in " +
                                std::to_string(tables) + (tables == 1 ? " table" : " tables");
    const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1;
    if (!yes && !terminal) {
      return InvalidArgument(summary + "; add --yes to confirm (no terminal to ask)");
    }
    if (!quiet || !yes) {
      Notice(summary + ":");
      for (size_t i = 0; i < existing.size() && i < names.size(); ++i) {
        if (existing[i] == 0) continue;
        std::fprintf(stderr, "  %-14s %14s rows\n", names[i].c_str(),
                     GroupDigits(existing[i]).c_str());
      }
    }
    if (yes) return StartAction::kClearThenWrite;
    std::fputs("seedforge: delete these rows and seed afresh? [y/N] ", stderr);
    std::fflush(stderr);
    std::string answer;
    if (!std::getline(std::cin, answer) || !IsYes(answer)) {
      return InvalidArgument(what + " was not confirmed; nothing was deleted");
    }
    return StartAction::kClearThenWrite;
  };
}

int SeedCommand(const CommonOptions& common, const DatabaseOptions& database,
                const std::string& command, bool clear, bool yes, bool from_schema) {
  // Bad flags fail before anything is started; without --profile the database's record decides
  // (which tables --rows may name too), and with --from-schema the inferred profile does.
  CommonOptions checked = common;
  int64_t infer_rows = 0;
  if (from_schema) {
    if (!common.profile.empty()) {
      return Fail(
          InvalidArgument("--from-schema infers the profile from the database; give "
                          "--profile " +
                          common.profile + " or --from-schema, not both"));
    }
    auto rows = TakeInferRows(&checked);
    if (!rows.ok()) return Fail(rows.status());
    infer_rows = *rows;
  }
  const std::vector<std::string> assignments = checked.rows;
  if ((checked.profile.empty() && !clear) || from_schema) checked.rows.clear();
  auto profile = LoadWithOverrides(checked);
  if (!profile.ok()) return Fail(profile.status());
  if (Status valid = ValidateDatabaseOptions(database); !valid.ok()) return Fail(valid);
  std::optional<ClusterInfo> embedded;
  auto url = ResolveDatabase(database.db, database.home, common.quiet, &embedded);
  if (!url.ok()) return Fail(url.status());
  auto connection = PgConnection::Connect(*url);
  if (!connection.ok()) {
    return Fail(connection.status().WithContext(RedactConnectionString(*url)));
  }
  if (from_schema) {
    profile = InferDatabaseProfile(**connection, infer_rows);
    if (!profile.ok()) return Fail(profile.status());
    checked.rows = assignments;
    if (Status applied = ApplyOverrides(checked, &*profile); !applied.ok()) return Fail(applied);
  }
  // A clear starts afresh: the profile's own seed, not the record's.
  if (common.profile.empty() && !clear && !from_schema) {
    profile = LoadForDatabase(common, **connection);
    if (!profile.ok()) return Fail(profile.status());
  }
  const std::string what = command == "seed" ? "--clear-existing" : command;
  std::vector<std::string> tables;
  for (const TableSchema& schema : profile->schemas()) tables.push_back(schema.name);
  return SeedDatabase(*profile, common, database, *url, connection->get(), embedded, command,
                      clear ? ConfirmClear(what, yes || database.dry_run,
                                           common.quiet || database.dry_run, std::move(tables))
                            : nullptr);
}

void AddSeedCommands(CLI::App& app, std::vector<Command>* commands) {
  auto seed_options = std::make_shared<SeedOptions>();
  SeedOptions& seed = *seed_options;
  CLI::App* seed_command = app.add_subcommand(
      "seed", "Create the schema if absent and top every table up to its target");
  AddCommonOptions(seed_command, &seed.common);
  AddDatabaseOptions(seed_command, &seed.database);
  seed_command->add_flag("--clear-existing", seed.clear_existing,
                         "Empty the tables first (lists the rows and asks for confirmation)");
  seed_command->add_flag("--yes,-y", seed.yes, "Confirm --clear-existing without asking");
  seed_command->add_flag("--from-schema", seed.from_schema,
                         "Infer the profile from the database's schema, as init does, and seed it "
                         "(--rows N: rows of the tables that are no table's children)");

  auto generate_options = std::make_shared<GenerateOptions>();
  GenerateOptions& generate = *generate_options;
  CLI::App* generate_command =
      app.add_subcommand("generate", "Write the same rows to files (or discard them), no database");
  AddCommonOptions(generate_command, &generate.common);
  generate_command
      ->add_option("--format", generate.format, "csv, jsonl, copy-text, copy-binary or null")
      ->required();
  generate_command->add_option("--out", generate.out, "Output folder (DIR/<table>.<ext>)")
      ->capture_default_str();

  commands->push_back({seed_command, [seed_options] {
                         const SeedOptions& options = *seed_options;
                         return SeedCommand(options.common, options.database, "seed",
                                            options.clear_existing, options.yes,
                                            options.from_schema);
                       }});
  commands->push_back(
      {generate_command, [generate_options] { return RunGenerate(*generate_options); }});
}

}  // namespace seedforge::cli
