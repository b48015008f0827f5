// Columns of xml, tsvector, the six built-in range types and point: a declared profile seeds
// them by text and by binary COPY, the server holds exactly the values computed by hand from
// the spec, verify's fingerprints match the generated rows; and `seedforge init` gives such
// columns of an application's table (tests/schemas/init_types.sql) their generators, whose
// rows seed and verify.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::ExpectVerifyPasses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::TableFingerprint;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

// Every value of rows 1 to 3 is fixed by the spec: cycles, a one-day date window, hourly times
// without jitter, a point of empty bounds. The last three columns are drawn, for verify.
constexpr const char* kProfile = R"json({"tables": {"docs": {"rows": 300, "columns": {
  "id":     {"type": "bigint", "gen": "id"},
  "title":  {"type": "text", "gen": "cycle", "values": ["The quick brown fox", "Fox and the hound, the END.", "a"]},
  "body":   {"type": "xml", "gen": "xml", "root": "doc", "element": "p", "min": 2, "max": 2,
             "of": {"gen": "cycle", "values": ["a<b", "x & y", "plain"]}},
  "search": {"type": "tsvector", "gen": "tsvector", "of": "title"},
  "seats":  {"type": "int4range", "gen": "range", "lower": {"gen": "cycle", "values": [10, 20, 30]},
             "length": {"gen": "cycle", "values": [5, 0, 7]}},
  "big":    {"type": "int8range", "gen": "range", "lower": {"gen": "id", "start": 1000},
             "length": {"gen": "cycle", "values": [1, 2, 3]}},
  "amount": {"type": "numrange", "gen": "range", "lower": {"gen": "id", "start": 100},
             "length": {"gen": "cycle", "values": [3, 4, 5]}},
  "stay":   {"type": "daterange", "gen": "range", "lower": {"gen": "date", "from": "2024-03-01", "to": "2024-03-02"},
             "length": {"gen": "cycle", "values": [86400, 172800, 86400]}},
  "slot":   {"type": "tsrange", "gen": "range",
             "lower": {"gen": "monotone_time", "from": "2024-01-01", "every": "1h", "jitter": false},
             "length": {"gen": "cycle", "values": [1800, 5400, 1]}},
  "during": {"type": "tstzrange", "gen": "range",
             "lower": {"gen": "monotone_time", "from": "2024-06-01T12:00:00Z", "every": "1d", "jitter": false},
             "length": {"gen": "cycle", "values": [3600.0, 86400.0, 0.5]}},
  "place":  {"type": "point", "gen": "point", "min_x": 1.5, "max_x": 1.5, "min_y": -2.25, "max_y": -2.25},
  "fee":    {"type": "numrange", "gen": "range", "lower": {"gen": "uniform", "min": 0, "max": 100, "scale": 2},
             "length": {"gen": "uniform", "min": 0, "max": 5, "scale": 1, "null_rate": 0.2}},
  "seen":   {"type": "tstzrange", "gen": "range", "lower": {"gen": "timestamp", "from": "2024-01-01", "to": "2025-01-01"},
             "length": {"gen": "exponential", "mean": "3h"}},
  "spot":   {"type": "point", "gen": "point"}
}}}})json";

TEST(RichTypes, EveryTypeLoadsInTextAndBinaryAsComputedAndVerifies) {
  const std::string dir = MakeTempDir("rich_types");
  const std::string profile = dir + "/rich.json";
  std::ofstream(profile) << kProfile;
  std::vector<std::string> fingerprints;
  for (const char* format : {"text", "binary"}) {
    SCOPED_TRACE(format);
    const std::string url = TestCluster::Get().CreateDatabase("rich_types");
    ProcessResult result =
        Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(concat_ws(' | ', body::text, search::text, "
                         "seats::text, big::text, amount::text, stay::text, slot::text, "
                         "place::text), E'\\n' ORDER BY id) FROM docs WHERE id <= 3"),
              "<doc><p>a&lt;b</p><p>a&lt;b</p></doc> | 'brown':3 'fox':4 'quick':2 'the':1 | "
              "[10,15) | [1000,1001) | [100,103) | [2024-03-01,2024-03-02) | "
              "[\"2024-01-01 00:00:00\",\"2024-01-01 00:30:00\") | (1.5,-2.25)\n"
              "<doc><p>x &amp; y</p><p>x &amp; y</p></doc> | 'and':2 'end':6 'fox':1 "
              "'hound':4 'the':3,5 | empty | [1001,1003) | [101,105) | "
              "[2024-03-01,2024-03-03) | [\"2024-01-01 01:00:00\",\"2024-01-01 02:30:00\") | "
              "(1.5,-2.25)\n"
              "<doc><p>plain</p><p>plain</p></doc> | 'a':1 | [30,37) | [1002,1005) | "
              "[102,107) | [2024-03-01,2024-03-02) | "
              "[\"2024-01-01 02:00:00\",\"2024-01-01 02:00:01\") | (1.5,-2.25)");
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(to_char(lower(during) AT TIME ZONE 'UTC', "
                         "'YYYY-MM-DD HH24:MI:SS.US') || ' ' || to_char(upper(during) AT TIME "
                         "ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), ', ' ORDER BY id) FROM docs "
                         "WHERE id <= 3"),
              "2024-06-01 12:00:00.000000 2024-06-01 13:00:00.000000, "
              "2024-06-02 12:00:00.000000 2024-06-03 12:00:00.000000, "
              "2024-06-03 12:00:00.000000 2024-06-03 12:00:00.500000");
    // The tsvector is what the server's own to_tsvector('simple') makes of the title, and the
    // XML is well-formed, in every row; the drawn columns keep their bounds.
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM docs WHERE search = to_tsvector('simple', title) AND "
                       "xml_is_well_formed_document(body::text) AND (isempty(fee) OR (lower(fee) "
                       "BETWEEN 0 AND 100 AND (upper_inf(fee) OR upper(fee) - lower(fee) <= 5))) "
                       "AND lower(seen) >= '2024-01-01' AND spot[0] BETWEEN -180 AND 180 AND "
                       "spot[1] BETWEEN -90 AND 90"),
              300);
    // A NULL length is no upper bound (a fifth of the rows), a length of 0.0 an empty range.
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM docs WHERE upper_inf(fee)"), 30);
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM docs WHERE isempty(fee)"), 0);
    result = Sf({"verify", "--db", url, "--profile", profile});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    fingerprints.push_back(
        QueryValue(url, "SELECT md5(string_agg(docs::text, E'\\n' ORDER BY id)) FROM docs"));
    // A row seedforge did not make holds id 301 (and counts toward the target): the top-up's
    // rows, 300 to 398, take ids 302 to 400 through the id-mapping writer, which leaves their
    // range bounds alone (row 300: seats [10,15), big [1000 + 300, +1)); verify still passes.
    testing::Execute(url,
                     "INSERT INTO docs SELECT id + 300, title, body, search, seats, big, amount, "
                     "stay, slot, during, place, fee, seen, spot FROM docs WHERE id = 1");
    result = Sf({"seed", "--db", url, "--profile", profile, "--copy-format", format, "--rows",
                 "docs=400", "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(QueryValue(url,
                         "SELECT count(*) || ' ' || max(id) || ' ' || (SELECT seats::text "
                         "|| ' ' || big::text FROM docs WHERE id = 302) FROM docs"),
              "400 400 [10,15) [1300,1301)");
    result = Sf({"verify", "--db", url, "--profile", profile, "--rows", "docs=400"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  EXPECT_EQ(fingerprints[0], fingerprints[1]);
  RemoveTree(dir);
}

// export writes the new types as row_to_json gives them (strings of their text; a point too),
// and its SQL restores them unchanged.
TEST(RichTypes, ExportWritesTheNewTypesAndItsSqlRestoresThem) {
  const std::string dir = MakeTempDir("rich_export");
  const std::string profile = dir + "/rich.json";
  std::ofstream(profile) << kProfile;
  const std::string url = TestCluster::Get().CreateDatabase("rich_export");
  ProcessResult result = Sf({"seed", "--db", url, "--profile", profile, "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Sf({"export", "--db", url, "--format", "json", "--out", dir + "/docs.json", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string json = ReadFile(dir + "/docs.json");
  for (const char* part :
       {R"j("body":"<doc><p>a&lt;b</p><p>a&lt;b</p></doc>")j",
        R"j("search":"'brown':3 'fox':4 'quick':2 'the':1")j", R"j("seats":"[10,15)")j",
        R"j("stay":"[2024-03-01,2024-03-02)")j", R"j("place":"(1.5,-2.25)")j"}) {
    EXPECT_NE(json.find(part), std::string::npos) << part << "\n" << json.substr(0, 2000);
  }
  result = Sf({"export", "--db", url, "--format", "sql", "--out", dir + "/docs.sql", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string copy = TestCluster::Get().CreateDatabase("rich_restore");
  const std::string restore = "psql -X -q -v ON_ERROR_STOP=1 -d '" + copy + "' -f '" + dir +
                              "/docs.sql' > '" + dir + "/psql.out' 2>&1";
  ASSERT_EQ(std::system(restore.c_str()), 0) << ReadFile(dir + "/psql.out");
  const std::string all = "SELECT md5(string_agg(docs::text, E'\\n' ORDER BY id)) FROM docs";
  EXPECT_EQ(QueryValue(copy, all), QueryValue(url, all));
  RemoveTree(dir);
}

TEST(RichTypes, InitGivesEachRichColumnItsGeneratorAndTheRowsVerify) {
  const std::string url = DatabaseWithSchema("init_types", "init_types.sql");
  const std::string dir = MakeTempDir("init_types");
  const std::string profile = dir + "/p.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "200", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string json = ReadFile(profile);
  for (
      const char* line : {
          R"j("body": { "type": "xml", "gen": "xml", "of": { "gen": "word" } })j",
          R"j("search": { "type": "tsvector", "gen": "tsvector", "of": "title" })j",
          R"j("seats": { "type": "int4range", "gen": "range", "lower": { "gen": "uniform", "min": 0, "max": 1000, "step": 1 }, "length": { "gen": "uniform", "min": 1, "max": 100, "step": 1 } })j",
          R"j("booked": { "type": "tstzrange", "gen": "range", "lower": { "gen": "timestamp" }, "length": { "gen": "uniform", "min": "1h", "max": "7d", "step": "1h" } })j",
          R"j("price": { "type": "numrange", "gen": "range", "lower": { "gen": "uniform", "min": 0, "max": 1000, "scale": 2 }, "length": { "gen": "uniform", "min": 1, "max": 100, "scale": 2 } })j",
          R"j("stay": { "type": "daterange", "gen": "range", "lower": { "gen": "date" }, "length": { "gen": "uniform", "min": "1d", "max": "30d", "step": "1d" } })j",
          R"j("place": { "type": "point", "gen": "point" })j",
      }) {
    EXPECT_NE(json.find(line), std::string::npos) << line << "\n" << json;
  }
  EXPECT_NE(init.err.find("  docs.search: lexemes of title, as to_tsvector('simple', title) "
                          "(type)\n"),
            std::string::npos)
      << init.err;
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", profile, "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM docs WHERE search = to_tsvector('simple', title) AND "
                     "lower(seats) BETWEEN 0 AND 1000 AND upper(seats) - lower(seats) BETWEEN 1 "
                     "AND 100 AND upper(stay) - lower(stay) BETWEEN 1 AND 30 AND upper(booked) > "
                     "lower(booked) AND NOT isempty(price) AND xml_is_well_formed_document("
                     "body::text) AND place[0] BETWEEN -180 AND 180"),
            200);
  ExpectVerifyPasses(url, profile);
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
