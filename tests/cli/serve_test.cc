// `seedforge serve` run as a user would: the binary started on a free loopback port against the
// test binary's real server, talked to with httplib::Client. The token rules (missing 401, wrong
// 403, a non-loopback address without a token refused), the one-time login code, the body limit,
// each endpoint, one job at a time (409), clear and reset refused without the database name with
// the data unchanged, progress events during a `large` seed, seed-demo-data topping up exactly as
// `seedforge seed` does, and SIGTERM during a seed.
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::Execute;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::SeededDatabase;
using testing::TableFingerprint;
using testing::TestCluster;

const std::vector<std::string> kDefaultTables = {"users", "applications", "assets", "deployments",
                                                 "events"};

// The text after `prefix` up to the end of its line in `text`; "" when absent.
std::string LineAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  const size_t start = at + prefix.size();
  return text.substr(start, text.find('\n', start) - start);
}

// A parsed JSON answer.
class Json {
 public:
  explicit Json(const std::string& text) : padded_(text) {
    EXPECT_EQ(parser_.parse(padded_).get(root_), simdjson::SUCCESS) << text;
  }
  simdjson::dom::element root() const { return root_; }
  std::string String(const char* key) const {
    std::string_view value;
    if (root_[key].get_string().get(value) != simdjson::SUCCESS) return "<none>";
    return std::string(value);
  }
  int64_t Int(const char* key) const {
    int64_t value = -1;
    if (root_[key].get_int64().get(value) != simdjson::SUCCESS) return -1;
    return value;
  }

 private:
  simdjson::padded_string padded_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

// `seedforge serve --listen 127.0.0.1:0 --db URL --dir DIR ARGS`, up and listening.
class Server {
 public:
  Server(const std::string& url, const std::string& dir, std::vector<std::string> args = {},
         std::map<std::string, std::optional<std::string>> env = {}) {
    std::vector<std::string> command = {"serve", "--listen", "127.0.0.1:0", "--db", url,
                                        "--dir", dir};
    command.insert(command.end(), args.begin(), args.end());
    env["SEEDFORGE_TOKEN"] = std::nullopt;
    child_ = std::make_unique<ChildProcess>(command, env);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string out;
    while (std::chrono::steady_clock::now() < deadline) {
      out = child_->OutputSoFar();
      if (out.find("/?login=") != std::string::npos) break;
      if (!child_->Running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    output_ = out;
    const std::string link = LineAfter(out, "open (the link works once): ");
    EXPECT_FALSE(link.empty()) << out << child_->Wait().err;
    const size_t port_at = link.rfind(':');
    port_ = std::stoi(link.substr(port_at + 1, link.find('/', port_at) - port_at - 1));
    login_code_ = LineAfter(out, "/?login=");
    token_ = LineAfter(out, "token: ");
  }

  ChildProcess& child() { return *child_; }
  const std::string& token() const { return token_; }
  const std::string& login_code() const { return login_code_; }
  const std::string& output() const { return output_; }

  // A client without a token, and one sending `token` (the printed one by default).
  httplib::Client Anonymous() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(600, 0);
    return client;
  }
  httplib::Client Client(const std::string& token = "") const {
    httplib::Client client = Anonymous();
    client.set_bearer_token_auth(token.empty() ? token_ : token);
    return client;
  }

  httplib::Result Post(const std::string& path, const std::string& body) const {
    return Client().Post(path, body, "application/json");
  }

  // Polls GET /api/v1/jobs/current until the job is no longer running; returns its JSON.
  std::string WaitForJob() const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(600);
    while (std::chrono::steady_clock::now() < deadline) {
      httplib::Result result = Client().Get("/api/v1/jobs/current");
      if (!result) {
        ADD_FAILURE() << "no answer";
        return "";
      }
      if (result->body.find("\"state\":\"running\"") == std::string::npos) return result->body;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the job did not finish";
    return "";
  }

  // Starts a job with POST `path` and waits for it; returns the finished job's JSON.
  std::string RunJob(const std::string& path, const std::string& body) const {
    httplib::Result started = Post(path, body);
    EXPECT_TRUE(started);
    if (!started) return "";
    EXPECT_EQ(started->status, 202) << started->body;
    return WaitForJob();
  }

 private:
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
  std::string login_code_;
  std::string token_;
  std::string output_;
};

class Serve : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("serve"); }
  void TearDown() override { RemoveTree(dir_); }

  int64_t Rows(const std::string& url, const std::string& table) {
    return QueryInt(url, "SELECT count(*) FROM " + table);
  }
  std::vector<int64_t> AllRows(const std::string& url) {
    std::vector<int64_t> rows;
    for (const std::string& table : kDefaultTables) rows.push_back(Rows(url, table));
    return rows;
  }
  std::vector<std::string> Fingerprints(const std::string& url) {
    std::vector<std::string> fingerprints;
    for (const std::string& table : kDefaultTables) {
      fingerprints.push_back(TableFingerprint(url, table));
    }
    return fingerprints;
  }
  bool TableExists(const std::string& url, const std::string& table) {
    return QueryInt(url, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "'") == 1;
  }
  // The database name of a test cluster URI: the path after the authority, before any query
  // ("postgresql://127.0.0.1:5432/NAME" or "postgresql:///NAME?host=/run&port=5432").
  static std::string DatabaseName(const std::string& url) {
    const size_t path = url.find('/', url.find("://") + 3);
    return url.substr(path + 1, url.find('?', path) - path - 1);
  }

  std::string dir_;
};

TEST_F(Serve, EveryApiRequestNeedsTheTokenMissingIs401WrongIs403) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_token");
  Server server(url, dir_);
  ASSERT_EQ(server.token().size(), 32u);
  for (const std::string path : {"/api/v1/stats", "/api/v1/jobs/current", "/api/v1/snapshots",
                                 "/api/v1/runs", "/api/v1/jobs/current/events"}) {
    httplib::Result missing = server.Anonymous().Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_EQ(missing->status, 401) << path;
    EXPECT_EQ(Json(missing->body).String("error"),
              "missing Authorization: Bearer TOKEN (see the token serve printed)");
    httplib::Result wrong = server.Client("0123456789abcdef0123456789abcdef").Get(path);
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 403) << path;
    EXPECT_EQ(Json(wrong->body).String("error"), "wrong token");
  }
  // A seed without the token does nothing: no table is created.
  httplib::Result seed = server.Anonymous().Post("/api/v1/seed", "{}", "application/json");
  ASSERT_TRUE(seed);
  EXPECT_EQ(seed->status, 401);
  httplib::Result wrong_seed =
      server.Client("wrong").Post("/api/v1/seed", "{}", "application/json");
  ASSERT_TRUE(wrong_seed);
  EXPECT_EQ(wrong_seed->status, 403);
  EXPECT_FALSE(TableExists(url, "events"));
  // The right token is accepted; no CORS header is ever sent.
  httplib::Result stats = server.Client().Get("/api/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_FALSE(stats->has_header("Access-Control-Allow-Origin"));
  EXPECT_EQ(Json(stats->body).String("database"), DatabaseName(url));
}

TEST_F(Serve, GivenTokenIsRequiredAndNotPrinted) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_given");
  Server server(url, dir_, {"--token", "given-token-of-the-test"});
  EXPECT_EQ(server.token(), "");  // not printed when given
  EXPECT_EQ(server.output().find("given-token-of-the-test"), std::string::npos);
  httplib::Result stats = server.Client("given-token-of-the-test").Get("/api/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  httplib::Result other = server.Client("another-token-entirely").Get("/api/v1/stats");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
}

TEST_F(Serve, NonLoopbackListenWithoutTokenIsRefused) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_public");
  const ProcessResult result = RunSeedforge({"serve", "--listen", "0.0.0.0:0", "--db", url},
                                            {{"SEEDFORGE_TOKEN", std::nullopt}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --listen 0.0.0.0:0 is not a loopback address; give --token TOKEN "
            "(or SEEDFORGE_TOKEN) to serve on it\n");
}

TEST_F(Serve, LoginCodeGivesTheTokenOnce) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_login");
  Server server(url, dir_);
  httplib::Client client = server.Anonymous();
  httplib::Result wrong =
      client.Post("/api/v1/login", R"({"code": "not-the-code"})", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  const std::string body = R"({"code": ")" + server.login_code() + R"("})";
  httplib::Result first = client.Post("/api/v1/login", body, "application/json");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(Json(first->body).String("token"), server.token());
  httplib::Result again = client.Post("/api/v1/login", body, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
  EXPECT_EQ(Json(again->body).String("error"), "the login code is wrong or was used already");
}

TEST_F(Serve, PageIsServedWithoutExternalResources) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_page");
  Server server(url, dir_);
  httplib::Result page = server.Anonymous().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<title>seedforge serve</title>"), std::string::npos);
  EXPECT_EQ(page->body.find("<script src"), std::string::npos);
  EXPECT_EQ(page->body.find("<link"), std::string::npos);
  EXPECT_EQ(page->body.find("https://"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  httplib::Result unknown = server.Client().Get("/api/v1/nothing-here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Json(unknown->body).String("error"), "no such endpoint");
}

TEST_F(Serve, BodyOverTheLimitGets413AndChangesNothing) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_limit");
  Server server(url, dir_);
  const std::string body =
      "{\"rows\": {\"events\": 10}, \"pad\": \"" + std::string(70000, 'x') + "\"}";
  httplib::Result result = server.Post("/api/v1/seed", body);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(Json(result->body).String("error"), "request body too large (at most 65536 bytes)");
  httplib::Result job = server.Client().Get("/api/v1/jobs/current");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, 404);
  EXPECT_FALSE(TableExists(url, "events"));
  httplib::Result bad = server.Post("/api/v1/seed", "{not json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad->body).String("error"), "the request body is not valid JSON");
}

TEST_F(Serve, SeedJobFillsTheTargetsAndStatsShowThem) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_seed");
  Server server(url, dir_);
  const Json job(
      server.RunJob("/api/v1/seed", R"({"profile": "default", "rows": {"events": 3000}})"));
  EXPECT_EQ(job.String("state"), "completed");
  EXPECT_EQ(job.String("kind"), "seed");
  EXPECT_EQ(job.Int("total_rows"), 5 + 10 + 100 + 20 + 3000);
  EXPECT_EQ(job.Int("rows"), 5 + 10 + 100 + 20 + 3000);
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 3000}));

  httplib::Result stats = server.Client().Get("/api/v1/stats");
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->status, 200);
  const Json parsed(stats->body);
  EXPECT_EQ(parsed.String("profile"), "default");
  std::vector<int64_t> rows;
  for (const simdjson::dom::element table : parsed.root()["tables"].get_array()) {
    rows.push_back(table["rows"].get_int64().value());
  }
  EXPECT_EQ(rows, (std::vector<int64_t>{5, 10, 100, 20, 3000}));

  // The same request again is a top-up with nothing to add.
  const Json again(server.RunJob("/api/v1/seed", R"({"rows": {"events": 3000}})"));
  EXPECT_EQ(again.String("state"), "completed");
  EXPECT_EQ(again.Int("total_rows"), 0);
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 3000}));

  // A bad target fails the job with the CLI's message, nothing changed.
  const Json bad(server.RunJob("/api/v1/seed", R"({"rows": {"no_such_table": 3}})"));
  EXPECT_EQ(bad.String("state"), "failed");
  EXPECT_NE(bad.String("error").find("no_such_table"), std::string::npos) << bad.String("error");
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 3000}));
}

TEST_F(Serve, SecondJobWhileOneRunsGets409NamingIt) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_busy");
  // The seed job stops once it holds the advisory lock (core/failpoint.h) until the test lets it go
  // on.
  const FailpointPauses pauses("serve_busy");
  Server server(url, dir_, {}, pauses.Env("sink.lock_taken=pause"));
  httplib::Result started = server.Post("/api/v1/seed", "{}");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  ASSERT_TRUE(pauses.WaitUntilReached("sink.lock_taken", server.child()));
  const std::string confirm = R"({"confirm": ")" + DatabaseName(url) + R"("})";
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/seed", "{}"},
           {"/api/v1/reset", confirm},
           {"/api/v1/clear", confirm},
           {"/api/v1/verify", "{}"},
           {"/api/v1/admin/seed-demo-data", "{}"},
           {"/api/v1/snapshots", R"({"name": "during"})"}}) {
    httplib::Result second = server.Post(path, body);
    ASSERT_TRUE(second) << path;
    EXPECT_EQ(second->status, 409) << path;
    EXPECT_EQ(Json(second->body).String("error"), "another job is running on database " +
                                                      DatabaseName(url) +
                                                      ": seed; try again when it has finished")
        << path;
  }
  // The running job is the one shown, and it goes on to complete the default targets.
  httplib::Result current = server.Client().Get("/api/v1/jobs/current");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->status, 200);
  EXPECT_EQ(Json(current->body).String("state"), "running");
  EXPECT_EQ(Json(current->body).String("kind"), "seed");
  pauses.Resume("sink.lock_taken");
  EXPECT_EQ(Json(server.WaitForJob()).String("state"), "completed");
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 100}));
  httplib::Result snapshots = server.Client().Get("/api/v1/snapshots");
  ASSERT_TRUE(snapshots);
  EXPECT_EQ(snapshots->body, "[]");
}

TEST_F(Serve, ProgressEventsArriveDuringALargeSeed) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_events");
  Server server(url, dir_);
  httplib::Result started = server.Post("/api/v1/seed", R"({"profile": "large"})");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202);
  std::string stream;
  httplib::Result events = server.Anonymous().Get(
      "/api/v1/jobs/current/events?token=" + server.token(), [&](const char* data, size_t length) {
        stream.append(data, length);
        return true;
      });
  ASSERT_TRUE(events);
  EXPECT_EQ(events->status, 200);
  EXPECT_EQ(events->get_header_value("Content-Type"), "text/event-stream");
  // Events: "event: progress" while the job runs, one "event: end" last.
  std::vector<std::string> kinds;
  std::vector<std::string> data;
  for (size_t at = 0; (at = stream.find("event: ", at)) != std::string::npos;) {
    const size_t end = stream.find('\n', at);
    kinds.push_back(stream.substr(at + 7, end - at - 7));
    const size_t data_at = stream.find("data: ", end);
    data.push_back(stream.substr(data_at + 6, stream.find('\n', data_at) - data_at - 6));
    at = end;
  }
  ASSERT_GE(kinds.size(), 2u) << stream;
  EXPECT_EQ(kinds.back(), "end");
  int64_t previous = 0;
  for (size_t i = 0; i + 1 < kinds.size(); ++i) {
    EXPECT_EQ(kinds[i], "progress");
    const Json event(data[i]);
    EXPECT_EQ(event.String("state"), "running");
    EXPECT_GE(event.Int("rows"), previous);  // rows only grow
    previous = event.Int("rows");
  }
  const Json last(data.back());
  EXPECT_EQ(last.String("state"), "completed");
  EXPECT_EQ(last.Int("total_rows"), 166000);
  EXPECT_EQ(last.Int("rows"), 166000);
  std::map<std::string, int64_t> done;
  for (const simdjson::dom::element table : last.root()["tables"].get_array()) {
    done[std::string(table["table"].get_string().value())] = table["done"].get_int64().value();
    EXPECT_EQ(table["percent"].get_double().value(), 100.0);
  }
  EXPECT_EQ(done["users"], 1000);
  EXPECT_EQ(done["applications"], 5000);
  EXPECT_EQ(done["assets"], 50000);
  EXPECT_EQ(done["deployments"], 10000);
  EXPECT_EQ(done["events"], 100000);
}

TEST_F(Serve, ClearAndResetWithoutTheDatabaseNameAreRefusedWithDataUnchanged) {
  const std::string url = SeededDatabase("serve_clear");
  const std::vector<std::string> before = Fingerprints(url);
  Server server(url, dir_);
  for (const std::string body : {"{}", R"({"confirm": "some_other_db"})"}) {
    for (const std::string path : {"/api/v1/clear", "/api/v1/reset"}) {
      httplib::Result refused = server.Post(path, body);
      ASSERT_TRUE(refused);
      EXPECT_EQ(refused->status, 400) << path << " " << body;
      const std::string what = path == "/api/v1/clear" ? "a clear" : "a reset";
      EXPECT_EQ(Json(refused->body).String("error"),
                what + " needs {\"confirm\": \"" + DatabaseName(url) +
                    "\"} (the database name); nothing was changed");
    }
  }
  EXPECT_EQ(Fingerprints(url), before);

  httplib::Result cleared =
      server.Post("/api/v1/clear", R"({"confirm": ")" + DatabaseName(url) + R"("})");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->status, 200) << cleared->body;
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{0, 0, 0, 0, 0}));

  // Reset seeds afresh: the same rows as the seed before the clear.
  const Json reset(
      server.RunJob("/api/v1/reset", R"({"confirm": ")" + DatabaseName(url) + R"("})"));
  EXPECT_EQ(reset.String("state"), "completed") << reset.String("error");
  EXPECT_EQ(reset.String("kind"), "reset");
  EXPECT_EQ(Fingerprints(url), before);
}

TEST_F(Serve, SeedDemoDataTopsUpExactlyLikeTheCli) {
  const std::string served = SeededDatabase("serve_demo_api", {"--rows", "events=2000"});
  const std::string cli = SeededDatabase("serve_demo_cli", {"--rows", "events=2000"});
  Server server(served, dir_);
  const Json job(server.RunJob(
      "/api/v1/admin/seed-demo-data",
      R"({"clear_existing": false, "events": 5000, "assets": 300, "batch_size": 700})"));
  EXPECT_EQ(job.String("state"), "completed") << job.String("error");
  const ProcessResult topped =
      RunSeedforge({"seed", "--db", cli, "--quiet", "--rows", "events=5000", "assets=300"});
  ASSERT_EQ(topped.exit_code, 0) << topped.err;
  EXPECT_EQ(AllRows(served), (std::vector<int64_t>{5, 10, 300, 20, 5000}));
  EXPECT_EQ(Fingerprints(served), Fingerprints(cli));

  // clear_existing: true is `seed --clear-existing --yes`.
  const Json cleared(
      server.RunJob("/api/v1/admin/seed-demo-data", R"({"clear_existing": true, "events": 1000})"));
  EXPECT_EQ(cleared.String("state"), "completed") << cleared.String("error");
  const ProcessResult reseeded = RunSeedforge(
      {"seed", "--db", cli, "--quiet", "--clear-existing", "--yes", "--rows", "events=1000"});
  ASSERT_EQ(reseeded.exit_code, 0) << reseeded.err;
  EXPECT_EQ(AllRows(served), (std::vector<int64_t>{5, 10, 100, 20, 1000}));
  EXPECT_EQ(Fingerprints(served), Fingerprints(cli));

  httplib::Result bad = server.Post("/api/v1/admin/seed-demo-data", R"({"events": -4})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad->body).String("error"), "\"events\" must be a whole number >= 0");
}

TEST_F(Serve, VerifyAndRunHistory) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_verify");
  Server server(url, dir_);
  EXPECT_EQ(Json(server.RunJob("/api/v1/seed", "{}")).String("state"), "completed");
  EXPECT_EQ(Json(server.RunJob("/api/v1/seed", R"({"rows": {"events": 400}})")).String("state"),
            "completed");
  httplib::Result verify = server.Post("/api/v1/verify", "{}");
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->status, 200) << verify->body;
  const Json report(verify->body);
  EXPECT_EQ(report.root()["passed"].get_bool().value(), true) << verify->body;
  EXPECT_EQ(report.Int("failed"), 0);

  httplib::Result runs = server.Client().Get("/api/v1/runs?limit=5");
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->status, 200);
  const Json history(runs->body);
  std::vector<int64_t> added;
  for (const simdjson::dom::element run : history.root().get_array()) {
    EXPECT_EQ(std::string(run["command"].get_string().value()), "seed");
    EXPECT_EQ(std::string(run["profile"].get_string().value()), "default");
    added.push_back(run["rows_added"].get_int64().value());
  }
  EXPECT_EQ(added, (std::vector<int64_t>{300, 235}));  // newest first
  httplib::Result bad = server.Client().Get("/api/v1/runs?limit=zero");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(Serve, SnapshotsCreateListShowRestoreDelete) {
  const std::string url = SeededDatabase("serve_snap");
  const std::vector<std::string> seeded = Fingerprints(url);
  Server server(url, dir_);
  // The profile's 235 rows and seedforge's own (the run history and the segments), as they are
  // before the create records its own run.
  const int64_t own = QueryInt(url,
                               "SELECT (SELECT count(*) FROM seedforge.runs) + "
                               "(SELECT count(*) FROM seedforge.segments)");
  httplib::Result created = server.Post("/api/v1/snapshots", R"({"name": "before-edit"})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Json(created->body).String("name"), "before-edit");
  EXPECT_EQ(Json(created->body).Int("rows"), 235 + own);
  // Recorded in the history as `seedforge snapshot create` records it.
  EXPECT_EQ(QueryValue(url,
                       "SELECT command || ' ' || snapshot || ' ' || outcome FROM seedforge.runs "
                       "ORDER BY id DESC LIMIT 1"),
            "snapshot create before-edit completed");

  httplib::Result list = server.Client().Get("/api/v1/snapshots");
  ASSERT_TRUE(list);
  const Json listed(list->body);
  ASSERT_EQ(listed.root().get_array().size(), 1u);
  EXPECT_EQ(std::string(listed.root().at(0)["name"].get_string().value()), "before-edit");
  httplib::Result shown = server.Client().Get("/api/v1/snapshots/before-edit");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, 200);
  EXPECT_EQ(Json(shown->body).String("name"), "before-edit");
  httplib::Result missing = server.Client().Get("/api/v1/snapshots/no-such");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  Execute(url, "DELETE FROM events WHERE id > 40");
  ASSERT_EQ(Rows(url, "events"), 40);
  httplib::Result unconfirmed = server.Post("/api/v1/snapshots/before-edit/restore", "{}");
  ASSERT_TRUE(unconfirmed);
  EXPECT_EQ(unconfirmed->status, 400);
  EXPECT_EQ(Rows(url, "events"), 40);
  httplib::Result restored = server.Post("/api/v1/snapshots/before-edit/restore",
                                         R"({"confirm": ")" + DatabaseName(url) + R"("})");
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(Fingerprints(url), seeded);
  EXPECT_EQ(QueryValue(url,
                       "SELECT command || ' ' || snapshot || ' ' || outcome FROM seedforge.runs "
                       "ORDER BY id DESC LIMIT 1"),
            "snapshot restore before-edit completed");

  httplib::Result removed = server.Client().Delete("/api/v1/snapshots/before-edit");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 200) << removed->body;
  httplib::Result empty = server.Client().Get("/api/v1/snapshots");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->body, "[]");
  httplib::Result gone = server.Client().Delete("/api/v1/snapshots/before-edit");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);

  // Prune keeps the newest N.
  for (const char* name : {"first", "second", "third"}) {
    httplib::Result made =
        server.Post("/api/v1/snapshots", std::string(R"({"name": ")") + name + R"("})");
    ASSERT_TRUE(made);
    ASSERT_EQ(made->status, 201) << made->body;
  }
  httplib::Result no_keep = server.Post("/api/v1/snapshots/prune", "{}");
  ASSERT_TRUE(no_keep);
  EXPECT_EQ(no_keep->status, 400);
  EXPECT_EQ(no_keep->body, R"({"error":"prune needs {\"keep\": N}"})");
  httplib::Result pruned = server.Post("/api/v1/snapshots/prune", R"({"keep": 1})");
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->status, 200) << pruned->body;
  EXPECT_EQ(pruned->body, R"({"pruned":true})");
  httplib::Result left = server.Client().Get("/api/v1/snapshots");
  ASSERT_TRUE(left);
  const Json kept(left->body);
  ASSERT_EQ(kept.root().get_array().size(), 1u);
  EXPECT_EQ(std::string(kept.root().at(0)["name"].get_string().value()), "third");
}

TEST_F(Serve, SigtermDuringASeedStopsAsTheCliDoesAndATopUpCompletesIt) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_sigterm");
  {
    Server server(url, dir_);
    httplib::Result started = server.Post("/api/v1/seed", R"({"profile": "large"})");
    ASSERT_TRUE(started);
    ASSERT_EQ(started->status, 202);
    server.child().Signal(SIGTERM);
    const ProcessResult result = server.child().Wait();
    EXPECT_EQ(result.exit_code, 143) << result.err;
    EXPECT_NE(result.err.find("seedforge: serve stopped"), std::string::npos) << result.err;
  }
  // Whatever the interrupted run committed, a top-up completes it to exactly the targets.
  const ProcessResult topped = RunSeedforge({"seed", "--db", url, "--quiet", "--profile", "large"});
  ASSERT_EQ(topped.exit_code, 0) << topped.err;
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{1000, 5000, 50000, 10000, 100000}));
  const ProcessResult verify = RunSeedforge({"verify", "--db", url, "--profile", "large"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(Serve, PasswordNeverAppearsInOutputOrAnswers) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_secret");
  // A URL with a password that leads nowhere: the error must not quote it.
  const ProcessResult refused =
      RunSeedforge({"serve", "--listen", "127.0.0.1:0", "--db",
                    "postgresql://someone:Sup3rSecretPw@127.0.0.1:1/nothing?connect_timeout=2"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_EQ(refused.out.find("Sup3rSecretPw"), std::string::npos) << refused.out;
  EXPECT_EQ(refused.err.find("Sup3rSecretPw"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("seedforge: error: "), std::string::npos) << refused.err;
}

// The database URL with its password (the only place libpq finds it: PGPASSFILE is empty), on
// a live server: no answer of the API (a seed job and its status, stats, verify, runs, snapshots,
// an error), not the page, and no line serve prints holds the password.
TEST_F(Serve, APasswordInALiveDatabaseUrlIsInNoAnswerPageOrLine) {
  const std::string url = TestCluster::Get().CreateDatabase("serve_password");
  std::string password;
  {
    std::ifstream file(TestCluster::Get().password_file());
    for (std::string line; std::getline(file, line);) {
      if (line.rfind("127.0.0.1:", 0) == 0) password = line.substr(line.rfind(':') + 1);
    }
  }
  ASSERT_GE(password.size(), 8u);
  const std::string with_password = "postgresql://postgres:" + password +
                                    "@127.0.0.1:" + std::to_string(TestCluster::Get().port()) +
                                    "/" + DatabaseName(url);
  Server server(with_password, dir_, {}, {{"PGPASSFILE", "/dev/null"}});
  std::vector<std::string> answers = {server.output()};
  answers.push_back(server.RunJob("/api/v1/seed", R"({"profile": "default"})"));
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 100}));
  for (const char* path :
       {"/api/v1/stats", "/api/v1/jobs/current", "/api/v1/runs", "/api/v1/snapshots", "/"}) {
    httplib::Result got = server.Client().Get(path);
    ASSERT_TRUE(got) << path;
    EXPECT_EQ(got->status, 200) << path << ": " << got->body;
    answers.push_back(got->body);
  }
  httplib::Result verified = server.Post("/api/v1/verify", "{}");
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->status, 200) << verified->body;
  answers.push_back(verified->body);
  httplib::Result refused = server.Post("/api/v1/clear", R"({"confirm": "not-the-name"})");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  answers.push_back(refused->body);
  httplib::Result created = server.Post("/api/v1/snapshots", R"({"name": "with-password"})");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  answers.push_back(created->body);
  server.child().Signal(SIGTERM);
  const ProcessResult ended = server.child().Wait();
  answers.push_back(ended.out);
  answers.push_back(ended.err);
  for (const std::string& answer : answers) {
    EXPECT_EQ(answer.find(password), std::string::npos) << answer;
  }
}

// tests/browser/serve_page.test.mjs: the page in headless chromium seeds `default` from its form,
// shows the exact counts, creates a snapshot and restores it after rows were deleted, making no
// request outside the server's origin. Its node modules come from `npm ci` in tests/browser
// (scripts/install-deps.sh); the screenshot is left in the build folder.
TEST_F(Serve, PageInChromiumSeedsSnapshotsAndRestores) {
  const std::string browser_dir = std::string(SEEDFORGE_SOURCE_DIR) + "/tests/browser";
  ASSERT_TRUE(std::filesystem::exists(browser_dir + "/node_modules/puppeteer-core"))
      << "run npm ci in tests/browser (scripts/install-deps.sh does)";
  const std::string url = TestCluster::Get().CreateDatabase("serve_browser");
  Server server(url, dir_);
  const std::string link = LineAfter(server.output(), "open (the link works once): ");
  // Beside the binary under test: build/tests/serve_page.png, wherever the test runs from.
  const std::string screenshot =
      (std::filesystem::path(SEEDFORGE_BINARY).parent_path() / "tests" / "serve_page.png").string();
  const std::string command =
      "node '" + browser_dir + "/serve_page.test.mjs' '" + link + "' '" + url +
      "' users=5,applications=10,assets=100,deployments=20,events=100 '" + screenshot + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_EQ(output,
            "page: seeded, snapshot created, restored: "
            "{\"users\":5,\"applications\":10,\"assets\":100,\"deployments\":20,\"events\":100}\n");
  // What the page did is in the database: the default counts, the snapshot in the folder.
  EXPECT_EQ(AllRows(url), (std::vector<int64_t>{5, 10, 100, 20, 100}));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/from-the-page"));
  EXPECT_TRUE(std::filesystem::exists(screenshot));
}

}  // namespace
}  // namespace seedforge
