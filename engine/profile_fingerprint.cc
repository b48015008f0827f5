// ProfileFingerprint: a canonical text of the generation settings, hashed. Doubles are written
// in their shortest round-trip form ({} in fmt), so equal values give equal text on every machine.
// Changing this text changes every recorded fingerprint: databases filled before would then need
// --allow-mismatch for a top-up, so only extend it when the generators gain a setting.
#include <fmt/format.h>
#include <openssl/evp.h>

#include "engine/profile.h"

namespace seedforge {
namespace {

void AppendFixtures(const Profile& profile, std::string* text) {
  for (int table = 0; table < kTableCount; ++table) {
    const TableFixtures& fixtures = profile.fixtures[static_cast<size_t>(table)];
    if (fixtures.rows.empty()) continue;
    fmt::format_to(std::back_inserter(*text), "fixtures.{} key={}\n",
                   kTableNames[static_cast<size_t>(table)], fixtures.key_column);
    for (const FixtureRow& row : fixtures.rows) {
      for (const auto& [column, value] : row.values) {
        fmt::format_to(std::back_inserter(*text), " {}:{}:{}:{}:{}", column,
                       static_cast<int>(value.kind), value.text.size(), value.text,
                       value.boolean ? 1 : 0);
      }
      *text += '\n';
    }
  }
}

}  // namespace

std::string ProfileFingerprint(const Profile& profile) {
  const FleetParameters& p = profile.parameters;
  std::string text = fmt::format(
      "seedforge profile fingerprint 1\n"
      "window {} {}\n"
      "users {} {} {}:{}\n"
      "assets {} {} {} {} {} {} {} {}\n"
      "deployments {} {} {} {}\n"
      "events {} {} {} {} {}\n",
      profile.window_start_micros, profile.window_end_micros, p.users.inactive_rate,
      p.users.created_by_rate, p.users.email_domain.size(), p.users.email_domain,
      p.assets.laptop_weight, p.assets.desktop_weight, p.assets.server_weight, p.assets.vm_weight,
      p.assets.mobile_weight, p.assets.unowned_rate, p.assets.retired_rate, p.assets.in_repair_rate,
      p.deployments.failed_rate, p.deployments.rolled_back_rate, p.deployments.pending_rate,
      p.deployments.running_rate, p.events.asset_skew, p.events.deployment_event_rate,
      p.events.user_event_rate, p.events.working_hours_weight, p.events.evening_weight);
  AppendFixtures(profile, &text);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i)
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return hex;
}

}  // namespace seedforge
