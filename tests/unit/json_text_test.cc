// MergeJsonObjects and PrettyJson (engine/json_text.h).
#include "engine/json_text.h"

#include <gtest/gtest.h>

namespace seedforge {
namespace {

TEST(JsonText, MergeReplacesScalarsAndArraysAndMergesObjects) {
  auto merged = MergeJsonObjects(
      R"({"name": "base", "rows": {"a": 1, "b": 2}, "list": [1, 2], "keep": {"x": true}})",
      R"({"rows": {"b": 20, "c": 30}, "list": [3], "name": "child", "new": null})");
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(*merged, R"({"name":"child","rows":{"a":1,"b":20,"c":30},"list":[3],"keep":{"x":true},)"
                     R"("new":null})");
}

TEST(JsonText, MergeReplacesAnObjectByAScalarAndEscapesKeys) {
  auto merged = MergeJsonObjects(R"({"a\"b": {"x": 1}, "t": {"y": 2}})", R"({"t": 5})");
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, R"({"a\"b":{"x":1},"t":5})");
}

TEST(JsonText, MergeRefusesWhatIsNotAnObject) {
  EXPECT_EQ(MergeJsonObjects("[1]", "{}").status().message(),
            "the base of the merge is not a JSON object");
  EXPECT_EQ(MergeJsonObjects("{}", "{").status().message(),
            "the overlay of the merge is not a JSON object");
}

TEST(JsonText, PrettyIndentsAndKeepsShortScalarArraysOnOneLine) {
  auto pretty = PrettyJson(
      R"({"name":"t","values":["a","b"],"empty":{},"nested":{"rows":[{"k":1},{"k":2}]},"n":[]})");
  ASSERT_TRUE(pretty.ok());
  EXPECT_EQ(*pretty,
            "{\n"
            "  \"name\": \"t\",\n"
            "  \"values\": [\"a\", \"b\"],\n"
            "  \"empty\": {},\n"
            "  \"nested\": {\n"
            "    \"rows\": [\n"
            "      {\n"
            "        \"k\": 1\n"
            "      },\n"
            "      {\n"
            "        \"k\": 2\n"
            "      }\n"
            "    ]\n"
            "  },\n"
            "  \"n\": []\n"
            "}\n");
  EXPECT_EQ(PrettyJson("{").status().message(), "not valid JSON");
}

}  // namespace
}  // namespace seedforge
