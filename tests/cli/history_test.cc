// What the database remembers and what a clear leaves: `reset` and `seed --clear-existing` after
// top-ups end exactly where a fresh seed ends; every run writes a row of seedforge.runs; later
// runs default to the profile and seed that filled the database and refuse to mix in another
// seed or other settings; `--dry-run` prints the plan and changes nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::Fingerprints;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::PublicTables;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::TestCluster;

ProcessResult Seed(const std::string& url, std::vector<std::string> args) {
  std::vector<std::string> all = {"seed", "--db", url};
  all.insert(all.end(), args.begin(), args.end());
  return RunSeedforge(all, {{"SEEDFORGE_PROFILE", std::nullopt}, {"SEEDFORGE_SEED", std::nullopt}});
}

ProcessResult Sf(const std::vector<std::string>& args) {
  return RunSeedforge(args,
                      {{"SEEDFORGE_PROFILE", std::nullopt}, {"SEEDFORGE_SEED", std::nullopt}});
}

// Every segment of generation history, one "table first_row first_id row_count" per line.
std::string Segments(const std::string& url) {
  return QueryValue(url,
                    "SELECT COALESCE(string_agg(table_name || ' ' || first_row || ' ' || "
                    "COALESCE(first_id, 0) || ' ' || COALESCE(row_count, -1), E'\\n' ORDER BY "
                    "table_name, first_row), '') FROM seedforge.segments");
}

int64_t PendingConstraints(const std::string& url) {
  return QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints");
}

int64_t ForeignKeys(const std::string& url) {
  return QueryInt(url,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = "
                  "'public'::regnamespace");
}

// A fresh `seed --quiet` of the default profile, to compare with.
std::string FreshDefault(const std::string& prefix) {
  const std::string fresh = TestCluster::Get().CreateDatabase(prefix);
  EXPECT_EQ(Seed(fresh, {"--quiet"}).exit_code, 0);
  return fresh;
}

TEST(ClearAfterTopUp, ResetAfterMoreUsersEndsExactlyLikeAFreshSeed) {
  const std::string url = TestCluster::Get().CreateDatabase("topup_reset_users");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet", "--rows", "users=8"}).exit_code, 0);
  const ProcessResult reset = Sf({"reset", "--yes", "--quiet", "--db", url});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(reset.err, "");
  const std::string fresh = FreshDefault("topup_reset_users_fresh");
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
  EXPECT_EQ(PendingConstraints(url), 0);
  EXPECT_EQ(ForeignKeys(url), 9);
  // The history of the old rows went with them: what is left is a fresh seed's.
  EXPECT_EQ(Segments(url), Segments(fresh));
  EXPECT_EQ(testing::CountLines(Segments(url) + "\n"), 5);
  // And the next run on it works like on any fresh seed.
  const ProcessResult again = Sf({"reset", "--yes", "--quiet", "--db", url});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const ProcessResult verify = Sf({"verify", "--db", url, "--quiet"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(ClearAfterTopUp, ResetAfterMoreEventsGivesIdsFromOneAndPassesVerify) {
  const std::string url = TestCluster::Get().CreateDatabase("topup_reset_events");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet", "--rows", "events=300"}).exit_code, 0);
  ASSERT_EQ(Sf({"reset", "--yes", "--quiet", "--db", url}).exit_code, 0);
  EXPECT_EQ(QueryValue(url, "SELECT min(id) || '-' || max(id) || ' ' || count(*) FROM events"),
            "1-100 100");
  EXPECT_EQ(Fingerprints(url), Fingerprints(FreshDefault("topup_reset_events_fresh")));
  const ProcessResult verify = Sf({"verify", "--db", url});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(ClearAfterTopUp, ClearExistingAfterTwoTopUpsEndsExactlyLikeAFreshSeed) {
  const std::string url = TestCluster::Get().CreateDatabase("topup_clear");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet", "--rows", "users=8", "--rows", "assets=150"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet", "--rows", "users=9", "--rows", "events=130"}).exit_code, 0);
  // The application's own user, which the clear deletes with the rest.
  Execute(url,
          "INSERT INTO users (username, email, full_name, department, role, is_active, "
          "created_at) VALUES ('app', 'app@example.org', 'App User', 'IT', 'Engineer', true, "
          "'2025-06-01T00:00:00Z')");
  ASSERT_EQ(Seed(url, {"--quiet", "--clear-existing", "--yes"}).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(FreshDefault("topup_clear_fresh")));
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 5);
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM users"), 5);
}

TEST(ClearAfterTopUp, AForeignKeyThatCannotBeRestoredNamesTheWayOutAndResetCompletes) {
  const std::string url = TestCluster::Get().CreateDatabase("parked_loop");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  // What a run killed during a parallel bulk load leaves, plus a row that breaks the parked key.
  Execute(url,
          "CREATE TABLE IF NOT EXISTS seedforge.pending_constraints (table_name text NOT NULL, "
          "constraint_name "
          "text NOT NULL, definition text NOT NULL, PRIMARY KEY (table_name, constraint_name)); "
          "INSERT INTO seedforge.pending_constraints SELECT conrelid::regclass::text, "
          "quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
          "'events_asset_id_fkey'; ALTER TABLE events DROP CONSTRAINT events_asset_id_fkey; "
          "UPDATE events SET asset_id = 100000 WHERE id = 1");
  const ProcessResult seed = Seed(url, {"--quiet", "--rows", "users=6"});
  EXPECT_EQ(seed.exit_code, 1);
  EXPECT_NE(seed.err.find("restoring foreign key events_asset_id_fkey (kept in "
                          "seedforge.pending_constraints, which every seed retries; fix the rows "
                          "that break it, or run `seedforge reset`, which empties the tables and "
                          "then restores it)"),
            std::string::npos)
      << seed.err;
  EXPECT_EQ(PendingConstraints(url), 1);
  const ProcessResult reset = Sf({"reset", "--yes", "--quiet", "--db", url});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(PendingConstraints(url), 0);
  EXPECT_EQ(ForeignKeys(url), 9);
  EXPECT_EQ(Fingerprints(url), Fingerprints(FreshDefault("parked_loop_fresh")));
}

TEST(RunHistory, EverySeedResetAndRefusalIsOneRowOfSeedforgeRuns) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_rows");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet", "--rows", "users=8"}).exit_code, 0);
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);  // nothing to add
  ASSERT_EQ(Seed(url, {"--quiet", "--seed", "7"}).exit_code, 2);
  ASSERT_EQ(Sf({"reset", "--yes", "--quiet", "--db", url}).exit_code, 0);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(concat_ws(' ', command, profile, profile_source, seed, "
                       "rows_added, cleared, outcome, targets->>'users', tables->0->>'added', "
                       "tables->0->>'method'), E'\\n' ORDER BY id) FROM seedforge.runs"),
            "seed default built-in 42 235 f completed 5 5 bulk\n"
            "seed default built-in 42 3 f completed 8 3 append\n"
            "seed default built-in 42 0 f completed 5 0 \n"
            "seed default built-in 7 0 f failed\n"  // refused before it looked at any table
            "reset default built-in 42 235 t completed 5 5 bulk");
  // The refusal says why; the successful runs have no message.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.runs WHERE message IS NOT NULL"), 1);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(DISTINCT profile_fingerprint) FROM seedforge.runs WHERE "
                     "length(profile_fingerprint) = 64"),
            1);
  EXPECT_EQ(QueryValue(url,
                       "SELECT bool_and(finished_at >= started_at AND seconds >= 0 AND "
                       "seedforge_version = '0.2.0' AND server_version <> '' AND host <> '') "
                       "FROM seedforge.runs"),
            "t");
}

TEST(RunHistory, ADifferentSeedIsRefusedNamingBothAndChangesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_seed");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  const auto before = Fingerprints(url);
  const ProcessResult refused = Seed(url, {"--quiet", "--seed", "7", "--rows", "users=9"});
  EXPECT_EQ(refused.exit_code, 2);
  const std::string fingerprint =
      QueryValue(url, "SELECT left(profile_fingerprint, 12) FROM seedforge.runs WHERE id = 1");
  EXPECT_EQ(refused.err,
            "seedforge: error: database " + QueryValue(url, "SELECT current_database()") +
                " holds rows generated with profile default (seed 42, settings " + fingerprint +
                "), and profile default (seed 7, settings " + fingerprint +
                ") has another seed; mixing them breaks verify: use the same profile "
                "and seed (a top-up may only raise targets), `seedforge reset` to "
                "start afresh, or --allow-mismatch\n");
  EXPECT_EQ(Fingerprints(url), before);
  // Said explicitly, it tops up with the new seed.
  const ProcessResult allowed =
      Seed(url, {"--quiet", "--seed", "7", "--rows", "users=9", "--allow-mismatch"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 9);
}

TEST(RunHistory, OtherSettingsAreRefusedAndGrowingTheTargetsIsNot) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_settings");
  const std::string dir = MakeTempDir("runs_settings");
  std::ofstream(dir + "/bigger.json")
      << R"({"name": "bigger", "extends": "default", "rows": {"users": 12, "events": 150}})";
  // Another time window: the same tables and targets, other generation settings.
  std::ofstream(dir + "/later.json") << R"({"name": "later", "extends": "default",
             "time_window": {"start": "2025-01-01T00:00:00Z"}})";
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  const ProcessResult grown = Seed(url, {"--quiet", "--profile", dir + "/bigger.json"});
  ASSERT_EQ(grown.exit_code, 0) << grown.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 12);
  const auto before = Fingerprints(url);
  const ProcessResult refused =
      Seed(url, {"--quiet", "--profile", dir + "/later.json", "--rows", "users=20"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find(" holds rows generated with profile bigger (seed 42, settings "),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("), and profile later (seed 42, settings "), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find(") has another generation settings; "), std::string::npos)
      << refused.err;
  EXPECT_EQ(Fingerprints(url), before);
  RemoveTree(dir);
}

TEST(RunHistory, WithoutProfileTopUpsStatsAndVerifyUseWhatFilledTheDatabase) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_default");
  const std::string fresh = TestCluster::Get().CreateDatabase("runs_default_fresh");
  const std::string dir = MakeTempDir("runs_default");
  const std::string profile = dir + "/mine.json";
  std::ofstream(profile) << R"({"name": "mine", "extends": "default", "seed": 5,
      "rows": {"users": 20, "events": 200},
      "time_window": {"start": "2025-01-01T00:00:00Z"}})";
  ASSERT_EQ(Seed(url, {"--quiet", "--profile", profile}).exit_code, 0);
  // A top-up without --profile or --seed continues with mine.json and seed 5.
  const ProcessResult topped = Seed(url, {"--rows", "users=30"});
  ASSERT_EQ(topped.exit_code, 0) << topped.err;
  EXPECT_NE(topped.err.find("seedforge: profile mine, seed 5: what filled this database "
                            "(seedforge.runs, "),
            std::string::npos)
      << topped.err;
  // The same history with --profile given both times.
  ASSERT_EQ(Seed(fresh, {"--quiet", "--profile", profile}).exit_code, 0);
  ASSERT_EQ(Seed(fresh, {"--quiet", "--profile", profile, "--rows", "users=30"}).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(fresh));
  const ProcessResult stats = Sf({"stats", "--db", url});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("profile mine (seed 5)"), std::string::npos) << stats.out;
  // verify needs no --profile either; with the default profile it would not pass.
  const ProcessResult verify = Sf({"verify", "--db", url, "--rows", "users=30"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const ProcessResult wrong =
      Sf({"verify", "--db", url, "--profile", "default", "--rows", "users=30"});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  RemoveTree(dir);
}

TEST(RunHistory, VerifyOfALargeDatabaseNeedsNoProfile) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_large");
  ASSERT_EQ(Seed(url, {"--quiet", "--profile", "large"}).exit_code, 0);
  const ProcessResult verify = Sf({"verify", "--db", url});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(", profile large (seed 42)\n"), std::string::npos) << verify.out;
  EXPECT_EQ(verify.err, "");
}

TEST(DryRun, SeedIntoAnEmptyDatabasePrintsThePlanAndCreatesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("dry_empty");
  const ProcessResult plan = Seed(url, {"--dry-run", "--rows", "events=250"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("dry run: nothing was changed; the run would do this:\n"
                          "table             present      target      to add  path\n"
                          "users                   0           5           5  bulk\n"
                          "applications            0          10          10  bulk\n"
                          "assets                  0         100         100  bulk\n"
                          "deployments             0          20          20  bulk\n"
                          "events                  0         250         250  bulk\n"
                          "total                                         385\n"),
            std::string::npos)
      << plan.out;
  EXPECT_EQ(PublicTables(url), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

TEST(DryRun, TopUpAndResetPlansLeaveTheDatabaseAsItWas) {
  const std::string url = TestCluster::Get().CreateDatabase("dry_topup");
  ASSERT_EQ(Seed(url, {"--quiet"}).exit_code, 0);
  const auto before = Fingerprints(url);
  const int64_t runs = QueryInt(url, "SELECT count(*) FROM seedforge.runs");
  const ProcessResult topup = Seed(url, {"--dry-run", "--rows", "users=8", "--no-bulk"});
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_NE(topup.out.find("users                   5           8           3  append\n"
                           "applications           10          10           0  -\n"),
            std::string::npos)
      << topup.out;
  EXPECT_NE(topup.out.find("total                                           3\n"),
            std::string::npos)
      << topup.out;
  // With the bulk path allowed, a table that holds rows is still appended to: bulk loading is
  // for empty tables only.
  const ProcessResult bulk_topup = Seed(url, {"--dry-run", "--rows", "users=8"});
  ASSERT_EQ(bulk_topup.exit_code, 0) << bulk_topup.err;
  EXPECT_NE(bulk_topup.out.find("users                   5           8           3  append\n"),
            std::string::npos)
      << bulk_topup.out;
  // reset --dry-run needs no --yes and deletes nothing.
  const ProcessResult reset = Sf({"reset", "--dry-run", "--db", url, "--rows", "assets=50"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("assets                100          50          50  bulk\n"),
            std::string::npos)
      << reset.out;
  EXPECT_NE(reset.out.find("note: assets: would clear 100 rows first\n"), std::string::npos)
      << reset.out;
  EXPECT_EQ(Fingerprints(url), before);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.runs"), runs);
}

}  // namespace
}  // namespace seedforge
