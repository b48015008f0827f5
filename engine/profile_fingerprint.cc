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
  for (size_t table = 0; table < profile.fixtures.size(); ++table) {
    const TableFixtures& fixtures = profile.fixtures[table];
    if (fixtures.rows.empty()) continue;
    fmt::format_to(std::back_inserter(*text), "fixtures.{} key={}\n", profile.schemas()[table].name,
                   fixtures.key_column);
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
  std::string text = fmt::format(
      "seedforge profile fingerprint 2\n"
      "window {} {}\n",
      profile.window_start_micros, profile.window_end_micros);
  text += profile.model->CanonicalText();
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
