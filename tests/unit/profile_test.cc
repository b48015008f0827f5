// Profiles: the shipped targets, layering with "extends", and one precise message per kind of
// bad input (file and JSON path, or line and column for malformed JSON).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "engine/profile.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

// The target of every table of the profile, by table name.
using Targets = std::map<std::string, int64_t>;

Targets TargetsOf(const Profile& profile) {
  Targets targets;
  for (size_t i = 0; i < profile.schemas().size(); ++i) {
    targets[profile.schemas()[i].name] = profile.Target(i);
  }
  return targets;
}

// The targets of the built-in fleet's five tables.
Targets Fleet(int64_t users, int64_t applications, int64_t assets, int64_t deployments,
              int64_t events) {
  return {{"users", users},
          {"applications", applications},
          {"assets", assets},
          {"deployments", deployments},
          {"events", events}};
}

// The index of table `name` in the profile's schemas(); fails the test when it has none.
size_t TableIndex(const Profile& profile, std::string_view name) {
  const int table = profile.FindTable(name);
  EXPECT_GE(table, 0) << "no table " << name;
  return table < 0 ? 0 : static_cast<size_t>(table);
}

// The index of column `column` of table `table`; fails the test when it has none.
int ColumnIndex(const Profile& profile, std::string_view table, std::string_view column) {
  const auto& columns = profile.schemas()[TableIndex(profile, table)].columns;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == column) return static_cast<int>(c);
  }
  ADD_FAILURE() << "no column " << table << "." << column;
  return -1;
}

TEST(BuiltinProfiles, ShipTheDocumentedTargetsSeedAndWindow) {
  auto def = LoadProfile("default");
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ(TargetsOf(*def), Fleet(5, 10, 100, 20, 100));
  EXPECT_EQ(def->seed, 42u);
  EXPECT_EQ(def->window_start_micros, 1704067200LL * 1000000);  // 2024-01-01T00:00:00Z
  EXPECT_EQ(def->window_end_micros, 1767225600LL * 1000000);    // 2026-01-01T00:00:00Z
  auto large = LoadProfile("large");
  ASSERT_TRUE(large.ok()) << large.status().message();
  EXPECT_EQ(TargetsOf(*large), Fleet(1000, 5000, 50000, 10000, 100000));
  EXPECT_EQ(large->seed, 42u);
  auto xl = LoadProfile("xl");
  ASSERT_TRUE(xl.ok()) << xl.status().message();
  EXPECT_EQ(TargetsOf(*xl), Fleet(10000, 50000, 500000, 100000, 1000000));
}

TEST(ProfileParsing, ExtendsOverridesOnlyTheKeysItNames) {
  auto profile = ParseProfile(
      R"({"extends": "default", "seed": 7, "rows": {"events": 5},
          "time_window": {"end": "2027-01-01T00:00:00Z"}})",
      "mine.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->seed, 7u);
  EXPECT_EQ(TargetsOf(*profile), Fleet(5, 10, 100, 20, 5));
  EXPECT_EQ(profile->window_end_micros, 1798761600LL * 1000000);    // 2027-01-01T00:00:00Z
  EXPECT_EQ(profile->window_start_micros, 1704067200LL * 1000000);  // from default
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
  EXPECT_EQ(TargetsOf(*profile), Fleet(3, 0, 4, 0, 0));
}

TEST(ProfileParsing, WithoutTablesOrExtendsAProfileHasTheFleetsTablesAndOnlyItsOwnTargets) {
  auto profile = ParseProfile(R"({"rows": {"users": 3}})", "mine.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(TargetsOf(*profile), Fleet(3, 0, 0, 0, 0));
  EXPECT_EQ(profile->description, "");
  // The fleet's rules come with its tables; its generated data is the default profile's.
  EXPECT_EQ(profile->checks.size(), 33u);
  auto def = LoadProfile("default");
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ(ProfileFingerprint(*profile), ProfileFingerprint(*def));
}

// A declared table's numeric "rows" is a target, as --rows is: a file whose targets were raised
// tops up the database another filled. A {"per": ...} layout decides the rows, so it counts.
TEST(ProfileFingerprint, LeavesOutDeclaredTargetsButNotLayouts) {
  const auto fingerprint = [](const std::string& users_rows, const std::string& posts_rows) {
    const std::string json = R"({"tables": {
      "users": {"rows": )" + users_rows +
                             R"(, "columns": {"id": {"type": "bigint", "gen": "id"}}},
      "posts": {"rows": )" + posts_rows +
                             R"(, "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "user_id": {"type": "bigint", "gen": "ref", "to": "users"}}}}})";
    auto profile = ParseProfile(json, "mine.json", "");
    EXPECT_TRUE(profile.ok()) << profile.status().message();
    return profile.ok() ? ProfileFingerprint(*profile) : std::string();
  };
  const std::string small = fingerprint("10", "20");
  EXPECT_EQ(small.size(), 64u);
  EXPECT_EQ(fingerprint("300", "7"), small);
  const std::string per = fingerprint("10", R"({"per": "users", "min": 1, "max": 3})");
  EXPECT_NE(per, small);
  EXPECT_NE(fingerprint("10", R"({"per": "users", "min": 1, "max": 4})"), per);
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
                   "seed, time_window, types, tables, rows, guard_tables, fixtures, env, checks)"},
        // The fleet's old settings point to where they went.
        BadProfile{R"({"parameters": {"users": {"inactive_rate": 0.2}}})",
                   "p.json: $.parameters: the fleet's parameters are gone: the fleet declares its "
                   "tables like any profile (seedforge profiles show default); change a column "
                   "under \"tables\""},
        BadProfile{R"({"extends": "default", "parameters": {}})",
                   "p.json: $.parameters: the fleet's parameters are gone: the fleet declares its "
                   "tables like any profile (seedforge profiles show default); change a column "
                   "under \"tables\""},
        BadProfile{R"({"time_window": {"start": "2024-13-01T00:00:00Z"}})",
                   "p.json: $.time_window.start: expected an ISO 8601 UTC time like "
                   "2024-01-01T00:00:00Z, got '2024-13-01T00:00:00Z'"},
        BadProfile{R"({"time_window": {"start": "2025-12-30T00:00:00Z"}})",
                   "p.json: $.time_window: end must be at least 7 days after start"},
        BadProfile{R"([1, 2])", "p.json: $: a profile must be a JSON object"},
        // fixtures
        BadProfile{R"({"fixtures": {"widgets": {}}})",
                   "p.json: $.fixtures.widgets: unknown table (expected one of: users, "
                   "applications, assets, deployments, events)"},
        BadProfile{R"({"fixtures": {"users": {"rows": []}}})",
                   "p.json: $.fixtures.users: missing \"key\" (the natural key column)"},
        BadProfile{R"({"fixtures": {"users": {"key": "nick", "rows": []}}})",
                   "p.json: $.fixtures.users.key: 'nick' is not a column of users other than id"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"id": 7}]}}})",
                   "p.json: $.fixtures.users.rows[0].id: fixtures take their ids from the "
                   "table's identity"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"nick": "x"}]}}})",
                   "p.json: $.fixtures.users.rows[0].nick: unknown column of users"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a"}]}}})",
                   "p.json: $.fixtures.users.rows[0]: missing column 'email' (NOT NULL in "
                   "users)"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a",
                     "email": "a@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": "yes", "created_at": "2024-01-01T00:00:00Z"}]}}})",
                   "p.json: $.fixtures.users.rows[0].is_active: expected true or false"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a",
                     "email": "a@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": true, "created_at": "yesterday"}]}}})",
                   "p.json: $.fixtures.users.rows[0].created_at: expected an ISO 8601 UTC time "
                   "like 2024-01-01T00:00:00Z, got 'yesterday'"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a",
                     "email": "a@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": true, "created_at": "2024-01-01T00:00:00Z",
                     "created_by": {"ref": "root"}}]}}})",
                   "p.json: $.fixtures.users.rows[0].created_by: no users fixture has the key "
                   "'root'"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a",
                     "email": "a@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": true, "created_at": "2024-01-01T00:00:00Z",
                     "created_by": "root"}]}}})",
                   "p.json: $.fixtures.users.rows[0].created_by: expected an integer id or "
                   "{\"ref\": KEY of a users fixture}"},
        BadProfile{R"({"fixtures": {"users": {"key": "username", "rows": [{"username": "a",
                     "email": "a@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": true, "created_at": "2024-01-01T00:00:00Z"}, {"username": "a",
                     "email": "b@x", "full_name": "A B", "department": "IT", "role": "r",
                     "is_active": true, "created_at": "2024-01-01T00:00:00Z"}]}}})",
                   "p.json: $.fixtures.users.rows[1]: repeats the key username = 'a' of "
                   "$.fixtures.users.rows[0]"},
        BadProfile{"{\n  \"seed\": 1,\n  \"rows\": {\"users\" 5}\n}",
                   "p.json:3:20: malformed JSON (The JSON document has an improper structure: "
                   "missing or superfluous commas, braces, missing keys, etc.)"}));

// Texts simdjson cannot parse at all used to crash the reader (a location asked of a document
// that failed to iterate); each now has its own message.
struct DamagedText {
  std::string text;
  std::string message;
};

class DamagedProfileText : public ::testing::TestWithParam<DamagedText> {};

TEST_P(DamagedProfileText, IsRefusedWithAMessageThatSaysWhatIsWrong) {
  auto profile = ParseProfile(GetParam().text, "p.json", "");
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(profile.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, DamagedProfileText,
    ::testing::Values(
        DamagedText{"", "p.json: empty file (a profile is a JSON object)"},
        DamagedText{"  \n\t\r\n", "p.json: only blanks (a profile is a JSON object)"},
        DamagedText{std::string("{\"seed\": 1}\0", 12),
                    "p.json:1:12: a NUL byte at byte offset 11 (a profile is UTF-8 JSON text)"},
        DamagedText{std::string("\0", 1),
                    "p.json:1:1: a NUL byte at byte offset 0 (a profile is UTF-8 JSON text)"},
        DamagedText{"{\n\"name\": \"\xc3\x28\"}",
                    "p.json:2:10: invalid UTF-8 at byte offset 11 (a profile is UTF-8 JSON text)"},
        DamagedText{"{\"name\": \"\xed\xa0\x80\"}",  // a UTF-16 surrogate
                    "p.json:1:11: invalid UTF-8 at byte offset 10 (a profile is UTF-8 JSON text)"},
        DamagedText{"\xff",
                    "p.json:1:1: invalid UTF-8 at byte offset 0 (a profile is UTF-8 JSON text)"},
        DamagedText{"{\"seed\": 1} {\"seed\": 2}",
                    "p.json:1:13: trailing content after the JSON object at byte offset 12"},
        DamagedText{"{\"name\": \"}\"}}",
                    "p.json:1:14: trailing content after the JSON object at byte offset 13"},
        DamagedText{"\xEF\xBB\xBF[1]", "p.json: $: a profile must be a JSON object"},
        DamagedText{"{\"rows\": {\"users\": 5, \"users\": 6}}",
                    "p.json: $.rows.users: duplicate key (given twice in the same object)"},
        DamagedText{"{\"seed\": 1, \"seed\": 2}",
                    "p.json: $.seed: duplicate key (given twice in the same object)"},
        DamagedText{"{\"fixtures\": {\"users\": {\"key\": \"username\", \"key\": \"email\"}}}",
                    "p.json: $.fixtures.users.key: duplicate key (given twice in the same "
                    "object)"},
        DamagedText{"{\"fixtures\": {\"users\": {\"key\": \"username\", \"rows\": []}, "
                    "\"users\": {\"key\": \"username\", \"rows\": []}}}",
                    "p.json: $.fixtures.users: duplicate key (given twice in the same object)"},
        DamagedText{"{\"time_window\": {\"end\": \"2027-01-01T00:00:00Z\", \"end\": "
                    "\"2028-01-01T00:00:00Z\"}}",
                    "p.json: $.time_window.end: duplicate key (given twice in the same object)"},
        DamagedText{"{\"seed\": 9223372036854775808}",
                    "p.json: $.seed: out of range (expected 0 to 9223372036854775807), got "
                    "9223372036854775808"}));

TEST(ProfileParsing, AByteOrderMarkIsIgnored) {
  auto profile = ParseProfile("\xEF\xBB\xBF{\"seed\": 3, \"rows\": {\"users\": 2}}", "p.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->seed, 3u);
  EXPECT_EQ(profile->Target(TableIndex(*profile, "users")), 2);
}

TEST(ProfileLoading, AFileWithoutANameIsNamedAfterItselfNotItsBase) {
  const std::string dir = testing::MakeTempDir("profile-name");
  std::ofstream(dir + "/mine.json") << R"({"extends": "large", "seed": 4})";
  auto profile = LoadProfile(dir + "/mine.json");
  testing::RemoveTree(dir);
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->name, "mine");
  EXPECT_EQ(profile->Target(TableIndex(*profile, "events")), 100000);
}

TEST(RowOverrides, ATableGivenTwiceIsRefused) {
  Profile profile = *ParseProfile("{}", "p.json", "");
  EXPECT_EQ(ApplyRowOverrides({"users=5", "assets=2", "users=8"}, "--rows", &profile).message(),
            "--rows: users is given twice (users=5, then users=8)");
  EXPECT_TRUE(ApplyRowOverrides({"users=5", "assets=2"}, "--rows", &profile).ok());
}

TEST(ProfileParsing, FixturesKeepEveryValueWithItsColumnAndReferences) {
  auto profile = ParseProfile(R"({"fixtures": {
      "users": {"key": "username", "rows": [
        {"username": "admin", "email": "admin@x.test", "full_name": "Ada Admin",
         "department": "IT", "role": "Administrator", "is_active": true,
         "created_at": "2024-01-01T00:00:00Z"}]},
      "assets": {"key": "asset_tag", "rows": [
        {"asset_tag": "LAB-1", "hostname": "lab1", "serial_number": "S1", "asset_type": "server",
         "manufacturer": "Dell", "model": "R750", "os_name": "Ubuntu", "os_version": "22.04",
         "ip_address": "10.0.0.9", "mac_address": "00:11:22:33:44:55", "location": "Lab",
         "owner_id": {"ref": "admin"}, "status": "active",
         "last_seen_at": "2025-01-01T00:00:00Z", "created_at": "2024-02-01T00:00:00Z"}]}}})",
                              "p.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  const int username = ColumnIndex(*profile, "users", "username");
  const int is_active = ColumnIndex(*profile, "users", "is_active");
  const int owner_id = ColumnIndex(*profile, "assets", "owner_id");
  const TableFixtures& users = profile->fixtures[TableIndex(*profile, "users")];
  ASSERT_EQ(users.rows.size(), 1u);
  EXPECT_EQ(users.key_column, username);
  EXPECT_EQ(users.rows[0].path, "$.fixtures.users.rows[0]");
  ASSERT_NE(users.rows[0].Find(username), nullptr);
  EXPECT_EQ(users.rows[0].Find(username)->text, "admin");
  ASSERT_NE(users.rows[0].Find(is_active), nullptr);
  EXPECT_EQ(users.rows[0].Find(is_active)->kind, FixtureValue::Kind::kBool);
  EXPECT_TRUE(users.rows[0].Find(is_active)->boolean);
  // created_by not given: NULL
  EXPECT_EQ(users.rows[0].Find(ColumnIndex(*profile, "users", "created_by")), nullptr);
  const TableFixtures& assets = profile->fixtures[TableIndex(*profile, "assets")];
  ASSERT_EQ(assets.rows.size(), 1u);
  ASSERT_NE(assets.rows[0].Find(owner_id), nullptr);
  EXPECT_EQ(assets.rows[0].Find(owner_id)->kind, FixtureValue::Kind::kRef);
  EXPECT_EQ(assets.rows[0].Find(owner_id)->text, "admin");
  EXPECT_TRUE(profile->fixtures[TableIndex(*profile, "events")].rows.empty());
}

TEST(ProfileLoading, UnknownNameListsTheBuiltins) {
  auto profile = LoadProfile("nope");
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      profile.status().message(),
      "unknown profile 'nope' (built-in profiles: default, large, storefront, theatre, "
      "theatre-large, trading, travelers, travelers-large, xl; or give the path of a .json file)");
}

TEST(RowOverrides, SetTargetsAndRejectBadAssignments) {
  Profile profile = *ParseProfile("{}", "p.json", "");
  ASSERT_TRUE(ApplyRowOverride("assets=50000", "--rows", &profile).ok());
  EXPECT_EQ(profile.Target(TableIndex(profile, "assets")), 50000);
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

namespace seedforge {
namespace {

TEST(ScaleTargets, MultipliesTheTargetsTheProfileGivesAndRoundsToWholeRows) {
  auto profile = LoadProfile("travelers");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  ASSERT_EQ(profile->schemas().size(), 2u);
  EXPECT_EQ(profile->rows[0], std::optional<int64_t>(200));
  EXPECT_EQ(profile->rows[1], std::nullopt);  // routing_steps: per traveler
  ASSERT_TRUE(ScaleTargets("2.5", "--scale", &*profile).ok());
  EXPECT_EQ(profile->rows[0], std::optional<int64_t>(500));
  EXPECT_EQ(profile->rows[1], std::nullopt);
  ASSERT_TRUE(ScaleTargets("0.001", "--scale", &*profile).ok());
  EXPECT_EQ(profile->rows[0], std::optional<int64_t>(1));  // 0.5 rounds up
  for (const char* bad : {"0", "-1", "x", "1e7", "2 ", ""}) {
    EXPECT_EQ(
        ScaleTargets(bad, "--scale", &*profile).message(),
        std::string("--scale: expected a number above 0 and at most 1000000, got '") + bad + "'")
        << bad;
  }
}

TEST(CountVariables, AProfileNamesItsOwnEnvironmentVariablesForItsTables) {
  auto profile = LoadProfile("trading");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  ASSERT_EQ(profile->count_variables.size(), 3u);
  EXPECT_EQ(profile->count_variables[0].first, "SEED_USER_COUNT");
  EXPECT_EQ(profile->schemas()[profile->count_variables[0].second].name, "users");
  EXPECT_EQ(profile->count_variables[2].first, "SEED_AGENT_SESSION_COUNT");
  EXPECT_EQ(profile->schemas()[profile->count_variables[2].second].name, "agent_sessions");
  auto bad =
      ParseProfile(R"({"extends": "trading", "env": {"SEED_X_COUNT": "nope"}})", "p.json", "");
  EXPECT_EQ(bad.status().message(),
            "p.json: $.env.SEED_X_COUNT: unknown table 'nope' (expected one of: users, "
            "trading_algorithms, agent_sessions, price_history)");
  bad = ParseProfile(R"({"extends": "trading", "env": {"seed-x": "users"}})", "p.json", "");
  EXPECT_EQ(bad.status().message(),
            "p.json: $.env.seed-x: an environment variable name is upper-case letters, digits "
            "and '_'");
}

}  // namespace
}  // namespace seedforge
