// Every realism rule of the fleet model as an SQL query that counts violations, run on the
// `large` profile (166,000 rows) loaded by the real binary. Each must find zero. The skew and the
// weekly rhythm are statistical properties and are checked against clear thresholds.
#include <gtest/gtest.h>

#include <string>

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

struct Rule {
  const char* name;
  const char* violations;  // SELECT count(*) ... of rows breaking the rule
};

class RealismRule : public ::testing::TestWithParam<Rule> {};

TEST_P(RealismRule, HasNoViolationsOnTheLargeProfile) {
  EXPECT_EQ(QueryInt(LargeDatabase(), GetParam().violations), 0) << GetParam().violations;
}

#define WINDOW_START "timestamptz '2024-01-01 00:00:00+00'"
#define WINDOW_END "timestamptz '2026-01-01 00:00:00+00'"

INSTANTIATE_TEST_SUITE_P(
    Fleet, RealismRule,
    ::testing::Values(
        // users
        Rule{"UsersCreatedInIdOrder",
             "SELECT count(*) FROM (SELECT created_at, lag(created_at) OVER (ORDER BY id) AS p "
             "FROM users) x WHERE created_at <= p"},
        Rule{"UsersInsideTheWindow", "SELECT count(*) FROM users WHERE created_at < " WINDOW_START
                                     " OR created_at >= " WINDOW_END},
        Rule{"CreatorIsAnEarlierUserCreatedBefore",
             "SELECT count(*) FROM users u JOIN users c ON c.id = u.created_by WHERE c.id >= u.id "
             "OR c.created_at >= u.created_at"},
        Rule{"FirstUserHasNoCreator",
             "SELECT count(*) FROM users WHERE id = 1 AND created_by IS "
             "NOT NULL"},
        Rule{"EmailDerivesFromTheName",
             "SELECT count(*) FROM users WHERE email <> lower(split_part(full_name, ' ', 1)) || "
             "'.' || lower(split_part(full_name, ' ', 2)) || id || '@example.com'"},
        Rule{"UsernameDerivesFromTheName",
             "SELECT count(*) FROM users WHERE position(lower(split_part(full_name, ' ', 2)) IN "
             "username) = 0 OR username NOT LIKE '%' || id"},
        // applications
        Rule{"ApplicationCreatedAfterItsCreator",
             "SELECT count(*) FROM applications a JOIN users u ON u.id = a.created_by WHERE "
             "a.created_at < u.created_at OR a.created_at >= " WINDOW_END},
        Rule{"ApplicationVersionIsMajorMinorPatch",
             "SELECT count(*) FROM applications WHERE version !~ '^\\d+\\.\\d+\\.\\d+$' OR "
             "package_size_mb <= 0"},
        Rule{"ApplicationPlatformIsKnown",
             "SELECT count(*) FROM applications WHERE platform NOT IN ('windows', 'macos', "
             "'linux', 'ios', 'android')"},
        // assets
        Rule{"OnlyAppleHardwareRunsAppleSystems",
             "SELECT count(*) FROM assets WHERE (manufacturer = 'Apple') <> (os_name IN ('macOS', "
             "'iOS', 'iPadOS'))"},
        Rule{"ServersAndVmsRunServerSystems",
             "SELECT count(*) FROM assets WHERE (asset_type IN ('server', 'vm')) <> (os_name IN "
             "('Windows Server 2019', 'Windows Server 2022', 'Ubuntu Server', 'Red Hat Enterprise "
             "Linux', 'Debian'))"},
        Rule{"VmsComeFromVirtualPlatforms",
             "SELECT count(*) FROM assets WHERE (asset_type = 'vm') <> (manufacturer IN "
             "('VMware', 'Microsoft Hyper-V', 'QEMU', 'Amazon EC2'))"},
        Rule{"MobilesRunMobileSystems",
             "SELECT count(*) FROM assets WHERE (asset_type = 'mobile') <> (os_name IN ('iOS', "
             "'iPadOS', 'Android'))"},
        Rule{"IphonesRunIosAndIpadsIpados",
             "SELECT count(*) FROM assets WHERE (model LIKE 'iPhone%') <> (os_name = 'iOS') OR "
             "(model LIKE 'iPad%') <> (os_name = 'iPadOS')"},
        Rule{"MacAddressPrefixFitsTheManufacturer",
             "SELECT count(*) FROM assets a WHERE NOT EXISTS (SELECT 1 FROM (VALUES "
             "('Apple', '3c:22:fb'), ('Apple', 'a4:83:e7'), ('Apple', 'f0:18:98'), "
             "('Apple', 'ac:bc:32'), ('Dell', '18:66:da'), ('Dell', 'b8:ca:3a'), "
             "('Dell', 'f8:bc:12'), ('Dell', 'd4:81:d7'), ('HP', '3c:d9:2b'), ('HP', '9c:8e:99'), "
             "('HP', '10:60:4b'), ('HPE', '94:18:82'), ('HPE', '1c:98:ec'), ('HPE', '48:df:37'), "
             "('Lenovo', '54:ee:75'), ('Lenovo', '8c:16:45'), ('Lenovo', 'e8:6a:64'), "
             "('Microsoft', '28:18:78'), ('Microsoft', 'c0:33:5e'), ('Samsung', '5c:0a:5b'), "
             "('Samsung', '8c:77:12'), ('Samsung', 'f4:7b:09'), ('Google', '3c:28:6d'), "
             "('Google', 'f8:0f:f9'), ('Supermicro', '00:25:90'), ('Supermicro', 'ac:1f:6b'), "
             "('Supermicro', '0c:c4:7a'), ('VMware', '00:50:56'), ('VMware', '00:0c:29'), "
             "('Microsoft Hyper-V', '00:15:5d'), ('QEMU', '52:54:00'), "
             "('Amazon EC2', '02:4a:7e'), ('Amazon EC2', '0a:3b:91'), ('Amazon EC2', '12:6f:c4')"
             ") AS oui(manufacturer, prefix) WHERE oui.manufacturer = a.manufacturer AND "
             "left(a.mac_address::text, 8) = oui.prefix)"},
        Rule{"ServersAndVmsHaveNoOwner",
             "SELECT count(*) FROM assets WHERE asset_type IN "
             "('server', 'vm') AND owner_id IS NOT NULL"},
        Rule{"LastSeenNotBeforeCreated",
             "SELECT count(*) FROM assets WHERE last_seen_at < created_at OR last_seen_at "
             ">= " WINDOW_END " OR created_at < " WINDOW_START},
        Rule{"AssetStatusIsKnown",
             "SELECT count(*) FROM assets WHERE status NOT IN ('active', 'in_repair', 'retired', "
             "'in_stock') OR asset_type NOT IN ('laptop', 'desktop', 'server', 'vm', 'mobile')"},
        Rule{"AddressesArePrivate",
             "SELECT count(*) FROM assets WHERE NOT (ip_address << inet '10.0.0.0/8' OR "
             "ip_address << inet '172.16.0.0/12' OR ip_address << inet '192.168.0.0/16')"},
        // deployments
        Rule{"DeploymentStartsAfterAssetAndApplicationWereCreated",
             "SELECT count(*) FROM deployments d JOIN assets a ON a.id = d.asset_id JOIN "
             "applications p ON p.id = d.application_id WHERE d.started_at <= "
             "greatest(a.created_at, p.created_at) OR d.started_at >= " WINDOW_END},
        Rule{"FinishedExactlyWhenTerminal",
             "SELECT count(*) FROM deployments WHERE (finished_at IS NOT NULL) <> (status IN "
             "('succeeded', 'failed', 'rolled_back')) OR finished_at < started_at OR finished_at "
             ">= " WINDOW_END},
        Rule{"ErrorCodeExactlyWhenFailed",
             "SELECT count(*) FROM deployments WHERE (error_code IS NOT NULL) <> (status = "
             "'failed')"},
        Rule{"DeploymentStatusAndRingAreKnown",
             "SELECT count(*) FROM deployments WHERE status NOT IN ('pending', 'running', "
             "'succeeded', 'failed', 'rolled_back') OR ring NOT IN ('canary', 'pilot', 'broad')"},
        // events
        Rule{"EventHappensAfterItsAssetWasCreated",
             "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.occurred_at "
             "<= a.created_at OR e.occurred_at >= " WINDOW_END},
        Rule{"NamedUserIsTheAssetsOwner",
             "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.user_id IS "
             "NOT NULL AND e.user_id IS DISTINCT FROM a.owner_id"},
        Rule{"NamedDeploymentIsOnTheSameAssetAndStartedBefore",
             "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
             "e.asset_id <> d.asset_id OR e.occurred_at <= d.started_at"},
        Rule{"DeploymentEventPayloadMatchesTheDeployment",
             "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
             "(e.payload->>'deployment_id')::bigint <> d.id OR "
             "(e.payload->>'application_id')::bigint <> d.application_id OR "
             "e.payload->>'status' <> CASE WHEN e.event_type IN ('deployment_started', "
             "'deployment_progress') THEN 'running' ELSE d.status END OR "
             "(e.payload->>'error_code') IS DISTINCT FROM CASE WHEN e.event_type = "
             "'deployment_failed' THEN d.error_code END"},
        Rule{"DeploymentEventTypeFitsTheDeploymentStatus",
             "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
             "e.event_type <> 'deployment_started' AND e.event_type <> CASE d.status WHEN "
             "'pending' THEN 'deployment_queued' WHEN 'running' THEN 'deployment_progress' ELSE "
             "'deployment_' || d.status END OR (e.event_type = 'deployment_started' AND d.status "
             "= 'pending')"},
        Rule{"OnlyDeploymentEventsNameADeployment",
             "SELECT count(*) FROM events WHERE (deployment_id IS NULL) = (event_type LIKE "
             "'deployment%')"},
        Rule{"PayloadIsAnObject",
             "SELECT count(*) FROM events WHERE jsonb_typeof(payload) <> 'object'"},
        Rule{"EachEventTypeHasOneSeverity",
             "SELECT count(*) FROM (SELECT event_type FROM events GROUP BY event_type HAVING "
             "count(DISTINCT severity) > 1) s"},
        Rule{"PayloadKeysDependOnlyOnTheEventType",
             "SELECT count(*) FROM (SELECT event_type FROM events e GROUP BY event_type HAVING "
             "count(DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM "
             "jsonb_object_keys(e.payload) k)) > 1) s"},
        // uniqueness
        Rule{"UniqueValuesAreUnique",
             "SELECT (SELECT count(*) - count(DISTINCT username) + count(*) - count(DISTINCT "
             "email) FROM users) + (SELECT count(*) - count(DISTINCT asset_tag) + count(*) - "
             "count(DISTINCT serial_number) + count(*) - count(DISTINCT mac_address) FROM assets) "
             "+ (SELECT count(*) - count(DISTINCT (name, version, platform)) FROM "
             "applications)"}),
    [](const ::testing::TestParamInfo<Rule>& rule) { return std::string(rule.param.name); });

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
