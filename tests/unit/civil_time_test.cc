// Calendar arithmetic against known dates (from any calendar), and ISO 8601 parsing.
#include <gtest/gtest.h>

#include <string>

#include "core/civil_time.h"

namespace seedforge {
namespace {

std::string Format(int64_t micros, TimestampStyle style) {
  char buffer[kMaxTimestampChars];
  return std::string(buffer, FormatTimestamp(micros, style, buffer));
}

TEST(CivilTime, KnownDatesMapToKnownDayCounts) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 1, 1), 10957);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  const CivilDate leap = CivilFromDays(19782);
  EXPECT_EQ(leap.year, 2024);
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
}

TEST(CivilTime, DayOfWeekStartsOnMonday) {
  EXPECT_EQ(DayOfWeek(0), 3);                                          // 1970-01-01 was a Thursday
  EXPECT_EQ(DayOfWeek(DaysFromCivil(2024, 1, 1) * kMicrosPerDay), 0);  // a Monday
  EXPECT_EQ(DayOfWeek(DaysFromCivil(2025, 11, 23) * kMicrosPerDay), 6);  // a Sunday
}

TEST(CivilTime, FormatsPostgresAndIsoStyles) {
  const int64_t t = 1704164645000006;  // 2024-01-02T03:04:05.000006Z
  EXPECT_EQ(Format(t, TimestampStyle::kPostgres), "2024-01-02 03:04:05.000006+00");
  EXPECT_EQ(Format(t, TimestampStyle::kIso8601), "2024-01-02T03:04:05.000006Z");
  EXPECT_EQ(Format(1704164645000000, TimestampStyle::kIso8601), "2024-01-02T03:04:05Z");
  EXPECT_EQ(Format(-1, TimestampStyle::kIso8601), "1969-12-31T23:59:59.999999Z");
}

TEST(CivilTime, ParsesIso8601WithZoneAndRejectsNonsense) {
  int64_t t = 0;
  ASSERT_TRUE(ParseIso8601("2024-01-02T03:04:05.000006Z", &t));
  EXPECT_EQ(t, 1704164645000006);
  ASSERT_TRUE(ParseIso8601("2024-01-02T05:04:05+02:00", &t));
  EXPECT_EQ(t, 1704164645000000);
  EXPECT_FALSE(ParseIso8601("2024-01-02T03:04:05", &t));   // no zone
  EXPECT_FALSE(ParseIso8601("2023-02-29T00:00:00Z", &t));  // not a leap year
  EXPECT_FALSE(ParseIso8601("2024-01-02T24:00:00Z", &t));
  EXPECT_FALSE(ParseIso8601("yesterday", &t));
}

}  // namespace
}  // namespace seedforge
