// The knobs of the fleet data model that a profile may set under "parameters".
//
// Plain struct with defaults in place. Validate() names the bad field by its JSON path below the
// profile root (e.g. "parameters.deployments.failed_rate"), so the profile loader can point the
// user at the exact key.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace seedforge {

// The tables of the fleet model, in foreign-key (load) order.
enum class TableId : int { kUsers = 0, kApplications, kAssets, kDeployments, kEvents };
inline constexpr int kTableCount = 5;
inline constexpr std::array<const char*, kTableCount> kTableNames = {
    "users", "applications", "assets", "deployments", "events"};

struct UserParameters {
  double inactive_rate = 0.08;               // share of users with is_active = false
  double created_by_rate = 0.85;             // share of users (after the first) with a created_by
  std::string email_domain = "example.com";  // domain of generated e-mail addresses
};

struct AssetParameters {
  // Relative weights of asset_type; need not sum to 1, at least one must be positive.
  double laptop_weight = 45;
  double desktop_weight = 20;
  double server_weight = 8;
  double vm_weight = 15;
  double mobile_weight = 12;
  double unowned_rate = 0.05;    // share of end-user devices (not servers/VMs) with no owner
  double retired_rate = 0.04;    // share of assets with status 'retired'
  double in_repair_rate = 0.02;  // share of assets with status 'in_repair'
};

struct DeploymentParameters {
  double failed_rate = 0.06;       // share of deployments that end 'failed'
  double rolled_back_rate = 0.02;  // share that end 'rolled_back'
  double pending_rate = 0.02;      // share still 'pending' at the end of the window
  double running_rate = 0.02;      // share still 'running' at the end of the window
  // The rest is 'succeeded'. The four rates must sum to at most 1.
};

struct EventParameters {
  // How skewed events are over assets: an asset rank is drawn as n * u^asset_skew, so 1 is
  // uniform and 3 gives the busiest 10% of assets about 46% of the asset events.
  int asset_skew = 3;
  double deployment_event_rate = 0.15;  // share of events that report on a deployment
  double user_event_rate = 0.6;         // share of events on an owned asset that name the owner
  // Relative event rate per hour of the week: weekday working hours (09-18 UTC), weekday
  // evenings (18-23 UTC) and everything else (nights and weekends) = 1.
  double working_hours_weight = 8;
  double evening_weight = 2.5;
};

struct FleetParameters {
  UserParameters users;
  AssetParameters assets;
  DeploymentParameters deployments;
  EventParameters events;

  // Returns OK or an InvalidArgument naming the field by JSON path, e.g.
  // "parameters.events.asset_skew must be between 1 and 8 (got 0)".
  Status Validate() const;
};

}  // namespace seedforge
