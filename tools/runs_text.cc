// runs as text and JSON (see runs_text.h). Seconds are printed with microseconds in JSON, as in
// the --report files, and to the millisecond in the table.
#include "tools/runs_text.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/report.h"
#include "sinks/postgres/run_history.h"

namespace seedforge {
namespace {

std::string NullableJson(const std::string& text) {
  return text.empty() ? "null" : JsonString(text);
}

}  // namespace

std::string FormatRunsText(const std::vector<StoredRun>& runs) {
  size_t command_width = 7;
  size_t profile_width = 7;
  size_t seed_width = 4;
  for (const StoredRun& run : runs) {
    command_width = std::max(command_width, run.record.command.size());
    profile_width = std::max(profile_width, run.record.profile.size());
    seed_width = std::max(seed_width, std::to_string(run.record.seed).size());
  }
  const auto line = [=](auto id, auto finished, auto command, auto profile, auto seed, auto rows,
                        auto seconds, auto outcome) {
    return fmt::format("{:>6}  {:<20}  {:<{}}  {:<{}}  {:>{}}  {:>12}  {:>10}  {}\n", id, finished,
                       command, command_width, profile, profile_width, seed, seed_width, rows,
                       seconds, outcome);
  };
  std::string out =
      line("id", "finished at", "command", "profile", "seed", "rows added", "seconds", "outcome");
  for (const StoredRun& run : runs) {
    const RunRecord& record = run.record;
    out += line(run.id, run.finished_at, record.command, record.profile, record.seed,
                GroupDigits(record.rows_added()), fmt::format("{:.3f}", record.seconds),
                record.outcome);
  }
  return out;
}

std::string RunJson(const StoredRun& run) {
  const RunRecord& record = run.record;
  std::string targets;
  std::string tables;
  for (const RunTableRecord& table : record.tables) {
    targets +=
        fmt::format("{}{}: {}", targets.empty() ? "" : ", ", JsonString(table.table), table.target);
    tables += fmt::format(
        "{}{{\"table\": {}, \"target\": {}, \"before\": {}, \"added\": {}, \"fixtures\": {}, "
        "\"seconds\": {:.6f}, \"method\": {}}}",
        tables.empty() ? "" : ", ", JsonString(table.table), table.target, table.before,
        table.added, table.fixtures, table.seconds, JsonString(table.method));
  }
  return fmt::format(
      "{{\"id\": {}, \"started_at\": {}, \"finished_at\": {}, \"command\": {}, \"profile\": {}, "
      "\"profile_source\": {}, \"profile_fingerprint\": {}, \"seed\": {}, \"targets\": {{{}}}, "
      "\"tables\": [{}], \"rows_added\": {}, \"seconds\": {:.6f}, \"method\": {}, \"cleared\": "
      "{}, \"outcome\": {}, \"message\": {}, \"snapshot\": {}, \"seedforge_version\": {}, "
      "\"server_version\": {}, \"host\": {}}}",
      run.id, JsonString(run.started_at), JsonString(run.finished_at), JsonString(record.command),
      JsonString(record.profile), JsonString(record.profile_source),
      JsonString(record.profile_fingerprint), record.seed, targets, tables, record.rows_added(),
      record.seconds, JsonString(record.method), record.cleared ? "true" : "false",
      JsonString(record.outcome), NullableJson(record.message), NullableJson(record.snapshot),
      JsonString(record.seedforge_version), JsonString(run.server_version), JsonString(run.host));
}

std::string FormatRunsJson(const std::vector<StoredRun>& runs) {
  std::string out = "[";
  for (const StoredRun& run : runs) out += (out.size() > 1 ? ",\n  " : "\n  ") + RunJson(run);
  return out + (runs.empty() ? "]\n" : "\n]\n");
}

}  // namespace seedforge
