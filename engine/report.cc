// Report formatting with fmt. The JSON is written by hand (a flat, fixed shape) with proper string
// escaping; it is read back with simdjson in the tests.
#include "engine/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "core/atomic_output_file.h"

namespace seedforge {
namespace {

std::string Megabytes(int64_t bytes) {
  return fmt::format("{:.1f}", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

}  // namespace

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

int64_t RunReport::total_written() const {
  int64_t sum = 0;
  for (const TableReport& t : tables) sum += t.written;
  return sum;
}

int64_t RunReport::total_bytes() const {
  int64_t sum = 0;
  for (const TableReport& t : tables) sum += t.bytes;
  return sum;
}

std::string GroupDigits(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

// The width of the table column: the longest table name, at least "table" and "total" and the
// fleet's 13 (so short names line up as they always have).
size_t TableColumnWidth(const RunReport& report) {
  size_t width = 13;
  for (const TableReport& t : report.tables) width = std::max(width, t.table.size());
  return width;
}

std::string FormatSummary(const RunReport& report) {
  const size_t w = TableColumnWidth(report);
  std::string out;
  out += fmt::format("{:<{}} {:>11} {:>11} {:>11} {:>11} {:>9} {:>8} {:>12}  {}\n", "table", w,
                     "target", "before", "added", "after", "MB", "seconds", "rows/s", "method");
  for (const TableReport& t : report.tables) {
    out += fmt::format("{:<{}} {:>11} {:>11} {:>11} {:>11} {:>9} {:>8.3f} {:>12}  {}\n", t.table, w,
                       GroupDigits(t.target), GroupDigits(t.before), GroupDigits(t.written),
                       GroupDigits(t.after), Megabytes(t.bytes), t.seconds,
                       GroupDigits(static_cast<int64_t>(t.rows_per_second())),
                       t.method.empty() ? "-" : t.method);
  }
  const double rate =
      report.seconds > 0 ? static_cast<double>(report.total_written()) / report.seconds : 0;
  out += fmt::format("{:<{}} {:>11} {:>11} {:>11} {:>11} {:>9} {:>8.3f} {:>12}\n", "total", w, "",
                     "", GroupDigits(report.total_written()), "", Megabytes(report.total_bytes()),
                     report.seconds, GroupDigits(static_cast<int64_t>(rate)));
  for (const TableReport& t : report.tables) {
    if (t.fixtures > 0) {
      out += fmt::format("note: {}: inserted {} fixture rows\n", t.table, GroupDigits(t.fixtures));
    }
    if (!t.note.empty()) out += fmt::format("note: {}: {}\n", t.table, t.note);
  }
  return out;
}

std::string FormatPlan(const RunReport& report) {
  const size_t w = TableColumnWidth(report);
  std::string out = "dry run: nothing was changed; the run would do this:\n";
  out += fmt::format("{:<{}} {:>11} {:>11} {:>11}  {}\n", "table", w, "present", "target", "to add",
                     "path");
  int64_t total = 0;
  for (const TableReport& t : report.tables) {
    out +=
        fmt::format("{:<{}} {:>11} {:>11} {:>11}  {}\n", t.table, w, GroupDigits(t.before),
                    GroupDigits(t.target), GroupDigits(t.planned), t.planned == 0 ? "-" : t.method);
    total += t.planned;
  }
  out += fmt::format("{:<{}} {:>11} {:>11} {:>11}\n", "total", w, "", "", GroupDigits(total));
  for (const TableReport& t : report.tables) {
    if (t.fixtures > 0) {
      out +=
          fmt::format("note: {}: would insert {} fixture rows\n", t.table, GroupDigits(t.fixtures));
    }
    if (!t.note.empty()) out += fmt::format("note: {}: {}\n", t.table, t.note);
  }
  return out;
}

std::string FormatReportJson(const RunReport& report) {
  std::string out = "{\n";
  out += fmt::format("  \"command\": {},\n", JsonString(report.command));
  out += fmt::format("  \"seedforge_version\": {},\n", JsonString(report.version));
  out += fmt::format("  \"profile\": {},\n", JsonString(report.profile));
  out += fmt::format("  \"profile_source\": {},\n", JsonString(report.profile_source));
  out += fmt::format("  \"seed\": {},\n", report.seed);
  out += fmt::format("  \"threads\": {},\n", report.threads);
  out += fmt::format("  \"batch_rows\": {},\n", report.batch_rows);
  out += fmt::format("  \"format\": {},\n", JsonString(report.format));
  out += fmt::format("  \"sink\": {},\n", JsonString(report.sink));
  out += fmt::format("  \"server_version\": {},\n",
                     report.server_version.empty() ? "null" : JsonString(report.server_version));
  out += fmt::format("  \"completed\": {},\n", report.completed ? "true" : "false");
  out += fmt::format("  \"dry_run\": {},\n", report.dry_run ? "true" : "false");
  out += "  \"tables\": [";
  for (size_t i = 0; i < report.tables.size(); ++i) {
    const TableReport& t = report.tables[i];
    out += fmt::format(
        "{}\n    {{\"table\": {}, \"target\": {}, \"before\": {}, \"planned\": {}, \"rows\": {}, "
        "\"fixtures\": {}, \"after\": {}, \"bytes\": {}, \"seconds\": {:.6f}, \"rows_per_second\": "
        "{:.1f}, "
        "\"method\": {}, \"note\": {}}}",
        i == 0 ? "" : ",", JsonString(t.table), t.target, t.before, t.planned, t.written,
        t.fixtures, t.after, t.bytes, t.seconds, t.rows_per_second(), JsonString(t.method),
        JsonString(t.note));
  }
  const double rate =
      report.seconds > 0 ? static_cast<double>(report.total_written()) / report.seconds : 0;
  out += "\n  ],\n";
  out += fmt::format(
      "  \"total\": {{\"rows\": {}, \"bytes\": {}, \"seconds\": {:.6f}, \"rows_per_second\": "
      "{:.1f}}}\n}}\n",
      report.total_written(), report.total_bytes(), report.seconds, rate);
  return out;
}

Status WriteReportFile(const RunReport& report, const std::string& path) {
  return WriteFileAtomically(path, FormatReportJson(report));
}

}  // namespace seedforge
