// The SQL schema of the fleet model, declared in the table model (core/table_model.h): columns
// with their SQL types, constraints and indexes. The sink's DDL creates the tables from it; the
// value types generators write are derived from it (MakeTableSchemas).
//
// Table and column names, column order and constraint names are a contract with the sinks, the
// tests and the users' applications. Every constraint and index is named explicitly so that
// snapshot and restore can capture and recreate their definitions by name. CHECK constraints are
// kept to facts that hold by construction, so hand-made rows are not needlessly refused. The
// tables have no schema: they are created in the session's current schema (public by default).
// The order of the unique keys numbers them in generation history (see TableSchema).
#include <string_view>
#include <vector>

#include "generators/fleet.h"

namespace seedforge {
namespace {

using declare::Check;
using declare::Column;
using declare::ForeignKey;
using declare::IdentityColumn;
using declare::Index;
using declare::PrimaryKey;
using declare::UniqueKey;

constexpr const char* kTimestamp = "timestamp with time zone";

std::vector<TableDef> DeclareTables() {
  std::vector<TableDef> tables(kTableCount);

  TableDef& users = tables[static_cast<int>(TableId::kUsers)];
  users.name = "users";
  users.columns = {IdentityColumn("id"),
                   Column("username", "text", true),
                   Column("email", "text", true),
                   Column("full_name", "text", true),
                   Column("department", "text", true),
                   Column("role", "text", true),
                   Column("is_active", "boolean", true),
                   Column("created_by", "bigint", false),
                   Column("created_at", kTimestamp, true)};
  users.constraints = {
      PrimaryKey("users_pkey", {"id"}),
      UniqueKey("users_username_key", {"username"}),
      UniqueKey("users_email_key", {"email"}),
      ForeignKey("users_created_by_fkey", {"created_by"}, users, {"id"},
                 "DEFERRABLE INITIALLY DEFERRED"),
  };

  TableDef& applications = tables[static_cast<int>(TableId::kApplications)];
  applications.name = "applications";
  applications.columns = {IdentityColumn("id"),
                          Column("name", "text", true),
                          Column("publisher", "text", true),
                          Column("version", "text", true),
                          Column("platform", "text", true),
                          Column("category", "text", true),
                          Column("package_size_mb", "numeric(12,2)", true),
                          Column("created_by", "bigint", true),
                          Column("created_at", kTimestamp, true)};
  applications.constraints = {
      PrimaryKey("applications_pkey", {"id"}),
      UniqueKey("applications_name_version_platform_key", {"name", "version", "platform"}),
      ForeignKey("applications_created_by_fkey", {"created_by"}, users, {"id"}),
      Check("applications_package_size_mb_check", "package_size_mb > 0"),
  };

  TableDef& assets = tables[static_cast<int>(TableId::kAssets)];
  assets.name = "assets";
  assets.columns = {IdentityColumn("id"),
                    Column("asset_tag", "text", true),
                    Column("hostname", "text", true),
                    Column("serial_number", "text", true),
                    Column("asset_type", "text", true),
                    Column("manufacturer", "text", true),
                    Column("model", "text", true),
                    Column("os_name", "text", true),
                    Column("os_version", "text", true),
                    Column("ip_address", "inet", true),
                    Column("mac_address", "macaddr", true),
                    Column("location", "text", true),
                    Column("owner_id", "bigint", false),
                    Column("status", "text", true),
                    Column("last_seen_at", kTimestamp, true),
                    Column("created_at", kTimestamp, true)};
  assets.constraints = {
      PrimaryKey("assets_pkey", {"id"}),
      UniqueKey("assets_asset_tag_key", {"asset_tag"}),
      UniqueKey("assets_serial_number_key", {"serial_number"}),
      ForeignKey("assets_owner_id_fkey", {"owner_id"}, users, {"id"}),
  };

  TableDef& deployments = tables[static_cast<int>(TableId::kDeployments)];
  deployments.name = "deployments";
  deployments.columns = {IdentityColumn("id"),
                         Column("application_id", "bigint", true),
                         Column("asset_id", "bigint", true),
                         Column("initiated_by", "bigint", true),
                         Column("ring", "text", true),
                         Column("status", "text", true),
                         Column("started_at", kTimestamp, true),
                         Column("finished_at", kTimestamp, false),
                         Column("error_code", "text", false)};
  deployments.constraints = {
      PrimaryKey("deployments_pkey", {"id"}),
      ForeignKey("deployments_application_id_fkey", {"application_id"}, applications, {"id"}),
      ForeignKey("deployments_asset_id_fkey", {"asset_id"}, assets, {"id"}),
      ForeignKey("deployments_initiated_by_fkey", {"initiated_by"}, users, {"id"}),
      Check("deployments_finished_at_check", "finished_at IS NULL OR finished_at >= started_at"),
  };
  deployments.indexes = {
      Index(deployments, "deployments_asset_id_idx", {"asset_id"}),
      Index(deployments, "deployments_application_id_idx", {"application_id"}),
  };

  TableDef& events = tables[static_cast<int>(TableId::kEvents)];
  events.name = "events";
  events.columns = {IdentityColumn("id"),
                    Column("asset_id", "bigint", true),
                    Column("user_id", "bigint", false),
                    Column("deployment_id", "bigint", false),
                    Column("event_type", "text", true),
                    Column("severity", "text", true),
                    Column("occurred_at", kTimestamp, true),
                    Column("payload", "jsonb", true)};
  events.constraints = {
      PrimaryKey("events_pkey", {"id"}),
      ForeignKey("events_asset_id_fkey", {"asset_id"}, assets, {"id"}),
      ForeignKey("events_user_id_fkey", {"user_id"}, users, {"id"}),
      ForeignKey("events_deployment_id_fkey", {"deployment_id"}, deployments, {"id"}),
  };
  events.indexes = {
      Index(events, "events_asset_id_idx", {"asset_id"}),
      Index(events, "events_occurred_at_idx", {"occurred_at"}),
  };
  return tables;
}

}  // namespace

const std::vector<TableSchema>& FleetSchemas() {
  // A declaration MakeTableSchemas refuses is a programmer error (generators_test checks it).
  static const std::vector<TableSchema> schemas = MakeTableSchemas(DeclareTables()).value();
  return schemas;
}

bool LookupTable(std::string_view name, TableId* id) {
  for (int t = 0; t < kTableCount; ++t) {
    if (name == kTableNames[t]) {
      *id = static_cast<TableId>(t);
      return true;
    }
  }
  return false;
}

}  // namespace seedforge
