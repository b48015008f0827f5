// `seedforge seed --from-schema` and `preview --from-schema`: the profile init would write,
// inferred in memory. Seeding from the schema gives the very rows that `init` then `seed --profile`
// give (compared table by table against a second database of the same schema), a top-up with a
// larger --rows adds exactly the difference, later commands without --profile infer the profile
// again from the schema (as the record in seedforge.runs says), and what cannot be inferred or
// combined is one line, exit 2, nothing written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

// The store's tables live in public and crm: the connection's search_path names both.
std::string StoreDatabase(const std::string& prefix) {
  return DatabaseWithSchema(prefix, "init_store.sql") + "&options=-csearch_path%3Dpublic,crm";
}

// One md5 over every row of `table` in id order: two databases holding the same rows agree.
std::string RowsDigest(const std::string& url, const std::string& table) {
  return QueryValue(url,
                    "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) FROM " + table + " t");
}

std::string Counts(const std::string& url) {
  return QueryValue(url,
                    "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM "
                    "crm.campaigns) || ' ' || (SELECT count(*) FROM customer_profiles)");
}

constexpr const char* kStoreTables[] = {"customers",     "categories",  "orders",
                                        "products",      "order_items", "customer_profiles",
                                        "crm.campaigns", "crm.touches"};

int64_t TotalRows(const std::string& url) {
  int64_t total = 0;
  for (const char* table : kStoreTables) {
    total += QueryInt(url, std::string("SELECT count(*) FROM ") + table);
  }
  return total;
}

TEST(FromSchema, SeedsWhatInitThenSeedWouldAndTopsUpFromTheSchemaAgain) {
  const std::string by_file = StoreDatabase("from_schema_file");
  const std::string dir = MakeTempDir("from_schema");
  const std::string profile = dir + "/store.json";
  ASSERT_EQ(Sf({"init", "--db", by_file, "--rows", "40", "--out", profile, "--quiet"}).exit_code,
            0);
  const ProcessResult filed = Sf({"seed", "--db", by_file, "--profile", profile, "--quiet"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;

  const std::string url = StoreDatabase("from_schema");
  const ProcessResult seeded = Sf({"seed", "--db", url, "--from-schema", "--rows", "40"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_NE(seeded.out.find("profile from-schema (seed 42)"), std::string::npos) << seeded.out;
  EXPECT_EQ(Counts(url), "40 40 40");
  for (const char* table : kStoreTables) {
    EXPECT_EQ(QueryInt(url, std::string("SELECT count(*) FROM ") + table),
              QueryInt(by_file, std::string("SELECT count(*) FROM ") + table))
        << table;
    EXPECT_EQ(RowsDigest(url, table), RowsDigest(by_file, table)) << table;
  }
  EXPECT_EQ(QueryValue(url,
                       "SELECT command || ' ' || profile || ' ' || profile_source FROM "
                       "seedforge.runs ORDER BY id DESC LIMIT 1"),
            "seed from-schema from-schema");

  // A larger --rows tops up: the roots double, and the rows already there stay as they were.
  const std::string customers_before =
      QueryValue(url, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM customers t");
  const ProcessResult larger =
      Sf({"seed", "--db", url, "--from-schema", "--rows", "80", "--quiet"});
  ASSERT_EQ(larger.exit_code, 0) << larger.err;
  EXPECT_EQ(Counts(url), "80 80 80");
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM customers t "
                       "WHERE id <= 40"),
            customers_before);
  EXPECT_EQ(QueryInt(url, "SELECT rows_added FROM seedforge.runs ORDER BY id DESC LIMIT 1"),
            TotalRows(url) - TotalRows(by_file));

  // Without --profile, verify and seed infer the profile again from the schema.
  const ProcessResult verified = Sf({"verify", "--db", url, "--rows", "80", "--json"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("\"failed\": 0,"), std::string::npos) << verified.out;
  const ProcessResult again = Sf({"seed", "--db", url, "--rows", "80"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("seedforge: profile inferred from the schema, seed 42: seed "
                           "--from-schema filled this database (seedforge.runs, "),
            std::string::npos)
      << again.err;
  EXPECT_EQ(Counts(url), "80 80 80");
  EXPECT_EQ(QueryInt(url, "SELECT rows_added FROM seedforge.runs ORDER BY id DESC LIMIT 1"), 0);
  RemoveTree(dir);
}

TEST(FromSchema, PreviewShowsTheInferredTablesWithoutWriting) {
  const std::string url = StoreDatabase("from_schema_preview");
  const ProcessResult preview =
      Sf({"preview", "--db", url, "--from-schema", "--rows", "2", "--table", "customer_profiles"});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  // One profile row per customer (a unique reference), the first two shown.
  EXPECT_EQ(preview.out.substr(0, preview.out.find('\n')),
            "customer_profiles: 1,000 rows, showing 2");
  EXPECT_NE(preview.out.find("\n1  | 1           | "), std::string::npos) << preview.out;
  EXPECT_NE(preview.out.find("\n2  | 2           | "), std::string::npos) << preview.out;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM customers"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

TEST(FromSchema, WhatCannotBeInferredOrCombinedIsOneLineAndNothingWritten) {
  const std::string url = DatabaseWithSchema("from_schema_shop", "shop.sql");
  const int64_t users = QueryInt(url, "SELECT count(*) FROM \"User\"");
  const ProcessResult refused = Sf({"seed", "--db", url, "--from-schema"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "seedforge: error: table public.customers: column email is public.email_address (a "
            "domain over public.citext), which init cannot generate, NOT NULL without a default "
            "(exclude the table with --exclude customers)\n");
  const ProcessResult both = Sf({"seed", "--db", url, "--from-schema", "--profile", "default"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err,
            "seedforge: error: --from-schema infers the profile from the database; give "
            "--profile default or --from-schema, not both\n");
  const ProcessResult two =
      Sf({"seed", "--db", url, "--from-schema", "--rows", "5", "--rows", "7"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_EQ(two.err, "seedforge: error: --rows 7: a second number (--rows 5 was given already)\n");
  const ProcessResult zero = Sf({"seed", "--db", url, "--from-schema", "--rows", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_EQ(zero.err,
            "seedforge: error: --rows 0: with --from-schema, give the rows of the tables that "
            "are no table's children as a positive number, or TABLE=N\n");
  const ProcessResult preview = Sf({"preview", "--db", url, "--from-schema"});
  EXPECT_EQ(preview.exit_code, 2);
  EXPECT_EQ(preview.err, refused.err);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"User\""), users);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
}

}  // namespace
}  // namespace seedforge
