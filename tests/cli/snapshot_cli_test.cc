// `seedforge snapshot ...` run as a user would, against the test binary's real server: what
// create, list, show, delete and prune print and do; unknown names; confirmation without a
// terminal; corrupted and truncated files refused with the database unchanged; a restore killed
// with SIGKILL while it loads rows or before it commits, interrupted, or cut off by a server
// shutdown (each at a failpoint) leaves the database unchanged; the template
// path end to end; the folder from SEEDFORGE_SNAPSHOTS; profile and seed in the manifest.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/report.h"
#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tests/support/seed_checks.h"
#include "tests/support/snapshot_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::CountLines;
using testing::DatabaseState;
using testing::EditFile;
using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::SeededDatabase;
using testing::TestCluster;
using testing::WaitForOtherSessionsToEnd;

class SnapshotCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("snapshot-cli"); }
  void TearDown() override { RemoveTree(dir_); }

  // `seedforge snapshot ARGS --dir DIR`.
  ProcessResult Snapshot(std::vector<std::string> args) {
    args.insert(args.begin(), "snapshot");
    args.push_back("--dir");
    args.push_back(dir_);
    return RunSeedforge(args);
  }

  std::string DataFile(const std::string& name, const std::string& table) const {
    for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/" + name)) {
      const std::string file = entry.path().filename().string();
      if (file.find("-public." + table + ".") != std::string::npos) return entry.path().string();
    }
    ADD_FAILURE() << "no data file for " << table;
    return "";
  }

  std::string dir_;
};

TEST_F(SnapshotCli, CreateListShowDeleteAndPruneBehave) {
  const std::string url = SeededDatabase("snapcli_life");
  ProcessResult created = Snapshot({"create", "first", "--db", url});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.err, "");
  EXPECT_EQ(created.out.rfind("snapshot first of database " +
                                  QueryValue(url, "SELECT current_database()") +
                                  ": schemas public, seedforge; 7 tables, 241 rows, ",
                              0),
            0u)
      << created.out;
  EXPECT_NE(created.out.find("\n  users                                     5 rows "),
            std::string::npos)
      << created.out;
  EXPECT_NE(created.out.find("\nsaved in " + dir_ + "/first\n"), std::string::npos);
  EXPECT_NE(created.out.find("\nrestore with: seedforge snapshot restore first --dir " + dir_ +
                             " --db '" + url + "'\n"),
            std::string::npos)
      << created.out;
  ASSERT_EQ(Snapshot({"create", "second", "--db", url, "--quiet"}).exit_code, 0);
  Execute(url, "DELETE FROM events WHERE id > 40");
  ASSERT_EQ(Snapshot({"create", "third", "--db", url, "--quiet"}).exit_code, 0);
  // The same name twice is refused.
  const ProcessResult again = Snapshot({"create", "third", "--db", url});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "seedforge: error: snapshot third already exists in " + dir_ + "\n");

  const ProcessResult list = Snapshot({"list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(CountLines(list.out), 7);  // header, then two lines per snapshot, newest first
  const size_t third = list.out.find("\nthird ");
  const size_t second = list.out.find("\nsecond ");
  const size_t first = list.out.find("\nfirst ");
  EXPECT_TRUE(third < second && second < first) << list.out;
  // third holds the seed's run and the rows of the two snapshot creates before it.
  EXPECT_NE(
      list.out.find("    schemas public, seedforge; 7 tables: applications 10, assets 100, "
                    "deployments 20, events 40, users 5, seedforge.runs 3, seedforge.segments 5\n"),
      std::string::npos)
      << list.out;
  const ProcessResult json = Snapshot({"list", "--json"});
  EXPECT_EQ(json.out.rfind("[\n  {\"name\": \"third\", ", 0), 0u) << json.out;
  EXPECT_NE(json.out.find("\"rows\": 183, "), std::string::npos);
  EXPECT_NE(json.out.find("{\"table\": \"public.events\", \"rows\": 40, \"partition_of\": null}"),
            std::string::npos);
  EXPECT_NE(json.out.find("\"schemas\": [\"public\", \"seedforge\"], \"partitioned_tables\": 0"),
            std::string::npos)
      << json.out;

  const ProcessResult show = Snapshot({"show", "first"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.rfind("snapshot first\n  created    ", 0), 0u) << show.out;
  EXPECT_NE(show.out.find("\n  data       schemas public, seedforge; 7 tables, 241 rows; "),
            std::string::npos);
  EXPECT_NE(show.out.find("\n  template   none\n"), std::string::npos);
  EXPECT_NE(show.out.find("\n  events                                  100 "), std::string::npos);
  EXPECT_NE(show.out.find("\nschema (pg_dump "), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("\n  pre-data.sql "), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("\n  post-data.sql "), std::string::npos) << show.out;
  const ProcessResult show_json = Snapshot({"show", "first", "--json"});
  EXPECT_EQ(show_json.out, ReadFile(dir_ + "/first/manifest.json"));

  const ProcessResult deleted = Snapshot({"delete", "second"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out.rfind("deleted snapshot second (", 0), 0u) << deleted.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/second"));

  // A killed create leaves a partial folder: never listed, and prune removes it.
  std::filesystem::create_directory(dir_ + "/.fourth.partial-999999999");
  const ProcessResult pruned = Snapshot({"prune", "--keep", "1"});
  EXPECT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_EQ(CountLines(pruned.out), 2) << pruned.out;
  EXPECT_EQ(pruned.out.find("removed .fourth.partial-999999999 (left by an interrupted run)\n"), 0u)
      << pruned.out;
  EXPECT_NE(pruned.out.find("deleted snapshot first ("), std::string::npos) << pruned.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/third"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/first"));
  const ProcessResult nothing = Snapshot({"prune", "--keep", "1"});
  EXPECT_EQ(nothing.out, "nothing to prune: 1 snapshot(s) in " + dir_ + ", keeping 1\n");
}

TEST_F(SnapshotCli, UnknownNamesAndBadInputAreOneLineWithExitCode2) {
  const std::string url = SeededDatabase("snapcli_unknown");
  const std::string message = "seedforge: error: no snapshot named 'nope' in " + dir_ +
                              " (see 'seedforge snapshot list')\n";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"show", "nope"}, {"delete", "nope"}, {"restore", "nope", "--db", url, "--yes"}}) {
    const ProcessResult result = Snapshot(args);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_EQ(result.err, message) << args[0];
    EXPECT_EQ(result.out, "");
  }
  const ProcessResult bad_name = Snapshot({"create", "../up", "--db", url});
  EXPECT_EQ(bad_name.exit_code, 2);
  EXPECT_EQ(bad_name.err,
            "seedforge: error: snapshot name '../up': use 1 to 48 letters, digits, '.', '_' or "
            "'-', starting with a letter or digit\n");
  const ProcessResult bad_level = Snapshot({"create", "x", "--level", "30", "--db", url});
  EXPECT_EQ(bad_level.err, "seedforge: error: --level must be between 1 and 19, got 30\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            0);
}

TEST_F(SnapshotCli, CreateAndRestoreWaitForARunningSeed) {
  const std::string url = SeededDatabase("snapcli_lock");
  ASSERT_EQ(Snapshot({"create", "base", "--db", url, "-q"}).exit_code, 0);
  const std::string state = DatabaseState(url);
  auto seeder = PgConnection::Connect(url);  // holds the lock as a running seed would
  ASSERT_TRUE(seeder.ok());
  const std::string key = std::to_string(kAdvisoryLockKey);
  ASSERT_EQ(*(*seeder)->QueryValue("SELECT pg_try_advisory_lock(" + key + ")"), "t");
  const std::string waiting = "seedforge: waiting for another seedforge run on database " +
                              QueryValue(url, "SELECT current_database()") +
                              " to finish (advisory lock " + key + ")\n";
  const std::string gave_up =
      "seedforge: error: gave up after 1 s waiting for another seedforge run on this database "
      "(--lock-timeout)\n";
  const ProcessResult created = Snapshot({"create", "later", "--db", url, "--lock-timeout", "1"});
  EXPECT_EQ(created.exit_code, 1);
  EXPECT_EQ(created.err, waiting + gave_up);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/later"));
  const ProcessResult restored =
      Snapshot({"restore", "base", "--db", url, "--yes", "--lock-timeout", "1"});
  EXPECT_EQ(restored.exit_code, 1);
  EXPECT_EQ(restored.err, waiting + gave_up);
  EXPECT_EQ(DatabaseState(url), state);
  seeder->reset();
  EXPECT_EQ(Snapshot({"create", "later", "--db", url, "-q", "--lock-timeout", "5"}).exit_code, 0);
}

TEST_F(SnapshotCli, RestoreDryRunPrintsThePlanAndChangesNothing) {
  const std::string url = SeededDatabase("snapcli_dry");
  ASSERT_EQ(Snapshot({"create", "base", "--db", url, "-q"}).exit_code, 0);
  Execute(url, "DELETE FROM events WHERE id > 30");
  const std::string changed = DatabaseState(url);
  // No --yes and no terminal: a dry run asks nothing.
  const ProcessResult plan = Snapshot({"restore", "base", "--db", url, "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.err.find("  events                                  100             30\n"),
            std::string::npos)
      << plan.err;
  // 172 now: the snapshot create's own row of seedforge.runs among them.
  EXPECT_EQ(plan.out,
            "dry run: nothing was changed; restore would recreate the schemas of "
            "database " +
                QueryValue(url, "SELECT current_database()") +
                " with snapshot base (172 rows in the snapshot's tables now, 241 in the "
                "snapshot)\n");
  EXPECT_EQ(DatabaseState(url), changed);
}

TEST_F(SnapshotCli, RestoreAsksWithoutATerminalItRefusesUnlessYes) {
  const std::string url = SeededDatabase("snapcli_yes");
  const std::string original = DatabaseState(url);
  ASSERT_EQ(Snapshot({"create", "base", "--db", url, "-q"}).exit_code, 0);
  Execute(url, "DELETE FROM events WHERE id > 30; UPDATE users SET role = 'x'");
  const std::string changed = DatabaseState(url);
  const ProcessResult refused = Snapshot({"restore", "base", "--db", url});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("  events                                  100             30\n"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("\nseedforge: error: snapshot restore drops and recreates schemas "
                             "public, seedforge ("),
            std::string::npos)
      << refused.err;
  // 172: the snapshot create's own row of seedforge.runs among them.
  EXPECT_NE(
      refused.err.find(" objects, 172 rows in the snapshot's tables) and runs the "
                       "snapshot's schema as SQL; add --yes to confirm (no terminal to ask)\n"),
      std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("restore only snapshots you trust as you would a database dump"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(DatabaseState(url), changed);

  const ProcessResult restored = Snapshot({"restore", "base", "--db", url, "--yes"});
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(restored.out.rfind("restored snapshot base into database ", 0), 0u) << restored.out;
  EXPECT_NE(restored.out.find("; 7 tables, 241 rows in "), std::string::npos) << restored.out;
  EXPECT_EQ(DatabaseState(url), original);

  // Nothing to replace (an empty database): no confirmation needed.
  const std::string empty = TestCluster::Get().CreateDatabase("snapcli_yes_empty");
  const ProcessResult into_empty = Snapshot({"restore", "base", "--db", empty, "--quiet"});
  EXPECT_EQ(into_empty.exit_code, 0) << into_empty.err;
  EXPECT_EQ(into_empty.out + into_empty.err, "");
  EXPECT_EQ(DatabaseState(empty), original);
}

TEST_F(SnapshotCli, CorruptedOrTruncatedFilesAreRefusedWithTheDatabaseUnchanged) {
  const std::string url = SeededDatabase("snapcli_corrupt");
  ASSERT_EQ(Snapshot({"create", "base", "--db", url, "-q"}).exit_code, 0);
  Execute(url, "DELETE FROM events WHERE id > 30; UPDATE assets SET status = 'lost'");
  const std::string changed = DatabaseState(url);
  const std::string events = DataFile("base", "events");
  const std::string bytes = ReadFile(events);

  // Same size, flipped bytes in the middle: zstd's checksum or the decoder notices.
  std::string flipped = bytes;
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 8; ++i) flipped[i] ^= 0x5a;
  std::ofstream(events, std::ios::binary | std::ios::trunc) << flipped;
  ProcessResult result = Snapshot({"restore", "base", "--db", url, "--yes", "-q"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("seedforge: error: restore failed, database unchanged: table "
                             "public.events: " +
                                 events + " is corrupt (zstd: ",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(CountLines(result.err), 1);
  EXPECT_EQ(DatabaseState(url), changed);

  // Cut short: refused before anything is asked or changed.
  std::ofstream(events, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 100);
  result = Snapshot({"restore", "base", "--db", url, "--yes", "-q"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "seedforge: error: snapshot file " + events + " is " +
                            std::to_string(bytes.size() - 100) + " bytes, the manifest says " +
                            std::to_string(bytes.size()) + " (truncated or replaced)\n");
  EXPECT_EQ(DatabaseState(url), changed);

  // Cut short and the manifest edited to match: the decoder finds the end missing mid-load.
  EditFile(dir_ + "/base/manifest.json",
           "\"compressed_bytes\": " + std::to_string(bytes.size()) + ",",
           "\"compressed_bytes\": " + std::to_string(bytes.size() - 100) + ",");
  result = Snapshot({"restore", "base", "--db", url, "--yes", "-q"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "seedforge: error: restore failed, database unchanged: table "
            "public.events: " +
                events + " is truncated (it ends in the middle of its compressed data)\n");
  EXPECT_EQ(DatabaseState(url), changed);

  // A missing file.
  std::filesystem::remove(events);
  result = Snapshot({"restore", "base", "--db", url, "--yes", "-q"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "seedforge: error: snapshot file " + events + ": No such file or directory\n");
  EXPECT_EQ(DatabaseState(url), changed);
}

// Issue 8 item 2: a snapshot is data from whoever handed it over. The schema's constraint
// definitions live in post-data.sql: one edited to smuggle a second statement no longer matches
// the manifest's SHA-256 and is refused (a snapshot whose scripts and hashes were both edited is
// as trusted as a dump, which README and restore's confirmation say). Names seedforge puts into
// its own statements are quoted and run one statement at a time, or refused when they are not
// names; a total_rows that disagrees with the tables and a sequence value the sequence cannot
// hold are refused. Each is one line, into an empty database (no confirmation) and over the
// database with --recreate-schema --yes, and nothing is created.
TEST_F(SnapshotCli, EditedManifestsCannotRunSqlOrRestoreImpossibleValues) {
  const std::string url = SeededDatabase("snapcli_inject");
  ASSERT_EQ(Snapshot({"create", "base", "--db", url, "-q"}).exit_code, 0);
  const std::string manifest = dir_ + "/base/manifest.json";
  const std::string post_data = dir_ + "/base/post-data.sql";
  const std::string original = ReadFile(manifest);
  const std::string original_post_data = ReadFile(post_data);
  const std::string state = DatabaseState(url);
  const std::string empty = TestCluster::Get().CreateDatabase("snapcli_inject_empty");
  const auto pwned = [](const std::string& db) {
    return QueryInt(db, "SELECT count(*) FROM pg_class WHERE relname = 'pwned_by_manifest'");
  };
  // Restores into the empty database and over `url`; each must fail with one line holding
  // `expected`, and change nothing.
  const auto refused_everywhere = [&](const std::string& expected) {
    for (const std::vector<std::string>& where :
         {std::vector<std::string>{"--db", empty}, {"--db", url, "--recreate-schema", "--yes"}}) {
      std::vector<std::string> args = {"restore", "base", "-q"};
      args.insert(args.end(), where.begin(), where.end());
      const ProcessResult result = Snapshot(args);
      EXPECT_EQ(result.exit_code, 1) << result.err;
      EXPECT_EQ(CountLines(result.err), 1) << result.err;
      EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
    }
    EXPECT_EQ(pwned(empty), 0);
    EXPECT_EQ(pwned(url), 0);
    EXPECT_EQ(QueryInt(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
    EXPECT_EQ(DatabaseState(url), state);
  };

  EditFile(post_data, "UNIQUE (email);",
           "UNIQUE (email); CREATE TABLE public.pwned_by_manifest(x int); --");
  refused_everywhere("snapshot file " + post_data +
                     " does not match the manifest's size and SHA-256 (changed since the "
                     "snapshot was taken)");
  std::ofstream(post_data, std::ios::trunc) << original_post_data;

  // A table name is quoted as one identifier: the COPY names a table that does not exist.
  EditFile(manifest, "\"name\": \"users\"",
           "\"name\": \"users; CREATE TABLE public.pwned_by_manifest(x int); --\"");
  refused_everywhere(
      "restore failed, database unchanged: table public.\"users; CREATE TABLE "
      "public.pwned_by_manifest(x int); --\": ");
  // A sequence name must be a qualified name as quote_ident writes it.
  std::ofstream(manifest, std::ios::trunc) << original;
  EditFile(manifest, "\"sequence\": \"public.users_id_seq\"",
           "\"sequence\": \"public.users_id_seq'); CREATE TABLE public.pwned_by_manifest(x int); "
           "--\"");
  refused_everywhere("\" is not a qualified name as PostgreSQL's quote_ident writes it");

  // total_rows must be the sum of the tables' rows.
  std::ofstream(manifest, std::ios::trunc) << original;
  const std::string total = "\"total_rows\": ";
  const size_t at = original.find(total) + total.size();
  const std::string rows = original.substr(at, original.find(',', at) - at);
  EditFile(manifest, total + rows + ",", total + std::to_string(std::stoll(rows) + 1) + ",");
  refused_everywhere("$.total_rows: " + std::to_string(std::stoll(rows) + 1) +
                     " is not the sum of the tables' rows (" + rows + ")");

  // A last_value below the ascending sequence's minimum of 1.
  std::ofstream(manifest, std::ios::trunc) << original;
  const std::string last = "\"last_value\": ";
  const size_t value_at = original.find(last) + last.size();
  const std::string value = original.substr(value_at, original.find(',', value_at) - value_at);
  EditFile(manifest, last + value + ",", last + "-5,");
  refused_everywhere(" cannot hold -5 (its bounds are 1..");
}

// The extended query protocol is what makes one statement one statement: PgConnection::ExecuteOne
// refuses a string holding two, and runs neither.
TEST(OneStatementRule, ExecuteOneRefusesASecondStatement) {
  const std::string url = TestCluster::Get().CreateDatabase("snapcli_one_statement");
  auto connection = PgConnection::Connect(url);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const Status status =
      (*connection)
          ->ExecuteOne("CREATE TABLE a (x int); CREATE TABLE public.pwned_by_manifest(x int)");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot insert multiple commands into a prepared statement"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
  EXPECT_TRUE((*connection)->ExecuteOne("SELECT $1::int + 1", {"41"}).ok());
}

// Restores stopped at failpoints (core/failpoint.h): in the middle of events' COPY (after its
// 2nd chunk of rows), with events loaded, and with everything done but COMMIT. Each leaves the
// database exactly as it was.
TEST_F(SnapshotCli, RestoreKilledInterruptedOrCutOffMidwayLeavesTheDatabaseUnchanged) {
  const std::string url = SeededDatabase("snapcli_kill", {"--rows", "events=30000"});
  const std::string original = DatabaseState(url);
  ASSERT_EQ(Snapshot({"create", "big", "--db", url, "-q"}).exit_code, 0);
  Execute(url, "DELETE FROM events WHERE id % 7 = 0; UPDATE users SET role = 'changed'");
  const std::string changed = DatabaseState(url);
  const std::vector<std::string> restore = {"snapshot", "restore", "big",   "--dir", dir_,
                                            "--db",     url,       "--yes", "-q"};
  const std::string mid_copy = "restore.chunk_sent:public.events";
  for (const std::string& point :
       {mid_copy + "@2", std::string("restore.table_copied:public.events"),
        std::string("restore.before_commit")}) {
    const ProcessResult result = RunSeedforge(restore, {{"SEEDFORGE_FAILPOINTS", point + "=kill"}});
    EXPECT_EQ(result.signal, SIGKILL) << point << ": " << result.err;
    WaitForOtherSessionsToEnd(url);
    EXPECT_EQ(DatabaseState(url), changed) << "killed at " << point;
  }
  // Ctrl-C in the middle of a COPY: rolled back, exit 130, one line naming the table.
  const ProcessResult interrupted =
      RunSeedforge(restore, {{"SEEDFORGE_FAILPOINTS", mid_copy + "@2=sigint"}});
  EXPECT_EQ(interrupted.exit_code, 130);
  EXPECT_EQ(interrupted.err,
            "seedforge: error: restore failed, database unchanged: table public.events: "
            "interrupted\n");
  WaitForOtherSessionsToEnd(url);
  EXPECT_EQ(DatabaseState(url), changed);
  // SIGTERM at the last moment before COMMIT: still nothing changes, exit 143.
  const ProcessResult terminated =
      RunSeedforge(restore, {{"SEEDFORGE_FAILPOINTS", "restore.before_commit=sigterm"}});
  EXPECT_EQ(terminated.exit_code, 143);
  EXPECT_EQ(terminated.err, "seedforge: error: restore failed, database unchanged: interrupted\n");
  WaitForOtherSessionsToEnd(url);
  EXPECT_EQ(DatabaseState(url), changed);
  // The server goes away (fast shutdown) in the middle of a COPY: one line, exit 1.
  {
    ProcessResult result;
    testing::FailpointPauses pauses("snapcli_cut_off");
    {
      ChildProcess child(restore, pauses.Env(mid_copy + "@2=pause"));
      ASSERT_TRUE(pauses.WaitUntilReached(mid_copy, child));
      TestCluster::Get().StopServer();
      pauses.Resume(mid_copy);
      result = child.Wait();
      TestCluster::Get().StartServer();  // before any assertion, so later tests have a server
    }
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_EQ(result.err.rfind("seedforge: error: restore failed, database unchanged: table "
                               "public.events: ",
                               0),
              0u)
        << result.err;
    EXPECT_EQ(DatabaseState(url), changed);
  }
  // And the next restore completes, with the rows of the snapshot.
  const ProcessResult restored = Snapshot({"restore", "big", "--db", url, "--yes", "-q"});
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(DatabaseState(url), original);
}

TEST_F(SnapshotCli, TemplateSnapshotRestoresByCloningAndDeleteDropsTheTemplate) {
  const std::string url = SeededDatabase("snapcli_tpl");
  const std::string original = DatabaseState(url);
  const ProcessResult created = Snapshot({"create", "quick", "--template", "--db", url});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("\ntemplate database seedforge_tpl_quick kept on the server for fast "
                             "restores\n"),
            std::string::npos)
      << created.out;
  Execute(url, "TRUNCATE users, applications, assets, deployments, events");
  const ProcessResult restored = Snapshot({"restore", "quick", "--db", url, "--yes"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.err.find("is replaced by a clone of template database seedforge_tpl_quick"),
            std::string::npos)
      << restored.err;
  EXPECT_NE(restored.out.find("(cloned template database seedforge_tpl_quick)\n"),
            std::string::npos)
      << restored.out;
  EXPECT_EQ(DatabaseState(url), original);
  const std::string admin = TestCluster::Get().AdminUrl();
  const ProcessResult deleted = Snapshot({"delete", "quick", "--db", url});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.out.find(") and template database seedforge_tpl_quick\n"), std::string::npos)
      << deleted.out;
  EXPECT_EQ(QueryInt(admin,
                     "SELECT count(*) FROM pg_database WHERE datname = "
                     "'seedforge_tpl_quick'"),
            0);
}

TEST_F(SnapshotCli, FolderFromTheEnvironmentAndProfileSeedInTheManifest) {
  const std::string url = SeededDatabase("snapcli_env");
  const std::string env_dir = dir_ + "/from-env";
  const ProcessResult created = RunSeedforge(
      {"snapshot", "create", "envsnap", "--db", url, "-q", "--profile", "mine", "--seed", "7"},
      {{"SEEDFORGE_SNAPSHOTS", env_dir}});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(std::filesystem::exists(env_dir + "/envsnap/manifest.json"));
  const ProcessResult show =
      RunSeedforge({"snapshot", "show", "envsnap"}, {{"SEEDFORGE_SNAPSHOTS", env_dir}});
  EXPECT_NE(show.out.find("\n  profile    mine, seed 7\n"), std::string::npos) << show.out;

  // Without options, the run that filled the database (seedforge.runs) says.
  const std::string filled = TestCluster::Get().CreateDatabase("snapcli_runs");
  ASSERT_EQ(RunSeedforge({"seed", "--db", filled, "-q", "--profile", "large", "--seed", "9",
                          "--rows", "users=5", "--rows", "applications=10", "--rows", "assets=100",
                          "--rows", "deployments=20", "--rows", "events=100"})
                .exit_code,
            0);
  ASSERT_EQ(Snapshot({"create", "fromruns", "--db", filled, "-q"}).exit_code, 0);
  const ProcessResult from_runs = Snapshot({"show", "fromruns"});
  EXPECT_NE(from_runs.out.find("\n  profile    large, seed 9\n"), std::string::npos)
      << from_runs.out;
  EXPECT_NE(from_runs.out.find("\n  seedforge.runs "), std::string::npos) << from_runs.out;
}

// --- issue 8: delete, damaged manifests, sessions of other roles, SIGTERM, smaller ones ------

// Runs `command` with /bin/sh; returns its exit code and puts stdout and stderr in `output`.
int Shell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, got);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Replaces the line of manifest.json that starts with `"key": ` by `"key": value,` (or removes
// it when `value` is empty).
void SetManifestLine(const std::string& path, const std::string& key, const std::string& value) {
  std::string text = ReadFile(path);
  const size_t start = text.find("  \"" + key + "\": ");
  ASSERT_NE(start, std::string::npos) << text;
  const size_t end = text.find('\n', start) + 1;
  text.replace(start, end - start, value.empty() ? "" : "  \"" + key + "\": " + value + ",\n");
  std::ofstream(path, std::ios::trunc) << text;
}

bool DatabaseExists(const std::string& name) {
  return QueryInt(TestCluster::Get().AdminUrl(),
                  "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == 1;
}

void DropTemplateDatabase(const std::string& name) {
  Execute(TestCluster::Get().AdminUrl(), "ALTER DATABASE " + name + " WITH IS_TEMPLATE false");
  Execute(TestCluster::Get().AdminUrl(), "DROP DATABASE " + name);
}

TEST_F(SnapshotCli, DeleteWithoutDbDropsTheTemplateWhereTheManifestSaysAndCreatesNoCluster) {
  const std::string url = SeededDatabase("snapcli_deltpl");
  ASSERT_EQ(Snapshot({"create", "named", "--template", "--db", url, "-q"}).exit_code, 0);
  EXPECT_NE(ReadFile(dir_ + "/named/manifest.json")
                .find("\n  \"template_server\": " + JsonString(url) + ",\n"),
            std::string::npos);
  const std::string home = dir_ + "/no-cluster-here";
  const std::map<std::string, std::optional<std::string>> env = {{"DATABASE_URL", std::nullopt},
                                                                 {"SEEDFORGE_HOME", home}};
  const ProcessResult deleted = RunSeedforge({"snapshot", "delete", "named", "--dir", dir_}, env);
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.err, "");
  EXPECT_EQ(deleted.out.rfind("deleted snapshot named (", 0), 0u) << deleted.out;
  EXPECT_NE(deleted.out.find(") and template database seedforge_tpl_named\n"), std::string::npos)
      << deleted.out;
  EXPECT_FALSE(DatabaseExists("seedforge_tpl_named"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/named"));
  EXPECT_FALSE(std::filesystem::exists(home));
}

TEST_F(SnapshotCli, DeleteThatCannotReachTheTemplatesServerDeletesNothingAndSaysWhatIsLeft) {
  const std::string url = SeededDatabase("snapcli_farTpl");
  ASSERT_EQ(Snapshot({"create", "far", "--template", "--db", url, "-q"}).exit_code, 0);
  SetManifestLine(dir_ + "/far/manifest.json", "template_server",
                  "\"host=/nonexistent-seedforge-socket port=5 dbname=gone\"");
  const std::string home = dir_ + "/no-cluster-here";
  const std::map<std::string, std::optional<std::string>> env = {{"DATABASE_URL", std::nullopt},
                                                                 {"SEEDFORGE_HOME", home}};
  const ProcessResult refused = RunSeedforge({"snapshot", "delete", "far", "--dir", dir_}, env);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_EQ(CountLines(refused.err), 1) << refused.err;
  EXPECT_EQ(refused.err.rfind("seedforge: error: snapshot far not deleted: the server of its "
                              "template database seedforge_tpl_far could not be reached: ",
                              0),
            0u)
      << refused.err;
  const std::string ending =
      "; give --db for that server, or --keep-template to delete the folder and leave the "
      "database\n";
  EXPECT_EQ(refused.err.substr(refused.err.size() - std::min(refused.err.size(), ending.size())),
            ending);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/far/manifest.json"));
  EXPECT_TRUE(DatabaseExists("seedforge_tpl_far"));

  const ProcessResult kept =
      RunSeedforge({"snapshot", "delete", "far", "--dir", dir_, "--keep-template"}, env);
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.out.find("; template database seedforge_tpl_far left on its server "
                          "(--keep-template)\n"),
            std::string::npos)
      << kept.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/far"));
  EXPECT_TRUE(DatabaseExists("seedforge_tpl_far"));
  DropTemplateDatabase("seedforge_tpl_far");

  // A manifest of an older seedforge does not say where its template is: without --db,
  // DATABASE_URL or a running embedded cluster, nothing is deleted and no cluster is made.
  ASSERT_EQ(Snapshot({"create", "older", "--template", "--db", url, "-q"}).exit_code, 0);
  SetManifestLine(dir_ + "/older/manifest.json", "template_server", "");
  const ProcessResult unknown = RunSeedforge({"snapshot", "delete", "older", "--dir", dir_}, env);
  EXPECT_EQ(unknown.exit_code, 1) << unknown.err;
  EXPECT_EQ(unknown.err,
            "seedforge: error: snapshot older not deleted: the server of its template database "
            "seedforge_tpl_older could not be reached: no --db, no DATABASE_URL and no embedded "
            "cluster in " +
                home + "; snapshot delete does not create one: run 'seedforge up --home " + home +
                "' or 'seedforge seed --home " + home +
                "', or give --db; give --db for that "
                "server, or --keep-template to delete the folder and leave the database\n");
  EXPECT_FALSE(std::filesystem::exists(home));
  EXPECT_TRUE(DatabaseExists("seedforge_tpl_older"));
  const ProcessResult with_db = Snapshot({"delete", "older", "--db", url});
  EXPECT_EQ(with_db.exit_code, 0) << with_db.err;
  EXPECT_FALSE(DatabaseExists("seedforge_tpl_older"));
}

TEST_F(SnapshotCli, OneDamagedManifestIsListedAsDamagedAndNeverMakesPruneDeleteAnother) {
  const std::string url = SeededDatabase("snapcli_damaged");
  for (const char* name : {"oldest", "middle", "newest"}) {
    ASSERT_EQ(Snapshot({"create", name, "--db", url, "-q"}).exit_code, 0) << name;
  }
  std::ofstream(dir_ + "/newest/manifest.json", std::ios::trunc) << "{\"format_version\": 1";
  const std::string damage_start = dir_ + "/newest/manifest.json: $: malformed JSON (";

  const ProcessResult list = Snapshot({"list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(CountLines(list.out), 7) << list.out;  // header, two lines per snapshot
  const size_t middle = list.out.find("\nmiddle ");
  const size_t oldest = list.out.find("\noldest ");
  const size_t newest = list.out.find("\nnewest ");
  EXPECT_TRUE(middle < oldest && oldest < newest && newest != std::string::npos) << list.out;
  EXPECT_NE(list.out.find("  damaged\n    damaged: " + damage_start), std::string::npos)
      << list.out;

  const ProcessResult json = Snapshot({"list", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("[\n  {\"name\": \"middle\", ", 0), 0u) << json.out;
  EXPECT_NE(json.out.find("\"damaged\": null}"), std::string::npos) << json.out;
  EXPECT_NE(
      json.out.find(",\n  {\"name\": \"newest\", \"path\": \"" + dir_ + "/newest\", \"bytes\": "),
      std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"damaged\": \"" + damage_start), std::string::npos) << json.out;

  const ProcessResult pruned = Snapshot({"prune", "--keep", "1"});
  EXPECT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_EQ(pruned.err.rfind("seedforge: snapshot newest is damaged (" + damage_start, 0), 0u)
      << pruned.err;
  EXPECT_NE(pruned.err.find("); prune leaves it alone and does not count it\n"), std::string::npos)
      << pruned.err;
  EXPECT_EQ(CountLines(pruned.err), 1) << pruned.err;
  EXPECT_EQ(pruned.out.rfind("deleted snapshot oldest (", 0), 0u) << pruned.out;
  EXPECT_EQ(CountLines(pruned.out), 1) << pruned.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/middle/manifest.json"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/newest/manifest.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/oldest"));

  // delete cannot know whether the damaged one had a template: only --keep-template deletes it.
  const ProcessResult refused = Snapshot({"delete", "newest"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_EQ(refused.err.rfind("seedforge: error: snapshot newest is damaged (" + damage_start, 0),
            0u)
      << refused.err;
  EXPECT_NE(refused.err.find("); whether it has a template database cannot be known: add "
                             "--keep-template to delete its folder only\n"),
            std::string::npos)
      << refused.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/newest/manifest.json"));
  const ProcessResult deleted = Snapshot({"delete", "newest", "--keep-template"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted damaged snapshot newest\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/newest"));
}

// Creates a login role once per test binary (roles belong to the whole cluster).
void EnsureRole(const std::string& role, const std::string& extra) {
  Execute(TestCluster::Get().AdminUrl(),
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role +
              "') THEN CREATE ROLE " + role + " LOGIN " + extra + "; END IF; END $$");
}

TEST_F(SnapshotCli, TemplateChecksSeeAndNameTheSessionsOfOtherRolesForANonSuperuser) {
  EnsureRole("snap_owner", "CREATEDB");
  EnsureRole("snap_other", "");
  const std::string url = TestCluster::Get().CreateDatabase("snapcli_roles");
  const std::string database = QueryValue(url, "SELECT current_database()");
  Execute(TestCluster::Get().AdminUrl(), "ALTER DATABASE " + database + " OWNER TO snap_owner");
  const std::string owner_url = testing::WithUser(url, "snap_owner");
  ASSERT_EQ(RunSeedforge({"seed", "--db", owner_url, "-q"}).exit_code, 0);
  ASSERT_EQ(Snapshot({"create", "roles", "--template", "--db", owner_url, "-q"}).exit_code, 0);

  auto other =
      PgConnection::Connect(testing::WithUser(url, "snap_other") + "&application_name=blocker");
  ASSERT_TRUE(other.ok()) << other.status().message();
  const std::string pid = *(*other)->QueryValue("SELECT pg_backend_pid()");
  const std::string named = "1 other session(s): pid " + pid + " blocker (snap_other)";

  const ProcessResult created = Snapshot({"create", "roles2", "--template", "--db", owner_url});
  EXPECT_EQ(created.exit_code, 1) << created.err;
  EXPECT_EQ(created.err,
            "seedforge: error: --template: PostgreSQL copies a database only while no other "
            "session is connected to it, and database " +
                database + " has " + named + "; close them, or snapshot without --template\n");
  EXPECT_FALSE(DatabaseExists("seedforge_tpl_roles2"));

  const std::string before = DatabaseState(url);
  const ProcessResult restored = Snapshot({"restore", "roles", "--db", owner_url, "--yes"});
  EXPECT_EQ(restored.exit_code, 1) << restored.err;
  EXPECT_EQ(restored.err.substr(restored.err.rfind("seedforge: error: ")),
            "seedforge: error: database " + database + " has 1 other session(s) (pid " + pid +
                " blocker (snap_other)); restoring from the template swaps the database, which "
                "needs none: close them, or add --no-template to reload the rows\n");
  EXPECT_EQ(DatabaseState(url), before);

  other->reset();
  WaitForOtherSessionsToEnd(url);
  const ProcessResult deleted = Snapshot({"delete", "roles", "--db", owner_url});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_FALSE(DatabaseExists("seedforge_tpl_roles"));
}

// At level 19 zstd compresses on the reading thread, a 64 KiB step at a time, and the cancel flag
// is checked between steps: SIGTERM after the 3rd step of events' first MiB (events, the largest
// table, goes first on the one connection) stops the create within that MiB.
TEST_F(SnapshotCli, SigtermBetweenTwoLevel19CompressionStepsExits143AndLeavesNoPartialFolder) {
  const std::string url = SeededDatabase("snapcli_sigterm", {"--rows", "events=30000"});
  const ProcessResult result =
      RunSeedforge({"snapshot", "create", "slow", "--level", "19", "--connections", "1", "--db",
                    url, "--dir", dir_},
                   {{"SEEDFORGE_FAILPOINTS", "snapshot.compress_step@3=sigterm"}});
  EXPECT_EQ(result.exit_code, 143) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: table public.events: interrupted\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            0);
  EXPECT_EQ(Snapshot({"list"}).out, "no snapshots in " + dir_ + "\n");
  WaitForOtherSessionsToEnd(url);
}

TEST_F(SnapshotCli, ConnectionsTakeOneSharedLimitOf1To64) {
  const std::string url = SeededDatabase("snapcli_conns");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"snapshot", "create", "x", "--connections", "65", "--db", url, "--dir", dir_},
           {"seed", "--connections", "65", "--db", url}}) {
    const ProcessResult result = RunSeedforge(args);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    // seed may first say which profile filled the database; then one error line.
    EXPECT_EQ(result.err.substr(std::min(result.err.size(), result.err.find("seedforge: error: "))),
              "seedforge: error: --connections must be between 1 and 64, got 65\n");
  }
  const ProcessResult wide = Snapshot({"create", "wide", "--connections", "64", "--db", url});
  EXPECT_EQ(wide.exit_code, 0) << wide.err;
}

TEST_F(SnapshotCli, TheRestoreHintWorksAsPrintedAndHoldsNoPassword) {
  const std::string url = SeededDatabase("snapcli_hint");
  const std::string prefix = "postgresql://postgres@";
  ASSERT_EQ(url.rfind(prefix, 0), 0u);
  // The socket trusts, so the password is not needed to connect; it must not be printed.
  const std::string with_password = "postgresql://postgres:S3cr3tPw@" + url.substr(prefix.size());
  const ProcessResult created = Snapshot({"create", "hint", "--db", with_password});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out.find("S3cr3tPw"), std::string::npos) << created.out;
  EXPECT_EQ(created.out.find("***"), std::string::npos) << created.out;
  const size_t at = created.out.find("\nrestore with: seedforge ");
  ASSERT_NE(at, std::string::npos) << created.out;
  const size_t start = at + std::string("\nrestore with: seedforge ").size();
  const std::string arguments = created.out.substr(start, created.out.find('\n', start) - start);
  EXPECT_EQ(arguments.rfind("snapshot restore hint --dir " + dir_ + " --db '", 0), 0u) << arguments;
  Execute(url, "DELETE FROM events");
  std::string output;
  EXPECT_EQ(Shell(std::string(SEEDFORGE_BINARY) + " " + arguments + " --yes -q", &output), 0)
      << output;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100);
}

TEST_F(SnapshotCli, TwoCreatesOfOneNameAtOnceEndWithAlreadyExists) {
  const std::string url = SeededDatabase("snapcli_same");
  // The first holds seedforge's lock (paused right after taking it); the second, past the name
  // check too, finds the lock taken (paused there once). Then the first goes on and finishes.
  testing::FailpointPauses first_pauses("snapcli_same_first");
  testing::FailpointPauses second_pauses("snapcli_same_second");
  const std::vector<std::string> create = {"snapshot", "create", "same", "--db",
                                           url,        "--dir",  dir_,   "-q"};
  ChildProcess first(create, first_pauses.Env("snapshot.lock_taken=pause"));
  ASSERT_TRUE(first_pauses.WaitUntilReached("snapshot.lock_taken", first));
  ChildProcess second(create, second_pauses.Env("snapshot.lock_busy=pause"));
  ASSERT_TRUE(second_pauses.WaitUntilReached("snapshot.lock_busy", second));
  second_pauses.Resume("snapshot.lock_busy");
  first_pauses.Resume("snapshot.lock_taken");
  const ProcessResult a = first.Wait();
  const ProcessResult b = second.Wait();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.err, "");
  EXPECT_EQ(b.exit_code, 2) << b.err;
  EXPECT_EQ(b.err, "seedforge: waiting for another seedforge run on database " +
                       QueryValue(url, "SELECT current_database()") + " to finish (advisory lock " +
                       std::to_string(kAdvisoryLockKey) +
                       ")\nseedforge: error: snapshot same already exists in " + dir_ + "\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/same/manifest.json"));
}

}  // namespace
}  // namespace seedforge
