// The users table: people with names, departments and roles, created over the time window.
//
// Uniqueness is by construction: username ("jsmith17") and e-mail ("john.smith17@domain") end
// with the id, and names are letters only, so the trailing digits are always exactly the id.
// created_at follows a saturating curve t(i) = H*i/(i+K) + i (microseconds after the window
// start), which is strictly increasing and makes early users (the founders) arrive fast and
// later ones slowly, plus a jitter smaller than the gap to the next user, so the order by
// created_at is the order by id. Because created_by is always an earlier id, every creator was
// created before the user it created. All of it uses integer arithmetic only.
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "generators/catalog_people.h"
#include "generators/fleet_internal.h"

namespace seedforge::fleet {
namespace {

// Users arrive along H * i / (i + K): half of H is reached after K users.
constexpr int64_t kArrivalHalfCount = 500;

// The offset of user `index` from the window start before jitter; strictly increasing.
int64_t ArrivalOffset(int64_t arrival_span, int64_t index) {
  const int64_t divisor = index + kArrivalHalfCount;
  if (index == 0 || arrival_span <= INT64_MAX / index) {  // the common case: 64 bits suffice
    return arrival_span * index / divisor + index;
  }
  __extension__ using Int128 = __int128;
  return static_cast<int64_t>(Int128{arrival_span} * index / divisor) + index;
}

class UsersGenerator final : public TableGenerator {
 public:
  explicit UsersGenerator(std::shared_ptr<const FleetModel> model)
      : model_(std::move(model)), department_(DepartmentWeights()) {
    for (int d = 0; d < catalog::kDepartmentCount; ++d) {
      std::vector<double> weights;
      roles_of_department_.emplace_back();
      for (int r = 0; r < static_cast<int>(std::size(catalog::kRoles)); ++r) {
        if (catalog::kRoles[r].department != d) continue;
        roles_of_department_.back().push_back(r);
        weights.push_back(catalog::kRoles[r].weight);
      }
      role_choice_.emplace_back(weights.begin(), weights.end());
    }
  }

  const TableSchema& schema() const override { return FleetSchemas()[0]; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    const UserParameters& params = model_->config().parameters.users;
    for (int64_t index = begin; index < end; ++index) {
      const int64_t id = index + 1;
      const UserName name = model_->UserNameOf(index);
      const std::string_view first = catalog::kFirstNames[name.first];
      const std::string_view last = catalog::kLastNames[name.last];
      CounterEngine engine = model_->Engine(TableId::kUsers, index, kRowStream);
      const int department = department_(engine);
      const auto& roles = roles_of_department_[department];
      const int role = roles[role_choice_[department](engine)];
      const bool active = !Chance(engine, params.inactive_rate);
      int64_t created_by = 0;
      if (id > 1 && Chance(engine, params.created_by_rate))
        created_by = UniformInt(engine, 1, id - 1);

      StackString<64> username;
      username.AppendLower(first.substr(0, 1));
      username.AppendLower(last);
      username.AppendInt(id);
      StackString<320> email;
      email.AppendLower(first);
      email.Push('.');
      email.AppendLower(last);
      email.AppendInt(id);
      email.Push('@');
      email.Append(params.email_domain);
      StackString<64> full_name;
      full_name.Append(first);
      full_name.Push(' ');
      full_name.Append(last);

      out.BeginRow();
      out.Int64(id);
      out.Text(username.view());
      out.Text(email.view());
      out.Text(full_name.view());
      out.Text(catalog::kDepartments[department].name);
      out.Text(catalog::kRoles[role].name);
      out.Bool(active);
      if (created_by == 0) {
        out.Null();
      } else {
        out.Int64(created_by);
      }
      out.Timestamp(model_->UserCreatedAt(index));
      out.EndRow();
    }
  }

 private:
  static WeightedChoice DepartmentWeights() {
    std::vector<double> weights;
    for (const catalog::Department& department : catalog::kDepartments) {
      weights.push_back(department.weight);
    }
    return WeightedChoice(weights.begin(), weights.end());
  }

  std::shared_ptr<const FleetModel> model_;
  const WeightedChoice department_;
  // Per department: its kRoles indices and a weighted choice among them.
  std::vector<std::vector<int>> roles_of_department_;
  std::vector<WeightedChoice> role_choice_;
};

}  // namespace

int64_t FleetModel::ComputeUserCreatedAt(int64_t index) const {
  // Arrivals span the first 60% of the window; applications, assets and deployments that need
  // a user to exist before them still have the remaining 40% (at least 2.8 days).
  const int64_t arrival_span = (window_end() - window_start()) / 5 * 3;
  const int64_t offset = ArrivalOffset(arrival_span, index);
  const int64_t gap = ArrivalOffset(arrival_span, index + 1) - offset;  // >= 1
  CounterEngine engine = Engine(TableId::kUsers, index, kUserCreatedAtStream);
  return window_start() + offset + UniformInt(engine, 0, gap - 1);
}

UserName FleetModel::UserNameOf(int64_t index) const {
  CounterEngine engine = Engine(TableId::kUsers, index, kUserNameStream);
  UserName name;
  name.first = UniformIndex(engine, std::size(catalog::kFirstNames));
  name.last = UniformIndex(engine, std::size(catalog::kLastNames));
  return name;
}

std::unique_ptr<TableGenerator> MakeUsersGenerator(std::shared_ptr<const FleetModel> model) {
  return std::make_unique<UsersGenerator>(std::move(model));
}

}  // namespace seedforge::fleet
