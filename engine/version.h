// The seedforge version (from CMake's project version).
#pragma once

#include <string_view>

namespace seedforge {
std::string_view SeedforgeVersion();
}  // namespace seedforge
