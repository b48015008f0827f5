// Profiles: the shipped targets, layering with "extends", and one precise message per kind of
// bad input (file and JSON path, or line and column for malformed JSON).
#include <gtest/gtest.h>

#include <fstream>

#include "engine/profile.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using Targets = std::array<int64_t, kTableCount>;

Targets TargetsOf(const Profile& profile) {
  Targets targets{};
  for (int i = 0; i < kTableCount; ++i) targets[i] = profile.Target(static_cast<TableId>(i));
  return targets;
}

TEST(BuiltinProfiles, ShipTheDocumentedTargetsSeedAndWindow) {
  auto def = LoadProfile("default");
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ(TargetsOf(*def), (Targets{5, 10, 100, 20, 100}));
  EXPECT_EQ(def->seed, 42u);
  EXPECT_EQ(def->window_start_micros, 1704067200LL * 1000000);  // 2024-01-01T00:00:00Z
  EXPECT_EQ(def->window_end_micros, 1767225600LL * 1000000);    // 2026-01-01T00:00:00Z
  auto large = LoadProfile("large");
  ASSERT_TRUE(large.ok()) << large.status().message();
  EXPECT_EQ(TargetsOf(*large), (Targets{1000, 5000, 50000, 10000, 100000}));
  EXPECT_EQ(large->seed, 42u);
  auto xl = LoadProfile("xl");
  ASSERT_TRUE(xl.ok()) << xl.status().message();
  EXPECT_EQ(TargetsOf(*xl), (Targets{10000, 50000, 500000, 100000, 1000000}));
}

TEST(ProfileParsing, ExtendsOverridesOnlyTheKeysItNames) {
  auto profile = ParseProfile(
      R"({"extends": "default", "seed": 7, "rows": {"events": 5},
          "parameters": {"deployments": {"failed_rate": 0.5}}})",
      "mine.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->seed, 7u);
  EXPECT_EQ(TargetsOf(*profile), (Targets{5, 10, 100, 20, 5}));
  EXPECT_DOUBLE_EQ(profile->parameters.deployments.failed_rate, 0.5);
  EXPECT_DOUBLE_EQ(profile->parameters.deployments.rolled_back_rate, 0.02);  // from default
}

TEST(ProfileParsing, ExtendsAFileRelativeToTheExtendingFile) {
  const std::string dir = testing::MakeTempDir("profile-test");
  std::ofstream(dir + "/base.json") << R"({"seed": 9, "rows": {"users": 3}})";
  std::ofstream(dir + "/child.json") << R"({"extends": "base.json", "rows": {"assets": 4}})";
  auto profile = LoadProfile(dir + "/child.json");
  testing::RemoveTree(dir);
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->name, "child");
  EXPECT_EQ(profile->seed, 9u);
  EXPECT_EQ(TargetsOf(*profile), (Targets{3, 0, 4, 0, 0}));
}

struct BadProfile {
  const char* json;
  const char* message;
};

class ProfileErrors : public ::testing::TestWithParam<BadProfile> {};

TEST_P(ProfileErrors, NameTheFileAndJsonPath) {
  auto profile = ParseProfile(GetParam().json, "p.json", "");
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(profile.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, ProfileErrors,
    ::testing::Values(
        BadProfile{R"({"rows": {"assets": -5}})",
                   "p.json: $.rows.assets: expected a non-negative integer, got -5"},
        BadProfile{R"({"rows": {"assets": 1.5}})",
                   "p.json: $.rows.assets: expected a non-negative integer, got 1.5"},
        BadProfile{R"({"rows": {"assets": "10"}})",
                   "p.json: $.rows.assets: expected a non-negative integer, got \"10\""},
        BadProfile{R"({"rows": {"widgets": 10}})",
                   "p.json: $.rows.widgets: unknown table (expected one of: users, "
                   "applications, assets, deployments, events)"},
        BadProfile{R"({"seeed": 1})",
                   "p.json: $.seeed: unknown key (expected one of: name, description, extends, "
                   "seed, time_window, rows, guard_tables, parameters)"},
        BadProfile{R"({"parameters": {"events": {"skew": 2}}})",
                   "p.json: $.parameters.events.skew: unknown key (expected one of: asset_skew, "
                   "deployment_event_rate, user_event_rate, working_hours_weight, "
                   "evening_weight)"},
        BadProfile{R"({"parameters": {"deployments": {"failed_rate": "high"}}})",
                   "p.json: $.parameters.deployments.failed_rate: expected a number"},
        BadProfile{R"({"time_window": {"start": "2024-13-01T00:00:00Z"}})",
                   "p.json: $.time_window.start: expected an ISO 8601 UTC time like "
                   "2024-01-01T00:00:00Z, got '2024-13-01T00:00:00Z'"},
        BadProfile{R"({"time_window": {"start": "2025-12-30T00:00:00Z"}})",
                   "p.json: $.time_window: end must be at least 7 days after start"},
        BadProfile{R"([1, 2])", "p.json: $: a profile must be a JSON object"},
        BadProfile{"{\n  \"seed\": 1,\n  \"rows\": {\"users\" 5}\n}",
                   "p.json:3:20: malformed JSON (The JSON document has an improper structure: "
                   "missing or superfluous commas, braces, missing keys, etc.)"}));

TEST(ProfileLoading, UnknownNameListsTheBuiltins) {
  auto profile = LoadProfile("nope");
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(profile.status().message(),
            "unknown profile 'nope' (built-in profiles: default, large, xl; or give the path of "
            "a .json file)");
}

TEST(RowOverrides, SetTargetsAndRejectBadAssignments) {
  Profile profile;
  ASSERT_TRUE(ApplyRowOverride("assets=50000", "--rows", &profile).ok());
  EXPECT_EQ(profile.Target(TableId::kAssets), 50000);
  EXPECT_EQ(ApplyRowOverride("assets=-1", "--rows", &profile).message(),
            "--rows: assets: expected a non-negative integer, got '-1'");
  EXPECT_EQ(ApplyRowOverride("gadgets=1", "--rows", &profile).message(),
            "--rows: unknown table 'gadgets' (expected users, applications, assets, deployments "
            "or events)");
  EXPECT_EQ(ApplyRowOverride("assets", "--rows", &profile).message(),
            "--rows: expected TABLE=N, got 'assets'");
}

}  // namespace
}  // namespace seedforge
