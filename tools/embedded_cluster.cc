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

namespace seedforge {
namespace {

using namespace cluster_detail;  // the split-out parts of this file (tools/cluster_internal.h)

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
