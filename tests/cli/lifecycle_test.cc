// The data lifecycle as a start-up script and an operator use it: `auto` seeds an empty database
// and leaves one with data alone, waits for a server that is not there yet, and reads its
// configuration from the environment; `seed --clear-existing` and `reset` delete only with
// confirmation and end exactly where a fresh seed ends.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ProcessResult;
using testing::QueryInt;
using testing::RunSeedforge;
using testing::TableFingerprint;
using testing::TestCluster;

const char* const kTables[] = {"users", "applications", "assets", "deployments", "events"};

using Environment = std::map<std::string, std::optional<std::string>>;

// The environment of a container: the database through DATABASE_URL, nothing else inherited
// that could change what auto does.
Environment AutoEnvironment(const std::string& url) {
  return {{"DATABASE_URL", url},
          {"AUTO_SEED_DB", std::nullopt},
          {"SEEDFORGE_PROFILE", std::nullopt},
          {"SEEDFORGE_SEED", std::nullopt},
          {"SEEDFORGE_WAIT_SECONDS", std::nullopt}};
}

std::map<std::string, int64_t> Counts(const std::string& url) {
  std::map<std::string, int64_t> out;
  for (const char* table : kTables) {
    out[table] = QueryInt(url, std::string("SELECT count(*) FROM ") + table);
  }
  return out;
}

std::map<std::string, std::string> Fingerprints(const std::string& url) {
  std::map<std::string, std::string> out;
  for (const char* table : kTables) out[table] = TableFingerprint(url, table);
  return out;
}

int64_t PublicTables(const std::string& url) {
  return QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Seeds `url` with the default profile's users only (the other tables exist, empty).
void SeedUsersOnly(const std::string& url) {
  ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet", "--rows", "applications=0", "--rows",
                          "assets=0", "--rows", "deployments=0", "--rows", "events=0"})
                .exit_code,
            0);
}

TEST(Auto, OnAnEmptyDatabaseSeedsExactlyTheTargetsFromTheEnvironment) {
  const std::string url = TestCluster::Get().CreateDatabase("auto_empty");
  const std::string fresh = TestCluster::Get().CreateDatabase("auto_fresh");
  Environment env = AutoEnvironment(url);
  env["SEED_ASSETS_COUNT"] = "250";
  env["SEED_EVENTS_COUNT"] = "1000";
  const ProcessResult result = RunSeedforge({"auto"}, env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("seedforge: auto: no rows in users, applications, assets, "
                            "deployments, events; seeding\n"),
            std::string::npos)
      << result.err;
  const std::map<std::string, int64_t> expected = {
      {"users", 5}, {"applications", 10}, {"assets", 250}, {"deployments", 20}, {"events", 1000}};
  EXPECT_EQ(Counts(url), expected);
  ASSERT_EQ(RunSeedforge(
                {"seed", "--db", fresh, "--quiet", "--rows", "assets=250", "--rows", "events=1000"})
                .exit_code,
            0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
}

TEST(Auto, DataInOnlyOneGuardTableMeansNothingIsInserted) {
  const std::string url = TestCluster::Get().CreateDatabase("auto_one_table");
  SeedUsersOnly(url);
  const std::map<std::string, std::string> before = Fingerprints(url);
  Environment env = AutoEnvironment(url);
  env["SEED_ASSETS_COUNT"] = "50";
  const ProcessResult result = RunSeedforge({"auto"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("seedforge: auto: skipped, the database already has data (users: 5 "
                            "rows)\n"),
            std::string::npos)
      << result.err;
  const std::map<std::string, int64_t> expected = {
      {"users", 5}, {"applications", 0}, {"assets", 0}, {"deployments", 0}, {"events", 0}};
  EXPECT_EQ(Counts(url), expected);
  EXPECT_EQ(Fingerprints(url), before);
}

TEST(Auto, AutoSeedDbFalseChangesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("auto_disabled");
  Environment env = AutoEnvironment(url);
  env["AUTO_SEED_DB"] = "false";
  const ProcessResult result = RunSeedforge({"auto"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: auto: AUTO_SEED_DB=false, nothing done (would seed "
                             "profile default, seed 42, into ",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_EQ(PublicTables(url), 0);
}

TEST(Auto, OnlyTheProfilesGuardTablesDecide) {
  const std::string url = TestCluster::Get().CreateDatabase("auto_guard");
  const std::string fresh = TestCluster::Get().CreateDatabase("auto_guard_fresh");
  SeedUsersOnly(url);
  const std::string dir = testing::MakeTempDir("auto-guard");
  std::ofstream(dir + "/guarded.json")
      << R"({"extends": "default", "guard_tables": ["assets", "events"]})";
  Environment env = AutoEnvironment(url);
  env["SEEDFORGE_PROFILE"] = dir + "/guarded.json";
  const ProcessResult result = RunSeedforge({"auto"}, env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("seedforge: auto: no rows in assets, events; seeding\n"),
            std::string::npos)
      << result.err;
  ASSERT_EQ(RunSeedforge({"seed", "--db", fresh, "--quiet"}).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
  // Now the guard tables have rows: a second start changes nothing.
  const ProcessResult again = RunSeedforge({"auto", "--rows", "events=500"}, env);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("seedforge: auto: skipped, the database already has data (assets: 100 "
                           "rows, events: 100 rows)\n"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
  testing::RemoveTree(dir);
}

TEST(Auto, WaitsWithOneLinePerAttemptThenFailsWhenNothingListens) {
  const ProcessResult result =
      RunSeedforge({"auto", "--wait-seconds", "2"},
                   AutoEnvironment("postgresql://seeder:hunter2secret@127.0.0.1:1/nowhere"));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<std::string> lines = Lines(result.err);
  ASSERT_GE(lines.size(), 2u) << result.err;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string expected =
        "seedforge: waiting for PostgreSQL at "
        "postgresql://seeder:***@127.0.0.1:1/nowhere (attempt " +
        std::to_string(i + 1) + "): cannot connect to PostgreSQL: ";
    EXPECT_EQ(lines[i].rfind(expected, 0), 0u) << lines[i];
  }
  EXPECT_EQ(lines.back().rfind("seedforge: error: PostgreSQL at "
                               "postgresql://seeder:***@127.0.0.1:1/nowhere did not accept "
                               "connections within 2 s (" +
                                   std::to_string(lines.size()) + " attempts, --wait-seconds): ",
                               0),
            0u)
      << lines.back();
  EXPECT_EQ(result.err.find("hunter2secret"), std::string::npos);
}

TEST(Auto, UnknownCountVariableIsBadInputNamingIt) {
  const std::string url = TestCluster::Get().CreateDatabase("auto_bad_count");
  Environment env = AutoEnvironment(url);
  env["SEED_FOO_COUNT"] = "10";
  const ProcessResult unknown = RunSeedforge({"auto"}, env);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "seedforge: error: SEED_FOO_COUNT: unknown table 'foo' (expected users, "
            "applications, assets, deployments or events)\n");
  env.erase("SEED_FOO_COUNT");
  env["SEED_ASSETS_COUNT"] = "-4";
  const ProcessResult negative = RunSeedforge({"auto"}, env);
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_EQ(negative.err,
            "seedforge: error: SEED_ASSETS_COUNT: assets: expected a non-negative integer, got "
            "'-4'\n");
  env.erase("SEED_ASSETS_COUNT");
  env["AUTO_SEED_DB"] = "maybe";
  const ProcessResult flag = RunSeedforge({"auto"}, env);
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(flag.err, "seedforge: error: AUTO_SEED_DB: expected true or false, got 'maybe'\n");
  EXPECT_EQ(PublicTables(url), 0);
}

TEST(ClearExisting, WithoutYesAndWithoutATerminalRefusesAndChangesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("clear_refused");
  ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet"}).exit_code, 0);
  const std::map<std::string, std::string> before = Fingerprints(url);
  const std::string dir = testing::MakeTempDir("clear_refused");
  const std::string report = dir + "/report.json";
  const ProcessResult result =
      RunSeedforge({"seed", "--db", url, "--clear-existing", "--report", report});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --clear-existing deletes 235 rows in 5 tables; add --yes to "
            "confirm (no terminal to ask)\n");
  EXPECT_EQ(Fingerprints(url), before);
  // Refused before it began: no report of a run that did not happen.
  EXPECT_FALSE(std::filesystem::exists(report));
  testing::RemoveTree(dir);
  const ProcessResult reset = RunSeedforge({"reset", "--db", url});
  EXPECT_EQ(reset.exit_code, 2);
  EXPECT_EQ(reset.err,
            "seedforge: error: reset deletes 235 rows in 5 tables; add --yes to confirm (no "
            "terminal to ask)\n");
  EXPECT_EQ(Fingerprints(url), before);
}

TEST(ClearExisting, WithYesEndsExactlyLikeAFreshSeed) {
  const std::string url = TestCluster::Get().CreateDatabase("clear_yes");
  const std::string fresh = TestCluster::Get().CreateDatabase("clear_fresh");
  // Different seed and larger counts first, so every row must be replaced.
  ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet", "--seed", "7", "--rows", "assets=300"})
                .exit_code,
            0);
  const ProcessResult result =
      RunSeedforge({"seed", "--db", url, "--clear-existing", "--yes", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  ASSERT_EQ(RunSeedforge({"seed", "--db", fresh, "--quiet"}).exit_code, 0);
  const std::map<std::string, int64_t> expected = {
      {"users", 5}, {"applications", 10}, {"assets", 100}, {"deployments", 20}, {"events", 100}};
  EXPECT_EQ(Counts(url), expected);
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
}

TEST(ClearExisting, ListsWhatItDeletesBeforeDeleting) {
  const std::string url = TestCluster::Get().CreateDatabase("clear_list");
  SeedUsersOnly(url);
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--clear-existing", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("seedforge: --clear-existing deletes 5 rows in 1 table:\n  users"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100);
}

TEST(Reset, WithYesAndRowsLeavesExactlyThoseRows) {
  const std::string url = TestCluster::Get().CreateDatabase("reset_rows");
  ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet", "--rows", "assets=400"}).exit_code, 0);
  const ProcessResult result =
      RunSeedforge({"reset", "--yes", "--db", url, "--quiet", "--rows", "assets=10"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 10);
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM assets"), 10);
  const std::map<std::string, int64_t> expected = {
      {"users", 5}, {"applications", 10}, {"assets", 10}, {"deployments", 20}, {"events", 100}};
  EXPECT_EQ(Counts(url), expected);
}

}  // namespace
}  // namespace seedforge
