// Text and JSON forms of values. Everything appends into the caller's string with stack buffers
// for the numbers, so rendering a value into a reused buffer does not allocate.
#include "generators/values/value.h"

#include <charconv>
#include <cstring>

#include "core/civil_time.h"
#include "core/row_writer.h"
#include "core/text_search.h"

namespace seedforge::values {
namespace {

void AppendInteger(int64_t value, std::string* out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out->append(digits, result.ptr);
}

void AppendPadded(int64_t value, int width, std::string* out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  for (int pad = width - static_cast<int>(result.ptr - digits); pad > 0; --pad) out->push_back('0');
  out->append(digits, result.ptr);
}

void AppendDecimal(int64_t unscaled, int scale, std::string* out) {
  // The magnitude as unsigned so that INT64_MIN has one.
  uint64_t magnitude = unscaled < 0 ? 0 - static_cast<uint64_t>(unscaled) : unscaled;
  if (unscaled < 0) out->push_back('-');
  uint64_t divisor = 1;
  for (int i = 0; i < scale; ++i) divisor *= 10;
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, magnitude / divisor);
  out->append(digits, result.ptr);
  if (scale == 0) return;
  out->push_back('.');
  const uint64_t fraction = magnitude % divisor;
  result = std::to_chars(digits, digits + sizeof digits, fraction);
  for (int pad = scale - static_cast<int>(result.ptr - digits); pad > 0; --pad) out->push_back('0');
  out->append(digits, result.ptr);
}

void AppendClock(int64_t micros, std::string* out) {
  AppendPadded(micros / kMicrosPerHour, 2, out);
  out->push_back(':');
  AppendPadded(micros / kMicrosPerMinute % 60, 2, out);
  out->push_back(':');
  AppendPadded(micros / kMicrosPerSecond % 60, 2, out);
  if (micros % kMicrosPerSecond != 0) {
    out->push_back('.');
    AppendPadded(micros % kMicrosPerSecond, 6, out);
  }
}

constexpr char kHex[] = "0123456789abcdef";

void AppendHexByte(uint8_t byte, std::string* out) {
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 15]);
}

void AppendIpv6(const uint8_t* bytes, std::string* out) {
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i)
    groups[i] = static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  // RFC 5952: the longest run of two or more zero groups becomes "::" (the first if tied).
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) best_start = i, best_length = j - i;
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out->append("::");
      i += best_length - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_length) out->push_back(':');
    char digits[8];
    const auto result = std::to_chars(digits, digits + sizeof digits, groups[i], 16);
    out->append(digits, result.ptr);
  }
}

// An array element in PostgreSQL's array literal: quoted when it could be misread.
void AppendArrayElement(const Value& element, std::string* out) {
  if (element.is_null()) {
    out->append("NULL");
    return;
  }
  const size_t start = out->size();
  element.AppendText(out);
  std::string_view text(out->data() + start, out->size() - start);
  bool quote = text.empty() || text == "NULL";
  for (char c : text)
    quote = quote || c == ',' || c == '{' || c == '}' || c == '"' || c == '\\' || c == ' ' ||
            c == '\t' || c == '\n';
  if (!quote) return;
  std::string escaped = "\"";  // rare path (text elements with separators): allocation is fine
  for (char c : text) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  escaped.push_back('"');
  out->resize(start);
  out->append(escaped);
}

// Kinds whose value is the buffer's text.
bool HoldsText(ValueKind kind) {
  return kind == ValueKind::kText || kind == ValueKind::kBytes || kind == ValueKind::kJson ||
         kind == ValueKind::kXml || kind == ValueKind::kTsVector;
}

void AppendShortestDouble(double value, std::string* out) {
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out->append(digits, result.ptr);
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  // Runs of characters that need no escape are appended whole.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out->append(text.data() + run, i - run);
    run = i + 1;
    if (byte < 0x20) {
      out->append("\\u00");
      AppendHexByte(byte, out);
    } else {
      out->push_back('\\');
      out->push_back(text[i]);
    }
  }
  out->append(text.data() + run, text.size() - run);
  out->push_back('"');
}

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kInteger:
      return "integer";
    case ValueKind::kFloat:
      return "float";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kDecimal:
      return "decimal";
    case ValueKind::kText:
      return "text";
    case ValueKind::kBytes:
      return "bytes";
    case ValueKind::kUuid:
      return "uuid";
    case ValueKind::kTimestamp:
      return "timestamp";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kTime:
      return "time";
    case ValueKind::kInterval:
      return "interval";
    case ValueKind::kInet:
      return "inet";
    case ValueKind::kMac:
      return "mac";
    case ValueKind::kJson:
      return "json";
    case ValueKind::kArray:
      return "array";
    case ValueKind::kXml:
      return "xml";
    case ValueKind::kTsVector:
      return "tsvector";
    case ValueKind::kRange:
      return "range";
    case ValueKind::kPoint:
      return "point";
  }
  return "?";
}

void Value::SetUuid(const uint8_t (&bytes)[16]) {
  kind_ = ValueKind::kUuid;
  std::memcpy(bytes_, bytes, 16);
}

void Value::SetInet4(uint32_t address, int prefix) {
  kind_ = ValueKind::kInet;
  ipv6_ = false;
  scale_ = static_cast<uint8_t>(prefix);
  for (int i = 0; i < 4; ++i) bytes_[i] = static_cast<uint8_t>(address >> (24 - 8 * i));
}

void Value::SetInet6(const uint8_t (&bytes)[16], int prefix) {
  kind_ = ValueKind::kInet;
  ipv6_ = true;
  scale_ = static_cast<uint8_t>(prefix);
  std::memcpy(bytes_, bytes, 16);
}

void Value::SetMac(const uint8_t (&bytes)[6]) {
  kind_ = ValueKind::kMac;
  std::memcpy(bytes_, bytes, 6);
}

Value* Value::AppendElement() {
  if (array_size_ == elements_.size()) elements_.emplace_back();
  return &elements_[array_size_++];
}

double Value::AsDouble() const {
  switch (kind_) {
    case ValueKind::kFloat:
      return float_;
    case ValueKind::kDecimal: {
      double divisor = 1;
      for (int i = 0; i < scale_; ++i) divisor *= 10;
      return static_cast<double>(integer_) / divisor;
    }
    case ValueKind::kInteger:
    case ValueKind::kBool:
    case ValueKind::kTimestamp:
    case ValueKind::kDate:
    case ValueKind::kTime:
      return static_cast<double>(integer_);
    default:
      return 0;
  }
}

void Value::CopyFrom(const Value& other) {
  if (&other == this) return;
  kind_ = other.kind_;
  scale_ = other.scale_;
  ipv6_ = other.ipv6_;
  integer_ = other.integer_;
  float_ = other.float_;
  y_ = other.y_;
  if (HoldsText(kind_)) {
    borrowed_ = false;
    buffer_.assign(other.text());
    return;
  }
  interval_ = other.interval_;
  std::memcpy(bytes_, other.bytes_, sizeof bytes_);
  if (kind_ == ValueKind::kArray) {
    array_size_ = 0;
    for (const Value& element : other.elements()) AppendElement()->CopyFrom(element);
  }
  if (kind_ == ValueKind::kRange) {
    for (size_t i = 0; i < 2 && i < other.elements_.size(); ++i) {
      Child(i)->CopyFrom(other.elements_[i]);
    }
  }
}

void Value::BorrowFrom(const Value& other) {
  if (!HoldsText(other.kind_)) return CopyFrom(other);
  kind_ = other.kind_;
  borrowed_ = true;
  borrowed_text_ = other.text();
}

void Value::AppendText(std::string* out) const {
  switch (kind_) {
    case ValueKind::kNull:
      return;
    case ValueKind::kInteger:
      return AppendInteger(integer_, out);
    case ValueKind::kFloat: {
      char digits[32];
      const auto result = std::to_chars(digits, digits + sizeof digits, float_);
      out->append(digits, result.ptr);
      return;
    }
    case ValueKind::kBool:
      out->append(integer_ != 0 ? "true" : "false");
      return;
    case ValueKind::kDecimal:
      return AppendDecimal(integer_, scale_, out);
    case ValueKind::kText:
    case ValueKind::kJson:
      out->append(text());
      return;
    case ValueKind::kBytes:
      out->append("\\x");
      for (char c : text()) AppendHexByte(static_cast<uint8_t>(c), out);
      return;
    case ValueKind::kUuid:
      for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
        AppendHexByte(bytes_[i], out);
      }
      return;
    case ValueKind::kTimestamp: {
      char text[kMaxTimestampChars];
      out->append(text, FormatTimestamp(integer_, TimestampStyle::kIso8601, text));
      return;
    }
    case ValueKind::kDate: {
      const CivilDate date = CivilFromDays(FloorDiv(integer_, kMicrosPerDay));
      AppendPadded(date.year, 4, out);
      out->push_back('-');
      AppendPadded(date.month, 2, out);
      out->push_back('-');
      AppendPadded(date.day, 2, out);
      return;
    }
    case ValueKind::kTime:
      return AppendClock(integer_, out);
    case ValueKind::kInterval:
      if (interval_.months != 0) {
        AppendInteger(interval_.months, out);
        out->append(" mons ");
      }
      if (interval_.days != 0) {
        AppendInteger(interval_.days, out);
        out->append(" days ");
      }
      if (interval_.micros < 0) out->push_back('-');
      AppendClock(interval_.micros < 0 ? -interval_.micros : interval_.micros, out);
      return;
    case ValueKind::kInet:
      if (ipv6_) {
        AppendIpv6(bytes_, out);
      } else {
        for (int i = 0; i < 4; ++i) {
          if (i > 0) out->push_back('.');
          AppendInteger(bytes_[i], out);
        }
      }
      if (scale_ != (ipv6_ ? 128 : 32)) {
        out->push_back('/');
        AppendInteger(scale_, out);
      }
      return;
    case ValueKind::kMac:
      for (int i = 0; i < 6; ++i) {
        if (i > 0) out->push_back(':');
        AppendHexByte(bytes_[i], out);
      }
      return;
    case ValueKind::kArray:
      out->push_back('{');
      for (size_t i = 0; i < array_size_; ++i) {
        if (i > 0) out->push_back(',');
        AppendArrayElement(elements_[i], out);
      }
      out->push_back('}');
      return;
    case ValueKind::kXml:
      out->append(text());
      return;
    case ValueKind::kTsVector:
      return AppendTsVectorText(text(), out);
    case ValueKind::kPoint:
      out->push_back('(');
      AppendShortestDouble(float_, out);
      out->push_back(',');
      AppendShortestDouble(y_, out);
      out->push_back(')');
      return;
    case ValueKind::kRange: {
      const uint8_t flags = scale_;
      if ((flags & RowWriter::kRangeEmpty) != 0) {
        out->append("empty");
        return;
      }
      out->push_back((flags & RowWriter::kRangeLowerInclusive) != 0 ? '[' : '(');
      if ((flags & RowWriter::kRangeLowerInfinite) == 0) elements_[0].AppendText(out);
      out->push_back(',');
      if ((flags & RowWriter::kRangeUpperInfinite) == 0) elements_[1].AppendText(out);
      out->push_back((flags & RowWriter::kRangeUpperInclusive) != 0 ? ']' : ')');
      return;
    }
  }
}

void Value::AppendJson(std::string* out) const {
  switch (kind_) {
    case ValueKind::kNull:
      out->append("null");
      return;
    case ValueKind::kInteger:
    case ValueKind::kFloat:
    case ValueKind::kBool:
    case ValueKind::kDecimal:
    case ValueKind::kJson:
      return AppendText(out);
    case ValueKind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < array_size_; ++i) {
        if (i > 0) out->push_back(',');
        elements_[i].AppendJson(out);
      }
      out->push_back(']');
      return;
    case ValueKind::kText:
    case ValueKind::kXml:
      return AppendJsonString(text(), out);
    case ValueKind::kTsVector: {
      std::string form;  // lexemes may hold quotes and backslashes
      AppendTsVectorText(text(), &form);
      return AppendJsonString(form, out);
    }
    default: {
      // Kinds without a JSON counterpart are strings of their text form; they contain no
      // character that needs escaping.
      out->push_back('"');
      AppendText(out);
      out->push_back('"');
      return;
    }
  }
}

std::string Value::ToString() const {
  std::string out;
  AppendText(&out);
  return out;
}

}  // namespace seedforge::values
