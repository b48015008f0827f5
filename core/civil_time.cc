// Timestamp formatting and parsing. Formatting writes digits by hand into the caller's buffer:
// it runs once per timestamp value in the encoders' hot loop, so no snprintf and no allocation.
#include "core/civil_time.h"

#include <cstring>

namespace seedforge {
namespace {

char* PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

bool ReadDigits(std::string_view text, size_t pos, int width, int64_t* value) {
  if (pos + static_cast<size_t>(width) > text.size()) return false;
  int64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  return true;
}

int DaysInMonth(int64_t year, int64_t month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

size_t FormatTimestamp(int64_t unix_micros, TimestampStyle style, char* out) {
  const int64_t days = FloorDiv(unix_micros, kMicrosPerDay);
  int64_t micros_of_day = unix_micros - days * kMicrosPerDay;
  const CivilDate date = CivilFromDays(days);
  char* p = out;
  int64_t year = date.year;
  if (year < 0) {
    *p++ = '-';
    year = -year;
  }
  p = PutDigits(p, year, year > 9999 ? 5 : 4);
  *p++ = '-';
  p = PutDigits(p, date.month, 2);
  *p++ = '-';
  p = PutDigits(p, date.day, 2);
  *p++ = style == TimestampStyle::kIso8601 ? 'T' : ' ';
  const int64_t hour = micros_of_day / kMicrosPerHour;
  micros_of_day -= hour * kMicrosPerHour;
  const int64_t minute = micros_of_day / kMicrosPerMinute;
  micros_of_day -= minute * kMicrosPerMinute;
  const int64_t second = micros_of_day / kMicrosPerSecond;
  const int64_t fraction = micros_of_day - second * kMicrosPerSecond;
  p = PutDigits(p, hour, 2);
  *p++ = ':';
  p = PutDigits(p, minute, 2);
  *p++ = ':';
  p = PutDigits(p, second, 2);
  if (fraction != 0) {
    *p++ = '.';
    p = PutDigits(p, fraction, 6);
  }
  if (style == TimestampStyle::kIso8601) {
    *p++ = 'Z';
  } else {
    *p++ = '+';
    *p++ = '0';
    *p++ = '0';
  }
  return static_cast<size_t>(p - out);
}

bool ParseIso8601(std::string_view text, int64_t* unix_micros) {
  int64_t year, month, day, hour, minute, second;
  if (!ReadDigits(text, 0, 4, &year) || text.size() < 19 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != ' ') || !ReadDigits(text, 11, 2, &hour) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, &minute) || text[16] != ':' || !ReadDigits(text, 17, 2, &second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return false;
  }
  size_t pos = 19;
  int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) fraction *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    int64_t oh, om;
    if (!ReadDigits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return false;  // a time zone is required: data must not depend on the local zone
  }
  if (pos != text.size()) return false;
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  *unix_micros = days * kMicrosPerDay + hour * kMicrosPerHour + minute * kMicrosPerMinute +
                 second * kMicrosPerSecond + fraction - offset_minutes * kMicrosPerMinute;
  return true;
}

}  // namespace seedforge
