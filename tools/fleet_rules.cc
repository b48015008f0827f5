// The fleet model's realism rules, and the keys of any set of tables (see fleet_rules.h).
#include "tools/fleet_rules.h"

#include "core/table_schema.h"
#include "tools/sql_text.h"

namespace seedforge {
namespace {

// ---------------------------------------------------------------------------------------------
// The realism rules. The single source: tests/db/realism_test.cc runs these same queries.

constexpr RealismRule kRealismRules[] = {
    // users
    {"UsersCreatedInIdOrder",
     "SELECT count(*) FROM (SELECT created_at, lag(created_at) OVER (ORDER BY id) AS p "
     "FROM users) x WHERE created_at <= p"},
    {"UsersInsideTheWindow",
     "SELECT count(*) FROM users WHERE created_at < $WINDOW_START OR created_at >= $WINDOW_END"},
    {"CreatorIsAnEarlierUserCreatedBefore",
     "SELECT count(*) FROM users u JOIN users c ON c.id = u.created_by WHERE c.id >= u.id "
     "OR c.created_at >= u.created_at"},
    {"FirstUserHasNoCreator", "SELECT count(*) FROM users WHERE id = 1 AND created_by IS NOT NULL"},
    // Names end in a number (the id the row was generated as), with "+2" or "-2" after it when
    // a row seedforge did not make held the value (see GenerationSegment).
    {"EmailDerivesFromTheName",
     "SELECT count(*) FROM users WHERE email NOT LIKE lower(split_part(full_name, ' ', 1)) || "
     "'.' || lower(split_part(full_name, ' ', 2)) || '%@' || $EMAIL_DOMAIN OR "
     "split_part(email, '@', 1) !~ '[a-z]\\d+(\\+\\d+)?$'"},
    {"UsernameDerivesFromTheName",
     "SELECT count(*) FROM users WHERE position(lower(split_part(full_name, ' ', 2)) IN "
     "username) = 0 OR username !~ '[a-z]\\d+(-\\d+)?$'"},
    // applications
    {"ApplicationCreatedAfterItsCreator",
     "SELECT count(*) FROM applications a JOIN users u ON u.id = a.created_by WHERE "
     "a.created_at < u.created_at OR a.created_at >= $WINDOW_END"},
    {"ApplicationVersionIsMajorMinorPatch",
     "SELECT count(*) FROM applications WHERE version !~ '^\\d+\\.\\d+\\.\\d+$' OR "
     "package_size_mb <= 0"},
    {"ApplicationPlatformIsKnown",
     "SELECT count(*) FROM applications WHERE platform NOT IN ('windows', 'macos', "
     "'linux', 'ios', 'android')"},
    // assets
    {"OnlyAppleHardwareRunsAppleSystems",
     "SELECT count(*) FROM assets WHERE (manufacturer = 'Apple') <> (os_name IN ('macOS', "
     "'iOS', 'iPadOS'))"},
    {"ServersAndVmsRunServerSystems",
     "SELECT count(*) FROM assets WHERE (asset_type IN ('server', 'vm')) <> (os_name IN "
     "('Windows Server 2019', 'Windows Server 2022', 'Ubuntu Server', 'Red Hat Enterprise "
     "Linux', 'Debian'))"},
    {"VmsComeFromVirtualPlatforms",
     "SELECT count(*) FROM assets WHERE (asset_type = 'vm') <> (manufacturer IN "
     "('VMware', 'Microsoft Hyper-V', 'QEMU', 'Amazon EC2'))"},
    {"MobilesRunMobileSystems",
     "SELECT count(*) FROM assets WHERE (asset_type = 'mobile') <> (os_name IN ('iOS', "
     "'iPadOS', 'Android'))"},
    {"IphonesRunIosAndIpadsIpados",
     "SELECT count(*) FROM assets WHERE (model LIKE 'iPhone%') <> (os_name = 'iOS') OR "
     "(model LIKE 'iPad%') <> (os_name = 'iPadOS')"},
    {"MacAddressPrefixFitsTheManufacturer",
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
    {"ServersAndVmsHaveNoOwner",
     "SELECT count(*) FROM assets WHERE asset_type IN ('server', 'vm') AND owner_id IS NOT NULL"},
    {"LastSeenNotBeforeCreated",
     "SELECT count(*) FROM assets WHERE last_seen_at < created_at OR last_seen_at >= $WINDOW_END "
     "OR created_at < $WINDOW_START"},
    {"AssetStatusIsKnown",
     "SELECT count(*) FROM assets WHERE status NOT IN ('active', 'in_repair', 'retired', "
     "'in_stock') OR asset_type NOT IN ('laptop', 'desktop', 'server', 'vm', 'mobile')"},
    {"AddressesArePrivate",
     "SELECT count(*) FROM assets WHERE NOT (ip_address << inet '10.0.0.0/8' OR "
     "ip_address << inet '172.16.0.0/12' OR ip_address << inet '192.168.0.0/16')"},
    // deployments
    {"DeploymentStartsAfterAssetAndApplicationWereCreated",
     "SELECT count(*) FROM deployments d JOIN assets a ON a.id = d.asset_id JOIN "
     "applications p ON p.id = d.application_id WHERE d.started_at <= "
     "greatest(a.created_at, p.created_at) OR d.started_at >= $WINDOW_END"},
    {"FinishedExactlyWhenTerminal",
     "SELECT count(*) FROM deployments WHERE (finished_at IS NOT NULL) <> (status IN "
     "('succeeded', 'failed', 'rolled_back')) OR finished_at < started_at OR finished_at "
     ">= $WINDOW_END"},
    {"ErrorCodeExactlyWhenFailed",
     "SELECT count(*) FROM deployments WHERE (error_code IS NOT NULL) <> (status = 'failed')"},
    {"DeploymentStatusAndRingAreKnown",
     "SELECT count(*) FROM deployments WHERE status NOT IN ('pending', 'running', "
     "'succeeded', 'failed', 'rolled_back') OR ring NOT IN ('canary', 'pilot', 'broad')"},
    // events
    {"EventHappensAfterItsAssetWasCreated",
     "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.occurred_at "
     "<= a.created_at OR e.occurred_at >= $WINDOW_END"},
    {"NamedUserIsTheAssetsOwner",
     "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.user_id IS "
     "NOT NULL AND e.user_id IS DISTINCT FROM a.owner_id"},
    {"NamedDeploymentIsOnTheSameAssetAndStartedBefore",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "e.asset_id <> d.asset_id OR e.occurred_at <= d.started_at"},
    {"DeploymentEventPayloadMatchesTheDeployment",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "(e.payload->>'deployment_id')::bigint <> d.id OR "
     "(e.payload->>'application_id')::bigint <> d.application_id OR "
     "e.payload->>'status' <> CASE WHEN e.event_type IN ('deployment_started', "
     "'deployment_progress') THEN 'running' ELSE d.status END OR "
     "(e.payload->>'error_code') IS DISTINCT FROM CASE WHEN e.event_type = "
     "'deployment_failed' THEN d.error_code END"},
    {"DeploymentEventTypeFitsTheDeploymentStatus",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "e.event_type <> 'deployment_started' AND e.event_type <> CASE d.status WHEN "
     "'pending' THEN 'deployment_queued' WHEN 'running' THEN 'deployment_progress' ELSE "
     "'deployment_' || d.status END OR (e.event_type = 'deployment_started' AND d.status "
     "= 'pending')"},
    {"OnlyDeploymentEventsNameADeployment",
     "SELECT count(*) FROM events WHERE (deployment_id IS NULL) = (event_type LIKE "
     "'deployment%')"},
    {"PayloadIsAnObject", "SELECT count(*) FROM events WHERE jsonb_typeof(payload) <> 'object'"},
    // Both event rules are written for hash aggregates: count(DISTINCT) per group would sort
    // every event (8 s instead of under 3 s on the xl profile's million events).
    {"EachEventTypeHasOneSeverity",
     "SELECT count(*) FROM (SELECT event_type FROM (SELECT DISTINCT event_type, severity FROM "
     "events) d GROUP BY event_type HAVING count(*) > 1) s"},
    // Every key of an event type is in every event of that type: (type, key) pairs whose count
    // differs from the type's count.
    {"PayloadKeysDependOnlyOnTheEventType",
     "WITH t AS (SELECT event_type, count(*) AS n FROM events GROUP BY 1), k AS (SELECT "
     "event_type, key, count(*) AS n FROM events, jsonb_object_keys(payload) key GROUP BY 1, 2) "
     "SELECT count(*) FROM k JOIN t USING (event_type) WHERE k.n <> t.n"},
    // uniqueness (also of the MAC addresses, which no constraint enforces)
    {"UniqueValuesAreUnique",
     "SELECT (SELECT count(*) - count(DISTINCT username) + count(*) - count(DISTINCT "
     "email) FROM users) + (SELECT count(*) - count(DISTINCT asset_tag) + count(*) - "
     "count(DISTINCT serial_number) + count(*) - count(DISTINCT mac_address) FROM assets) "
     "+ (SELECT count(*) - count(DISTINCT (name, version, platform)) FROM "
     "applications)"},
};

}  // namespace

// Keys of a set of tables, read from their declarations (the profile's model) so that the
// declaration stays their one source.

std::vector<std::pair<std::string, std::string>> ObjectNamesOf(
    const std::vector<TableSchema>& schemas) {
  std::vector<std::pair<std::string, std::string>> result;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      result.emplace_back(schema.name, constraint.name);
    }
    for (const IndexDef& index : schema.table.indexes) result.emplace_back(schema.name, index.name);
  }
  return result;
}

std::vector<ForeignKey> ForeignKeysOf(const std::vector<TableSchema>& schemas) {
  std::vector<ForeignKey> result;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type != 'f' || constraint.columns.size() != 1) continue;
      ForeignKey& key = result.emplace_back(ForeignKey{
          constraint.name, schema.name, constraint.columns.front(), constraint.referenced_table});
      if (!constraint.referenced_columns.empty()) {
        key.parent_column = constraint.referenced_columns.front();
      }
    }
  }
  return result;
}

std::vector<UniqueKey> UniqueKeysOf(const std::vector<TableSchema>& schemas) {
  std::vector<UniqueKey> result;
  for (const TableSchema& schema : schemas) {
    for (const ConstraintDef& constraint : schema.table.constraints) {
      if (constraint.type != 'p' && constraint.type != 'u') continue;
      result.push_back(UniqueKey{constraint.name, schema.name, constraint.columns});
    }
  }
  return result;
}

std::span<const RealismRule> RealismRules() { return kRealismRules; }

std::string RealismRuleSql(const RealismRule& rule, const Profile& profile) {
  std::string sql(rule.sql);
  ReplaceAll(sql, "$WINDOW_START", TimestampLiteral(profile.window_start_micros));
  ReplaceAll(sql, "$WINDOW_END", TimestampLiteral(profile.window_end_micros));
  ReplaceAll(sql, "$EMAIL_DOMAIN", SqlLiteral(profile.parameters.users.email_domain));
  return sql;
}

}  // namespace seedforge
