// See seed_checks.h. Every helper reads through the SQL one-liners of test_support, so a failing
// query fails the test that asked.
#include "tests/support/seed_checks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace seedforge::testing {

int64_t PublicTables(const std::string& url) {
  return QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
}

int CountLines(const std::string& text) {
  int lines = 0;
  for (const char c : text) lines += c == '\n';
  return lines;
}

std::map<std::string, std::string> Fingerprints(const std::string& url) {
  std::map<std::string, std::string> out;
  for (const char* table : kFleetTables) {
    const bool exists =
        QueryValue(url, std::string("SELECT to_regclass('") + table + "') IS NOT NULL") == "t";
    out[table] = exists ? TableFingerprint(url, table) : "";
  }
  return out;
}

int64_t TotalFleetRows(const std::string& url) {
  int64_t total = 0;
  for (const char* table : kFleetTables) {
    if (QueryValue(url, std::string("SELECT to_regclass('") + table + "') IS NOT NULL") != "t") {
      continue;
    }
    total += QueryInt(url, std::string("SELECT count(*) FROM ") + table);
  }
  return total;
}

void WaitForCount(const std::string& url, const std::string& sql, int64_t at_least,
                  ChildProcess& child) {
  for (int i = 0; i < 60000 && child.Running(); ++i) {
    if (QueryInt(url, sql) >= at_least) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // The child ended first, or the count never came: either way the caller's moment was missed.
  ADD_FAILURE() << "WaitForCount: `" << sql << "` did not reach " << at_least
                << (child.Running() ? " in 120 s" : " before the run ended");
}

void WaitForOtherSessionsToEnd(const std::string& url) {
  for (int i = 0; i < 10000; ++i) {
    if (QueryInt(url,
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()") == 0) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ADD_FAILURE() << "the killed run's server session did not end";
}

std::string DefinitionsWithJournal(const std::string& url) {
  const bool journal = QueryInt(url,
                                "SELECT count(*) FROM pg_tables WHERE schemaname = 'seedforge' AND "
                                "tablename = 'pending_constraints'") == 1;
  return QueryValue(
      url, std::string("SELECT string_agg(d, E'\\n' ORDER BY d) FROM (SELECT conrelid::regclass || "
                       "conname || pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE "
                       "connamespace = 'public'::regnamespace UNION ALL SELECT "
                       "pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid::regclass::text "
                       "IN ('users','applications','assets','deployments','events')") +
               (journal ? " UNION ALL SELECT table_name || constraint_name || definition FROM "
                          "seedforge.pending_constraints"
                        : "") +
               ") s");
}

std::string WithUser(const std::string& url, const std::string& user) {
  const std::string prefix = "postgresql://postgres@";
  if (url.rfind(prefix, 0) != 0) {
    ADD_FAILURE() << "unexpected test database URL " << url;
    return url;
  }
  return "postgresql://" + user + "@" + url.substr(prefix.size());
}

void ExpectVerifyPasses(const std::string& url, const std::string& profile,
                        const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"verify", "--db", url, "--profile", profile, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const ProcessResult verified = RunSeedforgeClean(args);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("\"failed\": 0,"), std::string::npos) << verified.out;
}

}  // namespace seedforge::testing
