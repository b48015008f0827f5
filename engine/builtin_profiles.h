// The profiles shipped in profiles/, compiled into the binary (see cmake/embed_profiles.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace seedforge {

struct BuiltinProfile {
  std::string_view name;  // file name without ".json", e.g. "default"
  std::string_view json;  // the file's text
};

// In name order. Thread-safe.
const std::vector<BuiltinProfile>& BuiltinProfiles();

}  // namespace seedforge
