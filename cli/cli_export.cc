// `seedforge export`: the database's tables as JSON, a psql script or CSV files (tools/export.h).
// Resolves the database like the other commands (--db, DATABASE_URL, the embedded cluster). The
// output path is checked before the database is touched; stdout carries nothing but the export
// itself (with --out -), so the summary goes to stderr.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli/cli.h"
#include "engine/progress.h"
#include "sinks/postgres/connection.h"
#include "tools/export.h"

namespace seedforge::cli {
namespace {

struct ExportCommandOptions {
  std::string format = "json";
  std::string out;
  std::string db;
  std::string home;
  bool quiet = false;
};

int RunExport(const ExportCommandOptions& command) {
  auto format = ParseExportFormat(command.format);
  if (!format.ok()) return Fail(format.status());
  ExportOptions options;
  options.format = *format;
  options.out = command.out;
  options.progress = !command.quiet && ProgressLine::StderrIsTerminal();
  options.cancel = &CancelFlag();
  if (Status valid = options.Validate(); !valid.ok()) return Fail(valid);
  if (Status writable = CheckOutput(options); !writable.ok()) return Fail(writable);

  std::optional<ClusterInfo> embedded;
  auto url = ResolveDatabase(command.db, command.home, command.quiet, &embedded);
  if (!url.ok()) return Fail(url.status());
  auto connection = PgConnection::Connect(*url);
  if (!connection.ok()) return Fail(connection.status().WithContext(RedactConnectionString(*url)));
  options.conninfo = *url;
  auto report = Export(**connection, options);
  if (!report.ok()) return Fail(report.status());
  if (!command.quiet) Notice(FormatExportSummary(*report));
  return 0;
}

}  // namespace

void AddExportCommands(CLI::App& app, std::vector<Command>* commands) {
  auto options = std::make_shared<ExportCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "export",
      "Write every table of schema public, parents first and rows in primary-key order, as one "
      "JSON document, a SQL file that psql restores into an empty database, or CSV files");
  command
      ->add_option("--format,-f", options->format,
                   "json (one document), sql (psql -f restores it) or csv (one file per table)")
      ->capture_default_str();
  command
      ->add_option("--out,-o", options->out,
                   "Output file for json and sql ('-' for stdout), output folder for csv")
      ->required();
  AddConnectionOptions(command, &options->db, &options->home);
  command->add_flag("--quiet,-q", options->quiet, "Print nothing but errors");
  commands->push_back({command, [options] { return RunExport(*options); }});
}

}  // namespace seedforge::cli
