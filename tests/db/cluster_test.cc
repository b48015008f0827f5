// The embedded cluster behind `seedforge up | down | status`: created once, started on demand,
// idempotent, and keeping its port and its data across restarts. Each test owns a fresh home,
// separate from the suite's shared TestCluster.
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "tools/embedded_cluster.h"

namespace seedforge {
namespace {

using testing::MakeTempDir;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;

bool Accepts(const std::string& url) { return PQping(url.c_str()) == PQPING_OK; }

// Connects to `url` and returns "" on success, else libpq's message (first line).
std::string ConnectError(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  std::string message = PQstatus(connection) == CONNECTION_OK ? "" : PQerrorMessage(connection);
  PQfinish(connection);
  return message.substr(0, message.find('\n'));
}

struct ShellResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` with /bin/sh, stdout and stderr together.
ShellResult Shell(const std::string& command) {
  ShellResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, got);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The URL without its "passfile=..." parameter (the last one ClusterInfo adds).
std::string WithoutPassfile(const ClusterInfo& info, bool tcp) {
  ClusterInfo plain = info;
  plain.password_file.clear();
  return tcp ? plain.TcpUrl() : plain.ConnectionUrl();
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

constexpr const char* kExpectedHba =
    "# Managed by seedforge: rewritten on every start of the embedded cluster.\n"
    "# The unix socket's folder is reachable only by the server's user (mode 0700), so the\n"
    "# socket trusts; TCP needs the superuser's password (the cluster's pgpass file).\n"
    "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
    "local   all       all                 trust\n"
    "host    all       all   127.0.0.1/32  scram-sha-256\n"
    "host    all       all   ::1/128       scram-sha-256\n";

class EmbeddedClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    parent_ = MakeTempDir("seedforge-cluster-test");
    // Reachable by `postgres` when the tests run as root (mkdtemp makes 0700).
    ASSERT_EQ(chmod(parent_.c_str(), 0755), 0);
    options_.home = parent_ + "/.seedforge";
    options_.database = "seedforge";
    options_.user = "postgres";
    options_.log_progress = false;
  }

  void TearDown() override {
    const Status stopped = StopCluster(options_);
    EXPECT_TRUE(stopped.ok()) << stopped.message();
    const std::string location = ReadFile(options_.home + "/cluster-location");
    if (!location.empty()) RemoveTree(location.substr(0, location.find('\n')));
    RemoveTree(parent_);
  }

  // Starts the cluster; fails the test with the status message if that fails.
  ClusterInfo Start() {
    StatusOr<ClusterInfo> info = StartCluster(options_);
    if (!info.ok()) {
      ADD_FAILURE() << "StartCluster: " << info.status().message();
      throw std::runtime_error(info.status().message());
    }
    return *info;
  }

  ClusterInfo Inspect() {
    StatusOr<ClusterInfo> info = InspectCluster(options_);
    if (!info.ok()) {
      ADD_FAILURE() << "InspectCluster: " << info.status().message();
      throw std::runtime_error(info.status().message());
    }
    return *info;
  }

  void Stop() {
    const Status stopped = StopCluster(options_);
    ASSERT_TRUE(stopped.ok()) << stopped.message();
  }

  std::string parent_;
  ClusterOptions options_;
};

TEST_F(EmbeddedClusterTest, FirstStartCreatesAndStartsAServerReachableOverSocketAndTcp) {
  const ClusterInfo info = Start();

  EXPECT_TRUE(info.created_now);
  EXPECT_TRUE(info.started_now);
  EXPECT_TRUE(info.initialized);
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.home, parent_ + "/.seedforge");
  EXPECT_EQ(info.data_dir, parent_ + "/.seedforge/data");
  EXPECT_EQ(info.socket_dir, parent_ + "/.seedforge/run");
  EXPECT_EQ(info.log_file, parent_ + "/.seedforge/run/postgres.log");
  EXPECT_EQ(info.user, "postgres");
  EXPECT_EQ(info.database, "seedforge");
  ASSERT_GT(info.port, 0);
  ASSERT_LT(info.port, 65536);
  EXPECT_EQ(ReadFile(info.home + "/port"), std::to_string(info.port) + "\n");

  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SELECT 1"), "1");
  EXPECT_EQ(QueryValue(info.TcpUrl(), "SELECT 1"), "1");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SELECT current_database()"), "seedforge");
  EXPECT_EQ(QueryValue(info.TcpUrl(), "SELECT host(inet_server_addr())"), "127.0.0.1");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SELECT inet_server_addr()"), "");  // unix socket
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SELECT current_user"), "postgres");

  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW wal_level"), "minimal");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW max_wal_senders"), "0");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW synchronous_commit"), "off");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW fsync"), "on");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW listen_addresses"), "127.0.0.1");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW port"), std::to_string(info.port));
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW shared_buffers"), "256MB");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW maintenance_work_mem"), "256MB");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW max_wal_size"), "4GB");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW checkpoint_timeout"), "30min");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SHOW lc_collate"), "C");
  EXPECT_EQ(QueryValue(info.ConnectionUrl(),
                       "SELECT current_setting('server_version_num')::int "
                       "/ 10000"),
            info.server_version);

  if (geteuid() == 0) {
    const passwd* postgres = getpwnam("postgres");
    ASSERT_NE(postgres, nullptr);
    struct stat data_info {};
    ASSERT_EQ(stat(info.data_dir.c_str(), &data_info), 0);
    EXPECT_EQ(data_info.st_uid, postgres->pw_uid);
    EXPECT_EQ(data_info.st_mode & 0777, 0700u);
  }
}

TEST_F(EmbeddedClusterTest, TcpNeedsTheRandomPasswordKeptInAPrivatePasswordFile) {
  const ClusterInfo info = Start();

  EXPECT_EQ(info.password_file, info.home + "/pgpass");
  EXPECT_EQ(ModeOf(info.password_file), 0600u);
  struct stat file_info {};
  ASSERT_EQ(stat(info.password_file.c_str(), &file_info), 0);
  EXPECT_EQ(file_info.st_uid, geteuid());
  const std::string text = ReadFile(info.password_file);
  const std::string prefix = "\n127.0.0.1:*:*:postgres:";
  const size_t line = text.find(prefix);
  ASSERT_NE(line, std::string::npos) << text;
  const size_t start = line + prefix.size();
  const std::string password = text.substr(start, text.find('\n', start) - start);
  EXPECT_EQ(password.size(), 48u);
  EXPECT_EQ(password.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(text.substr(text.find('\n') + 1),
            "127.0.0.1:*:*:postgres:" + password + "\nlocalhost:*:*:postgres:" + password + "\n");
  EXPECT_EQ(info.TcpUrl().find(password), std::string::npos);
  EXPECT_EQ(info.PsqlCommand().find(password), std::string::npos);
  EXPECT_EQ(ReadFile(info.data_dir + "/pg_hba.conf"), kExpectedHba);
  EXPECT_EQ(ModeOf(info.socket_dir), 0700u);

  // With the password file (named in the URL), TCP works; without it, or with another password,
  // the server asks for one.
  EXPECT_EQ(QueryValue(info.TcpUrl(), "SELECT current_user"), "postgres");
  EXPECT_EQ(ConnectError(WithoutPassfile(info, true) + "?passfile=/nonexistent"),
            "connection to server at \"127.0.0.1\", port " + std::to_string(info.port) +
                " failed: fe_sendauth: no password supplied");
  EXPECT_EQ(ConnectError(WithoutPassfile(info, true) + "?password=wrong"),
            "connection to server at \"127.0.0.1\", port " + std::to_string(info.port) +
                " failed: FATAL:  password authentication failed for user \"postgres\"");
  EXPECT_EQ(QueryValue(info.TcpUrl(),
                       "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                       "WHERE rolname = 'postgres'"),
            "t");
  // The socket, which only the server's user and root can reach, needs no password.
  EXPECT_EQ(QueryValue(WithoutPassfile(info, false), "SELECT 1"), "1");

  // The printed psql command works as it is.
  const ShellResult psql = Shell("PATH=/usr/lib/postgresql/" + info.server_version + "/bin:$PATH " +
                                 info.PsqlCommand() + " -w -X -A -t -c 'SELECT 7'");
  EXPECT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(psql.output, "7\n");

  // A restart keeps the password.
  Stop();
  const ClusterInfo again = Start();
  EXPECT_EQ(ReadFile(again.password_file), text);
  EXPECT_EQ(QueryValue(again.TcpUrl(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, AnotherSystemUserCanNeitherConnectOverTcpNorReachTheSocket) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "switching to another system user (nobody) needs root";
  }
  const ClusterInfo info = Start();
  const std::string psql = "/usr/lib/postgresql/" + info.server_version + "/bin/psql";
  // As `nobody`, with nothing of ours in the environment.
  const auto as_nobody = [&](const std::string& url) {
    return Shell("env -i PATH=/usr/bin:/bin setpriv --reuid=65534 --regid=65534 --clear-groups " +
                 psql + " -w -X -A -t -d '" + url + "' -c 'SELECT 1'");
  };
  const std::string port = std::to_string(info.port);
  const ShellResult tcp = as_nobody(WithoutPassfile(info, true));
  EXPECT_EQ(tcp.exit_code, 2) << tcp.output;
  EXPECT_EQ(tcp.output, "psql: error: connection to server at \"127.0.0.1\", port " + port +
                            " failed: fe_sendauth: no password supplied\n");
  // The password file is there, but only its owner may read it.
  const ShellResult with_file = as_nobody(info.TcpUrl());
  EXPECT_EQ(with_file.exit_code, 2) << with_file.output;
  EXPECT_NE(with_file.output.find("fe_sendauth: no password supplied"), std::string::npos)
      << with_file.output;
  const ShellResult socket = as_nobody(WithoutPassfile(info, false));
  EXPECT_EQ(socket.exit_code, 2) << socket.output;
  EXPECT_EQ(socket.output, "psql: error: connection to server on socket \"" + info.socket_dir +
                               "/.s.PGSQL." + port +
                               "\" failed: Permission denied\n\tIs the "
                               "server running locally and accepting connections on that "
                               "socket?\n");
  const ShellResult listing =
      Shell("setpriv --reuid=65534 --regid=65534 --clear-groups ls " + info.socket_dir);
  EXPECT_NE(listing.exit_code, 0) << listing.output;
  // Root itself still gets in, over both.
  EXPECT_EQ(QueryValue(info.ConnectionUrl(), "SELECT 1"), "1");
  EXPECT_EQ(QueryValue(info.TcpUrl(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, AClusterOfAnOlderSeedforgeGetsAPasswordOnItsNextStart) {
  const ClusterInfo first = Start();
  const std::string old_hba =
      "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n";
  const auto make_old = [&] {
    // What an older seedforge left: trust everywhere, no password, a socket folder for all.
    testing::Execute(first.ConnectionUrl(), "ALTER ROLE postgres PASSWORD NULL");
    ASSERT_EQ(unlink(first.password_file.c_str()), 0);
    std::ofstream(first.data_dir + "/pg_hba.conf", std::ios::trunc) << old_hba;
    ASSERT_EQ(chmod(first.socket_dir.c_str(), 0755), 0);
  };

  // Running when the newer seedforge first meets it.
  make_old();
  testing::Execute(WithoutPassfile(first, false), "SELECT pg_reload_conf()");
  bool open = false;
  for (int attempt = 0; attempt < 200 && !open; ++attempt) {
    open = ConnectError(WithoutPassfile(first, true)).empty();
    if (!open) usleep(50000);
  }
  ASSERT_TRUE(open) << "the old trust rule never took effect";
  const ClusterInfo running = Start();
  EXPECT_FALSE(running.started_now);
  EXPECT_EQ(running.password_file, first.password_file);
  EXPECT_EQ(ModeOf(running.password_file), 0600u);
  EXPECT_EQ(ReadFile(running.data_dir + "/pg_hba.conf"), kExpectedHba);
  EXPECT_EQ(ModeOf(running.socket_dir), 0700u);
  EXPECT_NE(ConnectError(WithoutPassfile(running, true)), "");
  EXPECT_EQ(QueryValue(running.TcpUrl(), "SELECT 1"), "1");

  // Stopped when it meets it.
  make_old();
  Stop();
  const ClusterInfo restarted = Start();
  EXPECT_TRUE(restarted.started_now);
  EXPECT_EQ(ReadFile(restarted.data_dir + "/pg_hba.conf"), kExpectedHba);
  EXPECT_EQ(ModeOf(restarted.socket_dir), 0700u);
  EXPECT_NE(ConnectError(WithoutPassfile(restarted, true)), "");
  EXPECT_EQ(QueryValue(restarted.TcpUrl(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, SecondStartChangesNothing) {
  const ClusterInfo first = Start();
  const ClusterInfo second = Start();

  EXPECT_FALSE(second.created_now);
  EXPECT_FALSE(second.started_now);
  EXPECT_TRUE(second.initialized);
  EXPECT_TRUE(second.running);
  EXPECT_EQ(second.port, first.port);
  EXPECT_EQ(second.socket_dir, first.socket_dir);
  EXPECT_EQ(second.data_dir, first.data_dir);
  EXPECT_EQ(QueryValue(second.ConnectionUrl(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, InspectReportsRunningAndStopReportsStopped) {
  const ClusterInfo started = Start();

  const ClusterInfo running = Inspect();
  EXPECT_TRUE(running.initialized);
  EXPECT_TRUE(running.running);
  EXPECT_FALSE(running.created_now);
  EXPECT_FALSE(running.started_now);
  EXPECT_EQ(running.port, started.port);
  EXPECT_EQ(running.data_dir, started.data_dir);
  EXPECT_EQ(running.socket_dir, started.socket_dir);
  EXPECT_EQ(running.ConnectionUrl(), started.ConnectionUrl());

  Stop();
  const ClusterInfo stopped = Inspect();
  EXPECT_TRUE(stopped.initialized);
  EXPECT_FALSE(stopped.running);
  EXPECT_EQ(stopped.port, started.port);
  EXPECT_FALSE(Accepts(started.ConnectionUrl()));
  EXPECT_FALSE(Accepts(started.TcpUrl()));

  Stop();  // idempotent
  EXPECT_FALSE(Inspect().running);
}

TEST_F(EmbeddedClusterTest, RestartReusesThePortAndKeepsTheData) {
  const ClusterInfo first = Start();
  testing::Execute(first.ConnectionUrl(),
                   "CREATE TABLE kept (id int PRIMARY KEY, note text);"
                   "INSERT INTO kept VALUES (1, 'written before the stop')");
  Stop();

  const ClusterInfo again = Start();
  EXPECT_FALSE(again.created_now);
  EXPECT_TRUE(again.started_now);
  EXPECT_TRUE(again.running);
  EXPECT_EQ(again.port, first.port);
  EXPECT_EQ(testing::QueryInt(again.ConnectionUrl(), "SELECT count(*) FROM kept"), 1);
  EXPECT_EQ(QueryValue(again.TcpUrl(), "SELECT note FROM kept WHERE id = 1"),
            "written before the stop");
}

TEST_F(EmbeddedClusterTest, RestartMovesToAFreePortWhenTheStoredOneIsTaken) {
  const ClusterInfo first = Start();
  Stop();

  // Another program now listens on the cluster's port.
  const int squatter = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(squatter, 0);
  const int on = 1;
  setsockopt(squatter, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(first.port));
  ASSERT_EQ(bind(squatter, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(squatter, 1), 0);

  const ClusterInfo again = Start();
  close(squatter);
  EXPECT_TRUE(again.started_now);
  EXPECT_NE(again.port, first.port);
  EXPECT_EQ(ReadFile(again.home + "/port"), std::to_string(again.port) + "\n");
  EXPECT_EQ(QueryValue(again.TcpUrl(), "SHOW port"), std::to_string(again.port));
  EXPECT_EQ(QueryValue(again.ConnectionUrl(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, InspectAndStopOfAMissingClusterChangeNothing) {
  const StatusOr<ClusterInfo> info = InspectCluster(options_);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_FALSE(info->initialized);
  EXPECT_FALSE(info->running);
  EXPECT_EQ(info->port, 0);
  EXPECT_EQ(info->data_dir, parent_ + "/.seedforge/data");

  const Status stopped = StopCluster(options_);
  EXPECT_TRUE(stopped.ok()) << stopped.message();
  EXPECT_FALSE(std::filesystem::exists(options_.home));
}

TEST_F(EmbeddedClusterTest, MissingServerProgramsAreAFailedPrecondition) {
  const std::string empty_bin = MakeTempDir("seedforge-no-pg-bin");
  const char* previous = std::getenv("SEEDFORGE_PG_BIN");
  const std::optional<std::string> saved =
      previous ? std::optional<std::string>(previous) : std::nullopt;
  setenv("SEEDFORGE_PG_BIN", empty_bin.c_str(), 1);

  const StatusOr<ClusterInfo> info = StartCluster(options_);

  if (saved) {
    setenv("SEEDFORGE_PG_BIN", saved->c_str(), 1);
  } else {
    unsetenv("SEEDFORGE_PG_BIN");
  }
  RemoveTree(empty_bin);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(info.status().message(),
            "SEEDFORGE_PG_BIN=" + empty_bin + " does not contain executable initdb and pg_ctl");
  EXPECT_FALSE(std::filesystem::exists(options_.home));
}

TEST_F(EmbeddedClusterTest, AsRootAHomeThePostgresUserCannotReachKeepsItsClusterInVarLib) {
  if (geteuid() != 0) GTEST_SKIP() << "only root hands the server to the postgres user";
  // A private (0700, root-owned) folder, like a checkout under /root.
  const std::string private_parent = parent_ + "/private";
  ASSERT_EQ(mkdir(private_parent.c_str(), 0700), 0);
  ASSERT_EQ(chmod(private_parent.c_str(), 0700), 0);
  options_.home = private_parent + "/app/.seedforge";

  ::testing::internal::CaptureStderr();
  StatusOr<ClusterInfo> started = StartCluster(options_);
  const std::string said = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(started.ok()) << started.status().message();

  const std::filesystem::path base = std::filesystem::path(started->data_dir).parent_path();
  const std::string prefix = "/var/lib/seedforge/app-seedforge-";
  ASSERT_EQ(base.string().size(), prefix.size() + 8) << base;
  EXPECT_EQ(base.string().substr(0, prefix.size()), prefix);
  EXPECT_EQ(base.string().find_first_not_of("0123456789abcdef", prefix.size()), std::string::npos)
      << base;
  EXPECT_EQ(started->data_dir, base.string() + "/data");
  EXPECT_EQ(started->socket_dir, base.string() + "/run");
  EXPECT_EQ(ReadFile(options_.home + "/cluster-location"), base.string() + "\n");
  EXPECT_EQ(said, "seedforge: the 'postgres' user cannot reach " + options_.home +
                      " (PostgreSQL refuses to run as root), so the cluster lives in " +
                      base.string() + " (recorded in " + options_.home + "/cluster-location)\n");
  EXPECT_EQ(QueryValue(started->ConnectionUrl(), "SELECT 1"), "1");

  const ClusterInfo inspected = Inspect();
  EXPECT_TRUE(inspected.running);
  EXPECT_EQ(inspected.data_dir, started->data_dir);

  // The second start finds the recorded location and says nothing.
  ::testing::internal::CaptureStderr();
  const ClusterInfo again = Start();
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_FALSE(again.created_now);
  EXPECT_EQ(again.data_dir, started->data_dir);
}

TEST(ClusterInfoTest, UrlsNameTheSocketOrTheLoopbackPortAndArePercentEncoded) {
  ClusterInfo info;
  info.user = "postgres";
  info.database = "seedforge";
  info.socket_dir = "/abs/.seedforge/run";
  info.port = 54321;
  EXPECT_EQ(info.ConnectionUrl(),
            "postgresql://postgres@/seedforge?host=/abs/.seedforge/run&port=54321");
  EXPECT_EQ(info.TcpUrl(), "postgresql://postgres@127.0.0.1:54321/seedforge");
  EXPECT_EQ(info.PsqlCommand(), "psql 'postgresql://postgres@127.0.0.1:54321/seedforge'");

  info.password_file = "/abs/.seedforge/pgpass";
  EXPECT_EQ(info.ConnectionUrl(),
            "postgresql://postgres@/seedforge?host=/abs/.seedforge/run&port=54321"
            "&passfile=/abs/.seedforge/pgpass");
  EXPECT_EQ(info.TcpUrl(),
            "postgresql://postgres@127.0.0.1:54321/seedforge?passfile=/abs/.seedforge/pgpass");
  EXPECT_EQ(info.PsqlCommand(),
            "PGPASSFILE='/abs/.seedforge/pgpass' psql "
            "'postgresql://postgres@127.0.0.1:54321/seedforge'");
  info.password_file.clear();

  info.database = "seed forge";
  info.socket_dir = "/tmp/my home/run&x=1";
  EXPECT_EQ(info.ConnectionUrl(),
            "postgresql://postgres@/seed%20forge?host=/tmp/my%20home/run%26x%3D1&port=54321");
  EXPECT_EQ(info.TcpUrl(), "postgresql://postgres@127.0.0.1:54321/seed%20forge");
}

}  // namespace
}  // namespace seedforge
