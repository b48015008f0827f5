// The commands for writing a profile, as a user runs them: `seedforge profiles` lists every
// built-in profile with the rows a fresh seed makes of each table, `profiles show` prints a
// profile with its "extends" chain merged, `preview` shows the first rows without a database.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ProcessResult;
using testing::RunSeedforge;

TEST(ProfilesCli, ListsEachBuiltinWithItsTablesTargetsAndDescription) {
  const ProcessResult result = RunSeedforge({"profiles"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Two lines a profile; the name column is as wide as "travelers-large".
  const std::string indent(15 + 2, ' ');
  EXPECT_TRUE(result.out.starts_with(
      "default" + std::string(15 - 7 + 2, ' ') +
      "Small fleet for development: 5 users, 10 applications, 100 assets, 20 deployments, 100 "
      "events\n" +
      indent + "users=5 applications=10 assets=100 deployments=20 events=100\n"))
      << result.out;
  // A per-parent table shows the count derived for a fresh seed (197 generated travelers and 3
  // fixtures, which have no steps).
  EXPECT_NE(result.out.find("\ntravelers" + std::string(15 - 9 + 2, ' ') +
                            "Manufacturing travelers: 200 jobs with 1 to 12 routing steps each\n" +
                            indent + "travelers=200 routing_steps=1,267\n"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(ProfilesCli, ShowPrintsTheMergedChainWithoutExtends) {
  const ProcessResult result = RunSeedforge({"profiles", "show", "large"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with("{\n  \"name\": \"large\",\n")) << result.out;
  EXPECT_NE(result.out.find("\"users\": 1000"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"gen\": \"bool\",\n          \"rate\": 0.92"), std::string::npos)
      << result.out;  // default's is_active
  EXPECT_EQ(result.out.find("\"extends\""), std::string::npos) << result.out;
  EXPECT_TRUE(result.out.ends_with("}\n")) << result.out;
}

TEST(ProfilesCli, ShowOfAnUnknownProfileSaysWhatLoadingSays) {
  const ProcessResult result = RunSeedforge({"profiles", "show", "nosuch"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "seedforge: error: unknown profile 'nosuch' (built-in profiles: default, large, "
            "storefront, theatre, theatre-large, trading, travelers, travelers-large, xl; or give "
            "the path of a .json file)\n");
}

TEST(PreviewCli, ShowsTheFirstRowsOfOneTableInColumnOrder) {
  const ProcessResult result = RunSeedforge(
      {"preview", "--profile", "travelers", "--table", "routing_steps", "--rows", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "routing_steps: 1,267 rows, showing 2\n"
      "id | traveler_id | step_number | operation | work_center | estimated_minutes | status "
      " | started_at\n"
      "---+-------------+-------------+-----------+-------------+-------------------+--------"
      "-+-----------\n"
      "1  | 1           | 1           | Pack      | WC-17       | 265               | pending "
      "| NULL\n"
      "2  | 2           | 1           | Machine   | WC-64       | 90                | pending "
      "| NULL\n");
  EXPECT_EQ(result.err, "");
}

TEST(PreviewCli, ZeroRowsShowsOnlyTheHeadings) {
  const ProcessResult result = RunSeedforge({"preview", "--profile", "travelers", "--rows", "0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "travelers: 200 rows, showing 0\n"
      "id | job_number | work_order | part_number | part_description | revision | quantity | "
      "customer | status | due_date | created_at\n"
      "---+------------+------------+-------------+------------------+----------+----------+-"
      "---------+--------+----------+-----------\n"
      "\n"
      "routing_steps: 1,267 rows, showing 0\n"
      "id | traveler_id | step_number | operation | work_center | estimated_minutes | status | "
      "started_at\n"
      "---+-------------+-------------+-----------+-------------+-------------------+--------+-"
      "----------\n");
}

TEST(PreviewCli, WidthCutsLongValues) {
  const ProcessResult result =
      RunSeedforge({"preview", "--table", "users", "--rows", "1", "--width", "8"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.out.find("\n1  | evely... | evely... | Evely...  | Product    | IT Ad... | t      "
                      "   | NULL       | 2024-...\n"),
      std::string::npos)
      << result.out;
}

TEST(PreviewCli, UnknownTableNamesItAndListsTheProfilesTables) {
  const ProcessResult result =
      RunSeedforge({"preview", "--profile", "travelers", "--table", "steps"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "seedforge: error: --table: profile travelers has no table 'steps' (its tables: "
            "travelers, routing_steps)\n");
}

TEST(PreviewCli, BadProfileAndBadCountsAreRefused) {
  ProcessResult result = RunSeedforge({"preview", "--profile", "nosuch"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("seedforge: error: unknown profile 'nosuch' ")) << result.err;
  result = RunSeedforge({"preview", "--rows", "-1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: --rows must be between 0 and 100,000, got -1\n");
  result = RunSeedforge({"preview", "--width", "0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: --width must be between 1 and 1000 characters, got 0\n");
}

}  // namespace
}  // namespace seedforge
