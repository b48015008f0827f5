// Profiles that declare their own tables, seeded into the tables an application's own migration
// created (tests/schemas/travelers_app.sql): the built-in `travelers` profile end to end (seed,
// verify, fixtures kept, top-up equal to a fresh seed, a kill and rerun, auto with its guard),
// and a user's own declared profile with its errors.
#include <gtest/gtest.h>

#include <algorithm>
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
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::TableFingerprint;
using testing::TestCluster;
using testing::WaitForOtherSessionsToEnd;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

// A new database holding the traveler system's tables as its migration creates them.
std::string AppDatabase(const std::string& prefix) {
  return testing::DatabaseWithSchema(prefix, "travelers_app.sql");
}

std::string Tables(const std::string& url) {
  return TableFingerprint(url, "travelers") + " " + TableFingerprint(url, "routing_steps");
}

TEST(DeclaredProfiles, TravelersSeedIntoTheAppsOwnTablesAndVerify) {
  const std::string url = AppDatabase("travelers");
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", "travelers", "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  // 197 generated travelers and the three fixtures; 1 to 12 steps for each generated one.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM travelers"), 200);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM routing_steps"), 1267);  // golden
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM (SELECT traveler_id, count(*) c, min(step_number) lo, "
                     "max(step_number) hi FROM routing_steps GROUP BY 1) s "
                     "WHERE c < 1 OR c > 12 OR lo <> 1 OR hi <> c"),
            0);
  EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT traveler_id) FROM routing_steps"), 197);
  // Steps start after their traveler was created, exactly when they are not pending.
  EXPECT_EQ(
      QueryInt(url,
               "SELECT count(*) FROM routing_steps s JOIN travelers t ON t.id = s.traveler_id "
               "WHERE (s.status = 'pending') <> (s.started_at IS NULL) "
               "OR s.started_at < t.created_at"),
      0);
  // The fixtures as the profile states them, each once.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(job_number || '|' || part_description || '|' || "
                       "work_order || '|' || part_number || '|' || revision || '|' || quantity || "
                       "'|' || coalesce(customer, '-'), E'\\n' ORDER BY job_number) FROM travelers "
                       "WHERE job_number IN ('8414L', '8744 PART', '7946L ASSYL')"),
            "7946L ASSYL|DYNACORE ASSY|23518-4|DYNACORE ASSY|A|200|ADD-ON\n"
            "8414L|METSHIFT Assembly|23114-3|METSHIFT|V0.2|250|-\n"
            "8744 PART|MAC PANEL PART|23473-3|565210-002 PART|A|19|-");
  // Generated job numbers are five digits and a letter, all distinct (the UNIQUE holds too).
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM travelers WHERE job_number !~ '^[0-9]{5}[A-Z]$' "
                     "AND job_number NOT IN ('8414L', '8744 PART', '7946L ASSYL')"),
            0);
  const ProcessResult verified = Sf({"verify", "--db", url});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verify: all "), std::string::npos) << verified.out;
  // The same target again adds nothing.
  const std::string before = Tables(url);
  ASSERT_EQ(Sf({"seed", "--db", url, "--profile", "travelers", "--quiet"}).exit_code, 0);
  EXPECT_EQ(Tables(url), before);
}

TEST(DeclaredProfiles, ATopUpKilledMidwayAndRunAgainEndsExactlyLikeOneUninterrupted) {
  // Both databases: the default 200 travelers (the fixtures take ids 198-200), then a top-up to
  // 600 whose new rows continue after them. One top-up is killed after its 2nd committed batch
  // of routing steps and run again.
  const std::string reference = AppDatabase("travelers_reference");
  const std::string grown = AppDatabase("travelers_grown");
  auto top_up = [](const std::string& url) {
    return std::vector<std::string>{
        "seed",    "--db",         url,   "--profile", "travelers", "--rows", "travelers=600",
        "--quiet", "--batch-size", "100", "--no-bulk"};
  };
  for (const std::string& url : {reference, grown}) {
    ASSERT_EQ(Sf({"seed", "--db", url, "--profile", "travelers", "--quiet"}).exit_code, 0);
  }
  ASSERT_EQ(Sf(top_up(reference)).exit_code, 0);
  ChildProcess child(top_up(grown),
                     {{"SEEDFORGE_FAILPOINTS", "sink.batch_committed:routing_steps@2=kill"},
                      {"SEEDFORGE_PROFILE", std::nullopt}});
  const ProcessResult killed = child.Wait();
  ASSERT_EQ(killed.signal, SIGKILL) << killed.err;
  WaitForOtherSessionsToEnd(grown);
  EXPECT_EQ(QueryInt(grown, "SELECT count(*) FROM travelers"), 600);
  EXPECT_EQ(QueryInt(grown, "SELECT count(*) FROM routing_steps"), 1267 + 200);
  ASSERT_EQ(Sf(top_up(grown)).exit_code, 0);
  EXPECT_EQ(QueryInt(grown, "SELECT count(*) FROM travelers"), 600);
  EXPECT_EQ(QueryInt(grown, "SELECT min(id) FROM travelers WHERE id > 200"), 201);
  EXPECT_EQ(Tables(grown), Tables(reference));
  const ProcessResult verified = Sf({"verify", "--db", grown, "--rows", "travelers=600"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST(DeclaredProfiles, AutoSeedsOnlyWithoutTravelers) {
  const std::string url = AppDatabase("travelers_auto");
  Execute(url,
          "INSERT INTO travelers (job_number, work_order, part_number, part_description, "
          "revision, quantity, status, due_date, created_at) VALUES ('APP-1', '1-1', 'P', 'D', "
          "'A', 1, 'open', '2025-01-01', '2025-01-01')");
  ProcessResult result = Sf({"auto", "--db", url, "--profile", "travelers"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM travelers"), 1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM routing_steps"), 0);
  Execute(url, "DELETE FROM travelers");
  result = Sf({"auto", "--db", url, "--profile", "travelers", "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM travelers"), 200);
}

TEST(DeclaredProfiles, AGuardWithAConditionCountsOnlyTheRowsThatAreData) {
  // An app whose start-up inserts the 8414L job itself: that row is not data, so auto seeds.
  const std::string dir = MakeTempDir("guard");
  const std::string profile = dir + "/guarded.json";
  std::ofstream(profile) << R"json({"extends": "travelers", "guard_tables": [
      {"table": "travelers", "where": "job_number <> '8414L'"}]})json";
  const std::string url = AppDatabase("travelers_guard");
  const std::string insert =
      "INSERT INTO travelers (job_number, work_order, part_number, part_description, revision, "
      "quantity, status, due_date, created_at) VALUES ('{}', '1-1', 'P', 'D', 'A', 1, 'open', "
      "'2025-01-01', '2025-01-01')";
  auto row = [&](const std::string& job) {
    std::string sql = insert;
    sql.replace(sql.find("{}"), 2, job);
    Execute(url, sql);
  };
  row("8414L");
  ProcessResult result = Sf({"auto", "--db", url, "--profile", profile});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM travelers"), 200);  // 197 + 2 fixtures + its row
  EXPECT_EQ(QueryInt(url, "SELECT quantity FROM travelers WHERE job_number = '8414L'"), 1);
  // One row of its own is data: auto leaves the database alone.
  const std::string other = AppDatabase("travelers_guard_data");
  Execute(other,
          "INSERT INTO travelers (job_number, work_order, part_number, part_description, "
          "revision, quantity, status, due_date, created_at) VALUES ('APP-1', '1-1', 'P', "
          "'D', 'A', 1, 'open', '2025-01-01', '2025-01-01')");
  result = Sf({"auto", "--db", other, "--profile", profile});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: auto: skipped, the database already has data (travelers: 1 "
            "row)\n");
  EXPECT_EQ(QueryInt(other, "SELECT count(*) FROM travelers"), 1);
  RemoveTree(dir);
}

TEST(DeclaredProfiles, StorefrontSeedsTenantsWhoseRowsReferOnlyToTheirOwnTenant) {
  // The app's first start leaves the demo tenant and its admin: not data, so auto seeds.
  const std::string url = TestCluster::Get().CreateDatabase("storefront");
  ProcessResult result =
      Sf({"seed", "--db", url, "--profile", "storefront", "--rows", "tenants=1", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryValue(url, "SELECT string_agg(subdomain, ',') FROM tenants"), "demo");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM products"), 0);
  result = Sf({"auto", "--db", url, "--profile", "storefront"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM tenants"), 9);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM tenants WHERE subdomain = 'demo'"), 1);
  // The admin fixture keeps its precomputed hash, never a plain password.
  EXPECT_EQ(QueryValue(url,
                       "SELECT left(password, 14) || ' ' || t.subdomain FROM users u JOIN "
                       "tenants t ON t.id = u.tenant_id WHERE email = "
                       "'admin@demo.example.com'"),
            "pbkdf2_sha256$ demo");
  // Every reference stays inside its tenant.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM products p JOIN categories c ON c.id = "
                     "p.category_id WHERE c.tenant_id <> p.tenant_id"),
            0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM sale_lines l JOIN sales s ON s.id = l.sale_id "
                     "JOIN products p ON p.id = l.product_id WHERE p.tenant_id <> "
                     "s.tenant_id OR l.unit_price <> p.price"),
            0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM sales s JOIN users u ON u.id = s.user_id WHERE "
                     "u.tenant_id <> s.tenant_id"),
            0);
  EXPECT_GT(QueryInt(url, "SELECT count(DISTINCT tenant_id) FROM sales"), 5);
  result = Sf({"verify", "--db", url});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  // Now there is data: auto leaves it alone.
  result = Sf({"auto", "--db", url, "--profile", "storefront"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("auto: skipped, the database already has data (tenants: 8 rows, "),
            std::string::npos)
      << result.err;
}

TEST(DeclaredProfiles, AUsersOwnProfileSeedsAndItsMistakesAreOneLineWithThePath) {
  const std::string dir = MakeTempDir("declared");
  const std::string good = dir + "/shop.json";
  std::ofstream(good) << R"json({
    "name": "shop",
    "tables": {
      "\"Customer\"": {"rows": 40, "columns": {
        "id": {"type": "integer", "gen": "id"},
        "email": {"type": "varchar(80)", "gen": "template", "format": "c{n}@example.com", "unique": true},
        "joined": {"type": "date", "gen": "date", "from": "2024-01-01", "to": "2024-12-31"}}},
      "orders": {"rows": {"per": "\"Customer\"", "min": 2, "max": 2}, "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "customer_id": {"type": "integer", "gen": "parent"},
        "line": {"type": "smallint", "gen": "index_in_parent"},
        "total": {"type": "numeric(10,2)", "gen": "uniform", "min": 1, "max": 500, "scale": 2}},
        "unique": [["customer_id", "line"]]}}
  })json";
  const std::string url = TestCluster::Get().CreateDatabase("declared_own");
  ProcessResult result = Sf({"seed", "--db", url, "--profile", good, "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"Customer\""), 40);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 80);
  EXPECT_EQ(QueryValue(url, "SELECT email FROM \"Customer\" WHERE id = 7"), "c7@example.com");
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(customer_id || ':' || line, ',' ORDER BY id) "
                       "FROM orders WHERE id <= 4"),
            "1:1,1:2,2:1,2:2");
  result = Sf({"verify", "--db", url, "--profile", good});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;

  // A profile's checks run in verify: one that counts rows fails it, naming the check. The
  // profile extends the first one, so the tables and rows are the same.
  const std::string strict = dir + "/strict.json";
  std::ofstream(strict) << R"json({"extends": "shop.json", "checks": {
      "no order above 400": "SELECT count(*) FROM orders WHERE total > 400",
      "emails are lower case": "SELECT count(*) FROM \"Customer\" WHERE email <> lower(email)"}})json";
  const int64_t above = QueryInt(url, "SELECT count(*) FROM orders WHERE total > 400");
  ASSERT_GT(above, 0);
  result = Sf({"verify", "--db", url, "--profile", strict});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL check no order above 400: " + std::to_string(above) +
                            " rows break it\n"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("FAIL check emails are lower case"), std::string::npos) << result.out;
  std::ofstream(strict)
      << R"json({"extends": "shop.json", "checks": {"x": "DELETE FROM orders"}})json";
  result = Sf({"verify", "--db", url, "--profile", strict});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + strict +
                            ": $.checks.x: expected a query (SELECT or WITH) returning the number "
                            "of rows that break the rule\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 80);

  const std::string bad = dir + "/bad.json";
  std::ofstream(bad) << R"json({"tables": {"t": {"rows": 5, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "code": {"type": "varchar(3)", "gen": "pattern", "format": "#####"}}}}})json";
  const std::string empty = TestCluster::Get().CreateDatabase("declared_bad");
  result = Sf({"seed", "--db", empty, "--profile", bad});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + bad +
                            ": $.tables.t.columns.code: column code is varchar(3), "
                            "generator 'pattern' writes up to 5 characters\n");
  EXPECT_EQ(QueryInt(empty, "SELECT count(*) FROM pg_class WHERE relname = 't'"), 0);
  RemoveTree(dir);
}

// Array columns go in by binary COPY (a bulk load) and by appends, with the element type the
// server expects in every array: built-in types' fixed OIDs, an enum's read from the database.
TEST(DeclaredProfiles, ArrayColumnsLoadInBinaryAndAppendAlike) {
  const std::string dir = MakeTempDir("arrays");
  const std::string profile = dir + "/arrays.json";
  std::ofstream(profile) << R"json({
    "types": {"mood": {"enum": ["sad", "ok", "happy"]}},
    "tables": {"notes": {"rows": 40, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "tags": {"type": "varchar(12)[]", "gen": "array", "min": 0, "max": 3, "of": {"gen": "word"}},
      "words": {"type": "text[]", "gen": "array", "min": 1, "max": 2, "of": {"gen": "word"}},
      "scores": {"type": "integer[]", "gen": "array", "min": 1, "max": 4,
                 "of": {"gen": "uniform", "min": -5, "max": 5, "step": 1}},
      "moods": {"type": "mood[]", "gen": "array", "min": 1, "max": 2, "of": {"gen": "choice"}}}}}
  })json";
  const std::string bulk = TestCluster::Get().CreateDatabase("arrays_bulk");
  const std::string append = TestCluster::Get().CreateDatabase("arrays_append");
  ProcessResult result = Sf({"seed", "--db", bulk, "--profile", profile, "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Sf({"seed", "--db", append, "--profile", profile, "--quiet", "--no-bulk"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(TableFingerprint(bulk, "notes"), TableFingerprint(append, "notes"));
  EXPECT_EQ(QueryValue(bulk,
                       "SELECT string_agg(format_type(atttypid, atttypmod), ' ' ORDER BY attnum) "
                       "FROM pg_attribute WHERE attrelid = 'notes'::regclass AND attnum > 1"),
            "character varying(12)[] text[] integer[] mood[]");
  EXPECT_EQ(QueryInt(bulk,
                     "SELECT count(*) FROM notes WHERE cardinality(words) NOT BETWEEN 1 AND 2 OR "
                     "cardinality(scores) NOT BETWEEN 1 AND 4 OR EXISTS (SELECT 1 FROM "
                     "unnest(scores) s WHERE s NOT BETWEEN -5 AND 5)"),
            0);
  EXPECT_GT(QueryInt(bulk, "SELECT count(DISTINCT m) FROM notes, unnest(moods) m"), 1);
  result = Sf({"verify", "--db", bulk, "--profile", profile});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  RemoveTree(dir);
}

// A numeric column that keeps more fraction digits than its generator makes: the server prints
// the column's scale (20.4400), and verify's fingerprint of the generated rows must too, in
// text and binary COPY, on the bulk path and on a top-up (plain numeric keeps the value's own).
TEST(DeclaredProfiles, ANumericColumnOfLargerScaleThanItsGeneratorVerifies) {
  const std::string dir = MakeTempDir("numeric_scale");
  const std::string profile = dir + "/numeric.json";
  std::ofstream(profile) << R"json({"tables": {"items": {"rows": 200, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "price": {"type": "numeric(10,4)", "gen": "uniform", "min": 1, "max": 100, "scale": 2},
      "weight": {"type": "numeric(8,3)", "gen": "normal", "mean": 50, "stddev": 5, "min": 1,
                 "max": 99, "step": 0.5, "scale": 1},
      "free": {"type": "numeric", "gen": "uniform", "min": 1, "max": 100, "scale": 2}}}}})json";
  for (const char* format : {"text", "binary"}) {
    const std::string url = TestCluster::Get().CreateDatabase("numeric_scale");
    ProcessResult result =
        Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM items WHERE price::text ~ '^[0-9]+\\.[0-9]{2}00$' "
                       "AND weight::text ~ '^[0-9]+\\.[05]00$' AND free::text ~ "
                       "'^[0-9]+\\.[0-9]{2}$'"),
              200);
    result = Sf({"verify", "--db", url, "--profile", profile});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    result = Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--rows",
                 "items=500", "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    result = Sf({"verify", "--db", url, "--profile", profile, "--rows", "items=500"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  RemoveTree(dir);
}

// money columns (and an array of them): written in cents, shown by the server in its locale's
// form, fingerprinted by verify as numbers; text and binary COPY, bulk and top-up alike.
TEST(DeclaredProfiles, MoneyColumnsLoadInTextAndBinaryAndVerify) {
  const std::string dir = MakeTempDir("money");
  const std::string profile = dir + "/money.json";
  std::ofstream(profile) << R"json({"tables": {"invoices": {"rows": 300, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "amount": {"type": "money", "gen": "lognormal", "median": 120, "sigma": 1, "min": 0.01,
                 "max": 50000, "scale": 2},
      "fee": {"type": "money", "gen": "uniform", "min": -5, "max": 5, "step": 1},
      "tips": {"type": "money[]", "gen": "array", "min": 0, "max": 2,
               "of": {"gen": "uniform", "min": 0, "max": 20, "scale": 1}}}}}})json";
  std::vector<std::string> fingerprints;
  for (const char* format : {"text", "binary"}) {
    const std::string url = TestCluster::Get().CreateDatabase("money");
    ProcessResult result =
        Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM invoices WHERE amount BETWEEN 0.01::money AND "
                       "50000::money AND fee::numeric IN (-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5) "
                       "AND cardinality(tips) <= 2 AND (SELECT bool_and(t::numeric * 10 = "
                       "round(t::numeric * 10) AND t BETWEEN 0::money AND 20::money) FROM "
                       "unnest(tips) t) IS NOT false"),
              300);
    result = Sf({"verify", "--db", url, "--profile", profile});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    result = Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--rows",
                 "invoices=12000", "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    result = Sf({"verify", "--db", url, "--profile", profile, "--rows", "invoices=12000"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    fingerprints.push_back(TableFingerprint(url, "invoices"));
  }
  EXPECT_EQ(fingerprints[0], fingerprints[1]);
  std::ofstream(profile) << R"json({"tables": {"invoices": {"rows": 3, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "amount": {"type": "money", "gen": "uniform", "min": 0, "max": 1, "scale": 3}}}}})json";
  const ProcessResult bad = Sf({"preview", "--profile", profile});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "seedforge: error: " + profile +
                         ": $.tables.invoices.columns.amount: column amount is money, generator "
                         "'uniform' writes numbers of 3 fraction digits (money keeps 2)\n");
  RemoveTree(dir);
}

TEST(DeclaredProfiles, TradingHonoursItsOwnEnvironmentNamesScalesAndVerifiesItsJsonb) {
  // auto reads the app's own variable names; the superuser fixture counts toward users.
  const std::string url = TestCluster::Get().CreateDatabase("trading");
  ProcessResult result = Sf({"auto", "--db", url, "--profile", "trading", "--quiet"},
                            {{"SEED_USER_COUNT", "80"}, {"SEED_ALGORITHM_COUNT", "30"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 80);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM trading_algorithms"), 30);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM agent_sessions"), 400);
  EXPECT_EQ(QueryValue(url,
                       "SELECT username || ' ' || is_superuser || ' ' || left(password, 14) "
                       "FROM users WHERE is_superuser"),
            "admin true pbkdf2_sha256$");
  // Prices: 12 coins, hourly, each positive and a walk from its catalog level.
  EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT symbol) FROM price_history"), 12);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM (SELECT symbol, observed_at FROM price_history "
                     "GROUP BY 1, 2 HAVING count(*) > 1) d"),
            0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM price_history WHERE price <= 0"), 0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM price_history WHERE symbol = 'BTC' AND "
                     "(price < 20000 OR price > 200000)"),
            0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM agent_sessions WHERE (status = 'running') <> "
                     "(ended_at IS NULL)"),
            0);
  // verify recomputes the jsonb parameters as the server prints them.
  result = Sf({"verify", "--db", url, "--rows", "users=80", "--rows", "trading_algorithms=30"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  // --scale multiplies every target.
  const std::string scaled = TestCluster::Get().CreateDatabase("trading_scaled");
  ASSERT_EQ(
      Sf({"seed", "--db", scaled, "--profile", "trading", "--scale", "0.5", "--quiet"}).exit_code,
      0);
  EXPECT_EQ(QueryInt(scaled, "SELECT count(*) FROM users"), 25);
  EXPECT_EQ(QueryInt(scaled, "SELECT count(*) FROM price_history"), 4320);
  result = Sf({"verify", "--db", scaled, "--scale", "0.5"});  // expects the scaled targets
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  result = Sf({"seed", "--db", scaled, "--profile", "trading", "--scale", "zero"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --scale: expected a number above 0 and at most 1000000, got "
            "'zero'\n");
}

}  // namespace
}  // namespace seedforge

namespace seedforge {
namespace {

// Every table of the database: "name md5" per table, the names quoted as SQL needs them.
std::string AllTables(const std::string& url) {
  const std::string names = testing::QueryValue(
      url,
      "SELECT string_agg(quote_ident(relname), ' ' ORDER BY relname) FROM pg_class WHERE "
      "relkind = 'r' AND relnamespace = 'public'::regnamespace");
  std::string out;
  size_t start = 0;
  while (start < names.size()) {
    size_t end = names.find(' ', start);
    if (end == std::string::npos) end = names.size();
    const std::string table = names.substr(start, end - start);
    out += table + " " + testing::TableFingerprint(url, table) + "\n";
    start = end + 1;
  }
  return out;
}

// Each built-in profile, into seedforge's own tables and into the tables its application's
// migrations create (tests/schemas/, plain DDL): a seed killed after its largest table's first
// committed batch and run again ends exactly like a seed that was never killed (fixtures
// included), verify passes, a snapshot restores it after rows were deleted, and a top-up to
// twice the targets ends like the same top-up of the uninterrupted database.
struct BuiltinCase {
  const char* profile;
  const char* largest;  // as SQL names it
  const char* schema;   // tests/schemas/ file the application's migrations would run; "" none
};

class DeclaredBuiltin : public ::testing::TestWithParam<BuiltinCase> {};

TEST_P(DeclaredBuiltin, KilledSeedRerunVerifySnapshotRoundTripAndTopUp) {
  const std::string profile = GetParam().profile;
  const std::string largest = GetParam().largest;
  const std::string schema = GetParam().schema;
  const std::string prefix =
      "builtin_" + std::to_string(std::hash<std::string>{}(profile + schema) % 100000);
  const auto database = [&](const std::string& name) {
    return schema.empty() ? TestCluster::Get().CreateDatabase(name)
                          : testing::DatabaseWithSchema(name, schema);
  };
  const std::string clean = database(prefix + "_clean");
  const std::string killed = database(prefix + "_killed");
  ASSERT_EQ(Sf({"seed", "--db", clean, "--profile", profile, "--quiet"}).exit_code, 0);
  const std::vector<std::string> seed = {
      "seed", "--db", killed, "--profile", profile, "--quiet", "--no-bulk", "--batch-size", "20"};
  std::string point = largest;  // failpoints name tables unquoted
  point.erase(std::remove(point.begin(), point.end(), '"'), point.end());
  ChildProcess child(seed, {{"SEEDFORGE_FAILPOINTS", "sink.batch_committed:" + point + "@1=kill"},
                            {"SEEDFORGE_PROFILE", std::nullopt}});
  const ProcessResult result = child.Wait();
  ASSERT_EQ(result.signal, SIGKILL) << result.err;
  WaitForOtherSessionsToEnd(killed);
  ASSERT_EQ(Sf(seed).exit_code, 0);
  const std::string expected = AllTables(clean);
  EXPECT_EQ(AllTables(killed), expected);
  const ProcessResult verified = Sf({"verify", "--db", killed});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  const std::string dir = MakeTempDir("builtin_snap");
  ASSERT_EQ(Sf({"snapshot", "create", "s", "--dir", dir, "--db", killed, "--quiet"}).exit_code, 0);
  Execute(killed, "DELETE FROM " + largest + " WHERE id % 2 = 0");
  ASSERT_NE(AllTables(killed), expected);
  const ProcessResult restored =
      Sf({"snapshot", "restore", "s", "--dir", dir, "--db", killed, "--yes", "--quiet"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(AllTables(killed), expected);
  RemoveTree(dir);

  for (const std::string& url : {clean, killed}) {
    const ProcessResult topped =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", "2", "--quiet"});
    ASSERT_EQ(topped.exit_code, 0) << topped.err;
  }
  EXPECT_EQ(AllTables(killed), AllTables(clean));
  EXPECT_NE(AllTables(killed), expected);
  const ProcessResult grown = Sf({"verify", "--db", killed, "--scale", "2"});
  EXPECT_EQ(grown.exit_code, 0) << grown.out << grown.err;
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, DeclaredBuiltin,
    ::testing::Values(BuiltinCase{"default", "events", ""},
                      BuiltinCase{"default", "events", "django_fleet.sql"},
                      BuiltinCase{"travelers", "routing_steps", ""},
                      BuiltinCase{"travelers", "routing_steps", "travelers_app.sql"},
                      BuiltinCase{"theatre", "\"scriptElementsTable\"", ""},
                      BuiltinCase{"theatre", "\"scriptElementsTable\"", "theatre_app.sql"},
                      BuiltinCase{"storefront", "sale_lines", ""},
                      BuiltinCase{"storefront", "sale_lines", "django_storefront.sql"},
                      BuiltinCase{"trading", "price_history", ""},
                      BuiltinCase{"trading", "price_history", "trading_app.sql"}),
    [](const ::testing::TestParamInfo<BuiltinCase>& test) {
      return std::string(test.param.profile) +
             (test.param.schema[0] == '\0' ? "_seedforge_tables" : "_app_migrations");
    });

}  // namespace
}  // namespace seedforge
