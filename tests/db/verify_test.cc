// `seedforge stats` and `seedforge verify` against a real server: verify passes right after a seed,
// names exactly what was broken afterwards, and its fingerprint computed in SQL equals the one the
// generators compute in this process (the heart: both renderings of a row agree byte for byte).
#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/profile.h"
#include "engine/run.h"
#include "generators/generation_model.h"
#include "simdjson.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"
#include "tools/table_keys.h"
#include "tools/verify.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::QueryInt;
using testing::RunSeedforge;
using testing::TestCluster;

// A medium profile: `large` cut to 16,700 rows.
const std::vector<std::string> kMediumArgs = {
    "--profile", "large",       "--rows", "users=200",        "--rows", "applications=500",
    "--rows",    "assets=5000", "--rows", "deployments=1000", "--rows", "events=10000"};

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string SeededDatabase(std::string_view prefix, const std::vector<std::string>& profile_args) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  const auto result = RunSeedforge(With({"seed", "--db", url, "--quiet"}, profile_args));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return url;
}

// The failing checks of a `verify --json` output, as (kind, subject) pairs.
std::set<std::pair<std::string, std::string>> FailingChecks(const std::string& json) {
  std::set<std::pair<std::string, std::string>> failing;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  simdjson::dom::array checks;
  EXPECT_EQ(root["checks"].get(checks), simdjson::SUCCESS) << json;
  for (simdjson::dom::element check : checks) {
    bool passed = true;
    std::string_view kind;
    std::string_view subject;
    EXPECT_EQ(check["passed"].get(passed), simdjson::SUCCESS);
    EXPECT_EQ(check["kind"].get(kind), simdjson::SUCCESS);
    EXPECT_EQ(check["subject"].get(subject), simdjson::SUCCESS);
    if (!passed) failing.emplace(std::string(kind), std::string(subject));
  }
  return failing;
}

TEST(Verify, PassesRightAfterSeedingTheDefaultProfile) {
  const std::string url = SeededDatabase("verify_default", {});
  const auto result = RunSeedforge({"verify", "--db", url});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("verify: all "), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("FAIL"), std::string::npos) << result.out;
}

TEST(Verify, PassesRightAfterSeedingAMediumProfile) {
  const std::string url = SeededDatabase("verify_medium", kMediumArgs);
  const auto result = RunSeedforge(With({"verify", "--db", url}, kMediumArgs));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out.find("FAIL"), std::string::npos) << result.out;
}

TEST(Verify, OneChangedValueIsNamedByItsTableFingerprintAndNothingElse) {
  const std::string url = SeededDatabase("verify_changed", {});
  Execute(url, "UPDATE events SET severity = 'x' WHERE id = 7");
  const auto text = RunSeedforge({"verify", "--db", url});
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  EXPECT_NE(text.out.find("FAIL fingerprint events: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("verify: 2 of "), std::string::npos) << text.out;

  // The fingerprint names events and no other table. The one check the new severity
  // breaks (an event type with two severities) is a true finding about events too.
  const auto json = RunSeedforge({"verify", "--db", url, "--json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  const std::set<std::pair<std::string, std::string>> expected = {
      {"fingerprint", "events"}, {"check", "EachEventTypeHasOneSeverity"}};
  EXPECT_EQ(FailingChecks(json.out), expected) << json.out;
}

TEST(Verify, DeletedParentIsFoundAsOrphansEvenWithoutItsForeignKey) {
  const std::string url = SeededDatabase("verify_orphans", {});
  // An asset that events name but no deployment does.
  const int64_t asset = QueryInt(url,
                                 "SELECT min(e.asset_id) FROM events e WHERE NOT EXISTS (SELECT 1 "
                                 "FROM deployments d WHERE d.asset_id = e.asset_id)");
  ASSERT_GT(asset, 0);
  Execute(url,
          "ALTER TABLE events DROP CONSTRAINT events_asset_id_fkey; DELETE FROM assets "
          "WHERE id = " +
              std::to_string(asset));
  const auto json = RunSeedforge({"verify", "--db", url, "--json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  const auto failing = FailingChecks(json.out);
  EXPECT_EQ(failing.count({"orphans", "events.asset_id"}), 1u) << json.out;
  EXPECT_EQ(failing.count({"constraint", "events.events_asset_id_fkey"}), 1u) << json.out;
  for (const auto& [kind, subject] : failing) {
    if (kind == "orphans") {
      EXPECT_EQ(subject, "events.asset_id");
    }
  }
  const auto text = RunSeedforge({"verify", "--db", url});
  EXPECT_NE(text.out.find("FAIL orphans events.asset_id: "), std::string::npos) << text.out;
}

// Every check, as "kind subject passed detail" lines in report order, of `verify --json`.
std::vector<std::string> AllChecks(const std::string& json) {
  std::vector<std::string> lines;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  simdjson::dom::array checks;
  EXPECT_EQ(root["checks"].get(checks), simdjson::SUCCESS) << json;
  for (simdjson::dom::element check : checks) {
    bool passed = false;
    std::string_view kind, subject, detail;
    EXPECT_EQ(check["passed"].get(passed), simdjson::SUCCESS);
    EXPECT_EQ(check["kind"].get(kind), simdjson::SUCCESS);
    EXPECT_EQ(check["subject"].get(subject), simdjson::SUCCESS);
    EXPECT_EQ(check["detail"].get(detail), simdjson::SUCCESS);
    lines.push_back(std::string(kind) + " " + std::string(subject) + " " +
                    (passed ? "pass " : "FAIL ") + std::string(detail));
  }
  return lines;
}

TEST(Verify, ReportsTheSameChecksInTheSameOrderOnOneConnectionAsOnThree) {
  const std::string url = SeededDatabase("verify_lanes", {});
  // A changed value, and a row of the application (so the profile's checks run on the generated
  // rows through temporary views, on whichever connection runs each).
  Execute(url,
          "UPDATE events SET severity = 'x' WHERE id = 7; INSERT INTO users (id, username, email, "
          "full_name, department, role, is_active, created_by, created_at) SELECT 100001, "
          "'app_user', 'app@example.org', full_name, department, role, is_active, NULL, "
          "created_at FROM users WHERE id = 1");
  const auto one = RunSeedforge({"verify", "--db", url, "--json", "--connections", "1"});
  const auto three = RunSeedforge({"verify", "--db", url, "--json", "--connections", "3"});
  EXPECT_EQ(one.exit_code, 1) << one.err;
  EXPECT_EQ(three.exit_code, 1) << three.err;
  const std::set<std::pair<std::string, std::string>> expected = {
      {"fingerprint", "events"}, {"check", "EachEventTypeHasOneSeverity"}};
  EXPECT_EQ(FailingChecks(one.out), expected) << one.out;
  const std::vector<std::string> checks = AllChecks(one.out);
  EXPECT_EQ(checks.size(), 87u);
  // In the documented order, kind after kind, whatever order the scans ran in.
  std::vector<std::string> kinds;
  for (const std::string& line : checks) {
    const std::string kind = line.substr(0, line.find(' '));
    if (kinds.empty() || kinds.back() != kind) kinds.push_back(kind);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"table", "constraint", "orphans", "duplicates",
                                             "check", "fingerprint"}));
  EXPECT_EQ(AllChecks(three.out), checks);
  const auto bad = RunSeedforge({"verify", "--db", url, "--connections", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "seedforge: error: --connections must be between 1 and 64, got 0\n");
}

TEST(Verify, AForeignKeyParkedByAnUnfinishedBulkLoadIsAFinding) {
  const std::string url = SeededDatabase("verify_parked", {});
  Execute(url,
          "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS "
          "seedforge.pending_constraints (table_name text NOT NULL, constraint_name text NOT "
          "NULL, definition text NOT NULL, PRIMARY KEY (table_name, constraint_name)); "
          "ALTER TABLE events DROP CONSTRAINT events_user_id_fkey; INSERT INTO "
          "seedforge.pending_constraints VALUES ('events', 'events_user_id_fkey', 'FOREIGN KEY "
          "(user_id) REFERENCES users(id)')");
  const auto json = RunSeedforge({"verify", "--db", url, "--json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  const std::set<std::pair<std::string, std::string>> expected = {
      {"constraint", "events.events_user_id_fkey"}};
  EXPECT_EQ(FailingChecks(json.out), expected) << json.out;
  EXPECT_NE(json.out.find("parked in seedforge.pending_constraints"), std::string::npos);
}

TEST(Verify, JsonOutputHasTheDocumentedFields) {
  const std::string url = SeededDatabase("verify_json", {});
  const auto result = RunSeedforge({"verify", "--db", url, "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS) << result.out;
  bool passed = false;
  int64_t failed = -1;
  std::string_view profile;
  uint64_t seed = 0;
  double seconds = -1;
  EXPECT_EQ(root["passed"].get(passed), simdjson::SUCCESS);
  EXPECT_TRUE(passed);
  EXPECT_EQ(root["failed"].get(failed), simdjson::SUCCESS);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(root["profile"].get(profile), simdjson::SUCCESS);
  EXPECT_EQ(profile, "default");
  EXPECT_EQ(root["seed"].get(seed), simdjson::SUCCESS);
  EXPECT_EQ(seed, 42u);
  EXPECT_EQ(root["seconds"].get(seconds), simdjson::SUCCESS);
  simdjson::dom::array fingerprints;
  ASSERT_EQ(root["fingerprints"].get(fingerprints), simdjson::SUCCESS);
  std::vector<std::string> tables;
  for (simdjson::dom::element fingerprint : fingerprints) {
    std::string_view table;
    std::string_view expected;
    std::string_view found;
    int64_t rows = 0;
    bool match = false;
    EXPECT_EQ(fingerprint["table"].get(table), simdjson::SUCCESS);
    EXPECT_EQ(fingerprint["rows"].get(rows), simdjson::SUCCESS);
    EXPECT_EQ(fingerprint["expected"].get(expected), simdjson::SUCCESS);
    EXPECT_EQ(fingerprint["found"].get(found), simdjson::SUCCESS);
    EXPECT_EQ(fingerprint["match"].get(match), simdjson::SUCCESS);
    EXPECT_EQ(expected.size(), 16u);
    EXPECT_EQ(expected, found);
    EXPECT_TRUE(match);
    tables.emplace_back(table);
  }
  EXPECT_EQ(tables,
            (std::vector<std::string>{"users", "applications", "assets", "deployments", "events"}));
}

TEST(Stats, PrintsExactRowCountsAndTargets) {
  const std::string url = SeededDatabase("stats", {});
  Execute(url, "DELETE FROM events WHERE id > 90");
  const auto text = RunSeedforge({"stats", "--db", url});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\nusers                      5             5      100%"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("\nevents                    90           100       90%"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("database size: "), std::string::npos) << text.out;

  const auto json = RunSeedforge({"stats", "--db", url, "--json", "--rows", "assets=120"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json.out).get(root), simdjson::SUCCESS) << json.out;
  int64_t database_bytes = 0;
  EXPECT_EQ(root["database_bytes"].get(database_bytes), simdjson::SUCCESS);
  EXPECT_GT(database_bytes, 0);
  simdjson::dom::array tables;
  ASSERT_EQ(root["tables"].get(tables), simdjson::SUCCESS);
  std::vector<std::string> seen;
  for (simdjson::dom::element table : tables) {
    std::string_view name;
    int64_t rows = 0;
    int64_t target = 0;
    int64_t bytes = 0;
    bool exists = false;
    EXPECT_EQ(table["table"].get(name), simdjson::SUCCESS);
    EXPECT_EQ(table["rows"].get(rows), simdjson::SUCCESS);
    EXPECT_EQ(table["target"].get(target), simdjson::SUCCESS);
    EXPECT_EQ(table["bytes"].get(bytes), simdjson::SUCCESS);
    EXPECT_EQ(table["exists"].get(exists), simdjson::SUCCESS);
    EXPECT_TRUE(exists);
    EXPECT_GT(bytes, 0);
    seen.push_back(std::string(name) + " " + std::to_string(rows) + "/" + std::to_string(target));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"users 5/5", "applications 10/10", "assets 100/120",
                                            "deployments 20/20", "events 90/100"}));
}

TEST(Stats, TablesThatDoNotExistShowAsAbsent) {
  const std::string url = TestCluster::Get().CreateDatabase("stats_empty");
  const auto result = RunSeedforge({"stats", "--db", url});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\nevents +absent +100 "))) << result.out;
  const auto verify = RunSeedforge({"verify", "--db", url});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find("FAIL table events: absent"), std::string::npos) << verify.out;
}

// The heart of the fingerprint: for every table of a medium profile, the hash computed by SQL on
// the server equals the hash of the rows the generators make in this process.
TEST(Fingerprint, InProcessEqualsSqlForEveryTableOfAMediumProfile) {
  const std::string url = SeededDatabase("fingerprint", kMediumArgs);
  auto profile = LoadProfile("large");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  for (const char* rows :
       {"users=200", "applications=500", "assets=5000", "deployments=1000", "events=10000"}) {
    ASSERT_TRUE(ApplyRowOverride(rows, "test", &*profile).ok());
  }
  ASSERT_EQ(profile->schemas().size(), 5u);
  std::vector<int64_t> counts;
  for (size_t t = 0; t < profile->schemas().size(); ++t) counts.push_back(profile->Target(t));
  ASSERT_TRUE(profile->model->CheckCounts(counts).ok());
  const auto plan = std::make_shared<const GenerationPlan>(MakeGenerationPlan(*profile, counts));
  const auto generators = profile->model->MakeGenerators(plan);

  auto connection = PgConnection::Connect(url);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  ASSERT_TRUE(PrepareInspectSession(**connection).ok());
  for (size_t t = 0; t < counts.size(); ++t) {
    const TableGenerator& generator = *generators[t];
    const Fingerprint expected = ExpectedFingerprint(generator, counts[t]);
    auto found = ServerFingerprint(**connection, generator.schema(), counts[t]);
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(expected.rows, counts[t]) << generator.schema().name;
    EXPECT_EQ(found->rows, counts[t]) << generator.schema().name;
    EXPECT_EQ(found->HashHex(), expected.HashHex()) << generator.schema().name;
  }
}

TEST(Fingerprint, IsTheSumOfRowHashesAndIgnoresOrder) {
  // RowHash is the first 8 bytes of MD5: md5("") = d41d8cd98f00b204e9800998ecf8427e.
  EXPECT_EQ(RowHash(""), 0xd41d8cd98f00b204ULL);
  std::string text;
  uint64_t sum = 0;
  int64_t rows = 0;
  auto writer = MakeFingerprintWriter(&text, &sum, &rows);
  for (int64_t id : {2, 1}) {
    writer->BeginRow();
    writer->Int64(id);
    writer->Null();
    writer->Timestamp(1'704'067'200'120'000);  // 2024-01-01 00:00:00.12
    writer->EndRow();
  }
  EXPECT_EQ(text, "1\t\\N\t2024-01-01 00:00:00.12+00");
  EXPECT_EQ(rows, 2);
  EXPECT_EQ(sum, RowHash("1\t\\N\t2024-01-01 00:00:00.12+00") +
                     RowHash("2\t\\N\t2024-01-01 00:00:00.12+00"));
}

TEST(Fingerprint, PrintsDoublesAsTheServerDoesAfterATimestamp) {
  // The server's float8 text (extra_float_digits 1), read off PostgreSQL 15: fixed below an
  // exponent of 15, else exponent form. A timestamp first leaves digits on the stack where the
  // exponent was once read past its end, which printed 24.48... as 2.4488450110483896e+01.
  const std::vector<std::pair<double, std::string>> cases = {
      {24.488450110483896, "24.488450110483896"},
      {0.00001, "1e-05"},
      {0.0001234, "0.0001234"},
      {1.5e20, "1.5e+20"},
      {123456789012345.6, "123456789012345.6"},
      {1234567890123456.7, "1.2345678901234568e+15"}};
  for (const auto& [value, server_text] : cases) {
    std::string text;
    uint64_t sum = 0;
    int64_t rows = 0;
    auto writer = MakeFingerprintWriter(&text, &sum, &rows);
    writer->BeginRow();
    writer->Timestamp(1'718'002'135'476'588);  // 2024-06-10 06:48:55.476588
    writer->Float64(value);
    writer->EndRow();
    EXPECT_EQ(text, "2024-06-10 06:48:55.476588+00\t" + server_text);
  }
}

TEST(ModelKeys, AreReadFromTheSchema) {
  auto profile = LoadProfile("default");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  std::set<std::string> foreign;
  for (const ForeignKey& key : ForeignKeysOf(profile->schemas())) {
    foreign.insert(key.table + "." + key.column + "->" + key.parent);
  }
  EXPECT_EQ(foreign, (std::set<std::string>{
                         "users.created_by->users", "applications.created_by->users",
                         "assets.owner_id->users", "deployments.application_id->applications",
                         "deployments.asset_id->assets", "deployments.initiated_by->users",
                         "events.asset_id->assets", "events.user_id->users",
                         "events.deployment_id->deployments"}));
  std::set<std::string> unique;
  for (const UniqueKey& key : UniqueKeysOf(profile->schemas())) {
    std::string columns;
    for (const std::string& column : key.columns) columns += (columns.empty() ? "" : ",") + column;
    unique.insert(key.table + "(" + columns + ")");
  }
  EXPECT_EQ(unique, (std::set<std::string>{
                        "users(id)", "users(username)", "users(email)", "applications(id)",
                        "applications(name,version,platform)", "assets(id)", "assets(asset_tag)",
                        "assets(serial_number)", "deployments(id)", "events(id)"}));
}

}  // namespace
}  // namespace seedforge
