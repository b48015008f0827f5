// The command line's shared pieces: exit codes, one-line errors, the options common to the
// commands that generate, and how a command registers itself.
//
// Each group of commands lives in its own cli_*.cc and adds its subcommands through an Add*
// function; engine/main.cc parses and runs the one that was given. Exit codes: 0 success;
// 1 runtime failure (server, files); 2 bad input (flags, profile, environment, unknown names);
// 130 interrupted by SIGINT; 143 terminated by SIGTERM.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/embedded_cluster.h"
#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/report.h"

namespace CLI {
class App;
}  // namespace CLI

namespace seedforge::cli {

// A subcommand: `run` is called when `app` was the one parsed; it returns the exit code.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// seed, generate (cli_seed.cc).
void AddSeedCommands(CLI::App& app, std::vector<Command>* commands);
// up, down, status, profiles (cli_cluster.cc).
void AddClusterCommands(CLI::App& app, std::vector<Command>* commands);
// stats, verify (cli_inspect.cc).
void AddInspectCommands(CLI::App& app, std::vector<Command>* commands);

// SIGINT and SIGTERM set the cancel flag; the run stops after the batches in flight.
void InstallSignalHandlers();
const std::atomic<bool>& CancelFlag();

// The value of an environment variable, or nullopt when unset or empty.
std::optional<std::string> Env(const char* name);
// Prints "seedforge: error: MESSAGE" and returns the exit code for the status.
int Fail(const Status& status);
int ExitCodeFor(const Status& status);
// Prints "seedforge: TEXT" on stderr.
void Notice(std::string_view text);

// Options shared by the commands that generate rows.
struct CommonOptions {
  std::string profile = "default";
  std::string seed;
  std::vector<std::string> rows;
  int threads = 0;
  int64_t batch_size = 10000;
  std::string report;
  bool quiet = false;
};
void AddCommonOptions(CLI::App* command, CommonOptions* options);
// Loads the profile and applies --seed and --rows.
StatusOr<Profile> LoadWithOverrides(const CommonOptions& options);
PipelineOptions MakePipelineOptions(const CommonOptions& options);
// Writes --report, prints the summary (or the interruption summary and the error).
int Finish(const Status& status, const RunReport& report, const CommonOptions& options);

// The embedded cluster's home: --home, else SEEDFORGE_HOME, else ".seedforge".
std::string DefaultHome();
// --db, then DATABASE_URL, then the embedded cluster (started on demand; `embedded` is set).
StatusOr<std::string> ResolveDatabase(const std::string& flag, const std::string& home, bool quiet,
                                      std::optional<ClusterInfo>* embedded);

}  // namespace seedforge::cli
