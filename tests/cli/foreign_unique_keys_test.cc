// Unique keys without text against rows seedforge did not make (an integer column, a key of a
// parent and a position...): seedforge cannot move such a value aside, so a run whose new rows
// would take one that another row holds is refused before anything is written (exit 2, one
// line naming table, key and value). A key with a text column moves by that column, as a text
// key does, when the moved value fits the column. A value nobody holds seeds and verifies as
// usual. Against the test binary's server.
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
using testing::TableFingerprint;
using testing::TestCluster;

// badges: an integer unique column (1000, 1001, ... by row). seats: a unique (text, integer) key,
// sections A, B, A, B... and seat numbers 1, 2, 3...
constexpr const char* kTables = R"json("tables": {
    "badges": {"rows": 10, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "badge_number": {"type": "integer", "gen": "id", "start": 1000, "unique": true},
      "label": {"type": "text", "gen": "pattern", "format": "B-####"}}},
    "seats": {"rows": 6, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "section": {"type": "varchar(8)", "gen": "cycle", "values": ["A", "B"]},
      "seat_number": {"type": "integer", "gen": "id"}},
      "unique": [["section", "seat_number"]]}})json";

std::string WriteProfile(const std::string& dir, const std::string& fixtures = "") {
  const std::string path = dir + "/keys.json";
  std::ofstream(path) << R"({"name": "keys", "seed": 7,
  "time_window": {"start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
  )" << kTables << fixtures
                      << "}";
  return path;
}

ProcessResult Seed(const std::string& url, const std::string& profile,
                   const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"seed", "--db", url, "--quiet", "--profile", profile};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunSeedforge(args);
}

// A database holding the profile's empty tables (seedforge creates them, writing no row).
std::string EmptyTables(const std::string& name, const std::string& profile) {
  const std::string url = TestCluster::Get().CreateDatabase(name);
  const ProcessResult created = Seed(url, profile, {"--rows", "badges=0", "--rows", "seats=0"});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  return url;
}

// Everything a refused run must leave as it was: both tables and the generation history.
std::string State(const std::string& url) {
  return TableFingerprint(url, "badges") + "/" + TableFingerprint(url, "seats") + "/" +
         QueryValue(url,
                    "SELECT coalesce(string_agg(s::text, '|' ORDER BY table_name, first_row), '') "
                    "FROM seedforge.segments s") +
         "/" + QueryValue(url, "SELECT count(*) FROM seedforge.runs WHERE outcome = 'completed'");
}

TEST(ForeignUniqueKeys, AnIntegerKeyAnotherRowHoldsIsRefusedBeforeAnythingIsWritten) {
  const std::string dir = MakeTempDir("foreign_integer_key");
  const std::string profile = WriteProfile(dir);
  const std::string url = EmptyTables("foreign_integer_key", profile);
  // The application's badge (id 1 from the identity) has the number the third new row gets:
  // new rows start at id 2 (past the application's), and row r has badge number 1000 + r.
  Execute(url, "INSERT INTO badges (badge_number, label) VALUES (1002, 'app badge')");
  const std::string before = State(url);

  for (const bool dry_run : {true, false}) {
    SCOPED_TRACE(dry_run ? "dry run" : "seed");
    const ProcessResult refused = Seed(
        url, profile, dry_run ? std::vector<std::string>{"--dry-run"} : std::vector<std::string>{});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_EQ(refused.err,
              "seedforge: error: table badges: new row 3 (id 4) would take unique key "
              "badge_number = 1002, which a row seedforge did not make holds (seedforge moves "
              "only keys with a text column aside); delete or change that row, or change the "
              "generator of badge_number (its start or range) so that the new values differ; "
              "nothing was written\n");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM badges"), 1);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seats"), 0);
    EXPECT_EQ(State(url), before);
  }

  // Doing what the message says: with the row changed to a number no new row takes, the seed
  // goes through: 9 new badges (the target counts the application's), numbers 1000..1008.
  Execute(url, "UPDATE badges SET badge_number = 5000");
  const ProcessResult seeded = Seed(url, profile);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM badges"), 10);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(badge_number::text, ',' ORDER BY id) FROM badges "
                       "WHERE id > 1"),
            "1000,1001,1002,1003,1004,1005,1006,1007,1008");
  EXPECT_EQ(QueryValue(url, "SELECT badge_number || ' ' || label FROM badges WHERE id = 1"),
            "5000 app badge");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seats"), 6);
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--profile", profile});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  RemoveTree(dir);
}

TEST(ForeignUniqueKeys, AKeyWithATextColumnMovesByItAndTheSeedGoesThrough) {
  const std::string dir = MakeTempDir("foreign_mixed_key");
  const std::string profile = WriteProfile(dir);
  const std::string url = EmptyTables("foreign_mixed_key", profile);
  // Seat (A, 1) is the first generated seat's key; (B, 4) the fourth's.
  Execute(url, "INSERT INTO seats (section, seat_number) VALUES ('A', 1), ('B', 4)");

  const ProcessResult seeded = Seed(url, profile, {"--rows", "seats=8"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM seats"), 8);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM badges"), 10);
  // The application's seats, ids 1 and 2, as they were.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(section || seat_number, ',' ORDER BY id) FROM seats "
                       "WHERE id <= 2"),
            "A1,B4");
  // Six generated seats from id 3: the two that the application's keys hold moved by their
  // section, the others as generated.
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(section || ':' || seat_number, ',' ORDER BY id) FROM "
                       "seats WHERE id > 2"),
            "A-2:1,B:2,A:3,B-2:4,A:5,B:6");
  const ProcessResult verify =
      RunSeedforge({"verify", "--db", url, "--profile", profile, "--rows", "seats=8"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // A top-up recomputes the moved rows from the record and adds the next ones.
  const ProcessResult topup = Seed(url, profile, {"--rows", "seats=10"});
  ASSERT_EQ(topup.exit_code, 0) << topup.err;
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(section || ':' || seat_number, ',' ORDER BY id) FROM "
                       "seats WHERE id > 8"),
            "A:7,B:8");
  RemoveTree(dir);
}

TEST(ForeignUniqueKeys, ANumberAnAbsentFixtureHoldsIsRefusedNamingTheFixture) {
  const std::string dir = MakeTempDir("fixture_integer_key");
  // The fixture's badge number is the fourth generated badge's; the fixture is inserted after
  // the generated rows, so without the check it would fail once they are committed.
  const std::string profile = WriteProfile(dir, R"(,
  "fixtures": {"badges": {"key": "label", "rows": [
    {"label": "front desk", "badge_number": 1003}]}})");
  const std::string url = TestCluster::Get().CreateDatabase("fixture_integer_key");
  const ProcessResult refused = Seed(url, profile);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "seedforge: error: table badges: new row 4 (id 4) would take unique key "
            "badge_number = 1003, which fixture " +
                profile +
                ": $.fixtures.badges.rows[0] holds (seedforge moves only keys "
                "with a text column aside); change the fixture, or change the "
                "generator of badge_number (its start or range) so that the new "
                "values differ; nothing was written\n");
  // Nothing was created: no tables, no history.
  EXPECT_EQ(testing::PublicTables(url), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'seedforge'"), 0);

  // A fixture number no generated badge takes: 9 generated badges and the fixture.
  const std::string clear = WriteProfile(dir, R"(,
  "fixtures": {"badges": {"key": "label", "rows": [
    {"label": "front desk", "badge_number": 900}]}})");
  const ProcessResult seeded = Seed(url, clear);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM badges"), 10);
  EXPECT_EQ(QueryValue(url, "SELECT string_agg(badge_number::text, ',' ORDER BY id) FROM badges"),
            "1000,1001,1002,1003,1004,1005,1006,1007,1008,900");
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--profile", clear});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  RemoveTree(dir);
}

// Values no generated device has (the generators make random version-4 uuids, addresses in
// 10.0.0.0/8 and locally administered MACs).
constexpr const char* kClearDevice =
    "UPDATE devices SET token = '00000000-0000-4000-8000-000000000001', address = '192.0.2.1', "
    "mac = '00:00:5e:00:53:01'";

// A uuid, an inet and a macaddr key compare in the server's text of each type: a generated row's
// value is found among the application's rows, whatever column held it.
TEST(ForeignUniqueKeys, UuidInetAndMacKeysAnotherRowHoldsAreRefusedNamingTheValue) {
  const std::string dir = MakeTempDir("foreign_typed_keys");
  const std::string path = dir + "/devices.json";
  std::ofstream(path) << R"json({"name": "devices", "seed": 11,
  "time_window": {"start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
  "tables": {"devices": {"rows": 20, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "token": {"type": "uuid", "gen": "uuid", "unique": true},
    "address": {"type": "inet", "gen": "ipv4", "unique": true},
    "mac": {"type": "macaddr", "gen": "mac", "unique": true}}}}})json";
  const std::string reference = TestCluster::Get().CreateDatabase("foreign_typed_reference");
  ASSERT_EQ(Seed(reference, path).exit_code, 0);
  // As libpq returns them, which is how seedforge reads other rows' values: an inet host
  // without "/32" (its ::text would add it).
  auto generated = [&](const std::string& column, int id) {
    return QueryValue(reference,
                      "SELECT " + column + " FROM devices WHERE id = " + std::to_string(id));
  };

  const std::string url = TestCluster::Get().CreateDatabase("foreign_typed_keys");
  const ProcessResult created = Seed(url, path, {"--rows", "devices=0"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  // The application's device (id 1) with values no generated device has; new rows start at id
  // 2, so the reference's row with id n is the new row with id n + 1.
  Execute(url,
          "INSERT INTO devices (token, address, mac) VALUES "
          "('00000000-0000-4000-8000-000000000001', '192.0.2.1', '00:00:5e:00:53:01')");
  const struct {
    std::string column;
    int reference_id;
  } cases[] = {{"token", 5}, {"address", 8}, {"mac", 10}};
  for (const auto& held : cases) {
    SCOPED_TRACE(held.column);
    const std::string value = generated(held.column, held.reference_id);
    Execute(url, kClearDevice);
    Execute(url, "UPDATE devices SET " + held.column + " = '" + value + "'");
    const std::string before = TableFingerprint(url, "devices");
    const ProcessResult refused = Seed(url, path);
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_EQ(refused.err, "seedforge: error: table devices: new row " +
                               std::to_string(held.reference_id) + " (id " +
                               std::to_string(held.reference_id + 1) + ") would take unique key " +
                               held.column + " = " + value +
                               ", which a row seedforge did not make holds (seedforge moves only "
                               "keys with a text column aside); delete or change that row, or "
                               "change the generator of " +
                               held.column +
                               " (its start or range) so that the new values differ; nothing "
                               "was written\n");
    EXPECT_EQ(TableFingerprint(url, "devices"), before);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM devices"), 1);
  }
  // Given values nobody generates again, the seed goes through and verifies.
  Execute(url, kClearDevice);
  const ProcessResult seeded = Seed(url, path);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM devices"), 20);
  EXPECT_EQ(
      QueryValue(url, "SELECT string_agg(token::text, ',' ORDER BY id) FROM devices WHERE id > 1"),
      QueryValue(reference,
                 "SELECT string_agg(token::text, ',' ORDER BY id) FROM devices WHERE id < 20"));
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--profile", path});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  RemoveTree(dir);
}

// A text key moves aside with a suffix, which must still fit the column the application made:
// a varchar(6) takes every generated six-character code, but not one moved to eight. Refused
// before anything is written; a wider column takes the moved code.
TEST(ForeignUniqueKeys, AMovedTextValueLongerThanTheColumnIsRefusedBeforeAnythingIsWritten) {
  const std::string dir = MakeTempDir("foreign_moved_too_long");
  const std::string path = dir + "/codes.json";
  std::ofstream(path) << R"json({"name": "codes", "seed": 3,
  "time_window": {"start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
  "tables": {"codes": {"rows": 10, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "code": {"type": "text", "gen": "pattern", "format": "#####?", "unique": true}}}}})json";
  const std::string reference = TestCluster::Get().CreateDatabase("moved_too_long_reference");
  ASSERT_EQ(Seed(reference, path).exit_code, 0);
  const std::string third = QueryValue(reference, "SELECT code FROM codes WHERE id = 3");
  ASSERT_EQ(third.size(), 6u);

  const std::string url = TestCluster::Get().CreateDatabase("moved_too_long");
  Execute(url,
          "CREATE TABLE codes (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code "
          "varchar(6) NOT NULL UNIQUE); INSERT INTO codes (code) VALUES ('" +
              third + "')");
  const std::string before = TableFingerprint(url, "codes");
  const ProcessResult refused = Seed(url, path);
  EXPECT_EQ(refused.exit_code, 2);
  // The application's code is the third generated one; new rows start at id 2.
  EXPECT_EQ(refused.err,
            "seedforge: error: table codes: new row 3 (id 4) would move its code "
            "aside to " +
                third +
                "-2 (another row or a fixture holds its generated value), longer "
                "than the 6 characters column code takes; widen the column, or "
                "delete or change the row or fixture that holds the value; nothing "
                "was written\n");
  EXPECT_EQ(TableFingerprint(url, "codes"), before);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM codes"), 1);

  Execute(url, "ALTER TABLE codes ALTER COLUMN code TYPE varchar(8)");
  const ProcessResult seeded = Seed(url, path);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM codes"), 10);
  EXPECT_EQ(QueryValue(url, "SELECT code FROM codes WHERE id = 4"), third + "-2");
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--profile", path});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
