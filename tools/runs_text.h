// `seedforge runs` as text and JSON: the rows of seedforge.runs (sinks/postgres/run_history.h
// ReadRuns) as a readable table or as JSON, for the command line and for `seedforge serve`.
#pragma once

#include <string>
#include <vector>

namespace seedforge {

struct StoredRun;

// One line per run, newest first as given: id, finished at, command, profile, seed, rows added,
// seconds, outcome, under a header line. Ends with a newline.
std::string FormatRunsText(const std::vector<StoredRun>& runs);
// One run as a JSON object: {"id", "started_at", "finished_at", "command", "profile",
// "profile_source", "profile_fingerprint", "seed", "targets": {TABLE: N}, "tables": [{"table",
// "target", "before", "added", "fixtures", "seconds", "method"}], "rows_added", "seconds",
// "method", "cleared", "outcome", "message", "snapshot", "seedforge_version", "server_version",
// "host"}; "message" and "snapshot" are null when empty.
std::string RunJson(const StoredRun& run);
// A JSON array of RunJson objects, one per line. Ends with a newline.
std::string FormatRunsJson(const std::vector<StoredRun>& runs);

}  // namespace seedforge
