// MakeFleetGenerationModel: the fleet's five generators behind the GenerationModel interface.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "generators/fleet.h"

namespace seedforge {
namespace {

class FleetGenerationModel final : public GenerationModel {
 public:
  FleetGenerationModel(const FleetParameters& parameters, int64_t window_start_micros,
                       int64_t window_end_micros)
      : parameters_(parameters),
        window_start_micros_(window_start_micros),
        window_end_micros_(window_end_micros) {}

  const std::vector<TableSchema>& schemas() const override { return FleetSchemas(); }

  Status CheckCounts(std::span<const int64_t> final_counts) const override {
    return CheckFleetCounts(final_counts, window_start_micros_, window_end_micros_);
  }

  std::vector<std::unique_ptr<TableGenerator>> MakeGenerators(
      std::shared_ptr<const GenerationPlan> plan) const override {
    return MakeFleetGenerators(FleetConfig(*plan, parameters_));
  }

  // This text is part of every recorded profile fingerprint (engine/profile_fingerprint.cc):
  // changing it makes every fleet database filled before a different data set.
  std::string CanonicalText() const override {
    const FleetParameters& p = parameters_;
    return fmt::format(
        "users {} {} {}:{}\n"
        "assets {} {} {} {} {} {} {} {}\n"
        "deployments {} {} {} {}\n"
        "events {} {} {} {} {}\n",
        p.users.inactive_rate, p.users.created_by_rate, p.users.email_domain.size(),
        p.users.email_domain, p.assets.laptop_weight, p.assets.desktop_weight,
        p.assets.server_weight, p.assets.vm_weight, p.assets.mobile_weight, p.assets.unowned_rate,
        p.assets.retired_rate, p.assets.in_repair_rate, p.deployments.failed_rate,
        p.deployments.rolled_back_rate, p.deployments.pending_rate, p.deployments.running_rate,
        p.events.asset_skew, p.events.deployment_event_rate, p.events.user_event_rate,
        p.events.working_hours_weight, p.events.evening_weight);
  }

 private:
  FleetParameters parameters_;
  int64_t window_start_micros_;
  int64_t window_end_micros_;
};

}  // namespace

std::shared_ptr<const GenerationModel> MakeFleetGenerationModel(const FleetParameters& parameters,
                                                                int64_t window_start_micros,
                                                                int64_t window_end_micros) {
  return std::make_shared<const FleetGenerationModel>(parameters, window_start_micros,
                                                      window_end_micros);
}

}  // namespace seedforge
