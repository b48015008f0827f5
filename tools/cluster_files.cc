// Where an embedded cluster lives (its home, data/ and run/ folders, the root fallback), the
// port it listens on and the settings seedforge writes. See embedded_cluster.cc for the design.
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

namespace seedforge::cluster_detail {

// ---------------------------------------------------------------------------------------------
// Where things live.

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

Status WriteFileReplacing(const fs::path& path, std::string_view contents, const Identity* owner) {
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

}  // namespace seedforge::cluster_detail
