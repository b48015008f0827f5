// Running a profile into a sink: plan, then generate table by table.
//
// Plan: for every table of the model, in foreign-key order, ask the sink how many rows exist
// (nothing else is read back). A table's final count is max(existing, target); those counts fix
// the id ranges children draw their foreign keys from, so a run that tops up, or resumes after a
// kill, makes exactly the rows a fresh run would make at the same indices. Tables at or above
// their target are left alone (nothing is ever deleted here).
//
// Tables are written by up to `parallel_tables` workers. A table the sink says loads
// independently may start at any time; any other waits until every earlier such table (in
// foreign-key order) is done. Ready tables start largest first, so the longest load starts first.
#pragma once

#include <array>
#include <functional>
#include <string_view>

#include "core/status.h"
#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/report.h"
#include "sinks/encoding.h"
#include "sinks/sink.h"

namespace seedforge {

// What a run does once its sink is prepared (see RunOptions::before_write).
enum class StartAction {
  kWrite,           // top every table up to its target
  kClearThenWrite,  // empty the model's tables (Sink::ClearTables), then write to the targets
  kSkip,            // write nothing; the run completes with every table as it was
};

struct RunOptions {
  PipelineOptions pipeline;
  Format format = Format::kCopyText;  // the encoding handed to the sink
  bool show_progress = false;         // draw the live progress line on stderr
  // Tables written at the same time, each through its own worker sink (a connection, for
  // PostgreSQL). 1 writes tables one after another.
  int parallel_tables = 1;
  // Decides what to do from the rows every table holds (TableId order). Called once, after
  // Sink::Prepare() (for PostgreSQL: with the advisory lock held, which stays held through the
  // clearing and the writing) and before anything is changed; an error ends the run with nothing
  // changed. Empty: kWrite.
  std::function<StatusOr<StartAction>(const std::array<int64_t, kTableCount>& existing)>
      before_write;
};

// Plans and runs `profile` into `sink`. Fills `report` as it goes, also when it fails, so the
// caller can say what was done. Returns the first error (kCancelled when interrupted).
Status RunProfile(const Profile& profile, Sink& sink, const RunOptions& options, RunReport* report);

// Puts the recorded `history` into `config`: segments describing rows that no longer exist (at or
// past `present`) are dropped, and a table being written gets a last segment for its new rows
// with config->row_counts. Without history every row uses row_counts, as in a fresh run.
void ApplyHistory(const std::vector<TableSegment>& history,
                  const std::array<int64_t, kTableCount>& present,
                  const std::array<bool, kTableCount>& writing, FleetConfig* config);

// The FleetConfig a profile gives for the given final row counts.
FleetConfig MakeFleetConfig(const Profile& profile,
                            const std::array<int64_t, kTableCount>& final_counts);

}  // namespace seedforge
