// The declared "pair" generator (generators/declared): row r of a table of unordered pairs gets
// the r-th pair (first < second) of the parent's rows, in colex order or under a keyed
// permutation, every pair at most once, and CheckCounts refuses more rows than the pairs the
// parent's rows make. Expected pairs are worked out by hand from the colex order (0,1), (0,2),
// (1,2), (0,3)...; the scrambled ones are checked as sets against every pair.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "generators/declared/declared_internal.h"
#include "generators/declared/declared_tables.h"

namespace seedforge {
namespace {

// The integer columns of each row as text, NULL as "NULL".
class IntegerWriter final : public RowWriter {
 public:
  std::vector<std::vector<std::string>> rows;
  void BeginRow() override { rows.emplace_back(); }
  void EndRow() override {}
  void Int64(int64_t v) override { rows.back().push_back(std::to_string(v)); }
  void Int32(int32_t v) override { rows.back().push_back(std::to_string(v)); }
  void Bool(bool) override { rows.back().push_back("bool"); }
  void Text(std::string_view v) override { rows.back().push_back(std::string(v)); }
  void Timestamp(int64_t) override { rows.back().push_back("time"); }
  void Numeric2(int64_t) override { rows.back().push_back("numeric"); }
  void Inet4(uint32_t) override { rows.back().push_back("inet"); }
  void MacAddr(const uint8_t (&)[6]) override { rows.back().push_back("mac"); }
  void Json(std::string_view) override { rows.back().push_back("json"); }
  void Null() override { rows.back().push_back("NULL"); }
};

std::string Declaration(int64_t users, int64_t pairs, std::string_view extra = "") {
  return R"js({
    "users": {"rows": )js" +
         std::to_string(users) + R"js(, "columns": {"id": {"type": "bigint", "gen": "id"}}},
    "crew": {"rows": )js" +
         std::to_string(pairs) + R"js(, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "user_a": {"type": "bigint", "gen": "pair", "of": "users", "part": "first")js" +
         std::string(extra) + R"js(},
      "user_b": {"type": "bigint", "gen": "pair", "of": "users", "part": "second")js" +
         std::string(extra) + R"js(}},
      "unique": [["user_a", "user_b"]]}
  })js";
}

DeclaredTables MustCompile(const std::string& json) {
  DeclareOptions options;
  options.origin = "profiles/x.json";
  auto tables = CompileDeclaredTables(json, options);
  if (!tables.ok()) ADD_FAILURE() << tables.status().message();
  return std::move(tables).value();
}

std::string CompileError(const std::string& json) {
  DeclareOptions options;
  options.origin = "profiles/x.json";
  auto tables = CompileDeclaredTables(json, options);
  return tables.ok() ? "ok" : tables.status().message();
}

std::shared_ptr<GenerationPlan> Plan(std::vector<int64_t> counts) {
  auto plan = std::make_shared<GenerationPlan>();
  plan->window_start_micros = 1'704'067'200'000'000;
  plan->window_end_micros = 1'767'225'600'000'000;
  plan->row_counts = std::move(counts);
  plan->history.resize(plan->row_counts.size());
  return plan;
}

// "a,b" of each row of table 1 (the pairs), rows [0, end).
std::vector<std::string> Pairs(const DeclaredTables& tables,
                               std::shared_ptr<const GenerationPlan> plan, int64_t end) {
  auto generators = tables.model->MakeGenerators(std::move(plan));
  IntegerWriter writer;
  generators[1]->WriteRows(0, end, writer);
  std::vector<std::string> out;
  for (const auto& row : writer.rows) out.push_back(row[1] + "," + row[2]);
  return out;
}

// Every pair "a,b" of ids 1..n with a < b.
std::set<std::string> AllPairs(int64_t n) {
  std::set<std::string> out;
  for (int64_t b = 2; b <= n; ++b) {
    for (int64_t a = 1; a < b; ++a) out.insert(std::to_string(a) + "," + std::to_string(b));
  }
  return out;
}

TEST(DeclaredPair, UnrankPairWalksTheColexOrder) {
  const std::vector<std::pair<int64_t, int64_t>> expected = {
      {0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}, {0, 4}, {1, 4}, {2, 4}, {3, 4}, {0, 5}};
  for (size_t q = 0; q < expected.size(); ++q) {
    const declared::PairIndices pair = declared::UnrankPair(q);
    EXPECT_EQ(std::make_pair(pair.first, pair.second), expected[q]) << "q = " << q;
  }
  // Past double precision: 3e9 (3e9 - 1) / 2 = 4'499'999'998'500'000'000 is where second 3e9
  // starts; the pair before it is the last of second 3e9 - 1.
  const uint64_t start = 4'499'999'998'500'000'000ULL;
  EXPECT_EQ(declared::UnrankPair(start).first, 0);
  EXPECT_EQ(declared::UnrankPair(start).second, 3'000'000'000);
  EXPECT_EQ(declared::UnrankPair(start - 1).first, 2'999'999'998);
  EXPECT_EQ(declared::UnrankPair(start - 1).second, 2'999'999'999);
  EXPECT_EQ(declared::UnrankPair(start + 7).first, 7);
}

TEST(DeclaredPair, PairCountIsNChooseTwo) {
  EXPECT_EQ(declared::PairCount(0), 0);
  EXPECT_EQ(declared::PairCount(1), 0);
  EXPECT_EQ(declared::PairCount(2), 1);
  EXPECT_EQ(declared::PairCount(50), 1225);
  EXPECT_EQ(declared::PairCount(5000), 12'497'500);
}

TEST(DeclaredPair, UnscrambledRowsAreTheColexPairsOfTheParentIds) {
  DeclaredTables tables = MustCompile(Declaration(4, 6, ", \"scramble\": false"));
  const std::vector<std::string> expected = {"1,2", "1,3", "2,3", "1,4", "2,4", "3,4"};
  EXPECT_EQ(Pairs(tables, Plan({4, 6}), 6), expected);
}

TEST(DeclaredPair, ScrambledRowsTakeEveryPairOnceWhenThereAreAsManyRowsAsPairs) {
  DeclaredTables tables = MustCompile(Declaration(7, 21));
  const std::vector<std::string> pairs = Pairs(tables, Plan({7, 21}), 21);
  const std::set<std::string> distinct(pairs.begin(), pairs.end());
  const std::set<std::string> all = AllPairs(7);
  EXPECT_EQ(distinct, all);
  EXPECT_NE(pairs, std::vector<std::string>(all.begin(), all.end()));  // not in sorted order
  // Both columns come from one pair per row: the same rows again give the same pairs.
  EXPECT_EQ(Pairs(tables, Plan({7, 21}), 21), pairs);
}

TEST(DeclaredPair, FewerRowsThanPairsAreDistinctAndSpreadOverTheParents) {
  DeclaredTables tables = MustCompile(Declaration(50, 300));
  const std::vector<std::string> pairs = Pairs(tables, Plan({50, 300}), 300);
  const std::set<std::string> all = AllPairs(50);
  std::set<std::string> distinct;
  std::set<std::string> users;
  for (const std::string& pair : pairs) {
    EXPECT_TRUE(all.count(pair)) << pair;  // 1 <= a < b <= 50
    distinct.insert(pair);
    users.insert(pair.substr(pair.find(',') + 1));
  }
  EXPECT_EQ(distinct.size(), 300u);
  // Not the colex prefix, which would stop at user 25 (300 = 25 * 24 / 2).
  EXPECT_GT(users.size(), 40u);
}

TEST(DeclaredPair, ATopUpAfterTheParentsGrewKeepsEveryPairDistinct) {
  // Rows 0-9 were generated with 5 users (all 10 of their pairs, scrambled); the top-up to 28
  // rows runs with 8 users: rows 10-27 are colex pairs 10-27, each with a user past the first 5.
  DeclaredTables tables = MustCompile(Declaration(8, 28));
  auto plan = Plan({8, 28});
  GenerationSegment first;
  first.table = "crew";
  first.first_row = 0;
  first.row_count = 10;
  first.model_row_counts = {5, 10};
  GenerationSegment second = first;
  second.first_row = 10;
  second.row_count = -1;
  second.model_row_counts = {8, 28};
  plan->history[1] = {first, second};
  const std::vector<std::string> pairs = Pairs(tables, plan, 28);
  const std::set<std::string> old_pairs(pairs.begin(), pairs.begin() + 10);
  EXPECT_EQ(old_pairs, AllPairs(5));
  const std::vector<std::string> new_pairs(pairs.begin() + 10, pairs.end());
  const std::vector<std::string> expected = {"1,6", "2,6", "3,6", "4,6", "5,6", "1,7",
                                             "2,7", "3,7", "4,7", "5,7", "6,7", "1,8",
                                             "2,8", "3,8", "4,8", "5,8", "6,8", "7,8"};
  EXPECT_EQ(new_pairs, expected);
}

TEST(DeclaredPair, CheckCountsRefusesMoreRowsThanPairs) {
  DeclaredTables tables = MustCompile(Declaration(5, 10));
  EXPECT_TRUE(tables.model->CheckCounts(std::vector<int64_t>{5, 10}).ok());
  const Status status = tables.model->CheckCounts(std::vector<int64_t>{5, 11});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "table crew: 11 rows need as many distinct pairs of users rows (column user_a), but "
            "its 5 rows make only 10");
  EXPECT_EQ(tables.model->CheckCounts(std::vector<int64_t>{1, 1}).message(),
            "table crew: 1 rows need as many distinct pairs of users rows (column user_a), but "
            "its 1 rows make only 0");
  EXPECT_EQ(tables.model->CheckCounts(std::vector<int64_t>{0, 1}).message(),
            "table crew: 1 rows need rows of users, which has none");
}

TEST(DeclaredPair, BothPartsAreForeignKeysAndThePairIsAUniqueKey) {
  DeclaredTables tables = MustCompile(Declaration(5, 10));
  const TableDef& crew = tables.model->schemas()[1].table;
  std::vector<std::string> constraints;
  for (const ConstraintDef& c : crew.constraints)
    constraints.push_back(c.name + " " + c.definition);
  const std::vector<std::string> expected = {
      "crew_pkey PRIMARY KEY (id)", "crew_user_a_user_b_key UNIQUE (user_a, user_b)",
      "crew_user_a_fkey FOREIGN KEY (user_a) REFERENCES users(id)",
      "crew_user_b_fkey FOREIGN KEY (user_b) REFERENCES users(id)"};
  EXPECT_EQ(constraints, expected);
  EXPECT_TRUE(crew.columns[1].not_null);
  EXPECT_TRUE(crew.columns[2].not_null);
}

TEST(DeclaredPair, MistakesAreOneLineWithThePath) {
  std::string json = Declaration(5, 10);
  json.replace(json.find("\"part\": \"second\""), 16, "\"part\": \"last\"");
  EXPECT_EQ(CompileError(json),
            "profiles/x.json: $.tables.crew.columns.user_b.part: expected \"first\" or "
            "\"second\", not 'last'");
  json = Declaration(5, 10);
  json.replace(json.find("\"of\": \"users\""), 13, "\"of\": \"people\"");
  EXPECT_EQ(CompileError(json),
            "profiles/x.json: $.tables.crew.columns.user_a.of: unknown table 'people' (declared: "
            "users, crew)");
  json = Declaration(5, 10);
  json.replace(json.find("\"of\": \"users\""), 13, "\"of\": \"crew\"");
  EXPECT_EQ(CompileError(json),
            "profiles/x.json: $.tables.crew.columns.user_a.of: a pair of the table's own rows is "
            "not supported");
  // A key of one part and another column is not unique by construction.
  json = Declaration(5, 10);
  json.replace(json.find("[[\"user_a\", \"user_b\"]]"), 22, "[[\"user_a\", \"id\"], [\"user_b\"]]");
  EXPECT_EQ(CompileError(json),
            "profiles/x.json: $.tables.crew.unique[1]: unique key crew_user_b_key (user_b) has no "
            "column injective in the row; include a unique column ('id', 'scramble', 'uuid', a "
            "unique 'pattern' or 'template'), or use (parent, index_in_parent) or (parent, a "
            "\"distinct\" ref) of a per-parent table, or the first and second parts of a "
            "'pair'");
}

}  // namespace
}  // namespace seedforge
