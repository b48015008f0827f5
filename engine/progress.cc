// Progress display. The clock used here only paces the display; it never reaches generation.
#include "engine/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "engine/report.h"

namespace seedforge {

bool ProgressLine::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressLine::Start(std::string_view verb, int64_t total_rows) {
  if (listener_ != nullptr) listener_->RunStarted(verb, total_rows);
  std::lock_guard<std::mutex> lock(mutex_);
  verb_ = std::string(verb);
  total_ = total_rows;
  done_ = 0;
  started_ = std::chrono::steady_clock::now();
}

void ProgressLine::TableStarted(std::string_view table, int64_t rows) {
  if (listener_ != nullptr) listener_->TableStarted(table, rows);
  std::lock_guard<std::mutex> lock(mutex_);
  active_.push_back({std::string(table), std::string(), rows, 0});
  if (enabled_) DrawLocked(true);
}

void ProgressLine::TableFinished(std::string_view table) {
  if (listener_ != nullptr) listener_->TableFinished(table);
  std::lock_guard<std::mutex> lock(mutex_);
  active_.erase(std::remove_if(active_.begin(), active_.end(),
                               [&](const Active& entry) { return entry.table == table; }),
                active_.end());
}

void ProgressLine::TablePhase(std::string_view table, std::string_view phase) {
  if (listener_ != nullptr) listener_->TablePhase(table, phase);
  std::lock_guard<std::mutex> lock(mutex_);
  for (Active& entry : active_) {
    if (entry.table == table) entry.phase = std::string(phase);
  }
  if (enabled_) DrawLocked(true);
}

void ProgressLine::Advance(std::string_view table, int64_t rows) {
  if (listener_ != nullptr) listener_->TableAdvanced(table, rows);
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += rows;
  for (Active& entry : active_) {
    if (entry.table == table) entry.done += rows;
  }
  DrawLocked(false);
}

void ProgressLine::DrawLocked(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  const double percent =
      total_ > 0 ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100;
  const std::string eta =
      rate > 0 ? fmt::format("{:.0f}s", static_cast<double>(total_ - done_) / rate) : "-";
  std::string tables;
  for (const Active& entry : active_) {
    if (!entry.phase.empty()) {
      tables += fmt::format(" | {}: {}", entry.table, entry.phase);
    } else if (entry.rows > 0) {
      tables +=
          fmt::format(" | {} {} {:.0f}%", entry.table, GroupDigits(entry.done),
                      100.0 * static_cast<double>(entry.done) / static_cast<double>(entry.rows));
    } else {
      tables += " | " + entry.table;
    }
  }
  std::fputs(fmt::format("\r\x1b[K{} {:>11}/{:<11} {:5.1f}%  {:>12} rows/s  ETA {}{}", verb_,
                         GroupDigits(done_), GroupDigits(total_), percent,
                         GroupDigits(static_cast<int64_t>(rate)), eta, tables)
                 .c_str(),
             stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace seedforge
