// Waiting for a server, bounded: `auto` retries only what may fix itself (issue 8, item 12), and
// a server that stops answering neither hangs seedforge nor keeps Ctrl-C waiting (item 14).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sinks/postgres/connection.h"
#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::CountLines;
using testing::ProcessResult;
using testing::PublicTables;
using testing::QueryInt;
using testing::RunSeedforge;
using testing::TestCluster;

std::string WithParameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// ---- Item 12: only "cannot reach the server yet" is retried.

struct NotWorthWaiting {
  std::string url;      // "PORT" is replaced by the test server's TCP port
  std::string message;  // what the one error line contains
};

class AutoDoesNotRetry : public ::testing::TestWithParam<NotWorthWaiting> {};

TEST_P(AutoDoesNotRetry, AConnectionStringOrSettingThatCannotWork) {
  std::string url = GetParam().url;
  if (const size_t port = url.find("PORT"); port != std::string::npos) {
    url.replace(port, 4, std::to_string(TestCluster::Get().port()));
  }
  const ProcessResult result =
      RunSeedforge({"auto", "--wait-seconds", "600", "--db", url}, {{"AUTO_SEED_DB", "true"}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.signal, 0);
  // One attempt: no "waiting for PostgreSQL ... (attempt 1)" line, just the error.
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.find("waiting for PostgreSQL"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find(GetParam().message), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cli, AutoDoesNotRetry,
    ::testing::Values(
        NotWorthWaiting{"mysql://app:pw@127.0.0.1:PORT/adv", "missing \"=\" after"},
        NotWorthWaiting{"postgresql://postgres@127.0.0.1:PORT/postgres?sslmode=bogus",
                        "invalid sslmode value: \"bogus\""},
        NotWorthWaiting{"postgresql://postgres@127.0.0.1:PORT/postgres?sslmode=require",
                        "server does not support SSL, but SSL was required"},
        NotWorthWaiting{"postgresql://postgres@127.0.0.1:PORT/postgres?nosuchoption=1",
                        "invalid URI query parameter: \"nosuchoption\""}));

TEST(AutoRetries, ARefusedConnectionIsRetried) {
  const ProcessResult result = RunSeedforge(
      {"auto", "--wait-seconds", "1", "--db", "postgresql://postgres@127.0.0.1:1/none"},
      {{"AUTO_SEED_DB", "true"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(
      result.err.find("seedforge: waiting for PostgreSQL at postgresql://postgres@127.0.0.1:1/"
                      "none (attempt 1): cannot connect to PostgreSQL: "),
      std::string::npos)
      << result.err;
}

// ---- Item 14: bounded waits.

// A TCP port that accepts connections (the kernel completes the handshake) but never answers.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  // True once a client has connected (the connection waits in the listen queue).
  bool WaitForClient() const {
    pollfd ready{fd_, POLLIN, 0};
    return ::poll(&ready, 1, 60000) == 1;
  }
  std::string Url() const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/silent";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(BoundedWaits, ConnectTimeoutEndsWithOneLineNamingIt) {
  SilentServer server;
  const ProcessResult result =
      RunSeedforge({"stats", "--db", server.Url(), "--connect-timeout", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "seedforge: error: " + server.Url() +
                            ": cannot connect to PostgreSQL: timeout expired after 1 s "
                            "(--connect-timeout, or connect_timeout in the connection string)\n");
}

TEST(BoundedWaits, SigintWhileConnectingToASilentServerExitsAt130) {
  SilentServer server;
  ChildProcess child({"stats", "--db", server.Url(), "--connect-timeout", "0"});
  ASSERT_TRUE(server.WaitForClient());
  child.Signal(SIGINT);
  const ProcessResult result = child.Wait();
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: " + server.Url() + ": interrupted while connecting to PostgreSQL\n");
}

TEST(BoundedWaits, StatementTimeoutGivesUpAStatementBlockedOnALock) {
  const std::string url = testing::SeededDatabase("statement_timeout");
  auto holder = PgConnection::Connect(url);
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  ASSERT_TRUE((*holder)->Execute("BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE").ok());
  const ProcessResult result = RunSeedforge({"stats", "--db", url, "--statement-timeout", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("seedforge: error: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("no answer from the server within 1 s (--statement-timeout) to "),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("; gave up the connection (the server rolls back what was not "
                            "committed)\n"),
            std::string::npos)
      << result.err;
  ASSERT_TRUE((*holder)->Execute("ROLLBACK").ok());
}

// The "tr" (timer) field of the TCP sockets of process `pid` connected to `port`, from
// /proc/net/tcp: 2 means the keepalive timer is armed.
std::vector<int> TcpTimersOf(int pid, int port) {
  std::set<std::string> inodes;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.rfind("socket:[", 0) == 0) {
      inodes.insert(target.substr(8, target.size() - 9));
    }
  }
  std::vector<int> timers;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const std::string remote_port = remote.substr(remote.find(':') + 1);
      if (inodes.count(inode) == 0 || std::stoi(remote_port, nullptr, 16) != port) continue;
      timers.push_back(std::stoi(timer.substr(0, timer.find(':')), nullptr, 16));
    }
  }
  return timers;
}

TEST(BoundedWaits, EveryConnectionHasTcpKeepalivesOn) {
  const std::string url = testing::SeededDatabase("keepalives");
  const int port = TestCluster::Get().port();
  const std::string tcp_url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" +
                              testing::QueryValue(url, "SELECT current_database()") +
                              "?passfile=" + TestCluster::Get().password_file();
  auto holder = PgConnection::Connect(url);
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  ASSERT_TRUE((*holder)->Execute("BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE").ok());
  ChildProcess child({"stats", "--db", tcp_url});
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
      "wait_event_type = 'Lock'";
  for (int i = 0; i < 20000 && QueryInt(url, waiting) == 0 && child.Running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(QueryInt(url, waiting), 1) << "stats never waited for the lock";
  // Until the server acknowledges the query the retransmit timer (1) shows instead; without
  // keepalives the timer would read 0 for as long as the statement waits.
  std::vector<int> timers = TcpTimersOf(child.pid(), port);
  for (int i = 0; i < 2000 && timers != std::vector<int>{2}; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    timers = TcpTimersOf(child.pid(), port);
  }
  ASSERT_TRUE((*holder)->Execute("ROLLBACK").ok());
  EXPECT_EQ(child.Wait().exit_code, 0);
  EXPECT_EQ(timers, std::vector<int>{2}) << "one connection, with its keepalive timer armed";
}

// The state letter of a process ('T' when stopped), from /proc.
char ProcessState(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() ? '?' : text[paren + 2];
}

// A seed on one connection, paused at failpoint `point` (core/failpoint.h) while it loads the
// large profile; its server backend is stopped (SIGSTOP), Ctrl-C comes while the run is still
// paused, and the run goes on into the stopped server. Returns the run's result and the
// backend's state when the run had ended ('T': still stopped).
struct StoppedBackendRun {
  ProcessResult result;
  char backend_state = '?';
};

StoppedBackendRun InterruptWithTheBackendStopped(const std::string& url, const std::string& point,
                                                 const std::string& hit) {
  StoppedBackendRun run;
  const std::string name = "sf_stopped_" + std::to_string(::getpid());
  testing::FailpointPauses pauses("stopped_backend");
  ChildProcess child({"seed", "--db", WithParameter(url, "application_name=" + name), "--quiet",
                      "--connections", "1", "--profile", "large"},
                     pauses.Env(point + hit + "=pause"));
  if (!pauses.WaitUntilReached(point, child)) return run;
  // The run's only session, the one loading rows: a stopped process is resumed by the kernel
  // when another member of its (orphaned) process group exits, so no other backend of this run
  // may end while it is stopped.
  const int64_t sessions = QueryInt(
      url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name + "'");
  EXPECT_EQ(sessions, 1);
  const int64_t pid = QueryInt(
      url,
      "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name = '" + name + "'");
  if (sessions != 1 || pid == 0) return run;
  EXPECT_EQ(::kill(static_cast<pid_t>(pid), SIGSTOP), 0);
  child.Signal(SIGINT);
  pauses.Resume(point);
  run.result = child.Wait();
  run.backend_state = ProcessState(static_cast<int>(pid));
  ::kill(static_cast<pid_t>(pid), SIGCONT);
  testing::WaitForOtherSessionsToEnd(url);
  return run;
}

// The last line of `err`, after the summary an interrupted run prints (what it committed).
std::string LastLine(const std::string& err) {
  EXPECT_EQ(err.rfind("seedforge: interrupted; whole batches already committed are kept:\n", 0), 0u)
      << err;
  return err.substr(err.rfind("seedforge: "));
}

// The rerun after the interrupted one completes (the server rolled back what was in flight).
void ExpectARerunCompletes(const std::string& url) {
  ASSERT_EQ(RunSeedforge({"seed", "--db", url, "--quiet", "--profile", "large"}).exit_code, 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 100000);
}

// Paused once events' rows are copied: the next statement (the primary key's rebuild) waits for
// the stopped server, and the interrupt gives up its connection, naming it.
TEST(BoundedWaits, SigintWhileAStatementWaitsForAStoppedServerNamesItAndExits130) {
  const std::string url = TestCluster::Get().CreateDatabase("stopped_backend_statement");
  const StoppedBackendRun run =
      InterruptWithTheBackendStopped(url, "sink.bulk_rows_copied:events", "");
  EXPECT_EQ(run.result.exit_code, 130) << run.result.err;
  EXPECT_EQ(run.backend_state, 'T') << "the backend was resumed before seedforge ended";
  EXPECT_EQ(LastLine(run.result.err),
            "seedforge: error: table events: restoring events_pkey: interrupted while waiting for "
            "the server to answer ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id) "
            "(gave up the connection; the server rolls back what was not committed)\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 0);
  ExpectARerunCompletes(url);
}

// Paused after events' 3rd bulk batch went out: the run stops at the batch being written
// (engine/pipeline.h) and says it was interrupted, still without an answer from the server.
TEST(BoundedWaits, SigintBetweenTwoBatchesIntoAStoppedServerEndsTheRunAt130) {
  const std::string url = TestCluster::Get().CreateDatabase("stopped_backend_batches");
  const StoppedBackendRun run =
      InterruptWithTheBackendStopped(url, "sink.bulk_batch_sent:events", "@3");
  EXPECT_EQ(run.result.exit_code, 130) << run.result.err;
  EXPECT_EQ(run.backend_state, 'T') << "the backend was resumed before seedforge ended";
  EXPECT_EQ(LastLine(run.result.err), "seedforge: error: interrupted\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events"), 0);
  ExpectARerunCompletes(url);
}

}  // namespace
}  // namespace seedforge
