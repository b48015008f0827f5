// A small owner of one libpq connection: statements, simple queries and the COPY protocol.
//
// libpq stays out of this header. Every failure becomes a Status whose message is the server's
// own text (primary message, detail and hint on one line); connection strings are never echoed
// with their password (see RedactConnectionString). Not thread-safe: one connection per thread.
//
// No wait on the server is unbounded: every connection has TCP keepalives on (a peer that
// vanished is noticed in about a minute), connecting gives up after a connect timeout, and a
// watcher thread gives up the connection (shuts its socket down, so the blocked call returns at
// once and the server rolls back what was not committed) when one call has waited longer than
// the statement timeout, or for more than a second after the interrupt flag was set.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace seedforge {

// Process-wide bounds on waiting for a server, set once (by the CLI) before connecting.
struct ConnectionSettings {
  // Seconds a connection attempt may take; 0 = no bound. A connect_timeout in the connection
  // string itself takes precedence.
  int connect_timeout_seconds = 10;
  // Seconds one call may wait for the server's answer before the connection is given up
  // (kUnavailable naming the statement); 0 = no bound.
  int statement_timeout_seconds = 0;
  // When it becomes true (SIGINT/SIGTERM), connecting stops at once and a call still waiting a
  // second later is given up (kCancelled naming the statement). Not owned; may be null.
  const std::atomic<bool>* interrupt = nullptr;
};
// Replaces the settings. REQUIRES: no connection is open yet.
void SetConnectionSettings(const ConnectionSettings& settings);
const ConnectionSettings& GetConnectionSettings();

// The most connections to one database a command may open: `seed --connections` and
// `snapshot create --connections` both take 1..kMaxConnections.
inline constexpr int kMaxConnections = 64;

// Rows of a query result as text; NULL is std::nullopt.
struct QueryResult {
  std::vector<std::string> column_names;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class PgConnection {
 public:
  // Connects with a libpq connection string or URI (the usual PG* environment variables apply).
  // The session time zone is set to UTC. Returns kUnavailable if the server cannot be reached,
  // kPermissionDenied if authentication fails; the message never contains the password.
  // kInvalidArgument for a connection string libpq cannot use (a malformed URI, an unknown
  // option, a bad sslmode), kFailedPrecondition for a server that answers but not as asked
  // (e.g. SSL required but not offered). kUnavailable means only "cannot reach the server yet"
  // (refused, no socket file, starting up, timed out): the one failure worth retrying.
  static StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);

  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements that return no rows of interest (simple query protocol). Only
  // for SQL seedforge wrote itself or a script the user trusts (a snapshot's pg_dump sections).
  Status Execute(std::string_view sql);
  // Runs exactly one statement through the extended query protocol, with `params` bound to $1,
  // $2, ... as text: the server refuses a string that holds more than one statement ("cannot
  // insert multiple commands into a prepared statement"), so text built from untrusted input
  // (a snapshot manifest) can never be more than the statement it was meant to be.
  Status ExecuteOne(std::string_view sql, const std::vector<std::string>& params = {});
  // The same for a query that returns rows.
  StatusOr<QueryResult> QueryOne(std::string_view sql, const std::vector<std::string>& params);
  // Runs a query and returns all its rows as text. Use for small results only.
  StatusOr<QueryResult> Query(std::string_view sql);
  // Runs a query that returns exactly one row with one non-NULL column.
  StatusOr<std::string> QueryValue(std::string_view sql);
  StatusOr<int64_t> QueryInt(std::string_view sql);

  // COPY ... FROM STDIN: Begin (one statement, extended query protocol), any number of Put
  // calls, then End, which waits for the server's verdict. On a Put failure the caller must still
  // call End (or abandon the connection).
  Status CopyBegin(std::string_view copy_sql);
  Status CopyPut(std::string_view bytes);
  Status CopyEnd();
  // Abandons a COPY in progress (the server rolls back the statement) and drains its results.
  void CopyAbort();

  // COPY ... TO STDOUT: calls `sink` with each chunk of output in order.
  template <typename Sink>
  Status CopyOut(std::string_view copy_sql, Sink&& sink) {
    return CopyOutImpl(
        copy_sql,
        +[](void* ctx, std::string_view chunk) {
          (*static_cast<std::remove_reference_t<Sink>*>(ctx))(chunk);
        },
        &sink);
  }

  // Asks the server to cancel the statement this connection is running (PQcancel over a second
  // connection); the statement then fails with kCancelled. Meant for a CopyOut sink that must
  // stop early (interrupt, full disk): the COPY then ends instead of streaming the rest of the
  // table. The request travels on its own, so a statement that ends first may complete and the
  // request may hit the next one: after a cancel, the caller should end what it is doing.
  void RequestCancel();

  // Rows the last finished COPY (in or out) processed, from the server's command tag ("COPY n");
  // -1 before the first.
  int64_t last_copy_rows() const { return last_copy_rows_; }

  // Server version as an integer, e.g. 150020 for 15.20.
  int server_version() const;
  // Server version as text, e.g. "15.20".
  std::string server_version_text() const;
  // The database this connection is on.
  std::string database() const;

  // Quotes an identifier or a literal for SQL text.
  std::string QuoteIdentifier(std::string_view identifier) const;
  std::string QuoteLiteral(std::string_view literal) const;

 private:
  class Waiting;  // marks a call that waits for the server (see the .cc)
  friend class Waiting;
  friend void WatchWaits();
  enum GiveUp : int { kNotGivenUp = 0, kGivenUpInterrupted, kGivenUpTimedOut };

  explicit PgConnection(pg_conn* connection);
  Status ExecuteImpl(std::string_view sql);
  StatusOr<QueryResult> QueryImpl(std::string_view sql);
  Status CopyBeginImpl(std::string_view copy_sql);
  Status CopyOutImpl(std::string_view copy_sql, void (*callback)(void*, std::string_view),
                     void* context);
  Status ResultError(const char* what) const;
  // Takes ownership of `result` (may be null) and returns its rows or its error.
  StatusOr<QueryResult> ResultRows(pg_result* result);
  Status DrainResults();

  pg_conn* connection_;
  int socket_ = -1;  // the connection's socket, for the watcher thread (libpq keeps it)
  int64_t last_copy_rows_ = -1;
  std::string copy_what_;  // the COPY statement in progress, for messages
  // Shared with the watcher thread, which reads them holding g_registry_mutex (connection.cc);
  // atomic because the other writer does not hold it.
  // Written by this connection's thread only; steady-clock nanoseconds, 0 = not waiting.
  std::atomic<int64_t> waiting_since_{0};
  // Written by the watcher only, holding g_registry_mutex; read by this connection's thread.
  std::atomic<int> given_up_{kNotGivenUp};
};

// Returns the connection string with any password replaced by "***" (URI and key=value forms,
// malformed ones too: core/redact.h).
std::string RedactConnectionString(std::string_view conninfo);

}  // namespace seedforge
