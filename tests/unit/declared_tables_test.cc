// Tables declared in a profile (generators/declared): the model they compile to, the rows their
// generators write, and the one-line message of every bad declaration. Expected values are worked
// out by hand from the declaration, or recomputed independently with the values compiler.
#include "generators/declared/declared_tables.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "generators/values/row_program.h"

namespace seedforge {
namespace {

// Every value as text; NULL as "NULL", numerics as "unscaled/scale".
class RecordingWriter final : public RowWriter {
 public:
  std::vector<std::vector<std::string>> rows;

  void BeginRow() override { rows.emplace_back(); }
  void EndRow() override {}
  void Int64(int64_t v) override { Add(std::to_string(v)); }
  void Int32(int32_t v) override { Add(std::to_string(v)); }
  void Int16(int16_t v) override { Add(std::to_string(v)); }
  void Bool(bool v) override { Add(v ? "t" : "f"); }
  void Text(std::string_view v) override { Add(std::string(v)); }
  void Timestamp(int64_t v) override { Add(std::to_string(v)); }
  void LocalTimestamp(int64_t v) override { Add("local " + std::to_string(v)); }
  void Numeric2(int64_t v) override { Add(std::to_string(v) + "/2"); }
  void Numeric(int64_t v, int scale) override {
    Add(std::to_string(v) + "/" + std::to_string(scale));
  }
  void Float64(double v) override { Add(std::to_string(v)); }
  void Inet4(uint32_t v) override { Add(std::to_string(v)); }
  void MacAddr(const uint8_t (&)[6]) override { Add("mac"); }
  void Json(std::string_view v) override { Add(std::string(v)); }
  void Null() override { Add("NULL"); }
  void BeginArray() override {
    rows.back().push_back("{");
    in_array_ = true;
  }
  void EndArray() override {
    rows.back().back() += "}";
    in_array_ = false;
  }

 private:
  void Add(std::string value) {
    if (!in_array_) return rows.back().push_back(std::move(value));
    std::string& array = rows.back().back();
    array += (array.size() > 1 ? "," : "") + value;
  }
  bool in_array_ = false;
};

DeclaredTables MustCompile(std::string_view json, uint64_t seed = 42) {
  DeclareOptions options;
  options.origin = "profiles/x.json";
  options.seed = seed;
  auto tables = CompileDeclaredTables(json, options);
  if (!tables.ok()) ADD_FAILURE() << tables.status().message();
  return std::move(tables).value();
}

std::string CompileError(std::string_view json) {
  DeclareOptions options;
  options.origin = "profiles/x.json";
  auto tables = CompileDeclaredTables(json, options);
  return tables.ok() ? "ok" : tables.status().message();
}

std::shared_ptr<const GenerationPlan> Plan(std::vector<int64_t> counts, uint64_t seed = 42) {
  auto plan = std::make_shared<GenerationPlan>();
  plan->seed = seed;
  plan->window_start_micros = 1'704'067'200'000'000;
  plan->window_end_micros = 1'767'225'600'000'000;
  plan->row_counts = std::move(counts);
  plan->history.resize(plan->row_counts.size());
  return plan;
}

std::vector<std::vector<std::string>> Rows(const TableGenerator& generator, int64_t begin,
                                           int64_t end) {
  RecordingWriter writer;
  generator.WriteRows(begin, end, writer);
  return writer.rows;
}

constexpr std::string_view kTravelers = R"js({
  "travelers": {
    "rows": 2,
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "quantity": {"type": "integer", "gen": "uniform", "min": 1, "max": 500, "step": 1}
    }
  },
  "routing_steps": {
    "rows": {"per": "travelers", "min": 3, "max": 3},
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "traveler_id": {"type": "bigint", "gen": "parent", "on_delete": "cascade"},
      "step_number": {"type": "integer", "gen": "index_in_parent", "start": 1}
    },
    "unique": [["traveler_id", "step_number"]]
  }
})js";

TEST(DeclaredTables, ArrayElementsAreCheckedAgainstTheElementType) {
  // Words are at most 8 characters; uniform integers up to 100000 do not fit a smallint.
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
      "tags": {"type": "varchar(3)[]", "gen": "array", "max": 2, "of": {"gen": "word"}}}}})js"),
            "profiles/x.json: $.tables.t.columns.tags: column tags is varchar(3)[], generator "
            "'array' writes up to 8 characters");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
      "n": {"type": "smallint[]", "gen": "array", "max": 2,
            "of": {"gen": "uniform", "min": 0, "max": 100000, "step": 1}}}}})js"),
            "profiles/x.json: $.tables.t.columns.n: column n is smallint[], generator 'array' "
            "writes integers from 0 to 100000");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
      "tags": {"type": "varchar(8)[]", "gen": "array", "max": 2, "of": {"gen": "word"}},
      "n": {"type": "smallint[]", "gen": "array", "max": 2,
            "of": {"gen": "uniform", "min": 0, "max": 32767, "step": 1}}}}})js"),
            "ok");
}

TEST(DeclaredTables, PerParentFixedCountLaysChildrenOutParentByParent) {
  DeclaredTables tables = MustCompile(kTravelers);
  ASSERT_EQ(tables.rows.size(), 2u);
  EXPECT_EQ(tables.rows[0], std::optional<int64_t>(2));
  EXPECT_EQ(tables.rows[1], std::nullopt);
  const std::vector<int64_t> counts = {2, 0};
  EXPECT_EQ(tables.model->DerivedCount(0, 42, counts), std::nullopt);
  EXPECT_EQ(tables.model->DerivedCount(1, 42, counts), std::optional<int64_t>(6));
  const std::vector<int64_t> five = {5, 0};
  EXPECT_EQ(tables.model->DerivedCount(1, 42, five), std::optional<int64_t>(15));

  auto generators = tables.model->MakeGenerators(Plan({2, 6}));
  ASSERT_EQ(generators.size(), 2u);
  const std::vector<std::vector<std::string>> expected = {{"1", "1", "1"}, {"2", "1", "2"},
                                                          {"3", "1", "3"}, {"4", "2", "1"},
                                                          {"5", "2", "2"}, {"6", "2", "3"}};
  EXPECT_EQ(Rows(*generators[1], 0, 6), expected);
}

TEST(DeclaredTables, PerParentRangeGivesEveryParentItsCountContiguously) {
  std::string json(kTravelers);
  json.replace(json.find("\"rows\": 2"), 9, "\"rows\": 300");
  json.replace(json.find("\"min\": 3, \"max\": 3"), 18, "\"min\": 1, \"max\": 12");
  DeclaredTables tables = MustCompile(json);
  const std::vector<int64_t> parents = {300, 0};
  const int64_t derived = tables.model->DerivedCount(1, 42, parents).value();
  auto generators = tables.model->MakeGenerators(Plan({300, derived}));
  const auto rows = Rows(*generators[1], 0, derived);
  ASSERT_EQ(static_cast<int64_t>(rows.size()), derived);
  std::map<int64_t, int64_t> per_parent;  // parent id -> children seen
  std::set<std::pair<std::string, std::string>> pairs;
  int64_t previous_parent = 1;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t parent = std::stoll(rows[i][1]);
    const int64_t index = std::stoll(rows[i][2]);
    ASSERT_GE(parent, previous_parent) << "row " << i;  // parent by parent
    previous_parent = parent;
    ++per_parent[parent];
    EXPECT_EQ(index, per_parent[parent]) << "row " << i;  // 1, 2, ... under each parent
    EXPECT_TRUE(pairs.insert({rows[i][1], rows[i][2]}).second);
    EXPECT_EQ(rows[i][0], std::to_string(i + 1));
  }
  ASSERT_EQ(per_parent.size(), 300u);
  int64_t sum = 0;
  for (const auto& [parent, count] : per_parent) {
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 12);
    sum += count;
  }
  EXPECT_EQ(sum, derived);
  // A jump into the middle gives the same rows as the run from the start.
  const auto middle = Rows(*generators[1], derived / 2, derived / 2 + 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(middle[i], rows[derived / 2 + i]);
}

constexpr std::string_view kRefs = R"js({
  "events": {
    "rows": 100,
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "user_id": {"type": "bigint", "gen": "ref", "to": "users"},
      "hot_user_id": {"type": "bigint", "gen": "ref", "to": "users", "skew": 1.1},
      "previous_id": {"type": "bigint", "gen": "ref", "to": "events", "earlier": true}
    }
  },
  "users": {
    "rows": 7,
    "columns": {"id": {"type": "integer", "gen": "id"}}
  }
})js";

TEST(DeclaredTables, RefsStayWithinTheParentsAndEarlierRows) {
  DeclaredTables tables = MustCompile(kRefs);
  // users first: events refers to it.
  ASSERT_EQ(tables.model->schemas().size(), 2u);
  EXPECT_EQ(tables.model->schemas()[0].name, "users");
  EXPECT_EQ(tables.model->schemas()[1].name, "events");
  auto generators = tables.model->MakeGenerators(Plan({7, 100}));
  const auto rows = Rows(*generators[1], 0, 100);
  std::set<int64_t> users;
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int column : {1, 2}) {
      const int64_t user = std::stoll(rows[i][column]);
      EXPECT_GE(user, 1);
      EXPECT_LE(user, 7);
      users.insert(user);
    }
    if (i == 0) {
      EXPECT_EQ(rows[i][3], "NULL");
    } else {
      EXPECT_GE(std::stoll(rows[i][3]), 1);
      EXPECT_LT(std::stoll(rows[i][3]), static_cast<int64_t>(i + 1));
    }
  }
  EXPECT_EQ(users.size(), 7u);  // 200 draws over 7 users reach them all
  // The column is nullable because row 0 has no earlier row.
  EXPECT_EQ(tables.model->schemas()[1].table.columns[3].not_null, false);
  EXPECT_EQ(tables.model->schemas()[1].table.columns[1].not_null, true);
}

TEST(DeclaredTables, SameRefersToAnEarlierRowOfTheSameParent) {
  DeclaredTables tables = MustCompile(R"js({
    "orders": {"rows": 40, "columns": {"id": {"type": "bigint", "gen": "id"}}},
    "lines": {
      "rows": {"per": "orders", "min": 1, "max": 6},
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "order_id": {"type": "bigint", "gen": "parent"},
        "replaces_id": {"type": "bigint", "gen": "ref", "to": "lines", "same": "order_id"}
      }
    }
  })js");
  const std::vector<int64_t> counts = {40, 0};
  const int64_t derived = tables.model->DerivedCount(1, 42, counts).value();
  auto generators = tables.model->MakeGenerators(Plan({40, derived}));
  const auto rows = Rows(*generators[1], 0, derived);
  std::string previous_order;
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool first_of_order = rows[i][1] != previous_order;
    previous_order = rows[i][1];
    if (first_of_order) {
      EXPECT_EQ(rows[i][2], "NULL") << "row " << i;
      continue;
    }
    const int64_t target = std::stoll(rows[i][2]);
    ASSERT_GE(target, 1);
    ASSERT_LT(target, static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[target - 1][1], rows[i][1]) << "row " << i;
  }
}

constexpr std::string_view kLookup = R"js({
  "travelers": {
    "rows": 20,
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "created_at": {"type": "timestamptz", "gen": "monotone_time", "every": "1h"},
      "code": {"gen": "pattern", "format": "T-####"}
    }
  },
  "routing_steps": {
    "rows": {"per": "travelers", "min": 1, "max": 4},
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "traveler_id": {"type": "bigint", "gen": "parent"},
      "traveler_created": {"type": "timestamptz", "gen": "lookup", "via": "traveler_id", "column": "created_at"},
      "traveler_code": {"type": "text", "gen": "lookup", "via": "traveler_id", "column": "code"},
      "started_at": {"type": "timestamptz", "gen": "after", "of": "traveler_created", "by": {"gen": "exponential", "mean": "2h"}}
    }
  },
  "checks": {
    "rows": 30,
    "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "step_id": {"type": "bigint", "gen": "ref", "to": "routing_steps"},
      "step_code": {"type": "text", "gen": "lookup", "via": "step_id", "column": "traveler_code"}
    }
  }
})js";

TEST(DeclaredTables, LookupEqualsTheParentsColumnRecomputed) {
  DeclaredTables tables = MustCompile(kLookup);
  const std::vector<int64_t> counts = {20, 0, 0};
  const int64_t steps = tables.model->DerivedCount(1, 42, counts).value();
  auto generators = tables.model->MakeGenerators(Plan({20, steps, 30}));
  // The parent's columns, compiled on their own.
  values::CompileOptions options;
  options.seed = 42;
  auto parent = values::RowProgram::Compile("travelers",
                                            R"js({"id": {"type": "bigint", "gen": "id"},
          "created_at": {"type": "timestamptz", "gen": "monotone_time", "every": "1h"},
          "code": {"gen": "pattern", "format": "T-####"}})js",
                                            options);
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  values::RowScratch scratch = parent->NewScratch();
  std::vector<std::string> created, codes;
  for (uint64_t row = 0; row < 20; ++row) {
    parent->ComputeRow(row, &scratch);
    created.push_back(std::to_string(scratch[1].integer_value()));
    codes.push_back(scratch[2].ToString());
  }
  EXPECT_EQ(Rows(*generators[0], 0, 20)[7][1], created[7]);
  const auto rows = Rows(*generators[1], 0, steps);
  for (const auto& row : rows) {
    const size_t traveler = std::stoull(row[1]) - 1;
    EXPECT_EQ(row[2], created[traveler]);
    EXPECT_EQ(row[3], codes[traveler]);
    EXPECT_GE(std::stoll(row[4]), std::stoll(row[2]));
  }
  // A lookup of a lookup: checks.step_code is the code of the step's traveler.
  for (const auto& row : Rows(*generators[2], 0, 30)) {
    const int64_t step = std::stoll(row[1]);
    ASSERT_LE(step, steps);
    EXPECT_EQ(row[2], rows[step - 1][3]);
  }
}

// Assets owned by users unless they are servers; events on an asset, or on a deployment and
// then on the deployment's asset; an event's user is its asset's owner.
constexpr std::string_view kFleetRefs = R"js({
  "users": {"rows": 10, "columns": {"id": {"type": "bigint", "gen": "id"}}},
  "assets": {"rows": 50, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "kind": {"type": "text", "gen": "choice", "values": ["laptop", "server"]},
    "owner_id": {"type": "bigint", "gen": "case", "on": "kind",
                 "cases": {"server": {"gen": "null"}},
                 "else": {"gen": "ref", "to": "users", "on_delete": "set null"}}}},
  "deployments": {"rows": 20, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "asset_id": {"type": "bigint", "gen": "ref", "to": "assets"}}},
  "events": {"rows": 400, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "on_deployment": {"gen": "bool", "rate": 0.3},
    "deployment_id": {"type": "bigint", "gen": "case", "on": "on_deployment",
                      "cases": {"true": {"gen": "ref", "to": "deployments"}}},
    "asset_id": {"type": "bigint", "gen": "case", "on": "on_deployment",
                 "cases": {"true": {"gen": "ref", "to": "assets", "via": "deployment_id", "column": "asset_id"}},
                 "else": {"gen": "ref", "to": "assets", "skew": 1.0}},
    "user_id": {"type": "bigint", "gen": "ref", "to": "users", "via": "asset_id", "column": "owner_id"}}}
})js";

TEST(DeclaredTables, CaseBranchesAndCopiedRefsAreForeignKeys) {
  DeclaredTables tables = MustCompile(kFleetRefs);
  const std::vector<TableSchema>& schemas = tables.model->schemas();
  ASSERT_EQ(schemas.size(), 4u);
  std::vector<std::string> keys;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type == 'f') {
        keys.push_back(constraint.name + ": " + constraint.definition);
      }
    }
  }
  EXPECT_EQ(
      keys,
      (std::vector<std::string>{
          "assets_owner_id_fkey: FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE SET NULL",
          "deployments_asset_id_fkey: FOREIGN KEY (asset_id) REFERENCES assets(id)",
          "events_deployment_id_fkey: FOREIGN KEY (deployment_id) REFERENCES deployments(id)",
          "events_asset_id_fkey: FOREIGN KEY (asset_id) REFERENCES assets(id)",
          "events_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id)"}));
  const auto generators = tables.model->MakeGenerators(Plan({10, 50, 20, 400}));
  const auto assets = Rows(*generators[1], 0, 50);
  const auto deployments = Rows(*generators[2], 0, 20);
  int servers = 0;
  for (const auto& asset : assets) {
    if (asset[1] == "server") {
      EXPECT_EQ(asset[2], "NULL");
      ++servers;
    } else {
      ASSERT_NE(asset[2], "NULL");
      EXPECT_GE(std::stoll(asset[2]), 1);
      EXPECT_LE(std::stoll(asset[2]), 10);
    }
  }
  EXPECT_GT(servers, 10);
  EXPECT_LT(servers, 40);
  int on_deployments = 0;
  for (const auto& event : Rows(*generators[3], 0, 400)) {
    const int64_t asset = std::stoll(event[2]);
    ASSERT_GE(asset, 1);
    ASSERT_LE(asset, 50);
    if (event[1] != "NULL") {
      ++on_deployments;
      const int64_t deployment = std::stoll(event[1]);
      ASSERT_GE(deployment, 1);
      ASSERT_LE(deployment, 20);
      EXPECT_EQ(event[2], deployments[deployment - 1][1]) << "the deployment's own asset";
    }
    EXPECT_EQ(event[3], assets[asset - 1][2]) << "the asset's owner, NULL for a server";
  }
  EXPECT_NEAR(on_deployments, 120, 4 * std::sqrt(400 * 0.3 * 0.7));
}

TEST(DeclaredTables, BadCaseRefsAndCopiedRefsGetOneLine) {
  const std::string users =
      R"js("users": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"}}},
    "teams": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
              "lead_id": {"type": "bigint", "gen": "ref", "to": "users"}}},)js";
  EXPECT_EQ(CompileError("{" + users + R"js("t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"}, "k": {"gen": "bool"},
              "x": {"type": "bigint", "gen": "case", "on": "k",
                    "cases": {"true": {"gen": "ref", "to": "users"}},
                    "else": {"gen": "ref", "to": "teams"}}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.else.to: the ref branches of a case refer to "
            "one table ('users' in $.tables.t.columns.x.cases.true)");
  EXPECT_EQ(CompileError("{" + users + R"js("t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"}, "k": {"gen": "bool"},
              "x": {"type": "bigint", "gen": "case", "on": "k",
                    "cases": {"true": {"gen": "ref", "to": "users"}},
                    "else": {"gen": "uniform", "min": 1, "max": 3, "step": 1}}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.else.gen: a case with ref branches has only "
            "ref and null branches, not 'uniform'");
  EXPECT_EQ(CompileError("{" + users + R"js("t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "team_id": {"type": "bigint", "gen": "ref", "to": "teams"},
              "x": {"type": "bigint", "gen": "ref", "to": "teams", "via": "team_id", "column": "lead_id"}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.column: column 'lead_id' of table teams is not "
            "a reference to teams");
  EXPECT_EQ(CompileError("{" + users + R"js("t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "x": {"type": "bigint", "gen": "ref", "to": "users", "via": "nope", "column": "lead_id"}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.via: 'nope' is not another ref or parent "
            "column of table t");
  EXPECT_EQ(CompileError("{" + users + R"js("t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "x": {"type": "bigint", "gen": "json", "fields": {"u": {"gen": "ref", "to": "users"}}}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.fields.u.gen: 'ref' must be a column's own "
            "generator");
}

TEST(DeclaredTables, RowsDoNotDependOnBatchSplits) {
  DeclaredTables tables = MustCompile(kLookup);
  const std::vector<int64_t> counts = {20, 0, 0};
  const int64_t steps = tables.model->DerivedCount(1, 42, counts).value();
  auto generators = tables.model->MakeGenerators(Plan({20, steps, 100}));
  for (size_t t : {size_t{1}, size_t{2}}) {
    const int64_t end = t == 1 ? steps : 100;
    auto whole = Rows(*generators[t], 0, end);
    auto first = Rows(*generators[t], 0, 37);
    auto second = Rows(*generators[t], 37, end);
    first.insert(first.end(), second.begin(), second.end());
    EXPECT_EQ(whole, first);
  }
}

TEST(DeclaredTables, AnotherSeedInThePlanRecompiles) {
  DeclaredTables tables = MustCompile(kTravelers);
  auto same = tables.model->MakeGenerators(Plan({2, 6}, 42));
  auto other = tables.model->MakeGenerators(Plan({2, 6}, 7));
  auto again = MustCompile(kTravelers, 7).model->MakeGenerators(Plan({2, 6}, 7));
  EXPECT_EQ(Rows(*other[0], 0, 2), Rows(*again[0], 0, 2));
  EXPECT_NE(Rows(*same[0], 0, 2), Rows(*other[0], 0, 2));
}

TEST(DeclaredTables, TableDefsCarryTheConstraintsAsPostgresNamesThem) {
  DeclaredTables tables = MustCompile(R"js({
    "travelers": {
      "rows": 500,
      "columns": {
        "id": {"type": "int", "gen": "id"},
        "job_number": {"type": "varchar(16)", "gen": "pattern", "format": "####L", "unique": true},
        "quantity": {"type": "integer", "gen": "uniform", "min": 1, "max": 500, "step": 1},
        "created_at": {"type": "timestamptz", "gen": "monotone_time", "every": "1h"},
        "helper": {"gen": "uniform", "min": 1, "max": 2, "step": 1}
      },
      "indexes": [["created_at"]],
      "checks": {"travelers_quantity_positive": "quantity > 0"}
    },
    "routing_steps": {
      "rows": {"per": "travelers", "min": 1, "max": 12},
      "columns": {
        "id": {"type": "bigint", "gen": "id"},
        "traveler_id": {"type": "bigint", "gen": "parent", "on_delete": "cascade"},
        "step_number": {"type": "integer", "gen": "index_in_parent", "start": 1},
        "operator_id": {"type": "bigint", "gen": "ref", "to": "\"userTable\"", "null_rate": 0.1,
                        "deferrable": true, "on_delete": "set null"},
        "note": {"type": "text", "gen": "word", "nullable": true}
      },
      "unique": [["traveler_id", "step_number"]]
    },
    "\"userTable\"": {"rows": 3, "schema": "app", "columns": {"id": {"type": "bigint", "gen": "id"}}}
  })js");
  const auto& schemas = tables.model->schemas();
  ASSERT_EQ(schemas.size(), 3u);
  const TableDef& travelers = schemas[0].table;
  const TableDef& users = schemas[1].table;
  const TableDef& steps = schemas[2].table;
  EXPECT_EQ(travelers.name, "travelers");
  EXPECT_EQ(users.name, "userTable");
  EXPECT_EQ(users.schema, "app");
  EXPECT_EQ(steps.name, "routing_steps");

  ASSERT_EQ(travelers.columns.size(), 4u);  // the helper column is not written
  EXPECT_EQ(travelers.columns[0].name, "id");
  EXPECT_EQ(travelers.columns[0].type, "integer");
  EXPECT_EQ(travelers.columns[0].identity, 'd');
  EXPECT_TRUE(travelers.columns[0].not_null);
  EXPECT_EQ(travelers.columns[1].type, "character varying(16)");
  EXPECT_TRUE(travelers.columns[1].not_null);
  EXPECT_EQ(travelers.columns[3].type, "timestamp with time zone");
  ASSERT_EQ(travelers.constraints.size(), 3u);
  EXPECT_EQ(travelers.constraints[0].name, "travelers_pkey");
  EXPECT_EQ(travelers.constraints[0].definition, "PRIMARY KEY (id)");
  EXPECT_EQ(travelers.constraints[1].name, "travelers_job_number_key");
  EXPECT_EQ(travelers.constraints[1].definition, "UNIQUE (job_number)");
  EXPECT_EQ(travelers.constraints[2].name, "travelers_quantity_positive");
  EXPECT_EQ(travelers.constraints[2].definition, "CHECK (quantity > 0)");
  ASSERT_EQ(travelers.indexes.size(), 1u);
  EXPECT_EQ(travelers.indexes[0].name, "travelers_created_at_idx");
  EXPECT_EQ(travelers.indexes[0].definition,
            "CREATE INDEX travelers_created_at_idx ON travelers USING btree (created_at)");

  ASSERT_EQ(steps.columns.size(), 5u);
  EXPECT_FALSE(steps.columns[3].not_null);  // null_rate
  EXPECT_FALSE(steps.columns[4].not_null);  // "nullable": true
  ASSERT_EQ(steps.constraints.size(), 4u);
  EXPECT_EQ(steps.constraints[0].definition, "PRIMARY KEY (id)");
  EXPECT_EQ(steps.constraints[1].name, "routing_steps_traveler_id_step_number_key");
  EXPECT_EQ(steps.constraints[1].definition, "UNIQUE (traveler_id, step_number)");
  EXPECT_EQ(steps.constraints[2].name, "routing_steps_traveler_id_fkey");
  EXPECT_EQ(steps.constraints[2].definition,
            "FOREIGN KEY (traveler_id) REFERENCES travelers(id) ON DELETE CASCADE");
  EXPECT_EQ(steps.constraints[3].name, "routing_steps_operator_id_fkey");
  EXPECT_EQ(steps.constraints[3].definition,
            "FOREIGN KEY (operator_id) REFERENCES app.\"userTable\"(id) ON DELETE SET NULL "
            "DEFERRABLE INITIALLY DEFERRED");
  EXPECT_EQ(schemas[2].columns[1].references, "travelers");
}

TEST(DeclaredTables, TheReadmeExampleCompilesAndGenerates) {
  DeclaredTables tables = MustCompile(R"js({
    "travelers": {
      "rows": 500,
      "columns": {
        "id":          {"type": "bigint", "gen": "id"},
        "job_number":  {"type": "varchar(16)", "gen": "pattern", "format": "####L", "unique": true},
        "quantity":    {"type": "integer", "gen": "uniform", "min": 1, "max": 500, "step": 1},
        "created_at":  {"type": "timestamptz", "gen": "monotone_time", "every": "1h"},
        "amount": {"type": "numeric(12,2)", "gen": "lognormal", "median": 40, "sigma": 1, "scale": 2, "min": 0.01, "max": 100000},
        "tags":   {"type": "text[]", "gen": "array", "min": 0, "max": 3, "of": {"gen": "word"}}
      },
      "indexes": [["created_at"]],
      "checks": {"travelers_quantity_positive": "quantity > 0"}
    },
    "users": {"rows": 50, "columns": {"id": {"type": "bigint", "gen": "id"}}},
    "routing_steps": {
      "rows": {"per": "travelers", "min": 1, "max": 12},
      "columns": {
        "id":          {"type": "bigint", "gen": "id"},
        "traveler_id": {"type": "bigint", "gen": "parent", "on_delete": "cascade"},
        "step_number": {"type": "integer", "gen": "index_in_parent", "start": 1},
        "traveler_created": {"gen": "lookup", "via": "traveler_id", "column": "created_at"},
        "started_at":  {"type": "timestamptz", "gen": "after", "of": "traveler_created", "by": {"gen": "exponential", "mean": "2h"}},
        "operator_id": {"type": "bigint", "gen": "ref", "to": "users", "skew": 1.1, "null_rate": 0.1},
        "operator_since": {"type": "bigint", "gen": "lookup", "via": "operator_id", "column": "id"}
      },
      "unique": [["traveler_id", "step_number"]]
    }
  })js");
  const auto& schemas = tables.model->schemas();
  ASSERT_EQ(schemas.size(), 3u);
  EXPECT_EQ(schemas[2].table.columns.size(), 6u);  // traveler_created is a helper
  std::vector<int64_t> counts = {500, 50, 0};
  counts[2] = tables.model->DerivedCount(2, 42, counts).value();
  auto generators = tables.model->MakeGenerators(Plan(counts));
  RecordingWriter writer;
  generators[0]->WriteRows(0, 3, writer);
  ASSERT_EQ(writer.rows.size(), 3u);
  EXPECT_EQ(writer.rows[0].size(), 6u);
  const auto steps = Rows(*generators[2], 0, counts[2]);
  int nulls = 0;
  for (const auto& row : steps) {
    // The lookup of the operator's id is the operator id itself, NULL with it.
    EXPECT_EQ(row[5], row[4]);
    if (row[4] == "NULL") ++nulls;
  }
  EXPECT_GT(nulls, 0);
}

TEST(DeclaredTables, ParentsMayHaveNoChildren) {
  DeclaredTables tables = MustCompile(R"js({
    "a": {"rows": 200, "columns": {"id": {"type": "bigint", "gen": "id"}}},
    "b": {"rows": {"per": "a", "min": 0, "max": 2}, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "a_id": {"type": "bigint", "gen": "parent"},
      "k": {"type": "integer", "gen": "index_in_parent", "start": 0}}}
  })js");
  const std::vector<int64_t> parents = {200, 0};
  const int64_t derived = tables.model->DerivedCount(1, 42, parents).value();
  auto generators = tables.model->MakeGenerators(Plan({200, derived}));
  const auto rows = Rows(*generators[1], 0, derived);
  std::map<int64_t, int64_t> per_parent;
  for (const auto& row : rows) {
    const int64_t parent = std::stoll(row[1]);
    EXPECT_EQ(std::stoll(row[2]), per_parent[parent]++);  // 0, 1 under each parent
  }
  EXPECT_LT(per_parent.size(), 200u);  // some of the 200 parents have none
  for (const auto& [parent, count] : per_parent) EXPECT_LE(count, 2);
  // Any single row computed alone agrees.
  for (int64_t row : {derived - 1, int64_t{0}, derived / 3}) {
    EXPECT_EQ(Rows(*generators[1], row, row + 1)[0], rows[row]);
  }
}

TEST(DeclaredTables, RowsOfAnEarlierSegmentDrawFromItsParentCounts) {
  DeclaredTables tables = MustCompile(kRefs);
  auto plan = std::make_shared<GenerationPlan>(*Plan({7, 100}));
  GenerationSegment old;
  old.first_row = 0;
  old.row_count = 50;
  old.model_row_counts = {2, 50};
  GenerationSegment recent;
  recent.first_row = 50;
  recent.model_row_counts = {7, 100};
  plan->history[1] = {old, recent};
  auto generators = tables.model->MakeGenerators(plan);
  const auto rows = Rows(*generators[1], 0, 100);
  for (int i = 0; i < 50; ++i) EXPECT_LE(std::stoll(rows[i][1]), 2) << "row " << i;
  std::set<std::string> later;
  for (int i = 50; i < 100; ++i) later.insert(rows[i][1]);
  EXPECT_GT(later.size(), 2u);
}

TEST(DeclaredTables, CheckCountsRefusesChildrenWithoutParents) {
  DeclaredTables tables = MustCompile(kRefs);
  const std::vector<int64_t> none = {0, 100};
  EXPECT_EQ(tables.model->CheckCounts(none).message(),
            "table events: 100 rows need rows of users, which has none");
  const std::vector<int64_t> fine = {7, 100};
  EXPECT_TRUE(tables.model->CheckCounts(fine).ok());
  const std::vector<int64_t> empty = {0, 0};
  EXPECT_TRUE(tables.model->CheckCounts(empty).ok());
}

TEST(DeclaredTables, CanonicalTextIsTheMinifiedDeclarationWithoutTargets) {
  DeclaredTables tables = MustCompile(R"js({ "t": { "rows": 1,
      "columns": {"id": {"type": "bigint", "gen": "id"}} },
      "\"U\"": { "rows": {"per": "t", "min": 1, "max": 2},
      "columns": {"id": {"type": "bigint", "gen": "id"},
                  "t_id": {"type": "bigint", "gen": "parent"}} } })js");
  EXPECT_EQ(
      tables.model->CanonicalText(),
      R"js({"t":{"columns":{"id":{"type":"bigint","gen":"id"}}},"\"U\"":{"rows":{"per":"t","min":1,"max":2},"columns":{"id":{"type":"bigint","gen":"id"},"t_id":{"type":"bigint","gen":"parent"}}}})js");
}

TEST(DeclaredTables, BadDeclarationsGetOneLineNamingThePath) {
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "u": {"type": "bigint", "gen": "ref", "to": "users"}}}})js"),
            "profiles/x.json: $.tables.t.columns.u.to: unknown table 'users' (declared: t)");
  EXPECT_EQ(CompileError(R"js({"p": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"}}},
              "t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "p_id": {"type": "bigint", "gen": "ref", "to": "p"},
              "x": {"type": "bigint", "gen": "lookup", "via": "q_id", "column": "id"}}}})js"),
            "profiles/x.json: $.tables.t.columns.x.via: 'q_id' is not a ref or parent column of "
            "table t");
  EXPECT_EQ(CompileError(R"js({
              "a": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
                    "b_id": {"type": "bigint", "gen": "ref", "to": "b"}}},
              "b": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"},
                    "a_id": {"type": "bigint", "gen": "ref", "to": "a"}}}})js"),
            "profiles/x.json: $.tables: tables refer to each other in a cycle: a -> b -> a; give "
            "one of these refs \"deferrable\": true, a \"null_rate\" (or \"nullable\": true) or "
            "\"breaks_cycle\": true so that it may point at a table loaded after its own");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 10, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "a": {"type": "integer", "gen": "uniform", "min": 1, "max": 5, "step": 1},
              "b": {"type": "text", "gen": "word"}},
              "unique": [["a", "b"]]}})js"),
            "profiles/x.json: $.tables.t.unique[0]: unique key t_a_b_key (a, b) has no column "
            "injective in the row; include a unique column ('id', 'scramble', 'uuid', a unique "
            "'pattern' or 'template'), or use (parent, index_in_parent) or (parent, a "
            "\"distinct\" ref) of a per-parent table, or the first and second parts of a 'pair'");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "c": {"type": "varchar(3)", "gen": "pattern", "format": "AB-##"}}}})js"),
            "profiles/x.json: $.tables.t.columns.c: column c is varchar(3), generator 'pattern' "
            "writes up to 5 characters");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "c": {"type": "uuid", "gen": "word"}}}})js"),
            "profiles/x.json: $.tables.t.columns.c: column c is uuid, generator 'word' writes "
            "text");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "c": {"type": "uuid", "gen": "uuid"}}}})js"),
            "profiles/x.json: $.tables.t.columns.c: the first column must be the id: an integer "
            "or a uuid with \"gen\": \"id\" (or give the table a \"primary_key\" of its own "
            "columns, [] for none)");
  EXPECT_EQ(CompileError(R"js({"Users": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"}}}})js"),
            "profiles/x.json: $.tables.Users: 'Users' is not a lower-case SQL identifier; to keep "
            "its case, quote it: \"\\\"Users\\\"\"");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "n": {"type": "smallint", "gen": "uniform", "min": 1, "max": 100000, "step": 1}}}})js"),
            "profiles/x.json: $.tables.t.columns.n: column n is smallint, generator 'uniform' "
            "writes integers from 1 to 100000");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "n": {"type": "bigint", "gen": "refs", "to": "t"}}}})js"),
            "profiles/x.json: $.tables.t.columns.n.gen: unknown generator 'refs' (did you mean "
            "'ref'?)");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "n": {"type": "bigint", "gen": "ref", "to": "t"}}}})js"),
            "profiles/x.json: $.tables.t.columns.n.to: a reference to the table itself needs "
            "\"earlier\": true, \"same\" or \"deferrable\": true (a row may refer to a later row)");
  EXPECT_EQ(CompileError(R"js({"t": {"rows": 1, "columns": {
              "id": {"type": "bigint", "gen": "id"},
              "n": {"type": "bigint", "gen": "parent"}}}})js"),
            "profiles/x.json: $.tables.t.columns.n.gen: 'parent' is for a per-parent table "
            "(\"rows\": {\"per\": ...})");
}

}  // namespace
}  // namespace seedforge
