// Shared helpers for the test suites: a real PostgreSQL server per test binary, fresh databases,
// and running the seedforge binary as a subprocess.
#pragma once

#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedforge::testing {

// The PostgreSQL server of this test binary. Started on first use with the project's own
// embedded-cluster code (tools/embedded_cluster.h) in a fresh temporary folder, on a unix socket
// and a free loopback port, as the `postgres` user when the tests run as root. Stopped and
// removed when the binary exits. Thread-safe for Get().
class TestCluster {
 public:
  static TestCluster& Get();

  // Creates a new empty database whose name starts with `prefix` and is unique within this run.
  // Returns its libpq URI. Fails the current test (ADD_FAILURE) and aborts on error.
  std::string CreateDatabase(std::string_view prefix);
  // URI of the maintenance database "postgres".
  std::string AdminUrl() const;
  // Folder holding the unix socket, and the TCP port.
  const std::string& socket_dir() const { return socket_dir_; }
  int port() const { return port_; }
  // The cluster's libpq password file: TCP connections need its password (scram-sha-256).
  const std::string& password_file() const { return password_file_; }
  // Stops the server (pg_ctl stop -m fast) / starts it again, for "server went away" tests.
  void StopServer();
  void StartServer();

 private:
  TestCluster();
  ~TestCluster();
  std::string home_;
  std::string socket_dir_;
  int port_ = 0;
  std::string password_file_;
  int database_counter_ = 0;
};

// Runs one SQL query on `url` and returns the single value of its single row ("" for NULL).
// Fails the test on error.
std::string QueryValue(const std::string& url, const std::string& sql);
int64_t QueryInt(const std::string& url, const std::string& sql);
// Runs statements; fails the test on error.
void Execute(const std::string& url, const std::string& sql);
// md5 of all rows of `table` as text, ordered by id: equal fingerprints mean identical tables.
std::string TableFingerprint(const std::string& url, const std::string& table);

struct ProcessResult {
  int exit_code = -1;  // exit status, or -1 when killed by a signal
  int signal = 0;      // the terminating signal, or 0
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
};

// Runs the seedforge binary under test with `args`, no terminal on stdin/stdout/stderr, and the
// given environment changes (a value of std::nullopt unsets the variable). Waits for it.
ProcessResult RunSeedforge(const std::vector<std::string>& args,
                           const std::map<std::string, std::optional<std::string>>& env = {});

// RunSeedforge with the child's stdout opened (for writing) on `stdout_path` instead of being
// captured, e.g. "/dev/full" to see what a command does when its output cannot be written.
// `out` of the result stays empty.
ProcessResult RunSeedforgeWithStdout(
    const std::vector<std::string>& args, const std::string& stdout_path,
    const std::map<std::string, std::optional<std::string>>& env = {});

// A new database (see TestCluster::CreateDatabase) seeded by `seedforge seed --quiet` with the
// `default` profile and `seed_args` (e.g. {"--rows", "events=5000"}); fails the test if the seed
// fails. Returns its URI.
std::string SeededDatabase(std::string_view prefix, const std::vector<std::string>& seed_args = {});

// RunSeedforge with SEEDFORGE_PROFILE and SEEDFORGE_SEED unset (whatever the caller's
// environment), plus `env`.
ProcessResult RunSeedforgeClean(const std::vector<std::string>& args,
                                std::map<std::string, std::optional<std::string>> env = {});

// A new database (TestCluster::CreateDatabase) holding the tables of tests/schemas/`schema_file`,
// as an application's own migration creates them.
std::string DatabaseWithSchema(std::string_view prefix, const std::string& schema_file);

// A seedforge process running in the background, for kill and concurrency tests.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& args,
               const std::map<std::string, std::optional<std::string>>& env = {});
  ~ChildProcess();  // kills (SIGKILL) and reaps if still running
  void Signal(int signal_number);
  ProcessResult Wait();  // waits and returns exit status and captured output
  bool Running();        // false once it has exited (reaps it)
  // What the child has written to stdout so far (it may still be running).
  std::string OutputSoFar() const;
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  bool reaped_ = false;
  ProcessResult result_;
};

// A folder for SEEDFORGE_FAILPOINTS_DIR (core/failpoint.h): a child run with Env("P=pause")
// stops at failpoint P until the test, having seen it there (WaitUntilReached) and done what it
// needs in that state, lets it go on (Resume). One folder per child that pauses at a point of
// the same name as another child's. Not thread-safe.
class FailpointPauses {
 public:
  explicit FailpointPauses(std::string_view prefix);
  ~FailpointPauses();  // removes the folder
  FailpointPauses(const FailpointPauses&) = delete;
  FailpointPauses& operator=(const FailpointPauses&) = delete;

  // SEEDFORGE_FAILPOINTS=`spec` and SEEDFORGE_FAILPOINTS_DIR=this folder.
  std::map<std::string, std::optional<std::string>> Env(const std::string& spec) const;
  // Waits until `child` pauses at `point` ("name" or "name:detail", no "@N"). Returns false,
  // and fails the test naming the child's last stderr line, if the child ended first.
  bool WaitUntilReached(const std::string& point, ChildProcess& child) const;
  // Lets a child paused at `point` go on.
  void Resume(const std::string& point) const;

 private:
  std::string dir_;
};

// A new empty temporary directory, removed by the caller with RemoveTree.
std::string MakeTempDir(std::string_view prefix);
void RemoveTree(const std::string& path);
std::string ReadFile(const std::string& path);

}  // namespace seedforge::testing
