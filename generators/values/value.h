// The typed scratch value a column generator writes into, one per column of a row.
//
// A Value is reused row after row: setting a scalar overwrites it in place, and the variable-size
// kinds (text, bytes, JSON, arrays) keep their buffer's capacity when they are set again, so a
// program that has computed a few rows stops allocating. Values are plain data: copying one into
// another (CopyFrom) reuses the target's buffers too.
//
// Not thread-safe: each worker owns its scratch (RowScratch in row_program.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seedforge::values {

enum class ValueKind : uint8_t {
  kNull,
  kInteger,  // int64
  kFloat,    // double
  kBool,
  kDecimal,    // unscaled int64 with a scale: 12345 at scale 2 is 123.45
  kText,       // UTF-8 bytes
  kBytes,      // raw bytes (bytea)
  kUuid,       // 16 bytes, network order
  kTimestamp,  // microseconds since the Unix epoch, UTC
  kDate,       // microseconds since the Unix epoch of midnight UTC of the day
  kTime,       // microseconds since midnight
  kInterval,   // months, days and microseconds, as PostgreSQL keeps them
  kInet,       // IPv4 or IPv6 address with a prefix length
  kMac,        // 6 bytes
  kJson,       // JSON text (an object, array or scalar)
  kArray,      // elements, each a Value
  kXml,        // a well-formed XML document or fragment, as UTF-8 text
  kTsVector,   // a tsvector in tsvector_send's form (core/text_search.h)
  kRange,      // flags (RowWriter::kRange*) and up to two bounds, Child(0) and Child(1)
  kPoint,      // two doubles
};

// "integer", "text", ... for messages.
std::string_view ValueKindName(ValueKind kind);

// Appends `text` as a JSON string: quoted, '"' and '\\' escaped, control characters as \u00XX.
void AppendJsonString(std::string_view text, std::string* out);

struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
};

class Value {
 public:
  Value() = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }

  void SetNull() { kind_ = ValueKind::kNull; }
  void SetInteger(int64_t value) { Scalar(ValueKind::kInteger, value); }
  void SetFloat(double value) {
    kind_ = ValueKind::kFloat;
    float_ = value;
  }
  void SetBool(bool value) { Scalar(ValueKind::kBool, value ? 1 : 0); }
  // REQUIRES: 0 <= scale <= 18.
  void SetDecimal(int64_t unscaled, int scale) {
    Scalar(ValueKind::kDecimal, unscaled);
    scale_ = static_cast<uint8_t>(scale);
  }
  void SetTimestamp(int64_t unix_micros) { Scalar(ValueKind::kTimestamp, unix_micros); }
  void SetDate(int64_t midnight_unix_micros) { Scalar(ValueKind::kDate, midnight_unix_micros); }
  void SetTime(int64_t micros_since_midnight) { Scalar(ValueKind::kTime, micros_since_midnight); }
  void SetInterval(Interval interval) {
    kind_ = ValueKind::kInterval;
    interval_ = interval;
  }
  void SetUuid(const uint8_t (&bytes)[16]);
  // `address` in host order (10.0.0.1 is 0x0a000001); REQUIRES: prefix <= 32.
  void SetInet4(uint32_t address, int prefix = 32);
  // REQUIRES: prefix <= 128.
  void SetInet6(const uint8_t (&bytes)[16], int prefix = 128);
  void SetMac(const uint8_t (&bytes)[6]);

  // Empties the text buffer, sets the kind and returns the buffer to append to. The buffer keeps
  // its capacity from earlier rows. The pointer is valid until the value is next set.
  std::string* StartText() { return StartBuffer(ValueKind::kText); }
  std::string* StartBytes() { return StartBuffer(ValueKind::kBytes); }
  std::string* StartJson() { return StartBuffer(ValueKind::kJson); }
  void SetText(std::string_view text) { StartText()->append(text); }
  std::string* StartXml() { return StartBuffer(ValueKind::kXml); }
  std::string* StartTsVector() { return StartBuffer(ValueKind::kTsVector); }
  void SetPoint(double x, double y) {
    kind_ = ValueKind::kPoint;
    float_ = x;
    y_ = y;
  }
  // Makes this a range with `flags` (RowWriter::kRange*); the caller then sets the present
  // bounds in Child(0) (lower) and Child(1) (upper).
  void StartRange(uint8_t flags) {
    kind_ = ValueKind::kRange;
    scale_ = flags;
  }

  // Makes this an empty array; AppendElement() then returns the next element to set. Element
  // values (and their buffers) are kept between rows.
  void StartArray() {
    kind_ = ValueKind::kArray;
    array_size_ = 0;
  }
  Value* AppendElement();

  // Scratch values for nested generators (a JSON object computes its fields here before it
  // renders them into its text). They share storage with the array elements, so an array
  // must not use them; they keep their buffers between rows whatever the kind.
  Value* Child(size_t index) {
    if (index >= elements_.size()) elements_.resize(index + 1);
    return &elements_[index];
  }

  // Accessors. REQUIRES: the kind they are named after (integer_value() also serves kBool,
  // kDecimal, kTimestamp, kDate and kTime, which all keep one int64).
  int64_t integer_value() const { return integer_; }
  double float_value() const { return float_; }
  bool bool_value() const { return integer_ != 0; }
  int scale() const { return scale_; }
  double y_value() const { return y_; }           // kPoint (x is float_value())
  uint8_t range_flags() const { return scale_; }  // kRange
  // kRange: the lower (0) or upper (1) bound. REQUIRES: present (see RowWriter::BeginRange).
  const Value& range_bound(size_t index) const { return elements_[index]; }
  // kText, kBytes, kJson, kXml, kTsVector.
  std::string_view text() const { return borrowed_ ? borrowed_text_ : std::string_view(buffer_); }
  const uint8_t* bytes16() const { return bytes_; }  // kUuid, kInet (v4 in the first 4 bytes)
  const uint8_t* mac() const { return bytes_; }
  bool is_ipv6() const { return ipv6_; }
  int prefix() const { return scale_; }  // kInet
  Interval interval() const { return interval_; }
  std::span<const Value> elements() const { return {elements_.data(), array_size_}; }

  // A numeric reading of integer, float, bool, decimal and time-like kinds (0 for others), for
  // generators that take a number from another column.
  double AsDouble() const;

  // Makes this a copy of `other`, reusing this value's buffers.
  void CopyFrom(const Value& other);
  // As CopyFrom, but a text, bytes or JSON value refers to `other`'s text instead of copying it:
  // for values a generator owns (a choice's labels, a catalog's entries), which outlive every
  // row computed from them. REQUIRES: `other` is not changed or destroyed while this value
  // holds it.
  void BorrowFrom(const Value& other);

  // Appends the value's text form: what a template inserts and what COPY text would carry
  // (integers in decimal, 123.45 for decimals, "true"/"false", UUIDs as 8-4-4-4-12 lower-case
  // hex, timestamps as ISO 8601 with 'Z', dates as YYYY-MM-DD, IPv4 dotted, MAC aa:bb:..., arrays
  // as {a,b}). NULL appends nothing.
  void AppendText(std::string* out) const;
  // Appends the value as a JSON value: text quoted and escaped, numbers bare, NULL as null,
  // arrays as JSON arrays, JSON text as it is.
  void AppendJson(std::string* out) const;
  // AppendText into a new string, for tests and messages (allocates).
  std::string ToString() const;

 private:
  void Scalar(ValueKind kind, int64_t value) {
    kind_ = kind;
    integer_ = value;
  }
  std::string* StartBuffer(ValueKind kind) {
    kind_ = kind;
    borrowed_ = false;
    buffer_.clear();
    return &buffer_;
  }

  ValueKind kind_ = ValueKind::kNull;
  uint8_t scale_ = 0;  // decimal scale, inet prefix length, or range flags
  bool ipv6_ = false;
  int64_t integer_ = 0;
  double float_ = 0;
  double y_ = 0;  // kPoint's second coordinate
  Interval interval_;
  uint8_t bytes_[16] = {};
  std::string buffer_;
  bool borrowed_ = false;           // the text is borrowed_text_, not buffer_ (BorrowFrom)
  std::string_view borrowed_text_;  //
  std::vector<Value> elements_;     // grows to the longest array seen; array_size_ are in use
  size_t array_size_ = 0;
};

}  // namespace seedforge::values
