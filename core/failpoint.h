// Failpoints: named places in the code where a test makes seedforge stop dead, fail, interrupt
// itself or pause, so that every kill, interrupt and race test hits exactly the state it claims
// to test. A testing aid, off unless SEEDFORGE_FAILPOINTS is set (documented in README.md):
//
//   SEEDFORGE_FAILPOINTS="POINT[@N]=ACTION[;POINT[@N]=ACTION...]"
//
// POINT is a point's name ("sink.batch_committed") or its name and detail
// ("sink.batch_committed:events", the detail being a table for most points). N (default 1) says
// which hit acts: the N-th time that POINT is reached in this process. ACTION is one of
//   kill     the process kills itself with SIGKILL (no cleanup, exactly like `kill -9`)
//   error    the point returns kInternal "failpoint POINT"
//   sigint   the process sends itself SIGINT (as Ctrl-C would), then goes on
//   sigterm  the process sends itself SIGTERM, then goes on
//   pause    creates DIR/POINT.reached, then waits until DIR/POINT.resume exists
//            (DIR is SEEDFORGE_FAILPOINTS_DIR, required for pause)
// A malformed specification ends the process with one line on stderr and exit code 2.
//
// Cost when unset: one load of a flag that was read once. Thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"

namespace seedforge::failpoint {

// True when SEEDFORGE_FAILPOINTS is set (read once, on the first call).
bool Enabled();

// Reaches point `name` with `detail` (may be empty). Returns what the matching action says (OK
// for every action but `error`; `kill` does not return).
Status Reach(std::string_view name, std::string_view detail);

}  // namespace seedforge::failpoint

// Reaches a failpoint and returns from the enclosing function when its action is `error`.
#define SF_FAILPOINT(name, detail)                                         \
  do {                                                                     \
    if (::seedforge::failpoint::Enabled()) {                               \
      SF_RETURN_IF_ERROR(::seedforge::failpoint::Reach((name), (detail))); \
    }                                                                      \
  } while (false)
