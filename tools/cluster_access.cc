// Who may connect to an embedded cluster: pg_hba.conf and the superuser's password file. See
// embedded_cluster.cc for the design ("Who may connect").
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

}  // namespace seedforge::cluster_detail
