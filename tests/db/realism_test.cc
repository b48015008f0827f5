// Every realism rule of the fleet model (RealismRules() in engine/verify.h) as an SQL query that
// counts violations, run on the `large` profile (166,000 rows) loaded by the real binary. Each
// must find zero. The skew and the weekly rhythm are statistical properties and are checked
// against clear thresholds.
#include <gtest/gtest.h>

#include <string>

#include "engine/profile.h"
#include "engine/verify.h"
#include "tests/support/test_support.h"

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

// The rules are verify's own (engine/verify.cc is their single source), so `seedforge verify`
// checks exactly what this suite proves holds on the large profile.
class RealismRuleTest : public ::testing::TestWithParam<RealismRule> {};

TEST_P(RealismRuleTest, HasNoViolationsOnTheLargeProfile) {
  static const Profile profile = [] {
    auto large = LoadProfile("large");
    EXPECT_TRUE(large.ok()) << large.status().message();
    return large.ok() ? *large : Profile{};
  }();
  const std::string sql = RealismRuleSql(GetParam(), profile);
  for (const char* placeholder : {"$WINDOW_START", "$WINDOW_END", "$EMAIL_DOMAIN"}) {
    EXPECT_EQ(sql.find(placeholder), std::string::npos) << placeholder << " is left in " << sql;
  }
  EXPECT_EQ(QueryInt(LargeDatabase(), sql), 0) << sql;
}

INSTANTIATE_TEST_SUITE_P(Fleet, RealismRuleTest,
                         ::testing::ValuesIn(RealismRules().begin(), RealismRules().end()),
                         [](const ::testing::TestParamInfo<RealismRule>& rule) {
                           return std::string(rule.param.name);
                         });

TEST(Realism, TablesHoldExactlyTheLargeTargets) {
  EXPECT_EQ(QueryValue(LargeDatabase(),
                       "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM "
                       "applications) || ' ' || (SELECT count(*) FROM assets) || ' ' || (SELECT "
                       "count(*) FROM deployments) || ' ' || (SELECT count(*) FROM events)"),
            "1000 5000 50000 10000 100000");
}

TEST(Realism, PayloadKeysDifferBetweenEventTypes) {
  EXPECT_GE(QueryInt(LargeDatabase(),
                     "SELECT count(DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM "
                     "jsonb_object_keys(payload) k)) FROM events"),
            10);
}

TEST(Realism, ASmallShareOfAssetsProducesALargeShareOfEvents) {
  // The busiest 10% of assets (5,000 of 50,000) hold well over 10% of the asset events: with the
  // default skew of 3 about 46%. Uniform draws would give them about 14%.
  const std::string share = QueryValue(
      LargeDatabase(),
      "WITH per_asset AS (SELECT count(*) AS n FROM events WHERE deployment_id IS NULL GROUP BY "
      "asset_id), ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS rank FROM "
      "per_asset) SELECT round(sum(n) FILTER (WHERE rank <= 5000) / sum(n), 2) FROM ranked");
  EXPECT_GE(std::stod(share), 0.35) << share;
}

TEST(Realism, WeekdayWorkingHoursAreClearlyBusierThanNightsAndWeekends) {
  // Events per hour-of-week slot: weekday 09-18 UTC against nights (00-09) and weekends.
  const std::string ratio = QueryValue(
      LargeDatabase(),
      "WITH e AS (SELECT extract(isodow FROM occurred_at) AS dow, extract(hour FROM occurred_at) "
      "AS h FROM events WHERE deployment_id IS NULL) SELECT round((count(*) FILTER (WHERE dow <= "
      "5 AND h >= 9 AND h < 18) / 45.0) / (count(*) FILTER (WHERE dow >= 6 OR h < 9) / 93.0), 2) "
      "FROM e");
  EXPECT_GE(std::stod(ratio), 3.0) << ratio;
}

TEST(Realism, DeploymentFailureRatesArePlausible) {
  // failed_rate 0.06 of 10,000 deployments: between 4% and 8%.
  const int64_t failed =
      QueryInt(LargeDatabase(), "SELECT count(*) FROM deployments WHERE status = 'failed'");
  EXPECT_GE(failed, 400);
  EXPECT_LE(failed, 800);
}

}  // namespace
}  // namespace seedforge
