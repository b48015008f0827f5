// Running the server programs (initdb, pg_ctl) as the server's user, and finding them; small text
// and file helpers the cluster's files share. See embedded_cluster.cc for the design.
#include "tools/cluster_internal.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace seedforge::cluster_detail {

// ---------------------------------------------------------------------------------------------
// Small text and file helpers.

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string ErrnoText(int error) { return std::strerror(error); }

std::optional<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last `count` non-empty lines of `text`, joined with " | " so a Status stays one line.
std::string LastLines(std::string_view text, int count) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = Trim(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  const size_t keep = std::min(lines.size(), static_cast<size_t>(count));
  std::string joined;
  for (size_t i = lines.size() - keep; i < lines.size(); ++i) {
    if (!joined.empty()) joined += " | ";
    joined += lines[i];
  }
  return joined;
}

uintmax_t FileSize(const fs::path& path) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  return error ? 0 : size;
}

// The last lines the server wrote to `log_file` after byte `from` (its size before our start
// attempt, so earlier runs do not show), or the last lines overall if it wrote none.
std::string LogTail(const fs::path& log_file, uintmax_t from) {
  std::ifstream in(log_file, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uintmax_t>(std::max<std::streamoff>(0, in.tellg()));
  if (from >= size) from = 0;
  // Only the end matters: read at most the last 64 KiB.
  if (size - from > 65536) from = size - 65536;
  in.seekg(static_cast<std::streamoff>(from));
  std::ostringstream text;
  text << in.rdbuf();
  return LastLines(text.str(), kLogTailLines);
}

// 32-bit FNV-1a: a stable, dependency-free name for a home path.
uint32_t HashPath(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (const char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 16777619u;
  }
  return hash;
}

// Percent-encodes everything but RFC 3986 unreserved characters (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~' || (keep_slash && byte == '/');
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

void Progress(const ClusterOptions& options, std::string_view line) {
  if (options.log_progress) fmt::print(stderr, "seedforge: {}\n", line);
}

// ---------------------------------------------------------------------------------------------
// Who the server programs run as.

StatusOr<Identity> ServerIdentity() {
  Identity identity;
  if (geteuid() != 0) return identity;
  long buffer_size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(buffer_size > 0 ? static_cast<size_t>(buffer_size) : 16384);
  passwd entry{};
  passwd* found = nullptr;
  while (getpwnam_r(kServerUser, &entry, buffer.data(), buffer.size(), &found) == ERANGE) {
    buffer.resize(buffer.size() * 2);
  }
  if (found == nullptr) {
    return FailedPrecondition(
        "running as root, but the system user 'postgres' does not exist; PostgreSQL refuses to "
        "run as root (install the 'postgresql' package, which creates the user, or run seedforge "
        "as a normal user)");
  }
  identity.switch_user = true;
  identity.uid = entry.pw_uid;
  identity.gid = entry.pw_gid;
  identity.home_dir = entry.pw_dir;
  // getgrouplist here, setgroups in the child: initgroups itself reads /etc/group, which is not
  // safe between fork and exec.
  int count = 32;
  identity.groups.resize(static_cast<size_t>(count));
  while (getgrouplist(kServerUser, entry.pw_gid, identity.groups.data(), &count) < 0) {
    identity.groups.resize(static_cast<size_t>(count) + 32);
    count = static_cast<int>(identity.groups.size());
  }
  identity.groups.resize(static_cast<size_t>(count));
  return identity;
}

// In a forked child: become `postgres`. Async-signal-safe. Returns false on failure.
bool SwitchUserInChild(const Identity& identity) {
  if (!identity.switch_user) return true;
  return setgroups(identity.groups.size(), identity.groups.data()) == 0 &&
         setgid(identity.gid) == 0 && setuid(identity.uid) == 0;
}

Status ChownToServerUser(const fs::path& path, const Identity& identity) {
  if (!identity.switch_user) return Status::Ok();
  if (chown(path.c_str(), identity.uid, identity.gid) != 0) {
    return IoError(fmt::format("could not give {} to user '{}': {}", path.string(), kServerUser,
                               ErrnoText(errno)));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Running the server programs.

// The environment of the server programs: ours, with a C locale (stable messages, no locale
// surprises in initdb), no PG* variables (they would override our explicit options), and, when
// the child becomes `postgres`, that user's HOME/USER/LOGNAME.
std::vector<std::string> ChildEnvironment(const Identity& identity) {
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (variable.starts_with("LC_") || variable.starts_with("LANG=") ||
        variable.starts_with("LANGUAGE=") || variable.starts_with("PG")) {
      continue;
    }
    if (identity.switch_user && (variable.starts_with("HOME=") || variable.starts_with("USER=") ||
                                 variable.starts_with("LOGNAME="))) {
      continue;
    }
    result.emplace_back(variable);
  }
  result.emplace_back("LC_ALL=C");
  result.emplace_back("LANG=C");
  if (identity.switch_user) {
    result.push_back("HOME=" + identity.home_dir);
    result.push_back(std::string("USER=") + kServerUser);
    result.push_back(std::string("LOGNAME=") + kServerUser);
  }
  return result;
}

// Writes "<prefix><errno>\n" to stderr. Async-signal-safe.
void ChildFailure(const char* prefix) {
  const int error = errno;
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, error);
  (void)ec;
  [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, prefix, std::strlen(prefix));
  ignored = write(STDERR_FILENO, digits, static_cast<size_t>(end - digits));
  ignored = write(STDERR_FILENO, "\n", 1);
}

// Runs `argv` (argv[0] an absolute path) as the server user, in "/", and waits for it.
StatusOr<ProgramResult> RunProgram(const std::vector<std::string>& argv, const Identity& identity) {
  const int capture = memfd_create("seedforge-child-output", MFD_CLOEXEC);
  if (capture < 0) return Internal(fmt::format("memfd_create failed: {}", ErrnoText(errno)));
  const int null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_input < 0) {
    close(capture);
    return Internal(fmt::format("could not open /dev/null: {}", ErrnoText(errno)));
  }

  std::vector<char*> child_argv;
  for (const std::string& arg : argv) child_argv.push_back(const_cast<char*>(arg.c_str()));
  child_argv.push_back(nullptr);
  const std::vector<std::string> environment = ChildEnvironment(identity);
  std::vector<char*> child_envp;
  for (const std::string& variable : environment) {
    child_envp.push_back(const_cast<char*>(variable.c_str()));
  }
  child_envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(capture);
    close(null_input);
    return Internal(fmt::format("could not start {}: {}", argv[0], ErrnoText(error)));
  }
  if (pid == 0) {
    // dup2 clears close-on-exec on the copies, and only on them.
    if (dup2(null_input, STDIN_FILENO) < 0 || dup2(capture, STDOUT_FILENO) < 0 ||
        dup2(capture, STDERR_FILENO) < 0) {
      _exit(127);
    }
    close_range(3, ~0U, 0);  // nothing else of ours leaks into the server
    if (!SwitchUserInChild(identity)) {
      ChildFailure("seedforge: could not switch to user postgres, errno ");
      _exit(127);
    }
    if (chdir("/") != 0) _exit(127);
    execve(child_argv[0], child_argv.data(), child_envp.data());
    ChildFailure("seedforge: exec failed, errno ");
    _exit(127);
  }
  close(null_input);

  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) {
      const int error = errno;
      close(capture);
      return Internal(fmt::format("waiting for {} failed: {}", argv[0], ErrnoText(error)));
    }
  }
  ProgramResult result;
  result.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (lseek(capture, 0, SEEK_SET) == 0) {
    char buffer[4096];
    ssize_t got = 0;
    while ((got = read(capture, buffer, sizeof buffer)) > 0) {
      result.output.append(buffer, static_cast<size_t>(got));
    }
  }
  close(capture);
  return result;
}

// In a child that becomes `postgres`: can it search its way into `home`?
bool ServerUserCanReach(const fs::path& home, const Identity& identity) {
  if (!identity.switch_user) return true;
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (!SwitchUserInChild(identity)) _exit(2);
    _exit(access(home.c_str(), X_OK) == 0 ? 0 : 1);
  }
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

// ---------------------------------------------------------------------------------------------
// Finding the server programs.

bool HasServerPrograms(const fs::path& bin) {
  return access((bin / "initdb").c_str(), X_OK) == 0 && access((bin / "pg_ctl").c_str(), X_OK) == 0;
}

// The folder holding initdb and pg_ctl: $SEEDFORGE_PG_BIN, else the Debian folder of the
// cluster's own major version when it already exists, else the newest installed one.
StatusOr<fs::path> FindServerPrograms(const std::optional<std::string>& cluster_version) {
  if (const char* override_bin = std::getenv("SEEDFORGE_PG_BIN");
      override_bin != nullptr && *override_bin != '\0') {
    if (!HasServerPrograms(override_bin)) {
      return FailedPrecondition(fmt::format(
          "SEEDFORGE_PG_BIN={} does not contain executable initdb and pg_ctl", override_bin));
    }
    return fs::path(override_bin);
  }
  std::vector<std::pair<int, fs::path>> installed;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(kDebianServerRoot, error)) {
    const std::string name = entry.path().filename().string();
    int major = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), major);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    if (HasServerPrograms(entry.path() / "bin"))
      installed.emplace_back(major, entry.path() / "bin");
  }
  if (installed.empty()) {
    return FailedPrecondition(
        "PostgreSQL server programs not found (looked in /usr/lib/postgresql/*/bin); install the "
        "'postgresql' package or set SEEDFORGE_PG_BIN");
  }
  std::sort(installed.begin(), installed.end());
  if (!cluster_version) return installed.back().second;
  for (const auto& [major, bin] : installed) {
    if (std::to_string(major) == *cluster_version) return bin;
  }
  return FailedPrecondition(fmt::format(
      "the cluster was created by PostgreSQL {0}, whose server programs are not installed "
      "(newest found: {1}); install the 'postgresql-{0}' package or set SEEDFORGE_PG_BIN",
      *cluster_version, installed.back().second.string()));
}

}  // namespace seedforge::cluster_detail
