// The built-in `theatre` profile seeded into the tables the theatre app's own migration created
// (tests/schemas/theatre_app.sql: quoted mixed-case tables, DEFERRABLE self-references, a table of
// unordered user pairs): exact counts, the shapes the app relies on checked in SQL (every crew
// pair once and ordered, an element's parent earlier in the same script, a user created by an
// earlier user), the admin fixture, verify, a top-up that leaves the old rows and the fixture as
// they were, and auto's guard on "userTable".
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

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

constexpr const char* kAdminHash =
    "$6$seedforgeadmin$qCZ1bwpaDq1MnH38dJXMP7ajimfl1bgCfIaq4aRn53G1QOMAcAQZTwuL4xsdRleZ5Z."
    "k8GH8rqvwbvYCdfSca.";

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

// A new database holding the theatre app's tables as its migration creates them.
std::string AppDatabase(const std::string& prefix) {
  return testing::DatabaseWithSchema(prefix, "theatre_app.sql");
}

const std::vector<std::string>& AllTables() {
  static const std::vector<std::string> kTables = {"\"userTable\"",
                                                   "venues",
                                                   "departments",
                                                   "shows",
                                                   "scripts",
                                                   "\"scriptElementsTable\"",
                                                   "crew_relationships",
                                                   "crew_assignments",
                                                   "script_shares"};
  return kTables;
}

std::string Fingerprints(const std::string& url) {
  std::string out;
  for (const std::string& table : AllTables()) out += TableFingerprint(url, table) + " ";
  return out;
}

// Rows breaking the shapes the app relies on, by what they break; all zero when seeded right.
void ExpectTheAppsShapes(const std::string& url) {
  // Crew relationships: distinct users, each unordered pair once.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM crew_relationships WHERE user_a >= user_b"), 0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) - count(DISTINCT (least(user_a, user_b), "
                     "greatest(user_a, user_b))) FROM crew_relationships"),
            0);
  // An element's parent is an earlier element of the same script.
  EXPECT_EQ(
      QueryInt(url,
               "SELECT count(*) FROM \"scriptElementsTable\" e JOIN \"scriptElementsTable\" "
               "p ON p.id = e.parent_element_id "
               "WHERE p.script_id <> e.script_id OR p.sequence >= e.sequence OR p.id >= e.id"),
      0);
  // Each script's elements are numbered 1..count, 10 to 200 of them.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM (SELECT script_id, count(*) c, min(sequence) lo, "
                     "max(sequence) hi FROM \"scriptElementsTable\" GROUP BY 1) s "
                     "WHERE c < 10 OR c > 200 OR lo <> 1 OR hi <> c"),
            0);
  // A user was created by an earlier user, after that user was.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM \"userTable\" u JOIN \"userTable\" c "
                     "ON c.id = u.created_by WHERE c.id >= u.id OR c.created_at > u.created_at"),
            0);
  // Generated usernames and e-mails are the lower-cased names with the row number.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM \"userTable\" WHERE username <> 'admin' AND "
                     "(username !~ '[0-9]+$' OR email !~ '^[^@]+[0-9]+@example\\.com$' "
                     "OR username <> lower(username))"),
            0);
}

TEST(TheatreProfile, SeedsIntoTheAppsOwnTablesAndVerifies) {
  const std::string url = AppDatabase("theatre");
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", "theatre", "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  // 49 generated users and the admin fixture; the other tables as the profile states them, and
  // 10 to 200 elements for each of the 30 scripts.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\""), 50);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM venues"), 5);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM departments"), 8);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM shows"), 20);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM scripts"), 30);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"scriptElementsTable\""), 2927);  // golden
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM crew_relationships"), 300);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM crew_assignments"), 120);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM script_shares"), 60);
  EXPECT_EQ(QueryValue(url, "SELECT string_agg(name, ',' ORDER BY id) FROM departments"),
            "Stage Management,Lighting,Sound,Costume,Set,Props,Wardrobe,Front of House");
  ExpectTheAppsShapes(url);
  // Pairs are spread over the generated users (1..49), not the first few.
  EXPECT_LE(QueryInt(url, "SELECT max(user_b) FROM crew_relationships"), 49);
  EXPECT_GE(QueryInt(url,
                     "SELECT count(DISTINCT u) FROM (SELECT user_a u FROM crew_relationships "
                     "UNION ALL SELECT user_b FROM crew_relationships) s"),
            45);
  // Only the first generated user and the fixture have no creator.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(id::text, ',' ORDER BY id) FROM \"userTable\" "
                       "WHERE created_by IS NULL"),
            "1,50");
  EXPECT_GT(QueryInt(url,
                     "SELECT count(*) FROM \"scriptElementsTable\" "
                     "WHERE parent_element_id IS NOT NULL"),
            0);
  // The admin fixture, once, with its precomputed hash.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(id || '|' || email || '|' || role || '|' || "
                       "password_hash || '|' || coalesce(created_by::text, '-'), ',') "
                       "FROM \"userTable\" WHERE username = 'admin'"),
            std::string("50|admin@theatre.example|admin|") + kAdminHash + "|-");
  const ProcessResult verified = Sf({"verify", "--db", url});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verify: all "), std::string::npos) << verified.out;
  // The same target again adds nothing.
  const std::string before = Fingerprints(url);
  ASSERT_EQ(Sf({"seed", "--db", url, "--profile", "theatre", "--quiet"}).exit_code, 0);
  EXPECT_EQ(Fingerprints(url), before);
}

TEST(TheatreProfile, ATopUpAddsUsersAndPairsAndLeavesTheOldRowsAndTheFixture) {
  const std::string url = AppDatabase("theatre_top_up");
  ASSERT_EQ(Sf({"seed", "--db", url, "--profile", "theatre", "--quiet"}).exit_code, 0);
  const std::string old_users =
      QueryValue(url, "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM \"userTable\" t");
  const std::string old_pairs = TableFingerprint(url, "crew_relationships");
  const std::string old_elements = TableFingerprint(url, "\"scriptElementsTable\"");
  const ProcessResult grown =
      Sf({"seed", "--db", url, "--profile", "theatre", "--rows", "userTable=120",
          "crew_relationships=2000", "scripts=40", "--quiet"});
  ASSERT_EQ(grown.exit_code, 0) << grown.err;
  // 119 generated users and the fixture; the new users come after it.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\""), 120);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM crew_relationships"), 2000);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM scripts"), 40);
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) "
                       "FROM \"userTable\" t WHERE id <= 50"),
            old_users);
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), '')) "
                       "FROM crew_relationships t WHERE id <= 300"),
            old_pairs);
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), '')) "
                       "FROM \"scriptElementsTable\" t WHERE script_id <= 30"),
            old_elements);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\" WHERE username = 'admin'"), 1);
  EXPECT_EQ(QueryInt(url, "SELECT min(id) FROM \"userTable\" WHERE id > 50"), 51);
  // Users past the first 49 generated ones (ids 51 and on) are in new pairs.
  EXPECT_GT(QueryInt(url, "SELECT count(*) FROM crew_relationships WHERE user_b > 50"), 0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM crew_relationships WHERE user_a = 50 OR "
                     "user_b = 50"),
            0);  // the fixture is no generated row
  ExpectTheAppsShapes(url);
  const ProcessResult verified = Sf(
      {"verify", "--db", url, "--rows", "userTable=120", "crew_relationships=2000", "scripts=40"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST(TheatreProfile, MorePairsThanUsersMakeIsOneLineAndChangesNothing) {
  const std::string url = AppDatabase("theatre_too_many");
  const ProcessResult result = Sf({"seed", "--db", url, "--profile", "theatre", "--rows",
                                   "userTable=10", "crew_relationships=100"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: profile theatre: table crew_relationships: 100 rows need as many "
            "distinct pairs of "
            "\"userTable\" rows (column user_a), but its 9 rows make only 36\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\""), 0);
}

TEST(TheatreProfile, AutoSeedsOnlyWithoutUsers) {
  const std::string url = AppDatabase("theatre_auto");
  Execute(url,
          "INSERT INTO \"userTable\" (first_name, last_name, username, email, password_hash, "
          "role, created_at) VALUES ('A', 'B', 'ab', 'ab@app.example', 'x', 'crew', now())");
  ProcessResult result = Sf({"auto", "--db", url, "--profile", "theatre"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\""), 1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM shows"), 0);
  Execute(url, "DELETE FROM \"userTable\"");
  result = Sf({"auto", "--db", url, "--profile", "theatre", "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM \"userTable\""), 50);
}

TEST(TheatreProfile, LargeExtendsItWithTheLoadTestTargets) {
  // Generated without a server (no fixtures there): the targets of theatre-large, elements drawn
  // 10 to 200 per script as in theatre.
  const std::string dir = MakeTempDir("theatre_large");
  const ProcessResult result = Sf({"generate", "--profile", "theatre-large", "--format", "null",
                                   "--quiet", "--report", dir + "/report.json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string report = ReadFile(dir + "/report.json");
  for (const char* expected :
       {"{\"table\": \"userTable\", \"target\": 5000,", "{\"table\": \"venues\", \"target\": 40,",
        "{\"table\": \"departments\", \"target\": 8,", "{\"table\": \"shows\", \"target\": 1000,",
        "{\"table\": \"scripts\", \"target\": 3000,",
        "{\"table\": \"scriptElementsTable\", \"target\": 311284,",  // golden
        "{\"table\": \"crew_relationships\", \"target\": 50000,",
        "{\"table\": \"crew_assignments\", \"target\": 20000,",
        "{\"table\": \"script_shares\", \"target\": 10000,"}) {
    EXPECT_NE(report.find(expected), std::string::npos) << expected << "\n" << report;
  }
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
