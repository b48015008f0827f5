// The seedforge command line: the one place where a Status becomes a message and an exit code.
//
// Exit codes: 0 success; 1 runtime failure (server, files); 2 bad input (flags, profile,
// environment, unknown names); 130 interrupted by SIGINT; 143 terminated by SIGTERM. Every error
// is one line on stderr, "seedforge: error: ...", with passwords redacted.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "engine/builtin_profiles.h"
#include "engine/embedded_cluster.h"
#include "engine/profile.h"
#include "engine/progress.h"
#include "engine/report.h"
#include "engine/run.h"
#include "engine/version.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};

extern "C" void OnSignal(int signal_number) {
  g_signal.store(signal_number);
  g_cancel.store(true);
}

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return 2;
    case StatusCode::kCancelled:
      return g_signal.load() == SIGTERM ? 143 : 130;
    default:
      return 1;
  }
}

int Fail(const Status& status) {
  std::fprintf(stderr, "seedforge: error: %s\n", status.message().c_str());
  return ExitCodeFor(status);
}

void Notice(std::string_view text) {
  std::fprintf(stderr, "seedforge: %.*s\n", static_cast<int>(text.size()), text.data());
}

// Options shared by seed and generate.
struct CommonOptions {
  std::string profile = "default";
  std::string seed;
  std::vector<std::string> rows;
  int threads = 0;
  int64_t batch_size = 10000;
  std::string report;
  bool quiet = false;
};

void AddCommonOptions(CLI::App* command, CommonOptions* options) {
  command
      ->add_option("--profile,-p", options->profile,
                   "Built-in profile name or path of a profile JSON file")
      ->envname("SEEDFORGE_PROFILE")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed (overrides the profile's)")
      ->envname("SEEDFORGE_SEED");
  command
      ->add_option("--rows", options->rows,
                   "Target rows for a table, TABLE=N (repeatable; overrides the profile)")
      ->take_all();
  command->add_option("--threads,-j", options->threads, "Generator threads (0 = one per core)")
      ->capture_default_str();
  command
      ->add_option("--batch-size", options->batch_size,
                   "Rows per batch (the commit unit when appending)")
      ->capture_default_str();
  command->add_option("--report", options->report, "Also write the run report as JSON to FILE");
  command->add_flag("--quiet,-q", options->quiet, "Print nothing but errors");
}

StatusOr<Profile> LoadWithOverrides(const CommonOptions& options) {
  SF_ASSIGN_OR_RETURN(Profile profile, LoadProfile(options.profile));
  if (!options.seed.empty()) {
    int64_t seed = 0;
    if (!ParseCount(options.seed, &seed)) {
      return InvalidArgument("--seed: expected a non-negative integer, got '" + options.seed + "'");
    }
    profile.seed = static_cast<uint64_t>(seed);
  }
  for (const std::string& assignment : options.rows) {
    SF_RETURN_IF_ERROR(ApplyRowOverride(assignment, "--rows", &profile));
  }
  return profile;
}

PipelineOptions MakePipelineOptions(const CommonOptions& options) {
  PipelineOptions pipeline;
  pipeline.threads = options.threads;
  pipeline.batch_rows = options.batch_size;
  pipeline.cancel = &g_cancel;
  return pipeline;
}

int Finish(const Status& status, const RunReport& report, const CommonOptions& options) {
  if (!options.report.empty()) {
    Status written = WriteReportFile(report, options.report);
    if (!written.ok() && status.ok()) return Fail(written);
  }
  if (!status.ok()) {
    if (status.code() == StatusCode::kCancelled) {
      std::fprintf(stderr, "seedforge: interrupted; whole batches already committed are kept:\n%s",
                   FormatSummary(report).c_str());
    }
    return Fail(status);
  }
  if (!options.quiet) std::fputs(FormatSummary(report).c_str(), stdout);
  return 0;
}

// --- seed --------------------------------------------------------------------------------------

struct SeedOptions {
  CommonOptions common;
  std::string db;
  std::string copy_format = "binary";
  std::string home = ".seedforge";
  int lock_timeout = 0;
  int connections = 2;
  bool no_bulk = false;
};

// --db, then DATABASE_URL, then the embedded cluster (started on demand).
StatusOr<std::string> ResolveDatabase(const std::string& flag, const std::string& home, bool quiet,
                                      std::optional<ClusterInfo>* embedded) {
  if (!flag.empty()) return flag;
  if (auto url = Env("DATABASE_URL")) return *url;
  ClusterOptions cluster;
  cluster.home = home;
  cluster.log_progress = !quiet;
  SF_ASSIGN_OR_RETURN(ClusterInfo info, StartCluster(cluster));
  *embedded = info;
  return info.ConnectionUrl();
}

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

// --- generate ----------------------------------------------------------------------------------

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

// --- up / down / status / profiles -------------------------------------------------------------

int RunUp(const std::string& home) {
  ClusterOptions cluster;
  cluster.home = home;
  auto info = StartCluster(cluster);
  if (!info.ok()) return Fail(info.status());
  std::printf("PostgreSQL is %s: %s\nconnect: %s\n",
              info->started_now ? "started" : "already running", info->ConnectionUrl().c_str(),
              info->PsqlCommand().c_str());
  return 0;
}

int RunDown(const std::string& home) {
  ClusterOptions cluster;
  cluster.home = home;
  auto before = InspectCluster(cluster);
  if (!before.ok()) return Fail(before.status());
  if (Status status = StopCluster(cluster); !status.ok()) return Fail(status);
  std::printf("%s (data kept in %s)\n",
              before->running ? "PostgreSQL stopped" : "PostgreSQL was not running",
              before->data_dir.c_str());
  return 0;
}

int RunStatus(const std::string& home) {
  ClusterOptions cluster;
  cluster.home = home;
  auto info = InspectCluster(cluster);
  if (!info.ok()) return Fail(info.status());
  if (!info->initialized) {
    std::printf("no embedded cluster in %s (run 'seedforge up' or 'seedforge seed')\n",
                info->home.c_str());
    return 0;
  }
  std::printf("embedded PostgreSQL: %s\ndata:    %s\nurl:     %s\ntcp:     %s\nconnect: %s\n",
              info->running ? "running" : "stopped", info->data_dir.c_str(),
              info->ConnectionUrl().c_str(), info->TcpUrl().c_str(), info->PsqlCommand().c_str());
  if (!info->running) return 0;
  auto connection = PgConnection::Connect(info->ConnectionUrl());
  if (!connection.ok()) return 0;
  for (const TableSchema& schema : FleetSchemas()) {
    auto exists =
        (*connection)->QueryValue("SELECT to_regclass('" + schema.name + "') IS NOT NULL");
    if (!exists.ok() || *exists != "t") continue;
    auto count = (*connection)->QueryInt("SELECT count(*) FROM " + schema.name);
    if (count.ok())
      std::printf("  %-13s %12s rows\n", schema.name.c_str(), GroupDigits(*count).c_str());
  }
  return 0;
}

int RunProfiles() {
  std::printf("%-10s %9s %13s %9s %12s %9s  %s\n", "profile", "users", "applications", "assets",
              "deployments", "events", "description");
  for (const BuiltinProfile& builtin : BuiltinProfiles()) {
    auto profile = LoadProfile(builtin.name);
    if (!profile.ok()) return Fail(profile.status());
    const auto& p = *profile;
    std::printf("%-10s %9s %13s %9s %12s %9s  %s\n", std::string(builtin.name).c_str(),
                GroupDigits(p.Target(TableId::kUsers)).c_str(),
                GroupDigits(p.Target(TableId::kApplications)).c_str(),
                GroupDigits(p.Target(TableId::kAssets)).c_str(),
                GroupDigits(p.Target(TableId::kDeployments)).c_str(),
                GroupDigits(p.Target(TableId::kEvents)).c_str(), p.description.c_str());
  }
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"seedforge: fast, reproducible synthetic data for PostgreSQL", "seedforge"};
  app.set_version_flag("--version", std::string(SeedforgeVersion()));
  app.require_subcommand(1);

  std::string home = Env("SEEDFORGE_HOME").value_or(".seedforge");

  SeedOptions seed;
  seed.home = home;
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

  GenerateOptions generate;
  CLI::App* generate_command =
      app.add_subcommand("generate", "Write the same rows to files (or discard them), no database");
  AddCommonOptions(generate_command, &generate.common);
  generate_command
      ->add_option("--format", generate.format, "csv, jsonl, copy-text, copy-binary or null")
      ->required();
  generate_command->add_option("--out", generate.out, "Output folder (DIR/<table>.<ext>)")
      ->capture_default_str();

  CLI::App* up_command = app.add_subcommand("up", "Create and start the embedded PostgreSQL");
  CLI::App* down_command = app.add_subcommand("down", "Stop the embedded PostgreSQL (data kept)");
  CLI::App* status_command =
      app.add_subcommand("status", "Show the embedded PostgreSQL's state and connection string");
  for (CLI::App* command : {up_command, down_command, status_command}) {
    command->add_option("--home", home, "Embedded cluster folder (env SEEDFORGE_HOME)")
        ->capture_default_str();
  }
  CLI::App* profiles_command = app.add_subcommand("profiles", "List the built-in profiles");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << SeedforgeVersion() << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {  // --help on a subcommand
      return app.exit(error);
    }
    std::fprintf(stderr, "seedforge: error: %s (see 'seedforge --help')\n", error.what());
    return 2;
  }

  InstallSignalHandlers();
  if (seed_command->parsed()) return RunSeed(seed);
  if (generate_command->parsed()) return RunGenerate(generate);
  if (up_command->parsed()) return RunUp(home);
  if (down_command->parsed()) return RunDown(home);
  if (status_command->parsed()) return RunStatus(home);
  if (profiles_command->parsed()) return RunProfiles();
  return 2;
}

}  // namespace
}  // namespace seedforge

int main(int argc, char** argv) { return seedforge::Main(argc, argv); }
