// The deployments table: an application rolled out to an asset, with its outcome over time.
//
// Everything but the ring is one "core" computed from its own RNG stream, because events that
// report on a deployment need the same asset, application, status and times. A deployment
// starts strictly after its asset, its application and the user who initiated it were created
// (recomputed through FleetModel from their own streams, never by replaying their rows).
// Deployments still pending or running started within the last two days of the window;
// finished ones end at least two minutes before the window ends, so the events reporting "just
// after finishing" still fall inside it.
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "generators/catalog_software.h"
#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

// Typical run time of a deployment by its outcome: [shortest, longest].
struct DurationRange {
  int64_t shortest;
  int64_t longest;
};
constexpr DurationRange kSucceededDuration = {30 * kMicrosPerSecond, 45 * kMicrosPerMinute};
constexpr DurationRange kFailedDuration = {5 * kMicrosPerSecond, 20 * kMicrosPerMinute};
constexpr DurationRange kRolledBackDuration = {3 * kMicrosPerMinute, 2 * kMicrosPerHour};
constexpr int64_t kRoomAfterFinish = 2 * kMicrosPerMinute;

class DeploymentsGenerator final : public TableGenerator {
 public:
  explicit DeploymentsGenerator(std::shared_ptr<const FleetModel> model)
      : model_(std::move(model)), ring_(RingWeights()) {}

  const TableSchema& schema() const override { return FleetSchemas()[3]; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    for (int64_t index = begin; index < end; ++index) {
      const DeploymentCore core = model_->DeploymentCoreOf(index);
      CounterEngine engine = model_->Engine(TableId::kDeployments, index, kRowStream);
      const int ring = ring_(engine);
      out.BeginRow();
      out.Int64(index + 1);
      out.Int64(core.application_id);
      out.Int64(core.asset_id);
      out.Int64(core.initiated_by);
      out.Text(catalog::kRings[ring].name);
      out.Text(kDeploymentStatusNames[static_cast<int>(core.status)]);
      out.Timestamp(core.started_at);
      if (core.finished()) {
        out.Timestamp(core.finished_at);
      } else {
        out.Null();
      }
      if (core.error_code >= 0) {
        out.Text(catalog::kDeploymentErrorCodes[core.error_code]);
      } else {
        out.Null();
      }
      out.EndRow();
    }
  }

 private:
  static WeightedChoice RingWeights() {
    std::vector<double> weights;
    for (const catalog::Ring& ring : catalog::kRings) weights.push_back(ring.weight);
    return WeightedChoice(weights.begin(), weights.end());
  }

  std::shared_ptr<const FleetModel> model_;
  const WeightedChoice ring_;
};

}  // namespace

DeploymentCore FleetModel::DeploymentCoreOf(int64_t index) const {
  CounterEngine engine = Engine(TableId::kDeployments, index, kDeploymentCoreStream);
  DeploymentCore core;
  const auto& counts = config_.CountsFor(TableId::kDeployments, index);
  core.application_id = UniformInt(engine, 1, counts[static_cast<int>(TableId::kApplications)]);
  core.asset_id = UniformInt(engine, 1, counts[static_cast<int>(TableId::kAssets)]);
  core.initiated_by = UniformInt(engine, 1, counts[static_cast<int>(TableId::kUsers)]);
  const double u = Uniform01(engine);
  if (u < deployment_status_below_[0]) {
    core.status = DeploymentStatus::kFailed;
  } else if (u < deployment_status_below_[1]) {
    core.status = DeploymentStatus::kRolledBack;
  } else if (u < deployment_status_below_[2]) {
    core.status = DeploymentStatus::kPending;
  } else if (u < deployment_status_below_[3]) {
    core.status = DeploymentStatus::kRunning;
  } else {
    core.status = DeploymentStatus::kSucceeded;
  }

  int64_t earliest = ApplicationOriginOf(core.application_id - 1).created_at;
  core.asset = AssetCoreOf(core.asset_id - 1);
  const int64_t asset_created_at = core.asset.created_at;
  const int64_t initiator_created_at = UserCreatedAt(core.initiated_by - 1);
  if (asset_created_at > earliest) earliest = asset_created_at;
  if (initiator_created_at > earliest) earliest = initiator_created_at;
  earliest += 1;  // strictly after every creation
  const int64_t last = window_end() - 1;

  core.finished_at = 0;
  core.error_code = -1;
  if (!core.finished()) {
    // Still open at the end of the window: started recently, and at least 2 microseconds before
    // the end so that an event can follow it.
    int64_t from = window_end() - kOpenDeploymentsWithin;
    if (from < earliest) from = earliest;
    int64_t to = last - 1;
    if (from > to) from = to;
    core.started_at = UniformInt(engine, from, to);
    return core;
  }
  DurationRange range = kSucceededDuration;
  if (core.status == DeploymentStatus::kFailed) range = kFailedDuration;
  if (core.status == DeploymentStatus::kRolledBack) range = kRolledBackDuration;
  const int64_t duration = UniformInt(engine, range.shortest, range.longest);
  int64_t latest_start = last - duration - kRoomAfterFinish;
  if (latest_start < earliest) latest_start = earliest;
  core.started_at = UniformInt(engine, earliest, latest_start);
  core.finished_at = core.started_at + duration;
  if (core.finished_at > last) core.finished_at = last;
  if (core.status == DeploymentStatus::kFailed) {
    core.error_code = UniformIndex(engine, catalog::kDeploymentErrorCodeCount);
  }
  return core;
}

std::unique_ptr<TableGenerator> MakeDeploymentsGenerator(std::shared_ptr<const FleetModel> model) {
  return std::make_unique<DeploymentsGenerator>(std::move(model));
}

}  // namespace seedforge::fleet
