// Progress display. The clock used here only paces the display; it never reaches generation.
#include "engine/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "engine/report.h"

namespace seedforge {

bool ProgressLine::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressLine::StartTable(std::string_view table, int64_t total_rows) {
  table_ = std::string(table);
  total_ = total_rows;
  started_ = std::chrono::steady_clock::now();
  last_draw_ = {};
  if (enabled_) Draw(0);
}

void ProgressLine::Update(int64_t rows_done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  Draw(rows_done);
}

void ProgressLine::Draw(int64_t rows_done) {
  const auto now = std::chrono::steady_clock::now();
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(rows_done) / seconds : 0;
  const double percent =
      total_ > 0 ? 100.0 * static_cast<double>(rows_done) / static_cast<double>(total_) : 100;
  const std::string eta =
      rate > 0 ? fmt::format("{:.0f}s", static_cast<double>(total_ - rows_done) / rate) : "-";
  std::fputs(fmt::format("\r\x1b[K{:<13} {:>11}/{:<11} {:5.1f}%  {:>12} rows/s  ETA {}", table_,
                         GroupDigits(rows_done), GroupDigits(total_), percent,
                         GroupDigits(static_cast<int64_t>(rate)), eta)
                 .c_str(),
             stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace seedforge
