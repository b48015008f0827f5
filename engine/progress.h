// The live progress line: "events  45,000/100,000  45%  1.2M rows/s  ETA 0s", redrawn in place
// on stderr at most ten times a second. Disabled (prints nothing) when stderr is not a terminal
// or with --quiet. Called from one thread at a time (the pipeline's sink stage).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace seedforge {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}

  // True when stderr is a terminal.
  static bool StderrIsTerminal();

  void StartTable(std::string_view table, int64_t total_rows);
  void Update(int64_t rows_done);
  // Erases the line.
  void Finish();

 private:
  void Draw(int64_t rows_done);

  bool enabled_;
  std::string table_;
  int64_t total_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace seedforge
