// The engine's contracts against a real PostgreSQL: exact counts, reproducible bytes whatever the
// threads, batch size, COPY format or load path, incremental top-up, nothing deleted, and the
// bulk path putting back exactly the indexes and constraints it took down.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <map>
#include <string>
#include <string_view>

#include "engine/profile.h"
#include "engine/run.h"
#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::QueryInt;
using testing::QueryValue;
using testing::TableFingerprint;
using testing::TestCluster;

// The built-in fleet's tables, in load order.
const char* const kTables[] = {"users", "applications", "assets", "deployments", "events"};
constexpr size_t kTablesInFleet = std::size(kTables);
using Targets = std::array<int64_t, kTablesInFleet>;  // per table of kTables

struct SeedSettings {
  int threads = 2;
  int64_t batch_rows = 10000;
  Format format = Format::kCopyBinary;
  bool bulk = true;
  int connections = 2;  // > 1: empty tables load in parallel, foreign keys parked in the journal
  const std::atomic<bool>* cancel = nullptr;
  StatusCode expected = StatusCode::kOk;
};

// The index of table `name` in the profile's schemas(); fails the test when it has none.
size_t TableIndex(const Profile& profile, std::string_view name) {
  const int table = profile.FindTable(name);
  EXPECT_GE(table, 0) << "no table " << name;
  return table < 0 ? 0 : static_cast<size_t>(table);
}

// The `default` profile with the targets `rows` (in kTables order) and `seed`.
Profile MakeProfile(const Targets& rows, uint64_t seed = 42) {
  auto profile = LoadProfile("default");
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->schemas().size(), kTablesInFleet);
  profile->seed = seed;
  for (size_t i = 0; i < kTablesInFleet; ++i)
    profile->rows[TableIndex(*profile, kTables[i])] = rows[i];
  return *profile;
}

// The report of table `name`.
const TableReport& ReportOf(const RunReport& report, std::string_view name) {
  for (const TableReport& table : report.tables) {
    if (table.table == name) return table;
  }
  ADD_FAILURE() << "no report of table " << name;
  static const TableReport kNone;
  return kNone;
}

RunReport Seed(const std::string& url, const Profile& profile, SeedSettings settings = {}) {
  auto connection = PgConnection::Connect(url);
  EXPECT_TRUE(connection.ok()) << connection.status().message();
  PostgresSinkOptions sink_options;
  sink_options.bulk_load_empty_tables = settings.bulk;
  if (settings.connections > 1) sink_options.worker_conninfo = url;
  auto sink = MakePostgresSink(connection->get(), settings.format, sink_options);
  RunOptions options;
  options.pipeline.threads = settings.threads;
  options.pipeline.batch_rows = settings.batch_rows;
  options.pipeline.cancel = settings.cancel;
  options.format = settings.format;
  options.parallel_tables = settings.connections;
  RunReport report;
  const Status status = RunProfile(profile, *sink, options, &report);
  EXPECT_EQ(status.code(), settings.expected) << status.message();
  return report;
}

std::map<std::string, std::string> Fingerprints(const std::string& url) {
  std::map<std::string, std::string> out;
  for (const char* table : kTables) out[table] = TableFingerprint(url, table);
  return out;
}

// Every index and constraint definition of the five tables, sorted, one per line.
std::string SchemaDefinitions(const std::string& url) {
  return QueryValue(
      url,
      "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
      " SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' "
      "  || convalidated AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
      " UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index"
      "  WHERE indrelid::regclass::text IN ('users','applications','assets','deployments',"
      "  'events')) s");
}

const Targets kMedium = {200, 300, 3000, 1000, 5000};

TEST(Seeding, DefaultProfileReachesExactTargetsAndMovesIdentityPastLargestId) {
  const std::string url = TestCluster::Get().CreateDatabase("exact");
  const RunReport report = Seed(url, *LoadProfile("default"));
  EXPECT_TRUE(report.completed);
  const int64_t expected[] = {5, 10, 100, 20, 100};
  for (size_t i = 0; i < kTablesInFleet; ++i) {
    EXPECT_EQ(QueryInt(url, std::string("SELECT count(*) FROM ") + kTables[i]), expected[i]);
    EXPECT_EQ(QueryInt(url, std::string("SELECT max(id) FROM ") + kTables[i]), expected[i]);
    EXPECT_EQ(ReportOf(report, kTables[i]).written, expected[i]);
  }
  // The application's own insert gets the next id instead of colliding with generated rows.
  EXPECT_EQ(QueryInt(url,
                     "INSERT INTO users (username, email, full_name, department, role, "
                     "is_active, created_at) VALUES ('app', 'app@x', 'App', 'IT', 'admin', true, "
                     "now()) RETURNING id"),
            6);
}

TEST(Seeding, RowsAreIdenticalWhateverTheThreadsAndBatchSize) {
  const std::string one = TestCluster::Get().CreateDatabase("threads1");
  const std::string two = TestCluster::Get().CreateDatabase("threads2");
  Seed(one, MakeProfile(kMedium), {.threads = 1, .batch_rows = 997});
  Seed(two, MakeProfile(kMedium), {.threads = 2, .batch_rows = 4096});
  EXPECT_EQ(Fingerprints(one), Fingerprints(two));
}

TEST(Seeding, TextAndBinaryCopyLoadIdenticalTables) {
  const std::string text = TestCluster::Get().CreateDatabase("text");
  const std::string binary = TestCluster::Get().CreateDatabase("binary");
  Seed(text, MakeProfile(kMedium), {.format = Format::kCopyText, .bulk = false});
  Seed(binary, MakeProfile(kMedium), {.format = Format::kCopyBinary});
  EXPECT_EQ(Fingerprints(text), Fingerprints(binary));
}

TEST(Seeding, DifferentSeedsGiveDifferentRows) {
  const std::string a = TestCluster::Get().CreateDatabase("seed_a");
  const std::string b = TestCluster::Get().CreateDatabase("seed_b");
  Seed(a, MakeProfile(kMedium, 1));
  Seed(b, MakeProfile(kMedium, 2));
  for (const char* table : kTables)
    EXPECT_NE(TableFingerprint(a, table), TableFingerprint(b, table));
}

class BulkLoad : public ::testing::TestWithParam<int> {};  // the parameter: connections

TEST_P(BulkLoad, RestoresExactlyTheIndexAndConstraintDefinitions) {
  const std::string url = TestCluster::Get().CreateDatabase("definitions");
  Seed(url, MakeProfile({0, 0, 0, 0, 0}));  // creates the schema only
  const std::string before = SchemaDefinitions(url);
  ASSERT_NE(before.find("users_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) "
                        "DEFERRABLE INITIALLY DEFERRED true"),
            std::string::npos)
      << before;
  const RunReport report = Seed(url, MakeProfile(kMedium), {.connections = GetParam()});
  for (const TableReport& table : report.tables) EXPECT_EQ(table.method, "bulk") << table.table;
  EXPECT_EQ(SchemaDefinitions(url), before);
}

TEST_P(BulkLoad, LoadsTheSameRowsAsAppending) {
  const std::string bulk = TestCluster::Get().CreateDatabase("bulk_rows");
  const std::string append = TestCluster::Get().CreateDatabase("append_rows");
  Seed(bulk, MakeProfile(kMedium), {.connections = GetParam()});
  Seed(append, MakeProfile(kMedium), {.batch_rows = 700, .bulk = false, .connections = 1});
  EXPECT_EQ(Fingerprints(bulk), Fingerprints(append));
}

INSTANTIATE_TEST_SUITE_P(Connections, BulkLoad, ::testing::Values(1, 2));

TEST(ParallelBulkLoad, InterruptedLoadPutsBackTheForeignKeysItParked) {
  const std::string reference = TestCluster::Get().CreateDatabase("journal_reference");
  Seed(reference, MakeProfile(kMedium));
  const std::string url = TestCluster::Get().CreateDatabase("journal");
  const std::atomic<bool> interrupted{true};  // as if SIGINT came right after the plan
  const RunReport report =
      Seed(url, MakeProfile(kMedium), {.cancel = &interrupted, .expected = StatusCode::kCancelled});
  EXPECT_FALSE(report.completed);
  for (const char* table : kTables) {
    EXPECT_EQ(QueryInt(url, std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  EXPECT_EQ(SchemaDefinitions(url), SchemaDefinitions(reference));
  Seed(url, MakeProfile(kMedium));
  EXPECT_EQ(Fingerprints(url), Fingerprints(reference));
}

// A killed run (no chance to clean up) leaves foreign keys in the journal: the next run, even one
// with nothing to load, restores them.
TEST(ParallelBulkLoad, ARunWithNothingToLoadStillRestoresParkedForeignKeys) {
  const std::string reference = TestCluster::Get().CreateDatabase("parked_reference");
  Seed(reference, MakeProfile(kMedium));
  const std::string url = TestCluster::Get().CreateDatabase("parked");
  const std::atomic<bool> interrupted{true};
  Seed(url, MakeProfile(kMedium), {.cancel = &interrupted, .expected = StatusCode::kCancelled});
  // Park the foreign keys as a killed parallel bulk load leaves them.
  testing::Execute(
      url,
      "INSERT INTO seedforge.pending_constraints SELECT conrelid::regclass::text, "
      "quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
      "AND connamespace = 'public'::regnamespace; "
      "DO $$ DECLARE r record; BEGIN FOR r IN SELECT conrelid::regclass AS t, conname FROM "
      "pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace LOOP "
      "EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname); END LOOP; END $$");
  ASSERT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints"), 9);
  Seed(url, MakeProfile({0, 0, 0, 0, 0}));  // writes nothing
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  EXPECT_EQ(SchemaDefinitions(url), SchemaDefinitions(reference));
}

TEST(TopUp, SameTargetTwiceWritesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("same_target");
  Seed(url, MakeProfile(kMedium));
  const auto before = Fingerprints(url);
  const RunReport again = Seed(url, MakeProfile(kMedium));
  for (const TableReport& table : again.tables) EXPECT_EQ(table.written, 0) << table.table;
  EXPECT_EQ(Fingerprints(url), before);
}

TEST(TopUp, LargerTargetAddsOnlyTheDifferenceAndKeepsEveryRowCoherent) {
  const Targets small = {50, 60, 600, 200, 1000};
  const std::string topped = TestCluster::Get().CreateDatabase("topped");
  const std::string replayed = TestCluster::Get().CreateDatabase("replayed");
  const std::string fresh = TestCluster::Get().CreateDatabase("fresh");
  Seed(topped, MakeProfile(small));
  const auto small_prints = Fingerprints(topped);
  const RunReport report = Seed(topped, MakeProfile(kMedium), {.batch_rows = 333});
  // The same history with other threads, batch sizes and connections.
  Seed(replayed, MakeProfile(small), {.threads = 1, .batch_rows = 77, .connections = 1});
  Seed(replayed, MakeProfile(kMedium), {.threads = 1, .batch_rows = 5000, .connections = 1});
  Seed(fresh, MakeProfile(kMedium));
  EXPECT_EQ(Fingerprints(topped), Fingerprints(replayed));
  for (size_t i = 0; i < kTablesInFleet; ++i) {
    const std::string table = kTables[i];
    EXPECT_EQ(ReportOf(report, table).before, small[i]);
    EXPECT_EQ(ReportOf(report, table).written, kMedium[i] - small[i]);
    EXPECT_EQ(ReportOf(report, table).method, "append");
    EXPECT_EQ(QueryInt(topped, "SELECT count(*) FROM " + table), kMedium[i]);
    // Existing rows untouched.
    const std::string old_rows = "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM " +
                                 table + " t WHERE id <= " + std::to_string(small[i]);
    EXPECT_EQ(QueryValue(topped, old_rows), small_prints.at(table)) << table;
  }
  // Users, applications and assets need nothing of their parents but ids and users' creation
  // times (a function of the index), so their new rows are exactly a fresh run's. Deployments and
  // events may refer to parents made by the first, smaller run: they recompute those parents with
  // the counts recorded for them, so they differ from a fresh run's but stay coherent.
  for (size_t i = 0; i < 3; ++i) {  // users, applications, assets
    const std::string new_rows = std::string(
                                     "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) "
                                     "FROM ") +
                                 kTables[i] + " t WHERE id > " + std::to_string(small[i]);
    EXPECT_EQ(QueryValue(topped, new_rows), QueryValue(fresh, new_rows)) << kTables[i];
    EXPECT_NE(QueryValue(topped, new_rows), "") << kTables[i];
  }
  std::vector<std::string> verify = {"verify", "--db", topped, "--profile", "default"};
  for (size_t i = 0; i < kTablesInFleet; ++i) {
    verify.push_back("--rows");
    verify.push_back(std::string(kTables[i]) + "=" + std::to_string(kMedium[i]));
  }
  const testing::ProcessResult verified = testing::RunSeedforge(verify);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST(TopUp, GrowingOnlyALeafTableEqualsAFreshRunByteForByte) {
  Targets first = kMedium;
  first[4] = 1234;  // events
  const std::string topped = TestCluster::Get().CreateDatabase("leaf");
  const std::string fresh = TestCluster::Get().CreateDatabase("leaf_fresh");
  Seed(topped, MakeProfile(first));
  Seed(topped, MakeProfile(kMedium));
  Seed(fresh, MakeProfile(kMedium));
  EXPECT_EQ(Fingerprints(topped), Fingerprints(fresh));
}

TEST(TopUp, LowerTargetDeletesNothingAndSaysSo) {
  const std::string url = TestCluster::Get().CreateDatabase("lower");
  Seed(url, *LoadProfile("default"));
  const auto before = Fingerprints(url);
  Profile lower = *LoadProfile("default");
  lower.rows[TableIndex(lower, "assets")] = 40;
  const RunReport report = Seed(url, lower);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 100);
  EXPECT_EQ(ReportOf(report, "assets").written, 0);
  EXPECT_EQ(ReportOf(report, "assets").note, "has 100 rows, above the target 40: nothing deleted");
  EXPECT_EQ(Fingerprints(url), before);
  EXPECT_NE(FormatSummary(report).find(
                "note: assets: has 100 rows, above the target 40: nothing deleted"),
            std::string::npos);
}

TEST(Seeding, RequiredParentWithoutRowsIsRefusedBeforeAnythingIsCreated) {
  const std::string url = TestCluster::Get().CreateDatabase("no_parent");
  auto connection = PgConnection::Connect(url);
  ASSERT_TRUE(connection.ok());
  auto sink = MakePostgresSink(connection->get(), Format::kCopyText, {});
  RunReport report;
  const Status status = RunProfile(MakeProfile({0, 0, 0, 10, 0}), *sink, {}, &report);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
}

}  // namespace
}  // namespace seedforge
