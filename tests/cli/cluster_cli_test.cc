// `seedforge up | status | down` and the commands that only look (stats) against an embedded
// cluster of their own (--home in a fresh folder), as a user runs them: the printed psql command
// connects over TCP through the password file and no output holds the password; stats never
// creates or starts the cluster, while seed still starts it as documented.
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::MakeTempDir;
using testing::ProcessResult;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;

int Shell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, got);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class ClusterCli : public ::testing::Test {
 protected:
  void SetUp() override {
    parent_ = MakeTempDir("seedforge-cluster-cli");
    // Reachable by `postgres` when the tests run as root (mkdtemp makes 0700).
    ASSERT_EQ(chmod(parent_.c_str(), 0755), 0);
    home_ = parent_ + "/.seedforge";
  }
  void TearDown() override {
    (void)Run({"down"});
    const std::string location = ReadFile(home_ + "/cluster-location");
    if (!location.empty()) RemoveTree(location.substr(0, location.find('\n')));
    RemoveTree(parent_);
  }

  // `seedforge ARGS --home HOME`, with no DATABASE_URL.
  ProcessResult Run(std::vector<std::string> args) {
    args.push_back("--home");
    args.push_back(home_);
    return RunSeedforge(args, {{"DATABASE_URL", std::nullopt}, {"SEEDFORGE_HOME", std::nullopt}});
  }

  std::string parent_;
  std::string home_;
};

TEST_F(ClusterCli, UpPrintsAPsqlCommandThatWorksAndStatsNeverStartsTheCluster) {
  const ProcessResult none = Run({"stats"});
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_EQ(none.err, "seedforge: error: no --db, no DATABASE_URL and no embedded cluster in " +
                          home_ + "; stats does not create one: run 'seedforge up --home " + home_ +
                          "' or 'seedforge seed --home " + home_ + "', or give --db\n");
  EXPECT_FALSE(std::filesystem::exists(home_));

  const ProcessResult up = Run({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  const std::string password_file = home_ + "/pgpass";
  const std::string text = ReadFile(password_file);
  const std::string password = text.substr(text.rfind(':') + 1, 48);
  ASSERT_EQ(password.size(), 48u) << text;
  const std::string command_start = "\nconnect: PGPASSFILE='" + password_file + "' psql '";
  const size_t at = up.out.find(command_start);
  ASSERT_NE(at, std::string::npos) << up.out;
  const std::string command = up.out.substr(at + 10, up.out.find('\n', at + 1) - at - 10);
  EXPECT_EQ(command.find("postgresql://postgres@127.0.0.1:"), command_start.size() - 10) << command;
  std::string output;
  EXPECT_EQ(Shell(command + " -w -X -A -t -c 'SELECT 6 * 7'", &output), 0) << output;
  EXPECT_EQ(output, "42\n");

  const ProcessResult status = Run({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.out.rfind("embedded PostgreSQL: running\n", 0), 0u) << status.out;
  EXPECT_NE(status.out.find(command_start), std::string::npos) << status.out;
  for (const ProcessResult* result : {&up, &status}) {
    EXPECT_EQ(result->out.find(password), std::string::npos);
    EXPECT_EQ(result->err.find(password), std::string::npos);
  }
  EXPECT_EQ(Run({"stats"}).exit_code, 0);

  ASSERT_EQ(Run({"down"}).exit_code, 0);
  const ProcessResult stopped = Run({"stats"});
  EXPECT_EQ(stopped.exit_code, 1) << stopped.err;
  EXPECT_EQ(stopped.err, "seedforge: error: the embedded PostgreSQL in " + home_ +
                             " is stopped; stats does not start it: run 'seedforge up --home " +
                             home_ + "' first\n");
  EXPECT_EQ(Run({"status"}).out.rfind("embedded PostgreSQL: stopped\n", 0), 0u);

  // seed starts it on demand, as documented, and reaches it with the password file.
  const ProcessResult seeded = Run({"seed", "--quiet"});
  EXPECT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(Run({"status"}).out.rfind("embedded PostgreSQL: running\n", 0), 0u);
}

}  // namespace
}  // namespace seedforge
