// `seedforge runs` and `seedforge report compare`: the run history of a database
// (sinks/postgres/run_history.h, printed by tools/runs_text.h) and the regression check of two
// runs' times (tools/report_compare.h). Both only look: the database is resolved like stats
// (--db, DATABASE_URL, then the embedded cluster, never created or started), and report compare
// connects only when a side is a run id.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli.h"
#include "engine/profile.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "tools/report_compare.h"
#include "tools/runs_text.h"

namespace seedforge::cli {
namespace {

struct RunsOptions {
  std::string db;
  std::string home = ".seedforge";
  RunFilter filter;
  bool json = false;
};

StatusOr<std::unique_ptr<PgConnection>> ConnectRunning(const std::string& db,
                                                       const std::string& home,
                                                       const std::string& command) {
  SF_ASSIGN_OR_RETURN(const std::string url, ResolveRunningDatabase(db, home, command));
  auto connection = PgConnection::Connect(url);
  if (!connection.ok()) return connection.status().WithContext(RedactConnectionString(url));
  return connection;
}

int RunRuns(const RunsOptions& options) {
  if (options.filter.limit < 0) {
    return Fail(InvalidArgument("--limit must be 0 (all) or positive, got " +
                                std::to_string(options.filter.limit)));
  }
  auto connection = ConnectRunning(options.db, options.home, "runs");
  if (!connection.ok()) return Fail(connection.status());
  auto runs = ReadRuns(**connection, options.filter);
  if (!runs.ok()) return Fail(runs.status());
  if (options.json) {
    std::fputs(FormatRunsJson(*runs).c_str(), stdout);
    return 0;
  }
  if (runs->empty()) {
    const bool filtered = !options.filter.profile.empty() || !options.filter.command.empty();
    std::printf("%s in database %s\n",
                filtered ? "no recorded run matches"
                         : "no run history (seedforge.runs is empty "
                           "or absent)",
                (*connection)->database().c_str());
    return 0;
  }
  std::fputs(FormatRunsText(*runs).c_str(), stdout);
  return 0;
}

struct CompareCommandOptions {
  std::string baseline;
  std::string candidate;
  seedforge::CompareOptions limits;
  std::string db;
  std::string home = ".seedforge";
  bool json = false;
};

// A run id: digits only, and no file of that name (a file wins).
bool IsRunId(const std::string& argument) {
  int64_t id = 0;
  std::error_code error;
  return ParseCount(argument, &id) && id > 0 && !std::filesystem::exists(argument, error);
}

// The times of `argument`: a --report file, or a run of seedforge.runs (connecting on first use).
StatusOr<RunTimes> LoadTimes(const std::string& argument, const CompareCommandOptions& options,
                             std::unique_ptr<PgConnection>* connection) {
  if (!IsRunId(argument)) return ReadReportTimes(argument);
  if (*connection == nullptr) {
    SF_ASSIGN_OR_RETURN(*connection, ConnectRunning(options.db, options.home, "report compare"));
  }
  RunFilter filter;
  ParseCount(argument, &filter.id);
  SF_ASSIGN_OR_RETURN(const std::vector<StoredRun> runs, ReadRuns(**connection, filter));
  if (runs.empty()) {
    return NotFound("run " + argument + ": no such run in " + kRunsTable + " of database " +
                    (*connection)->database() + " (and no file of that name)");
  }
  return TimesOfRun(runs.front());
}

int RunCompare(const CompareCommandOptions& options) {
  if (Status valid = options.limits.Validate(); !valid.ok()) return Fail(valid);
  std::unique_ptr<PgConnection> connection;
  auto baseline = LoadTimes(options.baseline, options, &connection);
  if (!baseline.ok()) return Fail(baseline.status());
  auto candidate = LoadTimes(options.candidate, options, &connection);
  if (!candidate.ok()) return Fail(candidate.status());
  const RunComparison comparison = CompareRunTimes(*baseline, *candidate, options.limits);
  const std::string text =
      options.json ? FormatComparisonJson(comparison) : FormatComparisonText(comparison);
  std::fputs(text.c_str(), stdout);
  return comparison.regressions() > 0 ? 1 : 0;
}

}  // namespace

void AddRunsCommands(CLI::App& app, std::vector<Command>* commands) {
  auto runs_options = std::make_shared<RunsOptions>();
  CLI::App* runs = app.add_subcommand(
      "runs",
      "The runs recorded in seedforge.runs, newest first (seed, reset, auto, verify, "
      "snapshot create and restore)");
  AddConnectionOptions(runs, &runs_options->db, &runs_options->home);
  runs->add_option("--profile,-p", runs_options->filter.profile, "Only runs of this profile");
  runs->add_option("--command", runs_options->filter.command,
                   "Only runs of this command (seed, reset, auto, verify, \"snapshot create\", "
                   "\"snapshot restore\")");
  runs->add_option("--limit", runs_options->filter.limit, "At most N runs, newest first (0 = all)")
      ->capture_default_str();
  runs->add_flag("--json", runs_options->json, "Print a JSON array instead of text");

  CLI::App* report = app.add_subcommand("report", "Work with run reports");
  report->require_subcommand(1);
  auto compare_options = std::make_shared<CompareCommandOptions>();
  CLI::App* compare = report->add_subcommand(
      "compare", "Compare the seconds of two runs per table and in total; exit 1 on a regression");
  compare
      ->add_option("baseline", compare_options->baseline,
                   "The baseline: a --report JSON file or a run id of seedforge.runs")
      ->required();
  compare
      ->add_option("new", compare_options->candidate,
                   "The run to check: a --report JSON file or a run id of seedforge.runs")
      ->required();
  compare
      ->add_option("--max-slowdown", compare_options->limits.max_slowdown_percent,
                   "Percent slower than the baseline that counts as a regression")
      ->capture_default_str();
  compare
      ->add_option("--min-slowdown", compare_options->limits.min_slowdown_seconds,
                   "Seconds a time must also grow by to count (keeps tiny tables from flagging)")
      ->capture_default_str();
  AddConnectionOptions(compare, &compare_options->db, &compare_options->home);
  compare->add_flag("--json", compare_options->json, "Print one JSON object instead of text");

  commands->push_back({runs, [runs_options] { return RunRuns(*runs_options); }});
  commands->push_back({compare, [compare_options] { return RunCompare(*compare_options); }});
}

}  // namespace seedforge::cli
