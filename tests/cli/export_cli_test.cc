// `seedforge export` as a user runs it: one clear line and the documented exit code for bad
// input, stdout carrying nothing but the document, and no file that looks complete after a
// failed, killed or interrupted export (a file already at the path stays as it was).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "simdjson.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
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

// An export of a seeded fleet into `path`, which holds an earlier export, held up at a table
// whose rows it cannot read until the test lets it: to_json on its enum column goes through a cast
// that waits for an advisory lock the test holds. That table sorts after the fleet, so the
// fleet's rows (over a megabyte of JSON) are already written when the export stops there.
class BlockedExport {
 public:
  BlockedExport(std::string_view prefix, const std::string& path)
      : url_(SeededDatabase(prefix, {"--rows", "events=10000"})) {
    Execute(url_, R"sql(
      CREATE TYPE gate AS ENUM ('open');
      CREATE FUNCTION gate_json(gate) RETURNS json LANGUAGE sql AS
        $$ SELECT to_json((SELECT $1::text FROM (SELECT pg_advisory_lock_shared(4242)) l)) $$;
      CREATE CAST (gate AS json) WITH FUNCTION gate_json(gate);
      CREATE TABLE zz_gate (id integer PRIMARY KEY, state gate);
      INSERT INTO zz_gate VALUES (1, 'open');
    )sql");
    auto connection = PgConnection::Connect(url_);
    EXPECT_TRUE(connection.ok()) << connection.status().message();
    holder_ = std::move(*connection);
    EXPECT_TRUE(holder_->Execute("SELECT pg_advisory_lock(4242)").ok());
    std::ofstream(path) << "previous export\n";
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"export", "--out", path, "--db", url_});
  }
  ~BlockedExport() { Open(); }

  // Waits until the export waits at the gate.
  bool WaitUntilBlocked() const {
    const std::string waiting =
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
        "wait_event_type = 'Lock' AND wait_event = 'advisory'";
    for (int i = 0; i < 15000; ++i) {
      if (QueryInt(url_, waiting) == 1) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }

  // Lets the export read the table.
  void Open() { (void)holder_->Execute("SELECT pg_advisory_unlock_all()"); }

  ChildProcess& child() { return *child_; }

 private:
  std::string url_;
  std::unique_ptr<PgConnection> holder_;
  std::unique_ptr<ChildProcess> child_;
};

TEST_F(ExportCli, KilledExportLeavesNoFileThatLooksComplete) {
  const std::string path = File("fleet.json");
  BlockedExport export_run("export_killed", path);
  ASSERT_TRUE(export_run.WaitUntilBlocked());
  export_run.child().Signal(SIGKILL);
  const ProcessResult result = export_run.child().Wait();
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(ReadFile(path), "previous export\n");
  // What was written so far sits under the temporary name only.
  EXPECT_EQ(Files(), (std::vector<std::string>{"fleet.json", "fleet.json.partial"}));
  EXPECT_GE(std::filesystem::file_size(File("fleet.json.partial")), 1u << 20);
}

TEST_F(ExportCli, InterruptedExportExits130AndRemovesItsTemporaryFile) {
  const std::string path = File("fleet.json");
  BlockedExport export_run("export_interrupted", path);
  ASSERT_TRUE(export_run.WaitUntilBlocked());
  export_run.child().Signal(SIGINT);
  // The export notices the interrupt with the next row, once the gate lets the row through.
  export_run.Open();
  const ProcessResult result = export_run.child().Wait();
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.err, "seedforge: error: interrupted\n");
  EXPECT_EQ(ReadFile(path), "previous export\n");
  EXPECT_EQ(Files(), std::vector<std::string>{"fleet.json"});
}

}  // namespace
}  // namespace seedforge
