// Folder engine/: the engine proper: profile reading, fixtures, planning and history, the
// pipeline and the table scheduler, the run, progress and reports. It knows generators/ and
// sinks/ through their interfaces (TableGenerator, Sink, Encoding) and core/; it knows nothing
// of options or exit codes (cli/) and nothing of the PostgreSQL tools (tools/).
//
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

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/pipeline.h"
#include "engine/profile.h"
#include "engine/progress.h"
#include "engine/report.h"
#include "generators/generation_model.h"
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
  // Also told every progress event (engine/progress.h), drawn or not; not owned, may be null.
  ProgressListener* progress_listener = nullptr;
  // Tables written at the same time, each through its own worker sink (a connection, for
  // PostgreSQL). 1 writes tables one after another.
  int parallel_tables = 1;
  // Decides what to do from the rows every table holds (schemas() order). Called once, after
  // Sink::Prepare() (for PostgreSQL: with the advisory lock held, which stays held through the
  // clearing and the writing) and before anything is changed; an error ends the run with nothing
  // changed. Empty: kWrite.
  std::function<StatusOr<StartAction>(const std::vector<int64_t>& existing)> before_write;
  // Rows the run adds besides the generated ones: the profile's fixtures (engine/fixtures.h).
  // `count_fixtures` is called after before_write, before anything is written, and says per
  // table (schemas() order) how many rows `insert_fixtures` will add; generated rows leave room
  // for them under the targets. `insert_fixtures` runs once every table was written. Empty: no
  // fixtures.
  std::function<StatusOr<std::vector<int64_t>>()> count_fixtures;
  std::function<StatusOr<std::vector<int64_t>>()> insert_fixtures;
  // Plan only: read what every table holds, decide what the run would add and how (the report's
  // TableReport::planned and method, RunReport::dry_run) and change nothing: no clearing (a
  // kClearThenWrite is planned as if the tables were empty), no schema, no rows, no history.
  bool dry_run = false;
};

// Plans and runs `profile` into `sink`. Fills `report` as it goes, also when it fails, so the
// caller can say what was done. Returns the first error (kCancelled when interrupted).
Status RunProfile(const Profile& profile, Sink& sink, const RunOptions& options, RunReport* report);

// The id the next generated row of a table gets: the one after the last generated row, or past
// every id present when rows seedforge did not make took it (always index + 1 without history).
int64_t NextGeneratedId(const TableContents& contents);

// The plan a profile gives for the given final row counts (schemas() order): seed, window,
// counts, and an empty history per table.
GenerationPlan MakeGenerationPlan(const Profile& profile, const std::vector<int64_t>& final_counts);

// Puts the tables' recorded history into `plan` (segments of rows that are gone, or recorded
// with another number of tables, are dropped), and for every table being written a last segment
// for its new rows, with plan->row_counts. `planned[i]` is the segment the run adds to table i:
// its row_count (> 0 when the run adds rows), first_id and reserved_keys; its first_row and
// model_row_counts are set here. `planned` may be empty (nothing added). Without history every
// row uses row_counts and has id index + 1, as in a fresh run. REQUIRES: contents.size() ==
// plan->row_counts.size().
void ApplyHistory(const std::vector<TableContents>& contents,
                  const std::vector<GenerationSegment>& planned, GenerationPlan* plan);

// The final generated count of every table (schemas() order) when table i already has
// generated[i] generated rows and wants to_write[i] more, with the model's derived counts
// applied in load order (for a run with `seed`): a table whose count follows from its parents
// (DerivedCount) gets max(generated, derived), and to_write[i] becomes what that adds. Returns the
// derived count of each table (nullopt for a table with a target of its own).
std::vector<std::optional<int64_t>> ApplyDerivedCounts(const GenerationModel& model, uint64_t seed,
                                                       const std::vector<int64_t>& generated,
                                                       std::vector<int64_t>* to_write,
                                                       std::vector<int64_t>* final_counts);

// What a fresh seed of `profile` (an empty database) makes, per table in schemas() order.
struct FreshSeedPlan {
  // Rows the table holds afterwards: its target, or for a table laid out per parent the count
  // derived from its parents (GenerationModel::DerivedCount with the profile's seed).
  std::vector<int64_t> targets;
  // Rows generated (the final counts the generators are planned with): the targets less the
  // table's fixtures, or the derived count.
  std::vector<int64_t> generated;
};
// As RunProfile plans it (PlanTables). REQUIRES: `profile` was loaded (it has a model).
FreshSeedPlan PlanFreshSeed(const Profile& profile);

}  // namespace seedforge
