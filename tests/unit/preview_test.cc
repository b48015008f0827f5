// tools/preview.h's FormatPreview on hand-made tables, and engine/profile.h's
// ResolvedProfileJson on an "extends" chain written to a temporary folder.
#include "tools/preview.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

TEST(FormatPreview, AlignsColumnsCutsLongValuesAndShowsNull) {
  PreviewTable table;
  table.name = "parts";
  table.target = 1234;
  table.columns = {"id", "name", "note"};
  table.rows = {{"1", "bolt", std::nullopt},
                {"22", "a very long part name", "two\nlines"},
                {"3", "écrou", "tab\there"}};
  EXPECT_EQ(FormatPreview({table}, 10),
            "parts: 1,234 rows, showing 3\n"
            "id | name       | note\n"
            "---+------------+----------\n"
            "1  | bolt       | NULL\n"
            "22 | a very ... | two lines\n"
            "3  | écrou      | tab here\n");
}

TEST(FormatPreview, SeparatesTablesByAnEmptyLineAndShowsHeadersWithoutRows) {
  PreviewTable first;
  first.name = "a";
  first.target = 2;
  first.columns = {"id"};
  first.rows = {{"1"}};
  PreviewTable second;
  second.name = "b";
  second.target = 0;
  second.columns = {"id", "a_id"};
  EXPECT_EQ(FormatPreview({first, second}, 30),
            "a: 2 rows, showing 1\n"
            "id\n"
            "--\n"
            "1\n"
            "\n"
            "b: 0 rows, showing 0\n"
            "id | a_id\n"
            "---+-----\n");
}

TEST(FormatPreview, BelowFourCharactersCutsWithoutDots) {
  PreviewTable table;
  table.name = "t";
  table.target = 1;
  table.columns = {"code"};
  table.rows = {{"abcdef"}};
  EXPECT_EQ(FormatPreview({table}, 2), "t: 1 rows, showing 1\ncode\n----\nab\n");
}

TEST(ResolvedProfileJson, MergesTheChainBaseFirstWithoutExtendsAndKeepsOnlyTheFilesOwnName) {
  const std::string dir = testing::MakeTempDir("resolved-profile");
  std::filesystem::create_directories(dir + "/sub");
  std::ofstream(dir + "/base.json") << R"({"name": "base", "description": "Base",
    "seed": 7, "rows": {"users": 3, "assets": 4},
    "time_window": {"start": "2024-03-01T00:00:00Z", "end": "2025-03-01T00:00:00Z"}})";
  // Relative to the folder of the file that names it.
  std::ofstream(dir + "/sub/mid.json")
      << R"({"seed": 9, "extends": "../base.json", "name": "mid"})";
  std::ofstream(dir + "/sub/top.json") << R"({"extends": "mid.json", "rows": {"assets": 9},
    "time_window": {"end": "2025-06-01T00:00:00Z"}})";

  auto top = ResolvedProfileJson(dir + "/sub/top.json");
  auto mid = ResolvedProfileJson(dir + "/sub/mid.json");
  testing::RemoveTree(dir);
  ASSERT_TRUE(top.ok()) << top.status().message();
  EXPECT_EQ(*top,
            "{\n"
            "  \"description\": \"Base\",\n"
            "  \"seed\": 9,\n"
            "  \"rows\": {\n"
            "    \"users\": 3,\n"
            "    \"assets\": 9\n"
            "  },\n"
            "  \"time_window\": {\n"
            "    \"start\": \"2024-03-01T00:00:00Z\",\n"
            "    \"end\": \"2025-06-01T00:00:00Z\"\n"
            "  }\n"
            "}\n");
  ASSERT_TRUE(mid.ok()) << mid.status().message();
  EXPECT_EQ(*mid,
            "{\n"
            "  \"name\": \"mid\",\n"
            "  \"description\": \"Base\",\n"
            "  \"seed\": 9,\n"
            "  \"rows\": {\n"
            "    \"users\": 3,\n"
            "    \"assets\": 4\n"
            "  },\n"
            "  \"time_window\": {\n"
            "    \"start\": \"2024-03-01T00:00:00Z\",\n"
            "    \"end\": \"2025-03-01T00:00:00Z\"\n"
            "  }\n"
            "}\n");
}

TEST(ResolvedProfileJson, UnknownProfileGivesLoadProfilesError) {
  auto json = ResolvedProfileJson("nosuch");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(json.status().message(), LoadProfile("nosuch").status().message());
}

}  // namespace
}  // namespace seedforge
