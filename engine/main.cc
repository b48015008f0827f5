// The seedforge command line: parses, then runs the one command given. The commands live in
// engine/cli_*.cc (see engine/cli.h for exit codes and shared options).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <vector>

#include "engine/cli.h"
#include "engine/version.h"

namespace seedforge::cli {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"seedforge: fast, reproducible synthetic data for PostgreSQL", "seedforge"};
  app.set_version_flag("--version", std::string(SeedforgeVersion()));
  app.require_subcommand(1);
  std::vector<Command> commands;
  AddSeedCommands(app, &commands);
  AddClusterCommands(app, &commands);
  AddInspectCommands(app, &commands);
  AddLifecycleCommands(app, &commands);
  AddSnapshotCommands(app, &commands);
  AddExportCommands(app, &commands);

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
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return 2;
}

}  // namespace
}  // namespace seedforge::cli

int main(int argc, char** argv) { return seedforge::cli::Main(argc, argv); }
