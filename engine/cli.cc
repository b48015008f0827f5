// Shared command-line helpers (see cli.h).
#include "engine/cli.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace seedforge::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};

extern "C" void OnSignal(int signal_number) {
  g_signal.store(signal_number);
  g_cancel.store(true);
}

}  // namespace

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>& CancelFlag() { return g_cancel; }

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
  pipeline.cancel = &CancelFlag();
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

Status Confirm(const std::string& summary, const std::string& question, const std::string& refused,
               bool yes) {
  if (yes) return Status::Ok();
  if (::isatty(STDIN_FILENO) != 1 || ::isatty(STDERR_FILENO) != 1) {
    return InvalidArgument(summary + "; add --yes to confirm (no terminal to ask)");
  }
  std::fprintf(stderr, "seedforge: %s [y/N] ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return InvalidArgument(refused);
  std::string word;
  for (const char c : answer) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (word == "y" || word == "yes") return Status::Ok();
  return InvalidArgument(refused);
}

std::string DefaultHome() { return Env("SEEDFORGE_HOME").value_or(".seedforge"); }

void AddConnectionOptions(CLI::App* command, std::string* db, std::string* home) {
  *home = DefaultHome();
  command->add_option("--db", *db,
                      "libpq connection string or URI (default: DATABASE_URL, then the embedded "
                      "cluster)");
  command->add_option("--home", *home, "Embedded cluster folder (env SEEDFORGE_HOME)")
      ->capture_default_str();
}

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

StatusOr<std::string> ResolveRunningDatabase(const std::string& flag, const std::string& home,
                                             const std::string& command) {
  if (!flag.empty()) return flag;
  if (auto url = Env("DATABASE_URL")) return *url;
  ClusterOptions cluster;
  cluster.home = home;
  SF_ASSIGN_OR_RETURN(const ClusterInfo info, InspectCluster(cluster));
  const std::string home_option = home == ".seedforge" ? "" : " --home " + home;
  if (!info.initialized) {
    return FailedPrecondition("no --db, no DATABASE_URL and no embedded cluster in " + info.home +
                              "; " + command + " does not create one: run 'seedforge up" +
                              home_option + "' or 'seedforge seed" + home_option +
                              "', or give --db");
  }
  if (!info.running) {
    return FailedPrecondition("the embedded PostgreSQL in " + info.home + " is stopped; " +
                              command + " does not start it: run 'seedforge up" + home_option +
                              "' first");
  }
  return info.ConnectionUrl();
}

}  // namespace seedforge::cli
