// `seedforge up | down | status`: the embedded PostgreSQL.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/cli.h"
#include "sinks/postgres/connection.h"

namespace seedforge::cli {
namespace {

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
  // The tables of the default profile (the fleet).
  auto tables = LoadProfile("default");
  if (!tables.ok()) return 0;
  for (const TableSchema& schema : tables->schemas()) {
    auto exists =
        (*connection)->QueryValue("SELECT to_regclass('" + schema.name + "') IS NOT NULL");
    if (!exists.ok() || *exists != "t") continue;
    auto count = (*connection)->QueryInt("SELECT count(*) FROM " + schema.name);
    if (count.ok())
      std::printf("  %-13s %12s rows\n", schema.name.c_str(), GroupDigits(*count).c_str());
  }
  return 0;
}

}  // namespace

void AddClusterCommands(CLI::App& app, std::vector<Command>* commands) {
  auto home_option = std::make_shared<std::string>(DefaultHome());
  std::string& home = *home_option;
  CLI::App* up_command = app.add_subcommand("up", "Create and start the embedded PostgreSQL");
  CLI::App* down_command = app.add_subcommand("down", "Stop the embedded PostgreSQL (data kept)");
  CLI::App* status_command =
      app.add_subcommand("status", "Show the embedded PostgreSQL's state and connection string");
  for (CLI::App* command : {up_command, down_command, status_command}) {
    command->add_option("--home", home, "Embedded cluster folder (env SEEDFORGE_HOME)")
        ->capture_default_str();
  }

  commands->push_back({up_command, [home_option] { return RunUp(*home_option); }});
  commands->push_back({down_command, [home_option] { return RunDown(*home_option); }});
  commands->push_back({status_command, [home_option] { return RunStatus(*home_option); }});
}

}  // namespace seedforge::cli
