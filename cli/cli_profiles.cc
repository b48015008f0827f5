// `seedforge profiles`, `profiles show NAME` and `preview`: the commands for writing a profile.
// None writes to a database: the listing and the preview plan a fresh seed (PlanFreshSeed in
// engine/run.h), and `show` prints what the profile says once its "extends" chain is merged
// (engine/profile.h). `preview --from-schema` reads a database's catalog to infer the profile.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/cli.h"
#include "engine/builtin_profiles.h"
#include "sinks/postgres/connection.h"
#include "tools/preview.h"

namespace seedforge::cli {
namespace {

constexpr int64_t kMaxPreviewRows = 100000;
constexpr int64_t kMaxPreviewWidth = 1000;

// "users=5 applications=10 ...": every table with the rows a fresh seed leaves in it.
std::string TableTargets(const Profile& profile) {
  const FreshSeedPlan fresh = PlanFreshSeed(profile);
  std::string text;
  for (size_t t = 0; t < profile.schemas().size(); ++t) {
    if (!text.empty()) text += " ";
    text += profile.schemas()[t].name + "=" + GroupDigits(fresh.targets[t]);
  }
  return text;
}

int RunProfiles() {
  struct Line {
    std::string name;
    std::string tables;
    std::string description;
  };
  std::vector<Line> lines;
  for (const BuiltinProfile& builtin : BuiltinProfiles()) {
    auto profile = LoadProfile(builtin.name);
    if (!profile.ok()) return Fail(profile.status());
    lines.push_back({std::string(builtin.name), TableTargets(*profile), profile->description});
  }
  // Two lines a profile: its name and description, then its tables with the rows a fresh seed
  // makes, under the description.
  size_t name_width = 0;
  for (const Line& line : lines) name_width = std::max(name_width, line.name.size());
  const int width = static_cast<int>(name_width);
  for (const Line& line : lines) {
    std::printf("%-*s  %s\n%-*s  %s\n", width, line.name.c_str(), line.description.c_str(), width,
                "", line.tables.c_str());
  }
  return 0;
}

int RunProfilesShow(const std::string& reference) {
  auto json = ResolvedProfileJson(reference);
  if (!json.ok()) return Fail(json.status());
  std::fwrite(json->data(), 1, json->size(), stdout);
  return 0;
}

struct PreviewOptions {
  std::string profile;  // empty: "default", or the inferred profile with --from-schema
  bool from_schema = false;
  std::string db;
  std::string home;
  std::string table;  // empty: every table
  int64_t rows = 5;
  int64_t width = 30;
};

int RunPreview(const PreviewOptions& options) {
  if (options.rows < 0 || options.rows > kMaxPreviewRows) {
    return Fail(InvalidArgument("--rows must be between 0 and " + GroupDigits(kMaxPreviewRows) +
                                ", got " + std::to_string(options.rows)));
  }
  if (options.width < 1 || options.width > kMaxPreviewWidth) {
    return Fail(InvalidArgument("--width must be between 1 and " +
                                std::to_string(kMaxPreviewWidth) + " characters, got " +
                                std::to_string(options.width)));
  }
  StatusOr<Profile> profile = InvalidArgument("no profile");
  if (options.from_schema) {
    if (!options.profile.empty()) {
      return Fail(
          InvalidArgument("--from-schema infers the profile from the database; give "
                          "--profile " +
                          options.profile + " or --from-schema, not both"));
    }
    // Reads the catalog only: a stopped embedded cluster is reported, not started.
    auto url = ResolveRunningDatabase(options.db, options.home, "preview");
    if (!url.ok()) return Fail(url.status());
    auto connection = PgConnection::Connect(*url);
    if (!connection.ok()) {
      return Fail(connection.status().WithContext(RedactConnectionString(*url)));
    }
    profile = InferDatabaseProfile(**connection, 1000);
  } else {
    profile = LoadProfile(options.profile.empty() ? "default" : options.profile);
  }
  if (!profile.ok()) return Fail(profile.status());
  auto tables = PreviewProfile(*profile, options.table, options.rows);
  if (!tables.ok()) return Fail(tables.status());
  const std::string text = FormatPreview(*tables, static_cast<size_t>(options.width));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

void AddProfileCommands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* profiles_command = app.add_subcommand(
      "profiles", "List the built-in profiles: their tables, the rows a fresh seed makes of each");
  auto reference = std::make_shared<std::string>();
  CLI::App* show_command = profiles_command->add_subcommand(
      "show", "Print a profile as JSON with its \"extends\" chain merged");
  show_command->add_option("name", *reference, "A built-in profile's name or a .json file")
      ->required();

  auto options = std::make_shared<PreviewOptions>();
  CLI::App* preview_command = app.add_subcommand(
      "preview",
      "Show the first rows of a profile's tables as a fresh seed makes them (no database, but "
      "the schema's with --from-schema)");
  preview_command->add_option("--profile,-p", options->profile,
                              "Built-in name or a .json file (default: default)");
  preview_command->add_flag("--from-schema", options->from_schema,
                            "Preview the profile init would infer from the database's schema");
  AddConnectionOptions(preview_command, &options->db, &options->home);
  preview_command->add_option("--table,-t", options->table, "Only this table (default: all)");
  preview_command->add_option("--rows,-n", options->rows, "Rows per table")->capture_default_str();
  preview_command->add_option("--width,-w", options->width, "Maximum characters per cell")
      ->capture_default_str();

  // `profiles show` before `profiles`: both count as parsed when `show` is given.
  commands->push_back({show_command, [reference] { return RunProfilesShow(*reference); }});
  commands->push_back({profiles_command, [] { return RunProfiles(); }});
  commands->push_back({preview_command, [options] { return RunPreview(*options); }});
}

}  // namespace seedforge::cli
