// `snapshot delete` and `snapshot prune`: the folders go, and with them the template databases
// on the server the manifest names (template_server) unless --db says otherwise; neither creates
// nor starts the embedded cluster.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>
#include <memory>

#include "cli/cli.h"
#include "cli/cli_snapshot.h"
#include "sinks/postgres/connection.h"
#include "tools/snapshot.h"

namespace seedforge::cli {
namespace {

// The server holding the template database of `manifest`: --db when given, else the one the
// manifest records, else (a manifest written before that record) DATABASE_URL or a running
// embedded cluster. Never creates or starts the embedded cluster.
StatusOr<std::string> TemplateServer(const SnapshotOptions& options,
                                     const SnapshotManifest& manifest) {
  if (!options.db.empty()) return options.db;
  if (!manifest.template_server.empty()) return manifest.template_server;
  return ResolveRunningDatabase("", options.home, "snapshot delete");
}

// Drops the snapshots' template databases (those present on their servers, unless
// --keep-template), then their folders. Every server is reached before anything is deleted.
int DeleteSnapshots(const SnapshotOptions& options, const std::vector<SnapshotEntry>& doomed) {
  std::map<std::string, std::unique_ptr<PgConnection>> servers;  // by connection string
  std::vector<PgConnection*> connection_of(doomed.size(), nullptr);
  for (size_t i = 0; i < doomed.size() && !options.keep_template; ++i) {
    const SnapshotManifest& m = doomed[i].manifest;
    if (m.template_database.empty()) continue;
    StatusOr<std::string> server = TemplateServer(options, m);
    Status reached = server.status();
    if (server.ok()) {
      std::unique_ptr<PgConnection>& connection = servers[*server];
      if (connection == nullptr) {
        auto connected = Connect(*server);
        reached = connected.status();
        if (connected.ok()) connection = std::move(*connected);
      }
      connection_of[i] = connection.get();
    }
    if (!reached.ok()) {
      return Fail(FailedPrecondition(
          "snapshot " + m.name + " not deleted" + (doomed.size() > 1 ? " (nor any other)" : "") +
          ": the server of its template database " + m.template_database +
          " could not be reached: " + reached.message() +
          "; give --db for that server, or --keep-template to delete the folder and leave the "
          "database"));
    }
  }
  for (size_t i = 0; i < doomed.size(); ++i) {
    const SnapshotEntry& entry = doomed[i];
    PgConnection* connection = connection_of[i];
    bool dropped = false;
    if (connection != nullptr) {
      auto result = DropTemplate(*connection, entry.manifest);
      if (!result.ok()) {
        return Fail(result.status().WithContext("dropping template database " +
                                                entry.manifest.template_database));
      }
      dropped = *result;
    }
    if (Status removed = RemoveSnapshotFolder(entry); !removed.ok()) return Fail(removed);
    if (!options.quiet) {
      std::string template_text;
      if (dropped) {
        template_text = " and template database " + entry.manifest.template_database;
      } else if (options.keep_template && !entry.manifest.template_database.empty()) {
        template_text = "; template database " + entry.manifest.template_database +
                        " left on its server (--keep-template)";
      }
      std::printf("deleted snapshot %s (%s)%s\n", entry.manifest.name.c_str(),
                  Bytes(entry.disk_bytes).c_str(), template_text.c_str());
    }
  }
  return 0;
}

}  // namespace

int RunDelete(const NamedOptions& options) {
  const std::string directory = SnapshotDirectory(options.common.dir);
  auto entry = FindSnapshot(directory, options.name);
  if (entry.ok()) return DeleteSnapshots(options.common, {*entry});
  if (entry.status().code() == StatusCode::kNotFound) return Fail(entry.status());
  // A damaged manifest cannot say whether a template database exists, nor where.
  if (!options.common.keep_template) {
    return Fail(FailedPrecondition("snapshot " + options.name + " is damaged (" +
                                   entry.status().message() +
                                   "); whether it has a template database cannot be known: add "
                                   "--keep-template to delete its folder only"));
  }
  SnapshotEntry damaged;
  damaged.manifest.name = options.name;
  damaged.path = directory + "/" + options.name;
  if (Status removed = RemoveSnapshotFolder(damaged); !removed.ok()) return Fail(removed);
  if (!options.common.quiet) std::printf("deleted damaged snapshot %s\n", options.name.c_str());
  return 0;
}

int RunPrune(const PruneOptions& options) {
  if (options.keep < 0) return Fail(InvalidArgument("--keep must be 0 or more"));
  const std::string directory = SnapshotDirectory(options.common.dir);
  auto entries = ListSnapshots(directory);
  if (!entries.ok()) return Fail(entries.status());
  for (const std::string& stale : RemoveStalePartials(directory)) {
    if (!options.common.quiet)
      std::printf("removed %s (left by an interrupted run)\n", stale.c_str());
  }
  // A damaged snapshot is never pruned and never counts as one of the kept: which one is older
  // cannot be known, and a damaged manifest must not make prune delete a whole snapshot.
  std::vector<SnapshotEntry> whole;
  for (SnapshotEntry& entry : *entries) {
    if (entry.damage.empty()) {
      whole.push_back(std::move(entry));
    } else {
      Notice("snapshot " + entry.manifest.name + " is damaged (" + entry.damage +
             "); prune leaves it alone and does not count it");
    }
  }
  std::vector<SnapshotEntry> doomed;
  for (size_t i = static_cast<size_t>(options.keep); i < whole.size(); ++i) {
    doomed.push_back(whole[i]);
  }
  if (doomed.empty()) {
    if (!options.common.quiet) {
      std::printf("nothing to prune: %zu snapshot(s) in %s, keeping %d\n", whole.size(),
                  directory.c_str(), options.keep);
    }
    return 0;
  }
  return DeleteSnapshots(options.common, doomed);
}

}  // namespace seedforge::cli
