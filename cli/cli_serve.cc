// `seedforge serve`: the admin HTTP API and web page (tools/admin_server.h) on one database.
//
// The server's backend is the command line's own code: a seed from the API is SeedCommand with
// the same options `seedforge seed --yes --quiet` would get (so it tops up, refuses other settings
// and records its run exactly as the CLI does), snapshots are the snapshot commands' tools and
// RunDelete/RunPrune, stats and verify the inspect tools. Each request opens its own connections
// and closes them: no session stays open that a restore from a template would have to wait for.
// Every error message is redacted before it leaves the process.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/cli.h"
#include "cli/cli_snapshot.h"
#include "engine/version.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "sinks/sink.h"
#include "tools/admin_server.h"
#include "tools/runs_text.h"
#include "tools/stats.h"
#include "tools/verify.h"

namespace seedforge::cli {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8421";
  std::string db;
  std::string home = ".seedforge";
  std::string profile;
  std::string token;
  std::string snapshot_dir;
  int lock_timeout = 10;
};

// The status with its message redacted (a server message may quote a connection string).
Status Redacted(const Status& status) {
  return status.ok() ? status : Status(status.code(), Redact(status.message()));
}

// The status a command's exit code and last error line stand for.
Status FromExitCode(int code) {
  if (code == 0) return Status::Ok();
  std::string message = TakeLastFailure();
  if (message.empty()) message = "failed with exit code " + std::to_string(code);
  if (code == 2) return InvalidArgument(message);
  if (code == 130 || code == 143) return Cancelled(message);
  return Internal(message);
}

class CliBackend final : public AdminBackend {
 public:
  CliBackend(const ServeOptions& options, std::string url, std::string database)
      : options_(options),
        url_(std::move(url)),
        database_(std::move(database)),
        snapshot_dir_(SnapshotDirectory(options.snapshot_dir)) {}

  std::string database() const override { return database_; }
  std::string profile() const override { return options_.profile; }

  StatusOr<std::string> Stats(const std::string& profile) override {
    return WithProfile(
        profile, [](PgConnection& connection, const Profile& loaded) -> StatusOr<std::string> {
          SF_ASSIGN_OR_RETURN(const DatabaseStats stats, CollectStats(connection, loaded));
          return FormatStatsJson(stats);
        });
  }

  Status Seed(const AdminSeedRequest& request, ProgressListener* progress) override {
    CommonOptions common;
    common.profile = request.profile.empty() ? options_.profile : request.profile;
    common.seed = request.seed;
    common.rows = request.rows;
    common.batch_size = request.batch_size;
    common.quiet = true;
    DatabaseOptions database;
    database.db = url_;
    database.home = options_.home;
    database.lock_timeout = options_.lock_timeout;
    database.progress_listener = progress;
    const bool clear = request.clear_existing || request.command == "reset";
    return FromExitCode(SeedCommand(common, database, request.command, clear, /*yes=*/true));
  }

  Status Clear(const std::string& profile) override {
    return WithProfile(
               profile,
               [this](PgConnection& connection, const Profile& loaded) -> StatusOr<std::string> {
                 SF_RETURN_IF_ERROR(ClearTables(connection, loaded));
                 return std::string();
               })
        .status();
  }

  StatusOr<std::string> Verify(const std::string& profile) override {
    return WithProfile(
        profile, [this](PgConnection& connection, const Profile& loaded) -> StatusOr<std::string> {
          VerifyOptions verify;
          verify.connections = 2;
          verify.conninfo = url_;
          SF_ASSIGN_OR_RETURN(const VerifyReport report,
                              seedforge::Verify(connection, loaded, verify));
          return FormatVerifyJson(report);
        });
  }

  StatusOr<std::string> ListSnapshots() override {
    StatusOr<std::vector<SnapshotEntry>> entries = seedforge::ListSnapshots(snapshot_dir_);
    if (!entries.ok()) return Redacted(entries.status());
    std::string out = "[";
    for (size_t i = 0; i < entries->size(); ++i) {
      out += (i == 0 ? "" : ",") + EntryJson((*entries)[i]);
    }
    return out + "]";
  }

  StatusOr<std::string> ShowSnapshot(const std::string& name) override {
    StatusOr<SnapshotEntry> entry = Find(name);
    if (!entry.ok()) return entry.status();
    return ManifestToJson(entry->manifest);
  }

  StatusOr<std::string> CreateSnapshot(const std::string& name) override {
    SnapshotCreateOptions create;
    create.directory = snapshot_dir_;
    create.name = name.empty() ? DefaultSnapshotName() : name;
    create.conninfo = url_;
    if (!options_.profile.empty()) create.profile = options_.profile;
    create.lock_timeout_seconds = options_.lock_timeout;
    create.cancel = &CancelFlag();
    create.notice = Notice;
    if (Status valid = ValidateSnapshotName(create.name); !valid.ok()) return valid;
    if (Status valid = create.Validate(); !valid.ok()) return Redacted(valid);
    const auto started = std::chrono::steady_clock::now();
    StatusOr<SnapshotEntry> entry = seedforge::CreateSnapshot(create);
    SnapshotManifest attempted;
    attempted.name = create.name;
    RecordSnapshotRun(url_, "snapshot create", entry.ok() ? entry->manifest : attempted,
                      entry.status(), SecondsSince(started), "copy", nullptr);
    if (!entry.ok()) return Redacted(entry.status());
    return EntryJson(*entry);
  }

  Status RestoreSnapshot(const std::string& name) override {
    StatusOr<SnapshotEntry> entry = Find(name);
    if (!entry.ok()) return entry.status();
    SnapshotRestoreOptions restore_options;
    restore_options.conninfo = url_;
    restore_options.lock_timeout_seconds = options_.lock_timeout;
    restore_options.cancel = &CancelFlag();
    restore_options.notice = Notice;
    auto restore = SnapshotRestore::Prepare(*entry, restore_options);
    if (!restore.ok()) return Redacted(restore.status());
    const RestorePlan& plan = (*restore)->plan();
    const auto started = std::chrono::steady_clock::now();
    const Status done = (*restore)->Execute();
    RecordSnapshotRun(url_, "snapshot restore", entry->manifest, done, SecondsSince(started),
                      plan.from_template ? "template" : "copy", &plan);
    return Redacted(done.WithContext("restore failed, database unchanged"));
  }

  Status DeleteSnapshot(const std::string& name) override {
    if (Status valid = ValidateSnapshotName(name); !valid.ok()) return valid;
    NamedOptions named;
    named.common = SnapshotCommandOptions();
    named.name = name;
    if (StatusOr<SnapshotEntry> entry = Find(name); !entry.ok()) return entry.status();
    return Redacted(FromExitCode(RunDelete(named)));
  }

  Status PruneSnapshots(int keep) override {
    PruneOptions prune;
    prune.common = SnapshotCommandOptions();
    prune.keep = keep;
    return Redacted(FromExitCode(RunPrune(prune)));
  }

  StatusOr<std::string> Runs(const std::string& profile, const std::string& command,
                             int limit) override {
    // The rows `seedforge runs --json` prints (ReadRuns): none when there is no history yet.
    auto connection = Connect(url_);
    if (!connection.ok()) return Redacted(connection.status());
    RunFilter filter;
    filter.profile = profile;
    filter.command = command;
    filter.limit = limit;
    StatusOr<std::vector<StoredRun>> runs = ReadRuns(**connection, filter);
    if (!runs.ok()) return Redacted(runs.status());
    return FormatRunsJson(*runs);
  }

 private:
  SnapshotOptions SnapshotCommandOptions() const {
    SnapshotOptions snapshot;
    snapshot.dir = options_.snapshot_dir;
    snapshot.db = url_;
    snapshot.home = options_.home;
    snapshot.quiet = true;
    return snapshot;
  }

  StatusOr<SnapshotEntry> Find(const std::string& name) const {
    if (Status valid = ValidateSnapshotName(name); !valid.ok()) return valid;
    StatusOr<SnapshotEntry> entry = FindSnapshot(snapshot_dir_, name);
    if (!entry.ok()) return Redacted(entry.status());
    return entry;
  }

  // Connects, loads the profile as stats does (`profile`, else --profile, else the database's
  // record, else default) and calls `work`. Errors come back redacted.
  StatusOr<std::string> WithProfile(
      const std::string& profile,
      const std::function<StatusOr<std::string>(PgConnection&, const Profile&)>& work) {
    StatusOr<std::unique_ptr<PgConnection>> connection = Connect(url_);
    if (!connection.ok()) return Redacted(connection.status());
    CommonOptions common;
    common.profile = profile.empty() ? options_.profile : profile;
    common.quiet = true;
    StatusOr<Profile> loaded = LoadForDatabase(common, **connection);
    if (!loaded.ok()) return Redacted(loaded.status());
    StatusOr<std::string> result = work(**connection, *loaded);
    if (!result.ok()) return Redacted(result.status());
    return result;
  }

  // Empties the profile's tables as reset does before it seeds (Sink::ClearTables under the
  // advisory lock) and records a "clear" run, so that a later seed starts from that profile.
  Status ClearTables(PgConnection& connection, const Profile& profile) {
    PostgresSinkOptions sink_options;
    sink_options.lock_timeout_seconds = options_.lock_timeout;
    sink_options.notice = Notice;
    sink_options.cancel = &CancelFlag();
    auto sink = MakePostgresSink(&connection, Format::kCopyBinary, sink_options);
    SF_RETURN_IF_ERROR(sink->Prepare());
    std::vector<const TableSchema*> tables;
    for (const TableSchema& schema : profile.schemas()) tables.push_back(&schema);
    SF_RETURN_IF_ERROR(sink->ClearTables(tables));
    RunRecord record;
    record.command = "clear";
    record.profile = profile.name;
    record.profile_source = profile.source;
    record.profile_fingerprint = ProfileFingerprint(profile);
    record.seed = profile.seed;
    record.seedforge_version = std::string(SeedforgeVersion());
    record.cleared = true;
    record.outcome = "completed";
    if (Status recorded = RecordRun(connection, record); !recorded.ok()) {
      Notice("warning: " + recorded.message());
    }
    return Status::Ok();
  }

  const ServeOptions options_;
  const std::string url_;
  const std::string database_;
  const std::string snapshot_dir_;
};

// "HOST:PORT", "[V6]:PORT" or ":PORT" (127.0.0.1).
Status ParseListen(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return InvalidArgument("--listen: expected ADDRESS:PORT, got '" + text + "'");
  }
  *host = text.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  if (host->empty()) *host = "127.0.0.1";
  const std::string digits = text.substr(colon + 1);
  int64_t value = -1;
  if (!ParseCount(digits, &value) || value > 65535) {
    return InvalidArgument("--listen: port must be a number from 0 to 65535, got '" + digits + "'");
  }
  *port = static_cast<int>(value);
  return Status::Ok();
}

int RunServe(const ServeOptions& options) {
  AdminServerOptions server;
  if (Status parsed = ParseListen(options.listen, &server.host, &server.port); !parsed.ok()) {
    return Fail(parsed);
  }
  if (Status valid = ValidateLockTimeout(options.lock_timeout); !valid.ok()) return Fail(valid);
  std::string token = options.token;
  if (token.empty()) token = Env("SEEDFORGE_TOKEN").value_or("");
  const bool token_given = !token.empty();
  if (!IsLoopbackHost(server.host) && !token_given) {
    return Fail(InvalidArgument("--listen " + options.listen +
                                " is not a loopback address; give --token TOKEN (or "
                                "SEEDFORGE_TOKEN) to serve on it"));
  }
  if (!token_given) {
    StatusOr<std::string> random = RandomToken();
    if (!random.ok()) return Fail(random.status());
    token = *random;
  }
  RememberSecretsIn("password=" + token);  // masked in every later log line
  StatusOr<std::string> code = RandomToken();
  if (!code.ok()) return Fail(code.status());
  if (!options.profile.empty()) {
    CommonOptions common;
    common.profile = options.profile;
    if (StatusOr<Profile> profile = LoadWithOverrides(common); !profile.ok()) {
      return Fail(profile.status());
    }
  }
  std::optional<ClusterInfo> embedded;
  StatusOr<std::string> url = ResolveDatabase(options.db, options.home, false, &embedded);
  if (!url.ok()) return Fail(url.status());
  StatusOr<std::unique_ptr<PgConnection>> connection = Connect(*url);
  if (!connection.ok()) return Fail(connection.status());
  const std::string database = (*connection)->database();
  connection->reset();

  CliBackend backend(options, *url, database);
  server.token = token;
  server.login_code = *code;
  server.stop = &CancelFlag();
  server.on_listening = [&](const std::string& base_url) {
    std::printf(
        "seedforge serve: database %s, profile %s, on %s\n", database.c_str(),
        options.profile.empty() ? "(the database's, else default)" : options.profile.c_str(),
        base_url.c_str());
    std::printf("open (the link works once): %s/?login=%s\n", base_url.c_str(), code->c_str());
    // Printed raw on purpose: the token is what API clients need. Not when it was given.
    if (!token_given) std::printf("token: %s\n", token.c_str());
    std::fflush(stdout);
  };
  const Status served = RunAdminServer(server, backend);
  if (!served.ok()) return Fail(served);
  Notice("serve stopped");
  return ExitCodeFor(Cancelled("stopped"));
}

}  // namespace

void AddServeCommands(CLI::App& app, std::vector<Command>* commands) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Admin HTTP API and web page for one database (stats, seed, clear, snapshots)");
  serve->add_option("--listen", options->listen, "ADDRESS:PORT to listen on")
      ->capture_default_str();
  AddConnectionOptions(serve, &options->db, &options->home);
  serve
      ->add_option("--profile,-p", options->profile,
                   "Profile of the page and of requests that name none (default: the one that "
                   "filled the database, else default)")
      ->envname("SEEDFORGE_PROFILE");
  serve->add_option("--token", options->token,
                    "Bearer token the API requires (env SEEDFORGE_TOKEN; default: random, "
                    "printed at start)");
  serve->add_option("--dir", options->snapshot_dir,
                    "Snapshot folder (default: SEEDFORGE_SNAPSHOTS, then ./backups)");
  serve
      ->add_option("--lock-timeout", options->lock_timeout,
                   "Seconds a job waits for another seedforge run on the database")
      ->capture_default_str();
  commands->push_back({serve, [options] { return RunServe(*options); }});
}

}  // namespace seedforge::cli
