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

#include "engine/cli.h"
#include "engine/fixtures.h"
#include "engine/progress.h"
#include "engine/run.h"
#include "engine/version.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

namespace seedforge::cli {
namespace {

struct SeedOptions {
  CommonOptions common;
  DatabaseOptions database;
  bool clear_existing = false;
  bool yes = false;
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
}

int SeedDatabase(const Profile& profile, const CommonOptions& common,
                 const DatabaseOptions& database, const std::string& url, PgConnection* connection,
                 const std::optional<ClusterInfo>& embedded, const std::string& command,
                 decltype(RunOptions::before_write) before_write) {
  auto format = ParseFormat(database.copy_format);
  if (!format.ok() || (*format != Format::kCopyText && *format != Format::kCopyBinary)) {
    return Fail(InvalidArgument("--copy-format: expected text or binary, got '" +
                                database.copy_format + "'"));
  }
  RunOptions run;
  run.pipeline = MakePipelineOptions(common);
  if (Status valid = run.pipeline.Validate(); !valid.ok()) return Fail(valid);
  run.format = *format;
  run.show_progress = !common.quiet && ProgressLine::StderrIsTerminal();
  bool skipped = false;
  if (before_write) {
    run.before_write =
        [&skipped,
         before_write](const std::array<int64_t, kTableCount>& existing) -> StatusOr<StartAction> {
      SF_ASSIGN_OR_RETURN(const StartAction action, before_write(existing));
      skipped = action == StartAction::kSkip;
      return action;
    };
  }

  if (HasFixtures(profile)) {
    run.count_fixtures = [connection, &profile] {
      return CountAbsentFixtures(*connection, profile);
    };
    run.insert_fixtures = [connection, &profile] { return InsertFixtures(*connection, profile); };
  }

  PostgresSinkOptions sink_options;
  sink_options.bulk_load_empty_tables = !database.no_bulk;
  sink_options.lock_timeout_seconds = database.lock_timeout;
  sink_options.notice = Notice;
  sink_options.cancel = &CancelFlag();
  if (database.connections < 1 || database.connections > kMaxConnections) {
    return Fail(InvalidArgument("--connections must be between 1 and " +
                                std::to_string(kMaxConnections) + ", got " +
                                std::to_string(database.connections)));
  }
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
    std::fflush(stdout);
  }
  const Status status = RunProfile(profile, *sink, run, &report);
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

decltype(RunOptions::before_write) ConfirmClear(std::string what, bool yes, bool quiet) {
  return [what, yes,
          quiet](const std::array<int64_t, kTableCount>& existing) -> StatusOr<StartAction> {
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
      for (int i = 0; i < kTableCount; ++i) {
        if (existing[static_cast<size_t>(i)] == 0) continue;
        std::fprintf(stderr, "  %-14s %14s rows\n", kTableNames[static_cast<size_t>(i)],
                     GroupDigits(existing[static_cast<size_t>(i)]).c_str());
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
                const std::string& command, bool clear, bool yes) {
  auto profile = LoadWithOverrides(common);
  if (!profile.ok()) return Fail(profile.status());
  std::optional<ClusterInfo> embedded;
  auto url = ResolveDatabase(database.db, database.home, common.quiet, &embedded);
  if (!url.ok()) return Fail(url.status());
  auto connection = PgConnection::Connect(*url);
  if (!connection.ok()) {
    return Fail(connection.status().WithContext(RedactConnectionString(*url)));
  }
  const std::string what = command == "seed" ? "--clear-existing" : command;
  return SeedDatabase(*profile, common, database, *url, connection->get(), embedded, command,
                      clear ? ConfirmClear(what, yes, common.quiet) : nullptr);
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
                                            options.clear_existing, options.yes);
                       }});
  commands->push_back(
      {generate_command, [generate_options] { return RunGenerate(*generate_options); }});
}

}  // namespace seedforge::cli
