// The events table: what the fleet reports, skewed over assets and seasonal over the week.
//
// An event either reports on a deployment (then it is about that deployment's asset, its type
// follows the deployment's status and it happens after the deployment started) or on an asset
// picked with a Zipf-like skew: rank = floor(n * u^skew) with u uniform, computed by repeated
// multiplication (no pow: results must be bit-identical on every libm), then scattered over the
// ids by the bijection rank -> (rank * m + c) mod n with m coprime to n, so the busiest assets
// are not simply the first ids. Times are seasonal: a uniform week, an hour of the week from a
// 168-bin weighted choice (weekday working hours and evenings are busier), a uniform offset in
// the hour, shifted by a week when that falls outside [asset created_at, window end).
//
// The event type is weighted per operating system family and per kind of machine, and the
// payload vocabulary is indexed by the family, so payloads fit the machine. Payload numbers with
// decimals are written from integers ("cpu_pct": 93.5 from 935); no double is ever formatted.
#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <numeric>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "generators/catalog_events.h"
#include "generators/catalog_software.h"
#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

using catalog::EventKind;
using catalog::OsFamily;

__extension__ using Int128 = __int128;

constexpr int kHoursPerWeek = 168;
constexpr int64_t kMaxCountFor64BitScatter = 3'000'000'000;
constexpr int kMachineKinds = 2;  // 0: end-user device, 1: server or VM

// A uniform integer in [lo, hi], or lo when the range is empty.
int64_t Between(CounterEngine& engine, int64_t lo, int64_t hi) {
  return hi <= lo ? lo : UniformInt(engine, lo, hi);
}

std::vector<double> HourOfWeekWeights(const EventParameters& events) {
  std::vector<double> weights(kHoursPerWeek, 1.0);
  for (int hour = 0; hour < kHoursPerWeek; ++hour) {
    const int day = hour / 24;  // 0 = Monday
    const int hour_of_day = hour % 24;
    if (day >= 5) continue;
    if (hour_of_day >= 9 && hour_of_day < 18) weights[hour] = events.working_hours_weight;
    if (hour_of_day >= 18 && hour_of_day < 23) weights[hour] = events.evening_weight;
  }
  return weights;
}

// A multiplier near n / golden ratio that is coprime with n, so i -> i * m mod n is a bijection
// that sends neighbouring ranks far apart.
int64_t ScatterMultiplier(int64_t n) {
  if (n <= 1) return 1;
  int64_t m = static_cast<int64_t>(Int128{n} * 6180339887 / 10000000000);
  if (m < 1) m = 1;
  while (std::gcd(m, n) != 1) ++m;
  return m;
}

class EventsGenerator final : public TableGenerator {
 public:
  explicit EventsGenerator(std::shared_ptr<const FleetModel> model)
      : model_(std::move(model)),
        current_(MakeParents(model_->config().row_counts)),
        hour_of_week_(HourOfWeekWeights(model_->config().parameters.events)) {
    for (int family = 0; family < catalog::kOsFamilyCount; ++family) {
      for (int machine = 0; machine < kMachineKinds; ++machine) {
        const uint8_t machine_bit = machine == 0 ? catalog::kOnEndUserDevices : catalog::kOnServers;
        std::vector<double> weights;
        std::vector<int>& types = types_of_[family][machine];
        for (int t = 0; t < catalog::kEventTypeCount; ++t) {
          const catalog::EventType& type = catalog::kEventTypes[t];
          if (!((type.os_families >> family) & 1) || !(type.machines & machine_bit)) continue;
          types.push_back(t);
          weights.push_back(type.weight);
        }
        type_choice_[family][machine] = WeightedChoice(weights.begin(), weights.end());
      }
      for (int a = 0; a < catalog::kApplicationCount; ++a) {
        if ((catalog::kApplications[a].platforms >> family) & 1)
          apps_of_family_[family].push_back(a);
      }
    }
  }

  const TableSchema& schema() const override { return FleetSchemas()[4]; }

  // REQUIRES (besides the interface's): row_count(kAssets) > 0 when begin < end.
  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    const auto& history = model_->config().history[static_cast<int>(TableId::kEvents)];
    for (int64_t index = begin; index < end;) {
      // Rows of an earlier run (see FleetConfig::history) use that run's parent counts.
      auto after = std::upper_bound(
          history.begin(), history.end(), index,
          [](int64_t row, const GenerationSegment& segment) { return row < segment.first_row; });
      const int64_t stop = after == history.end() ? end : std::min(end, after->first_row);
      const Parents parents =
          after == history.begin()
              ? current_
              : MakeParents(model_->config().CountsFor(TableId::kEvents, index));
      assert(parents.asset_count > 0);
      if (parents.asset_count <= 0) return;
      for (; index < stop; ++index) WriteRow(index, parents, out);
    }
  }

 private:
  struct Event {
    int64_t asset_id = 0;
    int64_t user_id = 0;        // 0: NULL
    int64_t deployment_id = 0;  // 0: NULL
    std::string_view type;
    std::string_view severity;
    int64_t occurred_at = 0;
  };

  // The parent counts a range of events draws from, and the asset scatter derived from them.
  struct Parents {
    int64_t asset_count = 0;
    int64_t deployment_count = 0;
    int64_t scatter_multiplier = 0;
    int64_t scatter_offset = 0;
  };

  Parents MakeParents(std::span<const int64_t> counts) const {
    Parents parents;
    parents.asset_count = counts[static_cast<int>(TableId::kAssets)];
    parents.deployment_count = counts[static_cast<int>(TableId::kDeployments)];
    parents.scatter_multiplier = ScatterMultiplier(parents.asset_count);
    parents.scatter_offset = parents.asset_count > 0
                                 ? static_cast<int64_t>(Mix64(model_->config().seed ^ 0xe7e27ULL) %
                                                        static_cast<uint64_t>(parents.asset_count))
                                 : 0;
    return parents;
  }

  void WriteRow(int64_t index, const Parents& parents, RowWriter& out) const {
    const EventParameters& params = model_->config().parameters.events;
    CounterEngine engine = model_->Engine(TableId::kEvents, index, kRowStream);
    Event event;
    JsonObject payload;
    if (parents.deployment_count > 0 && Chance(engine, params.deployment_event_rate)) {
      DeploymentEvent(engine, parents, event, payload);
    } else {
      AssetEvent(engine, parents, event, payload);
    }
    out.BeginRow();
    out.Int64(index + 1);
    out.Int64(event.asset_id);
    if (event.user_id == 0) {
      out.Null();
    } else {
      out.Int64(event.user_id);
    }
    if (event.deployment_id == 0) {
      out.Null();
    } else {
      out.Int64(event.deployment_id);
    }
    out.Text(event.type);
    out.Text(event.severity);
    out.Timestamp(event.occurred_at);
    out.Json(payload.Finish());
    out.EndRow();
  }

  // The owner of the asset with probability user_event_rate, else nobody (0).
  int64_t EventUser(CounterEngine& engine, const AssetCore& asset) const {
    const bool names_user = Chance(engine, model_->config().parameters.events.user_event_rate);
    return names_user ? asset.owner_id : 0;
  }

  void DeploymentEvent(CounterEngine& engine, const Parents& parents, Event& event,
                       JsonObject& payload) const {
    const int64_t deployment_index = UniformInt(engine, 0, parents.deployment_count - 1);
    const DeploymentCore deployment = model_->DeploymentCoreOf(deployment_index);
    event.asset_id = deployment.asset_id;
    event.deployment_id = deployment_index + 1;
    event.user_id = EventUser(engine, deployment.asset);

    const int64_t last = model_->window_end() - 1;
    const int64_t started = deployment.started_at;
    const int64_t soon_after_start = started + kMicrosPerMinute;
    catalog::DeploymentEventType type = catalog::kDeploymentStarted;
    int64_t progress_pct = -1;
    bool reports_outcome = false;
    switch (deployment.status) {
      case DeploymentStatus::kPending:
        type = catalog::kDeploymentQueued;
        event.occurred_at = Between(engine, started + 1, last);
        break;
      case DeploymentStatus::kRunning:
        if (Chance(engine, 0.5)) {
          event.occurred_at =
              Between(engine, started + 1, soon_after_start < last ? soon_after_start : last);
        } else {
          type = catalog::kDeploymentProgress;
          progress_pct = UniformInt(engine, 1, 99);
          event.occurred_at = Between(engine, started + 1, last);
        }
        break;
      case DeploymentStatus::kSucceeded:
      case DeploymentStatus::kFailed:
      case DeploymentStatus::kRolledBack: {
        const int64_t finished = deployment.finished_at;
        if (Chance(engine, 0.5)) {
          event.occurred_at = Between(engine, started + 1,
                                      soon_after_start < finished ? soon_after_start : finished);
        } else {
          reports_outcome = true;
          type = deployment.status == DeploymentStatus::kSucceeded ? catalog::kDeploymentSucceeded
                 : deployment.status == DeploymentStatus::kFailed  ? catalog::kDeploymentFailed
                                                                   : catalog::kDeploymentRolledBack;
          const int64_t shortly_after = finished + 30 * kMicrosPerSecond;
          event.occurred_at =
              Between(engine, finished, shortly_after < last ? shortly_after : last);
        }
        break;
      }
    }
    if (event.occurred_at > last) event.occurred_at = last;
    event.type = type.name;
    event.severity = type.severity;

    payload.Int("deployment_id", event.deployment_id);
    payload.Int("application_id", deployment.application_id);
    // An event reports what was known when it happened: a start or progress event cannot know
    // the outcome, so only outcome events carry the final status and the error code.
    const DeploymentStatus known = reports_outcome ? deployment.status
                                   : deployment.status == DeploymentStatus::kPending
                                       ? DeploymentStatus::kPending
                                       : DeploymentStatus::kRunning;
    payload.String("status", kDeploymentStatusNames[static_cast<int>(known)]);
    if (reports_outcome && deployment.error_code >= 0) {
      payload.String("error_code", catalog::kDeploymentErrorCodes[deployment.error_code]);
    }
    if (progress_pct >= 0) payload.Int("progress_pct", progress_pct);
    if (reports_outcome) {
      payload.Int("duration_s", (deployment.finished_at - started) / kMicrosPerSecond);
    }
  }

  void AssetEvent(CounterEngine& engine, const Parents& parents, Event& event,
                  JsonObject& payload) const {
    const int64_t asset_index = SkewedAssetIndex(engine, parents);
    const AssetCore asset = model_->AssetCoreOf(asset_index);
    const AssetPlatform platform = model_->AssetPlatformOf(asset_index, asset.type);
    const catalog::OperatingSystem& os = catalog::kOperatingSystems[platform.os];
    const int family = static_cast<int>(os.family);
    const int machine = catalog::IsEndUserDevice(asset.type) ? 0 : 1;
    event.asset_id = asset_index + 1;
    event.occurred_at = SeasonalTime(engine, asset.created_at + 1);
    event.user_id = EventUser(engine, asset);
    const catalog::EventType& type =
        catalog::kEventTypes[types_of_[family][machine][type_choice_[family][machine](engine)]];
    event.type = type.name;
    event.severity = type.severity;
    WritePayload(engine, type.kind, os, payload);
  }

  int64_t SkewedAssetIndex(CounterEngine& engine, const Parents& parents) const {
    const int64_t asset_count = parents.asset_count;
    const double u = Uniform01(engine);
    double p = u;
    for (int k = 1; k < model_->config().parameters.events.asset_skew; ++k) p *= u;
    int64_t rank = static_cast<int64_t>(p * static_cast<double>(asset_count));
    if (rank >= asset_count) rank = asset_count - 1;
    if (asset_count <= kMaxCountFor64BitScatter) {  // rank * m + c < n^2 + n fits in 64 bits
      return (rank * parents.scatter_multiplier + parents.scatter_offset) % asset_count;
    }
    return static_cast<int64_t>(
        (Int128{rank} * parents.scatter_multiplier + parents.scatter_offset) % asset_count);
  }

  // A time in [lo, window end) following the weekly pattern. REQUIRES: lo < window end.
  int64_t SeasonalTime(CounterEngine& engine, int64_t lo) const {
    const int64_t end = model_->window_end();
    const int64_t monday =
        (FloorDiv(lo, kMicrosPerDay) - DayOfWeek(lo)) * kMicrosPerDay;  // 00:00 UTC on/before lo
    const int64_t weeks = (end - 1 - monday) / kMicrosPerWeek + 1;
    // One draw gives both the week and the offset inside the hour.
    const int64_t week_and_offset = UniformInt(engine, 0, weeks * kMicrosPerHour - 1);
    const int64_t week = week_and_offset / kMicrosPerHour;
    const int64_t offset = week_and_offset % kMicrosPerHour;
    const int64_t hour = hour_of_week_(engine);
    int64_t t = monday + week * kMicrosPerWeek + hour * kMicrosPerHour + offset;
    if (t < lo) t += kMicrosPerWeek;
    if (t >= end) t -= kMicrosPerWeek;
    if (t < lo || t >= end) {  // [lo, end) is shorter than a week: fold into it
      const int64_t span = end - lo;
      t = lo + ((t - lo) % span + span) % span;
    }
    return t;
  }

  void WritePayload(CounterEngine& engine, EventKind kind, const catalog::OperatingSystem& os,
                    JsonObject& payload) const {
    const int family = static_cast<int>(os.family);
    switch (kind) {
      case EventKind::kHeartbeat:
        payload.String("agent_version", Pick(engine, catalog::kAgentVersions));
        payload.Int("uptime_s", UniformInt(engine, 60, 60 * 86400));
        payload.Decimal("cpu_pct", UniformInt(engine, 5, 650), 1);
        payload.Decimal("mem_pct", UniformInt(engine, 150, 850), 1);
        return;
      case EventKind::kLogin:
        payload.String("method", Pick(engine, catalog::kLoginMethods[family]));
        payload.Bool("mfa", Chance(engine, 0.7));
        return;
      case EventKind::kLogout:
        payload.String("reason", Pick(engine, catalog::kLogoutReasons));
        payload.Int("session_s", UniformInt(engine, 30, 12 * 3600));
        return;
      case EventKind::kLoginFailed:
        payload.String("method", Pick(engine, catalog::kLoginMethods[family]));
        payload.String("reason", Pick(engine, catalog::kLoginFailureReasons));
        payload.Int("attempts", UniformInt(engine, 1, 6));
        return;
      case EventKind::kCpuHigh:
        payload.Decimal("cpu_pct", UniformInt(engine, 850, 1000), 1);
        payload.String("process", Pick(engine, catalog::kProcesses[family]));
        payload.Int("duration_s", UniformInt(engine, 60, 1800));
        return;
      case EventKind::kMemoryHigh:
        payload.Decimal("mem_pct", UniformInt(engine, 880, 995), 1);
        payload.String("process", Pick(engine, catalog::kProcesses[family]));
        payload.Int("rss_mb", UniformInt(engine, 512, 16384));
        return;
      case EventKind::kDiskLow: {
        const int64_t total_gb = Pick(engine, catalog::kDiskSizesGb);
        payload.String("volume", Pick(engine, catalog::kVolumes[family]));
        // Under 5% free, in tenths of a GB.
        payload.Decimal("free_gb", UniformInt(engine, 1, total_gb * 10 / 20), 1);
        payload.Int("total_gb", total_gb);
        return;
      }
      case EventKind::kSoftwareInstalled: {
        const auto& apps = apps_of_family_[family];
        const catalog::Application& app =
            catalog::kApplications[apps[UniformIndex(engine, apps.size())]];
        StackString<48> version;
        version.AppendInt(app.first_major + UniformInt(engine, 0, 3));
        version.Push('.');
        version.AppendInt(UniformInt(engine, 0, app.minors_per_major - 1));
        version.Push('.');
        version.AppendInt(UniformInt(engine, 0, 12));
        payload.String("application", app.name);
        payload.String("version", version.view());
        const bool red_hat = os.name == "Red Hat Enterprise Linux";
        payload.String("installer",
                       red_hat ? std::string_view("dnf") : catalog::kInstallers[family]);
        return;
      }
      case EventKind::kPatchApplied: {
        StackString<40> patch;
        patch.Append(os.patch_prefix);
        int64_t limit = 1;
        for (int i = 0; i < os.patch_digits; ++i) limit *= 10;
        patch.AppendPadded(static_cast<uint64_t>(UniformInt(engine, 1, limit - 1)),
                           os.patch_digits);
        payload.String("patch_id", patch.view());
        payload.Bool("reboot_required", Chance(engine, 0.4));
        return;
      }
      case EventKind::kMalwareDetected: {
        const catalog::Threat& threat = Pick(engine, catalog::kThreats[family]);
        payload.String("threat", threat.name);
        payload.String("path", threat.path);
        payload.String("action", Pick(engine, catalog::kThreatActions));
        return;
      }
      case EventKind::kConfigChanged: {
        const catalog::ConfigChange& change = Pick(engine, catalog::kConfigChanges);
        payload.String("setting", change.setting);
        payload.String("old", change.old_value);
        payload.String("new", change.new_value);
        payload.String("changed_by", Pick(engine, catalog::kConfigChangedBy));
        return;
      }
      case EventKind::kReboot:
        payload.String("reason", Pick(engine, catalog::kRebootReasons));
        payload.Int("uptime_s", UniformInt(engine, 300, 90 * 86400));
        return;
      case EventKind::kUsbConnected: {
        const catalog::UsbDevice& device = Pick(engine, catalog::kUsbDevices);
        payload.String("vendor", device.vendor);
        payload.String("product", device.product);
        payload.Bool("storage", device.storage);
        return;
      }
      case EventKind::kVpnConnected:
        payload.String("gateway", Pick(engine, catalog::kVpnGateways));
        payload.String("protocol", Pick(engine, catalog::kVpnProtocols));
        return;
      case EventKind::kServiceCrashed:
        payload.String("service", Pick(engine, catalog::kServices[family]));
        payload.Int("exit_code", Pick(engine, kExitCodes));
        payload.Int("restarts", UniformInt(engine, 0, 3));
        return;
      case EventKind::kBackupFailed:
        payload.String("job", Pick(engine, catalog::kBackupJobs));
        payload.String("error", Pick(engine, catalog::kBackupErrors));
        payload.Int("duration_s", UniformInt(engine, 5, 4 * 3600));
        return;
      case EventKind::kCertificateExpiring:
        payload.String("subject", Pick(engine, catalog::kCertificateSubjects));
        payload.Int("days_left", UniformInt(engine, 1, 30));
        return;
    }
  }

  static constexpr int64_t kExitCodes[] = {1, 2, 134, 137, 139, 3221225477};

  std::shared_ptr<const FleetModel> model_;
  const Parents current_;  // for rows no recorded segment covers
  const WeightedChoice hour_of_week_;
  // Per (OsFamily, machine kind): the kEventTypes indices that can occur and a weighted choice.
  std::vector<int> types_of_[catalog::kOsFamilyCount][kMachineKinds];
  WeightedChoice type_choice_[catalog::kOsFamilyCount][kMachineKinds];
  // Per OsFamily: the kApplications indices that exist on its platform.
  std::vector<int> apps_of_family_[catalog::kOsFamilyCount];
};

}  // namespace

std::unique_ptr<TableGenerator> MakeEventsGenerator(std::shared_ptr<const FleetModel> model) {
  return std::make_unique<EventsGenerator>(std::move(model));
}

}  // namespace seedforge::fleet
