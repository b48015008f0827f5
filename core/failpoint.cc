// Failpoints (see failpoint.h). The specification is parsed once, on the first Reach, into a
// list of entries; each entry counts the hits of its point under a mutex, which only tests pay.
#include "core/failpoint.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seedforge::failpoint {
namespace {

enum class Action { kKill, kError, kSigint, kSigterm, kPause };

struct Entry {
  std::string point;  // "name" or "name:detail"
  int64_t hit = 1;    // which hit acts (1-based)
  Action action = Action::kError;
  int64_t seen = 0;  // hits so far; guarded by State::mutex
};

struct State {
  std::mutex mutex;
  std::vector<Entry> entries;  // guarded by mutex
  std::string directory;       // SEEDFORGE_FAILPOINTS_DIR
};

[[noreturn]] void Malformed(const std::string& what) {
  std::fprintf(stderr, "seedforge: error: SEEDFORGE_FAILPOINTS: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

Action ParseAction(const std::string& text, const std::string& entry) {
  if (text == "kill") return Action::kKill;
  if (text == "error") return Action::kError;
  if (text == "sigint") return Action::kSigint;
  if (text == "sigterm") return Action::kSigterm;
  if (text == "pause") return Action::kPause;
  Malformed("unknown action '" + text + "' in '" + entry +
            "' (expected kill, error, sigint, sigterm or pause)");
}

State* Load() {
  auto* state = new State;  // lives as long as the process: points may be reached at exit
  const char* spec = std::getenv("SEEDFORGE_FAILPOINTS");
  if (const char* dir = std::getenv("SEEDFORGE_FAILPOINTS_DIR")) state->directory = dir;
  std::string text = spec == nullptr ? "" : spec;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(';', begin);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(begin, end - begin);
    begin = end + 1;
    if (item.empty()) continue;
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0)
      Malformed("expected POINT=ACTION, got '" + item + "'");
    Entry entry;
    entry.point = item.substr(0, equals);
    entry.action = ParseAction(item.substr(equals + 1), item);
    if (const size_t at = entry.point.find('@'); at != std::string::npos) {
      const std::string count = entry.point.substr(at + 1);
      char* parsed_end = nullptr;
      const long long n = std::strtoll(count.c_str(), &parsed_end, 10);
      if (count.empty() || *parsed_end != '\0' || n < 1) {
        Malformed("expected a hit count of 1 or more after '@' in '" + item + "'");
      }
      entry.hit = n;
      entry.point.resize(at);
    }
    if (entry.action == Action::kPause && state->directory.empty()) {
      Malformed("'" + item + "' pauses, which needs SEEDFORGE_FAILPOINTS_DIR");
    }
    state->entries.push_back(std::move(entry));
  }
  return state;
}

State& Get() {
  static State* state = Load();
  return *state;
}

void Touch(const std::string& path) { std::ofstream(path, std::ios::trunc) << "\n"; }

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

bool Enabled() {
  static const bool enabled = std::getenv("SEEDFORGE_FAILPOINTS") != nullptr;
  return enabled;
}

Status Reach(std::string_view name, std::string_view detail) {
  State& state = Get();
  std::string qualified(name);
  if (!detail.empty()) {
    qualified += ':';
    qualified += detail;
  }
  Action action = Action::kError;
  bool acts = false;
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    for (Entry& entry : state.entries) {
      if (entry.point != name && entry.point != qualified) continue;
      if (++entry.seen == entry.hit) {
        action = entry.action;
        acts = true;
      }
    }
  }
  if (!acts) return Status::Ok();
  switch (action) {
    case Action::kKill:
      ::kill(::getpid(), SIGKILL);
      for (;;) ::pause();
    case Action::kError:
      return Internal("failpoint " + qualified);
    // raise() delivers to this thread and returns after the handler ran, so what the handler
    // sets is seen by the very next step of this thread.
    case Action::kSigint:
      std::raise(SIGINT);
      return Status::Ok();
    case Action::kSigterm:
      std::raise(SIGTERM);
      return Status::Ok();
    case Action::kPause: {
      const std::string base = state.directory + "/" + qualified;
      Touch(base + ".reached");
      while (!Exists(base + ".resume")) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace seedforge::failpoint
