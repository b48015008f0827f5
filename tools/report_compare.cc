// report compare (see report_compare.h). A report is read with simdjson's DOM, keeping only the
// times: the rest of the report (rows, bytes, rates) says what a run did, not how long it took,
// and a report written by a later build with more fields still compares.
#include "tools/report_compare.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/report.h"
#include "sinks/postgres/run_history.h"

namespace seedforge {
namespace {

namespace dom = simdjson::dom;

Status Bad(const std::string& origin, const std::string& path, const std::string& problem) {
  return InvalidArgument(origin + ": " + path + ": " + problem);
}

Status Seconds(dom::element object, const std::string& origin, const std::string& path,
               double* seconds) {
  dom::element value;
  if (object.at_key("seconds").get(value)) return Bad(origin, path, "missing key \"seconds\"");
  if (value.get_double().get(*seconds) || !std::isfinite(*seconds) || *seconds < 0) {
    return Bad(origin, path + ".seconds", "expected a number of seconds (0 or more)");
  }
  return Status::Ok();
}

TimeComparison Compare(const std::string& table, double baseline, double candidate,
                       const CompareOptions& options) {
  TimeComparison time;
  time.table = table;
  time.baseline_seconds = baseline;
  time.new_seconds = candidate;
  if (baseline > 0) time.ratio = candidate / baseline;
  // No ratio: the baseline took no time, so any time at all is infinitely slower.
  const bool slower =
      !time.ratio.has_value() || *time.ratio > 1 + options.max_slowdown_percent / 100;
  time.regression = slower && candidate - baseline >= options.min_slowdown_seconds;
  return time;
}

std::string RatioText(const TimeComparison& time) {
  return time.ratio.has_value() ? fmt::format("{:.2f}", *time.ratio) : "-";
}

std::string RegressionLine(const TimeComparison& time, const CompareOptions& options) {
  const std::string slower = time.ratio.has_value()
                                 ? fmt::format("{:.1f}% slower", (*time.ratio - 1) * 100)
                                 : std::string("slower");
  return fmt::format("regression: {} took {:.3f} s, {} than {:.3f} s (limit {:g}%)\n", time.table,
                     time.new_seconds, slower, time.baseline_seconds, options.max_slowdown_percent);
}

std::string TimeJson(const TimeComparison& time) {
  return fmt::format(
      "{{\"table\": {}, \"baseline_seconds\": {:.6f}, \"new_seconds\": {:.6f}, \"ratio\": {}, "
      "\"regression\": {}}}",
      JsonString(time.table), time.baseline_seconds, time.new_seconds,
      time.ratio.has_value() ? fmt::format("{:.6f}", *time.ratio) : "null",
      time.regression ? "true" : "false");
}

std::string NamesJson(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& name : names) out += (out.size() > 1 ? ", " : "") + JsonString(name);
  return out + "]";
}

}  // namespace

Status CompareOptions::Validate() const {
  if (!std::isfinite(max_slowdown_percent) || max_slowdown_percent < 0) {
    return InvalidArgument(fmt::format("--max-slowdown must be a percentage of 0 or more, got {:g}",
                                       max_slowdown_percent));
  }
  if (!std::isfinite(min_slowdown_seconds) || min_slowdown_seconds < 0) {
    return InvalidArgument(
        fmt::format("--min-slowdown must be 0 or more seconds, got {:g}", min_slowdown_seconds));
  }
  return Status::Ok();
}

int RunComparison::regressions() const {
  int count = total.regression ? 1 : 0;
  for (const TimeComparison& table : tables) count += table.regression ? 1 : 0;
  return count;
}

StatusOr<RunTimes> ParseReportTimes(std::string_view json, const std::string& origin) {
  dom::parser parser;
  dom::element root;
  const simdjson::padded_string padded(json);
  if (auto error = parser.parse(padded).get(root)) {
    return InvalidArgument(origin + ": malformed JSON (" + simdjson::error_message(error) + ")");
  }
  if (!root.is_object()) return Bad(origin, "$", "expected a report object");
  RunTimes times;
  times.origin = origin;
  dom::array tables;
  if (root.at_key("tables").get(tables)) return Bad(origin, "$.tables", "expected an array");
  size_t index = 0;
  for (dom::element table : tables) {
    const std::string path = "$.tables[" + std::to_string(index++) + "]";
    std::string_view name;
    if (table.at_key("table").get(name)) return Bad(origin, path + ".table", "expected a string");
    double seconds = 0;
    SF_RETURN_IF_ERROR(Seconds(table, origin, path, &seconds));
    times.tables.emplace_back(std::string(name), seconds);
  }
  dom::element total;
  if (root.at_key("total").get(total) || !total.is_object()) {
    return Bad(origin, "$.total", "expected an object");
  }
  SF_RETURN_IF_ERROR(Seconds(total, origin, "$.total", &times.seconds));
  return times;
}

StatusOr<RunTimes> ReadReportTimes(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return InvalidArgument(path + ": cannot read (a directory, not a report file)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot read (" + std::strerror(errno) + ")");
  std::stringstream text;
  text << in.rdbuf();
  return ParseReportTimes(text.str(), path);
}

RunTimes TimesOfRun(const StoredRun& run) {
  RunTimes times;
  times.origin = "run " + std::to_string(run.id);
  for (const RunTableRecord& table : run.record.tables) {
    times.tables.emplace_back(table.table, table.seconds);
  }
  times.seconds = run.record.seconds;
  return times;
}

RunComparison CompareRunTimes(const RunTimes& baseline, const RunTimes& candidate,
                              const CompareOptions& options) {
  RunComparison comparison;
  comparison.baseline_origin = baseline.origin;
  comparison.new_origin = candidate.origin;
  comparison.options = options;
  const auto find = [](const RunTimes& times, const std::string& table) {
    return std::find_if(times.tables.begin(), times.tables.end(),
                        [&table](const auto& entry) { return entry.first == table; });
  };
  for (const auto& [table, seconds] : baseline.tables) {
    const auto other = find(candidate, table);
    if (other == candidate.tables.end()) {
      comparison.only_in_baseline.push_back(table);
      continue;
    }
    comparison.tables.push_back(Compare(table, seconds, other->second, options));
  }
  for (const auto& entry : candidate.tables) {
    if (find(baseline, entry.first) == baseline.tables.end()) {
      comparison.only_in_new.push_back(entry.first);
    }
  }
  comparison.total = Compare("total", baseline.seconds, candidate.seconds, options);
  return comparison;
}

std::string FormatComparisonText(const RunComparison& comparison) {
  size_t width = 5;  // "table", "total"
  for (const TimeComparison& table : comparison.tables) width = std::max(width, table.table.size());
  std::string out = fmt::format("{:<{}}  {:>12}  {:>12}  {:>6}\n", "table", width, "baseline s",
                                "new s", "ratio");
  const auto line = [&out, width](const TimeComparison& time) {
    out += fmt::format("{:<{}}  {:>12.3f}  {:>12.3f}  {:>6}{}\n", time.table, width,
                       time.baseline_seconds, time.new_seconds, RatioText(time),
                       time.regression ? "  regression" : "");
  };
  for (const TimeComparison& table : comparison.tables) line(table);
  line(comparison.total);
  for (const std::string& table : comparison.only_in_baseline) {
    out += fmt::format("only in {}: {} (not compared)\n", comparison.baseline_origin, table);
  }
  for (const std::string& table : comparison.only_in_new) {
    out += fmt::format("only in {}: {} (not compared)\n", comparison.new_origin, table);
  }
  for (const TimeComparison& table : comparison.tables) {
    if (table.regression) out += RegressionLine(table, comparison.options);
  }
  if (comparison.total.regression) out += RegressionLine(comparison.total, comparison.options);
  const int regressions = comparison.regressions();
  const std::string limit =
      fmt::format("limit {:g}% and at least {:g} s slower", comparison.options.max_slowdown_percent,
                  comparison.options.min_slowdown_seconds);
  if (regressions == 0) return out + "no regression (" + limit + ")\n";
  return out +
         fmt::format("{} regression{} ({})\n", regressions, regressions == 1 ? "" : "s", limit);
}

std::string FormatComparisonJson(const RunComparison& comparison) {
  std::string tables;
  for (const TimeComparison& table : comparison.tables) {
    tables += (tables.empty() ? "\n    " : ",\n    ") + TimeJson(table);
  }
  return fmt::format(
      "{{\n  \"baseline\": {},\n  \"new\": {},\n  \"max_slowdown_percent\": {:g},\n  "
      "\"min_slowdown_seconds\": {:g},\n  \"tables\": [{}{}],\n  \"total\": {},\n  "
      "\"only_in_baseline\": {},\n  \"only_in_new\": {},\n  \"regressions\": {}\n}}\n",
      JsonString(comparison.baseline_origin), JsonString(comparison.new_origin),
      comparison.options.max_slowdown_percent, comparison.options.min_slowdown_seconds, tables,
      tables.empty() ? "" : "\n  ", TimeJson(comparison.total),
      NamesJson(comparison.only_in_baseline), NamesJson(comparison.only_in_new),
      comparison.regressions());
}

}  // namespace seedforge
