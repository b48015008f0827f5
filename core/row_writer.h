// The encoder interface between generators and sinks.
//
// A generator calls BeginRow(), then exactly one value method per column of its TableSchema in
// column order, then EndRow(). The concrete writer (COPY text, COPY binary, CSV, JSONL, null) turns
// the typed values into bytes appended to a ByteBuffer that it does not own. Generators never know
// the output format; writers never know the domain.
//
// Writers are not thread-safe: each pipeline token owns one writer and one buffer.
#pragma once

#include <cstdint>
#include <string_view>

namespace seedforge {

class RowWriter {
 public:
  virtual ~RowWriter() = default;

  virtual void BeginRow() = 0;
  virtual void EndRow() = 0;

  virtual void Int64(int64_t value) = 0;
  virtual void Int32(int32_t value) = 0;
  virtual void Bool(bool value) = 0;
  // REQUIRES: valid UTF-8. Any byte may appear; the writer escapes as its format needs.
  virtual void Text(std::string_view value) = 0;
  // Microseconds since 1970-01-01T00:00:00Z.
  virtual void Timestamp(int64_t unix_micros) = 0;
  // A decimal with two fraction digits, given in hundredths (12345 is 123.45).
  virtual void Numeric2(int64_t hundredths) = 0;
  // An IPv4 address, most significant byte first (10.0.0.1 is 0x0A000001).
  virtual void Inet4(uint32_t address) = 0;
  virtual void MacAddr(const uint8_t (&bytes)[6]) = 0;
  // REQUIRES: `json_object` is one valid JSON object.
  virtual void Json(std::string_view json_object) = 0;
  // SQL NULL for the current column (REQUIRES: the column is nullable).
  virtual void Null() = 0;
};

}  // namespace seedforge
