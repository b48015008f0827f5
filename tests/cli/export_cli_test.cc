// `seedforge export` as a user runs it: one clear line and the documented exit code for bad
// input, stdout carrying nothing but the document, and no file that looks complete after a
// failed, killed or interrupted export (a file already at the path stays as it was).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "simdjson.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::MakeTempDir;
using testing::ProcessResult;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::SeededDatabase;

// Nothing listens on port 1.
const char kUnreachable[] = "postgresql://postgres@127.0.0.1:1/none?connect_timeout=5";

class ExportCli : public ::testing::Test {
 protected:
  ExportCli() : dir_(MakeTempDir("seedforge-export-cli")) {}
  ~ExportCli() override { RemoveTree(dir_); }

  std::string File(const std::string& name) const { return dir_ + "/" + name; }
  // The names in the scratch folder, sorted.
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string dir_;
};

TEST_F(ExportCli, UnknownFormatIsOneLineAndExitCode2) {
  const ProcessResult result =
      RunSeedforge({"export", "--format", "xml", "--out", File("x.xml"), "--db", kUnreachable});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --format: unknown export format \"xml\" (expected json, sql or "
            "csv)\n");
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(Files().empty());
}

TEST_F(ExportCli, CsvToStdoutIsRefused) {
  const ProcessResult result =
      RunSeedforge({"export", "--format", "csv", "--out", "-", "--db", kUnreachable});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --out: csv writes one file per table into a folder, not to "
            "stdout\n");
}

TEST_F(ExportCli, UnwritablePathIsReportedBeforeTheDatabaseIsTouched) {
  // The database is unreachable too: the path is what the message names, so it came first.
  const std::string path = File("missing/folder/out.json");
  const ProcessResult result = RunSeedforge({"export", "--out", path, "--db", kUnreachable});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "seedforge: error: cannot write " + path + ": No such file or directory\n");
  const ProcessResult csv = RunSeedforge(
      {"export", "--format", "csv", "--out", "/proc/version/csv", "--db", kUnreachable});
  EXPECT_EQ(csv.exit_code, 1);
  EXPECT_EQ(csv.err.rfind("seedforge: error: cannot create folder /proc/version/csv: ", 0), 0)
      << csv.err;
}

TEST_F(ExportCli, UnreachableDatabaseLeavesAnExistingFileAsItWas) {
  const std::string path = File("fleet.sql");
  std::ofstream(path) << "previous export\n";
  const ProcessResult result =
      RunSeedforge({"export", "--format", "sql", "--out", path, "--db", kUnreachable});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("seedforge: error: postgresql://postgres@127.0.0.1:1/none?"
                             "connect_timeout=5: cannot connect to PostgreSQL: ",
                             0),
            0)
      << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(ReadFile(path), "previous export\n");
  EXPECT_EQ(Files(), std::vector<std::string>{"fleet.sql"});
}

TEST_F(ExportCli, JsonToStdoutCarriesOnlyTheDocument) {
  const std::string url = SeededDatabase("export_stdout");
  const ProcessResult result = RunSeedforge({"export", "--out", "-", "--db", url});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS);
  EXPECT_EQ(root["events"].get_array().size(), 100u);
  EXPECT_EQ(result.err.rfind("seedforge: exported 5 tables, 235 rows, ", 0), 0) << result.err;
  EXPECT_NE(result.err.find(" (json) to stdout in "), std::string::npos) << result.err;

  const ProcessResult quiet = RunSeedforge({"export", "--out", "-", "--db", url, "--quiet"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, result.out);
  EXPECT_TRUE(Files().empty());
}

// Exports of a seeded fleet (about 2.4 MB of JSON) into a path that holds an earlier export,
// stopped at failpoints (core/failpoint.h). Tables are exported in the fleet's load order:
// users, applications, assets, deployments, events.
std::string FleetForExport(std::string_view prefix) {
  return SeededDatabase(prefix, {"--rows", "events=10000"});
}

TEST_F(ExportCli, KilledExportLeavesNoFileThatLooksComplete) {
  const std::string url = FleetForExport("export_killed");
  const std::string path = File("fleet.json");
  std::ofstream(path) << "previous export\n";
  // Killed once every table's rows are written, before the document is closed and renamed.
  const ProcessResult result =
      RunSeedforge({"export", "--out", path, "--db", url},
                   {{"SEEDFORGE_FAILPOINTS", "export.table_written:events=kill"}});
  EXPECT_EQ(result.signal, SIGKILL) << result.err;
  EXPECT_EQ(ReadFile(path), "previous export\n");
  // What was written so far sits under the temporary name only, and is a strict prefix of the
  // complete export: the flushed part of the document (whole megabytes), never its end.
  EXPECT_EQ(Files(), (std::vector<std::string>{"fleet.json", "fleet.json.partial"}));
  const std::string partial = ReadFile(File("fleet.json.partial"));
  ASSERT_EQ(RunSeedforge({"export", "--out", File("complete.json"), "--db", url, "-q"}).exit_code,
            0);
  const std::string complete = ReadFile(File("complete.json"));
  EXPECT_GE(partial.size(), size_t{1} << 20);
  EXPECT_LT(partial.size(), complete.size());
  EXPECT_EQ(complete.compare(0, partial.size(), partial), 0) << "the partial file is not a prefix";
}

// Ctrl-C once deployments is written (the export stops before events), and once events, the
// last table, is written (the document is complete but not renamed into place yet).
TEST_F(ExportCli, InterruptedExportExits130AndRemovesItsTemporaryFile) {
  const std::string url = FleetForExport("export_interrupted");
  const std::string path = File("fleet.json");
  std::ofstream(path) << "previous export\n";
  for (const char* table : {"deployments", "events"}) {
    const ProcessResult result = RunSeedforge(
        {"export", "--out", path, "--db", url},
        {{"SEEDFORGE_FAILPOINTS", std::string("export.table_written:") + table + "=sigint"}});
    EXPECT_EQ(result.exit_code, 130) << table;
    EXPECT_EQ(result.err, "seedforge: error: interrupted\n") << table;
    EXPECT_EQ(ReadFile(path), "previous export\n") << table;
    EXPECT_EQ(Files(), std::vector<std::string>{"fleet.json"}) << table;
  }
}

// SIGTERM once users, applications and assets are written (each to its temporary name), and
// once every table is written, before the files are renamed into place together.
TEST_F(ExportCli, TerminatedCsvExportLeavesAnEarlierExportAsItWas) {
  const std::string url = FleetForExport("export_terminated_csv");
  const std::string folder = File("csv");
  std::filesystem::create_directory(folder);
  std::ofstream(folder + "/applications.csv") << "previous export\n";
  for (const char* table : {"assets", "events"}) {
    const ProcessResult result = RunSeedforge(
        {"export", "--format", "csv", "--out", folder, "--db", url},
        {{"SEEDFORGE_FAILPOINTS", std::string("export.table_written:") + table + "=sigterm"}});
    EXPECT_EQ(result.exit_code, 143) << table;
    EXPECT_EQ(result.err, "seedforge: error: interrupted\n") << table;
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      left.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(left, std::vector<std::string>{"applications.csv"}) << table;
    EXPECT_EQ(ReadFile(folder + "/applications.csv"), "previous export\n") << table;
  }
}

}  // namespace
}  // namespace seedforge
