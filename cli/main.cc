// The seedforge command line: parses, then runs the one command given. The commands live in
// cli/cli_*.cc (see cli/cli.h for exit codes and shared options).
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/cli.h"
#include "engine/version.h"

namespace seedforge::cli {
namespace {

// "seedforge snapshot create", the deepest subcommand the parser reached, for the help hint.
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  const CLI::App* current = &app;
  for (;;) {
    const std::vector<CLI::App*> parsed = current->get_subcommands();
    if (parsed.empty()) return path;
    current = parsed.back();
    path += " " + current->get_name();
  }
}

int Run(int argc, char** argv) {
  // Before anything can print: a password given anywhere on the command line or in DATABASE_URL
  // is masked in every message, whoever writes it (libpq, the option parser, seedforge).
  for (int i = 1; i < argc; ++i) RememberSecretsIn(argv[i]);
  if (auto url = Env("DATABASE_URL")) RememberSecretsIn(*url);

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
  AddProfileCommands(app, &commands);
  AddInitCommands(app, &commands);
  AddRunsCommands(app, &commands);
  AddServeCommands(app, &commands);

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
    std::fprintf(stderr, "seedforge: error: %s (see '%s --help')\n", Redact(error.what()).c_str(),
                 CommandPath(app).c_str());
    return 2;
  }

  InstallSignalHandlers();
  if (Status settings = ApplyConnectionSettings(); !settings.ok()) return Fail(settings);
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return 2;
}

// A command whose output could not be written (a full disk, /dev/full) fails, with one line;
// when the command failed already, its own line is the one that counts.
int Main(int argc, char** argv) {
  // Not on a terminal, stdout is written once, at the end (or when a command flushes it): a
  // write that fails then still has its errno for the message, where stdio would have lost it
  // in an earlier, silent flush of its small default buffer.
  static char stdout_buffer[1 << 20];
  if (::isatty(STDOUT_FILENO) != 1) {
    std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  }
  const int code = Run(argc, argv);
  const Status flushed = FlushStdout();
  if (!flushed.ok() && code == 0) return Fail(flushed);
  return code;
}

}  // namespace
}  // namespace seedforge::cli

int main(int argc, char** argv) { return seedforge::cli::Main(argc, argv); }
