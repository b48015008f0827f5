// A server whose disk fills up during a seed: one line naming what failed, nothing parked, and a
// rerun once there is room completes and verifies. The full disk is a tablespace on a 3 MB tmpfs
// (mounting needs root, as the tests run in CI; elsewhere the test is skipped and says why).
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RunSeedforge;
using testing::TestCluster;

TEST(DiskFull, ServerOutOfSpaceIsOneLineParksNothingAndARerunCompletes) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  const std::string dir = testing::MakeTempDir("disk_full");
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=3m,mode=0700") != 0) {
    testing::RemoveTree(dir);
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  }
  // The server runs as postgres when the tests run as root.
  if (const passwd* server = ::getpwnam("postgres")) {
    ASSERT_EQ(::chown(dir.c_str(), server->pw_uid, server->pw_gid), 0) << std::strerror(errno);
  }
  const std::string url = TestCluster::Get().CreateDatabase("disk_full");
  const std::string database = QueryValue(url, "SELECT current_database()");
  const std::string tablespace = "tiny_" + std::to_string(::getpid());
  const std::string admin = TestCluster::Get().AdminUrl();
  Execute(admin, "CREATE TABLESPACE " + tablespace + " LOCATION '" + dir + "'");
  Execute(admin, "ALTER DATABASE " + database + " SET default_tablespace = " + tablespace);

  const std::vector<std::string> seed = {"seed", "--db", url, "--quiet", "--profile", "large"};
  const ProcessResult full = RunSeedforge(seed);
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_EQ(testing::CountLines(full.err), 1) << full.err;
  EXPECT_EQ(full.err.rfind("seedforge: error: table ", 0), 0u) << full.err;
  // PostgreSQL says it one of two ways, depending on where the disk fills: the write's ENOSPC,
  // or a short write ("wrote only 4096 of 8192 bytes") with its hint.
  const bool out_of_space = full.err.find("No space left on device") != std::string::npos ||
                            full.err.find("Check free disk space") != std::string::npos;
  EXPECT_TRUE(out_of_space) << full.err;
  testing::WaitForOtherSessionsToEnd(url);
  // Nothing parked: every foreign key is in the catalog, none in the journal.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = "
                     "'public'::regnamespace"),
            9);
  EXPECT_EQ(QueryInt(url,
                     "SELECT CASE WHEN to_regclass('seedforge.pending_constraints') IS NULL THEN 0 "
                     "ELSE (SELECT count(*) FROM seedforge.pending_constraints) END"),
            0);

  // Room again: the rerun completes the load, and verify passes.
  ASSERT_EQ(::mount("tmpfs", dir.c_str(), "tmpfs", MS_REMOUNT, "size=400m,mode=0700"), 0)
      << std::strerror(errno);
  const ProcessResult rerun = RunSeedforge(seed);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--quiet"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100000);

  Execute(admin, "DROP DATABASE " + database + " WITH (FORCE)");
  Execute(admin, "DROP TABLESPACE " + tablespace);
  ::umount(dir.c_str());
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
