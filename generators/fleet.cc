// MakeFleetGenerators: the five generators of the fleet model over one shared FleetModel.
//
// The model holds the config and the weighted choices that several tables draw from, built once
// here; the generators share it read-only (shared_ptr to const), so a set of generators can be
// used from any number of threads at once.
#include <cassert>
#include <memory>
#include <vector>

#include "generators/fleet.h"
#include "generators/fleet_internal.h"

namespace seedforge {

std::vector<std::unique_ptr<TableGenerator>> MakeFleetGenerators(const FleetConfig& config) {
  assert(config.Validate().ok());
  auto model = std::make_shared<const fleet::FleetModel>(config);
  std::vector<std::unique_ptr<TableGenerator>> generators;
  generators.push_back(fleet::MakeUsersGenerator(model));
  generators.push_back(fleet::MakeApplicationsGenerator(model));
  generators.push_back(fleet::MakeAssetsGenerator(model));
  generators.push_back(fleet::MakeDeploymentsGenerator(model));
  generators.push_back(fleet::MakeEventsGenerator(model));
  auto plan = std::make_shared<const FleetConfig>(config);
  for (size_t t = 0; t < generators.size(); ++t) {
    generators[t] = MakeMappedGenerator(std::move(generators[t]), t, FleetSchemas(), plan);
  }
  return generators;
}

}  // namespace seedforge
