// The run history as a user sees it: verify, snapshot create and snapshot restore each write one
// row of seedforge.runs with their command, profile, fingerprint, seed, tables and method; the
// filling run ignores verify and snapshot create, and a restore carries what filled the restored
// data; a table of an older build gains the new columns; `seedforge runs` lists the history
// newest first, filtered, as text and JSON (exact, on rows with known values); no history is
// said, exit 0.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::CountLines;
using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::RunSeedforgeClean;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args) {
  return RunSeedforgeClean(args, {{"DATABASE_URL", std::nullopt}});
}

// One line per run: id, command, profile, source, seed, rows added, cleared, outcome, method,
// snapshot, the events target and the events rows before the run ("-" for none).
std::string History(const std::string& url) {
  return QueryValue(
      url,
      "SELECT string_agg(concat_ws(' ', id, command, profile, profile_source, seed, rows_added, "
      "cleared, outcome, coalesce(nullif(method, ''), '-'), coalesce(snapshot, '-'), "
      "coalesce(targets->>'events', '-'), coalesce((SELECT e->>'before' FROM "
      "jsonb_array_elements(tables) e WHERE e->>'table' = 'events'), '-')), E'\\n' ORDER BY id) "
      "FROM seedforge.runs");
}

class Runs : public ::testing::Test {
 protected:
  Runs() : dir_(MakeTempDir("runs-cli")) {}
  ~Runs() override { RemoveTree(dir_); }

  ProcessResult Snapshot(std::vector<std::string> args) {
    args.insert(args.begin(), "snapshot");
    args.insert(args.end(), {"--dir", dir_});
    return Sf(args);
  }

  std::string dir_;
};

TEST_F(Runs, VerifyAndSnapshotCreateAndRestoreEachRecordOneRow) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_recorded");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  const ProcessResult verify = Sf({"verify", "--db", url, "--quiet"});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.err, "");
  ASSERT_EQ(Snapshot({"create", "s1", "--db", url, "--quiet"}).exit_code, 0);
  EXPECT_EQ(History(url),
            "1 seed default built-in 42 235 f completed bulk - 100 0\n"
            "2 verify default built-in 42 0 f passed - - 100 100\n"
            "3 snapshot create default built-in 42 0 f completed copy s1 100 100");
  // Every row carries the profile's fingerprint, the versions, the host and the times.
  EXPECT_EQ(QueryValue(url,
                       "SELECT count(DISTINCT profile_fingerprint) || ' ' || "
                       "bool_and(length(profile_fingerprint) = 64 AND seedforge_version = '0.2.0' "
                       "AND server_version <> '' AND host <> '' AND finished_at >= started_at) "
                       "FROM seedforge.runs"),
            "1 true");

  // The restore brings back the snapshot's history (the runs before it was taken) and adds its
  // own row, which fills the database from then on.
  Execute(url, "DELETE FROM events WHERE id > 50");
  const ProcessResult restore = Snapshot({"restore", "s1", "--db", url, "--yes", "--quiet"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(History(url),
            "1 seed default built-in 42 235 f completed bulk - 100 0\n"
            "2 verify default built-in 42 0 f passed - - 100 100\n"
            "3 snapshot restore default built-in 42 235 t completed copy s1 100 50");
  EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT profile_fingerprint) FROM seedforge.runs"), 1);
  const ProcessResult topup = Sf({"seed", "--db", url, "--rows", "users=8"});
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_NE(topup.err.find("seedforge: profile default, seed 42: what filled this database"),
            std::string::npos)
      << topup.err;
  EXPECT_EQ(QueryInt(url, "SELECT rows_added FROM seedforge.runs WHERE id = 4"), 3);
}

TEST_F(Runs, TheFillingRunIgnoresVerifyAndSnapshotCreateOfOtherProfiles) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_filling");
  const std::string profile = dir_ + "/mine.json";
  std::ofstream(profile) << R"({"name": "mine", "extends": "default", "seed": 5,
      "time_window": {"start": "2025-01-01T00:00:00Z"}})";
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet", "--profile", profile}).exit_code, 0);
  // verify with another profile fails and is recorded under that profile.
  EXPECT_EQ(Sf({"verify", "--db", url, "--quiet", "--profile", "default"}).exit_code, 1);
  ASSERT_EQ(Snapshot({"create", "s2", "--db", url, "--quiet", "--profile", "other"}).exit_code, 0);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(concat_ws(' ', command, profile, seed, outcome, "
                       "profile_fingerprint = (SELECT profile_fingerprint FROM seedforge.runs "
                       "WHERE id = 1)), E'\\n' ORDER BY id) FROM seedforge.runs"),
            "seed mine 5 completed t\n"
            "verify default 42 failed f\n"
            "snapshot create other 5 completed f");
  EXPECT_NE(
      QueryValue(url, "SELECT message FROM seedforge.runs WHERE id = 2").find(" checks failed"),
      std::string::npos);
  const ProcessResult stats = Sf({"stats", "--db", url});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("profile mine (seed 5)"), std::string::npos) << stats.out;
  const ProcessResult topup = Sf({"seed", "--db", url, "--rows", "users=30"});
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_NE(topup.err.find("seedforge: profile mine, seed 5: what filled this database"),
            std::string::npos)
      << topup.err;
  // Restored, the snapshot labelled "other" holds mine's rows, and its history says so.
  ASSERT_EQ(Snapshot({"restore", "s2", "--db", url, "--yes", "--quiet"}).exit_code, 0);
  EXPECT_EQ(QueryValue(url,
                       "SELECT concat_ws(' ', command, profile, seed, profile_fingerprint = "
                       "(SELECT profile_fingerprint FROM seedforge.runs WHERE id = 1)) FROM "
                       "seedforge.runs ORDER BY id DESC LIMIT 1"),
            "snapshot restore mine 5 t");
  const ProcessResult verify = Sf({"verify", "--db", url, "--quiet"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(Runs, ARestoreWithoutSeedforgesSchemaLeavesNoKnownFillingRun) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_public_only");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  ASSERT_EQ(Snapshot({"create", "pub", "--db", url, "--quiet", "--schema", "public"}).exit_code, 0);
  ASSERT_EQ(Snapshot({"restore", "pub", "--db", url, "--yes", "--quiet"}).exit_code, 0);
  // The manifest's profile and seed, but no fingerprint: the history is of other data.
  EXPECT_EQ(QueryValue(url,
                       "SELECT concat_ws(' ', command, profile, seed, profile_fingerprint = '', "
                       "cleared) FROM seedforge.runs ORDER BY id DESC LIMIT 1"),
            "snapshot restore default 42 t t");
  const ProcessResult topup = Sf({"seed", "--db", url, "--rows", "users=6"});
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_EQ(topup.err.find("what filled this database"), std::string::npos) << topup.err;
}

TEST_F(Runs, VerifyNeverCreatesTheHistory) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_verify_empty");
  EXPECT_EQ(Sf({"verify", "--db", url, "--quiet"}).exit_code, 1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

TEST_F(Runs, ATableOfAnOlderBuildGainsTheNewColumns) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_migrate");
  // seedforge.runs as the first builds with history created it, with one run.
  Execute(url,
          "CREATE SCHEMA seedforge; CREATE TABLE seedforge.runs (id bigint GENERATED ALWAYS AS "
          "IDENTITY PRIMARY KEY, started_at timestamptz NOT NULL, finished_at timestamptz NOT "
          "NULL, command text NOT NULL, profile text NOT NULL, profile_source text NOT NULL, "
          "profile_fingerprint text NOT NULL, seed numeric(20, 0) NOT NULL, targets jsonb NOT "
          "NULL, tables jsonb NOT NULL, rows_added bigint NOT NULL, cleared boolean NOT NULL, "
          "seconds double precision NOT NULL, outcome text NOT NULL, message text, "
          "seedforge_version text NOT NULL, server_version text NOT NULL, host text NOT NULL); "
          "INSERT INTO seedforge.runs (started_at, finished_at, command, profile, profile_source, "
          "profile_fingerprint, seed, targets, tables, rows_added, cleared, seconds, outcome, "
          "seedforge_version, server_version, host) VALUES (now(), now(), 'seed', 'default', "
          "'built-in', 'old', 42, '{}', '[]', 0, false, 0.5, 'completed', '0.1.0', '15', 'h')");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(concat_ws(' ', id, command, seedforge_version, "
                       "coalesce(nullif(method, ''), '-'), coalesce(snapshot, '-')), E'\\n' "
                       "ORDER BY id) FROM seedforge.runs"),
            "1 seed 0.1.0 - -\n"
            "2 seed 0.2.0 bulk -");
  const ProcessResult runs = Sf({"runs", "--db", url});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(CountLines(runs.out), 3) << runs.out;
}

TEST_F(Runs, AnEvenOlderShapeStillListsAndRecords) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_oldest");
  Execute(url,
          "CREATE SCHEMA seedforge; CREATE TABLE seedforge.runs (profile text, seed text, "
          "finished_at timestamptz); INSERT INTO seedforge.runs VALUES ('default', '42', "
          "'2026-01-01 00:00:00Z')");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  const ProcessResult runs = Sf({"runs", "--db", url, "--command", "seed", "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(CountLines(runs.out), 3) << runs.out;  // "[", the seed, "]"
  EXPECT_NE(runs.out.find("\"command\": \"seed\", \"profile\": \"default\""), std::string::npos)
      << runs.out;
  // The old row: the columns it lacked read as their defaults.
  EXPECT_EQ(QueryValue(url,
                       "SELECT concat_ws(' ', command = '', rows_added, cleared) FROM "
                       "seedforge.runs WHERE finished_at = '2026-01-01 00:00:00Z'"),
            "t 0 f");
}

// Three runs with known values, newest last.
void InsertKnownRuns(const std::string& url) {
  Execute(
      url,
      "TRUNCATE seedforge.runs RESTART IDENTITY; INSERT INTO seedforge.runs (started_at, "
      "finished_at, command, profile, profile_source, profile_fingerprint, seed, targets, tables, "
      "rows_added, cleared, seconds, outcome, message, seedforge_version, server_version, host, "
      "method, snapshot) VALUES "
      "('2026-01-01 10:00:00Z', '2026-01-01 10:00:01.25Z', 'seed', 'default', 'built-in', 'aaa', "
      "42, '{\"users\": 5}', '[{\"table\": \"users\", \"target\": 5, \"before\": 0, \"added\": 5, "
      "\"fixtures\": 0, \"seconds\": 0.5, \"method\": \"bulk\"}]', 5, false, 1.25, 'completed', "
      "NULL, '0.2.0', '15.18', 'testhost', 'bulk', NULL), "
      "('2026-01-02 09:00:00Z', '2026-01-02 09:00:00.5Z', 'verify', 'mine', '/tmp/mine.json', "
      "'bbb', 7, '{}', '[]', 0, false, 0.5, 'failed', '2 checks failed', '0.2.0', '15.18', "
      "'testhost', '', NULL), "
      "('2026-01-03 08:00:00Z', '2026-01-03 08:00:02Z', 'snapshot restore', 'default', "
      "'built-in', 'aaa', 42, '{\"users\": 5}', '[{\"table\": \"users\", \"target\": 5, "
      "\"before\": 3, \"added\": 5, \"fixtures\": 0, \"seconds\": 0, \"method\": \"copy\"}]', 5, "
      "true, 2.0, 'completed', NULL, '0.2.0', '15.18', 'testhost', 'copy', 'nightly')");
}

TEST_F(Runs, ListsTheHistoryNewestFirstFilteredAsTextAndJson) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_list");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  InsertKnownRuns(url);
  const ProcessResult all = Sf({"runs", "--db", url});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out,
            "    id  finished at           command           profile  seed    rows added     "
            "seconds  outcome\n"
            "     3  2026-01-03T08:00:02Z  snapshot restore  default    42             5       "
            "2.000  completed\n"
            "     2  2026-01-02T09:00:00Z  verify            mine        7             0       "
            "0.500  failed\n"
            "     1  2026-01-01T10:00:01Z  seed              default    42             5       "
            "1.250  completed\n");
  const ProcessResult mine = Sf({"runs", "--db", url, "--profile", "mine"});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_EQ(mine.out,
            "    id  finished at           command  profile  seed    rows added     seconds  "
            "outcome\n"
            "     2  2026-01-02T09:00:00Z  verify   mine        7             0       0.500  "
            "failed\n");
  const ProcessResult newest = Sf({"runs", "--db", url, "--limit", "1", "--json"});
  ASSERT_EQ(newest.exit_code, 0) << newest.err;
  EXPECT_EQ(newest.out,
            "[\n  {\"id\": 3, \"started_at\": \"2026-01-03T08:00:00Z\", \"finished_at\": "
            "\"2026-01-03T08:00:02Z\", \"command\": \"snapshot restore\", \"profile\": "
            "\"default\", \"profile_source\": \"built-in\", \"profile_fingerprint\": \"aaa\", "
            "\"seed\": 42, \"targets\": {\"users\": 5}, \"tables\": [{\"table\": \"users\", "
            "\"target\": 5, \"before\": 3, \"added\": 5, \"fixtures\": 0, \"seconds\": 0.000000, "
            "\"method\": \"copy\"}], \"rows_added\": 5, \"seconds\": 2.000000, \"method\": "
            "\"copy\", \"cleared\": true, \"outcome\": \"completed\", \"message\": null, "
            "\"snapshot\": \"nightly\", \"seedforge_version\": \"0.2.0\", \"server_version\": "
            "\"15.18\", \"host\": \"testhost\"}\n]\n");
  const ProcessResult verify = Sf({"runs", "--db", url, "--command", "verify", "--json"});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out,
            "[\n  {\"id\": 2, \"started_at\": \"2026-01-02T09:00:00Z\", \"finished_at\": "
            "\"2026-01-02T09:00:00Z\", \"command\": \"verify\", \"profile\": \"mine\", "
            "\"profile_source\": \"/tmp/mine.json\", \"profile_fingerprint\": \"bbb\", \"seed\": "
            "7, \"targets\": {}, \"tables\": [], \"rows_added\": 0, \"seconds\": 0.500000, "
            "\"method\": \"\", \"cleared\": false, \"outcome\": \"failed\", \"message\": \"2 "
            "checks failed\", \"snapshot\": null, \"seedforge_version\": \"0.2.0\", "
            "\"server_version\": \"15.18\", \"host\": \"testhost\"}\n]\n");
  const ProcessResult both =
      Sf({"runs", "--db", url, "--command", "snapshot restore", "--profile", "default"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(CountLines(both.out), 2) << both.out;
  EXPECT_EQ(both.out.find("     3  "), both.out.find('\n') + 1) << both.out;
  const ProcessResult none = Sf({"runs", "--db", url, "--command", "auto"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "no recorded run matches in database " +
                          QueryValue(url, "SELECT current_database()") + "\n");
}

TEST_F(Runs, NoHistoryIsSaidWithExitZeroAndABadLimitIsRefused) {
  const std::string url = TestCluster::Get().CreateDatabase("runs_none");
  const std::string database = QueryValue(url, "SELECT current_database()");
  const ProcessResult text = Sf({"runs", "--db", url});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out,
            "no run history (seedforge.runs is empty or absent) in database " + database + "\n");
  const ProcessResult json = Sf({"runs", "--db", url, "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out, "[]\n");
  const ProcessResult bad = Sf({"runs", "--db", url, "--limit", "-1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "seedforge: error: --limit must be 0 (all) or positive, got -1\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

}  // namespace
}  // namespace seedforge
