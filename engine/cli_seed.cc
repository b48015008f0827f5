// `seedforge seed` and `seedforge generate`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "engine/cli.h"
#include "engine/progress.h"
#include "engine/run.h"
#include "engine/version.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

namespace seedforge::cli {
namespace {

struct SeedOptions {
  CommonOptions common;
  std::string db;
  std::string copy_format = "binary";
  std::string home = ".seedforge";
  int lock_timeout = 0;
  int connections = 2;
  bool no_bulk = false;
};

int RunSeed(const SeedOptions& options) {
  auto profile = LoadWithOverrides(options.common);
  if (!profile.ok()) return Fail(profile.status());
  auto format = ParseFormat(options.copy_format);
  if (!format.ok() || (*format != Format::kCopyText && *format != Format::kCopyBinary)) {
    return Fail(InvalidArgument("--copy-format: expected text or binary, got '" +
                                options.copy_format + "'"));
  }
  RunOptions run;
  run.pipeline = MakePipelineOptions(options.common);
  if (Status valid = run.pipeline.Validate(); !valid.ok()) return Fail(valid);
  run.format = *format;
  run.show_progress = !options.common.quiet && ProgressLine::StderrIsTerminal();

  std::optional<ClusterInfo> embedded;
  auto url = ResolveDatabase(options.db, options.home, options.common.quiet, &embedded);
  if (!url.ok()) return Fail(url.status());
  auto connection = PgConnection::Connect(*url);
  if (!connection.ok()) {
    return Fail(connection.status().WithContext(RedactConnectionString(*url)));
  }
  PostgresSinkOptions sink_options;
  sink_options.bulk_load_empty_tables = !options.no_bulk;
  sink_options.lock_timeout_seconds = options.lock_timeout;
  sink_options.notice = Notice;
  if (options.connections < 1 || options.connections > 64) {
    return Fail(InvalidArgument("--connections must be between 1 and 64, got " +
                                std::to_string(options.connections)));
  }
  if (options.connections > 1) sink_options.worker_conninfo = *url;
  run.parallel_tables = options.connections;
  auto sink = MakePostgresSink(connection->get(), run.format, sink_options);

  RunReport report;
  report.command = "seed";
  report.version = std::string(SeedforgeVersion());
  report.server_version = (*connection)->server_version_text();
  if (!options.common.quiet) {
    std::printf("seedforge %s: profile %s (seed %llu) into %s on database %s\n",
                std::string(SeedforgeVersion()).c_str(), profile->name.c_str(),
                static_cast<unsigned long long>(profile->seed), sink->description().c_str(),
                (*connection)->database().c_str());
    std::fflush(stdout);
  }
  const Status status = RunProfile(*profile, *sink, run, &report);
  const int code = Finish(status, report, options.common);
  if (code == 0 && embedded.has_value() && !options.common.quiet) {
    std::printf("connect: %s\n", embedded->PsqlCommand().c_str());
  }
  return code;
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

void AddSeedCommands(CLI::App& app, std::vector<Command>* commands) {
  auto seed_options = std::make_shared<SeedOptions>();
  SeedOptions& seed = *seed_options;
  seed.home = DefaultHome();
  CLI::App* seed_command = app.add_subcommand(
      "seed", "Create the schema if absent and top every table up to its target");
  AddCommonOptions(seed_command, &seed.common);
  seed_command->add_option("--db", seed.db,
                           "libpq connection string or URI (default: DATABASE_URL, then the "
                           "embedded cluster)");
  seed_command->add_option("--copy-format", seed.copy_format, "COPY format: text or binary")
      ->capture_default_str();
  seed_command->add_option("--home", seed.home, "Embedded cluster folder (env SEEDFORGE_HOME)")
      ->capture_default_str();
  seed_command->add_option("--lock-timeout", seed.lock_timeout,
                           "Seconds to wait for another seedforge run on the database (0 = "
                           "forever)");
  seed_command
      ->add_option("--connections", seed.connections,
                   "Database connections; tables that start empty load in parallel on them")
      ->capture_default_str();
  seed_command->add_flag("--no-bulk", seed.no_bulk,
                         "Append batch by batch even into empty tables (no COPY FREEZE path)");

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

  commands->push_back({seed_command, [seed_options] { return RunSeed(*seed_options); }});
  commands->push_back(
      {generate_command, [generate_options] { return RunGenerate(*generate_options); }});
}

}  // namespace seedforge::cli
