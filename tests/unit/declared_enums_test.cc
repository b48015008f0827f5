// Enum types a profile declares ("types"): what the declared model knows of them, a choice over
// their labels, and the one-line message of every value that is not a label. Expected values
// are written out by hand from the declaration.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/profile.h"
#include "generators/declared/declared_tables.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

// The text of every value of one column, NULL as "NULL".
class ColumnWriter final : public RowWriter {
 public:
  explicit ColumnWriter(int column) : column_(column) {}
  std::vector<std::string> values;

  void BeginRow() override { position_ = 0; }
  void EndRow() override {}
  void Int64(int64_t v) override { Add(std::to_string(v)); }
  void Int32(int32_t v) override { Add(std::to_string(v)); }
  void Int16(int16_t v) override { Add(std::to_string(v)); }
  void Bool(bool v) override { Add(v ? "t" : "f"); }
  void Text(std::string_view v) override { Add(std::string(v)); }
  void Timestamp(int64_t v) override { Add(std::to_string(v)); }
  void Numeric2(int64_t v) override { Add(std::to_string(v)); }
  void Float64(double v) override { Add(std::to_string(v)); }
  void Inet4(uint32_t v) override { Add(std::to_string(v)); }
  void MacAddr(const uint8_t (&)[6]) override { Add("mac"); }
  void Json(std::string_view v) override { Add(std::string(v)); }
  void Null() override { Add("NULL"); }
  void BeginArray() override {
    Add("array");
    in_array_ = true;
  }
  void EndArray() override { in_array_ = false; }

 private:
  void Add(std::string value) {
    if (in_array_) return;  // an array counts as one value
    if (position_++ == column_) values.push_back(std::move(value));
  }
  int column_;
  int position_ = 0;
  bool in_array_ = false;
};

constexpr std::string_view kTypes =
    R"js({"order_status": {"enum": ["pending", "paid", "shipped"]}})js";

StatusOr<DeclaredTables> Compile(std::string_view tables, std::string_view types = kTypes) {
  DeclareOptions options;
  options.origin = "profiles/x.json";
  options.types_json = std::string(types);
  return CompileDeclaredTables(tables, options);
}

std::string CompileError(std::string_view tables, std::string_view types = kTypes) {
  auto compiled = Compile(tables, types);
  return compiled.ok() ? "ok" : compiled.status().message();
}

// The values column `column` of table 0 takes in rows [0, rows).
std::vector<std::string> ColumnValues(const DeclaredTables& tables, int column, int64_t rows) {
  auto plan = std::make_shared<GenerationPlan>();
  plan->seed = 42;
  plan->window_start_micros = 1'704'067'200'000'000;
  plan->window_end_micros = 1'767'225'600'000'000;
  plan->row_counts.assign(tables.model->schemas().size(), 0);
  plan->row_counts[0] = rows;
  plan->history.resize(plan->row_counts.size());
  auto generators = tables.model->MakeGenerators(plan);
  ColumnWriter writer(column);
  generators[0]->WriteRows(0, rows, writer);
  return writer.values;
}

std::string Orders(std::string_view status_spec) {
  return R"js({"orders": {"rows": 300, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "status": )js" +
         std::string(status_spec) + "}}}";
}

TEST(DeclaredEnums, TheModelKnowsTheTypeAndItsLabelsInOrder) {
  auto tables = Compile(Orders(R"js({"type": "order_status", "gen": "choice"})js"));
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const TableSchema& orders = tables->model->schemas()[0];
  EXPECT_EQ(orders.table.columns[1].type, "order_status");
  EXPECT_TRUE(orders.table.columns[1].not_null);
  ASSERT_NE(orders.columns[1].declared_enum, nullptr);
  EXPECT_EQ(orders.columns[1].declared_enum->QualifiedName(), "order_status");
  EXPECT_EQ(orders.columns[1].declared_enum->labels,
            (std::vector<std::string>{"pending", "paid", "shipped"}));
  EXPECT_EQ(orders.columns[0].declared_enum, nullptr);
}

TEST(DeclaredEnums, AChoiceWithoutValuesDrawsOverEveryLabel) {
  auto tables = Compile(Orders(R"js({"type": "order_status", "gen": "choice"})js"));
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const std::vector<std::string> values = ColumnValues(*tables, 1, 300);
  ASSERT_EQ(values.size(), 300u);
  std::map<std::string, int> counts;
  for (const std::string& value : values) ++counts[value];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [label, count] : counts) {
    EXPECT_TRUE(label == "pending" || label == "paid" || label == "shipped") << label;
    EXPECT_GT(count, 60) << label;  // equal weights: about 100 each of 300
  }
  // The same draws as the choice that lists the labels itself: a text column of the same name.
  auto listed = Compile(
      Orders(R"js({"type": "text", "gen": "choice", "values": ["pending", "paid", "shipped"]})js"));
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  EXPECT_EQ(ColumnValues(*listed, 1, 300), values);
  // And the same again when compiled anew: nothing depends on the run.
  EXPECT_EQ(
      ColumnValues(*Compile(Orders(R"js({"type": "order_status", "gen": "choice"})js")), 1, 300),
      values);
}

TEST(DeclaredEnums, WeightsWithoutValuesWeighTheLabelsInOrder) {
  auto tables =
      Compile(Orders(R"js({"type": "order_status", "gen": "choice", "weights": [0, 0, 1]})js"));
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ(ColumnValues(*tables, 1, 20), std::vector<std::string>(20, "shipped"));
  EXPECT_EQ(
      CompileError(Orders(R"js({"type": "order_status", "gen": "choice", "weights": [1, 2]})js")),
      "profiles/x.json: $.tables.orders.columns.status.weights: has 2 weights for 3 values");
}

TEST(DeclaredEnums, ACycleWithoutValuesTakesTheLabelsInTurn) {
  auto tables = Compile(Orders(R"js({"type": "order_status", "gen": "cycle"})js"));
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ(ColumnValues(*tables, 1, 4),
            (std::vector<std::string>{"pending", "paid", "shipped", "pending"}));
}

TEST(DeclaredEnums, LabelsInCasesConstantsAndListsAreAccepted) {
  auto tables = Compile(R"js({"orders": {"rows": 10, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "status": {"type": "order_status", "gen": "choice", "values": ["paid", "shipped"]},
      "next": {"type": "order_status", "nullable": true, "gen": "case", "on": "status",
               "cases": {"paid": {"gen": "const", "value": "shipped"},
                         "shipped": {"gen": "null"}}},
      "history": {"type": "order_status[]", "gen": "array", "min": 1, "max": 2,
                  "of": {"gen": "choice"}}}}})js");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const std::vector<std::string> status = ColumnValues(*tables, 1, 10);
  const std::vector<std::string> next = ColumnValues(*tables, 2, 10);
  for (size_t i = 0; i < status.size(); ++i) {
    EXPECT_EQ(next[i], status[i] == "paid" ? "shipped" : "NULL") << i;
  }
  EXPECT_EQ(tables->model->schemas()[0].columns[3].declared_enum->name, "order_status");
  EXPECT_EQ(tables->model->schemas()[0].table.columns[3].type, "order_status[]");
}

TEST(DeclaredEnums, ALookupOfAColumnOfTheTypeIsALabel) {
  EXPECT_EQ(CompileError(R"js({
      "orders": {"rows": 2, "columns": {"id": {"type": "bigint", "gen": "id"},
                 "status": {"type": "order_status", "gen": "choice"},
                 "note": {"type": "text", "gen": "word"}}},
      "lines": {"rows": 4, "columns": {"id": {"type": "bigint", "gen": "id"},
                "order_id": {"type": "bigint", "gen": "ref", "to": "orders"},
                "status": {"type": "order_status", "gen": "lookup", "via": "order_id",
                           "column": "status"}}}})js"),
            "ok");
  EXPECT_EQ(CompileError(R"js({
      "orders": {"rows": 2, "columns": {"id": {"type": "bigint", "gen": "id"},
                 "note": {"type": "text", "gen": "word"}}},
      "lines": {"rows": 4, "columns": {"id": {"type": "bigint", "gen": "id"},
                "order_id": {"type": "bigint", "gen": "ref", "to": "orders"},
                "status": {"type": "order_status", "gen": "lookup", "via": "order_id",
                           "column": "note"}}}})js"),
            "profiles/x.json: $.tables.lines.columns.status.gen: column status is of enum type "
            "order_status: generator 'lookup' may write text that is not a label; use choice "
            "(over the labels when it has no \"values\"), cycle, const, case, or a lookup of a "
            "column of that type");
}

TEST(DeclaredEnums, AValueThatIsNotALabelGetsOneLineNamingThePath) {
  EXPECT_EQ(
      CompileError(Orders(
          R"js({"type": "order_status", "gen": "choice", "values": ["paid", "refunded"]})js")),
      "profiles/x.json: $.tables.orders.columns.status.values[1]: 'refunded' is not a label "
      "of enum order_status (pending, paid, shipped)");
  EXPECT_EQ(
      CompileError(Orders(R"js({"type": "order_status", "gen": "const", "value": "void"})js")),
      "profiles/x.json: $.tables.orders.columns.status.value: 'void' is not a label of enum "
      "order_status (pending, paid, shipped)");
  EXPECT_EQ(CompileError(R"js({"orders": {"rows": 1, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "paid": {"type": "boolean", "gen": "bool"},
      "status": {"type": "order_status", "gen": "case", "on": "paid",
                 "cases": {"true": {"gen": "const", "value": "paid"}},
                 "else": {"gen": "choice", "values": ["pending", "refunded"]}}}}})js"),
            "profiles/x.json: $.tables.orders.columns.status.else.values[1]: 'refunded' is not a "
            "label of enum order_status (pending, paid, shipped)");
  // The keys of a case on an enum column are labels too (a typo would never match).
  EXPECT_EQ(CompileError(R"js({"orders": {"rows": 1, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "status": {"type": "order_status", "gen": "choice"},
      "shipped_at": {"type": "timestamptz", "gen": "case", "on": "status",
                     "cases": {"shiped": {"gen": "null"}},
                     "else": {"gen": "timestamp"}}}}})js"),
            "profiles/x.json: $.tables.orders.columns.shipped_at.cases.shiped: 'shiped' is not a "
            "label of enum order_status (pending, paid, shipped)");
  EXPECT_EQ(CompileError(Orders(R"js({"type": "order_status", "gen": "word"})js")),
            "profiles/x.json: $.tables.orders.columns.status.gen: column status is of enum type "
            "order_status: generator 'word' may write text that is not a label; use choice (over "
            "the labels when it has no \"values\"), cycle, const, case, or a lookup of a column "
            "of that type");
}

TEST(DeclaredEnums, BadTypesGetOneLineNamingThePath) {
  const std::string table = Orders(R"js({"type": "text", "gen": "word"})js");
  EXPECT_EQ(CompileError(table, "[]"),
            "profiles/x.json: $.types: expected an object of enum types, e.g. {\"order_status\": "
            "{\"enum\": [\"pending\", \"paid\"]}}");
  EXPECT_EQ(CompileError(table, R"js({"integer": {"enum": ["a"]}})js"),
            "profiles/x.json: $.types.integer: 'integer' is not a name for an enum type (a "
            "built-in type has it)");
  EXPECT_EQ(CompileError(table, R"js({"Status": {"enum": ["a"]}})js"),
            "profiles/x.json: $.types.Status: write the type's name as SQL quotes it: status "
            "(double-quote a name to keep upper-case letters)");
  EXPECT_EQ(CompileError(table, R"js({"status": ["a"]})js"),
            "profiles/x.json: $.types.status: expected {\"enum\": [\"label\", ...]}");
  EXPECT_EQ(CompileError(table, R"js({"status": {"labels": ["a"]}})js"),
            "profiles/x.json: $.types.status.labels: unknown key (expected enum)");
  EXPECT_EQ(CompileError(table, R"js({"status": {"enum": []}})js"),
            "profiles/x.json: $.types.status.enum: expected a non-empty array of labels");
  EXPECT_EQ(CompileError(table, R"js({"status": {"enum": ["a", ""]}})js"),
            "profiles/x.json: $.types.status.enum[1]: expected a label (a non-empty string)");
  EXPECT_EQ(CompileError(table, R"js({"status": {"enum": ["a", "b", "a"]}})js"),
            "profiles/x.json: $.types.status.enum[2]: label 'a' is given twice");
  EXPECT_EQ(CompileError(table, R"js({"orders": {"enum": ["a"]}})js"),
            "profiles/x.json: $.types.orders: type orders has the name of table orders (whose "
            "row type has it)");
}

TEST(DeclaredEnums, QuotedAndQualifiedNamesKeepTheirParts) {
  auto tables = Compile(R"js({"orders": {"rows": 1, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "status": {"type": "app.\"Status\"", "gen": "choice"}}}})js",
                        R"js({"app.\"Status\"": {"enum": ["Open", "it's closed"]}})js");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const ColumnSchema& status = tables->model->schemas()[0].columns[1];
  ASSERT_NE(status.declared_enum, nullptr);
  EXPECT_EQ(status.declared_enum->schema, "app");
  EXPECT_EQ(status.declared_enum->name, "Status");
  EXPECT_EQ(status.declared_enum->QualifiedName(), "app.\"Status\"");
  EXPECT_EQ(tables->model->schemas()[0].table.columns[1].type, "app.\"Status\"");
}

TEST(DeclaredEnums, AnUndeclaredEnumIsLeftToTheDatabase) {
  auto tables =
      Compile(Orders(R"js({"type": "mood", "gen": "choice", "values": ["sad", "ok"]})js"));
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ(tables->model->schemas()[0].columns[1].declared_enum, nullptr);
  EXPECT_EQ(tables->model->schemas()[0].table.columns[1].type, "mood");
}

TEST(DeclaredEnums, TheLabelsArePartOfTheCanonicalText) {
  auto tables =
      Compile(R"js({"t": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"}}}})js",
              R"js({ "s": {"enum": ["a", "b"]} })js");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ(tables->model->CanonicalText(),
            "{\"t\":{\"columns\":{\"id\":{\"type\":\"bigint\",\"gen\":\"id\"}}}}"
            "\x1etypes:{\"s\":{\"enum\":[\"a\",\"b\"]}}");
}

// The example of generators/declared/README.md, as a profile.
TEST(DeclaredEnums, TheReadmeExampleCompilesAndKeepsToTheLabels) {
  auto profile = ParseProfile(R"js({
  "types": {"order_status": {"enum": ["pending", "paid", "shipped", "cancelled"]}},
  "tables": {
    "orders": {"rows": 500, "columns": {
      "id":          {"type": "bigint", "gen": "id"},
      "status":      {"type": "order_status", "gen": "choice", "weights": [2, 3, 4, 1]},
      "first_state": {"type": "order_status", "gen": "const", "value": "pending"},
      "next_state":  {"type": "order_status", "gen": "case", "on": "status",
                      "cases": {"pending": {"gen": "choice", "values": ["paid", "cancelled"]},
                                "paid": {"gen": "const", "value": "shipped"}},
                      "else": {"gen": "null"}},
      "history":     {"type": "order_status[]", "gen": "array", "min": 1, "max": 3, "of": {"gen": "choice"}},
      "shipped_at":  {"type": "timestamptz", "gen": "case", "on": "status",
                      "cases": {"shipped": {"gen": "timestamp", "from": "2024-01-01", "to": "2025-01-01"}}}
    }},
    "order_lines": {"rows": {"per": "orders", "min": 1, "max": 4}, "columns": {
      "id":       {"type": "bigint", "gen": "id"},
      "order_id": {"type": "bigint", "gen": "parent"},
      "status":   {"type": "order_status", "gen": "lookup", "via": "order_id", "column": "status"}
    }}
  }})js",
                              "p.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  DeclaredTables tables{profile->model, {}};
  const std::vector<std::string> status = ColumnValues(tables, 1, 500);
  const std::vector<std::string> next = ColumnValues(tables, 3, 500);
  std::map<std::string, int> counts;
  for (size_t i = 0; i < status.size(); ++i) {
    ++counts[status[i]];
    if (status[i] == "pending") {
      EXPECT_TRUE(next[i] == "paid" || next[i] == "cancelled") << next[i];
    } else {
      EXPECT_EQ(next[i], status[i] == "paid" ? "shipped" : "NULL") << status[i];
    }
  }
  EXPECT_EQ(counts.size(), 4u);
  EXPECT_EQ(ColumnValues(tables, 2, 3), std::vector<std::string>(3, "pending"));
}

// --- Profiles ---------------------------------------------------------------------------------

constexpr std::string_view kProfile =
    R"js({"types": {"order_status": {"enum": ["pending", "paid"]}},
  "tables": {"orders": {"rows": 3, "columns": {
    "id": {"type": "bigint", "gen": "id"},
    "code": {"type": "text", "gen": "pattern", "format": "O-####", "unique": true},
    "status": {"type": "order_status", "gen": "choice"}}}}})js";

TEST(DeclaredEnumProfiles, TypesAreReadWithTheTables) {
  auto profile = ParseProfile(kProfile, "p.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->declared_types, R"js({"order_status": {"enum": ["pending", "paid"]}})js");
  EXPECT_EQ(profile->schemas()[0].columns[2].declared_enum->labels,
            (std::vector<std::string>{"pending", "paid"}));
}

TEST(DeclaredEnumProfiles, ExtendsCarriesTheTypesAndMayChangeTheirLabels) {
  const std::string dir = testing::MakeTempDir("enum-profile");
  std::ofstream(dir + "/base.json") << kProfile;
  std::ofstream(dir + "/same.json") << R"js({"extends": "base.json", "rows": {"orders": 5}})js";
  std::ofstream(dir + "/more.json")
      << R"js({"extends": "base.json", "types": {"order_status": {"enum": ["pending", "paid", "void"]}}})js";
  auto same = LoadProfile(dir + "/same.json");
  auto more = LoadProfile(dir + "/more.json");
  testing::RemoveTree(dir);
  ASSERT_TRUE(same.ok()) << same.status().message();
  ASSERT_TRUE(more.ok()) << more.status().message();
  EXPECT_EQ(same->schemas()[0].columns[2].declared_enum->labels,
            (std::vector<std::string>{"pending", "paid"}));
  EXPECT_EQ(same->Target(0), 5);
  EXPECT_EQ(more->schemas()[0].columns[2].declared_enum->labels,
            (std::vector<std::string>{"pending", "paid", "void"}));
  EXPECT_EQ(more->Target(0), 3);
}

TEST(DeclaredEnumProfiles, BadInputGetsOneLine) {
  // Types alone go with the fleet's tables (no column names them, so none is created).
  auto fleet = ParseProfile(R"js({"types": {"s": {"enum": ["a"]}}})js", "p.json", "");
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  EXPECT_EQ(fleet->schemas().size(), 5u);
  auto not_a_label = ParseProfile(
      R"js({"extends": "default", "types": {"s": {"enum": ["a"]}},
            "tables": {"users": {"columns": {"department": {"type": "s"}}}}})js",
      "p.json", "");
  ASSERT_FALSE(not_a_label.ok());
  EXPECT_EQ(not_a_label.status().message(),
            "p.json: $.tables.users.columns.department.gen: column department is of enum type s: "
            "generator 'department' may write text that is not a label; use choice (over the "
            "labels when it has no \"values\"), cycle, const, case, or a lookup of a column of "
            "that type");
  auto fixture = ParseProfile(std::string(kProfile.substr(0, kProfile.size() - 1)) +
                                  R"js(, "fixtures": {"orders": {"key": "code", "rows": [
                                    {"code": "X-1", "status": "refunded"}]}}})js",
                              "p.json", "");
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.status().message(),
            "p.json: $.fixtures.orders.rows[0].status: 'refunded' is not a label of enum "
            "order_status (pending, paid)");
  auto good = ParseProfile(std::string(kProfile.substr(0, kProfile.size() - 1)) +
                               R"js(, "fixtures": {"orders": {"key": "code", "rows": [
                                 {"code": "X-1", "status": "paid"}]}}})js",
                           "p.json", "");
  EXPECT_TRUE(good.ok()) << good.status().message();
}

}  // namespace
}  // namespace seedforge
