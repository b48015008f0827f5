// Domains (tests/schemas/init_domains.sql, in a schema of their own beside an enum, and a money
// column, drawn as a numeric(12,2) amount): init
// declares a domain column with the domain's base type and bounds its generator by the domain's
// CHECKs; seeds at two sizes go into the domain columns (the server checks every domain CHECK
// on every row) and verify passes; a domain CHECK init cannot satisfy is one line naming the
// domain, exit 2, nothing written.
#include <gtest/gtest.h>

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

ProcessResult Sf(const std::vector<std::string>& args) {
  return testing::RunSeedforgeClean(args, {});
}

TEST(InitDomains, ADomainColumnIsItsBaseTypeBoundedByTheDomainsChecks) {
  const std::string url = DatabaseWithSchema("init_domains", "init_domains.sql");
  const std::string dir = MakeTempDir("init_domains");
  const std::string profile = dir + "/p.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "100", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string json = ReadFile(profile);
  for (
      const char* line : {
          R"j("quantity": { "type": "integer", "gen": "uniform", "min": 1, "max": 100, "step": 1 })j",
          R"j("unit_price": { "type": "numeric(10,2)", "gen": "lognormal", "median": 40.00, "sigma": 1, "min": 0.50, "max": 9999.99, "scale": 2 })j",
          R"j("colour": { "type": "text", "gen": "choice", "values": ["red", "green", "blue"] })j",
          R"j("rating": { "type": "smallint", "gen": "uniform", "min": 1, "max": 5, "step": 1 })j",
          R"j("balance": { "type": "money", "gen": "lognormal", "median": 40.00, "sigma": 1, "min": 0.01, "max": 99999.99, "scale": 2 })j",
      }) {
    EXPECT_NE(json.find(line), std::string::npos) << line << "\n" << json;
  }
  EXPECT_NE(init.err.find("  items.unit_price: money 0.50..9999.99 (name) [domain kinds.price]\n"),
            std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("  items.rating: smallint 1..5 (type) [domain kinds.rating]\n"),
            std::string::npos)
      << init.err;
  for (const char* scale : {"1", "3"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM accounts"), 100 * std::stoi(scale));
    // Every account has its 1 to 3 items, each inside every bound its domains set.
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM accounts a WHERE (SELECT count(*) FROM items i "
                       "WHERE i.account_id = a.id) NOT BETWEEN 1 AND 3"),
              0);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM items WHERE quantity NOT BETWEEN 1 AND 400 OR "
                       "unit_price NOT BETWEEN 0.50 AND 9999.99 OR length(sku) < 6 OR colour NOT "
                       "IN ('red', 'green', 'blue') OR rating NOT BETWEEN 1 AND 5"),
              0);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM accounts WHERE balance NOT BETWEEN "
                       "0.01::money AND 99999.99::money"),
              0);
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  // The columns kept their domains.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(format_type(atttypid, atttypmod), ' ' ORDER BY attnum) "
                       "FROM pg_attribute WHERE attrelid = 'items'::regclass AND attnum > 2"),
            "kinds.sku kinds.quantity kinds.price kinds.colour kinds.rating");

  // A domain CHECK that is not a form init reads, on a NOT NULL column.
  Execute(url,
          "CREATE DOMAIN kinds.code AS text CHECK (VALUE ~ '^[A-Z]+$'); CREATE TABLE badges (id "
          "bigint PRIMARY KEY, code kinds.code NOT NULL)");
  const std::string refused_profile = dir + "/refused.json";
  const ProcessResult refused =
      Sf({"init", "--db", url, "--table", "badges", "--out", refused_profile});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err,
            "seedforge: error: table public.badges: column code: its domain kinds.code's CHECK "
            "((VALUE ~ '^[A-Z]+$'::text)) is not a form init can satisfy (x > k, x BETWEEN a AND "
            "b, x IN (...), length(x) <= n, a < b) (exclude the table with --exclude badges)\n");
  EXPECT_FALSE(std::filesystem::exists(refused_profile));
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
