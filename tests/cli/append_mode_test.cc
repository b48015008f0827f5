// Top-ups of tables that hold rows (--append-mode): from 10,000 new rows (auto) a table is
// appended in one transaction and one COPY, its per-row foreign-key checks replaced by one
// anti-join per key under a SHARE lock of the referenced table, and when the new rows are at
// least as many as those present, its keys and indexes (and the foreign keys that depend on
// them) dropped in the transaction and rebuilt after the COPY. The rows are those a batch-by-
// batch top-up makes, and the keys and indexes those it leaves; a table with a trigger of its
// own keeps the server's per-row checks; a SIGKILL rolls the table's new rows (and its dropped
// indexes) back and the rerun makes them; a parent row deleted by someone else while the load
// runs fails the table, naming the key, with nothing of it kept; reads of the table are served
// meanwhile on the path that keeps the indexes, and wait for the COMMIT on the rebuilding one.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::Execute;
using testing::ExpectVerifyPasses;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::TableFingerprint;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

constexpr const char* kShop = R"json({
  "name": "shop",
  "tables": {
    "customers": {
      "rows": 50,
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "name": {"type": "text", "gen": "full_name"}
      }
    },
    "orders": {
      "rows": 10,
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "customer_id": {"type": "bigint", "gen": "ref", "to": "customers"},
        "previous_id": {"type": "bigint", "gen": "ref", "to": "orders", "earlier": true},
        "total": {"type": "numeric(10,2)", "gen": "uniform", "min": 1, "max": 500, "scale": 2}
      },
      "indexes": [["customer_id"]]
    }
  }
}
)json";

struct Shop {
  std::string dir;
  std::string profile;
};

Shop WriteShop(const std::string& prefix) {
  Shop shop{MakeTempDir(prefix), ""};
  shop.profile = shop.dir + "/shop.json";
  std::ofstream(shop.profile) << kShop;
  return shop;
}

// A database with the shop's first 50 customers and 10 orders.
std::string SeededShop(const Shop& shop, const std::string& prefix) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", shop.profile, "--quiet"});
  EXPECT_EQ(seeded.exit_code, 0) << seeded.err;
  return url;
}

// The method column of the summary's orders line.
std::string OrdersMethod(const std::string& out) {
  const size_t line = out.find("\norders ");
  const size_t end = out.find('\n', line + 1);
  const std::string text = out.substr(line + 1, end - line - 1);
  return text.substr(text.rfind(' ') + 1);
}

// The keys and indexes of the shop's tables, as the catalog prints them.
std::string Structure(const std::string& url) {
  return QueryValue(url,
                    "SELECT string_agg(d, '; ' ORDER BY d) FROM (SELECT conname || ': ' || "
                    "pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not "
                    "valid)' END AS d FROM pg_constraint WHERE conrelid IN ('orders'::regclass, "
                    "'customers'::regclass) UNION ALL SELECT indexdef FROM pg_indexes WHERE "
                    "tablename IN ('orders', 'customers')) s");
}

TEST(AppendMode, OneTransactionGivesTheRowsBatchByBatchGives) {
  const Shop shop = WriteShop("append_mode");
  const std::vector<std::string> top_up = {"--rows", "orders=20000"};
  std::vector<std::string> fingerprints;
  const std::string structure = Structure(SeededShop(shop, "append_mode_structure"));
  EXPECT_EQ(structure,
            "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id); "
            "CREATE UNIQUE INDEX customers_pkey ON public.customers USING btree (id); CREATE "
            "UNIQUE INDEX orders_pkey ON public.orders USING btree (id); customers_pkey: "
            "PRIMARY KEY (id); orders_customer_id_fkey: FOREIGN KEY (customer_id) REFERENCES "
            "customers(id); orders_pkey: PRIMARY KEY (id); orders_previous_id_fkey: FOREIGN KEY "
            "(previous_id) REFERENCES orders(id)");
  // 19,990 new rows on 10: auto rebuilds the indexes.
  for (const auto& [mode, method] :
       std::vector<std::pair<std::string, std::string>>{{"batch", "append"},
                                                        {"auto", "append-rebuild"},
                                                        {"transaction", "append-tx"},
                                                        {"rebuild", "append-rebuild"}}) {
    const std::string url = SeededShop(shop, "append_mode");
    std::vector<std::string> args = {"seed",       "--db",          url, "--profile",
                                     shop.profile, "--append-mode", mode};
    args.insert(args.end(), top_up.begin(), top_up.end());
    const ProcessResult result = Sf(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(OrdersMethod(result.out), method) << mode << "\n" << result.out;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 20000);
    EXPECT_EQ(Structure(url), structure) << mode;
    fingerprints.push_back(TableFingerprint(url, "orders"));
    ExpectVerifyPasses(url, shop.profile, top_up);
    if (mode != "auto") continue;
    // 10,000 more on 20,000: fewer than present, so the indexes are kept up to date.
    const ProcessResult more =
        Sf({"seed", "--db", url, "--profile", shop.profile, "--rows", "orders=30000"});
    ASSERT_EQ(more.exit_code, 0) << more.err;
    EXPECT_EQ(OrdersMethod(more.out), "append-tx") << more.out;
    EXPECT_EQ(Structure(url), structure);
    ExpectVerifyPasses(url, shop.profile, {"--rows", "orders=30000"});
  }
  for (size_t i = 1; i < fingerprints.size(); ++i) EXPECT_EQ(fingerprints[i], fingerprints[0]);

  // A trigger of the table's own would not fire with the checks off: the server checks every
  // row, in one transaction still, and the trigger fires on each.
  const std::string url = SeededShop(shop, "append_mode_trigger");
  Execute(url,
          "CREATE TABLE audit (n bigint); INSERT INTO audit VALUES (0); CREATE FUNCTION count_it() "
          "RETURNS trigger LANGUAGE plpgsql AS $$BEGIN UPDATE audit SET n = n + 1; RETURN NEW; "
          "END$$; CREATE TRIGGER orders_counted BEFORE INSERT ON orders FOR EACH ROW EXECUTE "
          "FUNCTION count_it()");
  std::vector<std::string> args = {"seed", "--db", url, "--profile", shop.profile};
  args.insert(args.end(), top_up.begin(), top_up.end());
  const ProcessResult checked = Sf(args);
  ASSERT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(OrdersMethod(checked.out), "append-rebuild-checked") << checked.out;
  EXPECT_EQ(QueryInt(url, "SELECT n FROM audit"), 19990);
  EXPECT_EQ(TableFingerprint(url, "orders"), fingerprints[0]);

  const ProcessResult bad =
      Sf({"seed", "--db", url, "--profile", shop.profile, "--append-mode", "sometimes"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "seedforge: error: --append-mode: expected auto, batch, transaction or rebuild, got "
            "'sometimes'\n");
  RemoveTree(shop.dir);
}

TEST(AppendMode, AKillRollsTheTablesNewRowsBackAndTheRerunMakesThem) {
  const Shop shop = WriteShop("append_mode_kill");
  const std::string killed = SeededShop(shop, "append_mode_killed");
  const std::string clean = SeededShop(shop, "append_mode_clean");
  const std::string structure = Structure(killed);
  // Killed with the rows sent, and with the keys and indexes dropped (after the COPY, before
  // they are rebuilt): the rollback brings everything back.
  for (const char* point : {"sink.append_batch_sent:orders", "sink.append_rows_copied:orders"}) {
    FailpointPauses pauses("append_mode_kill");
    ChildProcess child(
        {"seed", "--db", killed, "--profile", shop.profile, "--rows", "orders=20000", "--quiet"},
        pauses.Env(std::string(point) + "=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().exit_code, -1);
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM orders"), 10) << point;
    EXPECT_EQ(Structure(killed), structure) << point;
  }
  for (const std::string& url : {killed, clean}) {
    ASSERT_EQ(
        Sf({"seed", "--db", url, "--profile", shop.profile, "--rows", "orders=20000", "--quiet"})
            .exit_code,
        0);
  }
  EXPECT_EQ(TableFingerprint(killed, "orders"), TableFingerprint(clean, "orders"));
  ExpectVerifyPasses(killed, shop.profile, {"--rows", "orders=20000"});
  RemoveTree(shop.dir);
}

TEST(AppendMode, AParentDeletedDuringTheLoadFailsTheTableWithNothingKept) {
  const Shop shop = WriteShop("append_mode_orphan");
  const std::string url = SeededShop(shop, "append_mode_orphan");
  FailpointPauses pauses("append_mode_orphan");
  const std::string point = "sink.append_rows_copied:orders";
  ChildProcess child({"seed", "--db", url, "--profile", shop.profile, "--rows", "orders=20000",
                      "--append-mode", "transaction", "--quiet"},
                     pauses.Env(point + "=pause"));
  ASSERT_TRUE(pauses.WaitUntilReached(point, child));
  // The application's reads are served while the load holds its transaction open (a reader
  // that had to wait would hit the statement timeout): it sees the 10 committed orders.
  EXPECT_EQ(QueryInt(url + "&options=-cstatement_timeout%3D5000",
                     "SELECT count(*) FROM orders WHERE customer_id IS NOT NULL"),
            10);
  // The customers no committed order refers to: the new orders, not yet committed, do not keep
  // them (their checks are off), but 20,000 orders over 50 customers refer to every one.
  Execute(url,
          "DELETE FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id "
          "= c.id)");
  const int64_t customers = QueryInt(url, "SELECT count(*) FROM customers");
  ASSERT_LT(customers, 50);
  pauses.Resume(point);
  const ProcessResult failed = child.Wait();
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("table orders: "), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find(" new row(s) refer through foreign key orders_customer_id_fkey "
                            "(customer_id) to rows of customers that do not exist; nothing of "
                            "this table's load was kept"),
            std::string::npos)
      << failed.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 10);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM "
                     "customers c WHERE c.id = o.customer_id)"),
            0);
  RemoveTree(shop.dir);
}

// The rebuilding path holds ACCESS EXCLUSIVE on the table from the start to the COMMIT: a reader
// waits for it (here until its statement timeout), then sees every new row.
TEST(AppendMode, RebuildingTheIndexesMakesTheApplicationsReadsWaitForTheCommit) {
  const Shop shop = WriteShop("append_mode_wait");
  const std::string url = SeededShop(shop, "append_mode_wait");
  FailpointPauses pauses("append_mode_wait");
  const std::string point = "sink.append_rows_copied:orders";
  ChildProcess child({"seed", "--db", url, "--profile", shop.profile, "--rows", "orders=20000",
                      "--append-mode", "rebuild", "--quiet"},
                     pauses.Env(point + "=pause"));
  ASSERT_TRUE(pauses.WaitUntilReached(point, child));
  PGconn* reader = PQconnectdb((url + "&options=-cstatement_timeout%3D500").c_str());
  ASSERT_EQ(PQstatus(reader), CONNECTION_OK) << PQerrorMessage(reader);
  PGresult* read = PQexec(reader, "SELECT count(*) FROM orders");
  EXPECT_EQ(PQresultStatus(read), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(read, PG_DIAG_MESSAGE_PRIMARY),
               "canceling statement due to statement timeout");
  PQclear(read);
  PQfinish(reader);
  pauses.Resume(point);
  EXPECT_EQ(child.Wait().exit_code, 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 20000);
  ExpectVerifyPasses(url, shop.profile, {"--rows", "orders=20000"});
  RemoveTree(shop.dir);
}

}  // namespace
}  // namespace seedforge
