// `seedforge auto` and `seedforge reset`: the data lifecycle an application's start-up scripts
// used to carry.
//
// auto is made for containers and boot scripts, so it is configured by the environment
// (DATABASE_URL, AUTO_SEED_DB, SEEDFORGE_PROFILE, SEEDFORGE_SEED, SEED_<TABLE>_COUNT; flags
// override them) and it is safe to run on every start: it waits (bounded) for the server, then
// seeds only when the profile's guard tables hold no rows, and otherwise changes nothing. The
// guard is checked inside the run, with the advisory lock held, so two containers starting at
// once cannot both decide the database is empty. It never clears anything.
//
// reset is `seed --clear-existing` under its own name: list, confirm, clear, seed.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <thread>

#include "cli/cli.h"
#include "sinks/postgres/connection.h"

extern char** environ;

namespace seedforge::cli {
namespace {

struct AutoOptions {
  CommonOptions common;
  DatabaseOptions database;
  int wait_seconds = 60;
};

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// AUTO_SEED_DB: unset means true.
StatusOr<bool> AutoSeedEnabled() {
  const std::optional<std::string> value = Env("AUTO_SEED_DB");
  if (!value) return true;
  const std::string text = Lowercase(*value);
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return InvalidArgument("AUTO_SEED_DB: expected true or false, got '" + *value + "'");
}

// SEED_<TABLE>_COUNT=N for every such variable that is set, in name order (so the first bad
// one reported does not depend on the environment's order).
Status ApplyCountVariables(Profile* profile) {
  constexpr std::string_view kPrefix = "SEED_";
  constexpr std::string_view kSuffix = "_COUNT";
  struct Variable {
    std::string name;
    std::string value;
    std::string table;  // the table a name the profile declares ("env") names; "" otherwise
    bool operator<(const Variable& other) const { return name < other.name; }
  };
  std::vector<Variable> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const size_t equals = variable.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = variable.substr(0, equals);
    const std::string_view value = variable.substr(equals + 1);
    const auto alias =
        std::find_if(profile->count_variables.begin(), profile->count_variables.end(),
                     [&](const auto& declared) { return declared.first == name; });
    const bool declared = alias != profile->count_variables.end();
    if (value.empty() || (!declared && (name.size() <= kPrefix.size() + kSuffix.size() ||
                                        !name.starts_with(kPrefix) || !name.ends_with(kSuffix)))) {
      continue;
    }
    variables.push_back({std::string(name), std::string(value),
                         declared ? profile->schemas()[alias->second].name : ""});
  }
  std::sort(variables.begin(), variables.end());
  for (const auto& [name, value, declared_table] : variables) {
    if (!declared_table.empty()) {
      SF_RETURN_IF_ERROR(ApplyRowOverride(declared_table + "=" + value, name, profile));
      continue;
    }
    const std::string_view middle(name);
    const std::string_view table_part =
        middle.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    // The profile's table whose upper-cased name (non-alphanumerics as '_') is TABLE; an
    // unknown one is refused by ApplyRowOverride under its lower-cased spelling.
    std::string table = Lowercase(std::string(table_part));
    for (const TableSchema& schema : profile->schemas()) {
      if (TableVariablePart(schema.name) == table_part) table = schema.name;
    }
    SF_RETURN_IF_ERROR(ApplyRowOverride(table + "=" + value, name, profile));
  }
  return Status::Ok();
}

// The profile with SEEDFORGE_SEED / --seed, then SEED_<TABLE>_COUNT, then --rows applied.
StatusOr<Profile> LoadAutoProfile(const CommonOptions& options) {
  CommonOptions without_rows = options;
  without_rows.rows.clear();
  SF_ASSIGN_OR_RETURN(Profile profile, LoadWithOverrides(without_rows));
  SF_RETURN_IF_ERROR(ApplyCountVariables(&profile));
  SF_RETURN_IF_ERROR(ApplyRowOverrides(options.rows, "--rows", &profile));
  return profile;
}

std::string TableList(const Profile& profile, const std::vector<size_t>& tables) {
  std::string out;
  for (const size_t table : tables) {
    out += out.empty() ? "" : ", ";
    out += profile.schemas()[table].name;
  }
  return out;
}

// Connects, retrying while the server is unreachable (not when it refuses: a wrong password or
// a missing database will not fix itself) until `wait_seconds` have passed since the first
// attempt. Attempts start one second apart; each failed one that will be retried prints one line.
StatusOr<std::unique_ptr<PgConnection>> WaitForServer(const std::string& url, int wait_seconds) {
  using Clock = std::chrono::steady_clock;
  const std::string where = RedactConnectionString(url);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(wait_seconds);
  for (int attempt = 1;; ++attempt) {
    auto connection = PgConnection::Connect(url);
    if (connection.ok()) return connection;
    const Status& status = connection.status();
    if (status.code() != StatusCode::kUnavailable) return status.WithContext(where);
    const auto next = start + std::chrono::seconds(attempt);
    if (next > deadline) {
      return Unavailable("PostgreSQL at " + where + " did not accept connections within " +
                         std::to_string(wait_seconds) + " s (" + std::to_string(attempt) +
                         (attempt == 1 ? " attempt" : " attempts") +
                         ", --wait-seconds): " + status.message());
    }
    Notice("waiting for PostgreSQL at " + where + " (attempt " + std::to_string(attempt) +
           "): " + status.message());
    while (Clock::now() < next) {
      if (CancelFlag().load()) return Cancelled("interrupted while waiting for PostgreSQL");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

int RunAuto(const AutoOptions& options) {
  const StatusOr<bool> enabled = AutoSeedEnabled();
  if (!enabled.ok()) return Fail(enabled.status());
  if (options.wait_seconds < 0 || options.wait_seconds > 86400) {
    return Fail(InvalidArgument("--wait-seconds must be between 0 and 86400, got " +
                                std::to_string(options.wait_seconds)));
  }
  auto profile = LoadAutoProfile(options.common);
  if (!profile.ok()) return Fail(profile.status());
  const std::vector<size_t> guard = profile->GuardTables();
  const bool quiet = options.common.quiet;

  if (!*enabled) {
    std::string target = "the embedded cluster";
    if (!options.database.db.empty()) {
      target = RedactConnectionString(options.database.db);
    } else if (auto url = Env("DATABASE_URL")) {
      target = RedactConnectionString(*url);
    }
    if (!quiet) {
      Notice("auto: AUTO_SEED_DB=" + *Env("AUTO_SEED_DB") + ", nothing done (would seed profile " +
             profile->name + ", seed " + std::to_string(profile->seed) + ", into " + target +
             " if its guard tables " + TableList(*profile, guard) + " held no rows)");
    }
    return 0;
  }

  if (Status valid = ValidateDatabaseOptions(options.database); !valid.ok()) return Fail(valid);
  std::optional<ClusterInfo> embedded;
  auto url = ResolveDatabase(options.database.db, options.database.home, quiet, &embedded);
  if (!url.ok()) return Fail(url.status());
  auto connection = WaitForServer(*url, options.wait_seconds);
  if (!connection.ok()) return Fail(connection.status());

  auto guard_check =
      [guard, quiet, seeded = &*profile, list = TableList(*profile, guard),
       db = connection->get()](const std::vector<int64_t>& existing) -> StatusOr<StartAction> {
    std::string found;
    for (size_t g = 0; g < guard.size(); ++g) {
      const size_t table = guard[g];
      int64_t rows = existing[table];
      const std::string condition =
          g < seeded->guard_conditions.size() ? seeded->guard_conditions[g] : "";
      if (rows > 0 && !condition.empty()) {
        // Only the rows that meet the profile's condition count as data.
        StatusOr<int64_t> data =
            db->QueryInt("SELECT count(*) FROM " + seeded->schemas()[table].table.QualifiedName() +
                         " WHERE (" + condition + ")");
        if (!data.ok()) {
          return data.status().WithContext("guard table " + seeded->schemas()[table].name +
                                           " (where " + condition + ")");
        }
        rows = *data;
      }
      if (rows == 0) continue;
      found += found.empty() ? "" : ", ";
      found +=
          seeded->schemas()[table].name + ": " + GroupDigits(rows) + (rows == 1 ? " row" : " rows");
    }
    if (!found.empty()) {
      if (!quiet) Notice("auto: skipped, the database already has data (" + found + ")");
      return StartAction::kSkip;
    }
    if (!quiet) Notice("auto: no rows in " + list + "; seeding");
    return StartAction::kWrite;
  };
  return SeedDatabase(*profile, options.common, options.database, *url, connection->get(), embedded,
                      "auto", guard_check);
}

struct ResetOptions {
  CommonOptions common;
  DatabaseOptions database;
  bool yes = false;
};

}  // namespace

void AddLifecycleCommands(CLI::App& app, std::vector<Command>* commands) {
  auto auto_options = std::make_shared<AutoOptions>();
  CLI::App* auto_command = app.add_subcommand(
      "auto",
      "Start-up seeding: wait for the server, seed only when the guard tables are empty "
      "(configured by DATABASE_URL, AUTO_SEED_DB, SEEDFORGE_*, SEED_<TABLE>_COUNT)");
  AddCommonOptions(auto_command, &auto_options->common);
  AddDatabaseOptions(auto_command, &auto_options->database);
  auto_command
      ->add_option("--wait-seconds", auto_options->wait_seconds,
                   "Seconds to keep retrying while the server does not accept connections")
      ->envname("SEEDFORGE_WAIT_SECONDS")
      ->capture_default_str();

  auto reset_options = std::make_shared<ResetOptions>();
  CLI::App* reset_command = app.add_subcommand(
      "reset", "Empty the tables (lists the rows and asks for confirmation), then seed afresh");
  AddCommonOptions(reset_command, &reset_options->common);
  AddDatabaseOptions(reset_command, &reset_options->database);
  reset_command->add_flag("--yes,-y", reset_options->yes, "Confirm without asking");

  commands->push_back({auto_command, [auto_options] { return RunAuto(*auto_options); }});
  commands->push_back({reset_command, [reset_options] {
                         const ResetOptions& options = *reset_options;
                         return SeedCommand(options.common, options.database, "reset", true,
                                            options.yes);
                       }});
}

}  // namespace seedforge::cli
