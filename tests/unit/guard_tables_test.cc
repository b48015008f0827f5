// "guard_tables": the tables whose rows make `seedforge auto` skip. Defaults to the tables the
// profile names in "rows"; an explicit list must be non-empty, known and without repeats, and a
// bad one is an error naming the JSON path.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "engine/profile.h"

namespace seedforge {
namespace {

StatusOr<Profile> Parse(const char* json) { return ParseProfile(json, "p.json", ""); }

// The index of table `name` in the profile's schemas(); fails the test when it has none.
size_t TableIndex(const Profile& profile, std::string_view name) {
  const int table = profile.FindTable(name);
  EXPECT_GE(table, 0) << "no table " << name;
  return table < 0 ? 0 : static_cast<size_t>(table);
}

TEST(GuardTables, DefaultToTheTablesTheProfileNamesInRows) {
  auto profile = Parse(R"({"rows": {"users": 3, "assets": 7}})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->GuardTables(),
            (std::vector<size_t>{TableIndex(*profile, "users"), TableIndex(*profile, "assets")}));
}

TEST(GuardTables, DefaultToEveryTableWhenTheProfileNamesNone) {
  auto profile = Parse(R"({})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  // The built-in fleet's five tables, in load order.
  ASSERT_EQ(profile->schemas().size(), 5u);
  EXPECT_EQ(profile->GuardTables(), (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(GuardTables, AnExplicitListIsKeptInItsOrderAndInheritedByExtends) {
  auto profile = Parse(R"({"extends": "default", "guard_tables": ["events", "users"]})");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->GuardTables(),
            (std::vector<size_t>{TableIndex(*profile, "events"), TableIndex(*profile, "users")}));
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
