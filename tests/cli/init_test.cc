// `seedforge init --db URL` against schemas an application's migrations leave
// (tests/schemas/init_store.sql, init_blog.sql, shop.sql): the profile it writes seeds the same
// database at two sizes with every key, foreign key and CHECK of the application holding (the
// server enforces them during the load, and verify passes with zero failures), the counts are
// exact (roots at --rows, children 1 to 3 per parent row, checked by SQL against the parent
// rows), running init twice gives the same bytes, and a schema the engine cannot fill is one
// line, exit 2, nothing written.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::Execute;
using testing::ExpectVerifyPasses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

// The store's tables live in public and crm: the connection's search_path names both.
std::string StoreDatabase(const std::string& prefix) {
  return DatabaseWithSchema(prefix, "init_store.sql") + "&options=-csearch_path%3Dpublic,crm";
}

// "min max parents" of the children per parent row of `child` (through `column`) and how many
// parent rows have children, e.g. "1 3 40".
std::string FanOut(const std::string& url, const std::string& child, const std::string& column) {
  return QueryValue(url,
                    "SELECT min(n) || ' ' || max(n) || ' ' || count(*) FROM (SELECT count(*) "
                    "AS n FROM " +
                        child + " GROUP BY " + column + ") c");
}

TEST(Init, TheStoresProfileSeedsItAtTwoSizesAndVerifies) {
  const std::string url = StoreDatabase("init_store");
  const std::string dir = MakeTempDir("init_store");
  const std::string profile = dir + "/store.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "40", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(init.out, "");  // the profile went to the file, the summary to stderr
  EXPECT_NE(init.err.find("  8 tables, 55 generated columns (6 from their type alone, listed "
                          "last)\n"),
            std::string::npos)
      << init.err;
  for (const char* line : {
           "  customers.email: e-mail (name)\n",
           "  orders.status: enum order_status\n",
           "  orders.total: money 0.01..99999.99 (name)\n",
           "  orders.shipped_at: time after placed_at (check)\n",
           "  products.size: one of the CHECK's values (check)\n",
           "  order_items.line_number: 1, 2... within its order_id (unique key)\n",
           "  order_items.line_total: left to the server (generated column)\n",
           "  customer_profiles: 1 row per row of customers (through customer_id)\n",
           "  campaigns.budget: numeric(8,2) 0..999999.99 (type)\n",
       }) {
    EXPECT_NE(init.err.find(line), std::string::npos) << line << init.err;
  }
  // The fallbacks come last.
  EXPECT_GT(init.err.find("campaigns.budget"), init.err.find("order_items.unit_price"));

  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", profile, "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryValue(url,
                       "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) "
                       "FROM categories) || ' ' || (SELECT count(*) FROM crm.campaigns) || "
                       "' ' || (SELECT count(*) FROM customer_profiles)"),
            "40 40 40 40");
  EXPECT_EQ(FanOut(url, "orders", "customer_id"), "1 3 40");
  EXPECT_EQ(FanOut(url, "products", "category_id"), "1 3 40");
  EXPECT_EQ(FanOut(url, "crm.touches", "campaign_id"), "1 3 40");
  EXPECT_EQ(FanOut(url, "order_items", "order_id"),
            "1 3 " + QueryValue(url, "SELECT count(*) FROM orders"));
  // Every order's lines are numbered 1..n, and the server computed the generated column.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY "
                     "order_id HAVING max(line_number) <> count(*)) x"),
            0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM order_items WHERE line_total IS DISTINCT FROM "
                     "quantity * unit_price"),
            0);
  // The CHECKs the generators were narrowed by hold (the server enforced them too).
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM products WHERE price <= 0 OR stock < 0 OR size "
                     "NOT IN ('XS', 'S', 'M', 'L', 'XL') OR weight_grams NOT BETWEEN 1 AND "
                     "50000"),
            0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM crm.campaigns WHERE starts_on >= ends_on"), 0);
  ExpectVerifyPasses(url, profile);

  // The second size: twice the roots, the children follow their parents.
  const ProcessResult larger =
      Sf({"seed", "--db", url, "--profile", profile, "--scale", "2", "--quiet"});
  ASSERT_EQ(larger.exit_code, 0) << larger.err;
  EXPECT_EQ(QueryValue(url,
                       "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) "
                       "FROM crm.campaigns) || ' ' || (SELECT count(*) FROM "
                       "customer_profiles)"),
            "80 80 80");
  EXPECT_EQ(FanOut(url, "orders", "customer_id"), "1 3 80");
  ExpectVerifyPasses(url, profile, {"--scale", "2"});

  // init again, on the filled database: the same bytes.
  const std::string again_dir = MakeTempDir("init_store_again");
  const ProcessResult again =
      Sf({"init", "--db", url, "--rows", "40", "--out", again_dir + "/store.json", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err, "");
  EXPECT_EQ(ReadFile(again_dir + "/store.json"), ReadFile(profile));
  // Without --out the profile goes to stdout, named after nothing but the default.
  const ProcessResult to_stdout = Sf({"init", "--db", url, "--rows", "40", "--quiet"});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  std::string expected = ReadFile(profile);
  expected.replace(expected.find("\"name\": \"store\""), 15, "\"name\": \"inferred\"");
  EXPECT_EQ(to_stdout.out, expected);
  RemoveTree(dir);
  RemoveTree(again_dir);
}

TEST(Init, TheBlogsProfileSeedsQuotedNamesCyclesAndSelfReferences) {
  const std::string url = DatabaseWithSchema("init_blog", "init_blog.sql");
  const std::string dir = MakeTempDir("init_blog");
  const std::string profile = dir + "/blog.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "25", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.err.find("  \"Authors\".pinned_post_id: NULL: left NULL to break the cycle "
                          "public.\"Authors\".pinned_post_id -> public.posts.author_id -> "
                          "public.\"Authors\"\n"),
            std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("  revisions.replaces_id: any row of revisions (deferrable foreign "
                          "key)\n"),
            std::string::npos)
      << init.err;
  const std::string json = ReadFile(profile);
  EXPECT_NE(
      json.find(
          R"j("parent_id": { "type": "bigint", "gen": "ref", "to": "comments", "earlier": true })j"),
      std::string::npos)
      << json;
  for (const char* size : {"1", "3"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", size, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    const int64_t authors = 25 * std::stoi(size);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"Authors\""), authors);
    EXPECT_EQ(FanOut(url, "posts", "author_id"), "1 3 " + std::to_string(authors));
    EXPECT_EQ(FanOut(url, "comments", "post_id"),
              "1 3 " + QueryValue(url, "SELECT count(*) FROM posts"));
    // Threads point at earlier comments; every revision names an existing one.
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM comments WHERE parent_id >= id"), 0);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM revisions WHERE replaces_id NOT IN (SELECT id "
                       "FROM revisions)"),
              0);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"Authors\" WHERE pinned_post_id IS NOT NULL"),
              0);
    ExpectVerifyPasses(url, profile, {"--scale", size});
  }
  RemoveTree(dir);
}

TEST(Init, AShopWithWhatTheEngineCannotFillIsOneLineAndNothingWritten) {
  const std::string url = DatabaseWithSchema("init_shop", "shop.sql");
  const std::string dir = MakeTempDir("init_shop");
  const std::string profile = dir + "/shop.json";
  const ProcessResult refused = Sf({"init", "--db", url, "--out", profile});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err,
            "seedforge: error: table public.customers: column email is public.email_address (a "
            "domain over public.citext), which init cannot generate, NOT NULL without a default "
            "(exclude the table with --exclude customers)\n");
  EXPECT_FALSE(std::filesystem::exists(profile));
  EXPECT_FALSE(std::filesystem::exists(profile + ".partial"));

  // A domain-typed NOT NULL column.
  const ProcessResult domain = Sf({"init", "--db", url, "--table", "customers"});
  EXPECT_EQ(domain.exit_code, 2);
  EXPECT_EQ(domain.out, "");
  EXPECT_EQ(domain.err,
            "seedforge: error: table public.customers: column email is public.email_address (a "
            "domain over public.citext), which init cannot generate, NOT NULL without a default "
            "(exclude the table with --exclude customers)\n");

  // What is left once the tables the engine cannot fill are excluded seeds over the shop's own
  // rows (the generated rows keep clear of them) and verifies.
  const ProcessResult rest =
      Sf({"init",        "--db",      url,         "--rows",    "120",       "--out",
          profile,       "--exclude", "orders",    "--exclude", "customers", "--exclude",
          "products",    "--exclude", "shipments", "--exclude", "order*",    "--exclude",
          "departments", "--exclude", "employees"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_NE(rest.err.find("  3 tables, 10 generated columns (7 from their type alone, listed "
                          "last)\n"),
            std::string::npos)
      << rest.err;
  // The list-partitioned events have a DEFAULT partition: any region lands.
  EXPECT_NE(rest.err.find("  events: partitioned by list (region), rows land in any of its "
                          "partitions (events_eu, events_other, events_us)\n"),
            std::string::npos)
      << rest.err;
  EXPECT_NE(rest.err.find("  \"User\".\"ID\": id 1, 2, 3... (primary key)\n"), std::string::npos)
      << rest.err;
  EXPECT_NE(rest.err.find("  not declared (init declares tables only): public.customer_totals "
                          "(view), public.monthly_sales (materialized view)\n"),
            std::string::npos)
      << rest.err;
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", profile, "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"User\""), 120);  // 50 of the shop's, 70 new
  ExpectVerifyPasses(url, profile);
  RemoveTree(dir);
}

TEST(Init, ErrorsNeverShowThePassword) {
  const std::string url = DatabaseWithSchema("init_password", "init_blog.sql");
  Execute(url,
          "CREATE TABLE skus (id integer PRIMARY KEY, code text NOT NULL CHECK (code ~ "
          "'^[A-Z]+$'))");
  // The test cluster trusts its socket: the password in the URI is not needed, only shown.
  const std::string with_password =
      "postgresql://postgres:hunter2secret@/" + url.substr(url.find("@/") + 2);
  const ProcessResult check = Sf({"init", "--db", with_password, "--table", "skus"});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_EQ(check.err,
            "seedforge: error: table public.skus: CHECK skus_code_check ((code ~ "
            "'^[A-Z]+$'::text)) is not a form init can satisfy (x > k, x BETWEEN a AND b, x IN "
            "(...), length(x) <= n, a < b) (exclude the table with --exclude skus)\n");
  std::string missing = with_password;
  missing.replace(missing.find("@/") + 2, missing.find('?') - missing.find("@/") - 2, "nosuchdb");
  const ProcessResult unreachable = Sf({"init", "--db", missing});
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_EQ(unreachable.err.find("hunter2secret"), std::string::npos) << unreachable.err;
  EXPECT_NE(unreachable.err.find("nosuchdb"), std::string::npos) << unreachable.err;
  const ProcessResult bad_rows = Sf({"init", "--db", with_password, "--rows", "0"});
  EXPECT_EQ(bad_rows.exit_code, 2);
  EXPECT_EQ(bad_rows.err, "seedforge: error: --rows must be between 1 and 1000000000, got 0\n");
  const ProcessResult bad_schema = Sf({"init", "--db", with_password, "--schema", "crm"});
  EXPECT_EQ(bad_schema.exit_code, 2);
  EXPECT_EQ(bad_schema.err, "seedforge: error: --schema crm: the database has no such schema\n");
}

// The application schemas of the snapshot corpus (tests/schemas), as their migrations leave them
// (with the rows some of them hold): init's profile seeds each and verifies.
struct CorpusCase {
  const char* schema_file;
  const char* url_options;  // appended to the database URI
  std::vector<std::string> init_args;
};

class InitCorpus : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(InitCorpus, TheInferredProfileSeedsTheApplicationsTablesAndVerifies) {
  const CorpusCase& corpus = GetParam();
  const std::string url =
      DatabaseWithSchema("init_corpus", corpus.schema_file) + corpus.url_options;
  const std::string dir = MakeTempDir("init_corpus");
  std::vector<std::string> args = {"init", "--db", url, "--rows", "60", "--out", dir + "/p.json"};
  args.insert(args.end(), corpus.init_args.begin(), corpus.init_args.end());
  const ProcessResult init = Sf(args);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", dir + "/p.json", "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  ExpectVerifyPasses(url, dir + "/p.json");
  RemoveTree(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Schemas, InitCorpus,
    ::testing::Values(CorpusCase{"django_fleet.sql", "", {}},
                      CorpusCase{"django_storefront.sql", "", {}},
                      CorpusCase{"theatre_app.sql", "", {}},
                      CorpusCase{"travelers_app.sql", "", {}},
                      CorpusCase{"trading_app.sql", "", {}},
                      CorpusCase{"multischema.sql", "&options=-csearch_path%3Dcrm", {}}),
    [](const ::testing::TestParamInfo<CorpusCase>& param) {
      std::string name = param.param.schema_file;
      return name.substr(0, name.find('.'));
    });

// `init --ddl`: the schema from SQL files applied to a scratch database on the server.
TEST(InitDdl, AFileAPgDumpAndAFolderOfMigrationsGiveTheLiveSchemasProfile) {
  const std::string live = DatabaseWithSchema("init_ddl_live", "init_blog.sql");
  const std::string server = testing::TestCluster::Get().AdminUrl();
  const std::string dir = MakeTempDir("init_ddl");
  const ProcessResult from_db = Sf({"init", "--db", live, "--rows", "25", "--quiet"});
  ASSERT_EQ(from_db.exit_code, 0) << from_db.err;
  const std::string schema_file =
      std::string(SEEDFORGE_SOURCE_DIR) + "/tests/schemas/init_blog.sql";
  const ProcessResult from_file = Sf({"init", "--ddl", schema_file, "--db", server, "--rows", "25",
                                      "--out", dir + "/inferred.json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(
      from_file.err.rfind("seedforge: init: schema file init_blog.sql, profile written to ", 0), 0u)
      << from_file.err;
  std::string expected = from_db.out;
  const std::string live_name = QueryValue(live, "SELECT current_database()");
  expected.replace(expected.find("the schema of database " + live_name),
                   ("the schema of database " + live_name).size(), "schema file init_blog.sql");
  EXPECT_EQ(ReadFile(dir + "/inferred.json"), expected);

  // pg_dump -s of the live database (with the \restrict lines of recent pg_dump versions).
  const std::string dump = dir + "/blog_dump.sql";
  ASSERT_EQ(std::system(("pg_dump -s '" + live + "' > " + dump).c_str()), 0);
  const ProcessResult from_dump =
      Sf({"init", "--ddl", dump, "--db", server, "--rows", "25", "--quiet"});
  ASSERT_EQ(from_dump.exit_code, 0) << from_dump.err;
  expected.replace(expected.find("schema file init_blog.sql"), 25, "schema file blog_dump.sql");
  EXPECT_EQ(from_dump.out, expected);

  // A folder of migrations, applied in name order (the second needs the first).
  const std::string migrations = dir + "/migrations";
  std::filesystem::create_directory(migrations);
  {
    std::FILE* first = std::fopen((migrations + "/0001_users.sql").c_str(), "w");
    std::fputs(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(200) NOT NULL "
        "UNIQUE, created_at timestamptz NOT NULL DEFAULT now());\n",
        first);
    std::fclose(first);
    std::FILE* second = std::fopen((migrations + "/0002_orders.sql").c_str(), "w");
    std::fputs(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL "
        "REFERENCES users (id), total numeric(10,2) NOT NULL CHECK (total > 0));\n"
        "CREATE INDEX orders_user_id_idx ON orders (user_id);\n",
        second);
    std::fclose(second);
    std::FILE* notes = std::fopen((migrations + "/README.txt").c_str(), "w");
    std::fputs("not SQL\n", notes);
    std::fclose(notes);
  }
  const std::string profile = dir + "/app.json";
  const ProcessResult from_folder =
      Sf({"init", "--ddl", migrations, "--db", server, "--rows", "30", "--out", profile});
  ASSERT_EQ(from_folder.exit_code, 0) << from_folder.err;
  EXPECT_NE(from_folder.err.find("seedforge: init: schema files 0001_users.sql, 0002_orders.sql"),
            std::string::npos)
      << from_folder.err;
  // The profile creates the tables in an empty database and verifies.
  const std::string empty = testing::TestCluster::Get().CreateDatabase("init_ddl_empty");
  const ProcessResult seeded = Sf({"seed", "--db", empty, "--profile", profile, "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(empty, "SELECT count(*) FROM users"), 30);
  EXPECT_EQ(FanOut(empty, "orders", "user_id"), "1 3 30");
  ExpectVerifyPasses(empty, profile);
  // No scratch database is left behind.
  EXPECT_EQ(QueryInt(server,
                     "SELECT count(*) FROM pg_database WHERE datname LIKE "
                     "'seedforge\\_init\\_%'"),
            0);
  RemoveTree(dir);
}

TEST(InitDdl, AFileTheServerRefusesIsOneLineAndLeavesNothing) {
  const std::string server = testing::TestCluster::Get().AdminUrl();
  const std::string dir = MakeTempDir("init_ddl_bad");
  const std::string bad = dir + "/002_bad.sql";
  std::FILE* file = std::fopen(bad.c_str(), "w");
  std::fputs("CREATE TABLE things (id integer PRIMARY KEY, mood nosuchtype);\n", file);
  std::fclose(file);
  const std::string schema_file =
      std::string(SEEDFORGE_SOURCE_DIR) + "/tests/schemas/init_blog.sql";
  const ProcessResult refused =
      Sf({"init", "--ddl", schema_file, bad, "--db", server, "--out", dir + "/p.json"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "seedforge: error: " + bad + ": type \"nosuchtype\" does not exist\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/p.json"));
  EXPECT_EQ(QueryInt(server,
                     "SELECT count(*) FROM pg_database WHERE datname LIKE "
                     "'seedforge\\_init\\_%'"),
            0);
  const std::string meta = dir + "/meta.sql";
  file = std::fopen(meta.c_str(), "w");
  std::fputs("CREATE TABLE a (id integer PRIMARY KEY);\n\\connect other\n", file);
  std::fclose(file);
  const ProcessResult psql = Sf({"init", "--ddl", meta, "--db", server});
  EXPECT_EQ(psql.exit_code, 2);
  EXPECT_EQ(psql.err, "seedforge: error: " + meta +
                          ":2: a psql meta-command (\\connect); --ddl runs SQL only\n");
  const ProcessResult missing = Sf({"init", "--ddl", dir + "/nope.sql", "--db", server});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "seedforge: error: --ddl " + dir + "/nope.sql: cannot read the file\n");
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
