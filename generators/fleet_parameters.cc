// Validation of the fleet parameters, of the fleet's counts and of a whole FleetConfig.
//
// Every message names the offending field by its JSON path in the profile and shows the value
// that was given, so that the CLI can print one line the user can act on. Comparisons are
// written as !(in range) so that NaN is rejected too. Generation relies on these checks: after
// Validate() the generators never see a rate outside [0, 1], an empty weighted choice, a
// required parent with no rows, or a time window too short for the seasonal model.
#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "generators/fleet.h"
#include "generators/fleet_parameters.h"

namespace seedforge {
namespace {

// Shortest text that reads back as `value` ("0.5", "1e+20", "nan").
std::string NumberText(double value) {
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

Status CheckRate(std::string_view path, double value) {
  if (value >= 0 && value <= 1) return Status::Ok();
  return InvalidArgument(std::string(path) + " must be between 0 and 1 (got " + NumberText(value) +
                         ")");
}

// Weights are relative; the upper bound keeps their sum finite and meaningful.
constexpr double kMaxWeight = 1e9;

Status CheckWeight(std::string_view path, double value) {
  if (!(value >= 0)) {
    return InvalidArgument(std::string(path) + " must be >= 0 (got " + NumberText(value) + ")");
  }
  if (!(value <= kMaxWeight)) {
    return InvalidArgument(std::string(path) + " must be at most 1000000000 (got " +
                           NumberText(value) + ")");
  }
  return Status::Ok();
}

Status CheckEmailDomain(const std::string& domain) {
  constexpr std::string_view kPath = "parameters.users.email_domain";
  if (domain.empty()) return InvalidArgument(std::string(kPath) + " must not be empty");
  if (domain.size() > 200) {
    return InvalidArgument(std::string(kPath) + " must be at most 200 characters (got " +
                           std::to_string(domain.size()) + ")");
  }
  for (char c : domain) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!allowed) {
      return InvalidArgument(std::string(kPath) +
                             " may contain only a-z, 0-9, '.' and '-' (got \"" + domain + "\")");
    }
  }
  return Status::Ok();
}

// Rates that are drawn from one uniform number must not add up to more than 1. The tolerance
// accepts sums such as 0.1 + 0.2 + 0.3 + 0.4 that are 1 on paper.
bool SumAtMostOne(double sum) { return sum <= 1 + 1e-9; }

}  // namespace

Status FleetParameters::Validate() const {
  SF_RETURN_IF_ERROR(CheckRate("parameters.users.inactive_rate", users.inactive_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.users.created_by_rate", users.created_by_rate));
  SF_RETURN_IF_ERROR(CheckEmailDomain(users.email_domain));

  SF_RETURN_IF_ERROR(CheckWeight("parameters.assets.laptop_weight", assets.laptop_weight));
  SF_RETURN_IF_ERROR(CheckWeight("parameters.assets.desktop_weight", assets.desktop_weight));
  SF_RETURN_IF_ERROR(CheckWeight("parameters.assets.server_weight", assets.server_weight));
  SF_RETURN_IF_ERROR(CheckWeight("parameters.assets.vm_weight", assets.vm_weight));
  SF_RETURN_IF_ERROR(CheckWeight("parameters.assets.mobile_weight", assets.mobile_weight));
  if (!(assets.laptop_weight + assets.desktop_weight + assets.server_weight + assets.vm_weight +
            assets.mobile_weight >
        0)) {
    return InvalidArgument(
        "parameters.assets: at least one of laptop_weight, desktop_weight, server_weight, "
        "vm_weight, mobile_weight must be positive");
  }
  SF_RETURN_IF_ERROR(CheckRate("parameters.assets.unowned_rate", assets.unowned_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.assets.retired_rate", assets.retired_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.assets.in_repair_rate", assets.in_repair_rate));
  if (!SumAtMostOne(assets.retired_rate + assets.in_repair_rate)) {
    return InvalidArgument(
        "parameters.assets: retired_rate + in_repair_rate must be at most 1 (got " +
        NumberText(assets.retired_rate + assets.in_repair_rate) + ")");
  }

  SF_RETURN_IF_ERROR(CheckRate("parameters.deployments.failed_rate", deployments.failed_rate));
  SF_RETURN_IF_ERROR(
      CheckRate("parameters.deployments.rolled_back_rate", deployments.rolled_back_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.deployments.pending_rate", deployments.pending_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.deployments.running_rate", deployments.running_rate));
  const double deployment_sum = deployments.failed_rate + deployments.rolled_back_rate +
                                deployments.pending_rate + deployments.running_rate;
  if (!SumAtMostOne(deployment_sum)) {
    return InvalidArgument(
        "parameters.deployments: failed_rate + rolled_back_rate + pending_rate + running_rate "
        "must be at most 1 (got " +
        NumberText(deployment_sum) + ")");
  }

  if (events.asset_skew < 1 || events.asset_skew > 8) {
    return InvalidArgument("parameters.events.asset_skew must be between 1 and 8 (got " +
                           std::to_string(events.asset_skew) + ")");
  }
  SF_RETURN_IF_ERROR(
      CheckRate("parameters.events.deployment_event_rate", events.deployment_event_rate));
  SF_RETURN_IF_ERROR(CheckRate("parameters.events.user_event_rate", events.user_event_rate));
  SF_RETURN_IF_ERROR(
      CheckWeight("parameters.events.working_hours_weight", events.working_hours_weight));
  SF_RETURN_IF_ERROR(CheckWeight("parameters.events.evening_weight", events.evening_weight));
  return Status::Ok();
}

Status CheckFleetCounts(std::span<const int64_t> counts, int64_t window_start_micros,
                        int64_t window_end_micros) {
  assert(counts.size() == static_cast<size_t>(kTableCount));
  for (int t = 0; t < kTableCount; ++t) {
    if (counts[t] < 0) {
      return InvalidArgument(std::string("rows.") + kTableNames[t] + " must be >= 0 (got " +
                             std::to_string(counts[t]) + ")");
    }
  }
  // Users get distinct microsecond created_at values in the first part of the window.
  const int64_t max_users = (window_end_micros - window_start_micros) / 8;
  if (counts[0] > max_users) {
    return InvalidArgument("rows.users must be at most " + std::to_string(max_users) +
                           " for this time_window (got " + std::to_string(counts[0]) + ")");
  }
  // Serial numbers are unique through a 32-bit bijection of the asset id.
  constexpr int64_t kMaxAssets = 4294967295;
  if (counts[2] > kMaxAssets) {
    return InvalidArgument("rows.assets must be at most 4294967295 (got " +
                           std::to_string(counts[2]) + ")");
  }
  // A required foreign key needs a parent row to point to.
  struct Requirement {
    TableId child;
    TableId parent;
  };
  static constexpr Requirement kRequirements[] = {
      {TableId::kApplications, TableId::kUsers}, {TableId::kDeployments, TableId::kApplications},
      {TableId::kDeployments, TableId::kAssets}, {TableId::kDeployments, TableId::kUsers},
      {TableId::kEvents, TableId::kAssets},
  };
  for (const Requirement& requirement : kRequirements) {
    const int child = static_cast<int>(requirement.child);
    const int parent = static_cast<int>(requirement.parent);
    if (counts[child] > 0 && counts[parent] == 0) {
      return InvalidArgument(std::string("rows.") + kTableNames[child] + " needs rows." +
                             kTableNames[parent] + " > 0");
    }
  }
  return Status::Ok();
}

Status FleetConfig::Validate() const {
  // Subtraction could overflow for absurd timestamps; compare without it.
  if (window_end_micros <= window_start_micros ||
      window_end_micros - window_start_micros <= kMicrosPerWeek) {
    return InvalidArgument(
        "time_window must span more than 7 days (end must be later than start + 7 days)");
  }
  if (row_counts.size() != static_cast<size_t>(kTableCount) ||
      history.size() != static_cast<size_t>(kTableCount)) {
    return InvalidArgument("the fleet has " + std::to_string(kTableCount) + " tables (got " +
                           std::to_string(row_counts.size()) + " counts)");
  }
  SF_RETURN_IF_ERROR(CheckFleetCounts(row_counts, window_start_micros, window_end_micros));
  return parameters.Validate();
}

}  // namespace seedforge
