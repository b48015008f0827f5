// References that go around a cycle of tables (a department's manager is an employee, an
// employee's department is a department): a deferrable or nullable ref may point at a table
// loaded after its own, which breaks the cycle. Its foreign key waits in the constraint journal
// until the table it refers to has its rows, on the bulk path (one connection or two) and on
// top-ups, so the load ends with every key back and no orphan; a SIGKILL in between ends, after
// a rerun, with the rows a clean run gives. init infers such a profile from a NOT NULL
// DEFERRABLE cycle of the database.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::DatabaseWithSchema;
using testing::ExpectVerifyPasses;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::TableFingerprint;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

constexpr const char* kCompany = R"json({
  "name": "company",
  "tables": {
    "departments": {
      "rows": 20,
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "name": {"type": "text", "gen": "department"},
        "manager_id": {"type": "bigint", "gen": "ref", "to": "employees", "deferrable": true}
      }
    },
    "employees": {
      "rows": 500,
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "department_id": {"type": "bigint", "gen": "ref", "to": "departments"},
        "mentor_id": {"type": "bigint", "gen": "ref", "to": "employees", "earlier": true},
        "name": {"type": "text", "gen": "full_name"}
      }
    },
    "badges": {
      "rows": 300,
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "employee_id": {"type": "bigint", "gen": "ref", "to": "employees"},
        "lost_by": {"type": "bigint", "gen": "ref", "to": "employees", "null_rate": 0.5}
      }
    }
  }
}
)json";

// What every run of the company profile must leave: its three foreign keys between the two
// tables (the manager's deferrable), none parked, no orphan.
void ExpectWholeSchema(const std::string& url) {
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(conname || ': ' || pg_get_constraintdef(oid), '; ' "
                       "ORDER BY conname) FROM pg_constraint WHERE contype = 'f' AND conrelid "
                       "IN ('departments'::regclass, 'employees'::regclass)"),
            "departments_manager_id_fkey: FOREIGN KEY (manager_id) REFERENCES employees(id) "
            "DEFERRABLE INITIALLY DEFERRED; employees_department_id_fkey: FOREIGN KEY "
            "(department_id) REFERENCES departments(id); employees_mentor_id_fkey: FOREIGN KEY "
            "(mentor_id) REFERENCES employees(id)");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM departments d WHERE manager_id IS NULL OR NOT EXISTS "
                     "(SELECT 1 FROM employees e WHERE e.id = d.manager_id)"),
            0);
}

std::string Contents(const std::string& url) {
  return TableFingerprint(url, "departments") + " " + TableFingerprint(url, "employees") + " " +
         TableFingerprint(url, "badges");
}

TEST(Cycles, ARefToALaterTableLoadsOnOneConnectionOrTwoAndOnTopUps) {
  const std::string dir = MakeTempDir("cycles");
  const std::string profile = dir + "/company.json";
  std::ofstream(profile) << kCompany;
  // departments loads first; its managers are drawn among all 500 employees, loaded after it.
  const ProcessResult preview = Sf({"preview", "--profile", profile, "--rows", "1"});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_LT(preview.out.find("departments:"), preview.out.find("employees:"));

  std::vector<std::string> urls;
  for (const char* connections : {"1", "2"}) {
    const std::string url = TestCluster::Get().CreateDatabase("cycles");
    urls.push_back(url);
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--connections", connections, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM departments"), 20);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM employees"), 500);
    ExpectWholeSchema(url);
    ExpectVerifyPasses(url, profile);
  }
  EXPECT_EQ(Contents(urls[0]), Contents(urls[1]));

  // A top-up appends to both: the new departments' managers include employees this same run
  // adds, whose key is checked once they are in.
  const std::string& url = urls[0];
  const ProcessResult topped = Sf({"seed", "--db", url, "--profile", profile, "--rows",
                                   "departments=60", "--rows", "employees=3000", "--quiet"});
  ASSERT_EQ(topped.exit_code, 0) << topped.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM departments"), 60);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM employees"), 3000);
  EXPECT_GT(QueryInt(url, "SELECT count(*) FROM departments WHERE id > 20 AND manager_id > 500"),
            0);
  ExpectWholeSchema(url);
  ExpectVerifyPasses(url, profile, {"--rows", "departments=60", "--rows", "employees=3000"});
  RemoveTree(dir);
}

TEST(Cycles, AKillBeforeTheLaterTableCommitsEndsLikeACleanRunOnRerun) {
  const std::string dir = MakeTempDir("cycles_kill");
  const std::string profile = dir + "/company.json";
  std::ofstream(profile) << kCompany;
  const std::string killed = TestCluster::Get().CreateDatabase("cycles_killed");
  const std::string clean = TestCluster::Get().CreateDatabase("cycles_clean");
  for (const char* connections : {"1", "2"}) {
    // departments has committed with its managers' key parked; employees is rolled back.
    FailpointPauses pauses("cycles_kill");
    const std::string point = "sink.bulk_rows_copied:employees";
    ChildProcess child(
        {"seed", "--db", killed, "--profile", profile, "--connections", connections, "--quiet"},
        pauses.Env(point + "=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().exit_code, -1);
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM employees"), 0);
  }
  ASSERT_EQ(Sf({"seed", "--db", killed, "--profile", profile, "--quiet"}).exit_code, 0);
  ASSERT_EQ(Sf({"seed", "--db", clean, "--profile", profile, "--quiet"}).exit_code, 0);
  EXPECT_EQ(Contents(killed), Contents(clean));
  ExpectWholeSchema(killed);
  RemoveTree(dir);
}

TEST(Cycles, ACycleNoRefCanBreakOrALookupAcrossItIsOneLineAndNothingWritten) {
  const std::string dir = MakeTempDir("cycles_bad");
  const std::string url = TestCluster::Get().CreateDatabase("cycles_bad");
  const std::string profile = dir + "/bad.json";
  std::string text = kCompany;
  text.replace(text.find(", \"deferrable\": true"), 20, "");
  std::ofstream(profile) << text;
  const ProcessResult cycle = Sf({"seed", "--db", url, "--profile", profile});
  EXPECT_EQ(cycle.exit_code, 2);
  EXPECT_EQ(cycle.err, "seedforge: error: " + profile +
                           ": $.tables: tables refer to each other in a cycle: departments -> "
                           "employees -> departments; give one of these refs \"deferrable\": true, "
                           "a \"null_rate\" (or \"nullable\": true) or \"breaks_cycle\": true so "
                           "that it may point at a table loaded after its own\n");

  text = kCompany;
  const std::string name = R"("name": {"type": "text", "gen": "department"})";
  text.replace(
      text.find(name), name.size(),
      R"("boss": {"type": "text", "gen": "lookup", "via": "manager_id", "column": "name"})");
  std::ofstream(profile) << text;
  const ProcessResult lookup = Sf({"seed", "--db", url, "--profile", profile});
  EXPECT_EQ(lookup.exit_code, 2);
  EXPECT_EQ(lookup.err, "seedforge: error: " + profile +
                            ": $.tables.departments.columns.boss.via: 'manager_id' refers to "
                            "employees, which loads after this table (the ref breaks a cycle); "
                            "a lookup reads tables loaded before\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
  RemoveTree(dir);
}

// The shop's departments and employees refer to each other through NOT NULL DEFERRABLE keys
// (tests/schemas/shop.sql): init makes the manager a ref to employees, loaded after it, and the
// profile seeds over the shop's own rows and tops up.
TEST(Cycles, InitBreaksANotNullDeferrableCycleThroughTheDeferrableKey) {
  const std::string url = DatabaseWithSchema("cycles_init", "shop.sql");
  const std::string dir = MakeTempDir("cycles_init");
  const std::string profile = dir + "/shop.json";
  const ProcessResult init = Sf({"init", "--db", url, "--table", "departments", "--table",
                                 "employees", "--rows", "50", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.err.find("  departments.manager_id: a row of employees (deferrable foreign key: "
                          "employees loads after this table to break a cycle)\n"),
            std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("  employees: 1 to 3 rows per row of departments (through "
                          "department_id)\n"),
            std::string::npos)
      << init.err;
  for (const char* scale : {"1", "2"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    // The shop's own 20 departments stay and count toward the target.
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM departments"), 50 * std::stoi(scale));
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM departments WHERE id <= 20 AND manager_id = "
                       "id * 10"),
              20);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM departments d WHERE NOT EXISTS (SELECT 1 FROM "
                       "employees e WHERE e.id = d.manager_id)"),
              0);
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid "
                       "IN ('departments'::regclass, 'employees'::regclass)"),
              2);
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  RemoveTree(dir);
}

// Every key of the cycle NOT NULL and not DEFERRABLE (no application could insert the first
// row): init marks the first key of the cycle, walking from the first table by name,
// "breaks_cycle", and the load takes it down and puts it back, validated, on the bulk path and
// on a top-up.
TEST(Cycles, InitLoadsACycleOfKeysNeitherNullableNorDeferrable) {
  const std::string url = TestCluster::Get().CreateDatabase("cycles_strict");
  testing::Execute(url,
                   "CREATE TABLE teams (id integer PRIMARY KEY, captain_id integer NOT NULL); "
                   "CREATE TABLE players (id integer PRIMARY KEY, team_id integer NOT NULL "
                   "REFERENCES teams (id)); ALTER TABLE teams ADD CONSTRAINT teams_captain_fkey "
                   "FOREIGN KEY (captain_id) REFERENCES players (id)");
  const std::string dir = MakeTempDir("cycles_strict");
  const std::string profile = dir + "/teams.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "40", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(
      testing::ReadFile(profile).find(
          R"("team_id": { "type": "integer", "gen": "ref", "to": "teams", "breaks_cycle": true })"),
      std::string::npos);
  EXPECT_NE(init.err.find("  players.team_id: a row of teams (foreign key taken down during "
                          "the load and put back: teams loads after this table to break the "
                          "cycle public.players.team_id -> public.teams.captain_id -> "
                          "public.players)\n"),
            std::string::npos)
      << init.err;
  for (const char* scale : {"1", "3"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM players"), 40 * std::stoi(scale));
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(conname || ' ' || convalidated, ', ' ORDER BY "
                         "conname) FROM pg_constraint WHERE contype = 'f'"),
              "players_team_id_fkey true, teams_captain_fkey true");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
