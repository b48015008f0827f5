// `seedforge report compare` on report files with known times written here (no test measures a
// time): a table 20% slower is flagged with exit 1 and one line naming it and both times, one 5%
// slower is not, a tiny table is held to the absolute floor, a table on one side only is named,
// bad input is one line and exit 2, and run ids read the times from seedforge.runs.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryValue;
using testing::RemoveTree;
using testing::RunSeedforgeClean;
using testing::TestCluster;

using Times = std::vector<std::pair<std::string, double>>;

// A report as `seedforge seed --report` writes it (engine/report.cc), with the given seconds.
std::string ReportJson(const Times& tables, double total) {
  std::string out =
      "{\n  \"command\": \"seed\",\n  \"seedforge_version\": \"0.2.0\",\n  \"profile\": "
      "\"default\",\n  \"profile_source\": \"built-in\",\n  \"seed\": 42,\n  \"threads\": 2,\n  "
      "\"batch_rows\": 10000,\n  \"format\": \"copy-binary\",\n  \"sink\": \"postgresql 15\",\n  "
      "\"server_version\": \"15.18\",\n  \"completed\": true,\n  \"dry_run\": false,\n  "
      "\"tables\": [";
  for (size_t i = 0; i < tables.size(); ++i) {
    out += std::string(i == 0 ? "" : ",") + "\n    {\"table\": \"" + tables[i].first +
           "\", \"target\": 100, \"before\": 0, \"planned\": 100, \"rows\": 100, \"fixtures\": 0, "
           "\"after\": 100, \"bytes\": 5000, \"seconds\": " +
           std::to_string(tables[i].second) +
           ", \"rows_per_second\": 50.0, \"method\": \"bulk\", \"note\": \"\"}";
  }
  return out + "\n  ],\n  \"total\": {\"rows\": 300, \"bytes\": 15000, \"seconds\": " +
         std::to_string(total) + ", \"rows_per_second\": 75.0}\n}\n";
}

class ReportCompare : public ::testing::Test {
 protected:
  ReportCompare() : dir_(MakeTempDir("report-compare")) {}
  ~ReportCompare() override { RemoveTree(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string Report(const std::string& name, const Times& tables, double total) {
    return Write(name, ReportJson(tables, total));
  }
  static ProcessResult Compare(std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "compare"});
    return RunSeedforgeClean(args, {{"DATABASE_URL", std::nullopt}});
  }

  std::string dir_;
};

TEST_F(ReportCompare, ATableTwentyPercentSlowerIsFlaggedAndOneFivePercentSlowerIsNot) {
  const std::string baseline =
      Report("baseline.json", {{"users", 2.0}, {"events", 2.0}, {"assets", 0.010}}, 4.1);
  const std::string latest =
      Report("new.json", {{"users", 2.1}, {"events", 2.4}, {"assets", 0.030}}, 4.6);
  const ProcessResult result = Compare({baseline, latest});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  // assets is three times slower but 0.02 s longer: under the 0.1 s floor. The total is 12%.
  EXPECT_EQ(result.out,
            "table     baseline s         new s   ratio\n"
            "users          2.000         2.100    1.05\n"
            "events         2.000         2.400    1.20  regression\n"
            "assets         0.010         0.030    3.00\n"
            "total          4.100         4.600    1.12\n"
            "regression: events took 2.400 s, 20.0% slower than 2.000 s (limit 15%)\n"
            "1 regression (limit 15% and at least 0.1 s slower)\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(ReportCompare, FivePercentSlowerEverywhereExitsZero) {
  const std::string baseline = Report("baseline.json", {{"users", 2.0}, {"events", 4.0}}, 6.0);
  const std::string latest = Report("new.json", {{"users", 2.1}, {"events", 4.2}}, 6.3);
  const ProcessResult result = Compare({baseline, latest});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "table     baseline s         new s   ratio\n"
            "users          2.000         2.100    1.05\n"
            "events         4.000         4.200    1.05\n"
            "total          6.000         6.300    1.05\n"
            "no regression (limit 15% and at least 0.1 s slower)\n");
}

TEST_F(ReportCompare, MaxSlowdownAndMinSlowdownMoveTheLimits) {
  const std::string baseline = Report("baseline.json", {{"events", 2.0}}, 2.0);
  const std::string latest = Report("new.json", {{"events", 2.4}}, 2.4);
  const ProcessResult lenient = Compare({baseline, latest, "--max-slowdown", "25"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.out;
  EXPECT_NE(lenient.out.find("no regression (limit 25% and at least 0.1 s slower)\n"),
            std::string::npos)
      << lenient.out;
  // The total is flagged like a table.
  const ProcessResult strict = Compare({baseline, latest, "--max-slowdown", "10"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.out.find("regression: events took 2.400 s, 20.0% slower than 2.000 s (limit "
                            "10%)\nregression: total took 2.400 s, 20.0% slower than 2.000 s "
                            "(limit 10%)\n2 regressions (limit 10% and at least 0.1 s slower)\n"),
            std::string::npos)
      << strict.out;
  const ProcessResult floor = Compare({baseline, latest, "--min-slowdown", "0.5"});
  EXPECT_EQ(floor.exit_code, 0) << floor.out;
  const ProcessResult negative = Compare({baseline, latest, "--max-slowdown", "-1"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_EQ(negative.err,
            "seedforge: error: --max-slowdown must be a percentage of 0 or more, got -1\n");
}

TEST_F(ReportCompare, ATableOnOneSideOnlyIsNamedAndNotCompared) {
  const std::string baseline = Report("baseline.json", {{"users", 1.0}, {"legacy", 3.0}}, 4.0);
  const std::string latest = Report("new.json", {{"users", 1.0}, {"extra", 9.0}}, 4.0);
  const ProcessResult result = Compare({baseline, latest});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out,
            "table    baseline s         new s   ratio\n"
            "users         1.000         1.000    1.00\n"
            "total         4.000         4.000    1.00\n"
            "only in " +
                baseline +
                ": legacy (not compared)\n"
                "only in " +
                latest +
                ": extra (not compared)\n"
                "no regression (limit 15% and at least 0.1 s slower)\n");
}

TEST_F(ReportCompare, JsonGivesEveryTimeAndTheRegressions) {
  const std::string baseline = Report("baseline.json", {{"users", 2.0}, {"old", 1.0}}, 3.0);
  const std::string latest = Report("new.json", {{"users", 2.5}}, 2.5);
  const ProcessResult result = Compare({baseline, latest, "--json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "{\n  \"baseline\": \"" + baseline + "\",\n  \"new\": \"" + latest +
                            "\",\n  \"max_slowdown_percent\": 15,\n  \"min_slowdown_seconds\": "
                            "0.1,\n  \"tables\": [\n    {\"table\": \"users\", "
                            "\"baseline_seconds\": 2.000000, \"new_seconds\": 2.500000, "
                            "\"ratio\": 1.250000, \"regression\": true}\n  ],\n  \"total\": "
                            "{\"table\": \"total\", \"baseline_seconds\": 3.000000, "
                            "\"new_seconds\": 2.500000, \"ratio\": 0.833333, \"regression\": "
                            "false},\n  \"only_in_baseline\": [\"old\"],\n  \"only_in_new\": "
                            "[],\n  \"regressions\": 1\n}\n");
}

TEST_F(ReportCompare, BadFilesAreOneLineAndExitTwo) {
  const std::string good = Report("good.json", {{"users", 1.0}}, 1.0);
  const std::string missing = dir_ + "/missing.json";
  ProcessResult result = Compare({missing, good});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: " + missing + ": cannot read (No such file or directory)\n");
  EXPECT_EQ(result.out, "");

  const std::string broken = Write("broken.json", "{\"tables\": [");
  result = Compare({good, broken});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("seedforge: error: " + broken + ": malformed JSON (", 0), 0u)
      << result.err;
  EXPECT_EQ(testing::CountLines(result.err), 1);

  const std::string text_seconds =
      Write("text.json", R"({"tables": [{"table": "users", "seconds": 1.0},
                                  {"table": "events", "seconds": "fast"}], "total": {"seconds": 2}})");
  result = Compare({good, text_seconds});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + text_seconds +
                            ": $.tables[1].seconds: expected a number of seconds (0 or more)\n");

  const std::string no_total = Write("nototal.json", R"({"tables": []})");
  result = Compare({no_total, good});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + no_total + ": $.total: expected an object\n");

  result = Compare({good, dir_});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: " + dir_ + ": cannot read (a directory, not a report file)\n");
}

// Two runs of seedforge.runs with known times, as an older build or another host wrote them.
void InsertRuns(const std::string& url) {
  Execute(url,
          "TRUNCATE seedforge.runs RESTART IDENTITY; INSERT INTO seedforge.runs (started_at, "
          "finished_at, command, profile, profile_source, profile_fingerprint, seed, targets, "
          "tables, rows_added, cleared, seconds, outcome, seedforge_version, server_version, "
          "host) VALUES "
          "('2026-01-01 00:00:00Z', '2026-01-01 00:00:04Z', 'seed', 'default', 'built-in', 'f', "
          "42, '{}', '[{\"table\": \"users\", \"seconds\": 2.0}, {\"table\": \"events\", "
          "\"seconds\": 2.0}]', 10, false, 4.0, 'completed', '0.2.0', '15', 'h'), "
          "('2026-01-02 00:00:00Z', '2026-01-02 00:00:04Z', 'seed', 'default', 'built-in', 'f', "
          "42, '{}', '[{\"table\": \"users\", \"seconds\": 2.1}, {\"table\": \"events\", "
          "\"seconds\": 2.4}]', 10, false, 4.5, 'completed', '0.2.0', '15', 'h')");
}

TEST_F(ReportCompare, RunIdsReadTheTimesFromSeedforgeRuns) {
  const std::string url = TestCluster::Get().CreateDatabase("compare_runs");
  ASSERT_EQ(RunSeedforgeClean({"seed", "--db", url, "--quiet"}).exit_code, 0);
  InsertRuns(url);
  const ProcessResult result = Compare({"1", "2", "--db", url});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out,
            "table     baseline s         new s   ratio\n"
            "users          2.000         2.100    1.05\n"
            "events         2.000         2.400    1.20  regression\n"
            "total          4.000         4.500    1.12\n"
            "regression: events took 2.400 s, 20.0% slower than 2.000 s (limit 15%)\n"
            "1 regression (limit 15% and at least 0.1 s slower)\n");
  // A report file against a run id: the origins name both.
  const std::string file = Report("new.json", {{"users", 2.0}, {"events", 2.0}}, 4.0);
  const ProcessResult mixed = Compare({"1", file, "--db", url});
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_NE(mixed.out.find("no regression"), std::string::npos) << mixed.out;
  const ProcessResult unknown = Compare({"1", "99", "--db", url});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "seedforge: error: run 99: no such run in seedforge.runs of database " +
                             QueryValue(url, "SELECT current_database()") +
                             " (and no file of that name)\n");
}

TEST_F(ReportCompare, TheNightlyRecipeComparesTheReportSeedWrites) {
  const std::string url = TestCluster::Get().CreateDatabase("compare_nightly");
  const std::string report = dir_ + "/new.json";
  const ProcessResult seed =
      RunSeedforgeClean({"seed", "--db", url, "--quiet", "--report", report});
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  // The same run on both sides: every table of the default profile, nothing slower.
  const ProcessResult result = Compare({report, report});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* table :
       {"\nusers ", "\napplications ", "\nassets ", "\ndeployments ", "\nevents ", "\ntotal "}) {
    EXPECT_NE(result.out.find(table), std::string::npos) << table << result.out;
  }
  EXPECT_EQ(result.out.find("only in"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\nno regression (limit 15% and at least 0.1 s slower)\n"),
            std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace seedforge
