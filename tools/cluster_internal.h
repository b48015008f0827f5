// Internal to the embedded cluster (tools/embedded_cluster.h): what its files share. The cluster
// is split by responsibility: cluster_programs.cc runs the server programs as the server's user
// and finds them; cluster_files.cc decides where the cluster lives and writes its configuration;
// cluster_access.cc says who may connect (pg_hba.conf, the password file); embedded_cluster.cc
// starts, inspects and stops it. Nothing outside those files includes this header.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tools/embedded_cluster.h"

namespace seedforge::cluster_detail {

namespace fs = std::filesystem;

inline constexpr const char* kServerUser = "postgres";
inline constexpr const char* kDebianServerRoot = "/usr/lib/postgresql";
inline constexpr const char* kRootFallbackRoot = "/var/lib/seedforge";
inline constexpr const char* kConfFileName = "seedforge.conf";
inline constexpr const char* kIncludeLine = "include_if_exists = 'seedforge.conf'";
inline constexpr const char* kPasswordFileName = "pgpass";
inline constexpr size_t kPasswordBytes = 24;  // 192 bits, written as 48 hex digits
inline constexpr int kStartTimeoutSeconds = 60;
inline constexpr int kLogTailLines = 5;
// sizeof(sockaddr_un::sun_path) less the terminating NUL: the longest unix socket path.
inline constexpr size_t kMaxSocketPath = 107;

struct Identity {
  bool switch_user = false;  // we are root: children become `postgres`
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups of `postgres` (what initgroups would set)
  std::string home_dir;       // `postgres`'s home, for HOME in the children's environment
};

struct ProgramResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

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

struct Password {
  std::string text;
  bool created_now = false;  // written in this call: the server does not know it yet
};

// --- cluster_programs.cc ---

std::string Trim(std::string_view text);
std::string ErrnoText(int error);
std::optional<std::string> ReadWholeFile(const fs::path& path);
// The last `count` non-empty lines of `text`, joined with " | " so a Status stays one line.
std::string LastLines(std::string_view text, int count);
uintmax_t FileSize(const fs::path& path);
// The last lines the server wrote to `log_file` after byte `from` (its size before our start
// attempt, so earlier runs do not show), or the last lines overall if it wrote none.
std::string LogTail(const fs::path& log_file, uintmax_t from);
// 32-bit FNV-1a: a stable, dependency-free name for a home path.
uint32_t HashPath(std::string_view text);
// Percent-encodes everything but RFC 3986 unreserved characters (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view text, bool keep_slash);
void Progress(const ClusterOptions& options, std::string_view line);
StatusOr<Identity> ServerIdentity();
// In a forked child: become `postgres`. Async-signal-safe. Returns false on failure.
bool SwitchUserInChild(const Identity& identity);
Status ChownToServerUser(const fs::path& path, const Identity& identity);
// The environment of the server programs: ours, with a C locale (stable messages, no locale
// surprises in initdb), no PG* variables (they would override our explicit options), and, when
// the child becomes `postgres`, that user's HOME/USER/LOGNAME.
std::vector<std::string> ChildEnvironment(const Identity& identity);
// Writes "<prefix><errno>\n" to stderr. Async-signal-safe.
void ChildFailure(const char* prefix);
// Runs `argv` (argv[0] an absolute path) as the server user, in "/", and waits for it.
StatusOr<ProgramResult> RunProgram(const std::vector<std::string>& argv, const Identity& identity);
// In a child that becomes `postgres`: can it search its way into `home`?
bool ServerUserCanReach(const fs::path& home, const Identity& identity);
bool HasServerPrograms(const fs::path& bin);
// The folder holding initdb and pg_ctl: $SEEDFORGE_PG_BIN, else the Debian folder of the
// cluster's own major version when it already exists, else the newest installed one.
StatusOr<fs::path> FindServerPrograms(const std::optional<std::string>& cluster_version);

// --- cluster_files.cc ---

StatusOr<fs::path> AbsoluteHome(const std::string& home);
std::string HomeHash(const fs::path& home);
// "<parent>-<home without leading dots>", e.g. "myapp-seedforge" for /root/myapp/.seedforge.
std::string SanitizedName(const fs::path& home);
Layout LayoutAt(const fs::path& home, const fs::path& base);
// The layout recorded for `home`: <home>/cluster-location if present, else <home> itself.
StatusOr<Layout> RecordedLayout(const fs::path& home);
std::optional<std::string> ClusterVersion(const Layout& layout);
// Creates `path` if it is missing, gives it to the server user and sets `mode` (also on a folder
// an older seedforge made with a wider mode).
Status MakeServerFolder(const fs::path& path, mode_t mode, const Identity& identity);
Status WriteFileReplacing(const fs::path& path, std::string_view contents,
                          const Identity* owner = nullptr);
// Decides where data/ and run/ live for a new or existing cluster, and creates the folders.
StatusOr<Layout> PrepareLayout(const fs::path& home, const Identity& identity);
StatusOr<int> PickFreePort();
// True if nothing listens on (or holds) 127.0.0.1:port. SO_REUSEADDR, as the server sets it, so
// that connections in TIME_WAIT from an earlier run do not count.
bool PortIsFree(int port);
int ParsePort(std::string_view text);
int StoredPort(const Layout& layout);
std::string ConfQuote(const std::string& value);
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
std::string ConfText(const Layout& layout, int port);
// Makes postgresql.conf include seedforge.conf (once), then (re)writes seedforge.conf.
Status WriteSettings(const Layout& layout, int port, const Identity& identity);

// --- cluster_access.cc ---

// Writes pg_hba.conf unless it already says exactly kHbaText. Returns true when it changed.
StatusOr<bool> WriteHba(const Layout& layout, const Identity& identity);
// A field of a libpq password file: ':' and '\' are escaped with '\'.
std::string PassFileField(std::string_view text);
// Any port: the cluster moves to another one when its port is taken.
std::string PassFileText(const std::string& user, const std::string& password);
StatusOr<std::string> RandomPassword();
// The password of the first entry of a password file we wrote (the text after the last ':').
std::optional<std::string> PasswordIn(std::string_view text);
// Reads <home>/pgpass, or makes it (0600) with a new random password. Two processes making it at
// once agree: each writes its own temporary file and link(2) lets only the first one in.
StatusOr<Password> EnsurePasswordFile(const Layout& layout, const std::string& user);

}  // namespace seedforge::cluster_detail
