// The assets table: laptops, desktops, servers, VMs and mobiles with coherent hardware facts.
//
// Coherence comes from the catalog: a hardware model fixes the asset type, manufacturer, the
// operating systems it may run and where it stands, so the generator only picks catalog rows.
// Attributes that children need (type, owner, created_at; model and OS for event payloads) come
// from their own RNG streams through FleetModel, so events recompute them in a few draws.
//
// Unique columns are unique by construction: asset_tag is the zero-padded id; serial_number is a
// manufacturer prefix (pairwise different prefixes) plus seven base-36 digits of a 32-bit
// bijection of the id; the low 24 bits of the MAC address are a 24-bit bijection of the id, so
// MACs are unique for up to 2^24 assets (the column has no UNIQUE constraint beyond that).
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "generators/catalog_locations.h"
#include "generators/catalog_people.h"
#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

using catalog::AssetType;

enum class AssetStatus { kActive, kInRepair, kRetired, kInStock };
constexpr std::string_view kAssetStatusNames[] = {"active", "in_repair", "retired", "in_stock"};

class AssetsGenerator final : public TableGenerator {
 public:
  explicit AssetsGenerator(std::shared_ptr<const FleetModel> model)
      : model_(std::move(model)),
        serial_key_(static_cast<uint32_t>(Mix64(model_->config().seed ^ 0x5e1a1ULL))),
        mac_key_(static_cast<uint32_t>(Mix64(model_->config().seed ^ 0x3ac0ULL))) {
    for (int kind = 0; kind < catalog::kLocationKindCount; ++kind) {
      std::vector<double> weights;
      for (int l = 0; l < catalog::kLocationCount; ++l) {
        if (static_cast<int>(catalog::kLocations[l].kind) != kind) continue;
        locations_of_kind_[kind].push_back(l);
        weights.push_back(catalog::kLocations[l].weight);
      }
      location_choice_.emplace_back(weights.begin(), weights.end());
    }
    for (const catalog::Oui& oui : catalog::kOuis) {
      ouis_of_manufacturer_[static_cast<int>(oui.manufacturer)].push_back(&oui);
    }
  }

  const TableSchema& schema() const override { return FleetSchemas()[2]; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    for (int64_t index = begin; index < end; ++index) WriteRow(index, out);
  }

 private:
  void WriteRow(int64_t index, RowWriter& out) const {
    const int64_t id = index + 1;
    const AssetCore core = model_->AssetCoreOf(index);
    const AssetPlatform platform = model_->AssetPlatformOf(index, core.type);
    const catalog::HardwareModel& hardware = catalog::kHardwareModels[platform.model];
    const catalog::OperatingSystem& os = catalog::kOperatingSystems[platform.os];
    const int manufacturer = static_cast<int>(hardware.manufacturer);
    CounterEngine engine = model_->Engine(TableId::kAssets, index, kRowStream);

    const catalog::Location& location = catalog::kLocations[PickLocation(engine, hardware)];
    const AssetStatus status = PickStatus(engine, core);
    const int64_t last_seen_at = LastSeen(engine, status, core.created_at);
    const catalog::SubnetRange subnet = catalog::kSubnetsByAssetType[static_cast<int>(core.type)];
    const uint32_t address =
        uint32_t{location.ip_first} << 24 | uint32_t{location.ip_second} << 16 |
        static_cast<uint32_t>(UniformInt(engine, subnet.first, subnet.last)) << 8 |
        static_cast<uint32_t>(UniformInt(engine, 10, 250));
    const auto& ouis = ouis_of_manufacturer_[manufacturer];
    const catalog::Oui& oui = *ouis[UniformIndex(engine, ouis.size())];
    const uint32_t mac_low = Scramble24(static_cast<uint32_t>(id) & 0xffffff, mac_key_);
    const uint8_t mac[6] = {oui.bytes[0],
                            oui.bytes[1],
                            oui.bytes[2],
                            static_cast<uint8_t>(mac_low >> 16),
                            static_cast<uint8_t>(mac_low >> 8),
                            static_cast<uint8_t>(mac_low)};

    StackString<80> hostname;
    WriteHostname(engine, core, hardware, os, location, address, hostname);
    StackString<24> asset_tag;
    asset_tag.Append("AST-");
    asset_tag.AppendPadded(static_cast<uint64_t>(id), 7);
    StackString<24> serial;
    serial.Append(catalog::kManufacturers[manufacturer].serial_prefix);
    serial.AppendBase36(Scramble32(static_cast<uint32_t>(id), serial_key_), catalog::kSerialDigits);

    out.BeginRow();
    out.Int64(id);
    out.Text(asset_tag.view());
    out.Text(hostname.view());
    out.Text(serial.view());
    out.Text(catalog::kAssetTypeNames[static_cast<int>(core.type)]);
    out.Text(catalog::kManufacturers[manufacturer].name);
    out.Text(hardware.name);
    out.Text(os.name);
    out.Text(os.version);
    out.Inet4(address);
    out.MacAddr(mac);
    out.Text(location.name);
    if (core.owner_id == 0) {
      out.Null();
    } else {
      out.Int64(core.owner_id);
    }
    out.Text(kAssetStatusNames[static_cast<int>(status)]);
    out.Timestamp(last_seen_at);
    out.Timestamp(core.created_at);
    out.EndRow();
  }

  int PickLocation(CounterEngine& engine, const catalog::HardwareModel& hardware) const {
    catalog::LocationKind kind = catalog::LocationKind::kOffice;
    switch (hardware.placement) {
      case catalog::Placement::kOffice:
        kind = catalog::LocationKind::kOffice;
        break;
      case catalog::Placement::kDatacenter:
        kind = catalog::LocationKind::kDatacenter;
        break;
      case catalog::Placement::kAws:
        kind = catalog::LocationKind::kAws;
        break;
      case catalog::Placement::kAzureOrDatacenter:
        kind = Chance(engine, 0.5) ? catalog::LocationKind::kAzure
                                   : catalog::LocationKind::kDatacenter;
        break;
    }
    const int k = static_cast<int>(kind);
    return locations_of_kind_[k][location_choice_[k](engine)];
  }

  AssetStatus PickStatus(CounterEngine& engine, const AssetCore& core) const {
    const double u = Uniform01(engine);
    if (u < model_->retired_below()) return AssetStatus::kRetired;
    if (u < model_->in_repair_below()) return AssetStatus::kInRepair;
    // An end-user device that nobody owns sits on a shelf.
    if (catalog::IsEndUserDevice(core.type) && core.owner_id == 0) return AssetStatus::kInStock;
    return AssetStatus::kActive;
  }

  int64_t LastSeen(CounterEngine& engine, AssetStatus status, int64_t created_at) const {
    const int64_t last = model_->window_end() - 1;
    int64_t from = created_at;
    int64_t to = last;
    switch (status) {
      case AssetStatus::kActive:  // checks in regularly: seen within the last week
        from = last + 1 - kActiveSeenWithin;
        break;
      case AssetStatus::kInRepair:  // went away recently
        from = last + 1 - 30 * kMicrosPerDay;
        break;
      case AssetStatus::kInStock:  // seen while being enrolled, then shelved
        to = created_at + 14 * kMicrosPerDay;
        break;
      case AssetStatus::kRetired:
        break;
    }
    if (from < created_at) from = created_at;
    if (to > last) to = last;
    return UniformInt(engine, from, to);
  }

  void WriteHostname(CounterEngine& engine, const AssetCore& core,
                     const catalog::HardwareModel& hardware, const catalog::OperatingSystem& os,
                     const catalog::Location& location, uint32_t address,
                     StackString<80>& out) const {
    switch (core.type) {
      case AssetType::kServer:  // ash-db-07
        out.Append(location.code);
        out.Push('-');
        out.Append(Pick(engine, catalog::kServerRoles));
        out.Push('-');
        out.AppendPadded(static_cast<uint64_t>(UniformInt(engine, 1, 40)), 2);
        return;
      case AssetType::kVirtualMachine:
        if (location.kind == catalog::LocationKind::kAws) {  // ip-10-100-3-4, as EC2 names them
          out.Append("ip");
          for (int shift = 24; shift >= 0; shift -= 8) {
            out.Push('-');
            out.AppendInt((address >> shift) & 0xff);
          }
          return;
        }
        out.Append(location.code);  // fra-app-vm123
        out.Push('-');
        out.Append(Pick(engine, catalog::kServerRoles));
        out.Append("-vm");
        out.AppendPadded(static_cast<uint64_t>(UniformInt(engine, 1, 999)), 3);
        return;
      case AssetType::kMobile:
        if (core.owner_id != 0) {  // Johns-iPhone
          out.Append(catalog::kFirstNames[model_->UserNameOf(core.owner_id - 1).first]);
          out.Append("s-");
          out.Append(hardware.host_word);
        } else {  // Galaxy-3F2A
          out.Append(hardware.host_word);
          out.Push('-');
          out.AppendHex(static_cast<uint64_t>(UniformInt(engine, 0, 0xffff)), 4, true);
        }
        return;
      case AssetType::kLaptop:
      case AssetType::kDesktop:
        if (os.family == catalog::OsFamily::kWindows) {  // NYC-LT-4F2A91
          out.AppendUpper(location.code);
          out.Push('-');
          out.AppendUpper(hardware.host_word);
          out.Push('-');
          out.AppendHex(static_cast<uint64_t>(UniformInt(engine, 0, 0xffffff)), 6, true);
        } else if (core.owner_id != 0) {  // jsmith-mbp
          const UserName name = model_->UserNameOf(core.owner_id - 1);
          out.AppendLower(catalog::kFirstNames[name.first].substr(0, 1));
          out.AppendLower(catalog::kLastNames[name.last]);
          out.Push('-');
          out.Append(hardware.host_word);
        } else {  // nyc-imac-3f2a
          out.Append(location.code);
          out.Push('-');
          out.Append(hardware.host_word);
          out.Push('-');
          out.AppendHex(static_cast<uint64_t>(UniformInt(engine, 0, 0xffff)), 4, false);
        }
        return;
    }
  }

  std::shared_ptr<const FleetModel> model_;
  const uint32_t serial_key_;
  const uint32_t mac_key_;
  std::array<std::vector<int>, catalog::kLocationKindCount> locations_of_kind_;
  std::vector<WeightedChoice> location_choice_;
  std::array<std::vector<const catalog::Oui*>, catalog::kManufacturerCount> ouis_of_manufacturer_;
};

}  // namespace

AssetCore FleetModel::AssetCoreOf(int64_t index) const {
  CounterEngine engine = Engine(TableId::kAssets, index, kAssetCoreStream);
  AssetCore core;
  core.type = static_cast<AssetType>(asset_type_(engine));
  core.owner_id = 0;
  const int64_t users = ParentCount(TableId::kAssets, index, TableId::kUsers);
  if (catalog::IsEndUserDevice(core.type) && users > 0 &&
      !Chance(engine, config_.parameters.assets.unowned_rate)) {
    core.owner_id = UniformInt(engine, 1, users);
  }
  // Assets arrive during the first 75% of the window; an owned device after its owner joined.
  const int64_t latest = window_start() + (window_end() - window_start()) / 4 * 3;
  int64_t earliest = window_start();
  if (core.owner_id != 0) earliest = UserCreatedAt(core.owner_id - 1);
  if (earliest >= latest) earliest = latest - 1;
  core.created_at = UniformInt(engine, earliest, latest - 1);
  return core;
}

AssetPlatform FleetModel::AssetPlatformOf(int64_t index, AssetType type) const {
  CounterEngine engine = Engine(TableId::kAssets, index, kAssetPlatformStream);
  const int t = static_cast<int>(type);
  return platforms_of_type_[t][platform_choice_[t](engine)];
}

std::unique_ptr<TableGenerator> MakeAssetsGenerator(std::shared_ptr<const FleetModel> model) {
  return std::make_unique<AssetsGenerator>(std::move(model));
}

}  // namespace seedforge::fleet
