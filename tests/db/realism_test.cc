// Every check of the built-in fleet profile (its "checks", which `seedforge verify` runs) as the
// SQL verify runs, on the `large` profile (166,000 rows) loaded by the real binary: each must
// find zero. The seed fixes every value, so the counts and shares pinned below are exact; they
// were read from the server once and are kept deliberately (the golden fingerprints guard every
// value; these say what the data looks like). Update them when the fleet's data changes on
// purpose, with its line in the README's changelog.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "engine/profile.h"
#include "tests/support/test_support.h"
#include "tools/verify.h"

namespace seedforge {
namespace {

using testing::QueryInt;
using testing::QueryValue;
using testing::RunSeedforge;
using testing::TestCluster;

const std::string& LargeDatabase() {
  static const std::string url = [] {
    const std::string database = TestCluster::Get().CreateDatabase("realism");
    const auto result = RunSeedforge({"seed", "--db", database, "--profile", "large", "--quiet"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return database;
  }();
  return url;
}

const Profile& LargeProfile() {
  static const Profile profile = [] {
    auto large = LoadProfile("large");
    EXPECT_TRUE(large.ok()) << large.status().message();
    return large.ok() ? *large : Profile{};
  }();
  return profile;
}

std::vector<ProfileCheck> LargeChecks() { return LargeProfile().checks; }

class FleetCheckTest : public ::testing::TestWithParam<ProfileCheck> {};

TEST_P(FleetCheckTest, HasNoViolationsOnTheLargeProfile) {
  const std::string sql = ProfileCheckSql(GetParam(), LargeProfile());
  for (const char* placeholder : {"$WINDOW_START", "$WINDOW_END"}) {
    EXPECT_EQ(sql.find(placeholder), std::string::npos) << placeholder << " is left in " << sql;
  }
  EXPECT_EQ(QueryInt(LargeDatabase(), sql), 0) << sql;
}

INSTANTIATE_TEST_SUITE_P(Fleet, FleetCheckTest, ::testing::ValuesIn(LargeChecks()),
                         [](const ::testing::TestParamInfo<ProfileCheck>& check) {
                           return check.param.name;
                         });

TEST(Realism, TheFleetCarriesItsRulesAsChecks) {
  // The 33 rules the fleet's hand-written generators were proved against, now the profile's own.
  EXPECT_EQ(LargeChecks().size(), 33u);
  EXPECT_EQ(
      ProfileCheckSql(ProfileCheck{"w", "SELECT $WINDOW_START < $WINDOW_END"}, LargeProfile()),
      "SELECT timestamptz '2024-01-01 00:00:00+00' < timestamptz '2026-01-01 00:00:00+00'");
}

TEST(Realism, TablesHoldExactlyTheLargeTargets) {
  EXPECT_EQ(QueryValue(LargeDatabase(),
                       "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM "
                       "applications) || ' ' || (SELECT count(*) FROM assets) || ' ' || (SELECT "
                       "count(*) FROM deployments) || ' ' || (SELECT count(*) FROM events)"),
            "1000 5000 50000 10000 100000");
}

// ---- PINNED (seed 42, profile large) ----
constexpr const char* kPinnedTopShare = "0.51";        // busiest 5,000 assets' asset events
constexpr const char* kPinnedWorkingToQuiet = "8.12";  // events per hour, weekday 09-18 UTC
constexpr const char* kPinnedDeploymentStatuses =      // status:count, by status
    "failed:622 pending:196 rolled_back:195 running:209 succeeded:8778";
constexpr int64_t kPinnedInactiveUsers = 69;
constexpr int64_t kPinnedPayloadKeySets = 20;  // distinct sets of payload keys
// ---- end of pinned values ----

TEST(Realism, PayloadKeysDifferBetweenEventTypes) {
  EXPECT_EQ(QueryInt(LargeDatabase(),
                     "SELECT count(DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM "
                     "jsonb_object_keys(payload) k)) FROM events"),
            kPinnedPayloadKeySets);
}

TEST(Realism, ASmallShareOfAssetsProducesALargeShareOfEvents) {
  // The busiest 10% of assets (5,000 of 50,000) hold about half the asset events with the
  // profile's skew of 0.68 (uniform draws would give them about 25%).
  const std::string share = QueryValue(
      LargeDatabase(),
      "WITH per_asset AS (SELECT count(*) AS n FROM events WHERE deployment_id IS NULL GROUP BY "
      "asset_id), ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS rank FROM "
      "per_asset) SELECT round(sum(n) FILTER (WHERE rank <= 5000) / sum(n), 2) FROM ranked");
  EXPECT_EQ(share, kPinnedTopShare);
}

TEST(Realism, WeekdayWorkingHoursAreClearlyBusierThanNightsAndWeekends) {
  // Events per hour-of-week slot, in UTC: weekday 09-18 against nights (00-09) and weekends;
  // the profile weighs working hours 8.25 and weekends 0.254.
  const std::string ratio = QueryValue(
      LargeDatabase(),
      "WITH e AS (SELECT extract(isodow FROM occurred_at AT TIME ZONE 'UTC') AS dow, "
      "extract(hour FROM occurred_at AT TIME ZONE 'UTC') AS h FROM events WHERE deployment_id "
      "IS NULL) SELECT round((count(*) FILTER (WHERE dow <= 5 AND h >= 9 AND h < 18) / 45.0) / "
      "(count(*) FILTER (WHERE dow >= 6 OR h < 9) / 93.0), 2) FROM e");
  EXPECT_EQ(ratio, kPinnedWorkingToQuiet);
}

TEST(Realism, DeploymentStatusesAreExactlyThoseOfTheSeed) {
  EXPECT_EQ(QueryValue(LargeDatabase(),
                       "SELECT string_agg(status || ':' || n, ' ' ORDER BY status) FROM (SELECT "
                       "status, count(*) AS n FROM deployments GROUP BY status) s"),
            kPinnedDeploymentStatuses);
}

TEST(Realism, InactiveUsersAreExactlyThoseOfTheSeed) {
  EXPECT_EQ(QueryInt(LargeDatabase(), "SELECT count(*) FROM users WHERE NOT is_active"),
            kPinnedInactiveUsers);
}

}  // namespace
}  // namespace seedforge
