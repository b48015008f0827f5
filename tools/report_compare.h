// `seedforge report compare` as a library: the seeding times of two runs, per table and in total,
// and which of them got slower than a limit allows. A run's times come from a `--report` file
// (engine/report.h FormatReportJson: "tables"[].{"table", "seconds"} and "total"."seconds") or
// from a row of seedforge.runs (sinks/postgres/run_history.h).
//
// A time is a regression when it is more than max_slowdown_percent slower than the baseline AND
// at least min_slowdown_seconds longer: a table that takes milliseconds doubles its time on the
// noise of a shared machine, and the absolute floor keeps such tables from failing a nightly job
// while a realistic one (2.0 s against 2.4 s) is still caught by the ratio. A table on one side
// only is named and not compared (its time still counts in that side's total).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace seedforge {

struct StoredRun;

// The times of one run.
struct RunTimes {
  std::string origin;  // what it was read from, for messages: "baseline.json", "run 12"
  std::vector<std::pair<std::string, double>> tables;  // table and seconds, in the run's order
  double seconds = 0;                                  // the whole run
};

struct CompareOptions {
  double max_slowdown_percent = 15;   // a time more than this much slower is a regression...
  double min_slowdown_seconds = 0.1;  // ...when it is also at least this many seconds longer

  // kInvalidArgument naming --max-slowdown or --min-slowdown for a negative or non-finite value.
  Status Validate() const;
};

// One table (or the total) on both sides.
struct TimeComparison {
  std::string table;  // "total" for the whole run
  double baseline_seconds = 0;
  double new_seconds = 0;
  std::optional<double> ratio;  // new / baseline; nullopt when the baseline took no time
  bool regression = false;
};

struct RunComparison {
  std::string baseline_origin;
  std::string new_origin;
  CompareOptions options;
  std::vector<TimeComparison> tables;  // tables on both sides, in the baseline's order
  TimeComparison total;
  std::vector<std::string> only_in_baseline;
  std::vector<std::string> only_in_new;

  int regressions() const;  // tables and total
};

// The times of a --report file's text; kInvalidArgument "ORIGIN: malformed JSON (...)" or
// "ORIGIN: $.tables[2].seconds: expected a number" for a text that is not a report.
StatusOr<RunTimes> ParseReportTimes(std::string_view json, const std::string& origin);
// ParseReportTimes of the file at `path`; kInvalidArgument "PATH: cannot read (REASON)" when it
// cannot be read.
StatusOr<RunTimes> ReadReportTimes(const std::string& path);
// The times of a recorded run, with origin "run ID".
RunTimes TimesOfRun(const StoredRun& run);

// Compares `candidate` with `baseline`. REQUIRES: options.Validate().ok().
RunComparison CompareRunTimes(const RunTimes& baseline, const RunTimes& candidate,
                              const CompareOptions& options);

// A text table (table, baseline s, new s, ratio), the tables found on one side only, one line
// per regression ("regression: events took 2.400 s, 20.0% slower than 2.000 s (limit 15%)"),
// then a summary line. Ends with a newline.
std::string FormatComparisonText(const RunComparison& comparison);
// One JSON object: {"baseline", "new", "max_slowdown_percent", "min_slowdown_seconds", "tables":
// [{"table", "baseline_seconds", "new_seconds", "ratio", "regression"}], "total": {...},
// "only_in_baseline": [...], "only_in_new": [...], "regressions": N}; "ratio" is null when the
// baseline took no time.
std::string FormatComparisonJson(const RunComparison& comparison);

}  // namespace seedforge
