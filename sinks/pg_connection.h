// A small owner of one libpq connection: statements, simple queries and the COPY protocol.
//
// libpq stays out of this header. Every failure becomes a Status whose message is the server's
// own text (primary message, detail and hint on one line); connection strings are never echoed
// with their password (see RedactConnectionString). Not thread-safe: one connection per thread.
#pragma once

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
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  Status CopyOutImpl(std::string_view copy_sql, void (*callback)(void*, std::string_view),
                     void* context);
  Status ResultError(const char* what) const;
  // Takes ownership of `result` (may be null) and returns its rows or its error.
  StatusOr<QueryResult> ResultRows(pg_result* result);
  Status DrainResults();

  pg_conn* connection_;
  int64_t last_copy_rows_ = -1;
};

// Returns the connection string with any password replaced by "***" (URI and key=value forms).
std::string RedactConnectionString(std::string_view conninfo);

}  // namespace seedforge
