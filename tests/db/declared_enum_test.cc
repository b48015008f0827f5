// Enum types a profile declares ("types") against a real server: created with their labels in
// order where they are missing, in the transaction that creates the tables; an existing type
// that lacks a label refused with one line and the database left as it was; an enum a column
// names without declaring it must exist; a top-up over a created type.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::TestCluster;

constexpr const char* kProfile = R"json({
  "name": "shop",
  "types": {"order_status": {"enum": ["pending", "paid", "shipped"]}},
  "tables": {
    "orders": {"rows": 60, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "status": {"type": "order_status", "gen": "choice"},
      "history": {"type": "order_status[]", "gen": "array", "min": 1, "max": 2, "of": {"gen": "cycle"}},
      "shipped_at": {"type": "timestamptz", "gen": "case", "on": "status",
                     "cases": {"shipped": {"gen": "timestamp", "from": "2024-01-01", "to": "2025-01-01"}}}
    }}
  }
})json";

class DeclaredEnumOnServer : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("declared-enum");
    profile_ = dir_ + "/shop.json";
    std::ofstream(profile_) << kProfile;
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  ProcessResult Seed(const std::string& url, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"seed", "--db", url, "--profile", profile_, "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::RunSeedforgeClean(args);
  }

  static std::string Labels(const std::string& url) {
    return QueryValue(url,
                      "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                      "WHERE enumtypid = 'order_status'::regtype");
  }

  std::string dir_;
  std::string profile_;
};

TEST_F(DeclaredEnumOnServer, AMissingTypeIsCreatedWithItsLabelsInOrderAndTopsUp) {
  const std::string url = TestCluster::Get().CreateDatabase("enum_fresh");
  ProcessResult result = Seed(url);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Labels(url), "pending,paid,shipped");
  EXPECT_EQ(QueryValue(url,
                       "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                       "WHERE attrelid = 'orders'::regclass AND attname = 'status'"),
            "order_status");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 60);
  // Every label is drawn (in the enum's order), and the case on it matched its label.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(s::text, ',' ORDER BY s) FROM "
                       "(SELECT DISTINCT status AS s FROM orders) d"),
            "pending,paid,shipped");
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM orders "
                     "WHERE (status = 'shipped') <> (shipped_at IS NOT NULL)"),
            0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders WHERE cardinality(history) NOT IN (1, 2)"),
            0);
  EXPECT_EQ(QueryValue(url, "SELECT pg_typeof(history)::text FROM orders LIMIT 1"),
            "order_status[]");
  const std::string first = testing::TableFingerprint(url, "orders");
  result = testing::RunSeedforgeClean({"verify", "--db", url, "--profile", profile_});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;

  // A top-up over the type it created: the type is taken as it is, the old rows stay.
  result = Seed(url, {"--rows", "orders=90"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 90);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_type WHERE typname = 'order_status'"), 1);
  EXPECT_EQ(Labels(url), "pending,paid,shipped");
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), '')) "
                       "FROM orders t WHERE id <= 60"),
            first);

  // The same rows as one run to 90 in a fresh database.
  const std::string fresh = TestCluster::Get().CreateDatabase("enum_fresh90");
  result = Seed(fresh, {"--rows", "orders=90"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(testing::TableFingerprint(fresh, "orders"), testing::TableFingerprint(url, "orders"));
}

TEST_F(DeclaredEnumOnServer, AnExistingTypeWithMoreLabelsIsTakenAsItIs) {
  const std::string url = TestCluster::Get().CreateDatabase("enum_more");
  Execute(url, "CREATE TYPE order_status AS ENUM ('shipped', 'void', 'pending', 'paid')");
  const ProcessResult result = Seed(url);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Labels(url), "shipped,void,pending,paid");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders WHERE status = 'void'"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 60);
}

TEST_F(DeclaredEnumOnServer, AnExistingTypeLackingALabelIsRefusedAndNothingChanges) {
  const std::string url = TestCluster::Get().CreateDatabase("enum_lacking");
  Execute(url, "CREATE TYPE order_status AS ENUM ('pending', 'paid')");
  const ProcessResult result = Seed(url);
  EXPECT_EQ(result.exit_code, 2);  // bad input, as a table that does not match the model
  EXPECT_EQ(result.err,
            "seedforge: error: type order_status lacks the label shipped (declared: pending, "
            "paid, shipped) in the database\n");
  EXPECT_EQ(Labels(url), "pending,paid");
  EXPECT_EQ(QueryValue(url, "SELECT to_regclass('orders') IS NULL"), "t");
}

TEST_F(DeclaredEnumOnServer, AFixtureOfTheTypeGoesInWithTheCreatedType) {
  std::ofstream(profile_) << R"json({
    "types": {"order_status": {"enum": ["pending", "paid", "shipped"]}},
    "tables": {"orders": {"rows": 10, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "code": {"type": "text", "gen": "pattern", "format": "O-####", "unique": true},
      "status": {"type": "order_status", "gen": "choice"}}}},
    "fixtures": {"orders": {"key": "code", "rows": [{"code": "VIP-1", "status": "shipped"}]}}})json";
  const std::string url = TestCluster::Get().CreateDatabase("enum_fixture");
  ProcessResult result = Seed(url, {"--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryValue(url, "SELECT to_regtype('order_status') IS NULL"), "t");
  result = Seed(url);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryValue(url, "SELECT status FROM orders WHERE code = 'VIP-1'"), "shipped");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM orders"), 10);
}

TEST_F(DeclaredEnumOnServer, AnUndeclaredEnumMustExist) {
  std::ofstream(profile_) << R"json({"tables": {"people": {"rows": 5, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "feeling": {"type": "mood", "gen": "choice", "values": ["sad", "ok"]}}}}})json";
  const std::string url = TestCluster::Get().CreateDatabase("enum_undeclared");
  ProcessResult result = Seed(url);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: table people: column feeling is of type mood, which the database "
            "does not have (declare it in the profile's \"types\" to have it created)\n");
  EXPECT_EQ(QueryValue(url, "SELECT to_regclass('people') IS NULL"), "t");
  // Once the application's migration has made it, the same profile seeds.
  Execute(url, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  result = Seed(url);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM people WHERE feeling IN ('sad', 'ok')"), 5);
}

}  // namespace
}  // namespace seedforge
