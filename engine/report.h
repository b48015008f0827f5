// What a run did: per-table and total rows, bytes, seconds and rates, as text and as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace seedforge {

struct TableReport {
  std::string table;
  int64_t target = 0;    // the profile's target
  int64_t before = 0;    // rows present before the run
  int64_t planned = 0;   // generated rows the run set out to add (a dry run: would add)
  int64_t written = 0;   // rows this run generated
  int64_t fixtures = 0;  // fixture rows this run inserted (besides `written`)
  int64_t after = 0;     // rows present after the run
  int64_t bytes = 0;     // encoded bytes handed to the sink
  double seconds = 0;    // wall time spent on this table
  std::string method;    // "bulk", "append", "file", "null" or "" when nothing was written
  std::string note;      // e.g. "above target (120 > 100): nothing deleted"

  double rows_per_second() const {
    return seconds > 0 ? static_cast<double>(written) / seconds : 0;
  }
};

struct RunReport {
  std::string command;         // "seed" or "generate"
  std::string profile;         // profile name
  std::string profile_source;  // "built-in" or a path
  uint64_t seed = 0;
  int threads = 0;
  int64_t batch_rows = 0;
  std::string format;          // copy-text, copy-binary, csv, ...
  std::string sink;            // sink description, e.g. "postgresql 15.20"
  std::string server_version;  // empty without a database
  std::string version;         // seedforge version
  std::vector<TableReport> tables;
  double seconds = 0;      // wall time of the whole run
  bool completed = false;  // false when the run stopped early (error or interrupt)
  bool dry_run = false;    // a plan only: nothing was written (see FormatPlan)

  int64_t total_written() const;
  int64_t total_bytes() const;
};

// The human summary: one line per table, a total line, then notes. Ends with a newline.
std::string FormatSummary(const RunReport& report);
// The plan of a dry run: per table the rows present, the target, the rows to add and the path
// (bulk/append), then notes. Ends with a newline.
std::string FormatPlan(const RunReport& report);
// The machine report: one JSON object (schema documented in README.md).
std::string FormatReportJson(const RunReport& report);
// Writes FormatReportJson to `path` through core/atomic_output_file.h: a temporary file renamed
// over the target, which must be a regular file or absent (a link, device or fifo is refused).
Status WriteReportFile(const RunReport& report, const std::string& path);

// "1,234,567"
std::string GroupDigits(int64_t value);

// `text` as a quoted JSON string, escaped.
std::string JsonString(std::string_view text);

}  // namespace seedforge
