// The fleet model: five hand-written generators (users, applications, assets, deployments,
// events) over a FleetConfig, and the same as a GenerationModel for the engine.
//
// Only the fleet's generators and their tests use TableId, kTableCount and FleetConfig; the
// engine sees the fleet through MakeFleetGenerationModel().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/table_schema.h"
#include "generators/fleet_parameters.h"
#include "generators/generation_model.h"
#include "generators/table_generator.h"

namespace seedforge {

// The plan of a fleet run (seed, window, counts and history in TableId order) and the fleet's
// parameters. A default FleetConfig has kTableCount zero counts and no history.
struct FleetConfig : GenerationPlan {
  FleetParameters parameters;

  FleetConfig() {
    row_counts.assign(kTableCount, 0);
    history.resize(kTableCount);
  }
  FleetConfig(const GenerationPlan& plan, const FleetParameters& fleet_parameters)
      : GenerationPlan(plan), parameters(fleet_parameters) {}

  // GenerationPlan's methods by TableId (CountsFor with the fleet's fixed extent).
  std::span<const int64_t, kTableCount> CountsFor(TableId table, int64_t row) const {
    return std::span<const int64_t, kTableCount>(
        GenerationPlan::CountsFor(static_cast<size_t>(table), row).data(), kTableCount);
  }
  const GenerationSegment* SegmentFor(TableId table, int64_t row) const {
    return GenerationPlan::SegmentFor(static_cast<size_t>(table), row);
  }
  int64_t IdOf(TableId table, int64_t row) const {
    return GenerationPlan::IdOf(static_cast<size_t>(table), row);
  }
  bool MovesIds(TableId table) const {
    return GenerationPlan::MovesIds(static_cast<size_t>(table));
  }

  // The time window, CheckFleetCounts and FleetParameters::Validate; returns InvalidArgument
  // naming the bad field.
  Status Validate() const;
};

// The count checks of the fleet: every count >= 0, users within what the window can hold,
// assets within the serial numbers' range, a required parent with rows for every child that has
// some. Messages name "rows.TABLE". REQUIRES: counts.size() == kTableCount.
Status CheckFleetCounts(std::span<const int64_t> counts, int64_t window_start_micros,
                        int64_t window_end_micros);

// The five generators of the fleet model, in foreign-key order (users first, events last).
// Tables whose history moves ids or reserves unique values are wrapped (MakeMappedGenerator).
// REQUIRES: config.Validate().ok(). The generators keep a copy of the config.
std::vector<std::unique_ptr<TableGenerator>> MakeFleetGenerators(const FleetConfig& config);

// The schemas of the fleet model in load order, without needing a config.
const std::vector<TableSchema>& FleetSchemas();

// Returns the TableId for a table name, or false if there is no such table.
bool LookupTable(std::string_view name, TableId* id);

// The fleet as a GenerationModel: schemas() = FleetSchemas(); CheckCounts = CheckFleetCounts
// over the window; MakeGenerators = MakeFleetGenerators of the plan with `parameters`;
// CanonicalText = the parameters as ProfileFingerprint has always hashed them.
// REQUIRES: parameters.Validate().ok().
std::shared_ptr<const GenerationModel> MakeFleetGenerationModel(const FleetParameters& parameters,
                                                                int64_t window_start_micros,
                                                                int64_t window_end_micros);

}  // namespace seedforge
