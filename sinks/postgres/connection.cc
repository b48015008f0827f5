// libpq behind a Status-returning API.
//
// Error text is built from the server's structured fields (severity-free primary message, then
// detail and hint) so that a user sees one line. Connection failures are classified so the CLI
// can say "cannot reach" versus "authentication failed" versus "this connection string cannot
// work"; none echoes the connection string's password.
//
// Bounded waits. libpq's blocking calls cannot be interrupted by a signal (the handlers use
// SA_RESTART, and libpq retries on EINTR anyway), and a stopped or partitioned server never
// answers. Rather than rewriting every call around PQsocket and poll(), each call that waits is
// marked (Waiting, below) and one watcher thread looks at the marks ten times a second: a call
// that waited too long gets its connection's socket shut down, which makes the blocked poll()
// inside libpq return at once with an error, which Waiting then turns into a message naming
// the statement. shutdown() on a socket another thread uses is safe; the registry mutex keeps a
// connection from being closed (and its descriptor reused) while the watcher looks at it.
// Connecting uses libpq's asynchronous API instead, as there is no socket to shut down before
// the connection exists.
#include "sinks/postgres/connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "core/redact.h"

namespace seedforge {
namespace {

ConnectionSettings g_settings;

// Every open connection, for the watcher thread.
std::mutex g_registry_mutex;
std::vector<PgConnection*> g_registry;  // GUARDED_BY(g_registry_mutex)
std::once_flag g_watcher_started;

constexpr std::chrono::milliseconds kWatchInterval{100};
// How long a call may still wait after an interrupt: long enough for a batch in flight to be
// committed on a server that answers, short enough to feel immediate.
constexpr std::chrono::seconds kInterruptGrace{1};

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Collapses libpq's multi-line messages ("FATAL:  ...\nDETAIL: ...") into one line.
std::string OneLine(const char* text) {
  std::string out;
  if (text == nullptr) return out;
  bool space = false;
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string ResultMessage(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) return OneLine(PQresultErrorMessage(result));
  std::string message = OneLine(primary);
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
    message += " (" + OneLine(detail) + ")";
  }
  if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
    message += " hint: " + OneLine(hint);
  }
  return message;
}

StatusCode CodeForSqlState(const char* sqlstate) {
  if (sqlstate == nullptr) return StatusCode::kInternal;
  if (std::strncmp(sqlstate, "42501", 5) == 0) return StatusCode::kPermissionDenied;
  if (std::strncmp(sqlstate, "08", 2) == 0 || std::strncmp(sqlstate, "57P", 3) == 0) {
    return StatusCode::kUnavailable;
  }
  if (std::strncmp(sqlstate, "57014", 5) == 0) return StatusCode::kCancelled;
  if (std::strncmp(sqlstate, "42", 2) == 0) return StatusCode::kFailedPrecondition;
  return StatusCode::kInternal;
}

// The statement as one line of at most 80 characters, to name it in messages.
std::string Summary(std::string_view sql) {
  std::string line = OneLine(std::string(sql).c_str());
  if (line.size() > 80) {
    line.resize(77);
    line += "...";
  }
  return line;
}

// Whether a failed connection attempt may succeed later with nothing changed on our side: the
// server is not reachable yet, is starting or restarting, or is full for now.
bool NotReachableYet(const std::string& message) {
  for (const char* text :
       {"Connection refused", "No such file or directory", "the database system is starting up",
        "the database system is shutting down", "the database system is in recovery mode",
        "the database system is not yet accepting connections", "too many clients already",
        "timeout expired", "Connection timed out", "could not translate host name",
        "Network is unreachable", "No route to host", "server closed the connection unexpectedly",
        "Connection reset by peer"}) {
    if (message.find(text) != std::string::npos) return true;
  }
  return false;
}

// libpq's words for a connection string it cannot use ('invalid sslmode value: "x"', 'invalid
// port number: "x"', 'invalid connection option "x"', 'invalid integer value "x" for ...').
bool BadConnectionString(const std::string& message) {
  return message.find("invalid ") != std::string::npos &&
         (message.find(" value") != std::string::npos ||
          message.find("option") != std::string::npos ||
          message.find("port number") != std::string::npos);
}

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

// Reads every pending result; returns the first error among them, or a lost connection.
Status PgConnection::DrainResults() {
  Status status;
  while (PGresult* raw = PQgetResult(connection_)) {
    ResultPtr result(raw);
    const ExecStatusType type = PQresultStatus(raw);
    if (type == PGRES_COPY_IN || type == PGRES_COPY_OUT) {
      return Internal("a statement started COPY where none was expected");
    }
    if (type == PGRES_COMMAND_OK && std::strncmp(PQcmdStatus(raw), "COPY ", 5) == 0) {
      last_copy_rows_ = std::strtoll(PQcmdTuples(raw), nullptr, 10);
    }
    if (status.ok() && type != PGRES_COMMAND_OK && type != PGRES_TUPLES_OK &&
        type != PGRES_EMPTY_QUERY) {
      status =
          Status(CodeForSqlState(PQresultErrorField(raw, PG_DIAG_SQLSTATE)), ResultMessage(raw));
    }
  }
  if (status.ok() && PQstatus(connection_) != CONNECTION_OK) {
    return Unavailable("connection to PostgreSQL lost: " + OneLine(PQerrorMessage(connection_)));
  }
  return status;
}

void SetConnectionSettings(const ConnectionSettings& settings) { g_settings = settings; }
const ConnectionSettings& GetConnectionSettings() { return g_settings; }

// The watcher thread (see the top of the file).
void WatchWaits() {
  int64_t interrupted_at = 0;
  for (;;) {
    std::this_thread::sleep_for(kWatchInterval);
    const int64_t now = NowNanos();
    const bool interrupted = g_settings.interrupt != nullptr && g_settings.interrupt->load();
    if (interrupted && interrupted_at == 0) interrupted_at = now;
    const int64_t grace = std::chrono::nanoseconds(kInterruptGrace).count();
    const int64_t timeout =
        std::chrono::nanoseconds(std::chrono::seconds(g_settings.statement_timeout_seconds))
            .count();
    const std::lock_guard<std::mutex> lock(g_registry_mutex);
    for (PgConnection* connection : g_registry) {
      const int64_t since = connection->waiting_since_.load();
      if (since == 0 || connection->given_up_.load() != PgConnection::kNotGivenUp) continue;
      int reason = PgConnection::kNotGivenUp;
      if (interrupted && now - std::max(since, interrupted_at) >= grace) {
        reason = PgConnection::kGivenUpInterrupted;
      } else if (timeout > 0 && now - since >= timeout) {
        reason = PgConnection::kGivenUpTimedOut;
      }
      if (reason == PgConnection::kNotGivenUp) continue;
      connection->given_up_.store(reason);
      ::shutdown(connection->socket_, SHUT_RDWR);
    }
  }
}

// Marks one call that waits for the server, and turns the failure of a call whose connection
// the watcher gave up into a message that says so and names what was waiting.
class PgConnection::Waiting {
 public:
  Waiting(PgConnection* connection, std::string what)
      : connection_(connection), what_(std::move(what)) {
    connection_->waiting_since_.store(NowNanos());
  }
  ~Waiting() { connection_->waiting_since_.store(0); }
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;

  // The server answered something: the wait starts again.
  void Progress() { connection_->waiting_since_.store(NowNanos()); }

  Status Finish(Status status) {
    connection_->waiting_since_.store(0);
    if (status.ok()) return status;
    switch (connection_->given_up_.load()) {
      case kGivenUpInterrupted:
        return Cancelled("interrupted while waiting for the server to answer " + what_ +
                         " (gave up the connection; the server rolls back what was not "
                         "committed)");
      case kGivenUpTimedOut:
        return Unavailable("no answer from the server within " +
                           std::to_string(g_settings.statement_timeout_seconds) +
                           " s (--statement-timeout) to " + what_ +
                           "; gave up the connection (the server rolls back what was not "
                           "committed)");
      default:
        return status;
    }
  }
  template <typename T>
  StatusOr<T> Finish(StatusOr<T> result) {
    if (result.ok()) {
      connection_->waiting_since_.store(0);
      return result;
    }
    return Finish(result.status());
  }

 private:
  PgConnection* connection_;
  std::string what_;
};

PgConnection::PgConnection(pg_conn* connection)
    : connection_(connection), socket_(PQsocket(connection)) {
  std::call_once(g_watcher_started, [] { std::thread(WatchWaits).detach(); });
  const std::lock_guard<std::mutex> lock(g_registry_mutex);
  g_registry.push_back(this);
}

StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  // A string libpq cannot even parse will never work: no point waiting for a server.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string message = parse_error == nullptr ? "out of memory" : OneLine(parse_error);
    PQfreemem(parse_error);
    return InvalidArgument("cannot connect to PostgreSQL: " + message);
  }
  PQconninfoFree(parsed);

  // Keepalives on every connection, and the connect timeout; both placed before the expanded
  // connection string, so that settings the string gives itself win.
  const std::string timeout = g_settings.connect_timeout_seconds > 0
                                  ? std::to_string(g_settings.connect_timeout_seconds)
                                  : std::string();
  const char* keywords[] = {"keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "connect_timeout",
                            "dbname",
                            nullptr};
  const char* values[] = {"1", "30", "10", "3", timeout.c_str(), conninfo.c_str(), nullptr};
  PGconn* connection = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) return Internal("out of memory creating a libpq connection");

  // The effective connect_timeout (libpq ignores it in asynchronous mode; we keep it).
  int timeout_seconds = 0;
  if (PQconninfoOption* options = PQconninfo(connection)) {
    for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
      if (std::strcmp(option->keyword, "connect_timeout") == 0 && option->val != nullptr) {
        timeout_seconds = std::max(0, std::atoi(option->val));
      }
    }
    PQconninfoFree(options);
  }
  const int64_t deadline =
      timeout_seconds > 0
          ? NowNanos() + std::chrono::nanoseconds(std::chrono::seconds(timeout_seconds)).count()
          : 0;
  std::string failure;
  PostgresPollingStatusType state =
      PQstatus(connection) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
    if (g_settings.interrupt != nullptr && g_settings.interrupt->load()) {
      PQfinish(connection);
      return Cancelled("interrupted while connecting to PostgreSQL");
    }
    if (deadline != 0 && NowNanos() >= deadline) {
      failure = "timeout expired after " + std::to_string(timeout_seconds) +
                " s (--connect-timeout, or connect_timeout in the connection string)";
      break;
    }
    const int socket = PQsocket(connection);
    if (socket >= 0) {
      pollfd wait{socket, static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
      const int ready =
          ::poll(&wait, 1, static_cast<int>(std::chrono::milliseconds(kWatchInterval).count()));
      if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    }
    state = PQconnectPoll(connection);
  }
  if (failure.empty() && state != PGRES_POLLING_OK) failure = OneLine(PQerrorMessage(connection));
  if (!failure.empty()) {
    PQfinish(connection);
    // libpq has no error code for connection failures; the server's wording is stable.
    const bool auth = failure.find("password authentication failed") != std::string::npos ||
                      failure.find("no password supplied") != std::string::npos ||
                      failure.find("authentication failed") != std::string::npos ||
                      failure.find("no pg_hba.conf entry") != std::string::npos;
    const bool missing_db = failure.find("does not exist") != std::string::npos;
    const StatusCode code = auth                           ? StatusCode::kPermissionDenied
                            : missing_db                   ? StatusCode::kNotFound
                            : NotReachableYet(failure)     ? StatusCode::kUnavailable
                            : BadConnectionString(failure) ? StatusCode::kInvalidArgument
                                                           : StatusCode::kFailedPrecondition;
    return Status(code, "cannot connect to PostgreSQL: " + failure);
  }
  auto owned = std::unique_ptr<PgConnection>(new PgConnection(connection));
  SF_RETURN_IF_ERROR(owned->Execute(
      "SET TIME ZONE 'UTC'; SET client_min_messages = warning; SET datestyle = 'ISO'"));
  return owned;
}

PgConnection::~PgConnection() {
  {
    const std::lock_guard<std::mutex> lock(g_registry_mutex);
    g_registry.erase(std::find(g_registry.begin(), g_registry.end(), this));
  }
  // Non-blocking, so that saying goodbye to a server that stopped reading cannot hang.
  PQsetnonblocking(connection_, 1);
  PQfinish(connection_);
}

Status PgConnection::ResultError(const char* what) const {
  return Status(StatusCode::kInternal,
                std::string(what) + ": " + OneLine(PQerrorMessage(connection_)));
}

Status PgConnection::Execute(std::string_view sql) {
  Waiting waiting(this, Summary(sql));
  return waiting.Finish(ExecuteImpl(sql));
}

Status PgConnection::ExecuteImpl(std::string_view sql) {
  const std::string text(sql);
  if (PQsendQuery(connection_, text.c_str()) == 0) {
    return Status(
        PQstatus(connection_) == CONNECTION_OK ? StatusCode::kInternal : StatusCode::kUnavailable,
        OneLine(PQerrorMessage(connection_)));
  }
  return DrainResults();
}

namespace {

// PQexecParams over `params` as text values; one statement only (extended query protocol).
PGresult* ExecParams(PGconn* connection, const std::string& sql,
                     const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  return PQexecParams(connection, sql.c_str(), static_cast<int>(params.size()), nullptr,
                      values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
}

}  // namespace

Status PgConnection::ExecuteOne(std::string_view sql, const std::vector<std::string>& params) {
  return QueryOne(sql, params).status();
}

StatusOr<QueryResult> PgConnection::QueryOne(std::string_view sql,
                                             const std::vector<std::string>& params) {
  Waiting waiting(this, Summary(sql));
  return waiting.Finish(ResultRows(ExecParams(connection_, std::string(sql), params)));
}

StatusOr<QueryResult> PgConnection::Query(std::string_view sql) {
  Waiting waiting(this, Summary(sql));
  return waiting.Finish(QueryImpl(sql));
}

StatusOr<QueryResult> PgConnection::QueryImpl(std::string_view sql) {
  const std::string text(sql);
  return ResultRows(PQexec(connection_, text.c_str()));
}

StatusOr<QueryResult> PgConnection::ResultRows(pg_result* raw) {
  ResultPtr result(raw);
  if (result == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    return Unavailable("connection to PostgreSQL lost: " + OneLine(PQerrorMessage(connection_)));
  }
  const ExecStatusType type = PQresultStatus(result.get());
  if (type != PGRES_TUPLES_OK && type != PGRES_COMMAND_OK) {
    return Status(CodeForSqlState(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE)),
                  ResultMessage(result.get()));
  }
  QueryResult out;
  const int columns = PQnfields(result.get());
  const int rows = PQntuples(result.get());
  for (int c = 0; c < columns; ++c) out.column_names.emplace_back(PQfname(result.get(), c));
  out.rows.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                     static_cast<size_t>(PQgetlength(result.get(), r, c))));
      }
    }
  }
  return out;
}

StatusOr<std::string> PgConnection::QueryValue(std::string_view sql) {
  SF_ASSIGN_OR_RETURN(QueryResult result, Query(sql));
  if (result.rows.size() != 1 || result.rows[0].size() != 1 || !result.rows[0][0].has_value()) {
    return Internal("expected one non-NULL value from: " + std::string(sql.substr(0, 120)));
  }
  return std::move(*result.rows[0][0]);
}

StatusOr<int64_t> PgConnection::QueryInt(std::string_view sql) {
  SF_ASSIGN_OR_RETURN(std::string text, QueryValue(sql));
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0') return Internal("expected an integer, got " + text);
  return static_cast<int64_t>(value);
}

Status PgConnection::CopyBegin(std::string_view copy_sql) {
  copy_what_ = Summary(copy_sql);
  Waiting waiting(this, copy_what_);
  return waiting.Finish(CopyBeginImpl(copy_sql));
}

Status PgConnection::CopyBeginImpl(std::string_view copy_sql) {
  ResultPtr result(ExecParams(connection_, std::string(copy_sql), {}));
  if (result == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    return Unavailable("connection to PostgreSQL lost: " + OneLine(PQerrorMessage(connection_)));
  }
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) {
    return Status(CodeForSqlState(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE)),
                  ResultMessage(result.get()));
  }
  return Status::Ok();
}

Status PgConnection::CopyPut(std::string_view bytes) {
  if (bytes.empty()) return Status::Ok();
  Waiting waiting(this, "the data of " + copy_what_);
  if (PQputCopyData(connection_, bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return waiting.Finish(
        Unavailable("sending COPY data failed: " + OneLine(PQerrorMessage(connection_))));
  }
  return Status::Ok();
}

Status PgConnection::CopyEnd() {
  Waiting waiting(this, "the end of " + copy_what_);
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    return waiting.Finish(
        Unavailable("ending COPY failed: " + OneLine(PQerrorMessage(connection_))));
  }
  return waiting.Finish(DrainResults());
}

void PgConnection::CopyAbort() {
  Waiting waiting(this, "the abort of " + copy_what_);
  if (PQputCopyEnd(connection_, "seedforge: run aborted") != 1) return;
  while (PGresult* raw = PQgetResult(connection_)) PQclear(raw);
}

Status PgConnection::CopyOutImpl(std::string_view copy_sql,
                                 void (*callback)(void*, std::string_view), void* context) {
  const std::string text(copy_sql);
  Waiting waiting(this, Summary(copy_sql));
  {
    ResultPtr result(PQexec(connection_, text.c_str()));
    if (result == nullptr || PQresultStatus(result.get()) != PGRES_COPY_OUT) {
      if (result == nullptr) return waiting.Finish(ResultError("COPY TO failed"));
      return waiting.Finish(
          Status(CodeForSqlState(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE)),
                 ResultMessage(result.get())));
    }
  }
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(connection_, &buffer, 0);
    if (length > 0) {
      waiting.Progress();
      callback(context, std::string_view(buffer, static_cast<size_t>(length)));
      PQfreemem(buffer);
      waiting.Progress();
      continue;
    }
    if (length == -1) break;
    return waiting.Finish(
        Unavailable("reading COPY data failed: " + OneLine(PQerrorMessage(connection_))));
  }
  return waiting.Finish(DrainResults());
}

void PgConnection::RequestCancel() {
  PGcancel* cancel = PQgetCancel(connection_);
  if (cancel == nullptr) return;
  char error[256];
  (void)PQcancel(cancel, error, sizeof error);  // best effort: the statement then ends normally
  PQfreeCancel(cancel);
}

int PgConnection::server_version() const { return PQserverVersion(connection_); }

std::string PgConnection::server_version_text() const {
  const char* text = PQparameterStatus(connection_, "server_version");
  return text == nullptr ? std::string() : std::string(text);
}

std::string PgConnection::database() const { return PQdb(connection_); }

std::string PgConnection::QuoteIdentifier(std::string_view identifier) const {
  char* quoted = PQescapeIdentifier(connection_, identifier.data(), identifier.size());
  std::string out = quoted == nullptr ? std::string() : std::string(quoted);
  PQfreemem(quoted);
  return out;
}

std::string PgConnection::QuoteLiteral(std::string_view literal) const {
  char* quoted = PQescapeLiteral(connection_, literal.data(), literal.size());
  std::string out = quoted == nullptr ? std::string() : std::string(quoted);
  PQfreemem(quoted);
  return out;
}

std::string RedactConnectionString(std::string_view conninfo) { return RedactSecrets(conninfo); }

}  // namespace seedforge
