// Folder cli/: the command-line front end, its own CMake target and the only one that links
// CLI11. It parses options, resolves the database, calls the tools and the engine, and turns
// their Status into a message and an exit code. It may use every folder below it (tools/,
// engine/, sinks/, generators/, core/); nothing includes it.
//
// The command line's shared pieces: exit codes, one-line errors, the options common to the
// commands that generate, and how a command registers itself.
//
// Each group of commands lives in its own cli_*.cc and adds its subcommands through an Add*
// function; cli/main.cc parses and runs the one that was given. Exit codes: 0 success;
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
#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/report.h"
#include "engine/run.h"
#include "tools/embedded_cluster.h"

namespace CLI {
class App;
}  // namespace CLI

namespace seedforge {
class PgConnection;
struct RunRecord;
}  // namespace seedforge

namespace seedforge::cli {

// A subcommand: `run` is called when `app` was the one parsed; it returns the exit code.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// seed, generate (cli_seed.cc).
void AddSeedCommands(CLI::App& app, std::vector<Command>* commands);
// up, down, status (cli_cluster.cc).
void AddClusterCommands(CLI::App& app, std::vector<Command>* commands);
// stats, verify (cli_inspect.cc).
void AddInspectCommands(CLI::App& app, std::vector<Command>* commands);
// auto, reset (cli_lifecycle.cc).
void AddLifecycleCommands(CLI::App& app, std::vector<Command>* commands);
// snapshot create, list, show, restore, delete, prune (cli_snapshot.cc).
void AddSnapshotCommands(CLI::App& app, std::vector<Command>* commands);
// export (cli_export.cc).
void AddExportCommands(CLI::App& app, std::vector<Command>* commands);
// profiles, profiles show, preview (cli_profiles.cc).
void AddProfileCommands(CLI::App& app, std::vector<Command>* commands);
// init (cli_init.cc).
void AddInitCommands(CLI::App& app, std::vector<Command>* commands);
// runs, report compare (cli_runs.cc).
void AddRunsCommands(CLI::App& app, std::vector<Command>* commands);
// serve (cli_serve.cc).
void AddServeCommands(CLI::App& app, std::vector<Command>* commands);

// SIGINT and SIGTERM set the cancel flag; the run stops after the batch being written.
void InstallSignalHandlers();
const std::atomic<bool>& CancelFlag();

// The value of an environment variable, or nullopt when unset or empty.
std::optional<std::string> Env(const char* name);
// Remembers the passwords in `text` (a command-line argument, DATABASE_URL) so that Redact masks
// them wherever they appear. Thread-safe.
void RememberSecretsIn(std::string_view text);
// `text` with every password masked (core/redact.h, plus the remembered ones). Every line the CLI
// prints on stderr goes through it, whatever produced the text. Thread-safe.
std::string Redact(std::string_view text);
// Prints "seedforge: error: MESSAGE" (redacted) and returns the exit code for the status.
int Fail(const Status& status);
// The (redacted) message of the last Fail on this thread, and forgets it; "" when none. For serve,
// which runs the commands' functions on a job thread and answers with their error.
std::string TakeLastFailure();
int ExitCodeFor(const Status& status);
// Prints "seedforge: TEXT" (redacted) on stderr.
void Notice(std::string_view text);
// Flushes stdout; kIoError "cannot write to stdout: REASON" when it or an earlier write failed
// (a full disk, /dev/full, a closed pipe), so a command whose output was lost does not exit 0.
Status FlushStdout();
// InvalidArgument "--lock-timeout must be between 0 and 86400 seconds (0 = wait forever), got
// N" unless 0 <= seconds <= 86400; every command with --lock-timeout checks it with this.
Status ValidateLockTimeout(int seconds);
// Adds --threads/-j (bounded by kMaxThreads, checked with ValidateThreads) to `command`.
void AddThreadsOption(CLI::App* command, int* threads, const std::string& description);

// Options shared by the commands that generate rows.
struct CommonOptions {
  // --profile; empty: not given (the database's record decides, else "default").
  std::string profile;
  std::string seed;
  std::vector<std::string> rows;
  std::string scale;  // --scale: multiplies every target of the profile (before --rows)
  int threads = 0;
  int64_t batch_size = 10000;
  std::string report;
  bool quiet = false;
};
void AddCommonOptions(CLI::App* command, CommonOptions* options);
// Adds --scale F (CommonOptions::scale) to `command`: seed, generate, auto, reset, and stats and
// verify, which must expect the targets the seed had.
void AddScaleOption(CLI::App* command, std::string* scale);
// Checks --threads, loads the profile (`default` when --profile was not given), applies --seed
// and --rows (a table given twice is refused) and checks that --report can be written, all
// before anything is changed.
StatusOr<Profile> LoadWithOverrides(const CommonOptions& options);
// The profile for a command on the database behind `connection`: --profile when given, else the
// profile that filled the database (seedforge.runs, sinks/postgres/run_history.h), else `default`;
// --seed when given, else the recorded seed when the recorded profile is used, else the
// profile's; then --rows. Says on stderr (unless `quiet`) when the record chose.
StatusOr<Profile> LoadForDatabase(const CommonOptions& options, PgConnection& connection);
// --seed, --scale and --rows applied to a loaded profile, and the check that --report can be
// written (what LoadWithOverrides does after loading).
Status ApplyOverrides(const CommonOptions& options, Profile* profile);

// The source of a profile inferred from the live schema by `seed --from-schema`: a later top-up,
// `stats` or `verify` without --profile infers it again from the schema (cli_init.cc).
inline constexpr const char* kFromSchemaSource = "from-schema";
// The profile `seedforge init` would write for the database behind `connection` (every table of
// the schemas on its search_path, `rows` rows for each table that is no table's child), loaded,
// named "from-schema" with source kFromSchemaSource. Reads the catalog only.
StatusOr<Profile> InferDatabaseProfile(PgConnection& connection, int64_t rows);
// With --from-schema, `--rows N` (a bare number) sizes the inference as init's --rows does, and
// `--rows TABLE=N` overrides the inferred profile. Moves the bare number out of `options->rows`
// and returns it (1000 when none is given); two bare numbers, or a bad one, are refused.
StatusOr<int64_t> TakeInferRows(CommonOptions* options);
PipelineOptions MakePipelineOptions(const CommonOptions& options);
// Writes --report, prints the summary (or the interruption summary and the error).
int Finish(const Status& status, const RunReport& report, const CommonOptions& options);

// The row of seedforge.runs (sinks/postgres/run_history.h) of a `command` run with `profile`, as
// far as the profile says: command, profile name, source and fingerprint, seed, seedforge version.
RunRecord ProfileRunRecord(const std::string& command, const Profile& profile);
// Sets record->outcome for a run that ended with `status` ("completed", "interrupted" for
// kCancelled, else "failed") and record->message to the error.
void SetOutcome(const Status& status, RunRecord* record);
// Appends `record` to seedforge.runs of the database at `url` where that table exists (verify and
// the snapshot commands never create it), after `complete` (when given) has filled in what only
// the database knows. A failure is a warning on stderr when the run itself succeeded
// (`run_status`), silent otherwise (the run's own error is the line that counts); never the
// command's failure.
void RecordRunAt(const std::string& url, RunRecord record, const Status& run_status,
                 const std::function<Status(PgConnection&, RunRecord*)>& complete = {});

// Options of the commands that write into PostgreSQL (seed, reset, auto).
struct DatabaseOptions {
  std::string db;                      // --db; empty: DATABASE_URL, then the embedded cluster
  std::string copy_format = "binary";  // COPY wire format: text or binary
  std::string home = ".seedforge";     // embedded cluster folder
  int lock_timeout = 0;                // seconds to wait for the advisory lock; 0 = forever
  int connections = 2;                 // database connections (parallel bulk loads)
  bool no_bulk = false;                // append batch by batch even into empty tables
  // How tables that hold rows are topped up: auto, batch or transaction (AppendMode).
  std::string append_mode = "auto";
  bool dry_run = false;  // print the plan, change nothing
  // Top up although the seed or the generation settings differ from those that filled the
  // database (refused otherwise, naming both).
  bool allow_mismatch = false;
  // Told the run's progress (serve's job state); not owned, may be null. Not an option.
  ProgressListener* progress_listener = nullptr;
};
void AddDatabaseOptions(CLI::App* command, DatabaseOptions* options);
// Checks --copy-format, --lock-timeout, --connections and --append-mode (InvalidArgument naming
// the option).
Status ValidateDatabaseOptions(const DatabaseOptions& options);

// Runs `profile` into the database at `url` over `connection` (the main connection; workers
// connect to `url`), then prints the summary and writes --report. `command` names the run in
// the report; `before_write` is RunOptions::before_write. When it answers kSkip, no summary is
// printed (the caller said why). Returns the exit code.
int SeedDatabase(const Profile& profile, const CommonOptions& common,
                 const DatabaseOptions& database, const std::string& url, PgConnection* connection,
                 const std::optional<ClusterInfo>& embedded, const std::string& command,
                 decltype(RunOptions::before_write) before_write);

// The before_write of `seed --clear-existing` and `reset`: with rows present, lists them per
// table on stderr and asks on a terminal (stdin and stderr both TTYs); without one, refuses
// (kInvalidArgument, naming `what` and the totals) unless `yes`. Nothing to delete: kWrite.
// `tables` names the profile's tables (schemas() order).
decltype(RunOptions::before_write) ConfirmClear(std::string what, bool yes, bool quiet,
                                                std::vector<std::string> tables);

// Asks `question` ("... [y/N] ") on a terminal (stdin and stderr both TTYs) and returns OK only on
// "y" or "yes". Without a terminal: OK when `yes`, else kInvalidArgument "`summary`; add --yes to
// confirm (no terminal to ask)". With `yes`, OK without asking. A "no" is kInvalidArgument
// "`refused`".
Status Confirm(const std::string& summary, const std::string& question, const std::string& refused,
               bool yes);

// seed and reset: loads the profile (with `from_schema`, infers it from the database), resolves
// the database, connects and runs; `clear` empties the tables first after ConfirmClear. Returns
// the exit code.
int SeedCommand(const CommonOptions& common, const DatabaseOptions& database,
                const std::string& command, bool clear, bool yes, bool from_schema = false);

// The embedded cluster's home: --home, else SEEDFORGE_HOME, else ".seedforge".
std::string DefaultHome();
// Adds --db and --home (set to DefaultHome() here), the options ResolveDatabase takes, and
// --connect-timeout and --statement-timeout (process-wide, see ApplyConnectionSettings).
void AddConnectionOptions(CLI::App* command, std::string* db, std::string* home);
// Checks --connect-timeout and --statement-timeout and hands them, with the cancel flag, to
// every connection (sinks/postgres/connection.h SetConnectionSettings). Called once after parsing.
Status ApplyConnectionSettings();
// --db, then DATABASE_URL, then the embedded cluster (started on demand; `embedded` is set).
StatusOr<std::string> ResolveDatabase(const std::string& flag, const std::string& home, bool quiet,
                                      std::optional<ClusterInfo>* embedded);
// Like ResolveDatabase, but never creates or starts the embedded cluster (for the commands that
// only look: stats, verify, snapshot delete and prune): when it is absent or stopped,
// kFailedPrecondition says so and how to start it (`command` names the caller in that message).
StatusOr<std::string> ResolveRunningDatabase(const std::string& flag, const std::string& home,
                                             const std::string& command);

}  // namespace seedforge::cli
