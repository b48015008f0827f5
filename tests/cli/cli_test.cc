// The seedforge binary as a user runs it: one-line errors with the right exit code and the
// database untouched; generate's files; and a real SIGKILL in the middle of a load followed by a
// rerun that ends exactly where an uninterrupted run ends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "simdjson.h"
#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::CountLines;
using testing::DefinitionsWithJournal;
using testing::Fingerprints;
using testing::ProcessResult;
using testing::PublicTables;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RunSeedforge;
using testing::TableFingerprint;
using testing::TestCluster;
using testing::WaitForOtherSessionsToEnd;

const char* const kTables[] = {"users", "applications", "assets", "deployments", "events"};

struct BadInvocation {
  std::vector<std::string> args;
  int exit_code;
  std::string message;  // the whole stderr line after "seedforge: error: "
};

class BadInput : public ::testing::TestWithParam<BadInvocation> {};

TEST_P(BadInput, EndsWithOneClearLineANonZeroExitAndTheDatabaseAsItWas) {
  const std::string url = TestCluster::Get().CreateDatabase("badinput");
  std::vector<std::string> args = {"seed", "--db", url};
  for (const std::string& arg : GetParam().args) args.push_back(arg);
  const ProcessResult result = RunSeedforge(args);
  EXPECT_EQ(result.exit_code, GetParam().exit_code) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: " + GetParam().message + "\n");
  EXPECT_EQ(PublicTables(url), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadInput,
    ::testing::Values(
        BadInvocation{{"--profile", "nosuch"},
                      2,
                      "unknown profile 'nosuch' (built-in profiles: default, large, storefront, "
                      "theatre, theatre-large, trading, travelers, travelers-large, xl; or give "
                      "the path of a .json file)"},
        BadInvocation{{"--rows", "assets=-3"},
                      2,
                      "--rows: assets: expected a non-negative integer, got '-3'"},
        BadInvocation{{"--rows", "widgets=3"},
                      2,
                      "--rows: unknown table 'widgets' (expected users, applications, assets, "
                      "deployments or events)"},
        BadInvocation{{"--seed", "abc"}, 2, "--seed: expected a non-negative integer, got 'abc'"},
        BadInvocation{
            {"--batch-size", "0"}, 2, "--batch-size must be between 1 and 10000000 rows, got 0"},
        BadInvocation{
            {"--copy-format", "csv"}, 2, "--copy-format: expected text or binary, got 'csv'"}));

TEST(CliErrors, MalformedProfileFileNamesFileLineAndColumn) {
  const std::string url = TestCluster::Get().CreateDatabase("malformed");
  const std::string dir = testing::MakeTempDir("cli-profile");
  std::ofstream(dir + "/bad.json") << "{\n  \"rows\": {\"users\": 5,}\n}\n";
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--profile", dir + "/bad.json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: " + dir + "/bad.json:2:", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("malformed JSON"), std::string::npos) << result.err;
  EXPECT_EQ(PublicTables(url), 0);
  testing::RemoveTree(dir);
}

TEST(CliErrors, UnreachableServerIsOneLineWithoutThePassword) {
  const ProcessResult result =
      RunSeedforge({"seed", "--db", "postgresql://seeder:hunter2secret@127.0.0.1:1/nowhere"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: postgresql://seeder:***@127.0.0.1:1/nowhere: "
                             "cannot connect to PostgreSQL: ",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(result.err.find("hunter2secret"), std::string::npos);
}

TEST(CliErrors, UnknownOptionIsAUsageErrorWithExitCodeTwo) {
  const ProcessResult result = RunSeedforge({"seed", "--bogus"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("--bogus"), std::string::npos);
}

TEST(Generate, CopyTextFilesAreByteIdenticalAcrossThreadCountsAndBatchSizes) {
  const std::string a = testing::MakeTempDir("gen-a");
  const std::string b = testing::MakeTempDir("gen-b");
  const std::vector<std::string> common = {"generate",    "--profile", "default",      "--rows",
                                           "assets=5000", "--rows",    "events=20000", "--format",
                                           "copy-text",   "--quiet"};
  auto args_a = common;
  args_a.insert(args_a.end(), {"--out", a, "--threads", "1", "--batch-size", "1000"});
  auto args_b = common;
  args_b.insert(args_b.end(), {"--out", b, "--threads", "2", "--batch-size", "777"});
  ASSERT_EQ(RunSeedforge(args_a).exit_code, 0);
  ASSERT_EQ(RunSeedforge(args_b).exit_code, 0);
  const int64_t expected_lines[] = {5, 10, 5000, 20, 20000};
  for (int i = 0; i < 5; ++i) {
    const std::string file_a = ReadFile(a + "/" + kTables[i] + ".copy");
    EXPECT_EQ(CountLines(file_a), expected_lines[i]) << kTables[i];
    EXPECT_EQ(file_a, ReadFile(b + "/" + kTables[i] + ".copy")) << kTables[i];
  }
  testing::RemoveTree(a);
  testing::RemoveTree(b);
}

TEST(Generate, JsonlLinesParseAsObjectsWithTypedValues) {
  const std::string dir = testing::MakeTempDir("gen-jsonl");
  ASSERT_EQ(RunSeedforge({"generate", "--format", "jsonl", "--out", dir, "--quiet"}).exit_code, 0);
  simdjson::dom::parser parser;
  const std::string events = ReadFile(dir + "/events.jsonl");
  simdjson::dom::document_stream stream;
  ASSERT_EQ(parser.parse_many(events).get(stream), simdjson::SUCCESS);
  int count = 0;
  for (auto doc : stream) {
    simdjson::dom::object object;
    ASSERT_EQ(doc.get_object().get(object), simdjson::SUCCESS);
    int64_t id = 0;
    ASSERT_EQ(object["id"].get_int64().get(id), simdjson::SUCCESS);
    EXPECT_EQ(id, count + 1);
    simdjson::dom::object payload;
    EXPECT_EQ(object["payload"].get_object().get(payload), simdjson::SUCCESS);
    ++count;
  }
  EXPECT_EQ(count, 100);
  testing::RemoveTree(dir);
}

TEST(Generate, CsvLoadsIntoPostgresAsTheSameRowsAsSeed) {
  const std::string dir = testing::MakeTempDir("gen-csv");
  ::chmod(dir.c_str(), 0755);
  ASSERT_EQ(RunSeedforge({"generate", "--format", "csv", "--out", dir, "--quiet"}).exit_code, 0);
  const std::string seeded = TestCluster::Get().CreateDatabase("csv_seeded");
  const std::string loaded = TestCluster::Get().CreateDatabase("csv_loaded");
  ASSERT_EQ(RunSeedforge({"seed", "--db", seeded, "--quiet"}).exit_code, 0);
  // Same schema, no rows: seeding zero rows creates the tables only.
  ASSERT_EQ(RunSeedforge({"seed", "--db", loaded, "--quiet", "--rows", "users=0", "--rows",
                          "applications=0", "--rows", "assets=0", "--rows", "deployments=0",
                          "--rows", "events=0"})
                .exit_code,
            0);
  for (const char* table : kTables) {
    testing::Execute(loaded, std::string("COPY ") + table + " FROM '" + dir + "/" + table +
                                 ".csv' WITH (FORMAT csv, HEADER true)");
    EXPECT_EQ(TableFingerprint(loaded, table), TableFingerprint(seeded, table)) << table;
  }
  testing::RemoveTree(dir);
}

// Kills at failpoints (core/failpoint.h): each kill lands exactly where the test says.
std::map<std::string, std::optional<std::string>> KillAt(const std::string& point) {
  return {{"SEEDFORGE_FAILPOINTS", point + "=kill"}};
}

TEST(KillAndResume, SigkillAfterTheKthAppendBatchKeepsExactlyThoseAndRerunMatchesACleanRun) {
  const std::string killed = TestCluster::Get().CreateDatabase("kill_append");
  const std::string clean = TestCluster::Get().CreateDatabase("clean_append");
  // Batch by batch (--append-mode batch): what each committed batch keeps is the point here.
  const std::vector<std::string> top_up = {"--quiet",       "--batch-size",  "1000",
                                           "--rows",        "assets=20000",  "--rows",
                                           "events=200000", "--append-mode", "batch"};
  for (const std::string& url : {killed, clean}) {
    ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet"}).exit_code, 0);
  }
  std::vector<std::string> args = {"seed", "--db", killed};
  args.insert(args.end(), top_up.begin(), top_up.end());
  // Three kills of the same top-up: after the 3rd, then the 40th, then the 120th event batch
  // that run commits. Each run resumes where the last one was killed.
  int64_t events = 100;
  for (const int batches : {3, 40, 120}) {
    ChildProcess child(args, KillAt("sink.batch_committed:events@" + std::to_string(batches)));
    const ProcessResult result = child.Wait();
    ASSERT_EQ(result.signal, SIGKILL) << result.err;
    WaitForOtherSessionsToEnd(killed);
    events += batches * 1000;
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM events"), events);
    EXPECT_EQ(QueryInt(killed, "SELECT max(id) FROM events"), events);  // no gap, no duplicate
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM assets"), 20000);
  }
  ASSERT_EQ(RunSeedforge(args).exit_code, 0);
  std::vector<std::string> straight = {"seed", "--db", clean};
  straight.insert(straight.end(), top_up.begin(), top_up.end());
  ASSERT_EQ(RunSeedforge(straight).exit_code, 0);
  EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM events"), 200000);
  EXPECT_EQ(Fingerprints(killed), Fingerprints(clean));
}

TEST(KillAndResume, SigkillAtEachStepOfAParallelBulkLoadLeavesWholeTablesAndRerunMatches) {
  const std::string clean = TestCluster::Get().CreateDatabase("clean_bulk");
  ASSERT_EQ(RunSeedforge({"seed", "--db", clean, "--quiet", "--profile", "large"}).exit_code, 0);
  const std::string expected_definitions = DefinitionsWithJournal(clean);
  EXPECT_EQ(QueryInt(clean, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
  const std::map<std::string, int64_t> targets = {{"users", 1000},
                                                  {"applications", 5000},
                                                  {"assets", 50000},
                                                  {"deployments", 10000},
                                                  {"events", 100000}};
  struct Kill {
    std::string point;
    std::map<std::string, int64_t> exact;  // tables whose count the kill point fixes
    // Foreign keys parked, when the point fixes it (a key comes back as soon as its two tables
    // have committed, so how many are back at a table's commit depends on the other connection).
    int64_t journal = -1;
  };
  const std::vector<Kill> kills = {
      // Every foreign key parked, no rows yet.
      {"sink.journal_written",
       {{"users", 0}, {"applications", 0}, {"assets", 0}, {"deployments", 0}, {"events", 0}},
       9},
      // users committed with its keys and indexes; the tables in flight roll back.
      {"sink.table_committed:users", {{"users", 1000}}},
      // events copied but not indexed: rolled back whole.
      {"sink.bulk_rows_copied:events", {{"events", 0}}},
      // The first foreign key back, while tables may still load: the other eight parked.
      {"sink.foreign_key_restored", {}, 8},
      // The eighth back: every table is in two of the nine keys or more, so every table has
      // committed; one key parked.
      {"sink.foreign_key_restored@8", targets, 1},
  };
  for (const Kill& kill : kills) {
    const std::string killed = TestCluster::Get().CreateDatabase("kill_bulk");
    ChildProcess child({"seed", "--db", killed, "--quiet", "--profile", "large"},
                       KillAt(kill.point));
    const ProcessResult result = child.Wait();
    ASSERT_EQ(result.signal, SIGKILL) << kill.point << ": " << result.err;
    WaitForOtherSessionsToEnd(killed);
    for (const auto& [table, target] : targets) {
      const int64_t count = QueryInt(killed, "SELECT count(*) FROM " + table);
      const auto exact = kill.exact.find(table);
      if (exact != kill.exact.end()) {
        EXPECT_EQ(count, exact->second) << kill.point << ": " << table;
      } else {
        EXPECT_TRUE(count == 0 || count == target) << kill.point << ": " << table << " " << count;
      }
    }
    const int64_t parked = QueryInt(killed, "SELECT count(*) FROM seedforge.pending_constraints");
    if (kill.journal >= 0) {
      EXPECT_EQ(parked, kill.journal) << kill.point;
    } else {
      EXPECT_LE(parked, 9) << kill.point;
    }
    EXPECT_EQ(DefinitionsWithJournal(killed), expected_definitions) << kill.point;
    // The next run completes the load and its constraints.
    ASSERT_EQ(RunSeedforge({"seed", "--db", killed, "--quiet", "--profile", "large"}).exit_code, 0);
    EXPECT_EQ(QueryInt(killed, "SELECT count(*) FROM seedforge.pending_constraints"), 0);
    EXPECT_EQ(DefinitionsWithJournal(killed), expected_definitions) << kill.point;
    EXPECT_EQ(Fingerprints(killed), Fingerprints(clean)) << kill.point;
  }
}

TEST(Profiles, ListsBuiltinsWithTheirTargets) {
  const ProcessResult result = RunSeedforge({"profiles"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("\n                 users=10,000 applications=50,000 assets=500,000 "
                            "deployments=100,000 events=1,000,000\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("\n                 travelers=20,000 routing_steps=129,722\n"),
            std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace seedforge

namespace seedforge {
namespace {

TEST(Report, JsonFileHasPerTableAndTotalFiguresOfTheRun) {
  const std::string url = TestCluster::Get().CreateDatabase("report");
  const std::string dir = testing::MakeTempDir("report");
  const std::string path = dir + "/run.json";
  ASSERT_EQ(
      RunSeedforge({"seed", "--db", url, "--quiet", "--seed", "7", "--report", path}).exit_code, 0);
  const std::string text = ReadFile(path);
  testing::RemoveTree(dir);
  simdjson::dom::parser parser;
  simdjson::dom::element report;
  ASSERT_EQ(parser.parse(text).get(report), simdjson::SUCCESS) << text;
  EXPECT_EQ(std::string_view(report["command"]), "seed");
  EXPECT_EQ(std::string_view(report["profile"]), "default");
  EXPECT_EQ(int64_t(report["seed"]), 7);
  EXPECT_EQ(std::string_view(report["format"]), "copy-binary");
  EXPECT_TRUE(bool(report["completed"]));
  EXPECT_EQ(std::string_view(report["server_version"]),
            QueryValue(url, "SELECT current_setting('server_version')"));
  const int64_t expected[] = {5, 10, 100, 20, 100};
  simdjson::dom::array tables = report["tables"];
  ASSERT_EQ(tables.size(), 5u);
  size_t i = 0;
  int64_t bytes = 0;
  for (simdjson::dom::element table : tables) {
    EXPECT_EQ(std::string_view(table["table"]), kTables[i]);
    EXPECT_EQ(int64_t(table["rows"]), expected[i]);
    EXPECT_EQ(int64_t(table["after"]), expected[i]);
    EXPECT_GT(int64_t(table["bytes"]), 0);
    EXPECT_EQ(std::string_view(table["method"]), "bulk");
    bytes += int64_t(table["bytes"]);
    ++i;
  }
  EXPECT_EQ(int64_t(report["total"]["rows"]), 235);
  EXPECT_EQ(int64_t(report["total"]["bytes"]), bytes);
}

}  // namespace
}  // namespace seedforge
