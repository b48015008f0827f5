// "guard_tables": the tables whose rows make `seedforge auto` skip. Defaults to the tables the
// profile names in "rows"; an explicit list must be non-empty, known and without repeats, and a
// bad one is an error naming the JSON path.
#include <gtest/gtest.h>

#include <vector>

#include "engine/profile.h"
#include "generators/fleet.h"

namespace seedforge {
namespace {

StatusOr<Profile> Parse(const char* json) { return ParseProfile(json, "p.json", ""); }

TEST(GuardTables, DefaultToTheTablesTheProfileNamesInRows) {
  auto profile = Parse(R"({"rows": {"users": 3, "assets": 7}})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->GuardTables(), (std::vector<size_t>{0, 2}));
}

TEST(GuardTables, DefaultToEveryTableWhenTheProfileNamesNone) {
  auto profile = Parse(R"({})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->GuardTables().size(), 5u);
}

TEST(GuardTables, AnExplicitListIsKeptInItsOrderAndInheritedByExtends) {
  auto profile = Parse(R"({"extends": "default", "guard_tables": ["events", "users"]})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->GuardTables(), (std::vector<size_t>{4, 0}));
}

TEST(GuardTables, BadListsNameTheJsonPath) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"guard_tables": "users"})", "p.json: $.guard_tables: expected an array of table names"},
      {R"({"guard_tables": []})", "p.json: $.guard_tables: expected at least one table name"},
      {R"({"guard_tables": ["users", "widgets"]})",
       "p.json: $.guard_tables[1]: unknown table 'widgets' (expected one of: users, "
       "applications, assets, deployments, events)"},
      {R"({"guard_tables": ["users", 3]})", "p.json: $.guard_tables[1]: expected a string"},
      {R"({"guard_tables": ["assets", "assets"]})",
       "p.json: $.guard_tables[1]: table 'assets' is listed twice"},
  };
  for (const auto& [json, message] : cases) {
    auto profile = Parse(json);
    ASSERT_FALSE(profile.ok()) << json;
    EXPECT_EQ(profile.status().code(), StatusCode::kInvalidArgument) << json;
    EXPECT_EQ(profile.status().message(), message) << json;
  }
}

}  // namespace
}  // namespace seedforge
