// The admin HTTP server (see admin_server.h).
//
// One job slot per server: a seed, reset, clear, verify or snapshot change takes it, and a request
// that finds it taken gets 409 naming the running job. Seeds run on a worker thread and answer
// 202 at once (the job is then read at /api/v1/jobs/current, or followed as Server-Sent Events);
// the shorter jobs run on the request's thread and answer when done. Across processes the
// advisory lock the backend takes (the CLI's) still makes seeders take turns.
//
// The job's progress is a ProgressListener fed by the run's table workers; the JSON of a job is
// rendered under its mutex, so a reader never sees a table half updated.
#include "tools/admin_server.h"

#include <httplib.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "engine/json_text.h"

namespace seedforge {
namespace {

using Clock = std::chrono::steady_clock;

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

std::string ErrorJson(std::string_view message) { return "{\"error\":" + Quoted(message) + "}"; }

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kUnavailable:
      return 409;
    default:
      return 500;
  }
}

void ReplyJson(httplib::Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_content(json, "application/json");
}

void ReplyError(httplib::Response& res, int status, std::string_view message) {
  ReplyJson(res, status, ErrorJson(message));
}

void ReplyStatus(httplib::Response& res, const Status& status) {
  ReplyError(res, HttpStatusFor(status), status.message());
}

// Equal tokens, compared in time that does not depend on where they differ.
bool SameToken(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  }
  return difference == 0;
}

// A job: what runs, and its progress as the run reports it. Thread-safe.
class Job final : public ProgressListener {
 public:
  Job(int64_t id, std::string kind) : id_(id), kind_(std::move(kind)) {
    started_ = Clock::now();
    started_at_ = UtcNow();
  }

  const std::string& kind() const { return kind_; }

  bool running() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return !finished_;
  }

  void Finish(const Status& status) {
    const std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    seconds_ = std::chrono::duration<double>(Clock::now() - started_).count();
    if (!status.ok()) {
      error_ = status.message();
      return;
    }
    for (Table& table : tables_) {  // steps the run does not report as finished ("foreign keys")
      if (table.finished) continue;
      table.finished = true;
      table.finished_at = Clock::now();
    }
  }

  std::string Json() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const double seconds =
        finished_ ? seconds_ : std::chrono::duration<double>(Clock::now() - started_).count();
    const char* state = !finished_ ? "running" : error_.empty() ? "completed" : "failed";
    const bool completed = finished_ && error_.empty();
    std::string out =
        "{\"id\":" + std::to_string(id_) + ",\"kind\":" + Quoted(kind_) + ",\"state\":\"" + state +
        "\",\"started_at\":\"" + started_at_ + "\",\"seconds\":" + Number(seconds) +
        ",\"total_rows\":" + std::to_string(total_) + ",\"rows\":" + std::to_string(done_) +
        ",\"percent\":" + Number(completed ? 100.0 : Percent(done_, total_)) + ",\"tables\":[";
    bool first = true;
    for (const Table& table : tables_) {
      if (!first) out += ',';
      first = false;
      // A table's rate is over the time its rows took, not the indexes after them.
      const Clock::time_point until = table.finished ? table.finished_at
                                      : table.rows > 0 && table.done >= table.rows ? table.advanced
                                                                                   : Clock::now();
      const double table_seconds = std::chrono::duration<double>(until - table.started).count();
      const double rate = table_seconds > 0 ? static_cast<double>(table.done) / table_seconds : 0.0;
      const double percent = table.finished ? 100.0 : Percent(table.done, table.rows);
      out += "{\"table\":" + Quoted(table.table) + ",\"rows\":" + std::to_string(table.rows) +
             ",\"done\":" + std::to_string(table.done) + ",\"percent\":" + Number(percent) +
             ",\"rows_per_second\":" + Number(rate) + ",\"phase\":" +
             Quoted(table.finished        ? "done"
                    : table.phase.empty() ? "writing"
                                          : table.phase) +
             "}";
    }
    out += "]";
    if (!error_.empty()) out += ",\"error\":" + Quoted(error_);
    return out + "}";
  }

  void RunStarted(std::string_view /*verb*/, int64_t total_rows) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    total_ += total_rows;
  }
  void TableStarted(std::string_view table, int64_t rows) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    Table& entry = tables_.emplace_back();
    entry.table = std::string(table);
    entry.rows = rows;
    entry.started = Clock::now();
  }
  void TableAdvanced(std::string_view table, int64_t rows) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    done_ += rows;
    if (Table* entry = FindLocked(table)) {
      entry->done += rows;
      entry->advanced = Clock::now();
    }
  }
  void TablePhase(std::string_view table, std::string_view phase) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (Table* entry = FindLocked(table)) entry->phase = std::string(phase);
  }
  void TableFinished(std::string_view table) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (Table* entry = FindLocked(table)) {
      entry->finished = true;
      entry->finished_at = Clock::now();
    }
  }

 private:
  struct Table {
    std::string table;
    int64_t rows = 0;  // rows the run writes to it
    int64_t done = 0;
    std::string phase;
    Clock::time_point started;
    Clock::time_point advanced;  // when rows were last added
    Clock::time_point finished_at;
    bool finished = false;
  };

  static double Percent(int64_t done, int64_t total) {
    return total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0.0;
  }
  static std::string Number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
  }
  // The last entry of `table` (a table is started once per run; "foreign keys" may come twice).
  Table* FindLocked(std::string_view table) {
    for (auto it = tables_.rbegin(); it != tables_.rend(); ++it) {
      if (it->table == table) return &*it;
    }
    return nullptr;
  }

  const int64_t id_;
  const std::string kind_;
  mutable std::mutex mutex_;
  // Every member below is guarded by mutex_.
  Clock::time_point started_;
  std::string started_at_;
  bool finished_ = false;
  double seconds_ = 0;
  std::string error_;
  int64_t total_ = 0;
  int64_t done_ = 0;
  std::vector<Table> tables_;
};

// A parsed JSON request body: an object, or an empty body (as {}).
class Body {
 public:
  Status Parse(const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      padded_ = simdjson::padded_string(std::string_view("{}"));
    } else {
      padded_ = simdjson::padded_string(text);
    }
    simdjson::dom::element root;
    if (parser_.parse(padded_).get(root) != simdjson::SUCCESS) {
      return InvalidArgument("the request body is not valid JSON");
    }
    if (root.get_object().get(object_) != simdjson::SUCCESS) {
      return InvalidArgument("the request body must be a JSON object");
    }
    return Status::Ok();
  }

  const simdjson::dom::object& object() const { return object_; }

  StatusOr<std::string> String(const char* key, std::string fallback = "") const {
    simdjson::dom::element value;
    if (object_.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return fallback;
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("\"") + key + "\" must be a string");
    }
    return std::string(text);
  }
  StatusOr<bool> Bool(const char* key) const {
    simdjson::dom::element value;
    if (object_.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return false;
    bool flag = false;
    if (value.get_bool().get(flag) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("\"") + key + "\" must be true or false");
    }
    return flag;
  }
  StatusOr<std::optional<int64_t>> Count(const char* key) const {
    simdjson::dom::element value;
    if (object_.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) {
      return std::optional<int64_t>();
    }
    return CountOf(key, value);
  }
  static StatusOr<std::optional<int64_t>> CountOf(std::string_view key,
                                                  simdjson::dom::element value) {
    int64_t count = 0;
    if (value.get_int64().get(count) != simdjson::SUCCESS || count < 0) {
      return InvalidArgument("\"" + std::string(key) + "\" must be a whole number >= 0");
    }
    return std::optional<int64_t>(count);
  }

 private:
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
  simdjson::dom::object object_;
};

class AdminServer {
 public:
  AdminServer(const AdminServerOptions& options, AdminBackend& backend)
      : options_(options), backend_(backend), login_code_(options.login_code) {}

  ~AdminServer() {
    if (worker_.joinable()) worker_.join();
  }

  Status Run() {
    Routes();
    server_.set_payload_max_length(static_cast<size_t>(options_.max_body_bytes));
    int port = options_.port;
    if (port == 0) {
      port = server_.bind_to_any_port(options_.host);
    } else if (!server_.bind_to_port(options_.host, port)) {
      port = -1;
    }
    if (port <= 0) {
      return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                         " (address in use or not available)");
    }
    std::thread listener([this] { server_.listen_after_bind(); });
    if (options_.on_listening) {
      const std::string host =
          options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
      options_.on_listening("http://" + host + ":" + std::to_string(port));
    }
    while (!Stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // The running job sees the same flag (the CLI's cancel flag) and stops as the CLI does.
    server_.stop();
    listener.join();
    const std::lock_guard<std::mutex> lock(jobs_mutex_);
    if (worker_.joinable()) worker_.join();
    return Status::Ok();
  }

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }

  // Takes the job slot for a job of `kind`, or answers 409 and returns null.
  std::shared_ptr<Job> BeginJob(const std::string& kind, httplib::Response& res) {
    const std::lock_guard<std::mutex> lock(jobs_mutex_);
    if (current_ != nullptr && current_->running()) {
      ReplyJson(res, 409,
                "{\"error\":" +
                    Quoted("another job is running on database " + backend_.database() + ": " +
                           current_->kind() + "; try again when it has finished") +
                    ",\"job\":" + current_->Json() + "}");
      return nullptr;
    }
    if (Stopping()) {
      ReplyError(res, 503, "the server is stopping");
      return nullptr;
    }
    current_ = std::make_shared<Job>(++job_count_, kind);
    return current_;
  }

  // Runs `work` as a job on the request's thread, then answers `result` (or the error).
  void RunNow(const std::string& kind, httplib::Response& res,
              const std::function<StatusOr<std::string>()>& work) {
    std::shared_ptr<Job> job = BeginJob(kind, res);
    if (job == nullptr) return;
    StatusOr<std::string> result = work();
    job->Finish(result.status());
    if (!result.ok()) return ReplyStatus(res, result.status());
    ReplyJson(res, 200, *result);
  }

  // Starts a seed on the worker thread and answers 202 with the job.
  void StartSeed(const AdminSeedRequest& request, httplib::Response& res) {
    std::shared_ptr<Job> job = BeginJob(request.command, res);
    if (job == nullptr) return;
    const std::lock_guard<std::mutex> lock(jobs_mutex_);
    if (worker_.joinable()) worker_.join();  // the previous job, finished
    worker_ = std::thread([this, job, request] { job->Finish(backend_.Seed(request, job.get())); });
    ReplyJson(res, 202, "{\"job\":" + job->Json() + "}");
  }

  std::shared_ptr<Job> CurrentJob() {
    const std::lock_guard<std::mutex> lock(jobs_mutex_);
    return current_;
  }

  // OK when `body` confirms with the database name.
  Status CheckConfirmed(const Body& body, const std::string& what) const {
    SF_ASSIGN_OR_RETURN(const std::string confirm, body.String("confirm"));
    if (confirm == backend_.database()) return Status::Ok();
    return InvalidArgument(what + " needs {\"confirm\": \"" + backend_.database() +
                           "\"} (the database name); nothing was changed");
  }

  // The AdminSeedRequest of POST seed and reset: {"profile", "seed", "rows": {TABLE: N},
  // "clear_existing", "batch_size"}.
  static Status ParseSeedRequest(const Body& body, AdminSeedRequest* request) {
    SF_ASSIGN_OR_RETURN(request->profile, body.String("profile"));
    simdjson::dom::element seed;
    if (body.object().at_key("seed").get(seed) == simdjson::SUCCESS && !seed.is_null()) {
      uint64_t number = 0;
      std::string_view text;
      if (seed.get_uint64().get(number) == simdjson::SUCCESS) {
        request->seed = std::to_string(number);
      } else if (seed.get_string().get(text) == simdjson::SUCCESS) {
        request->seed = std::string(text);
      } else {
        return InvalidArgument("\"seed\" must be a whole number");
      }
    }
    simdjson::dom::element rows;
    if (body.object().at_key("rows").get(rows) == simdjson::SUCCESS && !rows.is_null()) {
      simdjson::dom::object targets;
      if (rows.get_object().get(targets) != simdjson::SUCCESS) {
        return InvalidArgument("\"rows\" must be an object of table: count");
      }
      for (const auto field : targets) {
        SF_ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                            Body::CountOf("rows." + std::string(field.key), field.value));
        request->rows.push_back(std::string(field.key) + "=" + std::to_string(*count));
      }
    }
    SF_ASSIGN_OR_RETURN(request->clear_existing, body.Bool("clear_existing"));
    return ParseBatchSize(body, request);
  }

  static Status ParseBatchSize(const Body& body, AdminSeedRequest* request) {
    SF_ASSIGN_OR_RETURN(const std::optional<int64_t> batch, body.Count("batch_size"));
    if (!batch.has_value()) return Status::Ok();
    if (*batch < 1) return InvalidArgument("\"batch_size\" must be at least 1");
    request->batch_size = *batch;
    return Status::Ok();
  }

  // The applications' endpoint: {"clear_existing": bool, "<table>": count, ..., "batch_size": n}.
  static Status ParseDemoRequest(const Body& body, AdminSeedRequest* request) {
    SF_ASSIGN_OR_RETURN(request->clear_existing, body.Bool("clear_existing"));
    SF_RETURN_IF_ERROR(ParseBatchSize(body, request));
    for (const auto field : body.object()) {
      if (field.key == "clear_existing" || field.key == "batch_size") continue;
      SF_ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                          Body::CountOf(field.key, field.value));
      request->rows.push_back(std::string(field.key) + "=" + std::to_string(*count));
    }
    return Status::Ok();
  }

  // Parses the body into `body`, or answers 400 and returns false.
  static bool ParseBody(const httplib::Request& req, httplib::Response& res, Body* body) {
    if (Status parsed = body->Parse(req.body); !parsed.ok()) {
      ReplyStatus(res, parsed);
      return false;
    }
    return true;
  }

  // The bearer token rule for /api/ (see admin_server.h); answers and returns false when broken.
  bool Authorized(const httplib::Request& req, httplib::Response& res) const {
    std::string given;
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) == 0) {
      given = header.substr(7);
    } else if (req.path == "/api/v1/jobs/current/events" && req.has_param("token")) {
      given = req.get_param_value("token");
    }
    if (given.empty()) {
      ReplyError(res, 401, "missing Authorization: Bearer TOKEN (see the token serve printed)");
      return false;
    }
    if (!SameToken(given, options_.token)) {
      ReplyError(res, 403, "wrong token");
      return false;
    }
    return true;
  }

  void Login(const httplib::Request& req, httplib::Response& res) {
    Body body;
    if (!ParseBody(req, res, &body)) return;
    const StatusOr<std::string> code = body.String("code");
    if (!code.ok()) return ReplyStatus(res, code.status());
    const std::lock_guard<std::mutex> lock(jobs_mutex_);
    if (login_code_.empty() || !SameToken(*code, login_code_)) {
      return ReplyError(res, 403, "the login code is wrong or was used already");
    }
    login_code_.clear();  // one time only
    ReplyJson(res, 200, "{\"token\":" + Quoted(options_.token) + "}");
  }

  void Events(httplib::Response& res) {
    std::shared_ptr<Job> job = CurrentJob();
    if (job == nullptr) return ReplyError(res, 404, "no job has run since the server started");
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream", [this, job, sent = std::string(), first = true](
                                 size_t /*offset*/, httplib::DataSink& sink) mutable {
          // At most four events a second; a comment line after five seconds without news keeps
          // proxies from closing the stream.
          for (int waited = 0; waited < 20; ++waited) {
            if (!first) std::this_thread::sleep_for(std::chrono::milliseconds(250));
            first = false;
            if (Stopping()) {
              sink.done();
              return true;
            }
            const bool running = job->running();
            const std::string json = job->Json();
            if (json == sent && running) continue;
            sent = json;
            const std::string event = std::string("event: ") + (running ? "progress" : "end") +
                                      "\ndata: " + json + "\n\n";
            if (!sink.write(event.data(), event.size())) return false;
            if (!running) sink.done();
            return true;
          }
          return sink.write(":\n\n", 3);
        });
  }

  void SnapshotRoutes() {
    static const char* kNamed = R"(/api/v1/snapshots/([A-Za-z0-9][A-Za-z0-9._-]*))";
    server_.Get("/api/v1/snapshots", [this](const httplib::Request&, httplib::Response& res) {
      Answer(res, backend_.ListSnapshots());
    });
    server_.Get(kNamed, [this](const httplib::Request& req, httplib::Response& res) {
      Answer(res, backend_.ShowSnapshot(req.matches[1]));
    });
    server_.Post("/api/v1/snapshots", [this](const httplib::Request& req, httplib::Response& res) {
      Body body;
      if (!ParseBody(req, res, &body)) return;
      const StatusOr<std::string> name = body.String("name");
      if (!name.ok()) return ReplyStatus(res, name.status());
      RunNow("snapshot create", res, [&] { return backend_.CreateSnapshot(*name); });
      if (res.status == 200) res.status = 201;
    });
    server_.Post("/api/v1/snapshots/prune",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   Body body;
                   if (!ParseBody(req, res, &body)) return;
                   const StatusOr<std::optional<int64_t>> keep = body.Count("keep");
                   if (!keep.ok()) return ReplyStatus(res, keep.status());
                   if (!keep->has_value()) return ReplyError(res, 400, "prune needs {\"keep\": N}");
                   RunNow("snapshot prune", res, [&]() -> StatusOr<std::string> {
                     SF_RETURN_IF_ERROR(backend_.PruneSnapshots(static_cast<int>(**keep)));
                     return std::string("{\"pruned\":true}");
                   });
                 });
    server_.Post(std::string(kNamed) + "/restore",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   Body body;
                   if (!ParseBody(req, res, &body)) return;
                   if (Status confirmed = CheckConfirmed(body, "a restore"); !confirmed.ok()) {
                     return ReplyStatus(res, confirmed);
                   }
                   const std::string name = req.matches[1];
                   RunNow("snapshot restore", res, [&]() -> StatusOr<std::string> {
                     SF_RETURN_IF_ERROR(backend_.RestoreSnapshot(name));
                     return "{\"restored\":" + Quoted(name) + "}";
                   });
                 });
    server_.Delete(kNamed, [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      RunNow("snapshot delete", res, [&]() -> StatusOr<std::string> {
        SF_RETURN_IF_ERROR(backend_.DeleteSnapshot(name));
        return "{\"deleted\":" + Quoted(name) + "}";
      });
    });
  }

  static void Answer(httplib::Response& res, const StatusOr<std::string>& result) {
    if (!result.ok()) return ReplyStatus(res, result.status());
    ReplyJson(res, 200, *result);
  }

  void SeedRoutes() {
    server_.Post("/api/v1/seed", [this](const httplib::Request& req, httplib::Response& res) {
      Body body;
      if (!ParseBody(req, res, &body)) return;
      AdminSeedRequest request;
      if (Status parsed = ParseSeedRequest(body, &request); !parsed.ok()) {
        return ReplyStatus(res, parsed);
      }
      StartSeed(request, res);
    });
    server_.Post("/api/v1/reset", [this](const httplib::Request& req, httplib::Response& res) {
      Body body;
      if (!ParseBody(req, res, &body)) return;
      AdminSeedRequest request;
      Status parsed = CheckConfirmed(body, "a reset");
      if (parsed.ok()) parsed = ParseSeedRequest(body, &request);
      if (!parsed.ok()) return ReplyStatus(res, parsed);
      request.command = "reset";
      StartSeed(request, res);
    });
    server_.Post("/api/v1/admin/seed-demo-data",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   Body body;
                   if (!ParseBody(req, res, &body)) return;
                   AdminSeedRequest request;
                   if (Status parsed = ParseDemoRequest(body, &request); !parsed.ok()) {
                     return ReplyStatus(res, parsed);
                   }
                   StartSeed(request, res);
                 });
    server_.Post("/api/v1/clear", [this](const httplib::Request& req, httplib::Response& res) {
      Body body;
      if (!ParseBody(req, res, &body)) return;
      Status checked = CheckConfirmed(body, "a clear");
      const StatusOr<std::string> profile = body.String("profile");
      if (checked.ok()) checked = profile.status();
      if (!checked.ok()) return ReplyStatus(res, checked);
      RunNow("clear", res, [&]() -> StatusOr<std::string> {
        SF_RETURN_IF_ERROR(backend_.Clear(*profile));
        return std::string("{\"cleared\":true}");
      });
    });
    server_.Post("/api/v1/verify", [this](const httplib::Request& req, httplib::Response& res) {
      Body body;
      if (!ParseBody(req, res, &body)) return;
      const StatusOr<std::string> profile = body.String("profile");
      if (!profile.ok()) return ReplyStatus(res, profile.status());
      RunNow("verify", res, [&] { return backend_.Verify(*profile); });
    });
  }

  void Routes() {
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      // Never framed by another site, no referrer (the login link holds a code), no caching.
      res.set_header("X-Frame-Options", "DENY");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Cache-Control", "no-store");
      if (req.path.rfind("/api/", 0) != 0 || req.path == "/api/v1/login") {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      return Authorized(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                  : httplib::Server::HandlerResponse::Handled;
    });
    // Answers httplib makes itself (404, 413, 400) carry the JSON error too.
    server_.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&,
                                                                          httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      const std::string message = res.status == 413
                                      ? "request body too large (at most " +
                                            std::to_string(options_.max_body_bytes) + " bytes)"
                                  : res.status == 404 ? "no such endpoint"
                                                      : "HTTP status " + std::to_string(res.status);
      res.set_content(ErrorJson(message), "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }));
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          ReplyError(res, 500, "internal error");
        });
    server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy",
                     "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                     "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                     "form-action 'none'; frame-ancestors 'none'");
      res.set_content(std::string(AdminPageHtml()), "text/html; charset=utf-8");
    });
    server_.Post("/api/v1/login",
                 [this](const httplib::Request& req, httplib::Response& res) { Login(req, res); });
    server_.Get("/api/v1/stats", [this](const httplib::Request& req, httplib::Response& res) {
      Answer(res, backend_.Stats(req.get_param_value("profile")));
    });
    server_.Get("/api/v1/jobs/current", [this](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<Job> job = CurrentJob();
      if (job == nullptr) return ReplyError(res, 404, "no job has run since the server started");
      ReplyJson(res, 200, job->Json());
    });
    server_.Get("/api/v1/jobs/current/events",
                [this](const httplib::Request&, httplib::Response& res) { Events(res); });
    server_.Get("/api/v1/runs", [this](const httplib::Request& req, httplib::Response& res) {
      int limit = 50;
      if (req.has_param("limit")) {
        const std::string text = req.get_param_value("limit");
        char* end = nullptr;
        const long value = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || value < 1 || value > 10000) {
          return ReplyError(res, 400, "limit must be a number from 1 to 10000, got '" + text + "'");
        }
        limit = static_cast<int>(value);
      }
      Answer(res,
             backend_.Runs(req.get_param_value("profile"), req.get_param_value("command"), limit));
    });
    SeedRoutes();
    SnapshotRoutes();
  }

  const AdminServerOptions& options_;
  AdminBackend& backend_;
  httplib::Server server_;
  std::mutex jobs_mutex_;
  // Guarded by jobs_mutex_: the one-time code (emptied once used), the job slot, its worker.
  std::string login_code_;
  std::shared_ptr<Job> current_;
  int64_t job_count_ = 0;
  std::thread worker_;
};

}  // namespace

Status AdminServerOptions::Validate() const {
  if (token.empty()) return InvalidArgument("serve needs a token");
  if (port < 0 || port > 65535) {
    return InvalidArgument("--listen: port must be between 0 and 65535, got " +
                           std::to_string(port));
  }
  if (max_body_bytes < 1) return InvalidArgument("max_body_bytes must be positive");
  return Status::Ok();
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

StatusOr<std::string> RandomToken() {
  std::ifstream random("/dev/urandom", std::ios::binary);
  unsigned char bytes[16];
  if (!random.read(reinterpret_cast<char*>(bytes), sizeof bytes)) {
    return IoError("cannot read /dev/urandom for a random token");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (const unsigned char byte : bytes) {
    token += kHex[byte >> 4];
    token += kHex[byte & 15];
  }
  return token;
}

Status RunAdminServer(const AdminServerOptions& options, AdminBackend& backend) {
  SF_RETURN_IF_ERROR(options.Validate());
  AdminServer server(options, backend);
  return server.Run();
}

}  // namespace seedforge
