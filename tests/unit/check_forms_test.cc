// The CHECK forms `seedforge init` reads (tools/check_forms.h), on definitions as
// pg_get_constraintdef() prints them (copied from PostgreSQL 15 for the CHECKs in comments).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tools/check_forms.h"

namespace seedforge {
namespace {

TEST(CheckForms, BoundsOfNumbersFromComparisonsAndBetween) {
  std::map<std::string, ColumnBounds> bounds;
  std::vector<ColumnOrder> orders;
  // CHECK (score BETWEEN -100 AND 100)
  ASSERT_TRUE(
      ReadCheck("CHECK (((score >= '-100'::integer) AND (score <= 100)))", &bounds, &orders));
  // CHECK (price > 0), then a weaker bound on the same column changes nothing.
  ASSERT_TRUE(ReadCheck("CHECK ((price > (0)::numeric))", &bounds, &orders));
  ASSERT_TRUE(ReadCheck("CHECK ((price >= (0)::numeric))", &bounds, &orders));
  // CHECK (10 > "Level"): the constant first, a quoted column.
  ASSERT_TRUE(ReadCheck("CHECK ((10 > \"Level\"))", &bounds, &orders));
  EXPECT_EQ(bounds["score"].min, -100);
  EXPECT_FALSE(bounds["score"].min_strict);
  EXPECT_EQ(bounds["score"].max, 100);
  EXPECT_EQ(bounds["price"].min, 0);
  EXPECT_TRUE(bounds["price"].min_strict);
  EXPECT_FALSE(bounds["price"].max.has_value());
  EXPECT_EQ(bounds["Level"].max, 10);
  EXPECT_TRUE(bounds["Level"].max_strict);
  EXPECT_TRUE(orders.empty());
}

TEST(CheckForms, ListsLengthsAndOrdersOfColumns) {
  std::map<std::string, ColumnBounds> bounds;
  std::vector<ColumnOrder> orders;
  // CHECK (size IN ('S', 'M', 'it''s')) on a varchar column
  ASSERT_TRUE(
      ReadCheck("CHECK (((size)::text = ANY ((ARRAY['S'::character varying, "
                "'M'::character varying, 'it''s'::character varying])::text[])))",
                &bounds, &orders));
  // CHECK (priority IN (1, 2, 3))
  ASSERT_TRUE(ReadCheck("CHECK ((priority = ANY (ARRAY[1, 2, 3])))", &bounds, &orders));
  // CHECK (char_length(code) <= 24 AND code <> '')
  ASSERT_TRUE(
      ReadCheck("CHECK (((char_length((code)::text) <= 24) AND ((code)::text <> "
                "''::text)))",
                &bounds, &orders));
  // CHECK (ends_at > starts_at), CHECK (low <= high)
  ASSERT_TRUE(ReadCheck("CHECK ((ends_at > starts_at))", &bounds, &orders));
  ASSERT_TRUE(ReadCheck("CHECK ((low <= high)) NOT VALID", &bounds, &orders));
  ASSERT_TRUE(ReadCheck("CHECK ((note IS NOT NULL))", &bounds, &orders));
  EXPECT_EQ(bounds["size"].values, (std::vector<std::string>{"S", "M", "it's"}));
  EXPECT_FALSE(bounds["size"].numeric_values);
  EXPECT_EQ(bounds["priority"].values, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_TRUE(bounds["priority"].numeric_values);
  EXPECT_EQ(bounds["code"].max_length, 24);
  EXPECT_EQ(bounds["code"].min_length, 1);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].lower, "starts_at");
  EXPECT_EQ(orders[0].upper, "ends_at");
  EXPECT_TRUE(orders[0].strict);
  EXPECT_EQ(orders[1].lower, "low");
  EXPECT_EQ(orders[1].upper, "high");
  EXPECT_FALSE(orders[1].strict);
  EXPECT_EQ(CheckExpression("CHECK ((low <= high)) NOT VALID"), "((low <= high))");
}

TEST(CheckForms, AnOrHoldsThroughItsFirstSimpleBranch) {
  std::map<std::string, ColumnBounds> bounds;
  std::vector<ColumnOrder> orders;
  // CHECK (finished_at IS NULL OR finished_at >= started_at)
  ASSERT_TRUE(ReadCheck("CHECK (((finished_at IS NULL) OR (finished_at >= started_at)))", &bounds,
                        &orders));
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].lower, "started_at");
  EXPECT_EQ(orders[0].upper, "finished_at");
  EXPECT_FALSE(orders[0].strict);
  // CHECK (code ~ '^x' OR length(code) <= 3): the second branch is the one read.
  ASSERT_TRUE(ReadCheck("CHECK (((code ~ '^x'::text) OR (length(code) <= 3)))", &bounds, &orders));
  EXPECT_EQ(bounds["code"].max_length, 3);
  EXPECT_TRUE(bounds.find("finished_at") == bounds.end());
}

TEST(CheckForms, OtherFormsAreNotRead) {
  std::map<std::string, ColumnBounds> bounds;
  std::vector<ColumnOrder> orders;
  for (const char* definition : {
           "CHECK ((code ~ '^[A-Z]+$'::text))",                    // a regular expression
           "CHECK (((a ~ 'x'::text) OR (b ~ 'y'::text)))",         // OR of other forms
           "CHECK ((lower(email) = email))",                       // a function of a column
           "CHECK (((quantity * unit_price) < (1000)::numeric))",  // arithmetic
           "CHECK ((a <> b))",                                     // two columns that differ
       }) {
    EXPECT_FALSE(ReadCheck(definition, &bounds, &orders)) << definition;
  }
}

}  // namespace
}  // namespace seedforge
