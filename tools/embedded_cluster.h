// The embedded PostgreSQL cluster: what `seedforge up | down | status` manage.
//
// With no --db and no DATABASE_URL, seedforge uses a cluster it owns under a home folder
// (default ./.seedforge, or SEEDFORGE_HOME): created with Debian's initdb on first use, started
// with pg_ctl on demand, listening on a unix socket in <home>/run and on a free loopback port.
// PostgreSQL refuses to run as root, so when this process is root every server program runs as
// the `postgres` system user and the folders it writes belong to that user.
//
// Layout of <home>:
//   data/          the cluster (PGDATA)
//   run/           the unix socket and postgres.log; mode 0700, so only the server's user (and
//                  root) can reach the socket
//   port           the chosen TCP port, as text
//   pgpass         the superuser's random password, as a libpq password file (mode 0600, owned
//                  by the user who made the cluster); every URL below names it (`passfile=`)
//   cluster-location  only when root and `postgres` cannot reach <home> (e.g. under /root):
//                  the absolute folder holding data/ and run/ instead, under /var/lib/seedforge
// If <home>/run is too long a path for a unix socket (108 bytes), the socket lives in
// /tmp/seedforge-<hash> instead (also 0700); ClusterInfo::socket_dir always says where.
//
// Authentication (pg_hba.conf, rewritten on every start): `trust` on the unix socket, whose
// folder only the server's user can enter, and `scram-sha-256` on TCP (127.0.0.1 and ::1), with
// the password of <home>/pgpass. A cluster made by an older seedforge (no pgpass) gets a password
// and the new pg_hba.conf the next time StartCluster runs, whether the server is running or not.
// Not thread-safe; one process at a time should manage a given home.
#pragma once

#include <string>

#include "core/status.h"

namespace seedforge {

struct ClusterOptions {
  std::string home = ".seedforge";     // folder holding the cluster; made absolute internally
  std::string database = "seedforge";  // database created on first start
  std::string user = "postgres";       // superuser created by initdb (password on TCP)
  bool log_progress = true;  // print one line per step ("initdb...", "starting...") to stderr
};

struct ClusterInfo {
  std::string home;            // absolute path of the home folder
  std::string data_dir;        // absolute path of PGDATA
  std::string socket_dir;      // absolute path of the folder holding the unix socket
  std::string log_file;        // absolute path of the server log (run/postgres.log)
  int port = 0;                // TCP port on 127.0.0.1 (also the socket's port number)
  std::string server_version;  // major version that created data_dir, e.g. "15"; "" if none
  std::string user;
  std::string database;
  std::string password_file;  // absolute path of <home>/pgpass; "" when the cluster has none
  bool initialized = false;   // data_dir holds a cluster
  bool running = false;       // the server accepts connections
  bool created_now = false;   // StartCluster ran initdb in this call
  bool started_now = false;   // StartCluster started the server in this call

  // libpq URI over the unix socket, e.g.
  // "postgresql://postgres@/seedforge?host=/abs/.seedforge/run&port=54321", followed by
  // "&passfile=/abs/.seedforge/pgpass" when password_file is set. Never holds the password.
  std::string ConnectionUrl() const;
  // libpq URI over TCP, e.g. "postgresql://postgres@127.0.0.1:54321/seedforge", followed by
  // "?passfile=..." when password_file is set.
  std::string TcpUrl() const;
  // A shell command that connects with psql over TCP, the password read from the password file:
  // "PGPASSFILE='/abs/.seedforge/pgpass' psql 'postgresql://postgres@127.0.0.1:54321/seedforge'".
  std::string PsqlCommand() const;
};

// Creates the cluster if needed (initdb, config, database) and starts it if it is not running.
// Idempotent. Returns kFailedPrecondition with a clear message if PostgreSQL's server programs
// are not installed, kInternal with the tail of postgres.log if the server fails to start.
StatusOr<ClusterInfo> StartCluster(const ClusterOptions& options);

// Reports the cluster's state without changing anything.
StatusOr<ClusterInfo> InspectCluster(const ClusterOptions& options);

// Stops the server (fast shutdown) if it is running. Keeps the data. Idempotent.
Status StopCluster(const ClusterOptions& options);

}  // namespace seedforge
