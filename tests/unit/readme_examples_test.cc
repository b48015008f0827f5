// The README's profile examples are profiles that load: every ```json block of README.md that
// is a whole profile (an object with "tables", "extends" or "types") parses without error, so a
// change of the language cannot leave the documentation behind.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/profile.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

std::vector<std::string> ProfileBlocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  const std::string open = "```json\n";
  for (size_t at = markdown.find(open); at != std::string::npos; at = markdown.find(open, at + 1)) {
    const size_t start = at + open.size();
    const size_t end = markdown.find("```", start);
    if (end == std::string::npos) break;
    const std::string block = markdown.substr(start, end - start);
    const bool whole = block.starts_with("{\n") && block.find("\"command\"") == std::string::npos;
    const bool profile = block.find("\"tables\"") != std::string::npos ||
                         block.find("\"extends\"") != std::string::npos ||
                         block.find("\"types\"") != std::string::npos;
    if (whole && profile) blocks.push_back(block);
  }
  return blocks;
}

TEST(ReadmeExamples, EveryWholeProfileExampleLoads) {
  const std::string readme = testing::ReadFile(std::string(SEEDFORGE_SOURCE_DIR) + "/README.md");
  const std::vector<std::string> blocks = ProfileBlocks(readme);
  // The profile keys example, the declared shop and the enum types example at least.
  EXPECT_GE(blocks.size(), 3u);
  for (const std::string& block : blocks) {
    auto profile = ParseProfile(block, "README.md", "");
    EXPECT_TRUE(profile.ok()) << profile.status().message() << "\n" << block;
  }
}

}  // namespace
}  // namespace seedforge
