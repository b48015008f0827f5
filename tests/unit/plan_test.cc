// Boundary tests of the planning arithmetic (engine/run.h), with a fake sink and no server.
//
// Each test gives the sink a table state (rows, generated rows, largest id, history segments,
// unique values of other rows), runs a profile into it and checks exactly what the engine asked
// the sink to write: the first row index, the first id, the row count, the parent counts
// recorded, and the ids and foreign keys of the rows themselves. Expected values are worked out
// by hand in each test from the rules in engine/run.h and sinks/sink.h (next id = one after the
// last generated row, or past every id present), never taken from the code under test.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/table_schema.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "generators/generation_model.h"
#include "tests/support/fake_sink.h"

namespace seedforge {
namespace {

using testing::FakeSink;
using testing::FakeTable;

// Five tables shaped like the fleet's, declared here so that these tests plan a model of their
// own: users (two unique keys, key 0 the username and key 1 the e-mail, and a creator among the
// earlier users), applications created by users, assets owned by users, deployments of
// applications to assets, and events of assets. They load in this order.
constexpr std::string_view kTables = R"("tables": {
  "users": {"rows": 5, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "username": {"type": "text", "gen": "template", "format": "{first}{last}{n}", "lower": true,
                 "unique": true},
    "email": {"type": "text", "gen": "template", "format": "{first}.{last}{n}@corp.test",
              "lower": true, "unique": true},
    "is_active": {"type": "boolean", "gen": "bool", "rate": 0.9},
    "created_by": {"type": "bigint", "gen": "ref", "to": "users", "earlier": true,
                   "null_rate": 0.1},
    "created_at": {"type": "timestamptz", "gen": "monotone_time", "every": "1h"},
    "first": {"gen": "first_name"},
    "last": {"gen": "last_name"}}},
  "applications": {"rows": 10, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "name": {"type": "text", "gen": "pattern", "format": "APP-#####", "unique": true},
    "created_by": {"type": "bigint", "gen": "ref", "to": "users"}}},
  "assets": {"rows": 100, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "asset_tag": {"type": "text", "gen": "pattern", "format": "AST-#####", "unique": true},
    "owner_id": {"type": "bigint", "gen": "ref", "to": "users", "null_rate": 0.1}}},
  "deployments": {"rows": 20, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "application_id": {"type": "bigint", "gen": "ref", "to": "applications"},
    "asset_id": {"type": "bigint", "gen": "ref", "to": "assets"}}},
  "events": {"rows": 100, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "asset_id": {"type": "bigint", "gen": "ref", "to": "assets"},
    "severity": {"type": "text", "gen": "choice", "values": ["info", "warning", "error"]}}}})";

constexpr const char* kTableNames[] = {"users", "applications", "assets", "deployments", "events"};

// Column positions as written (helper columns without a type are not), from kTables.
constexpr size_t kUsersUsername = 1;
constexpr size_t kUsersEmail = 2;
constexpr size_t kUsersCreatedBy = 4;
constexpr size_t kApplicationsCreatedBy = 2;

// The profile of kTables with `more` keys ("" or `, "key": value...`).
Profile PlanProfile(std::string_view more = "") {
  const std::string json = "{\"name\": \"plan\", " + std::string(kTables) + std::string(more) + "}";
  StatusOr<Profile> profile = ParseProfile(json, "plan.json", "");
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->schemas().size(), std::size(kTableNames));
  for (size_t i = 0; i < std::size(kTableNames) && i < profile->schemas().size(); ++i) {
    EXPECT_EQ(profile->schemas()[i].name, kTableNames[i]);
  }
  return *std::move(profile);
}

// The profile of kTables with the given targets (users, applications, assets, deployments,
// events).
Profile ProfileWithRows(const std::array<int64_t, 5>& rows) {
  Profile profile = PlanProfile();
  for (size_t i = 0; i < rows.size(); ++i) {
    const int table = profile.FindTable(kTableNames[i]);
    EXPECT_GE(table, 0) << kTableNames[i];
    if (table >= 0) profile.rows[static_cast<size_t>(table)] = rows[i];
  }
  return profile;
}

RunOptions Options(int threads = 1, int64_t batch_rows = 10000) {
  RunOptions options;
  options.pipeline.threads = threads;
  options.pipeline.batch_rows = batch_rows;
  options.format = Format::kCopyText;
  return options;
}

Status RunInto(const Profile& profile, FakeSink& sink, const RunOptions& options = Options(),
               RunReport* report_out = nullptr) {
  RunReport report;
  Status status = RunProfile(profile, sink, options, &report);
  if (report_out != nullptr) *report_out = report;
  return status;
}

std::vector<int64_t> Column(const FakeSink& sink, const char* table, size_t column) {
  std::vector<int64_t> values;
  for (const auto& row : sink.Rows(table)) {
    values.push_back(row.at(column) == "\\N" ? 0 : std::stoll(row.at(column)));
  }
  return values;
}

std::set<int64_t> ColumnSet(const FakeSink& sink, const char* table, size_t column) {
  const std::vector<int64_t> values = Column(sink, table, column);
  return std::set<int64_t>(values.begin(), values.end());
}

std::vector<int64_t> Counts(std::initializer_list<int64_t> counts) { return counts; }

GenerationSegment Segment(int64_t first_row, int64_t first_id, std::vector<int64_t> counts) {
  GenerationSegment segment;
  segment.table = "users";
  segment.first_row = first_row;
  segment.first_id = first_id;
  segment.model_row_counts = std::move(counts);
  return segment;
}

TableContents WithHistory(int64_t rows, int64_t generated, int64_t max_id,
                          std::vector<GenerationSegment> segments = {}) {
  TableContents contents;
  contents.rows = rows;
  contents.generated = generated;
  contents.max_id = max_id;
  contents.history = true;
  contents.segments = std::move(segments);
  return contents;
}

std::string Key(int key, std::string_view value) {
  std::string encoded;
  const std::string_view values[] = {value};
  EncodeUniqueKey(key, values, &encoded);
  return encoded;
}

// --- NextGeneratedId: every relation of the largest id to the next id at its edge ---

TEST(NextGeneratedIdTest, WithoutHistoryIsGeneratedPlusOneWhateverTheLargestId) {
  TableContents contents;
  contents.rows = 9;
  contents.generated = 5;
  contents.max_id = 9;
  EXPECT_EQ(NextGeneratedId(contents), 6);
}

TEST(NextGeneratedIdTest, ForeignRowHoldingExactlyTheNextIdPushesPastIt) {
  // Generated ids 1..5, a row of the application took id 6: the next generated row gets 7.
  EXPECT_EQ(NextGeneratedId(WithHistory(6, 5, 6)), 7);
}

TEST(NextGeneratedIdTest, LargestIdOneBelowTheNextIdLeavesItAlone) {
  EXPECT_EQ(NextGeneratedId(WithHistory(5, 5, 5)), 6);
}

TEST(NextGeneratedIdTest, ForeignRowAboveTheNextIdPushesPastTheLargestId) {
  EXPECT_EQ(NextGeneratedId(WithHistory(6, 5, 9)), 10);
}

TEST(NextGeneratedIdTest, EmptyTableStartsAtOneOrPastAForeignRow) {
  EXPECT_EQ(NextGeneratedId(WithHistory(0, 0, 0)), 1);
  EXPECT_EQ(NextGeneratedId(WithHistory(1, 0, 1)), 2);
}

TEST(NextGeneratedIdTest, ContinuesTheLastOfSeveralSegments) {
  // Rows 0..2 have ids 1..3, rows 3..4 ids 10..11: the next is 12, unless 12 is taken.
  const std::vector<GenerationSegment> segments = {Segment(0, 1, Counts({5, 0, 0, 0, 0})),
                                                   Segment(3, 10, Counts({5, 0, 0, 0, 0}))};
  EXPECT_EQ(NextGeneratedId(WithHistory(5, 5, 11, segments)), 12);
  EXPECT_EQ(NextGeneratedId(WithHistory(6, 5, 12, segments)), 13);
  EXPECT_EQ(NextGeneratedId(WithHistory(6, 5, 4, segments)), 12);
}

TEST(NextGeneratedIdTest, AnEmptyLastSegmentStillFixesTheNextId) {
  // A segment recorded at row 5 with id 20 and no rows yet (its run wrote none): row 5 is id 20.
  const std::vector<GenerationSegment> segments = {Segment(0, 1, Counts({5, 0, 0, 0, 0})),
                                                   Segment(5, 20, Counts({8, 0, 0, 0, 0}))};
  EXPECT_EQ(NextGeneratedId(WithHistory(5, 5, 5, segments)), 20);
}

// --- ApplyHistory ---

TEST(ApplyHistoryTest, DropsSegmentsOfRowsThatAreGoneAndAddsOneForTheNewRows) {
  std::vector<TableContents> contents(5);
  contents[0] = WithHistory(
      5, 5, 5, {Segment(0, 1, Counts({5, 0, 0, 0, 0})), Segment(5, 20, Counts({8, 0, 0, 0, 0}))});
  std::vector<GenerationSegment> planned(5);
  planned[0].row_count = 2;
  planned[0].first_id = 20;
  GenerationPlan plan;
  plan.row_counts = {7, 0, 0, 0, 0};
  ApplyHistory(contents, planned, &plan);
  const auto& segments = plan.history[0];
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[0].first_row, 0);
  EXPECT_EQ(segments[0].FirstId(), 1);
  EXPECT_EQ(segments[0].model_row_counts, (std::vector<int64_t>{5, 0, 0, 0, 0}));
  EXPECT_EQ(segments[1].first_row, 5);
  EXPECT_EQ(segments[1].FirstId(), 20);
  EXPECT_EQ(segments[1].model_row_counts, (std::vector<int64_t>{7, 0, 0, 0, 0}));
  EXPECT_EQ(plan.IdOf(0, 4), 5);
  EXPECT_EQ(plan.IdOf(0, 5), 20);
  EXPECT_EQ(plan.IdOf(0, 6), 21);
}

TEST(ApplyHistoryTest, FreshTablesGetNoSegment) {
  std::vector<TableContents> contents(5);
  std::vector<GenerationSegment> planned(5);
  for (auto& next : planned) {
    next.row_count = 5;
    next.first_id = 1;
  }
  GenerationPlan plan;
  plan.row_counts = {5, 10, 100, 20, 100};
  ApplyHistory(contents, planned, &plan);
  ASSERT_EQ(plan.history.size(), 5u);
  for (const auto& segments : plan.history) EXPECT_TRUE(segments.empty());
}

// --- RunProfile against the fake sink ---

TEST(RunPlanTest, FreshRunWritesEveryTableFromIdOneLargestFirst) {
  FakeSink sink;
  ASSERT_TRUE(RunInto(ProfileWithRows({5, 10, 100, 20, 100}), sink).ok());
  const std::string counts = " counts=5,10,100,20,100 reserved=0";
  EXPECT_EQ(
      sink.CallsStartingWith("BeginTable"),
      (std::vector<std::string>{"BeginTable assets first_row=0 first_id=1 rows=100" + counts,
                                "BeginTable events first_row=0 first_id=1 rows=100" + counts,
                                "BeginTable deployments first_row=0 first_id=1 rows=20" + counts,
                                "BeginTable applications first_row=0 first_id=1 rows=10" + counts,
                                "BeginTable users first_row=0 first_id=1 rows=5" + counts}));
  const std::vector<std::string> calls = sink.Calls();
  ASSERT_GE(calls.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(calls.begin(), calls.begin() + 9),
            (std::vector<std::string>{
                "Prepare", "CheckSchema users,applications,assets,deployments,events",
                "ReadContents users", "ReadContents applications", "ReadContents assets",
                "ReadContents deployments", "ReadContents events",
                "CreateSchema users,applications,assets,deployments,events",
                "BeginLoad users applications assets deployments events"}));
  EXPECT_EQ(calls.back(), "FinishLoad");
  EXPECT_TRUE(sink.CallsStartingWith("AbortTable").empty());
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(sink.Rows("users")[0][kUsersCreatedBy], "\\N");  // the first user has no creator
  EXPECT_EQ(
      sink.LoadWrites(),
      (std::vector<std::string>{
          "users rows=5 first_row=0 first_id=1", "applications rows=10 first_row=0 first_id=1",
          "assets rows=100 first_row=0 first_id=1", "deployments rows=20 first_row=0 first_id=1",
          "events rows=100 first_row=0 first_id=1"}));
}

TEST(RunPlanTest, TopUpSkipsTheIdAForeignRowTookExactlyAtTheNextId) {
  // Five generated users (ids 1..5) and one the application inserted through the identity: id 6.
  // Topping up to 8 users adds two, which must be 7 and 8; every foreign key to a user must
  // name one of 1..5, 7, 8 (the generated ones), never 6.
  FakeSink sink;
  sink.SetContents("users", WithHistory(6, 5, 6));
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 10, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable users"),
            (std::vector<std::string>{
                "BeginTable users first_row=5 first_id=7 rows=2 counts=7,10,0,0,0 reserved=0"}));
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{7, 8}));
  const std::set<int64_t> allowed = {1, 2, 3, 4, 5, 7, 8};
  for (const int64_t id : ColumnSet(sink, "applications", kApplicationsCreatedBy)) {
    EXPECT_TRUE(allowed.contains(id)) << "applications.created_by = " << id;
  }
  for (const int64_t id : ColumnSet(sink, "users", kUsersCreatedBy)) {
    EXPECT_TRUE(id == 0 || allowed.contains(id)) << "users.created_by = " << id;
  }
}

TEST(RunPlanTest, TopUpWithLargestIdOneBelowTheNextIdContinuesAtIt) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(5, 5, 5));
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 0, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable users first_row=5 first_id=6 rows=3 counts=8,0,0,0,0 reserved=0"}));
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{6, 7, 8}));
}

TEST(RunPlanTest, TopUpWithAForeignRowAboveTheNextIdStartsPastIt) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(6, 5, 9));  // the foreign row holds id 9
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 10, 0, 0, 0}), sink).ok());
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{10, 11}));
  const std::set<int64_t> allowed = {1, 2, 3, 4, 5, 10, 11};
  for (const int64_t id : ColumnSet(sink, "applications", kApplicationsCreatedBy)) {
    EXPECT_TRUE(allowed.contains(id)) << "applications.created_by = " << id;
  }
}

TEST(RunPlanTest, SeveralSegmentsKeepTheirIdsInForeignKeys) {
  // Generated users 0..2 have ids 1..3, 3..4 have 10..11; two foreign rows (ids 4 and 5).
  // Target 9 adds 2 users: ids 12 and 13. New applications refer only to generated users.
  FakeSink sink;
  sink.SetContents("users", WithHistory(7, 5, 11,
                                        {Segment(0, 1, Counts({3, 0, 0, 0, 0})),
                                         Segment(3, 10, Counts({5, 0, 0, 0, 0}))}));
  ASSERT_TRUE(RunInto(ProfileWithRows({9, 40, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable users"),
            (std::vector<std::string>{
                "BeginTable users first_row=5 first_id=12 rows=2 counts=7,40,0,0,0 reserved=0"}));
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{12, 13}));
  const std::set<int64_t> created_by = ColumnSet(sink, "applications", kApplicationsCreatedBy);
  const std::set<int64_t> allowed = {1, 2, 3, 10, 11, 12, 13};
  for (const int64_t id : created_by) {
    EXPECT_TRUE(allowed.contains(id)) << "applications.created_by = " << id;
  }
  // 40 draws over 7 users reach the second segment (ids 10, 11) and the new one (12, 13).
  EXPECT_TRUE(created_by.contains(10) || created_by.contains(11));
  EXPECT_TRUE(created_by.contains(12) || created_by.contains(13));
}

TEST(RunPlanTest, AnEmptyLastSegmentFixesTheIdsOfTheNextRows) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(5, 5, 5,
                                        {Segment(0, 1, Counts({5, 0, 0, 0, 0})),
                                         Segment(5, 20, Counts({8, 0, 0, 0, 0}))}));
  ASSERT_TRUE(RunInto(ProfileWithRows({7, 0, 0, 0, 0}), sink).ok());
  EXPECT_EQ(Column(sink, "users", 0), (std::vector<int64_t>{20, 21}));
}

TEST(RunPlanTest, LowerTargetThanPresentWritesNothingAndChildrenSeeEveryRow) {
  FakeSink sink;
  TableContents users;
  users.rows = 8;
  users.generated = 8;
  users.max_id = 8;
  sink.SetContents("users", users);
  RunReport report;
  ASSERT_TRUE(RunInto(ProfileWithRows({5, 10, 0, 0, 0}), sink, Options(), &report).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{"BeginTable applications first_row=0 first_id=1 rows=10 "
                                      "counts=8,10,0,0,0 reserved=0"}));
  for (const int64_t id : ColumnSet(sink, "applications", kApplicationsCreatedBy)) {
    EXPECT_GE(id, 1);
    EXPECT_LE(id, 8);
  }
  EXPECT_EQ(report.tables[0].planned, 0);
  EXPECT_EQ(report.tables[0].after, 8);
  EXPECT_EQ(report.tables[0].note, "has 8 rows, above the target 5: nothing deleted");
}

TEST(RunPlanTest, TargetsOfZeroWriteNothingButStillFinishTheLoad) {
  FakeSink sink;
  ASSERT_TRUE(RunInto(ProfileWithRows({0, 0, 0, 0, 0}), sink).ok());
  const std::vector<std::string> calls = sink.Calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[calls.size() - 2], "BeginLoad");
  EXPECT_EQ(calls.back(), "FinishLoad");
  EXPECT_TRUE(sink.Tables().empty());
}

TEST(RunPlanTest, TargetOfOneWritesOneRowWithIdOne) {
  FakeSink sink;
  ASSERT_TRUE(RunInto(ProfileWithRows({1, 0, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable users first_row=0 first_id=1 rows=1 counts=1,0,0,0,0 reserved=0"}));
  EXPECT_EQ(sink.CallsStartingWith("WriteBatch"),
            (std::vector<std::string>{"WriteBatch users rows=1"}));
  const auto rows = sink.Rows("users");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "1");
  EXPECT_EQ(rows[0][kUsersCreatedBy], "\\N");
}

TEST(RunPlanTest, TopUpOfOneRowAfterOne) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(1, 1, 1));
  ASSERT_TRUE(RunInto(ProfileWithRows({2, 0, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable users first_row=1 first_id=2 rows=1 counts=2,0,0,0,0 reserved=0"}));
  const auto rows = sink.Rows("users");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "2");
  // created_by is NULL or the only earlier user (its null_rate decides which).
  EXPECT_TRUE(rows[0][kUsersCreatedBy] == "1" || rows[0][kUsersCreatedBy] == "\\N")
      << rows[0][kUsersCreatedBy];
}

// The usernames and e-mail addresses a fresh run gives users 0..count-1 (the values reserved in
// the next test; the expected moved values are then written by the documented rule).
std::vector<std::vector<std::string>> FreshUsers(int64_t count) {
  FakeSink sink;
  EXPECT_TRUE(RunInto(ProfileWithRows({count, 0, 0, 0, 0}), sink).ok());
  return sink.Rows("users");
}

// A top-up of users 5 and 6 (ids 7 and 8, after five generated users and a foreign one at id 6)
// whose foreign rows hold `reserved`; returns the two new rows.
std::vector<std::vector<std::string>> TopUpUsersAvoiding(std::vector<std::string> reserved) {
  TableContents users = WithHistory(6, 5, 6);
  users.foreign_unique_keys = std::move(reserved);
  FakeSink sink;
  sink.SetContents("users", users);
  EXPECT_TRUE(RunInto(ProfileWithRows({8, 0, 0, 0, 0}), sink).ok());
  const FakeTable* table = sink.Find("users");
  EXPECT_NE(table, nullptr);
  if (table != nullptr) {
    EXPECT_EQ(table->reserved.size(), users.foreign_unique_keys.size());
  }
  return sink.Rows("users");
}

std::string PlusBeforeAt(const std::string& email, int n) {
  const size_t at = email.rfind('@');
  EXPECT_NE(at, std::string::npos) << email;
  return email.substr(0, at) + "+" + std::to_string(n) + email.substr(at);
}

TEST(RunPlanTest, ReservedUniqueValuesAtTheEdgesOfTheNewRowsAreMoved) {
  // The foreign rows hold the first new row's e-mail, the last new row's username and its "-2"
  // form, and an old row's username (nothing to move: old rows are not written again). The
  // rows are otherwise those a fresh run to 7 users makes (same counts: 5 + 2 generated).
  const auto fresh = FreshUsers(7);
  ASSERT_EQ(fresh.size(), 7u);
  const std::string name5 = fresh[5][kUsersUsername];
  const std::string name6 = fresh[6][kUsersUsername];
  const std::string email5 = fresh[5][kUsersEmail];
  const std::string email6 = fresh[6][kUsersEmail];
  const auto rows = TopUpUsersAvoiding(
      {Key(1, email5), Key(0, name6), Key(0, name6 + "-2"), Key(0, fresh[4][kUsersUsername])});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "7");
  EXPECT_EQ(rows[0][kUsersUsername], name5);
  EXPECT_EQ(rows[0][kUsersEmail], PlusBeforeAt(email5, 2));
  EXPECT_EQ(rows[1][0], "8");
  EXPECT_EQ(rows[1][kUsersUsername], name6 + "-3");
  EXPECT_EQ(rows[1][kUsersEmail], email6);
}

TEST(RunPlanTest, ReservedValueOneOffTheNewRowsMovesNothing) {
  // Values next to the new rows' ones (the "-2" form, another domain) are not theirs.
  const auto fresh = FreshUsers(7);
  ASSERT_EQ(fresh.size(), 7u);
  const auto rows = TopUpUsersAvoiding(
      {Key(0, fresh[5][kUsersUsername] + "-2"), Key(1, "x" + fresh[6][kUsersEmail])});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][kUsersUsername], fresh[5][kUsersUsername]);
  EXPECT_EQ(rows[1][kUsersEmail], fresh[6][kUsersEmail]);
}

// A foreign row holding both the username and the e-mail of one new row (an application user
// that looks like a generated one): both keys of the new row move, each with its first suffix.
// (generators/mapped_generator.cc once kept one moved column per row: the username collided.)
TEST(RunPlanTest, BothUniqueKeysOfOneRowReservedAreBothMoved) {
  const auto fresh = FreshUsers(7);
  ASSERT_EQ(fresh.size(), 7u);
  const auto rows =
      TopUpUsersAvoiding({Key(0, fresh[5][kUsersUsername]), Key(1, fresh[5][kUsersEmail])});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][kUsersUsername], fresh[5][kUsersUsername] + "-2");
  EXPECT_EQ(rows[0][kUsersEmail], PlusBeforeAt(fresh[5][kUsersEmail], 2));
  // Every other value of the row, and the next row, are those of a fresh run.
  for (size_t c = 1; c < rows[0].size(); ++c) {
    if (c == kUsersUsername || c == kUsersEmail) continue;
    EXPECT_EQ(rows[0][c], fresh[5][c]) << "column " << c;
  }
  EXPECT_EQ(rows[1][kUsersUsername], fresh[6][kUsersUsername]);
  EXPECT_EQ(rows[1][kUsersEmail], fresh[6][kUsersEmail]);
}

// The same with the keys' values reserved twice over: each key takes its first free suffix.
TEST(RunPlanTest, BothUniqueKeysOfOneRowTakeTheirFirstFreeSuffixes) {
  const auto fresh = FreshUsers(7);
  ASSERT_EQ(fresh.size(), 7u);
  const std::string name = fresh[5][kUsersUsername];
  const std::string email = fresh[5][kUsersEmail];
  const auto rows =
      TopUpUsersAvoiding({Key(0, name), Key(0, name + "-2"), Key(1, email),
                          Key(1, PlusBeforeAt(email, 2)), Key(1, PlusBeforeAt(email, 3))});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][kUsersUsername], name + "-3");
  EXPECT_EQ(rows[0][kUsersEmail], PlusBeforeAt(email, 4));
}

TEST(RunPlanTest, TopUpAfterParentsGrewRecordsTheNewCountsAndMatchesAFreshRun) {
  // Users 5 and applications 10 were generated with counts {5,10,0,0,0}; growing both to 8 and
  // 15 writes users 5..7 and applications 10..14 with counts {8,15,0,0,0}, and those rows are
  // the ones a fresh run to 8 and 15 makes at the same indices.
  FakeSink sink;
  sink.SetContents("users", WithHistory(5, 5, 5, {Segment(0, 1, Counts({5, 10, 0, 0, 0}))}));
  TableContents applications = WithHistory(10, 10, 10, {Segment(0, 1, Counts({5, 10, 0, 0, 0}))});
  applications.segments[0].table = "applications";
  sink.SetContents("applications", applications);
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 15, 0, 0, 0}), sink).ok());
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable applications first_row=10 first_id=11 rows=5 counts=8,15,0,0,0 "
                "reserved=0",
                "BeginTable users first_row=5 first_id=6 rows=3 counts=8,15,0,0,0 reserved=0"}));
  EXPECT_EQ(Column(sink, "applications", 0), (std::vector<int64_t>{11, 12, 13, 14, 15}));
  for (const int64_t id : ColumnSet(sink, "applications", kApplicationsCreatedBy)) {
    EXPECT_GE(id, 1);
    EXPECT_LE(id, 8);
  }
  FakeSink fresh;
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 15, 0, 0, 0}), fresh).ok());
  const auto fresh_rows = fresh.Rows("applications");
  ASSERT_EQ(fresh_rows.size(), 15u);
  EXPECT_EQ(sink.Rows("applications"),
            std::vector<std::vector<std::string>>(fresh_rows.begin() + 10, fresh_rows.end()));
}

TEST(RunPlanTest, FixturesCountTowardsTheTargetsAndTheirKeysAreReserved) {
  const Profile profile = PlanProfile(R"(,
    "rows": { "users": 5, "applications": 0, "assets": 0, "deployments": 0, "events": 0 },
    "fixtures": { "users": { "key": "username", "rows": [
      { "username": "admin", "email": "admin@corp.test", "is_active": true,
        "created_at": "2024-01-01T00:00:00Z" } ] } })");
  ASSERT_EQ(profile.fixtures[0].rows.size(), 1u);
  FakeSink sink;
  RunOptions options = Options();
  int counted = 0;
  int inserted = 0;
  options.count_fixtures = [&]() -> StatusOr<std::vector<int64_t>> {
    ++counted;
    return std::vector<int64_t>{1, 0, 0, 0, 0};
  };
  options.insert_fixtures = [&]() -> StatusOr<std::vector<int64_t>> {
    ++inserted;
    EXPECT_EQ(sink.Calls().back(), "FinishLoad");  // fixtures go in after every table
    return std::vector<int64_t>{1, 0, 0, 0, 0};
  };
  RunReport report;
  ASSERT_TRUE(RunInto(profile, sink, options, &report).ok());
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(inserted, 1);
  // 5 - 1 fixture = 4 generated users; the fixture's username and e-mail are kept clear of.
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable users first_row=0 first_id=1 rows=4 counts=4,0,0,0,0 reserved=2"}));
  const FakeTable* users = sink.Find("users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->reserved,
            (std::vector<std::string>{Key(0, "admin"), Key(1, "admin@corp.test")}));
  EXPECT_EQ(report.tables[0].written, 4);
  EXPECT_EQ(report.tables[0].fixtures, 1);
  EXPECT_EQ(report.tables[0].after, 5);
}

// --- What the run does before writing (RunOptions::before_write, dry_run) ---

TEST(RunStartTest, ClearThenWriteClearsAndWritesFromTheFirstRow) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(9, 9, 9));
  RunOptions options = Options();
  std::vector<int64_t> seen;
  options.before_write = [&](const std::vector<int64_t>& existing) -> StatusOr<StartAction> {
    seen = existing;
    return StartAction::kClearThenWrite;
  };
  RunReport report;
  ASSERT_TRUE(RunInto(ProfileWithRows({5, 0, 0, 0, 0}), sink, options, &report).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{9, 0, 0, 0, 0}));
  EXPECT_EQ(sink.CallsStartingWith("ClearTables"),
            (std::vector<std::string>{"ClearTables users,applications,assets,deployments,events"}));
  EXPECT_EQ(sink.CallsStartingWith("BeginTable"),
            (std::vector<std::string>{
                "BeginTable users first_row=0 first_id=1 rows=5 counts=5,0,0,0,0 reserved=0"}));
  // TableReport::before is 0 here (the count after the clear), while a dry run of the same
  // clear reports 9; only the note is checked.
  EXPECT_EQ(report.tables[0].note, "cleared 9 rows first");
}

TEST(RunStartTest, SkipChangesNothing) {
  FakeSink sink;
  RunOptions options = Options();
  options.before_write = [](const std::vector<int64_t>&) -> StatusOr<StartAction> {
    return StartAction::kSkip;
  };
  RunReport report;
  ASSERT_TRUE(RunInto(ProfileWithRows({5, 10, 100, 20, 100}), sink, options, &report).ok());
  EXPECT_TRUE(sink.CallsStartingWith("CreateSchema").empty());
  EXPECT_TRUE(sink.CallsStartingWith("BeginLoad").empty());
  EXPECT_TRUE(sink.Tables().empty());
  EXPECT_TRUE(report.completed);
}

TEST(RunStartTest, DryRunPlansTheTopUpAndWritesNothing) {
  FakeSink sink;
  sink.SetContents("users", WithHistory(6, 5, 6));
  RunOptions options = Options();
  options.dry_run = true;
  RunReport report;
  ASSERT_TRUE(RunInto(ProfileWithRows({8, 10, 0, 0, 0}), sink, options, &report).ok());
  EXPECT_TRUE(sink.CallsStartingWith("CreateSchema").empty());
  EXPECT_TRUE(sink.Tables().empty());
  EXPECT_TRUE(report.dry_run);
  EXPECT_EQ(report.tables[0].planned, 2);
  EXPECT_EQ(report.tables[1].planned, 10);
  EXPECT_EQ(report.tables[0].method, "fake");
}

// --- Error paths ---

TEST(RunErrorTest, FailingWriteBatchAbortsTheTableAndStillFinishesTheLoad) {
  // Batches of 10: assets (100 rows) goes first, then events; its 3rd batch fails.
  FakeSink sink;
  sink.FailAt("WriteBatch", "events", 3, IoError("disk on fire"));
  RunReport report;
  const Status status =
      RunInto(ProfileWithRows({5, 10, 100, 20, 100}), sink, Options(1, 10), &report);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_EQ(status.message(), "disk on fire");
  const std::vector<std::string> calls = sink.Calls();
  EXPECT_EQ(sink.CallsStartingWith("BeginTable").size(), 2u);  // the rest never started
  EXPECT_EQ(sink.CallsStartingWith("WriteBatch events").size(), 3u);
  EXPECT_EQ(sink.CallsStartingWith("AbortTable"), (std::vector<std::string>{"AbortTable events"}));
  EXPECT_EQ(calls.back(), "FinishLoad");
  const FakeTable* events = sink.Find("events");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->batch_rows, (std::vector<int64_t>{10, 10}));
  EXPECT_TRUE(events->aborted);
  EXPECT_FALSE(events->ended);
  EXPECT_TRUE(sink.Find("assets")->ended);
  EXPECT_EQ(report.tables[4].after, 0);
  EXPECT_EQ(report.tables[2].after, 100);
  EXPECT_FALSE(report.completed);
}

TEST(RunErrorTest, FailingBeginTableAbortsIt) {
  FakeSink sink;
  sink.FailAt("BeginTable", "users", 1, Internal("no users today"));
  const Status status = RunInto(ProfileWithRows({5, 0, 0, 0, 0}), sink);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "no users today");
  EXPECT_TRUE(sink.CallsStartingWith("WriteBatch").empty());
  EXPECT_EQ(sink.CallsStartingWith("AbortTable"), (std::vector<std::string>{"AbortTable users"}));
  EXPECT_EQ(sink.Calls().back(), "FinishLoad");
}

TEST(RunErrorTest, FailingEndTableAbortsItAndSkipsTheRest) {
  FakeSink sink;
  sink.FailAt("EndTable", "deployments", 1, FailedPrecondition("constraint"));
  const Status status = RunInto(ProfileWithRows({5, 10, 100, 20, 100}), sink);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(sink.CallsStartingWith("BeginTable").size(), 3u);  // assets, events, deployments
  EXPECT_EQ(sink.CallsStartingWith("AbortTable"),
            (std::vector<std::string>{"AbortTable deployments"}));
  EXPECT_EQ(sink.Calls().back(), "FinishLoad");
}

TEST(RunErrorTest, TwoFailingTablesReportTheFirstInLoadOrder) {
  // Two workers: events (200 rows) starts first, assets (100) second; both fail in BeginTable
  // once both have begun. assets comes before events in load order, so its error is the cause.
  FakeSink sink;
  sink.SetWorkers(1);
  sink.FailAt("BeginTable", "events", 1, Internal("events failed"), 2);
  sink.FailAt("BeginTable", "assets", 1, Internal("assets failed"), 2);
  RunOptions options = Options();
  options.parallel_tables = 2;
  const Status status = RunInto(ProfileWithRows({5, 10, 100, 20, 200}), sink, options);
  EXPECT_EQ(status.message(), "assets failed");
  const std::vector<std::string> aborted = sink.CallsStartingWith("AbortTable");
  EXPECT_EQ(std::set<std::string>(aborted.begin(), aborted.end()),
            (std::set<std::string>{"AbortTable assets", "AbortTable events"}));
  EXPECT_EQ(sink.Calls().back(), "FinishLoad");
}

TEST(RunErrorTest, FailingBeginLoadWritesNothing) {
  FakeSink sink;
  sink.FailAt("BeginLoad", "", 1, Internal("no load"));
  EXPECT_EQ(RunInto(ProfileWithRows({5, 10, 100, 20, 100}), sink).message(), "no load");
  EXPECT_TRUE(sink.Tables().empty());
  EXPECT_TRUE(sink.CallsStartingWith("FinishLoad").empty());
}

// --- The pipeline: threads and batch sizes change no byte ---

TEST(RunPipelineTest, ThreadsAndBatchSizesGiveIdenticalBytes) {
  const Profile profile = ProfileWithRows({5, 10, 100, 20, 100});
  FakeSink reference;
  ASSERT_TRUE(RunInto(profile, reference, Options(1, 10000)).ok());
  for (const int threads : {1, 2}) {
    for (const int64_t batch : {1, 7, 10000}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + " batch " + std::to_string(batch));
      FakeSink sink;
      ASSERT_TRUE(RunInto(profile, sink, Options(threads, batch)).ok());
      for (const char* table : {"users", "applications", "assets", "deployments", "events"}) {
        ASSERT_NE(sink.Find(table), nullptr);
        EXPECT_EQ(sink.Find(table)->bytes, reference.Find(table)->bytes) << table;
      }
      std::vector<int64_t> expected_batches;
      if (batch == 1) expected_batches.assign(100, 1);
      if (batch == 7) {
        expected_batches.assign(14, 7);  // 14 x 7 = 98, then the last 2
        expected_batches.push_back(2);
      }
      if (batch == 10000) expected_batches = {100};
      EXPECT_EQ(sink.Find("events")->batch_rows, expected_batches);
    }
  }
  EXPECT_EQ(reference.Rows("events").size(), 100u);
}

}  // namespace
}  // namespace seedforge
