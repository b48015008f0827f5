// The shared model of the fleet generators: the weighted choices that several tables draw from.
//
// Boost's discrete_distribution allocates its alias table, so every weighted choice is built here
// once, when the generators are made, and only read afterwards (its operator() is const). The
// per-type and per-profile choices are built by filtering the flat catalog tables, so adding a
// hardware model or an operating system is a one-line catalog change.
#include <array>
#include <vector>

#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

WeightedChoice AssetTypeChoice(const AssetParameters& assets) {
  // Same order as catalog::AssetType.
  const std::vector<double> weights = {assets.laptop_weight, assets.desktop_weight,
                                       assets.server_weight, assets.vm_weight,
                                       assets.mobile_weight};
  return WeightedChoice(weights.begin(), weights.end());
}

}  // namespace

FleetModel::FleetModel(const FleetConfig& config)
    : config_(config), asset_type_(AssetTypeChoice(config.parameters.assets)) {
  const AssetParameters& assets = config.parameters.assets;
  retired_below_ = assets.retired_rate;
  in_repair_below_ = assets.retired_rate + assets.in_repair_rate;

  const DeploymentParameters& deployments = config.parameters.deployments;
  deployment_status_below_[0] = deployments.failed_rate;
  deployment_status_below_[1] = deployment_status_below_[0] + deployments.rolled_back_rate;
  deployment_status_below_[2] = deployment_status_below_[1] + deployments.pending_rate;
  deployment_status_below_[3] = deployment_status_below_[2] + deployments.running_rate;

  // Within an OS profile, each system gets its share of the profile's total weight.
  std::array<double, catalog::kOsProfileCount> profile_weight{};
  for (const catalog::OsChoice& choice : catalog::kOsChoices) {
    profile_weight[static_cast<int>(choice.profile)] += choice.weight;
  }
  for (int type = 0; type < catalog::kAssetTypeCount; ++type) {
    std::vector<double> weights;
    for (int m = 0; m < catalog::kHardwareModelCount; ++m) {
      const catalog::HardwareModel& model = catalog::kHardwareModels[m];
      if (static_cast<int>(model.type) != type) continue;
      for (const catalog::OsChoice& choice : catalog::kOsChoices) {
        if (choice.profile != model.os_profile) continue;
        platforms_of_type_[type].push_back(AssetPlatform{m, choice.os});
        weights.push_back(model.weight *
                          (choice.weight / profile_weight[static_cast<int>(model.os_profile)]));
      }
    }
    platform_choice_.emplace_back(weights.begin(), weights.end());
  }

  // Children look up users' created_at for every row; up to a million users (8 MB) it is
  // computed once here. Beyond that, UserCreatedAt() computes it on demand: same values.
  constexpr int64_t kMaxCachedUsers = int64_t{1} << 20;
  const int64_t users = row_count(TableId::kUsers);
  user_created_at_.reserve(static_cast<size_t>(users < kMaxCachedUsers ? users : kMaxCachedUsers));
  for (int64_t index = 0; index < users && index < kMaxCachedUsers; ++index) {
    user_created_at_.push_back(ComputeUserCreatedAt(index));
  }
}

}  // namespace seedforge::fleet
