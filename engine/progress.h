// The live progress line, redrawn in place on stderr at most ten times a second: the run's total
// with its rate and ETA, then each table being written with its own rows and percent (or what it
// is doing after its rows):
//   seed  450,000/1,660,000  27.1%  1,204,311 rows/s  ETA 1s | events 300,000 30% | assets:
//   building indexes
// Disabled (prints nothing) when stderr is not a terminal or with --quiet. Thread-safe: tables
// loading at the same time report into the same line.
//
// A ProgressListener, when given, hears every event whether the line is drawn or not (the admin
// server's job state, tools/admin_server.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace seedforge {

// What a run reports as it goes. Called from the table workers, so implementations must be
// thread-safe; calls for one table come in order (started, advanced..., phases, finished).
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  // The run will write `total_rows` rows; `verb` names it ("seed", "reset").
  virtual void RunStarted(std::string_view verb, int64_t total_rows) = 0;
  // `rows`: what the run writes to the table (0 for a step without rows, "foreign keys").
  virtual void TableStarted(std::string_view table, int64_t rows) = 0;
  virtual void TableAdvanced(std::string_view table, int64_t rows) = 0;
  virtual void TablePhase(std::string_view table, std::string_view phase) = 0;
  virtual void TableFinished(std::string_view table) = 0;
};

class ProgressLine {
 public:
  // `listener` (may be null, not owned) must outlive the line.
  explicit ProgressLine(bool enabled, ProgressListener* listener = nullptr)
      : enabled_(enabled), listener_(listener) {}

  // True when stderr is a terminal.
  static bool StderrIsTerminal();

  // Starts the clock for a run that will write `total_rows` rows.
  void Start(std::string_view verb, int64_t total_rows);
  void TableStarted(std::string_view table, int64_t rows = 0);
  void TableFinished(std::string_view table);
  // Shows what a table is doing after its rows, e.g. "events: building indexes".
  void TablePhase(std::string_view table, std::string_view phase);
  // Adds rows written to `table` (from any thread).
  void Advance(std::string_view table, int64_t rows);
  // Erases the line.
  void Finish();

 private:
  void DrawLocked(bool force);

  const bool enabled_;
  ProgressListener* const listener_;
  std::mutex mutex_;
  // Every member below is written by the table workers and guarded by mutex_.
  std::string verb_;
  struct Active {
    std::string table;
    std::string phase;  // empty while rows are being written
    int64_t rows = 0;   // rows this run writes to the table
    int64_t done = 0;
  };
  std::vector<Active> active_;
  int64_t total_ = 0;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace seedforge
