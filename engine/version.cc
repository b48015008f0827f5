#include "engine/version.h"

namespace seedforge {
std::string_view SeedforgeVersion() { return SEEDFORGE_VERSION; }
}  // namespace seedforge
