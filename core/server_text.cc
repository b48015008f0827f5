// Server text of key values (see server_text.h). Each function mirrors the output function of its
// type for the values generators write; what it cannot mirror exactly (dates before 1 AD, IPv6)
// it reports, so that a caller never compares a value in a form the server would not print.
#include "core/server_text.h"

#include <string>

#include "core/civil_time.h"

namespace seedforge {
namespace {

void AppendPadded(int64_t value, int width, std::string* out) {
  const std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    out->append(static_cast<size_t>(width) - digits.size(), '0');
  }
  out->append(digits);
}

void AppendHex(uint8_t byte, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out->push_back(kDigits[byte >> 4]);
  out->push_back(kDigits[byte & 15]);
}

// "HH:MM:SS[.f...]" of microseconds within a day (24:00:00 included).
void AppendClock(int64_t micros, std::string* out) {
  const int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  AppendPadded(seconds / 3600, 2, out);
  out->push_back(':');
  AppendPadded(seconds / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(seconds % 60, 2, out);
  if (fraction == 0) return;
  int digits = 6;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  out->push_back('.');
  AppendPadded(fraction, digits, out);
}

// "YYYY-MM-DD"; false before 1 AD.
bool AppendCivilDate(int64_t days, std::string* out) {
  const CivilDate date = CivilFromDays(days);
  if (date.year < 1) return false;
  AppendPadded(date.year, 4, out);
  out->push_back('-');
  AppendPadded(date.month, 2, out);
  out->push_back('-');
  AppendPadded(date.day, 2, out);
  return true;
}

}  // namespace

void AppendIntegerServerText(int64_t value, std::string* out) {
  out->append(std::to_string(value));
}

void AppendNumericServerText(int64_t unscaled, int scale, std::string* out) {
  const uint64_t magnitude =
      unscaled < 0 ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  std::string digits = std::to_string(magnitude);
  if (scale > 0 && digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  if (unscaled < 0) out->push_back('-');
  if (scale <= 0) {
    out->append(digits);
    return;
  }
  out->append(digits, 0, digits.size() - static_cast<size_t>(scale));
  out->push_back('.');
  out->append(digits, digits.size() - static_cast<size_t>(scale), std::string::npos);
}

void AppendBoolServerText(bool value, std::string* out) { out->push_back(value ? 't' : 'f'); }

bool AppendDateServerText(int32_t days, std::string* out) { return AppendCivilDate(days, out); }

void AppendTimeServerText(int64_t micros, std::string* out) { AppendClock(micros, out); }

bool AppendTimestampServerText(int64_t micros, bool with_zone, std::string* out) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  if (!AppendCivilDate(days, out)) return false;
  out->push_back(' ');
  AppendClock(micros - days * kMicrosPerDay, out);
  if (with_zone) out->append("+00");
  return true;
}

void AppendUuidServerText(const uint8_t (&bytes)[16], std::string* out) {
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    AppendHex(bytes[i], out);
  }
}

void AppendMacServerText(const uint8_t (&bytes)[6], std::string* out) {
  for (int i = 0; i < 6; ++i) {
    if (i > 0) out->push_back(':');
    AppendHex(bytes[i], out);
  }
}

void AppendInet4ServerText(uint32_t address, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->append(std::to_string(address >> shift & 255));
    if (shift > 0) out->push_back('.');
  }
}

bool AppendInetServerText(const IpAddress& address, std::string* out) {
  if (address.v6) return false;
  const uint32_t v4 = static_cast<uint32_t>(address.bytes[0]) << 24 |
                      static_cast<uint32_t>(address.bytes[1]) << 16 |
                      static_cast<uint32_t>(address.bytes[2]) << 8 | address.bytes[3];
  AppendInet4ServerText(v4, out);
  if (address.prefix != 32) {
    out->push_back('/');
    out->append(std::to_string(address.prefix));
  }
  return true;
}

}  // namespace seedforge
