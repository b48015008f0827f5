// Rows seedforge did not make: fixtures from the profile, and rows the application inserted by
// hand with ids and unique values of its own. Each against the test binary's real server. They
// must never cause a failure, a duplicate or an overwrite, and a top-up must still end with
// exactly the target count, with `verify` passing (its rules and fingerprints cover the
// generated rows only).
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::TestCluster;

// Small explicit targets: TABLE=N for each table.
std::vector<std::string> Rows(int64_t users, int64_t assets, int64_t events) {
  return {"--rows", "users=" + std::to_string(users),   "--rows", "applications=20",
          "--rows", "assets=" + std::to_string(assets), "--rows", "deployments=100",
          "--rows", "events=" + std::to_string(events)};
}

ProcessResult Command(const std::string& command, const std::string& url,
                      const std::vector<std::string>& extra) {
  std::vector<std::string> args = {command, "--db", url, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunSeedforge(args);
}

constexpr const char* kInsertUser =
    "INSERT INTO users (%ID%username, email, full_name, department, role, is_active, created_at) "
    "VALUES (%IDV%'%U%', '%E%', 'App Person', 'IT', 'Engineer', true, "
    "'2025-06-01T00:00:00Z')";

std::string InsertUser(const std::string& username, const std::string& email, int64_t id = 0) {
  std::string sql = kInsertUser;
  auto replace = [&](const std::string& from, const std::string& to) {
    sql.replace(sql.find(from), from.size(), to);
  };
  replace("%ID%", id > 0 ? "id, " : "");
  replace("%IDV%", id > 0 ? std::to_string(id) + ", " : "");
  replace("%U%", username);
  replace("%E%", email);
  return sql;
}

// The application's own rows, as text, to compare before and after.
std::string AppRows(const std::string& url) {
  return QueryValue(url,
                    "SELECT string_agg(u::text, '|' ORDER BY id) FROM users u WHERE full_name = "
                    "'App Person'") +
         "/" +
         QueryValue(url,
                    "SELECT string_agg(e::text, '|' ORDER BY id) FROM events e WHERE event_type "
                    "= 'app_custom'");
}

TEST(ApplicationRows, TopUpEndsAtTheTargetWithoutTouchingThemOrTheirIdsAndValues) {
  // What the generator makes for users 101..103 (ids 101..103 in a fresh run): the application
  // below takes those usernames and e-mails, and the ids after the first seed.
  const std::string reference = TestCluster::Get().CreateDatabase("approws_reference");
  ASSERT_EQ(Command("seed", reference, Rows(110, 200, 500)).exit_code, 0);
  const std::string username_102 =
      QueryValue(reference, "SELECT username FROM users WHERE id = 102");
  const std::string email_103 = QueryValue(reference, "SELECT email FROM users WHERE id = 103");

  const std::string url = TestCluster::Get().CreateDatabase("approws");
  ProcessResult first = Command("seed", url, Rows(100, 200, 400));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // Ids of its own (the next ones, through the identity, and one far ahead), and values the
  // next generated users would take.
  Execute(url, InsertUser(username_102, email_103));  // identity: id 101
  Execute(url, InsertUser("app.two", "two@app.test", 102));
  Execute(url, InsertUser("app.far", "far@app.test", 5000));
  Execute(url,
          "INSERT INTO events (asset_id, user_id, event_type, severity, occurred_at, payload) "
          "VALUES (3, 5000, 'app_custom', 'info', '2025-06-02T00:00:00Z', '{\"by\": \"app\"}'), "
          "(4, NULL, 'app_custom', 'warning', '2025-06-03T00:00:00Z', '{}')");
  const std::string app_rows = AppRows(url);

  const ProcessResult topup = Command("seed", url, Rows(120, 210, 600));
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_EQ(topup.err, "");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 120);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 210);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 600);
  EXPECT_EQ(AppRows(url), app_rows);
  // 100 generated, 3 of the application's, 17 new generated ones past the largest id.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users WHERE id BETWEEN 5001 AND 5017"), 17);
  EXPECT_EQ(QueryInt(url, "SELECT max(id) FROM users"), 5017);
  // The new users are the reference's users 101.., except that the two values the application
  // holds moved aside.
  EXPECT_EQ(QueryValue(url, "SELECT username FROM users WHERE id = 5002"), username_102 + "-2");
  const std::string at = email_103.substr(email_103.find('@'));
  EXPECT_EQ(QueryValue(url, "SELECT email FROM users WHERE id = 5003"),
            email_103.substr(0, email_103.find('@')) + "+2" + at);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(username, ',' ORDER BY id) FROM users WHERE id "
                       "BETWEEN 5004 AND 5010"),
            QueryValue(reference,
                       "SELECT string_agg(username, ',' ORDER BY id) FROM users "
                       "WHERE id BETWEEN 104 AND 110"));
  // The application's two events took ids 401 and 402; generated events follow them and refer
  // to generated users only.
  EXPECT_EQ(
      QueryInt(url, "SELECT min(id) FROM events WHERE event_type <> 'app_custom' AND id > 400"),
      403);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM events WHERE event_type <> 'app_custom' AND "
                     "user_id IN (101, 102, 5000)"),
            0);

  // verify: targets met, keys and rules hold for the generated rows, fingerprints match.
  std::vector<std::string> verify_args = Rows(120, 210, 600);
  const ProcessResult verify = Command("verify", url, verify_args);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // Nothing left to do: a rerun adds nothing and changes nothing.
  const auto fingerprints = testing::Fingerprints(url);
  const ProcessResult again = Command("seed", url, Rows(120, 210, 600));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testing::Fingerprints(url), fingerprints);
}

TEST(ApplicationRows, RowsInAnEmptySchemaAreKeptAndGeneratedRowsFollowThem) {
  // The application made its schema and a few rows before seedforge ever ran (no history).
  const std::string url = TestCluster::Get().CreateDatabase("approws_first");
  // Creates the empty schema.
  ASSERT_EQ(Command("seed", url,
                    {"--rows", "users=0", "--rows", "applications=0", "--rows", "assets=0",
                     "--rows", "deployments=0", "--rows", "events=0"})
                .exit_code,
            0);
  Execute(url, InsertUser("jdoe1", "john.doe1@example.com", 1));
  Execute(url, InsertUser("app.two", "two@app.test", 2));
  const std::string app_rows = AppRows(url);

  const ProcessResult seeded = Command("seed", url, Rows(50, 60, 80));
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 50);
  EXPECT_EQ(QueryInt(url, "SELECT min(id) FROM users WHERE full_name <> 'App Person'"), 3);
  EXPECT_EQ(AppRows(url), app_rows);
  EXPECT_EQ(Command("verify", url, Rows(50, 60, 80)).exit_code, 0);
}

// A profile file with fixtures: an admin user, an operator created by the admin, and a lab
// server owned by the admin. The operator's username is the one the generator gives its first
// user, so generated rows must move aside.
std::string WriteFixtureProfile(const std::string& dir, const std::string& first_username) {
  const std::string path = dir + "/fixtures.json";
  std::ofstream(path) << R"({"extends": "default", "name": "with-fixtures",
  "rows": {"users": 40, "applications": 10, "assets": 50, "deployments": 60, "events": 90},
  "fixtures": {
    "users": {"key": "username", "rows": [
      {"username": "admin", "email": "admin@corp.test", "full_name": "Site Admin",
       "department": "IT", "role": "Administrator", "is_active": true,
       "created_at": "2024-01-01T00:00:00Z"},
      {"username": ")" + first_username +
                             R"(", "email": "ops@corp.test", "full_name": "Ops Person",
       "department": "IT", "role": "Operator", "is_active": true,
       "created_at": "2024-01-02T00:00:00Z", "created_by": {"ref": "admin"}}]},
    "assets": {"key": "asset_tag", "rows": [
      {"asset_tag": "LAB-0001", "hostname": "lab-1", "serial_number": "SN-LAB-1",
       "asset_type": "server", "manufacturer": "Dell", "model": "PowerEdge R750",
       "os_name": "Ubuntu", "os_version": "22.04", "ip_address": "10.9.9.9",
       "mac_address": "00:11:22:33:44:55", "location": "Lab", "owner_id": {"ref": "admin"},
       "status": "active", "last_seen_at": "2025-01-01T00:00:00Z",
       "created_at": "2024-01-03T00:00:00Z"}]}}})";
  return path;
}

TEST(Fixtures, InsertedWhenAbsentNeverOverwrittenAndNeverCollidedWith) {
  const std::string reference = TestCluster::Get().CreateDatabase("fixtures_reference");
  ASSERT_EQ(Command("seed", reference, Rows(40, 50, 90)).exit_code, 0);
  const std::string first_username =
      QueryValue(reference, "SELECT username FROM users WHERE id = 1");

  const std::string dir = MakeTempDir("fixtures");
  const std::string profile = WriteFixtureProfile(dir, first_username);
  const std::string url = TestCluster::Get().CreateDatabase("fixtures");
  const ProcessResult seeded = RunSeedforge({"seed", "--db", url, "--profile", profile});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_NE(seeded.out.find("note: users: inserted 2 fixture rows\n"), std::string::npos)
      << seeded.out;
  EXPECT_NE(seeded.out.find("note: assets: inserted 1 fixture rows\n"), std::string::npos);
  // Targets include the fixtures.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 40);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 50);
  // Values as given, references resolved by natural key.
  EXPECT_EQ(QueryValue(url,
                       "SELECT email || ' ' || role || ' ' || is_active || ' ' || "
                       "(created_by IS NULL) FROM users WHERE username = 'admin'"),
            "admin@corp.test Administrator true true");
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM users o JOIN users a ON a.id = o.created_by "
                     "WHERE o.email = 'ops@corp.test' AND a.username = 'admin'"),
            1);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM assets s JOIN users a ON a.id = s.owner_id WHERE "
                     "s.asset_tag = 'LAB-0001' AND a.username = 'admin' AND s.ip_address = "
                     "'10.9.9.9' AND s.mac_address = '00:11:22:33:44:55'"),
            1);
  // The generator's first user moved aside for the fixture that holds its username.
  EXPECT_EQ(QueryValue(url, "SELECT username FROM users WHERE id = 1"), first_username + "-2");
  EXPECT_EQ(Command("verify", url, {"--profile", profile}).exit_code, 0);

  // Never overwritten: a changed fixture stays changed; a deleted one comes back.
  Execute(url, "UPDATE users SET email = 'changed@corp.test' WHERE username = 'admin'");
  Execute(url, "DELETE FROM assets WHERE asset_tag = 'LAB-0001'");
  const ProcessResult again =
      RunSeedforge({"seed", "--db", url, "--profile", profile, "--rows", "users=45"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(QueryValue(url, "SELECT email FROM users WHERE username = 'admin'"),
            "changed@corp.test");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users WHERE username = 'admin'"), 1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM users"), 45);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets"), 50);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM assets WHERE asset_tag = 'LAB-0001'"), 1);
  EXPECT_EQ(Command("verify", url, {"--profile", profile, "--rows", "users=45"}).exit_code, 0);
  RemoveTree(dir);
}

TEST(Fixtures, AValueTheServerRefusesFailsBeforeAnythingIsWritten) {
  const std::string dir = MakeTempDir("fixtures_bad");
  const std::string path = dir + "/bad.json";
  std::ofstream(path) << R"({"extends": "default", "fixtures": {"users": {"key": "username",
    "rows": [{"username": "admin", "email": "admin@corp.test", "full_name": "Site Admin",
    "department": "IT", "role": "Administrator", "is_active": true,
    "created_at": "2024-01-01T00:00:00Z"}]}, "assets": {"key": "asset_tag", "rows": [
    {"asset_tag": "LAB-0001", "hostname": "lab-1", "serial_number": "SN-LAB-1",
     "asset_type": "server", "manufacturer": "Dell", "model": "PowerEdge R750",
     "os_name": "Ubuntu", "os_version": "22.04", "ip_address": "not-an-address",
     "mac_address": "00:11:22:33:44:55", "location": "Lab", "status": "active",
     "last_seen_at": "2025-01-01T00:00:00Z", "created_at": "2024-01-03T00:00:00Z"}]}}})";
  const std::string url = TestCluster::Get().CreateDatabase("fixtures_bad");
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--quiet", "--profile", path});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(testing::CountLines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("seedforge: error: " + path + ": $.fixtures.assets.rows[0]: "),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("not-an-address"), std::string::npos) << result.err;
  // Nothing was created: no tables, no history.
  EXPECT_EQ(testing::PublicTables(url), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
