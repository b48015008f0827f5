// The five row writers.
//
// Each writer appends straight into the batch's ByteBuffer: numbers through std::to_chars into the
// buffer's spare capacity, timestamps through FormatTimestamp into a stack buffer, text with a
// scan that copies runs of plain bytes in one memcpy and escapes only what the format needs. No
// allocation per value. Writers track the column index only where the format needs it (a
// separator before every column but the first; JSON keys; binary COPY's array element types).
//
// Arrays are written in place: a text writer switches its separator to ',' and quotes string-like
// elements with the array literal's escapes under the format's own (COPY text's backslashes,
// CSV's doubled quotes); the binary writer leaves the array's length, null flag and element count
// as zeros and patches them at EndArray(). Every value type renders into the buffer's spare
// capacity or a bounded stack buffer, so arrays allocate nothing either.
#include "sinks/encoding.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "core/civil_time.h"
#include "core/text_search.h"

namespace seedforge {
namespace {

inline void AppendInt(ByteBuffer& out, int64_t value) {
  char* p = out.Extend(24);
  out.Commit(static_cast<size_t>(std::to_chars(p, p + 24, value).ptr - p));
}

inline void AppendTimestamp(ByteBuffer& out, int64_t micros, TimestampStyle style) {
  char* p = out.Extend(kMaxTimestampChars);
  out.Commit(FormatTimestamp(micros, style, p));
}

void AppendNumeric2(ByteBuffer& out, int64_t hundredths) {
  uint64_t magnitude =
      hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  if (hundredths < 0) out.Push('-');
  char* p = out.Extend(24);
  char* end = std::to_chars(p, p + 24, magnitude / 100).ptr;
  *end++ = '.';
  *end++ = static_cast<char>('0' + magnitude % 100 / 10);
  *end++ = static_cast<char>('0' + magnitude % 10);
  out.Commit(static_cast<size_t>(end - p));
}

void AppendInet4(ByteBuffer& out, uint32_t address) {
  char* p = out.Extend(16);
  char* q = p;
  for (int shift = 24; shift >= 0; shift -= 8) {
    q = std::to_chars(q, q + 3, (address >> shift) & 0xFF).ptr;
    if (shift != 0) *q++ = '.';
  }
  out.Commit(static_cast<size_t>(q - p));
}

void AppendMac(ByteBuffer& out, const uint8_t (&bytes)[6]) {
  static constexpr char kHex[] = "0123456789abcdef";
  char* p = out.Extend(17);
  for (int i = 0; i < 6; ++i) {
    p[3 * i] = kHex[bytes[i] >> 4];
    p[3 * i + 1] = kHex[bytes[i] & 0xF];
    if (i != 5) p[3 * i + 2] = ':';
  }
  out.Commit(17);
}

// --- Renderers of the other types: each writes into `p` (room for its stated maximum) and
// returns the end. ------------------------------------------------------------------------------

constexpr char kHexDigits[] = "0123456789abcdef";
// 1970-01-01 to 2000-01-01, the epoch of binary dates.
constexpr int32_t kPostgresEpochUnixDays = 10957;

char* PutPadded(char* p, uint64_t value, int width) {
  char digits[24];
  const int length = static_cast<int>(std::to_chars(digits, digits + 24, value).ptr - digits);
  for (int i = length; i < width; ++i) *p++ = '0';
  for (int i = 0; i < length; ++i) *p++ = digits[i];
  return p;
}

// YYYY-MM-DD with at least four year digits; `*bc` is set for years before 1 AD, which PostgreSQL
// writes as the positive year followed by " BC" (year 0 is 1 BC). At most 14 bytes.
char* PutDate(char* p, int64_t days, bool* bc) {
  const CivilDate date = CivilFromDays(days);
  *bc = date.year <= 0;
  p = PutPadded(p, static_cast<uint64_t>(*bc ? 1 - date.year : date.year), 4);
  *p++ = '-';
  p = PutPadded(p, date.month, 2);
  *p++ = '-';
  return PutPadded(p, date.day, 2);
}

constexpr size_t kMaxDateChars = 24;

// A date as the server writes it: YYYY-MM-DD, then " BC" for years before 1 AD.
char* PutDateText(char* p, int64_t days) {
  bool bc = false;
  p = PutDate(p, days, &bc);
  return bc ? std::copy_n(" BC", 3, p) : p;
}

constexpr size_t kMaxClockChars = 32;

// HH:MM:SS[.ffffff] of `micros` (>= 0; hours may pass 24, as an interval's do). At most 29 bytes.
char* PutClock(char* p, uint64_t micros) {
  const uint64_t seconds = micros / 1000000;
  const uint64_t fraction = micros % 1000000;
  p = PutPadded(p, seconds / 3600, 2);
  *p++ = ':';
  p = PutPadded(p, seconds / 60 % 60, 2);
  *p++ = ':';
  p = PutPadded(p, seconds % 60, 2);
  if (fraction != 0) {
    *p++ = '.';
    p = PutPadded(p, fraction, 6);
  }
  return p;
}

constexpr size_t kMaxLocalTimestampChars = 48;

// timestamp without time zone: date, ' ' or 'T', clock, then " BC" when needed.
char* PutLocalTimestamp(char* p, int64_t micros, char separator) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  bool bc = false;
  p = PutDate(p, days, &bc);
  *p++ = separator;
  p = PutClock(p, static_cast<uint64_t>(micros - days * kMicrosPerDay));
  if (bc) p = std::copy_n(" BC", 3, p);
  return p;
}

constexpr size_t kMaxPointChars = 2 * 32 + 3;

// A point as point_out prints it: (x,y).
char* PutPoint(char* p, double x, double y);

constexpr size_t kMaxIntervalChars = 64;

// "M mons D days [-]HH:MM:SS[.ffffff]", which interval_in reads whatever the signs.
char* PutInterval(char* p, int32_t months, int32_t days, int64_t micros) {
  p = std::to_chars(p, p + 12, months).ptr;
  p = std::copy_n(" mons ", 6, p);
  p = std::to_chars(p, p + 12, days).ptr;
  p = std::copy_n(" days ", 6, p);
  if (micros < 0) *p++ = '-';
  return PutClock(p,
                  micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros));
}

constexpr size_t kMaxFloatChars = 32;

// The shortest text that reads back as `value`, or the server's names of NaN and the infinities.
template <typename Float>
char* PutFloat(char* p, Float value) {
  if (std::isnan(value)) return std::copy_n("NaN", 3, p);
  if (std::isinf(value))
    return value < 0 ? std::copy_n("-Infinity", 9, p) : std::copy_n("Infinity", 8, p);
  return std::to_chars(p, p + kMaxFloatChars, value).ptr;
}

// Room for Numeric(unscaled, kMaxScale): sign, 19 digits, point and up to 1000 fraction digits.
constexpr int kMaxScale = 1000;
constexpr size_t kMaxNumericChars = kMaxScale + 24;

// unscaled / 10^scale with exactly `scale` fraction digits.
char* PutNumeric(char* p, int64_t unscaled, int scale) {
  assert(scale >= 0 && scale <= kMaxScale);
  const uint64_t magnitude =
      unscaled < 0 ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  if (unscaled < 0) *p++ = '-';
  char digits[24];
  const int length = static_cast<int>(std::to_chars(digits, digits + 24, magnitude).ptr - digits);
  if (scale == 0) return std::copy_n(digits, length, p);
  if (length <= scale) {
    *p++ = '0';
    *p++ = '.';
    for (int i = length; i < scale; ++i) *p++ = '0';
    return std::copy_n(digits, length, p);
  }
  p = std::copy_n(digits, length - scale, p);
  *p++ = '.';
  return std::copy_n(digits + (length - scale), scale, p);
}

// A decimal's parts: sign, integer digits without leading zeros (maybe empty), fraction digits.
struct DecimalParts {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
};

DecimalParts SplitDecimal(std::string_view text) {
  DecimalParts parts;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    parts.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  parts.integer = text.substr(0, point);
  if (point != std::string_view::npos) parts.fraction = text.substr(point + 1);
  while (!parts.integer.empty() && parts.integer[0] == '0') parts.integer.remove_prefix(1);
  return parts;
}

// The text form of a decimal: leading zeros dropped (one kept before the point).
void AppendDecimalText(ByteBuffer& out, const DecimalParts& parts) {
  if (parts.negative) out.Push('-');
  if (parts.integer.empty()) {
    out.Push('0');
  } else {
    out.Append(parts.integer);
  }
  if (!parts.fraction.empty()) {
    out.Push('.');
    out.Append(parts.fraction);
  }
}

// numeric_send's form of a decimal: ndigits, weight, sign, dscale, then base-10000 digits, all
// int16, the digits aligned on the point and without leading or trailing zero groups; zero is
// no digits, weight 0, positive.
void AppendNumericBinary(ByteBuffer& out, const DecimalParts& parts) {
  const int integer_length = static_cast<int>(parts.integer.size());
  const int fraction_length = static_cast<int>(parts.fraction.size());
  // The digit at 10^exponent.
  auto digit = [&](int exponent) -> int {
    if (exponent >= 0) {
      return exponent < integer_length ? parts.integer[integer_length - 1 - exponent] - '0' : 0;
    }
    return -exponent <= fraction_length ? parts.fraction[-exponent - 1] - '0' : 0;
  };
  // Group g holds 10^(4g+3) .. 10^(4g).
  auto group = [&](int g) {
    return static_cast<uint16_t>(digit(4 * g + 3) * 1000 + digit(4 * g + 2) * 100 +
                                 digit(4 * g + 1) * 10 + digit(4 * g));
  };
  int high = integer_length > 0 ? (integer_length - 1) / 4 : -1;
  int low = static_cast<int>(FloorDiv(-fraction_length, 4));
  while (high >= low && group(high) == 0) --high;
  while (low <= high && group(low) == 0) ++low;
  const int count = high >= low ? high - low + 1 : 0;
  out.AppendBigEndian32(static_cast<uint32_t>(8 + 2 * count));
  out.AppendBigEndian16(static_cast<uint16_t>(count));
  out.AppendBigEndian16(static_cast<uint16_t>(count == 0 ? 0 : high));
  out.AppendBigEndian16(count != 0 && parts.negative ? 0x4000 : 0x0000);
  out.AppendBigEndian16(static_cast<uint16_t>(fraction_length));
  for (int g = high; g >= low; --g) out.AppendBigEndian16(group(g));
}

char* PutPoint(char* p, double x, double y) {
  *p++ = '(';
  p = PutFloat(p, x);
  *p++ = ',';
  p = PutFloat(p, y);
  *p++ = ')';
  return p;
}

constexpr size_t kMaxUuidChars = 36;

char* PutUuid(char* p, const uint8_t (&bytes)[16]) {
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = kHexDigits[bytes[i] >> 4];
    *p++ = kHexDigits[bytes[i] & 0xF];
  }
  return p;
}

constexpr size_t kMaxIpChars = 64;

// What network_out prints: IPv4 dotted, IPv6 as inet_net_ntop does (RFC 5952: the first longest
// run of two or more zero groups as "::", an IPv4-compatible or -mapped address with its last 32
// bits dotted), then "/prefix" for a cidr or a prefix short of the full width.
char* PutIp(char* p, const IpAddress& address, bool cidr) {
  const uint8_t* bytes = address.bytes;
  auto dotted = [&](const uint8_t* four) {
    for (int i = 0; i < 4; ++i) {
      p = std::to_chars(p, p + 3, four[i]).ptr;
      if (i != 3) *p++ = '.';
    }
  };
  if (!address.v6) {
    dotted(bytes);
  } else {
    uint32_t words[8];
    for (int i = 0; i < 8; ++i)
      words[i] = static_cast<uint32_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    int best_base = -1, best_length = 0, base = -1, length = 0;
    for (int i = 0; i <= 8; ++i) {
      if (i < 8 && words[i] == 0) {
        if (base < 0) base = i, length = 0;
        ++length;
      } else if (base >= 0) {
        if (length > best_length) best_base = base, best_length = length;
        base = -1;
      }
    }
    if (best_length < 2) best_base = -1;
    for (int i = 0; i < 8; ++i) {
      if (best_base >= 0 && i >= best_base && i < best_base + best_length) {
        if (i == best_base) *p++ = ':';
        continue;
      }
      if (i != 0) *p++ = ':';
      if (i == 6 && best_base == 0 &&
          (best_length == 6 || (best_length == 5 && words[5] == 0xffff))) {
        dotted(bytes + 12);
        break;
      }
      p = std::to_chars(p, p + 4, words[i], 16).ptr;
    }
    if (best_base >= 0 && best_base + best_length == 8) *p++ = ':';
  }
  if (cidr || address.prefix != (address.v6 ? 128 : 32)) {
    *p++ = '/';
    p = std::to_chars(p, p + 3, address.prefix).ptr;
  }
  return p;
}

// Two lower-case hex digits per byte.
void AppendHex(ByteBuffer& out, std::span<const uint8_t> bytes) {
  char* p = out.Extend(2 * bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    p[2 * i] = kHexDigits[bytes[i] >> 4];
    p[2 * i + 1] = kHexDigits[bytes[i] & 0xF];
  }
  out.Commit(2 * bytes.size());
}

// Renders with `put` into the buffer's spare capacity.
template <size_t kMax, typename Put>
inline void AppendRendered(ByteBuffer& out, Put&& put) {
  char* p = out.Extend(kMax);
  out.Commit(static_cast<size_t>(put(p) - p));
}

// Appends `text` with the escapes of COPY text format: backslash, tab, newline, carriage return.
void AppendCopyEscaped(ByteBuffer& out, std::string_view text) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* escape = nullptr;
    switch (c) {
      case '\\':
        escape = "\\\\";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      default:
        continue;
    }
    out.Append(text.data() + run, i - run);
    out.Append(escape, 2);
    run = i + 1;
  }
  out.Append(text.data() + run, text.size() - run);
}

// Appends `text` as the inside of a JSON string (without the quotes).
void AppendJsonEscaped(ByteBuffer& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.Append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.Append("\\\"", 2);
        break;
      case '\\':
        out.Append("\\\\", 2);
        break;
      case '\n':
        out.Append("\\n", 2);
        break;
      case '\r':
        out.Append("\\r", 2);
        break;
      case '\t':
        out.Append("\\t", 2);
        break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.Append(escaped, 6);
      }
    }
  }
  out.Append(text.data() + run, text.size() - run);
}

// Appends a CSV field, quoted only when it must be (or when it is empty, to tell it from NULL).
void AppendCsvField(ByteBuffer& out, std::string_view text) {
  bool needs_quotes = text.empty();
  for (const char c : text) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out.Append(text);
    return;
  }
  out.Push('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    out.Append(text.data() + run, i + 1 - run);  // the quote itself, then doubled below
    out.Push('"');
    run = i + 1;
  }
  out.Append(text.data() + run, text.size() - run);
  out.Push('"');
}

// --- COPY text and CSV ------------------------------------------------------------------------

// The two delimited text formats differ only in these choices.
struct CopyTextStyle {
  static constexpr char kSeparator = '\t';
  static constexpr TimestampStyle kTimestamps = TimestampStyle::kPostgres;
  static constexpr char kDateTimeSeparator = ' ';  // in a timestamp without time zone
  static void Bool(ByteBuffer& out, bool v) { out.Push(v ? 't' : 'f'); }
  static void Text(ByteBuffer& out, std::string_view v) { AppendCopyEscaped(out, v); }
  static void Null(ByteBuffer& out) { out.Append("\\N", 2); }
  // One byte of an array literal, with the field's escapes.
  static void Outer(ByteBuffer& out, char c) {
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
      AppendCopyEscaped(out, std::string_view(&c, 1));
    } else {
      out.Push(c);
    }
  }
  static void OpenArray(ByteBuffer& out) { out.Push('{'); }
  static void CloseArray(ByteBuffer& out) { out.Push('}'); }
  // A range's bounds hold nothing COPY text escapes.
  static void OpenRange(ByteBuffer&) {}
  static void CloseRange(ByteBuffer&) {}
};

struct CsvStyle {
  static constexpr char kSeparator = ',';
  static constexpr TimestampStyle kTimestamps = TimestampStyle::kIso8601;
  static constexpr char kDateTimeSeparator = 'T';
  static void Bool(ByteBuffer& out, bool v) { out.Append(v ? "true" : "false", v ? 4 : 5); }
  static void Text(ByteBuffer& out, std::string_view v) { AppendCsvField(out, v); }
  static void Null(ByteBuffer&) {}  // an empty unquoted field
  // An array is always a quoted field (it holds commas and quotes), so only quotes double.
  static void Outer(ByteBuffer& out, char c) {
    if (c == '"') out.Push('"');
    out.Push(c);
  }
  static void OpenArray(ByteBuffer& out) { out.Append("\"{", 2); }
  static void CloseArray(ByteBuffer& out) { out.Append("}\"", 2); }
  // A range holds a comma: always a quoted field (its bounds hold no quote).
  static void OpenRange(ByteBuffer& out) { out.Push('"'); }
  static void CloseRange(ByteBuffer& out) { out.Push('"'); }
};

template <typename Style>
class DelimitedWriter final : public RowWriter {
 public:
  explicit DelimitedWriter(ByteBuffer* out) : out_(*out) {}
  void BeginRow() override { first_ = true; }
  void EndRow() override { out_.Push('\n'); }
  void Int64(int64_t v) override {
    Separate();
    AppendInt(out_, v);
  }
  void Int32(int32_t v) override {
    Separate();
    AppendInt(out_, v);
  }
  void Bool(bool v) override {
    Separate();
    Style::Bool(out_, v);
  }
  void Text(std::string_view v) override {
    Separate();
    if (in_array_) return QuotedElement(v);
    Style::Text(out_, v);
  }
  void Timestamp(int64_t v) override {
    Separate();
    if (in_array_) {
      char buffer[kMaxTimestampChars];
      return QuotedElement(
          std::string_view(buffer, FormatTimestamp(v, Style::kTimestamps, buffer)));
    }
    AppendTimestamp(out_, v, Style::kTimestamps);
  }
  void Numeric2(int64_t v) override {
    Separate();
    AppendNumeric2(out_, v);
  }
  void Inet4(uint32_t v) override {
    Separate();
    AppendInet4(out_, v);
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    Separate();
    AppendMac(out_, v);
  }
  void Json(std::string_view v) override {
    Separate();
    if (in_array_) return QuotedElement(v);
    Style::Text(out_, v);
  }
  void Null() override {
    Separate();
    if (in_array_) return out_.Append("NULL", 4);
    Style::Null(out_);
  }

  void Int16(int16_t v) override {
    Separate();
    AppendInt(out_, v);
  }
  void Float32(float v) override {
    Separate();
    AppendRendered<kMaxFloatChars>(out_, [v](char* p) { return PutFloat(p, v); });
  }
  void Float64(double v) override {
    Separate();
    AppendRendered<kMaxFloatChars>(out_, [v](char* p) { return PutFloat(p, v); });
  }
  void Numeric(int64_t unscaled, int scale) override {
    Separate();
    char* p = out_.Extend(static_cast<size_t>(scale) + 24);
    out_.Commit(static_cast<size_t>(PutNumeric(p, unscaled, scale) - p));
  }
  void NumericText(std::string_view v) override {
    Separate();
    AppendDecimalText(out_, SplitDecimal(v));
  }
  void Date(int32_t v) override {
    Separate();
    AppendRendered<kMaxDateChars>(out_, [v](char* p) { return PutDateText(p, v); });
  }
  void Time(int64_t v) override {
    Separate();
    AppendRendered<kMaxClockChars>(out_,
                                   [v](char* p) { return PutClock(p, static_cast<uint64_t>(v)); });
  }
  void LocalTimestamp(int64_t v) override {
    Separate();
    StringLike<kMaxLocalTimestampChars>(
        [v](char* p) { return PutLocalTimestamp(p, v, Style::kDateTimeSeparator); });
  }
  void Interval(int32_t months, int32_t days, int64_t micros) override {
    Separate();
    StringLike<kMaxIntervalChars>([=](char* p) { return PutInterval(p, months, days, micros); });
  }
  void Uuid(const uint8_t (&v)[16]) override {
    Separate();
    AppendRendered<kMaxUuidChars>(out_, [&v](char* p) { return PutUuid(p, v); });
  }
  void Inet(const IpAddress& v) override {
    Separate();
    AppendRendered<kMaxIpChars>(out_, [&v](char* p) { return PutIp(p, v, false); });
  }
  void Cidr(const IpAddress& v) override {
    Separate();
    AppendRendered<kMaxIpChars>(out_, [&v](char* p) { return PutIp(p, v, true); });
  }
  // The hex form \x..., whose backslash is escaped by the array literal and then the field.
  void Bytea(std::span<const uint8_t> v) override {
    Separate();
    if (in_array_) {
      Style::Outer(out_, '"');
      Style::Outer(out_, '\\');
    }
    Style::Outer(out_, '\\');
    out_.Push('x');
    AppendHex(out_, v);
    if (in_array_) Style::Outer(out_, '"');
  }
  void JsonText(std::string_view v) override { Json(v); }
  void TsVector(std::string_view v) override {
    Separate();
    scratch_.clear();
    AppendTsVectorText(v, &scratch_);
    Style::Text(out_, scratch_);
  }
  void Point(double x, double y) override {
    Separate();
    char buffer[kMaxPointChars];
    Style::Text(out_,
                std::string_view(buffer, static_cast<size_t>(PutPoint(buffer, x, y) - buffer)));
  }
  // [lo,hi): the bounds come as values, each after a comma but the first; an infinite bound
  // is left empty, an empty range is the word "empty".
  void BeginRange(uint8_t flags) override {
    Separate();
    range_flags_ = flags;
    if ((flags & kRangeEmpty) != 0) return Style::Text(out_, "empty");
    Style::OpenRange(out_);
    out_.Push((flags & kRangeLowerInclusive) != 0 ? '[' : '(');
    in_range_ = true;
    range_bounds_ = (flags & kRangeLowerInfinite) != 0 ? 1 : 0;
  }
  void EndRange() override {
    if ((range_flags_ & kRangeEmpty) != 0) return;
    in_range_ = false;
    if ((range_flags_ & kRangeUpperInfinite) != 0) out_.Push(',');
    out_.Push((range_flags_ & kRangeUpperInclusive) != 0 ? ']' : ')');
    Style::CloseRange(out_);
  }
  void BeginArray() override {
    Separate();
    Style::OpenArray(out_);
    in_array_ = true;
    first_element_ = true;
  }
  void EndArray() override {
    Style::CloseArray(out_);
    in_array_ = false;
  }

 private:
  void Separate() {
    if (in_range_) {
      if (range_bounds_++ > 0) out_.Push(',');
      return;
    }
    if (in_array_) {
      if (!first_element_) out_.Push(',');
      first_element_ = false;
      return;
    }
    if (!first_) out_.Push(Style::kSeparator);
    first_ = false;
  }
  // An array element in double quotes: the array literal escapes '"' and '\' with a backslash,
  // and every byte then takes the field's own escapes.
  void QuotedElement(std::string_view v) {
    Style::Outer(out_, '"');
    for (const char c : v) {
      if (c == '"' || c == '\\') Style::Outer(out_, '\\');
      Style::Outer(out_, c);
    }
    Style::Outer(out_, '"');
  }
  // A rendering that may hold spaces: as it is in a field, quoted in an array.
  template <size_t kMax, typename Put>
  void StringLike(Put&& put) {
    if (!in_array_) return AppendRendered<kMax>(out_, put);
    char buffer[kMax];
    QuotedElement(std::string_view(buffer, static_cast<size_t>(put(buffer) - buffer)));
  }
  ByteBuffer& out_;
  bool first_ = true;
  bool in_array_ = false;
  bool first_element_ = false;
  bool in_range_ = false;
  uint8_t range_flags_ = 0;
  int range_bounds_ = 0;  // bounds written, an infinite lower one counted
  std::string scratch_;   // a tsvector's text, reused
};

// --- COPY binary -------------------------------------------------------------------------------
//
// A column may go to a table whose own type for it is not the model's (EncodingOptions::
// wire_types, for tables an application's migrations created): an integer is then sent at the
// width of that type, a MAC, IP or UUID value as its text, JSON with or without jsonb's version
// byte. The text writers need no such thing: the text of a value is what every one of those
// types reads.

class CopyBinaryWriter final : public RowWriter {
 public:
  // `element_oids[i]` is the element type of column i when it is an array (EncodingOptions).
  // `wire_types[i]`: how column i goes to a table whose column has another type
  // (EncodingOptions).
  CopyBinaryWriter(ByteBuffer* out, uint16_t columns, const std::vector<uint32_t>* element_oids,
                   const std::vector<WireType>* wire_types)
      : out_(*out), columns_(columns), element_oids_(*element_oids), wire_types_(*wire_types) {}
  void BeginRow() override {
    out_.AppendBigEndian16(columns_);
    column_ = 0;
  }
  void EndRow() override {}
  void Int64(int64_t v) override { Integer(v, WireType::kInt64); }
  void Int32(int32_t v) override { Integer(v, WireType::kInt32); }
  void Bool(bool v) override {
    Field();
    out_.AppendBigEndian32(1);
    out_.Push(v ? 1 : 0);
  }
  void Text(std::string_view v) override {
    Field();
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size()));
    out_.Append(v);
  }
  void Timestamp(int64_t v) override {
    Field();
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(static_cast<uint64_t>(v - kPostgresEpochUnixMicros));
  }
  // numeric: ndigits, weight, sign, dscale, then base-10000 digits, all int16 (numeric_recv).
  void Numeric2(int64_t v) override {
    Field();
    uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    uint64_t integer = magnitude / 100;
    const uint16_t fraction = static_cast<uint16_t>(magnitude % 100 * 100);
    uint16_t digits[8];
    int count = 0;
    uint16_t reversed[6];
    int integer_groups = 0;
    while (integer != 0) {
      reversed[integer_groups++] = static_cast<uint16_t>(integer % 10000);
      integer /= 10000;
    }
    for (int i = integer_groups - 1; i >= 0; --i) digits[count++] = reversed[i];
    int16_t weight = static_cast<int16_t>(integer_groups - 1);
    if (fraction != 0) {
      if (integer_groups == 0) weight = -1;
      digits[count++] = fraction;
    }
    while (count > 0 && digits[count - 1] == 0) --count;  // trailing zero groups
    if (count == 0) weight = 0;
    out_.AppendBigEndian32(static_cast<uint32_t>(8 + 2 * count));
    out_.AppendBigEndian16(static_cast<uint16_t>(count));
    out_.AppendBigEndian16(static_cast<uint16_t>(weight));
    out_.AppendBigEndian16(v < 0 ? 0x4000 : 0x0000);
    out_.AppendBigEndian16(2);
    for (int i = 0; i < count; ++i) out_.AppendBigEndian16(digits[i]);
  }
  // inet: family (PGSQL_AF_INET = 2), bits, is_cidr, address length, address bytes.
  void Inet4(uint32_t v) override {
    if (Wire() == WireType::kText) return TextOf([v](ByteBuffer& text) { AppendInet4(text, v); });
    Field();
    out_.AppendBigEndian32(8);
    const char header[4] = {2, 32, 0, 4};
    out_.Append(header, 4);
    out_.AppendBigEndian32(v);
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    if (Wire() == WireType::kText) return TextOf([&v](ByteBuffer& text) { AppendMac(text, v); });
    Field();
    out_.AppendBigEndian32(6);
    out_.Append(v, 6);
  }
  // jsonb: a version byte (1) then the JSON text; as json or text, the text alone.
  void Json(std::string_view v) override {
    const bool plain = Wire() == WireType::kText || Wire() == WireType::kJson;
    Field();
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size() + (plain ? 0 : 1)));
    if (!plain) out_.Push(1);
    out_.Append(v);
  }
  void Null() override {
    Field();
    if (in_array_) has_null_ = true;
    out_.AppendBigEndian32(0xFFFFFFFFu);
  }

  void Int16(int16_t v) override { Integer(v, WireType::kInt16); }
  void Float32(float v) override {
    Field();
    out_.AppendBigEndian32(4);
    out_.AppendBigEndian32(std::bit_cast<uint32_t>(v));
  }
  void Float64(double v) override {
    Field();
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(std::bit_cast<uint64_t>(v));
  }
  void Money(int64_t cents) override {
    Field();
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(static_cast<uint64_t>(cents));
  }
  void Numeric(int64_t unscaled, int scale) override {
    Field();
    char buffer[kMaxNumericChars];
    const char* end = PutNumeric(buffer, unscaled, scale);
    AppendNumericBinary(out_, SplitDecimal(std::string_view(buffer, end - buffer)));
  }
  void NumericText(std::string_view v) override {
    Field();
    AppendNumericBinary(out_, SplitDecimal(v));
  }
  // date: int32 days since 2000-01-01.
  void Date(int32_t v) override {
    Field();
    out_.AppendBigEndian32(4);
    out_.AppendBigEndian32(static_cast<uint32_t>(v - kPostgresEpochUnixDays));
  }
  // time: int64 microseconds since midnight.
  void Time(int64_t v) override {
    Field();
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(static_cast<uint64_t>(v));
  }
  // timestamp: int64 microseconds since 2000-01-01 00:00:00, like timestamptz.
  void LocalTimestamp(int64_t v) override { Timestamp(v); }
  // interval: int64 microseconds, int32 days, int32 months (interval_send).
  void Interval(int32_t months, int32_t days, int64_t micros) override {
    Field();
    out_.AppendBigEndian32(16);
    out_.AppendBigEndian64(static_cast<uint64_t>(micros));
    out_.AppendBigEndian32(static_cast<uint32_t>(days));
    out_.AppendBigEndian32(static_cast<uint32_t>(months));
  }
  void Uuid(const uint8_t (&v)[16]) override {
    if (Wire() == WireType::kText) {
      return TextOf([&v](ByteBuffer& text) {
        AppendRendered<kMaxUuidChars>(text, [&v](char* p) { return PutUuid(p, v); });
      });
    }
    Field();
    out_.AppendBigEndian32(16);
    out_.Append(v, 16);
  }
  void Inet(const IpAddress& v) override { IpField(v, false); }
  void Cidr(const IpAddress& v) override { IpField(v, true); }
  void Bytea(std::span<const uint8_t> v) override {
    Field();
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size()));
    out_.Append(v.data(), v.size());
  }
  // json: the text alone (no version byte, unlike jsonb); as jsonb, with it.
  void JsonText(std::string_view v) override {
    const bool jsonb = Wire() == WireType::kJsonb;
    Field();
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size() + (jsonb ? 1 : 0)));
    if (jsonb) out_.Push(1);
    out_.Append(v);
  }
  // tsvector_send's bytes, as the generator made them.
  void TsVector(std::string_view v) override {
    Field();
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size()));
    out_.Append(v);
  }
  // point_send: x and y as float8.
  void Point(double x, double y) override {
    Field();
    out_.AppendBigEndian32(16);
    out_.AppendBigEndian64(std::bit_cast<uint64_t>(x));
    out_.AppendBigEndian64(std::bit_cast<uint64_t>(y));
  }
  // range_send: the flags byte, then each present bound as a length and its send bytes (the
  // bound methods write exactly that, as for a field). The length is patched at EndRange.
  void BeginRange(uint8_t flags) override {
    Field();
    range_start_ = out_.size();
    out_.AppendBigEndian32(0);
    out_.Push(static_cast<char>(flags));
    in_range_ = true;
  }
  void EndRange() override {
    in_range_ = false;
    out_.PutBigEndian32At(range_start_, static_cast<uint32_t>(out_.size() - range_start_ - 4));
  }
  // array_send: length, ndim 1, has-null flag, element type OID, then the dimension (element
  // count, lower bound 1) and the elements as fields. The length, flag and count are patched at
  // EndArray; an empty array has ndim 0 and no dimension, as array_send writes it.
  void BeginArray() override {
    assert(column_ < element_oids_.size() && element_oids_[column_] != 0 &&
           "binary COPY of an array column needs its element type OID (EncodingOptions)");
    const uint32_t oid = column_ < element_oids_.size() ? element_oids_[column_] : 0;
    Field();
    array_start_ = out_.size();
    out_.AppendBigEndian32(0);  // length
    out_.AppendBigEndian32(1);  // dimensions
    out_.AppendBigEndian32(0);  // has nulls
    out_.AppendBigEndian32(oid);
    out_.AppendBigEndian32(0);  // elements
    out_.AppendBigEndian32(1);  // lower bound
    in_array_ = true;
    has_null_ = false;
    elements_ = 0;
  }
  void EndArray() override {
    in_array_ = false;
    if (elements_ == 0) {
      out_.PutBigEndian32At(array_start_ + 4, 0);
      out_.Truncate(array_start_ + 16);
    } else {
      out_.PutBigEndian32At(array_start_ + 8, has_null_ ? 1 : 0);
      out_.PutBigEndian32At(array_start_ + 16, elements_);
    }
    out_.PutBigEndian32At(array_start_, static_cast<uint32_t>(out_.size() - array_start_ - 4));
  }

 private:
  // Counts a column, or an element inside an array (a range's bounds count as nothing).
  void Field() {
    if (in_range_) return;
    if (in_array_) {
      ++elements_;
    } else {
      ++column_;
    }
  }
  // How the current column goes to the server (never converted inside an array).
  WireType Wire() const {
    return !in_array_ && !in_range_ && column_ < wire_types_.size() ? wire_types_[column_]
                                                                    : WireType::kAsDeclared;
  }
  // An integer of the declared width `declared`, sent at the width of the table's column.
  void Integer(int64_t v, WireType declared) {
    const WireType wire = Wire() == WireType::kAsDeclared ? declared : Wire();
    Field();
    if (wire == WireType::kInt16) {
      out_.AppendBigEndian32(2);
      out_.AppendBigEndian16(static_cast<uint16_t>(static_cast<int16_t>(v)));
    } else if (wire == WireType::kInt32) {
      out_.AppendBigEndian32(4);
      out_.AppendBigEndian32(static_cast<uint32_t>(static_cast<int32_t>(v)));
    } else {
      out_.AppendBigEndian32(8);
      out_.AppendBigEndian64(static_cast<uint64_t>(v));
    }
  }
  // A value sent as text: its length, then what `append` renders.
  template <typename Append>
  void TextOf(Append&& append) {
    Field();
    const size_t start = out_.size();
    out_.AppendBigEndian32(0);
    append(out_);
    out_.PutBigEndian32At(start, static_cast<uint32_t>(out_.size() - start - 4));
  }
  // inet/cidr: family (PGSQL_AF_INET 2, PGSQL_AF_INET6 3), bits, is_cidr, length, bytes.
  void IpField(const IpAddress& v, bool cidr) {
    if (Wire() == WireType::kText) {
      return TextOf([&](ByteBuffer& text) {
        AppendRendered<kMaxIpChars>(text, [&](char* p) { return PutIp(p, v, cidr); });
      });
    }
    Field();
    const uint8_t length = v.v6 ? 16 : 4;
    out_.AppendBigEndian32(4u + length);
    const char header[4] = {static_cast<char>(v.v6 ? 3 : 2), static_cast<char>(v.prefix),
                            static_cast<char>(cidr ? 1 : 0), static_cast<char>(length)};
    out_.Append(header, 4);
    out_.Append(v.bytes, length);
  }
  ByteBuffer& out_;
  uint16_t columns_;
  const std::vector<uint32_t>& element_oids_;
  const std::vector<WireType>& wire_types_;
  size_t column_ = 0;
  bool in_array_ = false;
  bool has_null_ = false;
  uint32_t elements_ = 0;
  size_t array_start_ = 0;
  bool in_range_ = false;
  size_t range_start_ = 0;
};

// --- JSON lines --------------------------------------------------------------------------------

class JsonlWriter final : public RowWriter {
 public:
  // `keys[i]` is the text that opens column i: `{"id":` for the first, `,"name":` after.
  JsonlWriter(ByteBuffer* out, const std::vector<std::string>* keys) : out_(*out), keys_(*keys) {}
  void BeginRow() override { column_ = 0; }
  void EndRow() override { out_.Append("}\n", 2); }
  void Int64(int64_t v) override {
    Key();
    AppendInt(out_, v);
  }
  void Int32(int32_t v) override {
    Key();
    AppendInt(out_, v);
  }
  void Bool(bool v) override {
    Key();
    out_.Append(v ? "true" : "false", v ? 4 : 5);
  }
  void Text(std::string_view v) override {
    Key();
    Quoted(v);
  }
  void Timestamp(int64_t v) override {
    Key();
    Quote();
    AppendTimestamp(out_, v, TimestampStyle::kIso8601);
    Quote();
  }
  void Numeric2(int64_t v) override {
    Key();
    AppendNumeric2(out_, v);
  }
  void Inet4(uint32_t v) override {
    Key();
    out_.Push('"');
    AppendInet4(out_, v);
    out_.Push('"');
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    Key();
    out_.Push('"');
    AppendMac(out_, v);
    out_.Push('"');
  }
  void Json(std::string_view v) override {
    Key();
    out_.Append(v);
  }
  void Null() override {
    Key();
    out_.Append("null", 4);
  }

  void Int16(int16_t v) override {
    Key();
    AppendInt(out_, v);
  }
  void Float32(float v) override { FloatValue(v); }
  void Float64(double v) override { FloatValue(v); }
  void Numeric(int64_t unscaled, int scale) override {
    Key();
    char* p = out_.Extend(static_cast<size_t>(scale) + 24);
    out_.Commit(static_cast<size_t>(PutNumeric(p, unscaled, scale) - p));
  }
  void NumericText(std::string_view v) override {
    Key();
    AppendDecimalText(out_, SplitDecimal(v));
  }
  void Date(int32_t v) override {
    QuotedRendered<kMaxDateChars>([v](char* p) { return PutDateText(p, v); });
  }
  void Time(int64_t v) override {
    QuotedRendered<kMaxClockChars>([v](char* p) { return PutClock(p, static_cast<uint64_t>(v)); });
  }
  void LocalTimestamp(int64_t v) override {
    QuotedRendered<kMaxLocalTimestampChars>([v](char* p) { return PutLocalTimestamp(p, v, 'T'); });
  }
  void Interval(int32_t months, int32_t days, int64_t micros) override {
    QuotedRendered<kMaxIntervalChars>(
        [=](char* p) { return PutInterval(p, months, days, micros); });
  }
  void Uuid(const uint8_t (&v)[16]) override {
    QuotedRendered<kMaxUuidChars>([&v](char* p) { return PutUuid(p, v); });
  }
  void Inet(const IpAddress& v) override {
    QuotedRendered<kMaxIpChars>([&v](char* p) { return PutIp(p, v, false); });
  }
  void Cidr(const IpAddress& v) override {
    QuotedRendered<kMaxIpChars>([&v](char* p) { return PutIp(p, v, true); });
  }
  void Bytea(std::span<const uint8_t> v) override {
    Key();
    out_.Append("\"\\\\x", 4);
    AppendHex(out_, v);
    out_.Push('"');
  }
  void JsonText(std::string_view v) override { Json(v); }
  void TsVector(std::string_view v) override {
    Key();
    scratch_.clear();
    AppendTsVectorText(v, &scratch_);
    Quoted(scratch_);
  }
  void Point(double x, double y) override {
    QuotedRendered<kMaxPointChars>([=](char* p) { return PutPoint(p, x, y); });
  }
  // A range as a string of its text form, "[1,5)": the bounds go inside unquoted.
  void BeginRange(uint8_t flags) override {
    Key();
    range_flags_ = flags;
    if ((flags & kRangeEmpty) != 0) return out_.Append("\"empty\"", 7);
    out_.Push('"');
    out_.Push((flags & kRangeLowerInclusive) != 0 ? '[' : '(');
    in_range_ = true;
    range_bounds_ = (flags & kRangeLowerInfinite) != 0 ? 1 : 0;
  }
  void EndRange() override {
    if ((range_flags_ & kRangeEmpty) != 0) return;
    in_range_ = false;
    if ((range_flags_ & kRangeUpperInfinite) != 0) out_.Push(',');
    out_.Push((range_flags_ & kRangeUpperInclusive) != 0 ? ']' : ')');
    out_.Push('"');
  }
  void BeginArray() override {
    Key();
    out_.Push('[');
    in_array_ = true;
    first_element_ = true;
  }
  void EndArray() override {
    out_.Push(']');
    in_array_ = false;
  }

 private:
  void Key() {
    if (in_range_) {
      if (range_bounds_++ > 0) out_.Push(',');
      return;
    }
    if (in_array_) {
      if (!first_element_) out_.Push(',');
      first_element_ = false;
      return;
    }
    out_.Append(keys_[column_++]);
  }
  void Quoted(std::string_view v) {
    out_.Push('"');
    AppendJsonEscaped(out_, v);
    out_.Push('"');
  }
  // The quote around a string, left out for a range's bound (inside the range's string).
  void Quote() {
    if (!in_range_) out_.Push('"');
  }
  // A rendering that holds nothing JSON escapes, as a string.
  template <size_t kMax, typename Put>
  void QuotedRendered(Put&& put) {
    Key();
    Quote();
    AppendRendered<kMax>(out_, put);
    Quote();
  }
  // A number, or NaN and the infinities as strings (JSON has no such numbers).
  template <typename Float>
  void FloatValue(Float v) {
    if (std::isfinite(v)) {
      Key();
      AppendRendered<kMaxFloatChars>(out_, [v](char* p) { return PutFloat(p, v); });
      return;
    }
    QuotedRendered<kMaxFloatChars>([v](char* p) { return PutFloat(p, v); });
  }
  ByteBuffer& out_;
  const std::vector<std::string>& keys_;
  size_t column_ = 0;
  bool in_array_ = false;
  bool first_element_ = false;
  bool in_range_ = false;
  uint8_t range_flags_ = 0;
  int range_bounds_ = 0;  // bounds written, an infinite lower one counted
  std::string scratch_;   // a tsvector's text, reused
};

// --- null --------------------------------------------------------------------------------------

class NullWriter final : public RowWriter {
 public:
  void BeginRow() override {}
  void EndRow() override {}
  void Int64(int64_t) override {}
  void Int32(int32_t) override {}
  void Bool(bool) override {}
  void Text(std::string_view) override {}
  void Timestamp(int64_t) override {}
  void Numeric2(int64_t) override {}
  void Inet4(uint32_t) override {}
  void MacAddr(const uint8_t (&)[6]) override {}
  void Json(std::string_view) override {}
  void Null() override {}
  void Int16(int16_t) override {}
  void Float32(float) override {}
  void Float64(double) override {}
  void Numeric(int64_t, int) override {}
  void Money(int64_t) override {}
  void NumericText(std::string_view) override {}
  void Date(int32_t) override {}
  void Time(int64_t) override {}
  void LocalTimestamp(int64_t) override {}
  void Interval(int32_t, int32_t, int64_t) override {}
  void Uuid(const uint8_t (&)[16]) override {}
  void Inet(const IpAddress&) override {}
  void Cidr(const IpAddress&) override {}
  void Bytea(std::span<const uint8_t>) override {}
  void JsonText(std::string_view) override {}
  void TsVector(std::string_view) override {}
  void Point(double, double) override {}
  void BeginRange(uint8_t) override {}
  void EndRange() override {}
  void BeginArray() override {}
  void EndArray() override {}
};

// --- encodings ---------------------------------------------------------------------------------

class SchemaEncoding final : public Encoding {
 public:
  SchemaEncoding(Format format, const TableSchema& schema, EncodingOptions options)
      : format_(format), schema_(schema), options_(std::move(options)) {
    if (format_ != Format::kJsonl) return;
    for (size_t i = 0; i < schema_.columns.size(); ++i) {
      ByteBuffer key;
      key.Append(i == 0 ? "{\"" : ",\"");
      AppendJsonEscaped(key, schema_.columns[i].name);
      key.Append("\":");
      json_keys_.emplace_back(key.view());
    }
  }

  Format format() const override { return format_; }

  void WritePrologue(ByteBuffer& out) const override {
    if (format_ == Format::kCopyBinary) {
      static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with the NUL
      out.Append(kSignature, 11);
      out.AppendBigEndian32(0);  // flags: no OIDs
      out.AppendBigEndian32(0);  // header extension length
    } else if (format_ == Format::kCsv) {
      for (size_t i = 0; i < schema_.columns.size(); ++i) {
        if (i != 0) out.Push(',');
        AppendCsvField(out, schema_.columns[i].name);
      }
      out.Push('\n');
    }
  }

  void WriteEpilogue(ByteBuffer& out) const override {
    if (format_ == Format::kCopyBinary) out.AppendBigEndian16(0xFFFF);
  }

  std::unique_ptr<RowWriter> NewRowWriter(ByteBuffer* out) const override {
    switch (format_) {
      case Format::kCopyText:
        return std::make_unique<DelimitedWriter<CopyTextStyle>>(out);
      case Format::kCopyBinary:
        return std::make_unique<CopyBinaryWriter>(
            out, static_cast<uint16_t>(schema_.columns.size()), &options_.array_element_oids,
            &options_.wire_types);
      case Format::kCsv:
        return std::make_unique<DelimitedWriter<CsvStyle>>(out);
      case Format::kJsonl:
        return std::make_unique<JsonlWriter>(out, &json_keys_);
      case Format::kNull:
        return std::make_unique<NullWriter>();
    }
    return nullptr;
  }

 private:
  Format format_;
  const TableSchema& schema_;
  EncodingOptions options_;
  std::vector<std::string> json_keys_;
};

// Every format's names in one place: what --format accepts, what reports print, and the file
// extension of `generate`.
struct FormatNames {
  Format format;
  std::string_view name;
  std::string_view alias;  // also accepted by ParseFormat
  std::string_view extension;
};
constexpr FormatNames kFormatNames[] = {
    {Format::kCopyText, "copy-text", "text", "copy"},
    {Format::kCopyBinary, "copy-binary", "binary", "pgcopy"},
    {Format::kCsv, "csv", "", "csv"},
    {Format::kJsonl, "jsonl", "", "jsonl"},
    {Format::kNull, "null", "", "null"},
};

const FormatNames& NamesOf(Format format) {
  for (const FormatNames& names : kFormatNames) {
    if (names.format == format) return names;
  }
  return kFormatNames[0];  // unreachable: every enumerator is listed
}

}  // namespace

StatusOr<Format> ParseFormat(std::string_view name) {
  for (const FormatNames& names : kFormatNames) {
    if (name == names.name || (!names.alias.empty() && name == names.alias)) return names.format;
  }
  return InvalidArgument("unknown format '" + std::string(name) +
                         "' (expected csv, jsonl, copy-text, copy-binary or null)");
}

std::string_view FormatName(Format format) { return NamesOf(format).name; }

std::string_view FileExtension(Format format) { return NamesOf(format).extension; }

std::unique_ptr<Encoding> MakeEncoding(Format format, const TableSchema& schema) {
  return std::make_unique<SchemaEncoding>(format, schema, EncodingOptions{});
}

std::unique_ptr<Encoding> MakeEncoding(Format format, const TableSchema& schema,
                                       EncodingOptions options) {
  assert(options.array_element_oids.empty() ||
         options.array_element_oids.size() == schema.columns.size());
  assert(options.wire_types.empty() || options.wire_types.size() == schema.columns.size());
  return std::make_unique<SchemaEncoding>(format, schema, std::move(options));
}

}  // namespace seedforge
