// Checks shared by the snapshot suites (tests/db/snapshot_test.cc, tests/cli/snapshot_cli_test.cc):
// a database's whole observable state, so "unchanged" and "restored exactly" are one comparison.
#pragma once

#include <string>

namespace seedforge::testing {

// Every table of schemas public and seedforge (but seedforge.pending_constraints) with an md5 of
// its rows, every constraint (with whether it is validated) and index of those schemas, and every
// sequence's state, one per line, sorted. Two databases with equal states hold the same rows
// under the same definitions. Of seedforge.runs only the runs that wrote data count: the rows
// that verify, snapshot create and snapshot restore add (and the id sequence they advance) are
// those runs' own record, checked in tests/cli/runs_test.cc.
std::string DatabaseState(const std::string& url);

// Replaces the first occurrence of `from` in the file at `path` by `to`; fails the test if absent.
void EditFile(const std::string& path, const std::string& from, const std::string& to);

}  // namespace seedforge::testing
