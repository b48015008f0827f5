// `seedforge serve` as a library: the admin HTTP API under /api/v1/ and the web page at /, on
// cpp-httplib (Debian libcpp-httplib-dev). This module owns everything HTTP: routing, the bearer
// token and the one-time login code, the body limit, JSON errors, the one job slot and its live
// progress (JSON and Server-Sent Events). What a request does to the database is the backend's
// (AdminBackend, implemented by cli/cli_serve.cc with the commands' own functions), so a seed
// from the API is the seed of the command line.
//
// Security model: every /api/ request but POST /api/v1/login needs "Authorization: Bearer TOKEN"
// (401 without it, 403 with another token), GETs included, since stats and snapshots describe the
// data. The page gets the token by POST /api/v1/login with the one-time code of the link printed
// at start (a code works once) and keeps it in sessionStorage: there is no cookie a foreign site
// could make the browser send, so no CSRF. GET /api/v1/jobs/current/events also takes the token as
// ?token=, because EventSource cannot send headers. No CORS headers are sent (a foreign page
// cannot read any answer); request bodies above the limit get 413.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/progress.h"

namespace seedforge {

// A seed, top-up or reset the API asked for.
struct AdminSeedRequest {
  std::string command = "seed";   // "seed" (a top-up when data exists) or "reset"
  std::string profile;            // "" : the server's --profile, else what filled the database
  std::string seed;               // "" : the profile's (or the recorded one)
  std::vector<std::string> rows;  // TABLE=N targets, as --rows takes them
  bool clear_existing = false;    // empty the tables first (seed --clear-existing --yes)
  int64_t batch_size = 10000;
};

// What the server calls to act on the database. Called from the server's threads, one job at a
// time (the server's job slot), reads (stats, snapshots, runs) at any time: implementations must
// be thread-safe for that. Returned JSON is a complete JSON value. Errors map to HTTP statuses:
// kInvalidArgument 400, kNotFound 404, kFailedPrecondition and kUnavailable 409, others 500.
class AdminBackend {
 public:
  virtual ~AdminBackend() = default;
  // The database name (what clear and reset must be confirmed with) and the --profile given ("").
  virtual std::string database() const = 0;
  virtual std::string profile() const = 0;
  // tools/stats.h FormatStatsJson for `profile` ("" : as for a seed without profile).
  virtual StatusOr<std::string> Stats(const std::string& profile) = 0;
  // Runs the seed, telling `progress` as it goes. Returns the error message of a failed run.
  virtual Status Seed(const AdminSeedRequest& request, ProgressListener* progress) = 0;
  // Empties the profile's tables (one transaction, under the advisory lock).
  virtual Status Clear(const std::string& profile) = 0;
  // tools/verify.h FormatVerifyJson.
  virtual StatusOr<std::string> Verify(const std::string& profile) = 0;
  // Snapshots: list (JSON array), show (the manifest), create, restore, delete, prune.
  virtual StatusOr<std::string> ListSnapshots() = 0;
  virtual StatusOr<std::string> ShowSnapshot(const std::string& name) = 0;
  virtual StatusOr<std::string> CreateSnapshot(const std::string& name) = 0;
  virtual Status RestoreSnapshot(const std::string& name) = 0;
  virtual Status DeleteSnapshot(const std::string& name) = 0;
  virtual Status PruneSnapshots(int keep) = 0;
  // seedforge.runs, newest first, at most `limit` rows (JSON array).
  virtual StatusOr<std::string> Runs(const std::string& profile, const std::string& command,
                                     int limit) = 0;
};

struct AdminServerOptions {
  std::string host = "127.0.0.1";      // address to listen on
  int port = 8421;                     // 0: any free port (the one taken is printed)
  std::string token;                   // REQUIRES: not empty
  std::string login_code;              // one-time code of the printed link; "" : no link
  int64_t max_body_bytes = 64 * 1024;  // larger request bodies get 413
  // Set by the signal handler: stop accepting, wait for the running job (which sees the same
  // flag and stops as the CLI does), return.
  const std::atomic<bool>* stop = nullptr;
  // Told the address once the socket listens ("http://127.0.0.1:8421"), before any request.
  std::function<void(const std::string& base_url)> on_listening;

  Status Validate() const;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// A random token of 32 hex digits from the system's CSPRNG (/dev/urandom).
StatusOr<std::string> RandomToken();

// Serves until *options.stop becomes true. kUnavailable when the address cannot be bound.
Status RunAdminServer(const AdminServerOptions& options, AdminBackend& backend);

// The page at / (tools/admin_page.cc): HTML with its script and style inline, no external request.
std::string_view AdminPageHtml();

}  // namespace seedforge
