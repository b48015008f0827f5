// libpq behind a Status-returning API.
//
// Error text is built from the server's structured fields (severity-free primary message, then
// detail and hint) so that a user sees one line. Connection failures are classified so the CLI
// can say "cannot reach" versus "authentication failed"; neither echoes the connection string's
// password, which libpq itself never prints either.
#include "sinks/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace seedforge {
namespace {

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

StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (connection == nullptr) return Internal("out of memory creating a libpq connection");
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = OneLine(PQerrorMessage(connection));
    PQfinish(connection);
    // libpq has no error code for connection failures; the server's wording is stable.
    const bool auth = message.find("password authentication failed") != std::string::npos ||
                      message.find("no password supplied") != std::string::npos ||
                      message.find("authentication failed") != std::string::npos ||
                      message.find("no pg_hba.conf entry") != std::string::npos;
    const bool missing_db = message.find("does not exist") != std::string::npos;
    const StatusCode code = auth         ? StatusCode::kPermissionDenied
                            : missing_db ? StatusCode::kNotFound
                                         : StatusCode::kUnavailable;
    return Status(code, "cannot connect to PostgreSQL: " + message);
  }
  auto owned = std::unique_ptr<PgConnection>(new PgConnection(connection));
  SF_RETURN_IF_ERROR(owned->Execute(
      "SET TIME ZONE 'UTC'; SET client_min_messages = warning; SET datestyle = 'ISO'"));
  return owned;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

Status PgConnection::ResultError(const char* what) const {
  return Status(StatusCode::kInternal,
                std::string(what) + ": " + OneLine(PQerrorMessage(connection_)));
}

Status PgConnection::Execute(std::string_view sql) {
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
  return ResultRows(ExecParams(connection_, std::string(sql), params));
}

StatusOr<QueryResult> PgConnection::Query(std::string_view sql) {
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
  if (PQputCopyData(connection_, bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Unavailable("sending COPY data failed: " + OneLine(PQerrorMessage(connection_)));
  }
  return Status::Ok();
}

Status PgConnection::CopyEnd() {
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    return Unavailable("ending COPY failed: " + OneLine(PQerrorMessage(connection_)));
  }
  return DrainResults();
}

void PgConnection::CopyAbort() {
  if (PQputCopyEnd(connection_, "seedforge: run aborted") != 1) return;
  while (PGresult* raw = PQgetResult(connection_)) PQclear(raw);
}

Status PgConnection::CopyOutImpl(std::string_view copy_sql,
                                 void (*callback)(void*, std::string_view), void* context) {
  const std::string text(copy_sql);
  {
    ResultPtr result(PQexec(connection_, text.c_str()));
    if (result == nullptr || PQresultStatus(result.get()) != PGRES_COPY_OUT) {
      if (result == nullptr) return ResultError("COPY TO failed");
      return Status(CodeForSqlState(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE)),
                    ResultMessage(result.get()));
    }
  }
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(connection_, &buffer, 0);
    if (length > 0) {
      callback(context, std::string_view(buffer, static_cast<size_t>(length)));
      PQfreemem(buffer);
      continue;
    }
    if (length == -1) break;
    return Unavailable("reading COPY data failed: " + OneLine(PQerrorMessage(connection_)));
  }
  return DrainResults();
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

std::string RedactConnectionString(std::string_view conninfo) {
  std::string text(conninfo);
  // URI form: scheme://user:password@host...
  const size_t scheme = text.find("://");
  if (scheme != std::string::npos) {
    const size_t authority = scheme + 3;
    const size_t at = text.find('@', authority);
    const size_t slash = text.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = text.find(':', authority);
      if (colon != std::string::npos && colon < at) text.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // key=value form and URI query parameters: password=...
  for (size_t pos = text.find("password="); pos != std::string::npos;
       pos = text.find("password=", pos + 1)) {
    const size_t value = pos + 9;
    size_t end = value;
    if (end < text.size() && text[end] == '\'') {
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      if (end < text.size()) ++end;
    } else {
      while (end < text.size() && text[end] != ' ' && text[end] != '&') ++end;
    }
    text.replace(value, std::min(end, text.size()) - value, "***");
  }
  return text;
}

}  // namespace seedforge
