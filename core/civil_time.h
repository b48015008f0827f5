// Calendar arithmetic and timestamp text, without the C library's time zone machinery.
//
// All times in seedforge are UTC microseconds since the Unix epoch. These helpers convert between
// that and calendar fields (Howard Hinnant's days_from_civil algorithm), format into a caller's
// stack buffer (no allocation), and parse the ISO 8601 form used in profiles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace seedforge {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;
inline constexpr int64_t kMicrosPerWeek = 7 * kMicrosPerDay;
// PostgreSQL's binary timestamps count from 2000-01-01T00:00:00Z.
inline constexpr int64_t kPostgresEpochUnixMicros = 946'684'800LL * kMicrosPerSecond;

// Days since 1970-01-01 for a proleptic Gregorian date. REQUIRES: 1 <= month <= 12.
constexpr int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

constexpr CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

// Floor division for negative timestamps.
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Day of week of a Unix timestamp, 0 = Monday ... 6 = Sunday.
constexpr int DayOfWeek(int64_t unix_micros) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int64_t days = FloorDiv(unix_micros, kMicrosPerDay);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

enum class TimestampStyle {
  kPostgres,  // 2024-01-02 03:04:05.123456+00 (COPY text and CSV)
  kIso8601,   // 2024-01-02T03:04:05.123456Z (JSON)
};

// Longest output of FormatTimestamp.
inline constexpr size_t kMaxTimestampChars = 40;

// Writes the timestamp into `out` (at least kMaxTimestampChars bytes) and returns the length. The
// fraction is omitted when it is zero, otherwise printed with six digits.
size_t FormatTimestamp(int64_t unix_micros, TimestampStyle style, char* out);

// Parses "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)" (a space may replace the 'T').
// Returns false if the text is not of that form or names an impossible date or time.
bool ParseIso8601(std::string_view text, int64_t* unix_micros);

}  // namespace seedforge
