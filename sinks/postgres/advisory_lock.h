// The session advisory lock (kAdvisoryLockKey, sinks/sink.h) that makes two seeders on one
// database take turns. Held by the connection until it closes.
#pragma once

#include "core/status.h"
#include "sinks/sink.h"

namespace seedforge {

class PgConnection;

// Takes the lock on `connection`, waiting for another holder as `options` say: a notice once
// when it has to wait, kCancelled when options.cancel becomes true, kUnavailable after
// options.lock_timeout_seconds (0: wait forever). Polls rather than blocks, so that both are
// noticed within a tenth of a second.
Status TakeAdvisoryLock(PgConnection& connection, const PostgresSinkOptions& options);

}  // namespace seedforge
