// Safety under real conditions, each against the test binary's real server: a schema that does
// not match the model, refused credentials and privileges, SIGINT/SIGTERM, two seeders at once,
// a server that goes away mid-run, and SIGKILL at random moments. Every failure must be one line
// on stderr with a non-zero exit and the database as it was (or, for interruptions, whole
// batches only), and every rerun must end with exactly the rows of an uninterrupted run.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sinks/pg_connection.h"
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
using testing::WaitForCount;
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
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(result.err, "seedforge: error: " + GetParam().message + "\n");
  }
  EXPECT_EQ(Fingerprints(url), before);
  EXPECT_EQ(DefinitionsWithJournal(url), definitions);
}

INSTANTIATE_TEST_SUITE_P(
    Safety, IncompatibleSchema,
    ::testing::Values(
        Incompatible{"wrong_type", "ALTER TABLE assets ALTER COLUMN ip_address TYPE text",
                     "table assets: column ip_address is text, seedforge writes inet"},
        Incompatible{"missing", "ALTER TABLE users DROP COLUMN email",
                     "table users: column email is missing"},
        Incompatible{"numeric_scale",
                     "ALTER TABLE applications ALTER COLUMN package_size_mb TYPE numeric(12,0)",
                     "table applications: column package_size_mb is numeric(12,0), seedforge "
                     "writes numeric(12,2)"},
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
  EXPECT_EQ(result.exit_code, 1) << result.err;
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

TEST(Safety, SigintWhileAppendingStopsAfterWholeBatchesWithASummaryAndExit130) {
  const std::string url = SeededDatabase("sigint_append");
  const std::string clean = SeededDatabase("sigint_append_clean");
  const std::vector<std::string> top_up = {"--batch-size", "500", "--rows", "events=60000"};
  ChildProcess child(Seed(url, top_up));
  WaitForCount(url, "SELECT count(*) FROM events", 100 + 3000, child);
  ASSERT_TRUE(child.Running()) << "the run finished before it could be interrupted";
  child.Signal(SIGINT);
  const ProcessResult result = child.Wait();
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("seedforge: interrupted; whole batches already committed are kept"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("events"), std::string::npos) << result.err;  // the summary
  EXPECT_EQ(result.err.substr(result.err.rfind("seedforge: ")), "seedforge: error: interrupted\n");
  WaitForOtherSessionsToEnd(url);
  const int64_t events = QueryInt(url, "SELECT count(*) FROM events");
  EXPECT_LT(events, 60000);
  EXPECT_EQ((events - 100) % 500, 0) << events;
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM events"), events);
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
  ChildProcess child({"seed", "--db", url, "--profile", "large", "--connections", "2"});
  // Interrupt once the schema exists, while the first tables are loading.
  WaitForCount(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", 5, child);
  ASSERT_TRUE(child.Running()) << "the run finished before it could be interrupted";
  child.Signal(SIGTERM);
  const ProcessResult result = child.Wait();
  EXPECT_EQ(result.exit_code, 143) << result.err;
  EXPECT_NE(result.err.find("seedforge: interrupted"), std::string::npos) << result.err;
  WaitForOtherSessionsToEnd(url);
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

TEST(Safety, TwoSeedsAtOnceSerialiseOnTheAdvisoryLockAndDoubleNothing) {
  const std::string url = SeededDatabase("two_seeds");
  const std::string clean = SeededDatabase("two_seeds_clean");
  const std::vector<std::string> top_up = {"--rows", "assets=5000", "--rows", "events=60000"};
  // Hold the lock so that both start while it is taken, then let them race for it.
  auto holder = PgConnection::Connect(url);
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  const std::string key = std::to_string(kAdvisoryLockKey);
  ASSERT_TRUE((*holder)->Execute("SELECT pg_advisory_lock(" + key + ")").ok());
  ChildProcess first(Seed(url, top_up));
  ChildProcess second(Seed(url, top_up));
  // A waiting run polls pg_try_advisory_lock, so it shows as a session whose last query is that.
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE "
      "'SELECT pg_try_advisory_lock(%'";
  for (int i = 0; i < 5000 && QueryInt(url, waiting) < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(QueryInt(url, waiting), 2);
  ASSERT_TRUE((*holder)->Execute("SELECT pg_advisory_unlock(" + key + ")").ok());
  const ProcessResult a = first.Wait();
  const ProcessResult b = second.Wait();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  for (const ProcessResult* result : {&a, &b}) {
    EXPECT_EQ(result->err, "seedforge: waiting for another seedforge run on database " +
                               QueryValue(url, "SELECT current_database()") +
                               " to finish (advisory lock " + key + ")\n");
  }
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
  ChildProcess child(Seed(url, {"--rows", "events=5000"}));
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE "
      "'SELECT pg_try_advisory_lock(%'";
  for (int i = 0; i < 5000 && QueryInt(url, waiting) < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(QueryInt(url, waiting), 1);
  child.Signal(SIGINT);
  const ProcessResult result = child.Wait();  // returns although the lock is still held
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(
      result.err.find("seedforge: error: interrupted while waiting for another seedforge run\n"),
      std::string::npos)
      << result.err;
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
  const std::vector<std::string> top_up = {"--batch-size", "500", "--rows", "events=100000"};
  ProcessResult result;
  {
    ChildProcess child(Seed(url, top_up));
    WaitForCount(url, "SELECT count(*) FROM events", 100 + 5000, child);
    ASSERT_TRUE(child.Running()) << "the run finished before the server could be stopped";
    TestCluster::Get().StopServer();
    result = child.Wait();
    TestCluster::Get().StartServer();  // before any assertion, so later tests have a server
  }
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: table events: ", 0), 0u) << result.err;
  const int64_t events = QueryInt(url, "SELECT count(*) FROM events");
  EXPECT_EQ((events - 100) % 500, 0) << events;
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM events"), events);
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

// Four kills at random moments of one load, then a rerun. Bulk phase: the first runs load empty
// tables in parallel; each is killed once a randomly chosen table has committed (plus a random
// few milliseconds). Append phase: the loaded database is topped up batch by batch and killed at
// random event counts. The final rerun must match an uninterrupted run at the same targets.
TEST(Safety, SigkillAtRandomMomentsThenRerunMatchesAnUninterruptedRun) {
  const std::vector<std::string> parents = {
      "--batch-size",      "1000",   "--rows",       "users=2000", "--rows",
      "applications=3000", "--rows", "assets=30000", "--rows",     "deployments=20000"};
  auto with_events = [&](int64_t events) {
    std::vector<std::string> args = parents;
    args.insert(args.end(), {"--rows", "events=" + std::to_string(events)});
    return args;
  };
  const int64_t table_targets[] = {2000, 3000, 30000, 20000, 20000};
  const std::string clean = TestCluster::Get().CreateDatabase("random_kill_clean");
  ASSERT_EQ(RunSeedforge(Seed(clean, with_events(60000))).exit_code, 0);
  const std::string expected_definitions = DefinitionsWithJournal(clean);

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("kill points drawn with seed " + std::to_string(seed));
  std::mt19937 random(seed);
  const std::string killed = TestCluster::Get().CreateDatabase("random_kill");
  for (int round = 0; round < 2; ++round) {
    const int table = std::uniform_int_distribution<int>(0, 4)(random);
    const int extra_ms = std::uniform_int_distribution<int>(0, 20)(random);
    const std::string where = "after " + std::string(kFleetTables[table]) + " committed";
    ChildProcess child(Seed(killed, with_events(20000)));
    const std::string name = kFleetTables[table];
    WaitForCount(killed, "SELECT count(*) FROM pg_tables WHERE tablename = '" + name + "'", 1,
                 child);
    WaitForCount(killed, "SELECT count(*) FROM " + name, table_targets[table], child);
    std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms));
    child.Signal(SIGKILL);
    child.Wait();  // it may have finished first: then this round only checks a finished load
    ExpectWholeBatchesAfterKill(killed, expected_definitions, where);
  }
  ASSERT_EQ(RunSeedforge(Seed(killed, with_events(20000))).exit_code, 0);
  // Round 0 kills before 40,000 events, round 1 before 55,000: the range of round 1 stays valid
  // (its lower bound is at most about 41,000) however late round 0 struck.
  const int64_t kill_before[] = {40000, 55000};
  for (int round = 0; round < 2; ++round) {
    const int64_t kill_at = std::uniform_int_distribution<int64_t>(
        QueryInt(killed, "SELECT count(*) FROM events") + 1, kill_before[round])(random);
    ChildProcess child(Seed(killed, with_events(60000)));
    WaitForCount(killed, "SELECT count(*) FROM events", kill_at, child);
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().signal, SIGKILL)
        << "the top-up finished before " << kill_at << " events";
    ExpectWholeBatchesAfterKill(killed, expected_definitions,
                                "at " + std::to_string(kill_at) + " events");
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM events") % 1000, 0);
  }
  ASSERT_EQ(RunSeedforge(Seed(killed, with_events(60000))).exit_code, 0);
  EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  EXPECT_EQ(DefinitionsWithJournal(killed), expected_definitions);
  EXPECT_EQ(Fingerprints(killed), Fingerprints(clean));
}

}  // namespace
}  // namespace seedforge
