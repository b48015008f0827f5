// The applications table: one row per (product, version, platform) of a software catalog.
//
// (name, version, platform) is unique by construction, without any lookup: row i is catalog
// product i % N; k = i / N then picks the platform (k % P among the P platforms the product
// exists on) and the version number v = k / P, which maps injectively to "major.minor" (major =
// first_major + v / minors_per_major, minor = v % minors_per_major). The patch number is random:
// it cannot break uniqueness because major.minor already differs. Who created the row and when
// come from their own stream, because deployments recompute them to start after the creation.
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>

#include "generators/catalog_software.h"
#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

class ApplicationsGenerator final : public TableGenerator {
 public:
  explicit ApplicationsGenerator(std::shared_ptr<const FleetModel> model)
      : model_(std::move(model)) {
    for (int a = 0; a < catalog::kApplicationCount; ++a) {
      ProductPlatforms& entry = platforms_[a];
      for (int p = 0; p < catalog::kPlatformCount; ++p) {
        if ((catalog::kApplications[a].platforms >> p) & 1) entry.platform[entry.count++] = p;
      }
    }
  }

  const TableSchema& schema() const override { return FleetSchemas()[1]; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    for (int64_t index = begin; index < end; ++index) {
      const int product = static_cast<int>(index % catalog::kApplicationCount);
      const int64_t cycle = index / catalog::kApplicationCount;
      const catalog::Application& app = catalog::kApplications[product];
      const ProductPlatforms& platforms = platforms_[product];
      const int platform = platforms.platform[cycle % platforms.count];
      const int64_t release = cycle / platforms.count;

      CounterEngine engine = model_->Engine(TableId::kApplications, index, kRowStream);
      const int64_t patch = UniformInt(engine, 0, 12);
      // Packages vary around the typical size; mobile builds are smaller.
      int64_t size_hundredths = app.size_mb * UniformInt(engine, 80, 125);
      if (platform >= 3) size_hundredths = size_hundredths * 6 / 10;
      if (size_hundredths < 1) size_hundredths = 1;

      StackString<48> version;
      version.AppendInt(app.first_major + release / app.minors_per_major);
      version.Push('.');
      version.AppendInt(release % app.minors_per_major);
      version.Push('.');
      version.AppendInt(patch);

      const ApplicationOrigin origin = model_->ApplicationOriginOf(index);
      out.BeginRow();
      out.Int64(index + 1);
      out.Text(app.name);
      out.Text(app.publisher);
      out.Text(version.view());
      out.Text(catalog::kPlatformNames[platform]);
      out.Text(app.category);
      out.Numeric2(size_hundredths);
      out.Int64(origin.created_by);
      out.Timestamp(origin.created_at);
      out.EndRow();
    }
  }

 private:
  struct ProductPlatforms {
    int platform[catalog::kPlatformCount];
    int count = 0;
  };

  std::shared_ptr<const FleetModel> model_;
  ProductPlatforms platforms_[catalog::kApplicationCount];
};

}  // namespace

ApplicationOrigin FleetModel::ApplicationOriginOf(int64_t index) const {
  CounterEngine engine = Engine(TableId::kApplications, index, kApplicationOriginStream);
  ApplicationOrigin origin;
  origin.created_by =
      UniformInt(engine, 1, ParentCount(TableId::kApplications, index, TableId::kUsers));
  const int64_t creator_created_at = UserCreatedAt(origin.created_by - 1);
  // Releases appear until 80% of the window, so deployments of them still fit before its end.
  int64_t latest = window_start() + (window_end() - window_start()) / 5 * 4;
  if (latest <= creator_created_at) latest = creator_created_at + 1;
  origin.created_at = UniformInt(engine, creator_created_at, latest - 1);
  return origin;
}

std::unique_ptr<TableGenerator> MakeApplicationsGenerator(std::shared_ptr<const FleetModel> model) {
  return std::make_unique<ApplicationsGenerator>(std::move(model));
}

}  // namespace seedforge::fleet
