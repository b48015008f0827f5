// Pinned values of the fleet generators: with the seed fixed every value is fixed, so counts and
// shares are asserted exactly, not within wide tolerances. The generators are run directly (no
// server): rows [0, target) of each table, as `seedforge generate` and `seed` write them.
//
// Two kinds of check per statistic:
//   - the exact value for the seed (a golden number: any change to a generator or a draw moves
//     it); these live in one clearly marked table per test, kPinned..., so that an intended
//     change of the data (the generic engine rewrite) updates them in one place;
//   - an independent oracle: the value must lie within 4 standard deviations of what the
//     profile's parameter asks for (n * rate for a binomial count), computed here from the
//     parameter, so a parameter ignored, inverted or off by a few percent fails even after the
//     pinned numbers are updated.
// Each parameter is also varied at least once, and the data must follow it.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/row_writer.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "generators/fleet.h"
#include "generators/table_generator.h"

namespace seedforge {
namespace {

// Calls `on_value(row, column, text, is_null)` for every value of the columns in `columns`.
class ColumnCollector final : public RowWriter {
 public:
  using Callback =
      std::function<void(size_t column, std::string_view text, int64_t number, bool is_null)>;
  explicit ColumnCollector(Callback callback) : callback_(std::move(callback)) {}

  void BeginRow() override { column_ = 0; }
  void EndRow() override {}
  void Int64(int64_t value) override { Emit({}, value, false); }
  void Int32(int32_t value) override { Emit({}, value, false); }
  void Bool(bool value) override { Emit({}, value ? 1 : 0, false); }
  void Text(std::string_view value) override { Emit(value, 0, false); }
  void Timestamp(int64_t unix_micros) override { Emit({}, unix_micros, false); }
  void Numeric2(int64_t hundredths) override { Emit({}, hundredths, false); }
  void Inet4(uint32_t address) override { Emit({}, address, false); }
  void MacAddr(const uint8_t (&)[6]) override { Emit({}, 0, false); }
  void Json(std::string_view json_object) override { Emit(json_object, 0, false); }
  void Null() override { Emit({}, 0, true); }

 private:
  void Emit(std::string_view text, int64_t number, bool is_null) {
    callback_(column_++, text, number, is_null);
  }
  Callback callback_;
  size_t column_ = 0;
};

// One row's values of the columns a statistic needs.
struct Row {
  std::map<size_t, std::string> text;
  std::map<size_t, int64_t> number;
  std::map<size_t, bool> null;
};

// Generates every row of `table` for `profile` at its targets and calls `on_row` for each.
void ForEachRow(const Profile& profile, TableId table,
                const std::function<void(const Row&)>& on_row) {
  std::vector<int64_t> targets(kTableCount);
  for (size_t i = 0; i < targets.size(); ++i) targets[i] = profile.Target(i);
  const FleetConfig config(MakeGenerationPlan(profile, targets), profile.parameters);
  ASSERT_TRUE(config.Validate().ok()) << config.Validate().message();
  const auto generators = MakeFleetGenerators(config);
  const TableGenerator& generator = *generators[static_cast<size_t>(table)];
  Row row;
  const size_t columns = generator.schema().columns.size();
  ColumnCollector collector(
      [&](size_t column, std::string_view text, int64_t number, bool is_null) {
        row.text[column] = std::string(text);
        row.number[column] = number;
        row.null[column] = is_null;
        if (column + 1 == columns) on_row(row);
      });
  constexpr int64_t kBatch = 10000;
  const int64_t rows = targets[static_cast<size_t>(table)];
  for (int64_t begin = 0; begin < rows; begin += kBatch) {
    generator.WriteRows(begin, std::min(rows, begin + kBatch), collector);
  }
}

Profile Large() {
  StatusOr<Profile> profile = LoadProfile("large");
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  return *profile;
}

// Column positions, from the fleet schema (README "The data model").
constexpr size_t kUserIsActive = 6;
constexpr size_t kAssetType = 4;
constexpr size_t kAssetOwner = 12;
constexpr size_t kAssetStatus = 13;
constexpr size_t kDeploymentStatus = 5;
constexpr size_t kEventAsset = 1;
constexpr size_t kEventUser = 2;
constexpr size_t kEventDeployment = 3;
constexpr size_t kEventType = 4;
constexpr size_t kEventOccurredAt = 6;

// |count - n p| <= 4 sqrt(n p (1 - p)) + 1: what a draw with rate p over n rows may give.
void ExpectBinomial(int64_t count, int64_t n, double p, const std::string& what) {
  const double mean = static_cast<double>(n) * p;
  const double slack = 4 * std::sqrt(static_cast<double>(n) * p * (1 - p)) + 1;
  EXPECT_LE(std::abs(static_cast<double>(count) - mean), slack)
      << what << ": " << count << " of " << n << ", expected about " << mean;
}

// --- Users ---

int64_t InactiveUsers(const Profile& profile) {
  int64_t inactive = 0;
  ForEachRow(profile, TableId::kUsers, [&](const Row& row) {
    if (row.number.at(kUserIsActive) == 0) ++inactive;
  });
  return inactive;
}

TEST(PinnedValuesTest, InactiveUsersFollowInactiveRate) {
  // ---- PINNED (seed 42, 1,000 users): update when the data changes on purpose ----
  struct Case {
    double inactive_rate;
    int64_t inactive;
  };
  static constexpr Case kPinned[] = {{0.08, 81}, {0.5, 511}, {0.0, 0}, {1.0, 1000}};
  // ---- end of pinned values ----
  for (const Case& c : kPinned) {
    Profile profile = Large();
    profile.parameters.users.inactive_rate = c.inactive_rate;
    const int64_t inactive = InactiveUsers(profile);
    EXPECT_EQ(inactive, c.inactive) << "inactive_rate " << c.inactive_rate;
    ExpectBinomial(inactive, 1000, c.inactive_rate, "inactive users");
  }
}

// --- Assets ---

struct AssetStats {
  std::map<std::string, int64_t> types;
  std::map<std::string, int64_t> statuses;
  int64_t end_user_devices = 0;  // laptops, desktops, mobiles
  int64_t unowned_end_user_devices = 0;
};

AssetStats Assets(const Profile& profile) {
  AssetStats stats;
  ForEachRow(profile, TableId::kAssets, [&](const Row& row) {
    const std::string& type = row.text.at(kAssetType);
    ++stats.types[type];
    ++stats.statuses[row.text.at(kAssetStatus)];
    if (type == "laptop" || type == "desktop" || type == "mobile") {
      ++stats.end_user_devices;
      if (row.null.at(kAssetOwner)) ++stats.unowned_end_user_devices;
    }
  });
  return stats;
}

TEST(PinnedValuesTest, AssetTypesStatusesAndOwnersFollowTheirParameters) {
  // ---- PINNED (seed 42, 50,000 assets) ----
  static const std::map<std::string, int64_t> kPinnedTypes = {
      {"desktop", 9957}, {"laptop", 22369}, {"mobile", 6118}, {"server", 4039}, {"vm", 7517}};
  static const std::map<std::string, int64_t> kPinnedStatuses = {
      {"active", 45223}, {"in_repair", 998}, {"in_stock", 1764}, {"retired", 2015}};
  static constexpr int64_t kPinnedUnowned = 1893;
  // Varied: every weight on servers; retired 0.2, in_repair 0.1; unowned 0.3.
  static constexpr int64_t kPinnedVariedRetired = 10016;
  static constexpr int64_t kPinnedVariedInRepair = 4980;
  static constexpr int64_t kPinnedVariedUnowned = 11614;
  // ---- end of pinned values ----
  const Profile large = Large();
  const AssetStats stats = Assets(large);
  EXPECT_EQ(stats.types, kPinnedTypes);
  EXPECT_EQ(stats.statuses, kPinnedStatuses);
  EXPECT_EQ(stats.unowned_end_user_devices, kPinnedUnowned);
  const double weights = 45 + 20 + 8 + 15 + 12;
  const std::map<std::string, double> type_weights = {
      {"laptop", 45}, {"desktop", 20}, {"server", 8}, {"vm", 15}, {"mobile", 12}};
  for (const auto& [type, weight] : type_weights) {
    ExpectBinomial(stats.types.count(type) ? stats.types.at(type) : 0, 50000, weight / weights,
                   type);
  }
  ExpectBinomial(stats.statuses.at("retired"), 50000, 0.04, "retired");
  ExpectBinomial(stats.statuses.at("in_repair"), 50000, 0.02, "in_repair");
  ExpectBinomial(stats.unowned_end_user_devices, stats.end_user_devices, 0.05, "unowned");

  Profile varied = large;
  varied.parameters.assets.retired_rate = 0.2;
  varied.parameters.assets.in_repair_rate = 0.1;
  varied.parameters.assets.unowned_rate = 0.3;
  const AssetStats changed = Assets(varied);
  EXPECT_EQ(changed.statuses.at("retired"), kPinnedVariedRetired);
  EXPECT_EQ(changed.statuses.at("in_repair"), kPinnedVariedInRepair);
  EXPECT_EQ(changed.unowned_end_user_devices, kPinnedVariedUnowned);
  ExpectBinomial(changed.statuses.at("retired"), 50000, 0.2, "retired (varied)");
  ExpectBinomial(changed.statuses.at("in_repair"), 50000, 0.1, "in_repair (varied)");
  ExpectBinomial(changed.unowned_end_user_devices, changed.end_user_devices, 0.3,
                 "unowned (varied)");

  Profile servers_only = large;
  servers_only.parameters.assets.laptop_weight = 0;
  servers_only.parameters.assets.desktop_weight = 0;
  servers_only.parameters.assets.vm_weight = 0;
  servers_only.parameters.assets.mobile_weight = 0;
  servers_only.parameters.assets.server_weight = 1;
  EXPECT_EQ(Assets(servers_only).types, (std::map<std::string, int64_t>{{"server", 50000}}));
}

// --- Deployments ---

std::map<std::string, int64_t> DeploymentStatuses(const Profile& profile) {
  std::map<std::string, int64_t> statuses;
  ForEachRow(profile, TableId::kDeployments,
             [&](const Row& row) { ++statuses[row.text.at(kDeploymentStatus)]; });
  return statuses;
}

TEST(PinnedValuesTest, DeploymentStatusesFollowTheirRates) {
  // ---- PINNED (seed 42, 10,000 deployments) ----
  static const std::map<std::string, int64_t> kPinned = {{"failed", 657},
                                                         {"pending", 192},
                                                         {"rolled_back", 193},
                                                         {"running", 154},
                                                         {"succeeded", 8804}};
  // failed 0.3, rolled_back 0.1, pending 0, running 0.2:
  static const std::map<std::string, int64_t> kPinnedVaried = {
      {"failed", 2987}, {"rolled_back", 1039}, {"running", 1960}, {"succeeded", 4014}};
  // ---- end of pinned values ----
  const Profile large = Large();
  const auto statuses = DeploymentStatuses(large);
  EXPECT_EQ(statuses, kPinned);
  const std::map<std::string, double> rates = {{"failed", 0.06},
                                               {"rolled_back", 0.02},
                                               {"pending", 0.02},
                                               {"running", 0.02},
                                               {"succeeded", 0.88}};
  for (const auto& [status, rate] : rates) {
    ExpectBinomial(statuses.count(status) ? statuses.at(status) : 0, 10000, rate, status);
  }
  Profile varied = large;
  varied.parameters.deployments.failed_rate = 0.3;
  varied.parameters.deployments.rolled_back_rate = 0.1;
  varied.parameters.deployments.pending_rate = 0;
  varied.parameters.deployments.running_rate = 0.2;
  const auto changed = DeploymentStatuses(varied);
  EXPECT_EQ(changed, kPinnedVaried);
  const std::map<std::string, double> varied_rates = {
      {"failed", 0.3}, {"rolled_back", 0.1}, {"pending", 0}, {"running", 0.2}, {"succeeded", 0.4}};
  for (const auto& [status, rate] : varied_rates) {
    ExpectBinomial(changed.count(status) ? changed.at(status) : 0, 10000, rate,
                   status + " (varied)");
  }
}

// --- Events ---

struct EventStats {
  std::map<std::string, int64_t> types;
  int64_t deployment_events = 0;
  int64_t asset_events = 0;
  int64_t asset_events_naming_user = 0;
  std::map<int64_t, int64_t> per_asset;  // asset events per asset id
  int64_t working_hours = 0;             // asset events on weekdays 09-18 UTC (45 hours a week)
  int64_t evenings = 0;                  // weekdays 18-23 UTC (25 hours)
  int64_t quiet = 0;                     // weekdays 00-09 and weekends (93 hours)
  // Events per hour of the week, working hours against quiet hours.
  double WorkingToQuiet() const {
    return (static_cast<double>(working_hours) / 45.0) / (static_cast<double>(quiet) / 93.0);
  }
  double EveningToQuiet() const {
    return (static_cast<double>(evenings) / 25.0) / (static_cast<double>(quiet) / 93.0);
  }
  // Share of asset events held by the busiest `top` assets.
  double TopShare(size_t top) const {
    std::vector<int64_t> counts;
    for (const auto& [asset, count] : per_asset) counts.push_back(count);
    std::sort(counts.rbegin(), counts.rend());
    int64_t busiest = 0;
    for (size_t i = 0; i < top && i < counts.size(); ++i) busiest += counts[i];
    return static_cast<double>(busiest) / static_cast<double>(asset_events);
  }
};

EventStats Events(const Profile& profile) {
  EventStats stats;
  constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;
  ForEachRow(profile, TableId::kEvents, [&](const Row& row) {
    ++stats.types[row.text.at(kEventType)];
    if (!row.null.at(kEventDeployment)) {
      ++stats.deployment_events;
      return;
    }
    ++stats.asset_events;
    if (!row.null.at(kEventUser)) ++stats.asset_events_naming_user;
    ++stats.per_asset[row.number.at(kEventAsset)];
    const int64_t hours = row.number.at(kEventOccurredAt) / kMicrosPerHour;  // after 1970
    const int64_t hour = hours % 24;
    const int64_t iso_weekday = (hours / 24 + 3) % 7 + 1;  // 1970-01-01 was a Thursday (4)
    if (iso_weekday >= 6 || hour < 9) {
      ++stats.quiet;
    } else if (hour < 18) {
      ++stats.working_hours;
    } else if (hour < 23) {
      ++stats.evenings;
    }  // weekdays 23-24 count as night (weight 1) but are in neither bucket
  });
  return stats;
}

TEST(PinnedValuesTest, EventMixSkewAndWeeklyRhythmOfTheLargeProfile) {
  // ---- PINNED (seed 42, 100,000 events) ----
  static const std::map<std::string, int64_t> kPinnedTypes = {{"backup_failed", 496},
                                                              {"certificate_expiring", 226},
                                                              {"config_changed", 3730},
                                                              {"cpu_high", 4633},
                                                              {"deployment_failed", 495},
                                                              {"deployment_progress", 126},
                                                              {"deployment_queued", 319},
                                                              {"deployment_rolled_back", 137},
                                                              {"deployment_started", 7220},
                                                              {"deployment_succeeded", 6405},
                                                              {"disk_low", 2869},
                                                              {"heartbeat", 28015},
                                                              {"login", 11182},
                                                              {"login_failed", 2809},
                                                              {"logout", 8282},
                                                              {"malware_detected", 421},
                                                              {"memory_high", 2648},
                                                              {"patch_applied", 5520},
                                                              {"reboot", 3649},
                                                              {"service_crashed", 1569},
                                                              {"software_installed", 4645},
                                                              {"usb_connected", 1764},
                                                              {"vpn_connected", 2840}};
  static constexpr int64_t kPinnedDeploymentEvents = 14702;
  static constexpr int64_t kPinnedNamingUser = 36866;
  static constexpr int64_t kPinnedWorking = 59169;
  static constexpr int64_t kPinnedEvenings = 10218;
  static constexpr int64_t kPinnedQuiet = 15056;
  static constexpr double kPinnedTopShare = 0.5092;  // busiest 5,000 of 50,000 assets
  // ---- end of pinned values ----
  const EventStats stats = Events(Large());
  EXPECT_EQ(stats.types, kPinnedTypes);
  EXPECT_EQ(stats.deployment_events, kPinnedDeploymentEvents);
  EXPECT_EQ(stats.asset_events_naming_user, kPinnedNamingUser);
  EXPECT_EQ(stats.working_hours, kPinnedWorking);
  EXPECT_EQ(stats.evenings, kPinnedEvenings);
  EXPECT_EQ(stats.quiet, kPinnedQuiet);
  EXPECT_NEAR(stats.TopShare(5000), kPinnedTopShare, 0.0005);
  ExpectBinomial(stats.deployment_events, 100000, 0.15, "deployment events");
  // asset_skew 3: rank = n u^3, so the top 10% of ranks get P(u^3 < 0.1) = 0.1^(1/3) = 46.4%
  // of the draws. The busiest 10% by observed count hold somewhat more (Poisson noise on top:
  // uniform draws give them 25%, not 10%), so the share lies between the two effects.
  EXPECT_GT(stats.TopShare(5000), 0.464);
  EXPECT_LT(stats.TopShare(5000), 0.55);
  // working_hours_weight 8 and evening_weight 2.5 against 1 for quiet hours.
  EXPECT_NEAR(stats.WorkingToQuiet(), 8.0, 0.4);
  EXPECT_NEAR(stats.EveningToQuiet(), 2.5, 0.2);
}

TEST(PinnedValuesTest, EventParametersChangeTheData) {
  // ---- PINNED (seed 42, 100,000 events, one parameter changed at a time) ----
  static constexpr double kPinnedUniformTopShare = 0.2543;   // asset_skew 1
  static constexpr int64_t kPinnedDeploymentEvents = 49744;  // rate 0.5
  static constexpr int64_t kPinnedNamingUser = 0;            // user_event_rate 0
  static constexpr double kPinnedFlatRatio = 0.9952;         // working 1, evening 1
  // ---- end of pinned values ----
  const Profile large = Large();

  Profile uniform = large;
  uniform.parameters.events.asset_skew = 1;
  const EventStats uniform_stats = Events(uniform);
  EXPECT_NEAR(uniform_stats.TopShare(5000), kPinnedUniformTopShare, 0.0005);
  // Uniform draws: about 85,000 asset events over 50,000 assets (Poisson, mean 1.7); the
  // busiest 10% get far less than the 46% of skew 3 and more than 10%.
  EXPECT_LT(uniform_stats.TopShare(5000), 0.30);
  EXPECT_GT(uniform_stats.TopShare(5000), 0.10);

  Profile more_deployments = large;
  more_deployments.parameters.events.deployment_event_rate = 0.5;
  const EventStats deployment_stats = Events(more_deployments);
  EXPECT_EQ(deployment_stats.deployment_events, kPinnedDeploymentEvents);
  ExpectBinomial(deployment_stats.deployment_events, 100000, 0.5, "deployment events (0.5)");

  Profile no_users = large;
  no_users.parameters.events.user_event_rate = 0;
  EXPECT_EQ(Events(no_users).asset_events_naming_user, kPinnedNamingUser);

  Profile flat = large;
  flat.parameters.events.working_hours_weight = 1;
  flat.parameters.events.evening_weight = 1;
  const EventStats flat_stats = Events(flat);
  EXPECT_NEAR(flat_stats.WorkingToQuiet(), kPinnedFlatRatio, 0.0005);
  EXPECT_NEAR(flat_stats.WorkingToQuiet(), 1.0, 0.1);
  EXPECT_NEAR(flat_stats.EveningToQuiet(), 1.0, 0.1);
}

// Prints every statistic, to update the pinned tables above after an intended change of the
// data: build, run --gtest_filter=PinnedValuesTest.* --gtest_also_run_disabled_tests.
TEST(PinnedValuesTest, DISABLED_PrintStatistics) {
  auto print_map = [](const char* name, const std::map<std::string, int64_t>& values) {
    std::printf("%s {", name);
    for (const auto& [key, value] : values)
      std::printf("{\"%s\", %lld}, ", key.c_str(), static_cast<long long>(value));
    std::printf("}\n");
  };
  const Profile large = Large();
  for (const double rate : {0.08, 0.5}) {
    Profile profile = large;
    profile.parameters.users.inactive_rate = rate;
    std::printf("inactive %.2f: %lld\n", rate, static_cast<long long>(InactiveUsers(profile)));
  }
  const AssetStats assets = Assets(large);
  print_map("asset types", assets.types);
  print_map("asset statuses", assets.statuses);
  std::printf("unowned %lld\n", static_cast<long long>(assets.unowned_end_user_devices));
  Profile varied = large;
  varied.parameters.assets.retired_rate = 0.2;
  varied.parameters.assets.in_repair_rate = 0.1;
  varied.parameters.assets.unowned_rate = 0.3;
  const AssetStats changed = Assets(varied);
  print_map("varied asset statuses", changed.statuses);
  std::printf("varied unowned %lld\n", static_cast<long long>(changed.unowned_end_user_devices));
  print_map("deployments", DeploymentStatuses(large));
  Profile deployments = large;
  deployments.parameters.deployments.failed_rate = 0.3;
  deployments.parameters.deployments.rolled_back_rate = 0.1;
  deployments.parameters.deployments.pending_rate = 0;
  deployments.parameters.deployments.running_rate = 0.2;
  print_map("varied deployments", DeploymentStatuses(deployments));
  const EventStats events = Events(large);
  print_map("event types", events.types);
  std::printf(
      "deployment events %lld naming user %lld working %lld evenings %lld quiet %lld "
      "top share %.4f ratio %.4f evening %.4f\n",
      static_cast<long long>(events.deployment_events),
      static_cast<long long>(events.asset_events_naming_user),
      static_cast<long long>(events.working_hours), static_cast<long long>(events.evenings),
      static_cast<long long>(events.quiet), events.TopShare(5000), events.WorkingToQuiet(),
      events.EveningToQuiet());
  Profile uniform = large;
  uniform.parameters.events.asset_skew = 1;
  std::printf("uniform top share %.4f\n", Events(uniform).TopShare(5000));
  Profile more = large;
  more.parameters.events.deployment_event_rate = 0.5;
  std::printf("deployment events at 0.5: %lld\n",
              static_cast<long long>(Events(more).deployment_events));
  Profile no_users = large;
  no_users.parameters.events.user_event_rate = 0;
  std::printf("naming user at 0: %lld\n",
              static_cast<long long>(Events(no_users).asset_events_naming_user));
  Profile flat = large;
  flat.parameters.events.working_hours_weight = 1;
  flat.parameters.events.evening_weight = 1;
  std::printf("flat ratio %.4f\n", Events(flat).WorkingToQuiet());
}

}  // namespace
}  // namespace seedforge
