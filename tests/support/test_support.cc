// Test helpers: one real PostgreSQL server per test binary, SQL one-liners, and the seedforge
// binary as a subprocess.
//
// The server is the project's own embedded cluster (tools/embedded_cluster.h) in a fresh
// temporary folder, so the suites exercise the same code path as `seedforge up`. It is stopped and
// removed by TestCluster's destructor when the binary exits normally; a small watchdog shell
// process does the same if the binary dies (crash, SIGKILL from a ctest timeout), so no server is
// ever left behind holding 256 MB of shared buffers.
//
// Errors: the SQL helpers and CreateDatabase report the server's message with ADD_FAILURE and then
// throw std::runtime_error, which GoogleTest catches and reports, ending the current test (the
// caller never continues with a garbage value).
#include "tests/support/test_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sinks/postgres/connection.h"
#include "tools/embedded_cluster.h"

extern char** environ;

namespace seedforge::testing {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(const std::string& message) {
  ADD_FAILURE() << message;
  throw std::runtime_error(message);
}

ClusterOptions TestClusterOptions(const std::string& home) {
  ClusterOptions options;
  options.home = home;
  options.database = "postgres";  // made by initdb; tests create their own with CreateDatabase
  options.user = "postgres";
  options.log_progress = false;
  return options;
}

std::string UrlFor(const std::string& socket_dir, int port, const std::string& database) {
  ClusterInfo info;
  info.user = "postgres";
  info.database = database;
  info.socket_dir = socket_dir;
  info.port = port;
  return info.ConnectionUrl();
}

std::unique_ptr<PgConnection> Connect(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  if (!connection.ok()) {
    Fail(fmt::format("could not connect to {}: {}", url, connection.status().message()));
  }
  return std::move(connection).value();
}

// --- Processes ------------------------------------------------------------------------------

std::vector<std::string> MergedEnvironment(
    const std::map<std::string, std::optional<std::string>>& overrides) {
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string name(variable.substr(0, variable.find('=')));
    if (overrides.count(name) == 0) result.emplace_back(variable);
  }
  for (const auto& [name, value] : overrides) {
    if (value) result.push_back(name + "=" + *value);
  }
  return result;
}

std::string TempOutputPath(const char* stream) {
  std::string pattern =
      (fs::temp_directory_path() / fmt::format("seedforge-test-{}-XXXXXX", stream)).string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) Fail(fmt::format("mkstemp failed: {}", std::strerror(errno)));
  close(fd);
  return pattern;
}

// Starts SEEDFORGE_BINARY with stdin on /dev/null and stdout/stderr into the given files.
int Spawn(const std::vector<std::string>& args,
          const std::map<std::string, std::optional<std::string>>& env, const std::string& out_path,
          const std::string& err_path) {
  std::vector<std::string> argv_storage = {SEEDFORGE_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = MergedEnvironment(env);
  std::vector<char*> envp;
  for (std::string& variable : env_storage) envp.push_back(variable.data());
  envp.push_back(nullptr);

  const int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out_fd = open(out_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  const int err_fd = open(err_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
    const int error = errno;
    for (const int fd : {in_fd, out_fd, err_fd}) {
      if (fd >= 0) close(fd);
    }
    errno = error;
    Fail(fmt::format("could not open the child's files: {}", std::strerror(errno)));
  }
  const pid_t pid = fork();
  if (pid == 0) {
    if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0) {
      _exit(127);
    }
    close_range(3, ~0U, 0);
    execve(argv[0], argv.data(), envp.data());
    static const char kMessage[] = "test_support: exec of SEEDFORGE_BINARY failed\n";
    [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    _exit(127);
  }
  const int fork_error = errno;
  close(in_fd);
  close(out_fd);
  close(err_fd);
  if (pid < 0) Fail(fmt::format("fork failed: {}", std::strerror(fork_error)));
  return pid;
}

ProcessResult DecodeStatus(int wait_status) {
  ProcessResult result;
  if (WIFEXITED(wait_status)) {
    result.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    result.signal = WTERMSIG(wait_status);
  }
  return result;
}

// The wait status of `pid`, or nullopt if `options` has WNOHANG and it is still running.
std::optional<int> WaitFor(int pid, int options) {
  int wait_status = 0;
  for (;;) {
    const pid_t got = waitpid(pid, &wait_status, options);
    if (got == pid) return wait_status;
    if (got == 0) return std::nullopt;
    if (errno != EINTR) Fail(fmt::format("waitpid failed: {}", std::strerror(errno)));
  }
}

// Starts a process that outlives a crashed test binary: it waits for the end of a pipe that only
// this process holds, then stops the server (SIGINT to the postmaster is a fast shutdown, and
// needs no pg_ctl and no user switch) and removes the folders. Runs in its own session so a
// Ctrl-C on the test run does not kill it first.
void StartWatchdog(const std::string& home, const std::string& data_dir) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  static const char kScript[] =
      "cat >/dev/null\n"
      "pidfile=\"$2/postmaster.pid\"\n"
      "if [ -f \"$pidfile\" ]; then\n"
      "  pid=$(head -n 1 \"$pidfile\")\n"
      "  if kill -INT \"$pid\" 2>/dev/null; then\n"
      "    i=0\n"
      "    while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
      "  fi\n"
      "fi\n"
      "rm -rf \"$1\" \"$2\"\n";
  const std::string data_parent = fs::path(data_dir).parent_path().string();
  // The data folder's parent is the home itself, or /var/lib/seedforge/<x> when root could not
  // lend the home to `postgres`; remove it in both cases.
  std::vector<std::string> storage = {"/bin/sh", "-c",
                                      kScript,   "seedforge-test-watchdog",
                                      home,      data_parent == home ? data_dir : data_parent};
  std::vector<char*> argv;
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    if (dup2(pipe_fds[0], STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0 ||
        dup2(null_fd, STDERR_FILENO) < 0) {
      _exit(127);
    }
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[0]);
  if (null_fd >= 0) close(null_fd);
  // The write end stays open (close-on-exec) until this process ends.
  if (pid < 0) close(pipe_fds[1]);
}

std::mutex& DatabaseCounterMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

// --- TestCluster -----------------------------------------------------------------------------

TestCluster& TestCluster::Get() {
  static TestCluster cluster;  // the destructor runs at exit and stops the server
  return cluster;
}

TestCluster::TestCluster() {
  home_ = MakeTempDir("seedforge-test");
  // mkdtemp makes 0700; the server user must be able to enter it when the tests run as root.
  chmod(home_.c_str(), 0755);
  StatusOr<ClusterInfo> info = StartCluster(TestClusterOptions(home_));
  if (!info.ok()) {
    fmt::print(stderr, "test_support: could not start the test PostgreSQL cluster in {}: {}\n",
               home_, info.status().message());
    (void)StopCluster(TestClusterOptions(home_));
    RemoveTree(home_);
    std::exit(1);
  }
  socket_dir_ = info->socket_dir;
  port_ = info->port;
  password_file_ = info->password_file;
  StartWatchdog(home_, info->data_dir);
}

TestCluster::~TestCluster() {
  const Status stopped = StopCluster(TestClusterOptions(home_));
  if (!stopped.ok()) {
    fmt::print(stderr, "test_support: stopping the test cluster failed: {}\n", stopped.message());
  }
  // As root with an unreachable temp folder the cluster lives under /var/lib/seedforge.
  const std::string location = ReadFile(home_ + "/cluster-location");
  if (!location.empty()) RemoveTree(location.substr(0, location.find('\n')));
  RemoveTree(home_);
}

std::string TestCluster::CreateDatabase(std::string_view prefix) {
  int counter = 0;
  {
    std::lock_guard<std::mutex> lock(DatabaseCounterMutex());
    counter = ++database_counter_;
  }
  const std::string name = fmt::format("{}_{}_{}", prefix, getpid(), counter);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  Execute(AdminUrl(), "CREATE DATABASE " + quoted);
  return UrlFor(socket_dir_, port_, name);
}

std::string TestCluster::AdminUrl() const { return UrlFor(socket_dir_, port_, "postgres"); }

void TestCluster::StopServer() {
  const Status stopped = StopCluster(TestClusterOptions(home_));
  if (!stopped.ok()) Fail("stopping the test server failed: " + stopped.message());
}

void TestCluster::StartServer() {
  StatusOr<ClusterInfo> info = StartCluster(TestClusterOptions(home_));
  if (!info.ok()) Fail("starting the test server failed: " + info.status().message());
  socket_dir_ = info->socket_dir;
  port_ = info->port;
}

// --- SQL -------------------------------------------------------------------------------------

std::string QueryValue(const std::string& url, const std::string& sql) {
  auto result = Connect(url)->Query(sql);
  if (!result.ok())
    Fail(fmt::format("SQL failed: {}\n  statement: {}", result.status().message(), sql));
  if (result->rows.size() != 1 || result->rows[0].size() != 1) {
    Fail(fmt::format("expected one row with one column, got {} rows and {} columns from: {}",
                     result->rows.size(), result->column_names.size(), sql));
  }
  return result->rows[0][0].value_or("");
}

int64_t QueryInt(const std::string& url, const std::string& sql) {
  const std::string text = QueryValue(url, sql);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Fail(fmt::format("expected an integer, got \"{}\" from: {}", text, sql));
  }
  return value;
}

void Execute(const std::string& url, const std::string& sql) {
  const Status status = Connect(url)->Execute(sql);
  if (!status.ok()) Fail(fmt::format("SQL failed: {}\n  statement: {}", status.message(), sql));
}

std::string TableFingerprint(const std::string& url, const std::string& table) {
  return QueryValue(url, fmt::format("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), "
                                     "'')) FROM {} t",
                                     table));
}

// --- Processes -------------------------------------------------------------------------------

ProcessResult RunSeedforge(const std::vector<std::string>& args,
                           const std::map<std::string, std::optional<std::string>>& env) {
  ChildProcess child(args, env);
  return child.Wait();
}

ProcessResult RunSeedforgeWithStdout(const std::vector<std::string>& args,
                                     const std::string& stdout_path,
                                     const std::map<std::string, std::optional<std::string>>& env) {
  const std::string err_path = TempOutputPath("err");
  const int pid = Spawn(args, env, stdout_path, err_path);
  ProcessResult result = DecodeStatus(*WaitFor(pid, 0));
  result.err = ReadFile(err_path);
  std::error_code ignored;
  fs::remove(err_path, ignored);
  return result;
}

ProcessResult RunSeedforgeClean(const std::vector<std::string>& args,
                                std::map<std::string, std::optional<std::string>> env) {
  env.emplace("SEEDFORGE_PROFILE", std::nullopt);
  env.emplace("SEEDFORGE_SEED", std::nullopt);
  return RunSeedforge(args, env);
}

std::string DatabaseWithSchema(std::string_view prefix, const std::string& schema_file) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  Execute(url, ReadFile(std::string(SEEDFORGE_SOURCE_DIR) + "/tests/schemas/" + schema_file));
  return url;
}

std::string SeededDatabase(std::string_view prefix, const std::vector<std::string>& seed_args) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  std::vector<std::string> args = {"seed", "--db", url, "--quiet"};
  args.insert(args.end(), seed_args.begin(), seed_args.end());
  const ProcessResult result = RunSeedforge(args);
  if (result.exit_code != 0) Fail("seedforge seed failed: " + result.err);
  return url;
}

ChildProcess::ChildProcess(const std::vector<std::string>& args,
                           const std::map<std::string, std::optional<std::string>>& env)
    : out_path_(TempOutputPath("out")), err_path_(TempOutputPath("err")) {
  pid_ = Spawn(args, env, out_path_, err_path_);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    int wait_status = 0;
    while (waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  std::error_code ignored;
  fs::remove(out_path_, ignored);
  fs::remove(err_path_, ignored);
}

void ChildProcess::Signal(int signal_number) {
  if (pid_ > 0 && !reaped_) kill(pid_, signal_number);
}

ProcessResult ChildProcess::Wait() {
  if (!reaped_) {
    result_ = DecodeStatus(*WaitFor(pid_, 0));
    reaped_ = true;
  }
  result_.out = ReadFile(out_path_);
  result_.err = ReadFile(err_path_);
  return result_;
}

std::string ChildProcess::OutputSoFar() const { return ReadFile(out_path_); }

bool ChildProcess::Running() {
  if (reaped_) return false;
  const std::optional<int> wait_status = WaitFor(pid_, WNOHANG);
  if (!wait_status) return true;
  result_ = DecodeStatus(*wait_status);
  reaped_ = true;
  return false;
}

// --- Failpoint pauses ------------------------------------------------------------------------

FailpointPauses::FailpointPauses(std::string_view prefix) : dir_(MakeTempDir(prefix)) {}

FailpointPauses::~FailpointPauses() { RemoveTree(dir_); }

std::map<std::string, std::optional<std::string>> FailpointPauses::Env(
    const std::string& spec) const {
  return {{"SEEDFORGE_FAILPOINTS", spec}, {"SEEDFORGE_FAILPOINTS_DIR", dir_}};
}

bool FailpointPauses::WaitUntilReached(const std::string& point, ChildProcess& child) const {
  // Waits for a state (the file), not for a time: the child either creates it or ends.
  const std::string reached = dir_ + "/" + point + ".reached";
  while (child.Running()) {
    if (::access(reached.c_str(), F_OK) == 0) return true;
    ::usleep(1000);
  }
  const std::string err = child.Wait().err;
  ADD_FAILURE() << "the run ended before it paused at " << point << ": " << err;
  return false;
}

void FailpointPauses::Resume(const std::string& point) const {
  std::ofstream(dir_ + "/" + point + ".resume") << "\n";
}

// --- Files -----------------------------------------------------------------------------------

std::string MakeTempDir(std::string_view prefix) {
  std::string pattern = (fs::temp_directory_path() / fmt::format("{}-XXXXXX", prefix)).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    Fail(fmt::format("mkdtemp({}) failed: {}", pattern, std::strerror(errno)));
  }
  return pattern;
}

void RemoveTree(const std::string& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

// Returns the file's bytes, or "" if it cannot be read.
std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace seedforge::testing
