// Folder core/: the shared vocabulary every other folder may use: Status, ByteBuffer, the
// RowWriter interface, the table model, civil time, redaction, atomic output files, failpoints.
// It includes nothing of the project outside core/.
//
// Errors as values.
//
// Every function that can fail returns a Status or a StatusOr<T>. A Status carries a code, which
// the CLI maps to an exit code, and one human-readable line that names what went wrong and where
// (file and JSON path, table and column, server message). Messages never contain passwords.
#pragma once

#include <cassert>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace seedforge {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from the user: profile, flags, environment (exit 2)
  kNotFound,            // a named thing (profile, file, table) does not exist (exit 2)
  kFailedPrecondition,  // the world is not in a state we can work with (schema mismatch...)
  kUnavailable,         // the server could not be reached or went away
  kPermissionDenied,    // the server refused for lack of privilege
  kIoError,             // reading or writing a local file failed
  kCancelled,           // the user interrupted the run (SIGINT/SIGTERM)
  kInternal,            // a bug or an unexpected server answer
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message", for adding where an error happened.
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    std::string combined(context);
    combined += ": ";
    combined += message_;
    return Status(code_, std::move(combined));
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}
inline Status NotFound(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}
inline Status FailedPrecondition(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}
inline Status Unavailable(std::string message) {
  return Status(StatusCode::kUnavailable, std::move(message));
}
inline Status PermissionDenied(std::string message) {
  return Status(StatusCode::kPermissionDenied, std::move(message));
}
inline Status IoError(std::string message) {
  return Status(StatusCode::kIoError, std::move(message));
}
inline Status Cancelled(std::string message) {
  return Status(StatusCode::kCancelled, std::move(message));
}
inline Status Internal(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr needs a value or an error");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok(). Aborts otherwise (a programmer mistake, not an input error).
  T& value() & { return Checked(); }
  const T& value() const& { return const_cast<StatusOr*>(this)->Checked(); }
  T&& value() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<StatusOr*>(this)->Checked(); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<StatusOr*>(this)->Checked(); }

 private:
  T& Checked() {
    if (!value_.has_value()) std::abort();
    return *value_;
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace seedforge

#define SF_CONCAT_INNER(a, b) a##b
#define SF_CONCAT(a, b) SF_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function if it is not OK. The variable is named
// after the line, so a lambda using the macro inside another use does not shadow it.
#define SF_RETURN_IF_ERROR(expr) SF_RETURN_IF_ERROR_IMPL(SF_CONCAT(sf_status_, __LINE__), expr)
#define SF_RETURN_IF_ERROR_IMPL(var, expr) \
  do {                                     \
    ::seedforge::Status var = (expr);      \
    if (!var.ok()) return var;             \
  } while (false)

// Evaluates a StatusOr expression; returns its Status if not OK, else moves the value into `lhs`.
#define SF_ASSIGN_OR_RETURN(lhs, expr) \
  SF_ASSIGN_OR_RETURN_IMPL(SF_CONCAT(sf_status_or_, __LINE__), lhs, expr)
#define SF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
