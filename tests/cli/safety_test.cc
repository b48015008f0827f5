// Safety under real conditions, each against the test binary's real server: a schema that does
// not match the model, refused credentials and privileges, SIGINT/SIGTERM, two seeders at once,
// a server that goes away mid-run, and SIGKILL at random moments. Every failure must be one line
// on stderr with a non-zero exit and the database as it was (or, for interruptions, whole
// batches only), and every rerun must end with exactly the rows of an uninterrupted run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::CountLines;
using testing::DefinitionsWithJournal;
using testing::Execute;
using testing::Fingerprints;
using testing::kFleetTables;
using testing::ProcessResult;
using testing::PublicTables;
using testing::QueryInt;
using testing::QueryValue;
using testing::RunSeedforge;
using testing::TestCluster;
using testing::WaitForOtherSessionsToEnd;
using testing::WithUser;

std::vector<std::string> Seed(const std::string& url, std::vector<std::string> extra) {
  std::vector<std::string> args = {"seed", "--db", url, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Creates a login role once per test binary (roles belong to the whole cluster).
void EnsureRole(const std::string& role, const std::string& extra = "") {
  Execute(TestCluster::Get().AdminUrl(),
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role +
              "') THEN CREATE ROLE " + role + " LOGIN " + extra + "; END IF; END $$");
}

// A database seeded with the default profile, and one left as the model's empty schema.
std::string SeededDatabase(const std::string& prefix) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  const ProcessResult result = RunSeedforge(Seed(url, {}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return url;
}

// --- Schema compatibility --------------------------------------------------------------------

struct Incompatible {
  std::string name;
  std::string alter;    // run on a seeded database
  std::string message;  // the whole error line after "seedforge: error: "
};

class IncompatibleSchema : public ::testing::TestWithParam<Incompatible> {};

TEST_P(IncompatibleSchema, StopsBeforeChangingAnythingAndNamesTableAndColumn) {
  const std::string url = SeededDatabase("schema_" + GetParam().name);
  Execute(url, GetParam().alter);
  const auto before = Fingerprints(url);
  const std::string definitions = DefinitionsWithJournal(url);
  for (const char* mode : {"--connections=1", "--connections=2"}) {
    const ProcessResult result =
        RunSeedforge(Seed(url, {mode, "--rows", "events=500", "--rows", "assets=300"}));
    EXPECT_EQ(result.exit_code, 2) << result.err;  // bad input: the table does not take the rows
    EXPECT_EQ(result.err, "seedforge: error: " + GetParam().message + "\n");
  }
  EXPECT_EQ(Fingerprints(url), before);
  EXPECT_EQ(DefinitionsWithJournal(url), definitions);
}

INSTANTIATE_TEST_SUITE_P(
    Safety, IncompatibleSchema,
    ::testing::Values(
        Incompatible{"wrong_type", "ALTER TABLE assets ALTER COLUMN ip_address TYPE cidr",
                     "table assets: column ip_address is cidr, seedforge writes inet"},
        Incompatible{"missing", "ALTER TABLE users DROP COLUMN email",
                     "table users: column email is missing"},
        Incompatible{"numeric_scale",
                     "ALTER TABLE applications ALTER COLUMN package_size_mb TYPE numeric(12,0)",
                     "table applications: column package_size_mb is numeric(12,0), generator "
                     "'lognormal' writes numbers of 5 integer and 2 fraction digits"},
        Incompatible{"not_null_extra",
                     "ALTER TABLE events ADD COLUMN tenant_id bigint NOT NULL DEFAULT 1; ALTER "
                     "TABLE events ALTER COLUMN tenant_id DROP DEFAULT",
                     "table events: column tenant_id is NOT NULL without a default, and "
                     "seedforge does not write it"},
        Incompatible{"not_null_where_model_writes_null",
                     "UPDATE assets SET owner_id = 1 WHERE owner_id IS NULL; ALTER TABLE assets "
                     "ALTER COLUMN owner_id SET NOT NULL",
                     "table assets: column owner_id is NOT NULL, seedforge writes NULLs in it"}),
    [](const ::testing::TestParamInfo<Incompatible>& param) { return param.param.name; });

TEST(Safety, IncompatibleEmptyTableIsRefusedBeforeAnyTableIsCreated) {
  const std::string url = TestCluster::Get().CreateDatabase("schema_fresh");
  Execute(url, "CREATE TABLE assets (id bigint PRIMARY KEY, ip_address text)");
  const ProcessResult result = RunSeedforge(Seed(url, {}));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: table assets: column asset_tag is missing\n");
  EXPECT_EQ(PublicTables(url), 1);
}

TEST(Safety, ExtraColumnsWithDefaultsOrNullableAreFine) {
  const std::string url = SeededDatabase("schema_extra");
  const std::string clean = SeededDatabase("schema_extra_clean");
  Execute(url,
          "ALTER TABLE events ADD COLUMN tenant_id bigint NOT NULL DEFAULT 7; "
          "ALTER TABLE events ADD COLUMN note text; "
          "ALTER TABLE applications ALTER COLUMN package_size_mb TYPE numeric(14,2)");
  for (const std::string& target : {url, clean}) {
    const ProcessResult result = RunSeedforge(Seed(target, {"--rows", "events=700"}));
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events WHERE tenant_id = 7 AND note IS NULL"), 700);
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(string_agg((id, asset_id, user_id, deployment_id, event_type, "
                       "severity, occurred_at, payload)::text, ',' ORDER BY id)) FROM events"),
            QueryValue(clean,
                       "SELECT md5(string_agg((id, asset_id, user_id, deployment_id, event_type, "
                       "severity, occurred_at, payload)::text, ',' ORDER BY id)) FROM events"));
}

// --- Credentials, databases, privileges -----------------------------------------------------

// Requires a password for `role` over TCP from 127.0.0.1: the test cluster trusts everyone, so
// put a scram-sha-256 line in front of its pg_hba.conf (the file belongs to the server, which
// this process may write because it runs as the server's user or as root) and reload.
void RequirePasswordFor(const std::string& role) {
  const std::string admin = TestCluster::Get().AdminUrl();
  const std::string hba = QueryValue(admin, "SHOW hba_file");
  const std::string line = "host all " + role + " 127.0.0.1/32 scram-sha-256\n";
  const std::string text = testing::ReadFile(hba);
  ASSERT_FALSE(text.empty()) << "cannot read " << hba;
  if (text.find(line) == std::string::npos) {
    std::ofstream(hba, std::ios::trunc) << line << text;
    ASSERT_EQ(QueryValue(admin, "SELECT pg_reload_conf()"), "t");
  }
  ASSERT_EQ(QueryInt(admin, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"), 0);
}

TEST(Safety, WrongPasswordIsOneLineWithoutThePasswordAndChangesNothing) {
  EnsureRole("pwuser", "PASSWORD 'right-horse-battery'");
  RequirePasswordFor("pwuser");
  const std::string url = TestCluster::Get().CreateDatabase("wrong_password");
  const std::string db = QueryValue(url, "SELECT current_database()");
  const std::string port = std::to_string(TestCluster::Get().port());
  // The right password gets in, so the refusal below is about the password.
  EXPECT_EQ(QueryValue("postgresql://pwuser:right-horse-battery@127.0.0.1:" + port + "/" + db,
                       "SELECT current_user"),
            "pwuser");
  const std::string uri = "postgresql://pwuser:wrong-secret-77@127.0.0.1:" + port + "/" + db;
  const std::string keywords =
      "host=127.0.0.1 port=" + port + " dbname=" + db + " user=pwuser password=wrong-secret-77";
  for (const std::string& conninfo : {uri, keywords}) {
    const ProcessResult result = RunSeedforge({"seed", "--db", conninfo});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_EQ(result.err.rfind("seedforge: error: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find("password authentication failed for user \"pwuser\""),
              std::string::npos)
        << result.err;
    EXPECT_EQ(result.err.find("wrong-secret-77"), std::string::npos) << result.err;
    EXPECT_EQ(result.out.find("wrong-secret-77"), std::string::npos) << result.out;
  }
  // From the environment, as DATABASE_URL and PGPASSWORD.
  const ProcessResult from_env =
      RunSeedforge({"seed"}, {{"DATABASE_URL", "postgresql://pwuser@127.0.0.1:" + port + "/" + db},
                              {"PGPASSWORD", "wrong-secret-77"}});
  EXPECT_EQ(from_env.exit_code, 1) << from_env.err;
  EXPECT_EQ(CountLines(from_env.err), 1) << from_env.err;
  EXPECT_EQ(from_env.err.find("wrong-secret-77"), std::string::npos) << from_env.err;
  EXPECT_EQ(PublicTables(url), 0);
}

TEST(Safety, MissingDatabaseIsOneLineWithExitCodeTwo) {
  const std::string url = TestCluster::Get().CreateDatabase("present");
  const std::string missing = url.substr(0, url.find('@') + 2) + "nope" + url.substr(url.find('?'));
  const ProcessResult result = RunSeedforge({"seed", "--db", missing});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("database \"nope\" does not exist"), std::string::npos) << result.err;
  EXPECT_EQ(QueryInt(TestCluster::Get().AdminUrl(),
                     "SELECT count(*) FROM pg_database WHERE datname = 'nope'"),
            0);
}

TEST(Safety, RoleWithoutInsertPrivilegeIsRefusedNamingTheTable) {
  EnsureRole("reader");
  const std::string url = SeededDatabase("no_insert");
  Execute(url, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader");
  const auto before = Fingerprints(url);
  const ProcessResult result =
      RunSeedforge(Seed(WithUser(url, "reader"), {"--rows", "events=400"}));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: table events: role reader has no INSERT privilege on it\n");
  EXPECT_EQ(Fingerprints(url), before);

  // With INSERT but not the right to move the id sequence past the new rows: refused up front.
  Execute(url, "GRANT INSERT ON events TO reader");
  const ProcessResult no_sequence =
      RunSeedforge(Seed(WithUser(url, "reader"), {"--rows", "events=400"}));
  EXPECT_EQ(no_sequence.exit_code, 1) << no_sequence.err;
  EXPECT_EQ(no_sequence.err,
            "seedforge: error: table events: role reader needs SELECT and UPDATE on sequence "
            "public.events_id_seq to move it past the generated ids\n");
  EXPECT_EQ(Fingerprints(url), before);

  // With both, a role that owns nothing tops up by appending (no DDL on other roles' tables).
  Execute(url, "GRANT SELECT, UPDATE ON SEQUENCE events_id_seq TO reader");
  const std::string clean = SeededDatabase("no_insert_clean");
  const ProcessResult appended =
      RunSeedforge(Seed(WithUser(url, "reader"), {"--rows", "events=400"}));
  ASSERT_EQ(appended.exit_code, 0) << appended.err;
  ASSERT_EQ(RunSeedforge(Seed(clean, {"--rows", "events=400"})).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(clean));
}

TEST(Safety, RoleWithoutCreatePrivilegeIsRefusedNamingTheSchema) {
  EnsureRole("nocreate");
  const std::string url = TestCluster::Get().CreateDatabase("no_create");
  Execute(url, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  const ProcessResult result = RunSeedforge({"seed", "--db", WithUser(url, "nocreate")});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: schema public: role nocreate has no CREATE privilege, needed to "
            "create table users\n");
  EXPECT_EQ(PublicTables(url), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

// --- Interruptions -------------------------------------------------------------------------

// Interrupts at failpoints (core/failpoint.h): the process sends itself the signal exactly there.
TEST(Safety, SigintAfterTheSixthAppendBatchKeepsExactlySixBatchesWithASummaryAndExit130) {
  const std::string url = SeededDatabase("sigint_append");
  const std::string clean = SeededDatabase("sigint_append_clean");
  const std::vector<std::string> top_up = {"--batch-size", "500",           "--rows",
                                           "events=60000", "--append-mode", "batch"};
  const ProcessResult result = RunSeedforge(
      Seed(url, top_up), {{"SEEDFORGE_FAILPOINTS", "sink.batch_committed:events@6=sigint"}});
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("seedforge: interrupted; whole batches already committed are kept"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("events"), std::string::npos) << result.err;  // the summary
  EXPECT_EQ(result.err.substr(result.err.rfind("seedforge: ")), "seedforge: error: interrupted\n");
  WaitForOtherSessionsToEnd(url);
  // The batches in flight when the signal came are dropped: exactly six were committed.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100 + 6 * 500);
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM events"), 100 + 6 * 500);
  ASSERT_EQ(RunSeedforge(Seed(url, top_up)).exit_code, 0);
  ASSERT_EQ(RunSeedforge(Seed(clean, top_up)).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(clean));
}

TEST(Safety, SigtermDuringParallelBulkLoadRollsBackTablesInFlightAndExits143) {
  const std::string clean = TestCluster::Get().CreateDatabase("sigterm_bulk_clean");
  ASSERT_EQ(RunSeedforge(Seed(clean, {"--profile", "large"})).exit_code, 0);
  const std::string expected_definitions = DefinitionsWithJournal(clean);
  const int64_t targets[] = {1000, 5000, 50000, 10000, 100000};
  const std::string url = TestCluster::Get().CreateDatabase("sigterm_bulk");
  // SIGTERM while events, the largest table, is being copied (its 3rd batch is on the wire).
  const ProcessResult result =
      RunSeedforge({"seed", "--db", url, "--profile", "large", "--connections", "2"},
                   {{"SEEDFORGE_FAILPOINTS", "sink.bulk_batch_sent:events@3=sigterm"}});
  EXPECT_EQ(result.exit_code, 143) << result.err;
  EXPECT_NE(result.err.find("seedforge: interrupted"), std::string::npos) << result.err;
  WaitForOtherSessionsToEnd(url);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 0);  // in flight: rolled back
  for (int t = 0; t < 5; ++t) {
    const int64_t count = QueryInt(url, std::string("SELECT count(*) FROM ") + kFleetTables[t]);
    EXPECT_TRUE(count == 0 || count == targets[t]) << kFleetTables[t] << " has " << count;
  }
  EXPECT_EQ(DefinitionsWithJournal(url), expected_definitions);
  ASSERT_EQ(RunSeedforge(Seed(url, {"--profile", "large"})).exit_code, 0);
  EXPECT_EQ(DefinitionsWithJournal(url), expected_definitions);
  EXPECT_EQ(Fingerprints(url), Fingerprints(clean));
}

// --- Two seeders ------------------------------------------------------------------------------

// The waiting notice of a run that finds the advisory lock taken.
std::string WaitingLine(const std::string& url) {
  return "seedforge: waiting for another seedforge run on database " +
         QueryValue(url, "SELECT current_database()") + " to finish (advisory lock " +
         std::to_string(kAdvisoryLockKey) + ")\n";
}

TEST(Safety, TwoSeedsAtOnceSerialiseOnTheAdvisoryLockAndDoubleNothing) {
  const std::string url = SeededDatabase("two_seeds");
  const std::string clean = SeededDatabase("two_seeds_clean");
  const std::vector<std::string> top_up = {"--rows", "assets=5000", "--rows", "events=60000"};
  // The first run pauses right after taking the lock, before it plans; the second starts then,
  // finds the lock taken (paused there once) and waits; then the first goes on.
  testing::FailpointPauses first_pauses("two_seeds_first");
  testing::FailpointPauses second_pauses("two_seeds_second");
  ChildProcess first(Seed(url, top_up), first_pauses.Env("sink.lock_taken=pause"));
  ASSERT_TRUE(first_pauses.WaitUntilReached("sink.lock_taken", first));
  ChildProcess second(Seed(url, top_up), second_pauses.Env("sink.lock_busy=pause"));
  ASSERT_TRUE(second_pauses.WaitUntilReached("sink.lock_busy", second));
  second_pauses.Resume("sink.lock_busy");
  first_pauses.Resume("sink.lock_taken");
  const ProcessResult a = first.Wait();
  const ProcessResult b = second.Wait();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.err, "");
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.err, WaitingLine(url));
  // The second planned after the first had committed: it found every row and wrote none.
  ASSERT_EQ(RunSeedforge(Seed(clean, top_up)).exit_code, 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 60000);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 5000);
  EXPECT_EQ(Fingerprints(url), Fingerprints(clean));
}

TEST(Safety, SigintWhileWaitingForTheLockStopsAtOnceAndChangesNothing) {
  const std::string url = SeededDatabase("lock_sigint");
  const auto before = Fingerprints(url);
  auto holder = PgConnection::Connect(url);
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  const std::string key = std::to_string(kAdvisoryLockKey);
  ASSERT_TRUE((*holder)->Execute("SELECT pg_advisory_lock(" + key + ")").ok());
  // Ctrl-C right after the run found the lock taken; it ends although the lock is still held.
  const ProcessResult result = RunSeedforge(Seed(url, {"--rows", "events=5000"}),
                                            {{"SEEDFORGE_FAILPOINTS", "sink.lock_busy=sigint"}});
  EXPECT_EQ(result.exit_code, 130) << result.err;
  // The notice, the (empty) summary of an interrupted run, and the error line.
  EXPECT_EQ(result.err.rfind(WaitingLine(url) +
                                 "seedforge: interrupted; whole batches already committed are "
                                 "kept:\n",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(result.err.substr(result.err.rfind("seedforge: ")),
            "seedforge: error: interrupted while waiting for another seedforge run\n");
  EXPECT_EQ(Fingerprints(url), before);
  ASSERT_TRUE((*holder)->Execute("SELECT pg_advisory_unlock(" + key + ")").ok());
}

TEST(Safety, LockTimeoutGivesUpWithOneClearLineWhileAnotherRunHoldsTheLock) {
  const std::string url = TestCluster::Get().CreateDatabase("lock_timeout");
  auto holder = PgConnection::Connect(url);
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  const std::string key = std::to_string(kAdvisoryLockKey);
  ASSERT_TRUE((*holder)->Execute("SELECT pg_advisory_lock(" + key + ")").ok());
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--lock-timeout", "1"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(CountLines(result.err), 2) << result.err;  // the waiting notice, then the error
  EXPECT_NE(result.err.find("seedforge: error: gave up after 1 s waiting for another seedforge "
                            "run on this database (--lock-timeout)\n"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(PublicTables(url), 0);
}

// --- The server goes away -----------------------------------------------------------------------

TEST(Safety, ServerStoppedMidRunGivesOneLineNamingTheTableAndRerunCompletes) {
  const std::string url = SeededDatabase("server_gone");
  const std::string clean = SeededDatabase("server_gone_clean");
  const std::vector<std::string> top_up = {"--batch-size",  "500",           "--rows",
                                           "events=100000", "--append-mode", "batch"};
  // The run pauses after its 10th event batch; the server stops; the run goes on.
  testing::FailpointPauses pauses("server_gone");
  const std::string point = "sink.batch_committed:events";
  ProcessResult result;
  {
    ChildProcess child(Seed(url, top_up), pauses.Env(point + "@10=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    TestCluster::Get().StopServer();
    pauses.Resume(point);
    result = child.Wait();
    TestCluster::Get().StartServer();  // before any assertion, so later tests have a server
  }
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: table events: ", 0), 0u) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100 + 10 * 500);
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM events"), 100 + 10 * 500);
  ASSERT_EQ(RunSeedforge(Seed(url, top_up)).exit_code, 0);
  ASSERT_EQ(RunSeedforge(Seed(clean, top_up)).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), Fingerprints(clean));
}

// --- SIGKILL at random moments ------------------------------------------------------------------

// Checks what a SIGKILL may leave: every table a gap-free prefix of its rows, and every index and
// constraint either in place or parked in the journal.
void ExpectWholeBatchesAfterKill(const std::string& url, const std::string& definitions,
                                 const std::string& where) {
  WaitForOtherSessionsToEnd(url);
  for (const char* table : kFleetTables) {
    if (QueryValue(url, std::string("SELECT to_regclass('") + table + "') IS NOT NULL") != "t") {
      continue;
    }
    EXPECT_EQ(QueryInt(url, std::string("SELECT coalesce(max(id), 0) FROM ") + table),
              QueryInt(url, std::string("SELECT count(*) FROM ") + table))
        << table << " after a kill " << where;
  }
  if (PublicTables(url) == 5) {
    EXPECT_EQ(DefinitionsWithJournal(url), definitions) << where;
  }
}

// Four kills at randomly drawn failpoints of one load, then a rerun that must match an
// uninterrupted run. Bulk phase: two runs that load empty tables in parallel, each killed at a
// drawn point (a table's commit, its rows copied before the indexes, a batch on the wire, the
// journal). Append phase: two top-ups killed after a drawn number of event batches. The draws
// come from one seed, printed on failure; SEEDFORGE_TEST_KILL_SEED=N replays it.
TEST(Safety, SigkillAtRandomFailpointsThenRerunMatchesAnUninterruptedRun) {
  const std::vector<std::string> parents = {
      "--batch-size",      "1000",   "--rows",       "users=2000", "--rows",
      "applications=3000", "--rows", "assets=30000", "--rows",     "deployments=20000",
      "--append-mode",     "batch"};
  auto with_events = [&](int64_t events) {
    std::vector<std::string> args = parents;
    args.insert(args.end(), {"--rows", "events=" + std::to_string(events)});
    return args;
  };
  const std::string clean = TestCluster::Get().CreateDatabase("random_kill_clean");
  ASSERT_EQ(RunSeedforge(Seed(clean, with_events(60000))).exit_code, 0);
  const std::string expected_definitions = DefinitionsWithJournal(clean);

  unsigned seed = std::random_device{}();
  if (const char* replay = std::getenv("SEEDFORGE_TEST_KILL_SEED")) {
    seed = static_cast<unsigned>(std::stoul(replay));
  }
  SCOPED_TRACE("failpoints drawn with seed " + std::to_string(seed) +
               " (replay: SEEDFORGE_TEST_KILL_SEED=" + std::to_string(seed) + ")");
  std::mt19937 random(seed);
  auto draw = [&random](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  const char* const bulk_points[] = {"sink.table_committed", "sink.bulk_rows_copied",
                                     "sink.bulk_batch_sent", "sink.bulk_before_commit"};
  const std::string killed = TestCluster::Get().CreateDatabase("random_kill");
  for (int round = 0; round < 2; ++round) {
    const std::string table = kFleetTables[draw(0, 4)];
    const std::string point =
        round == 0 && draw(0, 4) == 0 ? "sink.journal_written" : bulk_points[draw(0, 3)];
    const std::string where = point == "sink.journal_written" ? point : point + ":" + table + "@1";
    const ProcessResult result =
        RunSeedforge(Seed(killed, with_events(20000)), {{"SEEDFORGE_FAILPOINTS", where + "=kill"}});
    // A point of a table that is already complete is not reached: the run then finishes.
    if (result.signal != SIGKILL) {
      EXPECT_EQ(result.exit_code, 0) << where << ": " << result.err;
    }
    ExpectWholeBatchesAfterKill(killed, expected_definitions, "at " + where);
  }
  ASSERT_EQ(RunSeedforge(Seed(killed, with_events(20000))).exit_code, 0);
  int64_t events = QueryInt(killed, "SELECT count(*) FROM events");
  ASSERT_EQ(events, 20000);
  for (int round = 0; round < 2; ++round) {
    const int batches = draw(1, 19);
    const std::string where = "sink.batch_committed:events@" + std::to_string(batches);
    const ProcessResult result =
        RunSeedforge(Seed(killed, with_events(60000)), {{"SEEDFORGE_FAILPOINTS", where + "=kill"}});
    EXPECT_EQ(result.signal, SIGKILL) << where << ": " << result.err;
    ExpectWholeBatchesAfterKill(killed, expected_definitions, "at " + where);
    events += batches * 1000;
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM events"), events) << where;
  }
  ASSERT_EQ(RunSeedforge(Seed(killed, with_events(60000))).exit_code, 0);
  EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  EXPECT_EQ(DefinitionsWithJournal(killed), expected_definitions);
  EXPECT_EQ(Fingerprints(killed), Fingerprints(clean));
}

}  // namespace
}  // namespace seedforge
