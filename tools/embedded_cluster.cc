// The embedded PostgreSQL cluster: initdb, pg_ctl and a database, driven from C++.
//
// Everything here shells out to Debian's server programs (initdb, pg_ctl) rather than linking the
// server: the programs are the supported interface, and `pg_ctl -w` already knows how to wait for
// a server to come up. Each program runs as a child with stdin on /dev/null and stdout+stderr
// captured in an anonymous in-memory file, so a failure can quote what the program said. A file,
// not a pipe: `pg_ctl start` leaves a postmaster behind, and a postmaster that inherited the
// write end of a pipe would keep us from ever seeing end-of-file.
//
// PostgreSQL refuses to run as root. When we are root every child switches to the `postgres`
// system user between fork and exec (setgroups/setgid/setuid: no sudo, no runuser), and the
// folders it writes (data/, run/) belong to that user. If `postgres` cannot reach <home> (a
// checkout under /root, mode 0700), data/ and run/ go to /var/lib/seedforge/<name>-<hash>/
// instead and <home>/cluster-location records where: we never chmod the user's own folders.
//
// Between fork and exec the child calls only async-signal-safe functions (the caller may have
// worker threads), so everything it needs (argv, envp, the group list) is prepared beforehand.
//
// Who may connect. The socket folder (run/, or /tmp/seedforge-<hash>) is 0700 and belongs to the
// server's user, so the socket can trust: only that user and root can reach it. TCP asks for the
// superuser's password (scram-sha-256), 24 bytes from getrandom(2) kept in <home>/pgpass, a libpq
// password file (0600, owned by whoever made the cluster) that every URL we hand out names with
// `passfile=`. The password is set with ALTER ROLE ... PASSWORD and a SCRAM verifier computed
// here (PQencryptPasswordConn), so the plain text never reaches the server or its log.
#include "tools/embedded_cluster.h"

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

namespace seedforge {
namespace {

namespace fs = std::filesystem;

constexpr const char* kServerUser = "postgres";
constexpr const char* kDebianServerRoot = "/usr/lib/postgresql";
constexpr const char* kRootFallbackRoot = "/var/lib/seedforge";
constexpr const char* kConfFileName = "seedforge.conf";
constexpr const char* kIncludeLine = "include_if_exists = 'seedforge.conf'";
constexpr const char* kPasswordFileName = "pgpass";
constexpr size_t kPasswordBytes = 24;  // 192 bits, written as 48 hex digits
constexpr int kStartTimeoutSeconds = 60;
constexpr int kLogTailLines = 5;
// sizeof(sockaddr_un::sun_path) less the terminating NUL: the longest unix socket path.
constexpr size_t kMaxSocketPath = 107;

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

struct Identity {
  bool switch_user = false;  // we are root: children become `postgres`
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups of `postgres` (what initgroups would set)
  std::string home_dir;       // `postgres`'s home, for HOME in the children's environment
};

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

struct ProgramResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

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

// ---------------------------------------------------------------------------------------------
// Where things live.

struct Layout {
  fs::path home;           // absolute
  fs::path base;           // holds data/ and run/: home, or /var/lib/seedforge/<name>-<hash>
  fs::path data;           // PGDATA
  fs::path run;            // postgres.log, and normally the socket
  fs::path socket_dir;     // run/, or /tmp/seedforge-<hash> when run/ makes too long a path
  fs::path log_file;       // run/postgres.log
  fs::path port_file;      // <home>/port
  fs::path location_file;  // <home>/cluster-location
  fs::path password_file;  // <home>/pgpass
};

StatusOr<fs::path> AbsoluteHome(const std::string& home) {
  if (home.empty()) return InvalidArgument("the cluster home folder is empty");
  std::error_code error;
  fs::path path = fs::absolute(home, error);
  if (error) {
    return IoError(fmt::format("could not resolve the cluster home {}: {}", home, error.message()));
  }
  path = path.lexically_normal();
  if (path.has_parent_path() && !path.has_filename()) path = path.parent_path();  // "x/" -> "x"
  return path;
}

std::string HomeHash(const fs::path& home) {
  return fmt::format("{:08x}", HashPath(home.string()));
}

// "<parent>-<home without leading dots>", e.g. "myapp-seedforge" for /root/myapp/.seedforge.
std::string SanitizedName(const fs::path& home) {
  std::string leaf = home.filename().string();
  leaf.erase(0, leaf.find_first_not_of('.'));
  std::string name = home.parent_path().filename().string();
  if (!leaf.empty()) name += (name.empty() ? "" : "-") + leaf;
  for (char& c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    if (!keep) c = '_';
  }
  name.erase(0, name.find_first_not_of('.'));
  if (name.size() > 48) name.resize(48);
  return name.empty() ? "home" : name;
}

Layout LayoutAt(const fs::path& home, const fs::path& base) {
  Layout layout;
  layout.home = home;
  layout.base = base;
  layout.data = base / "data";
  layout.run = base / "run";
  layout.log_file = layout.run / "postgres.log";
  layout.port_file = home / "port";
  layout.location_file = home / "cluster-location";
  layout.password_file = home / kPasswordFileName;
  // The socket is "<dir>/.s.PGSQL.<port>" and must fit in sun_path.
  const size_t socket_path = layout.run.string().size() + std::strlen("/.s.PGSQL.65535");
  layout.socket_dir = socket_path <= kMaxSocketPath
                          ? layout.run
                          : fs::path(fmt::format("/tmp/seedforge-{}", HomeHash(home)));
  return layout;
}

// The layout recorded for `home`: <home>/cluster-location if present, else <home> itself.
StatusOr<Layout> RecordedLayout(const fs::path& home) {
  const fs::path location_file = home / "cluster-location";
  const std::optional<std::string> location = ReadWholeFile(location_file);
  if (!location) return LayoutAt(home, home);
  const fs::path base = Trim(*location);
  if (!base.is_absolute()) {
    return FailedPrecondition(
        fmt::format("{} does not hold an absolute path", location_file.string()));
  }
  return LayoutAt(home, base);
}

std::optional<std::string> ClusterVersion(const Layout& layout) {
  const std::optional<std::string> text = ReadWholeFile(layout.data / "PG_VERSION");
  if (!text) return std::nullopt;
  return Trim(*text);
}

// Creates `path` if it is missing, gives it to the server user and sets `mode` (also on a folder
// an older seedforge made with a wider mode).
Status MakeServerFolder(const fs::path& path, mode_t mode, const Identity& identity) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return IoError(fmt::format("could not create {}: {}", path.string(), ErrnoText(errno)));
  }
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return FailedPrecondition(fmt::format("{} exists but is not a folder", path.string()));
  }
  SF_RETURN_IF_ERROR(ChownToServerUser(path, identity));
  // The umask may have taken bits away, and an older folder may have more.
  if ((info.st_mode & 07777) != mode && chmod(path.c_str(), mode) != 0) {
    return IoError(
        fmt::format("could not set the mode of {}: {}", path.string(), ErrnoText(errno)));
  }
  return Status::Ok();
}

Status WriteFileReplacing(const fs::path& path, std::string_view contents,
                          const Identity* owner = nullptr) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
    out.close();
    if (!out) return IoError(fmt::format("could not write {}", temporary.string()));
  }
  if (owner != nullptr) SF_RETURN_IF_ERROR(ChownToServerUser(temporary, *owner));
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    return IoError(fmt::format("could not write {}: {}", path.string(), error.message()));
  }
  return Status::Ok();
}

// Decides where data/ and run/ live for a new or existing cluster, and creates the folders.
StatusOr<Layout> PrepareLayout(const fs::path& home, const Identity& identity) {
  std::error_code error;
  fs::create_directories(home, error);
  if (error) {
    return IoError(
        fmt::format("could not create the cluster home {}: {}", home.string(), error.message()));
  }
  SF_ASSIGN_OR_RETURN(Layout layout, RecordedLayout(home));
  const bool move_out = !fs::exists(layout.location_file) && identity.switch_user &&
                        !fs::exists(layout.data / "PG_VERSION") &&
                        !ServerUserCanReach(home, identity);
  if (move_out) {
    layout =
        LayoutAt(home, fs::path(kRootFallbackRoot) / (SanitizedName(home) + "-" + HomeHash(home)));
  }
  if (layout.base != home) {
    fs::create_directories(layout.base.parent_path(), error);
    if (error) {
      return IoError(fmt::format("could not create {}: {}", layout.base.parent_path().string(),
                                 error.message()));
    }
    SF_RETURN_IF_ERROR(MakeServerFolder(layout.base, 0755, identity));
  }
  if (move_out) {
    SF_RETURN_IF_ERROR(WriteFileReplacing(layout.location_file, layout.base.string() + "\n"));
    // Said whatever log_progress is, and only this once: the user must learn where the data is.
    fmt::print(stderr,
               "seedforge: the 'postgres' user cannot reach {} (PostgreSQL refuses to run as "
               "root), so the cluster lives in {} (recorded in {})\n",
               home.string(), layout.base.string(), layout.location_file.string());
  }
  SF_RETURN_IF_ERROR(MakeServerFolder(layout.data, 0700, identity));
  // 0700: the socket trusts whoever can reach it, so only the server's user (and root) may.
  SF_RETURN_IF_ERROR(MakeServerFolder(layout.run, 0700, identity));
  if (layout.socket_dir != layout.run) {
    // In /tmp anyone could have made it first: refuse a folder of another user before taking it.
    struct stat info {};
    if (lstat(layout.socket_dir.c_str(), &info) == 0 &&
        (!S_ISDIR(info.st_mode) ||
         (info.st_uid != geteuid() && !(identity.switch_user && info.st_uid == identity.uid)))) {
      return FailedPrecondition(fmt::format(
          "{} (the socket folder, used because {} is too long for a unix socket path) belongs "
          "to another user",
          layout.socket_dir.string(), layout.run.string()));
    }
    SF_RETURN_IF_ERROR(MakeServerFolder(layout.socket_dir, 0700, identity));
  }
  return layout;
}

// ---------------------------------------------------------------------------------------------
// Ports and configuration.

StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Internal(fmt::format("socket() failed: {}", ErrnoText(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(fd);
    return Internal(fmt::format("could not find a free port on 127.0.0.1: {}", ErrnoText(error)));
  }
  close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

// True if nothing listens on (or holds) 127.0.0.1:port. SO_REUSEADDR, as the server sets it, so
// that connections in TIME_WAIT from an earlier run do not count.
bool PortIsFree(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

int ParsePort(std::string_view text) {
  const std::string trimmed = Trim(text);
  int port = 0;
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), port);
  if (ec != std::errc() || end != trimmed.data() + trimmed.size()) return 0;
  return port > 0 && port < 65536 ? port : 0;
}

int StoredPort(const Layout& layout) {
  const std::optional<std::string> text = ReadWholeFile(layout.port_file);
  return text ? ParsePort(*text) : 0;
}

std::string ConfQuote(const std::string& value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

// The settings seedforge manages, rewritten before every start (the port may have changed).
// They are tuned for bulk COPY into a disposable development cluster:
//  - wal_level=minimal and no WAL senders: no replicas, and a COPY into a table created or
//    truncated in the same transaction can skip WAL altogether.
//  - synchronous_commit=off: a COMMIT returns before its WAL reaches the disk. This is safe for a
//    seeding tool: if seedforge itself crashes or is killed, every batch the server acknowledged
//    is still committed (the server is still running and flushes within ~200 ms); only a crash of
//    the server or the machine can lose the last few hundred milliseconds of commits, and the
//    database stays consistent, so the next run simply re-creates those rows. fsync stays on: a
//    crash must never corrupt the cluster.
//  - large shared_buffers, maintenance_work_mem (index builds after loads) and max_wal_size with
//    a long checkpoint_timeout, so checkpoints do not interrupt a load.
std::string ConfText(const Layout& layout, int port) {
  return fmt::format(
      "# Managed by seedforge: rewritten on every start of the embedded cluster.\n"
      "# Your own settings belong in postgresql.auto.conf (ALTER SYSTEM), which is read later.\n"
      "listen_addresses = '127.0.0.1'\n"
      "port = {}\n"
      "unix_socket_directories = {}\n"
      "# Bulk loading into a development cluster: no replicas, minimal WAL.\n"
      "wal_level = minimal\n"
      "max_wal_senders = 0\n"
      "# A crash of seedforge cannot lose committed rows; a crash of the server can lose only\n"
      "# the last few hundred milliseconds of commits, never consistency (fsync stays on).\n"
      "synchronous_commit = off\n"
      "fsync = on\n"
      "shared_buffers = 256MB\n"
      "maintenance_work_mem = 256MB\n"
      "max_wal_size = 4GB\n"
      "checkpoint_timeout = 30min\n",
      port, ConfQuote(layout.socket_dir.string()));
}

// Makes postgresql.conf include seedforge.conf (once), then (re)writes seedforge.conf.
Status WriteSettings(const Layout& layout, int port, const Identity& identity) {
  const fs::path main_conf = layout.data / "postgresql.conf";
  const std::optional<std::string> text = ReadWholeFile(main_conf);
  if (!text) return IoError(fmt::format("could not read {}", main_conf.string()));
  if (text->find(kIncludeLine) == std::string::npos) {
    std::ofstream out(main_conf, std::ios::binary | std::ios::app);
    out << "\n# Added by seedforge: the settings it manages (port, socket, WAL, memory).\n"
        << kIncludeLine << "\n";
    out.close();
    if (!out) return IoError(fmt::format("could not write {}", main_conf.string()));
  }
  return WriteFileReplacing(layout.data / kConfFileName, ConfText(layout, port), &identity);
}

// ---------------------------------------------------------------------------------------------
// Who may connect: pg_hba.conf and the superuser's password.

// pg_hba.conf, rewritten before every start. The socket trusts because its folder is 0700 and
// belongs to the server's user (PrepareLayout); TCP needs the password in <home>/pgpass.
constexpr const char* kHbaText =
    "# Managed by seedforge: rewritten on every start of the embedded cluster.\n"
    "# The unix socket's folder is reachable only by the server's user (mode 0700), so the\n"
    "# socket trusts; TCP needs the superuser's password (the cluster's pgpass file).\n"
    "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
    "local   all       all                 trust\n"
    "host    all       all   127.0.0.1/32  scram-sha-256\n"
    "host    all       all   ::1/128       scram-sha-256\n";

// Writes pg_hba.conf unless it already says exactly kHbaText. Returns true when it changed.
StatusOr<bool> WriteHba(const Layout& layout, const Identity& identity) {
  const fs::path path = layout.data / "pg_hba.conf";
  if (ReadWholeFile(path).value_or("") == kHbaText) return false;
  SF_RETURN_IF_ERROR(WriteFileReplacing(path, kHbaText, &identity));
  return true;
}

// A field of a libpq password file: ':' and '\' are escaped with '\'.
std::string PassFileField(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Any port: the cluster moves to another one when its port is taken.
std::string PassFileText(const std::string& user, const std::string& password) {
  const std::string rest = ":*:*:" + PassFileField(user) + ":" + password + "\n";
  return "# Managed by seedforge: the embedded cluster's superuser password (libpq password "
         "file).\n127.0.0.1" +
         rest + "localhost" + rest;
}

StatusOr<std::string> RandomPassword() {
  unsigned char bytes[kPasswordBytes];
  size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t read = getrandom(bytes + got, sizeof bytes - got, 0);
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) return Internal(fmt::format("getrandom failed: {}", ErrnoText(errno)));
    got += static_cast<size_t>(read);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string password;
  for (const unsigned char byte : bytes) {
    password += kHex[byte >> 4];
    password += kHex[byte & 15];
  }
  return password;
}

// The password of the first entry of a password file we wrote (the text after the last ':').
std::optional<std::string> PasswordIn(std::string_view text) {
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string password = line.substr(colon + 1);
    const bool hex = password.size() == 2 * kPasswordBytes &&
                     password.find_first_not_of("0123456789abcdef") == std::string::npos;
    return hex ? std::optional<std::string>(std::move(password)) : std::nullopt;
  }
  return std::nullopt;
}

struct Password {
  std::string text;
  bool created_now = false;  // written in this call: the server does not know it yet
};

// Reads <home>/pgpass, or makes it (0600) with a new random password. Two processes making it at
// once agree: each writes its own temporary file and link(2) lets only the first one in.
StatusOr<Password> EnsurePasswordFile(const Layout& layout, const std::string& user) {
  const fs::path& path = layout.password_file;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (const std::optional<std::string> text = ReadWholeFile(path)) {
      std::optional<std::string> password = PasswordIn(*text);
      if (!password) {
        return FailedPrecondition(fmt::format(
            "{} does not hold a password seedforge wrote; remove it and run 'seedforge up' to "
            "set a new one",
            path.string()));
      }
      struct stat info {};
      // libpq ignores a password file that others may read; an older copy may have been widened.
      if (stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0 &&
          chmod(path.c_str(), 0600) != 0) {
        return IoError(
            fmt::format("could not make {} private: {}", path.string(), ErrnoText(errno)));
      }
      return Password{std::move(*password), false};
    }
    SF_ASSIGN_OR_RETURN(const std::string password, RandomPassword());
    const std::string temporary = fmt::format("{}.tmp-{}", path.string(), getpid());
    const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      return IoError(fmt::format("could not create {}: {}", temporary, ErrnoText(errno)));
    }
    const std::string text = PassFileText(user, password);
    const bool written = fchmod(fd, 0600) == 0 &&
                         write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                         fsync(fd) == 0;
    const int error = errno;
    close(fd);
    const bool linked = written && link(temporary.c_str(), path.c_str()) == 0;
    const int link_error = errno;
    unlink(temporary.c_str());
    if (!written) {
      return IoError(fmt::format("could not write {}: {}", temporary, ErrnoText(error)));
    }
    if (linked) return Password{password, true};
    if (link_error != EEXIST) {
      return IoError(fmt::format("could not create {}: {}", path.string(), ErrnoText(link_error)));
    }
    // Another process made it first: read theirs.
  }
  return Internal(fmt::format("could not read or create {}", path.string()));
}

// ---------------------------------------------------------------------------------------------
// Server state.

struct ServerState {
  bool running = false;        // pg_ctl status says so and the socket accepts connections
  bool process_alive = false;  // pg_ctl status says a postmaster exists
  int port = 0;                // from postmaster.pid while a postmaster exists
  std::string socket_dir;      // idem
};

PGPing PingServer(const std::string& socket_dir, int port, const std::string& user) {
  const std::string port_text = std::to_string(port);
  const char* keys[] = {"host", "port", "dbname", "user", "connect_timeout", nullptr};
  const char* values[] = {
      socket_dir.c_str(), port_text.c_str(), "postgres", user.c_str(), "5", nullptr};
  return PQpingParams(keys, values, 0);
}

StatusOr<ServerState> QueryServerState(const Layout& layout, const fs::path& bin,
                                       const Identity& identity, const std::string& user) {
  ServerState state;
  if (!fs::exists(layout.data / "PG_VERSION")) return state;
  SF_ASSIGN_OR_RETURN(
      const ProgramResult status,
      RunProgram({(bin / "pg_ctl").string(), "status", "-D", layout.data.string()}, identity));
  state.process_alive = status.exit_code == 0;
  if (!state.process_alive) return state;
  // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shmem, status.
  const std::string pid_text = ReadWholeFile(layout.data / "postmaster.pid").value_or("");
  std::vector<std::string> lines;
  std::istringstream in(pid_text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  state.port = lines.size() > 3 ? ParsePort(lines[3]) : 0;
  state.socket_dir = lines.size() > 4 ? Trim(lines[4]) : "";
  if (state.port == 0) state.port = StoredPort(layout);
  if (state.socket_dir.empty()) state.socket_dir = layout.socket_dir.string();
  state.running = PingServer(state.socket_dir, state.port, user) == PQPING_OK;
  return state;
}

// ---------------------------------------------------------------------------------------------
// Steps of StartCluster.

Status RunInitdb(const Layout& layout, const fs::path& bin, const Identity& identity,
                 const ClusterOptions& options) {
  Progress(options, fmt::format("creating PostgreSQL cluster in {}", layout.data.string()));
  SF_ASSIGN_OR_RETURN(const ProgramResult result,
                      RunProgram({(bin / "initdb").string(), "-D", layout.data.string(), "-U",
                                  options.user, "--auth-local=trust", "--auth-host=scram-sha-256",
                                  "--encoding=UTF8", "--locale=C"},
                                 identity));
  if (result.exit_code != 0) {
    return Internal(fmt::format("initdb failed for {} (exit {}): {}", layout.data.string(),
                                result.exit_code, LastLines(result.output, kLogTailLines)));
  }
  return Status::Ok();
}

// Returns the port to start on: the stored one unless something else now holds it.
StatusOr<int> ChoosePort(const Layout& layout, const ClusterOptions& options) {
  const int stored = StoredPort(layout);
  if (stored != 0 && PortIsFree(stored)) return stored;
  SF_ASSIGN_OR_RETURN(const int port, PickFreePort());
  if (stored != 0) {
    Progress(options,
             fmt::format("port {} is taken by another program; using port {}", stored, port));
  }
  SF_RETURN_IF_ERROR(WriteFileReplacing(layout.port_file, std::to_string(port) + "\n"));
  return port;
}

Status StartServer(const Layout& layout, const fs::path& bin, const Identity& identity, int port,
                   const ClusterOptions& options) {
  SF_RETURN_IF_ERROR(WriteSettings(layout, port, identity));
  Progress(options, fmt::format("starting PostgreSQL {} on port {}",
                                ClusterVersion(layout).value_or("?"), port));
  const uintmax_t log_size_before = FileSize(layout.log_file);
  SF_ASSIGN_OR_RETURN(const ProgramResult result,
                      RunProgram({(bin / "pg_ctl").string(), "-D", layout.data.string(), "-l",
                                  layout.log_file.string(), "-w", "-t",
                                  std::to_string(kStartTimeoutSeconds), "-s", "start"},
                                 identity));
  if (result.exit_code == 0) return Status::Ok();
  std::string tail = LogTail(layout.log_file, log_size_before);
  if (tail.empty()) tail = LastLines(result.output, kLogTailLines);
  return Internal(fmt::format("PostgreSQL failed to start (pg_ctl exit {}); last lines of {}: {}",
                              result.exit_code, layout.log_file.string(), tail));
}

struct PgConnDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, PgConnDeleter>;
using Result = std::unique_ptr<PGresult, PgResultDeleter>;

std::string ServerMessage(const PGconn* connection) { return Trim(PQerrorMessage(connection)); }

// The superuser's connection to database "postgres" over the socket (which trusts).
StatusOr<Connection> ConnectOverSocket(const std::string& socket_dir, int port,
                                       const std::string& user) {
  const std::string port_text = std::to_string(port);
  const char* keys[] = {"host", "port", "dbname", "user", "application_name", nullptr};
  const char* values[] = {socket_dir.c_str(), port_text.c_str(), "postgres",
                          user.c_str(),       "seedforge",       nullptr};
  Connection connection(PQconnectdbParams(keys, values, 0));
  if (connection == nullptr || PQstatus(connection.get()) != CONNECTION_OK) {
    return Unavailable(fmt::format("could not connect to the embedded cluster on {}: {}",
                                   socket_dir,
                                   connection ? ServerMessage(connection.get()) : "out of memory"));
  }
  return connection;
}

// The single value of `sql`'s single row, or kInternal naming `what`.
StatusOr<std::string> QueryOne(PGconn* connection, const char* sql, std::string_view what) {
  Result result(PQexec(connection, sql));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) != 1) {
    return Internal(fmt::format("{}: {}", what, ServerMessage(connection)));
  }
  return std::string(PQgetvalue(result.get(), 0, 0));
}

// Gives the superuser the password unless it already has one (and the password file is not new).
// The server receives only the SCRAM verifier.
Status SetPassword(const std::string& socket_dir, int port, const ClusterOptions& options,
                   const Password& password) {
  SF_ASSIGN_OR_RETURN(Connection connection, ConnectOverSocket(socket_dir, port, options.user));
  PGconn* c = connection.get();
  if (!password.created_now) {
    SF_ASSIGN_OR_RETURN(const std::string missing,
                        QueryOne(c,
                                 "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = "
                                 "current_user",
                                 "could not read the superuser's password state"));
    if (missing != "t") return Status::Ok();
  }
  char* verifier =
      PQencryptPasswordConn(c, password.text.c_str(), options.user.c_str(), "scram-sha-256");
  if (verifier == nullptr) {
    return Internal(fmt::format("could not encrypt the password: {}", ServerMessage(c)));
  }
  char* literal = PQescapeLiteral(c, verifier, std::strlen(verifier));
  PQfreemem(verifier);
  char* role = PQescapeIdentifier(c, options.user.c_str(), options.user.size());
  if (literal == nullptr || role == nullptr) {
    PQfreemem(literal);
    PQfreemem(role);
    return Internal(fmt::format("could not quote the password: {}", ServerMessage(c)));
  }
  const std::string sql = std::string("ALTER ROLE ") + role + " PASSWORD " + literal;
  PQfreemem(literal);
  PQfreemem(role);
  Result altered(PQexec(c, sql.c_str()));
  if (PQresultStatus(altered.get()) != PGRES_COMMAND_OK) {
    return Internal(fmt::format("could not set the superuser's password: {}", ServerMessage(c)));
  }
  return Status::Ok();
}

// Makes a running server read its configuration again (the new pg_hba.conf), and returns once new
// connections see it: each backend inherits the postmaster's pg_conf_load_time().
Status ReloadConfiguration(const std::string& socket_dir, int port, const std::string& user) {
  std::string before;
  {
    SF_ASSIGN_OR_RETURN(Connection connection, ConnectOverSocket(socket_dir, port, user));
    SF_ASSIGN_OR_RETURN(before, QueryOne(connection.get(), "SELECT pg_conf_load_time()::text",
                                         "could not read the configuration time"));
    SF_ASSIGN_OR_RETURN(const std::string reloaded,
                        QueryOne(connection.get(), "SELECT pg_reload_conf()",
                                 "could not reload the configuration"));
    if (reloaded != "t") return Internal("the server refused to reload its configuration");
  }
  for (int attempt = 0; attempt < kStartTimeoutSeconds * 10; ++attempt) {
    SF_ASSIGN_OR_RETURN(Connection connection, ConnectOverSocket(socket_dir, port, user));
    SF_ASSIGN_OR_RETURN(const std::string now,
                        QueryOne(connection.get(), "SELECT pg_conf_load_time()::text",
                                 "could not read the configuration time"));
    if (now != before) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Unavailable("the server did not reload its configuration (pg_hba.conf)");
}

Status EnsureDatabase(const std::string& socket_dir, int port, const ClusterOptions& options) {
  if (options.database == "postgres") return Status::Ok();  // made by initdb
  SF_ASSIGN_OR_RETURN(Connection connection, ConnectOverSocket(socket_dir, port, options.user));
  const char* parameters[] = {options.database.c_str()};
  Result exists(PQexecParams(connection.get(), "SELECT 1 FROM pg_database WHERE datname = $1", 1,
                             nullptr, parameters, nullptr, nullptr, 0));
  if (PQresultStatus(exists.get()) != PGRES_TUPLES_OK) {
    return Internal(fmt::format("could not list databases: {}", ServerMessage(connection.get())));
  }
  if (PQntuples(exists.get()) > 0) return Status::Ok();

  Progress(options, fmt::format("creating database \"{}\"", options.database));
  char* quoted =
      PQescapeIdentifier(connection.get(), options.database.c_str(), options.database.size());
  if (quoted == nullptr) {
    return InvalidArgument(fmt::format("bad database name \"{}\": {}", options.database,
                                       ServerMessage(connection.get())));
  }
  const std::string sql = std::string("CREATE DATABASE ") + quoted;
  PQfreemem(quoted);
  Result created(PQexec(connection.get(), sql.c_str()));
  if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(created.get(), PG_DIAG_SQLSTATE);
    if (state != nullptr && std::string_view(state) == "42P04") return Status::Ok();  // a racer
    return Internal(fmt::format("could not create database \"{}\": {}", options.database,
                                ServerMessage(connection.get())));
  }
  return Status::Ok();
}

// Waits for a postmaster that exists but does not accept connections yet (another process is
// starting it, or it is recovering from a crash).
bool WaitUntilAccepting(const ServerState& state, const std::string& user) {
  for (int attempt = 0; attempt < kStartTimeoutSeconds * 10; ++attempt) {
    if (PingServer(state.socket_dir, state.port, user) == PQPING_OK) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

ClusterInfo MakeInfo(const Layout& layout, const ClusterOptions& options) {
  ClusterInfo info;
  info.home = layout.home.string();
  info.data_dir = layout.data.string();
  info.socket_dir = layout.socket_dir.string();
  info.log_file = layout.log_file.string();
  info.user = options.user;
  info.database = options.database;
  const std::optional<std::string> version = ClusterVersion(layout);
  info.initialized = version.has_value();
  info.server_version = version.value_or("");
  info.port = StoredPort(layout);
  std::error_code error;
  if (fs::exists(layout.password_file, error)) info.password_file = layout.password_file.string();
  return info;
}

// 'text' for a POSIX shell.
std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string ClusterInfo::ConnectionUrl() const {
  std::string url =
      fmt::format("postgresql://{}@/{}?host={}&port={}", PercentEncode(user, false),
                  PercentEncode(database, false), PercentEncode(socket_dir, true), port);
  if (!password_file.empty()) url += "&passfile=" + PercentEncode(password_file, true);
  return url;
}

std::string ClusterInfo::TcpUrl() const {
  std::string url = fmt::format("postgresql://{}@127.0.0.1:{}/{}", PercentEncode(user, false), port,
                                PercentEncode(database, false));
  if (!password_file.empty()) url += "?passfile=" + PercentEncode(password_file, true);
  return url;
}

std::string ClusterInfo::PsqlCommand() const {
  ClusterInfo plain = *this;
  plain.password_file.clear();
  const std::string command = "psql " + ShellQuote(plain.TcpUrl());
  return password_file.empty() ? command
                               : "PGPASSFILE=" + ShellQuote(password_file) + " " + command;
}

StatusOr<ClusterInfo> StartCluster(const ClusterOptions& options) {
  SF_ASSIGN_OR_RETURN(const fs::path home, AbsoluteHome(options.home));
  SF_ASSIGN_OR_RETURN(const Identity identity, ServerIdentity());
  // Find the programs before touching the disk: without them there is nothing to set up.
  SF_ASSIGN_OR_RETURN(const Layout recorded, RecordedLayout(home));
  SF_ASSIGN_OR_RETURN(const fs::path bin, FindServerPrograms(ClusterVersion(recorded)));
  SF_ASSIGN_OR_RETURN(const Layout layout, PrepareLayout(home, identity));

  bool created_now = false;
  if (!ClusterVersion(layout)) {
    SF_RETURN_IF_ERROR(RunInitdb(layout, bin, identity, options));
    created_now = true;
  }
  SF_ASSIGN_OR_RETURN(const Password password, EnsurePasswordFile(layout, options.user));

  SF_ASSIGN_OR_RETURN(ServerState state, QueryServerState(layout, bin, identity, options.user));
  bool started_now = false;
  if (state.process_alive && !state.running && !WaitUntilAccepting(state, options.user)) {
    return Unavailable(fmt::format(
        "the PostgreSQL server in {} is running but does not accept connections on {}; see {}",
        layout.data.string(), state.socket_dir, layout.log_file.string()));
  }
  if (!state.process_alive) {
    SF_ASSIGN_OR_RETURN(const bool rewritten, WriteHba(layout, identity));
    (void)rewritten;
    SF_ASSIGN_OR_RETURN(int port, ChoosePort(layout, options));
    Status started = StartServer(layout, bin, identity, port, options);
    if (!started.ok() && !PortIsFree(port)) {
      // Someone took the port between our check and the server's bind: try once more.
      SF_ASSIGN_OR_RETURN(port, ChoosePort(layout, options));
      started = StartServer(layout, bin, identity, port, options);
    }
    SF_RETURN_IF_ERROR(started);
    started_now = true;
    state.port = port;
    state.socket_dir = layout.socket_dir.string();
  }
  // The password first, then (a server an older seedforge started) the TCP rule that needs it.
  SF_RETURN_IF_ERROR(SetPassword(state.socket_dir, state.port, options, password));
  if (!started_now) {
    SF_ASSIGN_OR_RETURN(const bool rewritten, WriteHba(layout, identity));
    if (rewritten) {
      SF_RETURN_IF_ERROR(ReloadConfiguration(state.socket_dir, state.port, options.user));
    }
  }
  SF_RETURN_IF_ERROR(EnsureDatabase(state.socket_dir, state.port, options));

  ClusterInfo info = MakeInfo(layout, options);
  info.port = state.port;
  info.socket_dir = state.socket_dir;
  info.running = true;
  info.created_now = created_now;
  info.started_now = started_now;
  return info;
}

StatusOr<ClusterInfo> InspectCluster(const ClusterOptions& options) {
  SF_ASSIGN_OR_RETURN(const fs::path home, AbsoluteHome(options.home));
  SF_ASSIGN_OR_RETURN(const Layout layout, RecordedLayout(home));
  ClusterInfo info = MakeInfo(layout, options);
  if (!info.initialized) return info;
  SF_ASSIGN_OR_RETURN(const Identity identity, ServerIdentity());
  SF_ASSIGN_OR_RETURN(const fs::path bin, FindServerPrograms(ClusterVersion(layout)));
  SF_ASSIGN_OR_RETURN(const ServerState state,
                      QueryServerState(layout, bin, identity, options.user));
  info.running = state.running;
  if (state.process_alive) {
    info.port = state.port;
    info.socket_dir = state.socket_dir;
  }
  return info;
}

Status StopCluster(const ClusterOptions& options) {
  SF_ASSIGN_OR_RETURN(const fs::path home, AbsoluteHome(options.home));
  SF_ASSIGN_OR_RETURN(const Layout layout, RecordedLayout(home));
  if (!ClusterVersion(layout)) return Status::Ok();
  SF_ASSIGN_OR_RETURN(const Identity identity, ServerIdentity());
  SF_ASSIGN_OR_RETURN(const fs::path bin, FindServerPrograms(ClusterVersion(layout)));
  SF_ASSIGN_OR_RETURN(const ServerState state,
                      QueryServerState(layout, bin, identity, options.user));
  if (!state.process_alive) return Status::Ok();
  Progress(options, fmt::format("stopping PostgreSQL on port {}", state.port));
  SF_ASSIGN_OR_RETURN(
      const ProgramResult result,
      RunProgram({(bin / "pg_ctl").string(), "-D", layout.data.string(), "-m", "fast", "-w", "-t",
                  std::to_string(kStartTimeoutSeconds), "-s", "stop"},
                 identity));
  if (result.exit_code != 0) {
    // It may have stopped on its own between our status check and the stop.
    SF_ASSIGN_OR_RETURN(const ServerState after,
                        QueryServerState(layout, bin, identity, options.user));
    if (!after.process_alive) return Status::Ok();
    return Internal(fmt::format("pg_ctl stop failed for {} (exit {}): {}", layout.data.string(),
                                result.exit_code, LastLines(result.output, kLogTailLines)));
  }
  return Status::Ok();
}

}  // namespace seedforge
