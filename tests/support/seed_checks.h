// Checks shared by the suites that run seedforge against a real server and then look at what it
// left: table fingerprints, whole-batch counts, constraint definitions, and waiting for a killed
// run's server session to end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge::testing {

// The five tables of the fleet model, in load order.
inline constexpr const char* kFleetTables[] = {"users", "applications", "assets", "deployments",
                                               "events"};

// Number of tables in schema public.
int64_t PublicTables(const std::string& url);
// Number of '\n' in `text`.
int CountLines(const std::string& text);
// TableFingerprint of every fleet table that exists ("" for one that does not).
std::map<std::string, std::string> Fingerprints(const std::string& url);
// Sum of the rows of the fleet tables that exist.
int64_t TotalFleetRows(const std::string& url);
// Polls until `sql` returns at least `at_least` or `child` exits.
void WaitForCount(const std::string& url, const std::string& sql, int64_t at_least,
                  ChildProcess& child);
// After a client is killed, its server session may still finish (and commit) a batch it had
// fully received. Waits until no other session is left on the database; fails the test if one
// stays.
void WaitForOtherSessionsToEnd(const std::string& url);
// Index and constraint definitions of the fleet tables, plus the foreign keys a parallel bulk
// load has parked in its journal, one per line: a kill may move a foreign key from the catalog to
// the journal, never lose it.
std::string DefinitionsWithJournal(const std::string& url);
// Runs `seedforge verify --db url --profile profile --json` plus `extra` and expects exit 0 with
// no failed check.
void ExpectVerifyPasses(const std::string& url, const std::string& profile,
                        const std::vector<std::string>& extra = {});
// `url` (a URI from TestCluster::CreateDatabase) with the user replaced by `user`.
std::string WithUser(const std::string& url, const std::string& user);

}  // namespace seedforge::testing
