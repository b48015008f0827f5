// Partitioned tables (tests/schemas/init_partitioned.sql): init declares each once, through the
// partitioned table, and draws its partition key inside the partitions' bounds (a range key
// within the longest run of partitions that meet, a list key among their values; a hash key or
// a DEFAULT partition takes any value), so every generated row lands in a partition. The
// seeded rows go through the partitioned table, on the bulk path and on top-ups; verify passes,
// a SIGKILL and a rerun end with the rows a clean run gives, and what init cannot draw is one
// line, exit 2, nothing written.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::DatabaseWithSchema;
using testing::Execute;
using testing::ExpectVerifyPasses;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

// Rows per partition, "partition:count" in name order.
std::string PartitionCounts(const std::string& url, const std::string& table) {
  return QueryValue(url,
                    "SELECT string_agg(p || ':' || n, ' ' ORDER BY p) FROM (SELECT "
                    "c.relname::text AS p, (SELECT count(*) FROM " +
                        table +
                        " t WHERE t.tableoid = c.oid) AS n FROM pg_inherits i JOIN "
                        "pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" +
                        table + "'::regclass) s");
}

// Every table's rows in id order, hashed by the server.
std::string Contents(const std::string& url) {
  std::string out;
  for (const char* table : {"sensors", "readings", "orders", "ticks", "hits", "samples"}) {
    out += QueryValue(url, std::string("SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY "
                                       "id), '')) FROM ") +
                               table + " t") +
           " ";
  }
  return out;
}

TEST(InitPartitioned, KeysAreDrawnInsideThePartitionsAndSeedsGoThroughTheParent) {
  const std::string url = DatabaseWithSchema("init_partitioned", "init_partitioned.sql");
  const std::string dir = MakeTempDir("init_partitioned");
  const std::string profile = dir + "/readings.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "100", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  for (const char* line : {
           "  6 tables, 19 generated columns (4 from their type alone, listed last)\n",
           // orders_eu's own CHECK bounds every row; orders_us's own foreign key is left NULL.
           "  orders.amount: money 0.01..5000.00 (name)\n",
           "  orders.sensor_id: NULL: partition orders_us's own foreign key orders_us_sensor_fkey "
           "(init follows the partitioned table's only)\n",
           "  hits: partitioned by hash (id), rows land in any of its partitions (hits_0, "
           "hits_1)\n",
           "  orders: partitioned by list (region), rows land in orders_eu, orders_us (a choice "
           "over their values)\n",
           "  readings: partitioned by range (observed_at), rows land in readings_2024h1, "
           "readings_2024h2, observed_at in [2024-01-01T00:00:00Z, 2025-01-01T00:00:00Z); "
           "readings_2026 (not next to them) get none\n",
           "  ticks: partitioned by range (bucket), rows land in ticks_low, ticks_high\n",
           "  samples: partitioned by range (taken_at), rows land in samples_2025_01, "
           "samples_2025_02, taken_at in [2025-01-01T00:00:00Z, 2025-03-01T00:00:00Z)\n",
           "  orders.region: one of its partitions' values (partition)\n",
           "  readings.observed_at: time in [2024-01-01T00:00:00Z, 2025-01-01T00:00:00Z) "
           "(partition)\n",
           "  samples.taken_at: one time per row from 2025-01-01T00:00:00Z, inside its "
           "partitions (key, partition)\n",
       }) {
    EXPECT_NE(init.err.find(line), std::string::npos) << line << init.err;
  }
  const std::string json = ReadFile(profile);
  for (const char* member : {
           "\"region\": { \"type\": \"text\", \"gen\": \"choice\", \"values\": [\"eu\", \"uk\", "
           "\"us\"] }",
           "\"observed_at\": { \"type\": \"timestamptz\", \"gen\": \"timestamp\", \"from\": "
           "\"2024-01-01T00:00:00Z\", \"to\": \"2025-01-01T00:00:00Z\" }",
           "\"bucket\": { \"type\": \"integer\", \"gen\": \"uniform\", \"min\": 0, \"max\": 199, "
           "\"step\": 1 }",
       }) {
    EXPECT_NE(json.find(member), std::string::npos) << member << json;
  }
  // No partition is declared: the rows go through the partitioned tables.
  EXPECT_EQ(json.find("readings_2024h1"), std::string::npos) << json;

  for (const char* size : {"1", "4"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", size, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    const int64_t rows = 100 * std::stoi(size);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), rows);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM hits"), rows);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM readings_2026"), 0);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM readings WHERE observed_at < '2024-01-01' OR "
                       "observed_at >= '2025-01-01'"),
              0);
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM readings_2024h1"), 0);
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM readings_2024h2"), 0);
    EXPECT_EQ(QueryValue(url, "SELECT string_agg(DISTINCT region, ' ') FROM orders"), "eu uk us");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders_us WHERE region <> 'us'"), 0);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM ticks WHERE bucket NOT BETWEEN 0 AND 199"), 0);
    // The partitions' indexes, keys and foreign keys are all back after the bulk load.
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = "
                       "i.indrelid WHERE h.inhparent = 'readings'::regclass AND i.indisvalid"),
              6);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conname = "
                       "'readings_sensor_id_fkey'"),
              4);  // the partitioned table's and its three partitions'
    ExpectVerifyPasses(url, profile, {"--scale", size});
  }
  EXPECT_EQ(PartitionCounts(url, "orders").find("orders_eu:"), 0u);

  const ProcessResult again = Sf({"init", "--db", url, "--rows", "100", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::string expected = json;
  expected.replace(expected.find("\"name\": \"readings\""), 18, "\"name\": \"inferred\"");
  EXPECT_EQ(again.out, expected);
  RemoveTree(dir);
}

TEST(InitPartitioned, AKilledBulkLoadOfAPartitionedTableEndsLikeACleanRunOnRerun) {
  const std::string killed = DatabaseWithSchema("init_partitioned_kill", "init_partitioned.sql");
  const std::string clean = DatabaseWithSchema("init_partitioned_clean", "init_partitioned.sql");
  const std::string dir = MakeTempDir("init_partitioned_kill");
  const std::string profile = dir + "/p.json";
  ASSERT_EQ(Sf({"init", "--db", clean, "--rows", "300", "--out", profile}).exit_code, 0);
  {
    // Killed with the readings copied into their partitions, before the keys come back.
    FailpointPauses pauses("init_partitioned_kill");
    const std::string point = "sink.bulk_rows_copied:readings";
    ChildProcess child({"seed", "--db", killed, "--profile", profile, "--quiet"},
                       pauses.Env(point + "=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().exit_code, -1);
  }
  ASSERT_EQ(Sf({"seed", "--db", killed, "--profile", profile, "--quiet"}).exit_code, 0);
  ASSERT_EQ(Sf({"seed", "--db", clean, "--profile", profile, "--quiet"}).exit_code, 0);
  EXPECT_EQ(Contents(killed), Contents(clean));
  EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM readings"),
            QueryInt(clean, "SELECT count(*) FROM readings"));
  ExpectVerifyPasses(killed, profile);
  // A top-up of both (the append path, through the partitioned tables) stays equal.
  for (const std::string& url : {killed, clean}) {
    ASSERT_EQ(Sf({"seed", "--db", url, "--profile", profile, "--scale", "2", "--quiet"}).exit_code,
              0);
  }
  EXPECT_EQ(Contents(killed), Contents(clean));
  EXPECT_EQ(QueryInt(clean, "SELECT count(*) FROM orders"), 600);
  RemoveTree(dir);
}

TEST(InitPartitioned, APartitionKeyInitCannotDrawIsOneLineAndNothingWritten) {
  const std::string url = DatabaseWithSchema("init_partitioned_bad", "init_partitioned.sql");
  const std::string dir = MakeTempDir("init_partitioned_bad");
  const std::string profile = dir + "/p.json";
  struct Case {
    const char* ddl;
    const char* table;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"CREATE TABLE empty_p (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
       "empty_p",
       "seedforge: error: table public.empty_p is partitioned and has no partitions: its rows "
       "would have nowhere to go (exclude the table with --exclude empty_p)\n"},
      {"CREATE TABLE pair_p (id bigint, a integer, b integer, PRIMARY KEY (id, a, b)) PARTITION "
       "BY RANGE (a, b); CREATE TABLE pair_p1 PARTITION OF pair_p FOR VALUES FROM (0, 0) TO (10, "
       "10)",
       "pair_p",
       "seedforge: error: table public.pair_p is partitioned by range on an expression or "
       "several columns, without a DEFAULT partition; init draws the key of one column only "
       "(exclude the table with --exclude pair_p)\n"},
      {"CREATE TABLE by_id (id bigint PRIMARY KEY, v text) PARTITION BY RANGE (id); CREATE TABLE "
       "by_id_1 PARTITION OF by_id FOR VALUES FROM (1) TO (1000)",
       "by_id",
       "seedforge: error: table public.by_id is partitioned by range on its id id, without a "
       "DEFAULT partition; the engine numbers ids from 1 whatever the partitions hold (exclude "
       "the table with --exclude by_id)\n"},
      {"CREATE TABLE nested (id bigint, y integer, PRIMARY KEY (id, y)) PARTITION BY RANGE (y); "
       "CREATE TABLE nested_2024 PARTITION OF nested FOR VALUES FROM (2024) TO (2025) PARTITION "
       "BY LIST (y)",
       "nested",
       "seedforge: error: table public.nested: partition nested_2024 is itself partitioned; init "
       "reads one level of partitions (exclude the table with --exclude nested)\n"},
  };
  // A partition's own constraints init does not keep (Execute's DDL is undone by the DROP).
  const std::vector<Case> own = {
      {"ALTER TABLE orders_us ADD CONSTRAINT orders_us_placed_key UNIQUE (placed_on)", "orders_us",
       "seedforge: error: table public.orders: partition orders_us has its own unique key "
       "orders_us_placed_key; init keeps the keys of the partitioned table only (exclude the "
       "table with --exclude orders)\n"},
      {"ALTER TABLE orders_eu ADD CONSTRAINT orders_eu_placed_fkey FOREIGN KEY (id) REFERENCES "
       "hits (id)",
       "orders_eu",
       "seedforge: error: table public.orders: partition orders_eu has its own foreign key "
       "orders_eu_placed_fkey (id), NOT NULL; init follows the partitioned table's only "
       "(exclude the table with --exclude orders)\n"},
  };
  for (const Case& c : own) {
    Execute(url, c.ddl);
    const ProcessResult refused = Sf({"init", "--db", url, "--out", profile});
    EXPECT_EQ(refused.exit_code, 2) << c.table;
    EXPECT_EQ(refused.err, c.error);
    EXPECT_FALSE(std::filesystem::exists(profile)) << c.table;
    const std::string name = std::string(c.ddl).substr(std::string(c.ddl).find("CONSTRAINT ") + 11);
    Execute(url, std::string("ALTER TABLE ") + c.table + " DROP CONSTRAINT " +
                     name.substr(0, name.find(' ')));
  }
  for (const Case& c : cases) {
    Execute(url, c.ddl);
    const ProcessResult refused = Sf({"init", "--db", url, "--out", profile});
    EXPECT_EQ(refused.exit_code, 2) << c.table;
    EXPECT_EQ(refused.out, "");
    EXPECT_EQ(refused.err, c.error);
    EXPECT_FALSE(std::filesystem::exists(profile)) << c.table;
    Execute(url, std::string("DROP TABLE ") + c.table);
  }
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM readings"), 0);
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
