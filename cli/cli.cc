// Shared command-line helpers (see cli.h).
#include "cli/cli.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <utility>

#include "core/atomic_output_file.h"
#include "core/redact.h"
#include "engine/version.h"
#include "sinks/postgres/connection.h"

#include "sinks/postgres/run_history.h"

namespace seedforge::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};

// --connect-timeout and --statement-timeout, shared by every command that connects.
int g_connect_timeout_seconds = 10;
int g_statement_timeout_seconds = 0;

// Passwords seen on the command line and in DATABASE_URL, masked in every message printed.
std::mutex g_secrets_mutex;
std::vector<std::string> g_secrets;  // GUARDED_BY(g_secrets_mutex)

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
      // Whatever error an interrupt caused (a connection given up, say), it was an interrupt.
      if (g_signal.load() != 0) return g_signal.load() == SIGTERM ? 143 : 130;
      return 1;
  }
}

void RememberSecretsIn(std::string_view text) {
  std::vector<std::string> found = FindSecrets(text);
  const std::lock_guard<std::mutex> lock(g_secrets_mutex);
  for (std::string& secret : found) g_secrets.push_back(std::move(secret));
}

std::string Redact(std::string_view text) {
  const std::lock_guard<std::mutex> lock(g_secrets_mutex);
  return RedactSecrets(text, g_secrets);
}

static thread_local std::string t_last_failure;

int Fail(const Status& status) {
  t_last_failure = Redact(status.message());
  std::fprintf(stderr, "seedforge: error: %s\n", t_last_failure.c_str());
  return ExitCodeFor(status);
}

std::string TakeLastFailure() { return std::exchange(t_last_failure, std::string()); }

void Notice(std::string_view text) {
  const std::string line = Redact(text);
  std::fprintf(stderr, "seedforge: %s\n", line.c_str());
}

Status ValidateLockTimeout(int seconds) {
  if (seconds >= 0 && seconds <= 86400) return Status::Ok();
  return InvalidArgument(
      "--lock-timeout must be between 0 and 86400 seconds (0 = wait forever), got " +
      std::to_string(seconds));
}

Status FlushStdout() {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && std::ferror(stdout) == 0) return Status::Ok();
  const int error = errno;
  return IoError(std::string("cannot write to stdout") +
                 (error != 0 ? ": " + std::string(std::strerror(error))
                             : std::string(" (a write failed; output was lost)")));
}

void AddThreadsOption(CLI::App* command, int* threads, const std::string& description) {
  command
      ->add_option("--threads,-j", *threads,
                   description + " (0 = one per core, at most " + std::to_string(kMaxThreads) + ")")
      ->capture_default_str();
}

void AddScaleOption(CLI::App* command, std::string* scale) {
  command->add_option("--scale", *scale,
                      "Multiply every target of the profile by F (rounded to whole rows; --rows "
                      "and SEED_<TABLE>_COUNT still set exact targets)");
}

void AddCommonOptions(CLI::App* command, CommonOptions* options) {
  command
      ->add_option("--profile,-p", options->profile,
                   "Built-in profile name or path of a profile JSON file (default: the one that "
                   "filled the database, else default)")
      ->envname("SEEDFORGE_PROFILE");
  command->add_option("--seed", options->seed, "Random seed (overrides the profile's)")
      ->envname("SEEDFORGE_SEED");
  command
      ->add_option("--rows", options->rows,
                   "Target rows for a table, TABLE=N (repeatable; overrides the profile)")
      ->take_all();
  AddScaleOption(command, &options->scale);
  AddThreadsOption(command, &options->threads, "Generator threads");
  command
      ->add_option("--batch-size", options->batch_size,
                   "Rows per batch (the commit unit when appending)")
      ->capture_default_str();
  command->add_option("--report", options->report, "Also write the run report as JSON to FILE");
  command->add_flag("--quiet,-q", options->quiet, "Print nothing but errors");
}

Status ApplyOverrides(const CommonOptions& options, Profile* profile) {
  if (!options.seed.empty()) {
    int64_t seed = 0;
    if (!ParseCount(options.seed, &seed)) {
      return InvalidArgument("--seed: " + CountProblem(options.seed) + ", got '" + options.seed +
                             "'");
    }
    profile->seed = static_cast<uint64_t>(seed);
  }
  if (!options.scale.empty()) SF_RETURN_IF_ERROR(ScaleTargets(options.scale, "--scale", profile));
  SF_RETURN_IF_ERROR(ApplyRowOverrides(options.rows, "--rows", profile));
  // Before anything is changed: a report that cannot be written would otherwise fail the
  // command only after the seed had committed.
  if (!options.report.empty()) {
    SF_RETURN_IF_ERROR(AtomicOutputFile::CheckWritable(options.report).WithContext("--report"));
  }
  return Status::Ok();
}

StatusOr<int64_t> TakeInferRows(CommonOptions* options) {
  std::optional<int64_t> rows;
  std::vector<std::string> assignments;
  for (const std::string& entry : options->rows) {
    if (entry.find('=') != std::string::npos) {
      assignments.push_back(entry);
      continue;
    }
    int64_t value = 0;
    if (!ParseCount(entry, &value) || value < 1) {
      return InvalidArgument("--rows " + entry +
                             ": with --from-schema, give the rows of the tables that are no "
                             "table's children as a positive number, or TABLE=N");
    }
    if (rows.has_value()) {
      return InvalidArgument("--rows " + entry + ": a second number (--rows " +
                             std::to_string(*rows) + " was given already)");
    }
    rows = value;
  }
  options->rows = std::move(assignments);
  return rows.value_or(1000);
}

StatusOr<Profile> LoadForDatabase(const CommonOptions& options, PgConnection& connection) {
  if (!options.profile.empty()) return LoadWithOverrides(options);
  SF_ASSIGN_OR_RETURN(const std::optional<FillingRun> filled, ReadFillingRun(connection));
  if (!filled.has_value()) return LoadWithOverrides(options);
  if (filled->profile_source == kFromSchemaSource) {
    // Inferred again: the same schema gives the same profile (a changed one is caught by the
    // fingerprint, which a top-up compares). The targets are inference's default unless --rows N
    // (a bare number, as for seed --from-schema), --rows TABLE=N or --scale give others.
    CommonOptions inferred = options;
    SF_ASSIGN_OR_RETURN(const int64_t rows, TakeInferRows(&inferred));
    SF_ASSIGN_OR_RETURN(Profile profile, InferDatabaseProfile(connection, rows));
    profile.seed = filled->seed;
    SF_RETURN_IF_ERROR(ApplyOverrides(inferred, &profile));
    if (!options.quiet) {
      Notice("profile inferred from the schema, seed " + std::to_string(profile.seed) +
             ": seed --from-schema filled this database (" + kRunsTable + ", " +
             filled->finished_at + " UTC); --profile and --seed choose another");
    }
    return profile;
  }
  const std::string reference =
      filled->profile_source == "built-in" ? filled->profile : filled->profile_source;
  StatusOr<Profile> loaded = LoadProfile(reference);
  if (!loaded.ok()) {
    return loaded.status().WithContext("the database was filled with profile " + filled->profile +
                                       " (" + filled->profile_source + ", " + kRunsTable +
                                       "), which cannot be loaded now; give --profile");
  }
  Profile profile = std::move(*loaded);
  profile.seed = filled->seed;
  SF_RETURN_IF_ERROR(ApplyOverrides(options, &profile));
  if (!options.quiet) {
    Notice("profile " + profile.name + ", seed " + std::to_string(profile.seed) +
           ": what filled this database (" + kRunsTable + ", " + filled->finished_at +
           " UTC); --profile and --seed choose another");
  }
  return profile;
}

StatusOr<Profile> LoadWithOverrides(const CommonOptions& options) {
  SF_RETURN_IF_ERROR(ValidateThreads(options.threads));
  SF_ASSIGN_OR_RETURN(Profile profile,
                      LoadProfile(options.profile.empty() ? "default" : options.profile));
  SF_RETURN_IF_ERROR(ApplyOverrides(options, &profile));
  return profile;
}

PipelineOptions MakePipelineOptions(const CommonOptions& options) {
  PipelineOptions pipeline;
  pipeline.threads = options.threads;
  pipeline.batch_rows = options.batch_size;
  pipeline.cancel = &CancelFlag();
  return pipeline;
}

RunRecord ProfileRunRecord(const std::string& command, const Profile& profile) {
  RunRecord record;
  record.command = command;
  record.profile = profile.name;
  record.profile_source = profile.source;
  record.profile_fingerprint = ProfileFingerprint(profile);
  record.seed = profile.seed;
  record.seedforge_version = std::string(SeedforgeVersion());
  return record;
}

void SetOutcome(const Status& status, RunRecord* record) {
  record->outcome = status.ok()                               ? "completed"
                    : status.code() == StatusCode::kCancelled ? "interrupted"
                                                              : "failed";
  if (!status.ok()) record->message = status.message();
}

namespace {

Status RecordOnDatabase(const std::string& url, RunRecord* record,
                        const std::function<Status(PgConnection&, RunRecord*)>& complete) {
  SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, PgConnection::Connect(url));
  if (complete) SF_RETURN_IF_ERROR(complete(*connection, record));
  return RecordRun(*connection, *record, HistoryCreation::kOnlyIfPresent);
}

}  // namespace

void RecordRunAt(const std::string& url, RunRecord record, const Status& run_status,
                 const std::function<Status(PgConnection&, RunRecord*)>& complete) {
  const Status recorded = RecordOnDatabase(url, &record, complete);
  if (!recorded.ok() && run_status.ok()) {
    Notice("warning: recording the run in " + std::string(kRunsTable) + ": " + recorded.message());
  }
}

int Finish(const Status& status, const RunReport& report, const CommonOptions& options) {
  // A run refused before it planned a table (bad input, a clear not confirmed) has nothing to
  // report: no file, so that a nightly `seed --report new.json` never leaves an empty one.
  if (!options.report.empty() && (status.ok() || !report.tables.empty())) {
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
  command
      ->add_option("--connect-timeout", g_connect_timeout_seconds,
                   "Seconds to wait for a connection to the server (0 = no limit)")
      ->capture_default_str();
  command->add_option("--statement-timeout", g_statement_timeout_seconds,
                      "Seconds to wait for the server's answer to one statement before giving "
                      "up the connection (default: no limit)");
}

Status ApplyConnectionSettings() {
  if (g_connect_timeout_seconds < 0 || g_connect_timeout_seconds > 86400) {
    return InvalidArgument("--connect-timeout must be between 0 and 86400 seconds, got " +
                           std::to_string(g_connect_timeout_seconds));
  }
  if (g_statement_timeout_seconds < 0 || g_statement_timeout_seconds > 86400 * 7) {
    return InvalidArgument("--statement-timeout must be between 0 and 604800 seconds, got " +
                           std::to_string(g_statement_timeout_seconds));
  }
  ConnectionSettings settings;
  settings.connect_timeout_seconds = g_connect_timeout_seconds;
  settings.statement_timeout_seconds = g_statement_timeout_seconds;
  settings.interrupt = &g_cancel;
  SetConnectionSettings(settings);
  return Status::Ok();
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
