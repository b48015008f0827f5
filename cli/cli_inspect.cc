// `seedforge stats` and `seedforge verify`: read-only looks at a seeded database (tools/verify.h).
// Both resolve the database like `seed` (--db, DATABASE_URL, the embedded cluster) but never
// create or start the embedded cluster, and take the profile options that say what the database
// should hold.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/cli.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "tools/verify.h"

namespace seedforge::cli {
namespace {

struct InspectOptions {
  CommonOptions common;
  std::string db;
  std::string home = ".seedforge";
  bool json = false;
};

void AddInspectOptions(CLI::App* command, InspectOptions* options) {
  command
      ->add_option("--profile,-p", options->common.profile,
                   "Built-in profile name or path of a profile JSON file (default: the one that "
                   "filled the database, else default)")
      ->envname("SEEDFORGE_PROFILE");
  command->add_option("--seed", options->common.seed, "Random seed (overrides the profile's)")
      ->envname("SEEDFORGE_SEED");
  command
      ->add_option("--rows", options->common.rows,
                   "Target rows for a table, TABLE=N (repeatable; overrides the profile)")
      ->take_all();
  AddScaleOption(command, &options->common.scale);
  AddConnectionOptions(command, &options->db, &options->home);
  command->add_flag("--json", options->json, "Print one JSON object instead of text");
  command->add_flag("--quiet,-q", options->common.quiet, "Print nothing but errors");
}

// Loads the profile and connects; on failure returns the exit code through `code`. `url`, when
// given, receives the connection string it connected with.
std::unique_ptr<PgConnection> Open(const InspectOptions& options, const std::string& command,
                                   Profile* profile, int* code, std::string* url_out = nullptr) {
  // Without --profile the database's record decides which tables --rows may name.
  CommonOptions checked = options.common;
  if (checked.profile.empty()) checked.rows.clear();
  auto loaded = LoadWithOverrides(checked);
  if (!loaded.ok()) {
    *code = Fail(loaded.status());
    return nullptr;
  }
  *profile = std::move(*loaded);
  // Read-only: a stopped embedded cluster is reported, not started.
  auto url = ResolveRunningDatabase(options.db, options.home, command);
  if (!url.ok()) {
    *code = Fail(url.status());
    return nullptr;
  }
  auto connection = PgConnection::Connect(*url);
  if (!connection.ok()) {
    *code = Fail(connection.status().WithContext(RedactConnectionString(*url)));
    return nullptr;
  }
  if (url_out != nullptr) *url_out = *url;
  if (options.common.profile.empty()) {
    CommonOptions common = options.common;
    // stats and verify print the profile and seed they use; no notice needed.
    common.quiet = true;
    loaded = LoadForDatabase(common, **connection);
    if (!loaded.ok()) {
      *code = Fail(loaded.status());
      return nullptr;
    }
    *profile = std::move(*loaded);
  }
  return std::move(*connection);
}

int RunStats(const InspectOptions& options) {
  Profile profile;
  int code = 0;
  auto connection = Open(options, "stats", &profile, &code);
  if (connection == nullptr) return code;
  auto stats = CollectStats(*connection, profile);
  if (!stats.ok()) return Fail(stats.status());
  if (!options.common.quiet) {
    const std::string text = options.json ? FormatStatsJson(*stats) : FormatStatsText(*stats);
    std::fputs(text.c_str(), stdout);
  }
  return 0;
}

// The row of seedforge.runs for a verify: per table its target and the rows it held, the
// outcome "passed" or "failed" (checks failed, or the inspection could not run).
void RecordVerify(const std::string& url, const Profile& profile,
                  const StatusOr<VerifyReport>& report) {
  RunRecord record = ProfileRunRecord("verify", profile);
  SetOutcome(report.status(), &record);
  if (report.ok()) {
    record.seconds = report->seconds;
    record.outcome = report->passed() ? "passed" : "failed";
    if (!report->passed()) {
      record.message = std::to_string(report->failed_count()) + " checks failed";
    }
    for (const TableFingerprintResult& table : report->fingerprints) {
      RunTableRecord& row = record.tables.emplace_back();
      row.table = table.table;
      row.before = table.found.rows;
      const int index = profile.FindTable(table.table);
      if (index >= 0) row.target = profile.Target(static_cast<size_t>(index));
    }
  }
  RecordRunAt(url, std::move(record), report.status());
}

struct VerifyCommandOptions {
  InspectOptions inspect;
  int threads = 0;
  int connections = 2;
};

int RunVerify(const VerifyCommandOptions& options) {
  if (Status valid = ValidateThreads(options.threads); !valid.ok()) return Fail(valid);
  if (options.connections < 1 || options.connections > kMaxConnections) {
    return Fail(InvalidArgument("--connections must be between 1 and " +
                                std::to_string(kMaxConnections) + ", got " +
                                std::to_string(options.connections)));
  }
  Profile profile;
  int code = 0;
  std::string url;
  auto connection = Open(options.inspect, "verify", &profile, &code, &url);
  if (connection == nullptr) return code;
  VerifyOptions verify;
  verify.threads = options.threads;
  verify.connections = options.connections;
  verify.conninfo = url;
  auto report = Verify(*connection, profile, verify);
  RecordVerify(url, profile, report);
  if (!report.ok()) return Fail(report.status());
  if (!options.inspect.common.quiet) {
    const std::string text =
        options.inspect.json ? FormatVerifyJson(*report) : FormatVerifyText(*report);
    std::fputs(text.c_str(), stdout);
  }
  return report->passed() ? 0 : 1;
}

}  // namespace

void AddInspectCommands(CLI::App& app, std::vector<Command>* commands) {
  auto stats_options = std::make_shared<InspectOptions>();
  CLI::App* stats = app.add_subcommand(
      "stats", "Rows per table against the profile's targets, table sizes, database size");
  AddInspectOptions(stats, stats_options.get());

  auto verify_options = std::make_shared<VerifyCommandOptions>();
  CLI::App* verify = app.add_subcommand("verify",
                                        "Check foreign keys, unique keys, the profile's checks and "
                                        "per-table fingerprints; exit 1 if any "
                                        "check fails");
  AddInspectOptions(verify, &verify_options->inspect);
  AddThreadsOption(verify, &verify_options->threads,
                   "Generator threads for the expected fingerprints");
  verify
      ->add_option("--connections", verify_options->connections,
                   "Database connections; the table scans run on them at once")
      ->capture_default_str();

  commands->push_back({stats, [stats_options] { return RunStats(*stats_options); }});
  commands->push_back({verify, [verify_options] { return RunVerify(*verify_options); }});
}

}  // namespace seedforge::cli
