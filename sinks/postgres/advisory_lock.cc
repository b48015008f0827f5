// The advisory lock (see advisory_lock.h). pg_try_advisory_lock in a loop rather than one
// blocking pg_advisory_lock: a blocked statement would notice neither Ctrl-C (the cancel flag)
// nor --lock-timeout until the other run ends.
#include "sinks/postgres/advisory_lock.h"

#include <chrono>
#include <string>
#include <thread>

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"

namespace seedforge {

Status TakeAdvisoryLock(PgConnection& connection, const PostgresSinkOptions& options) {
  const std::string key = std::to_string(kAdvisoryLockKey);
  SF_ASSIGN_OR_RETURN(std::string got,
                      connection.QueryValue("SELECT pg_try_advisory_lock(" + key + ")"));
  if (got == "t") {
    SF_FAILPOINT("sink.lock_taken", "");
    return Status::Ok();
  }
  if (options.notice) {
    options.notice("waiting for another seedforge run on database " + connection.database() +
                   " to finish (advisory lock " + key + ")");
  }
  SF_FAILPOINT("sink.lock_busy", "");
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (options.cancel != nullptr && options.cancel->load()) {
      return Cancelled("interrupted while waiting for another seedforge run");
    }
    SF_ASSIGN_OR_RETURN(got, connection.QueryValue("SELECT pg_try_advisory_lock(" + key + ")"));
    if (got == "t") {
      SF_FAILPOINT("sink.lock_taken", "");
      return Status::Ok();
    }
    if (options.lock_timeout_seconds > 0 &&
        std::chrono::steady_clock::now() - started >=
            std::chrono::seconds(options.lock_timeout_seconds)) {
      return Unavailable("gave up after " + std::to_string(options.lock_timeout_seconds) +
                         " s waiting for another seedforge run on this database (--lock-timeout)");
    }
  }
}

}  // namespace seedforge
