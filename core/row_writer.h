// The encoder interface between generators and sinks.
//
// A generator calls BeginRow(), then exactly one value method per column of its TableSchema in
// column order, then EndRow(). The concrete writer (COPY text, COPY binary, CSV, JSONL, null) turns
// the typed values into bytes appended to a ByteBuffer that it does not own. Generators never know
// the output format; writers never know the domain.
//
// Writers are not thread-safe: each pipeline token owns one writer and one buffer.
//
// Which method writes which column type (core/sql_type.h):
//   smallint Int16, integer Int32, bigint Int64, numeric Numeric or NumericText (Numeric2 for the
//   fleet's numeric(12,2)), real Float32, double precision Float64, boolean Bool,
//   text / varchar(n) / char(n) / enum labels Text, date Date, time Time,
//   timestamp LocalTimestamp, timestamptz Timestamp, interval Interval, uuid Uuid,
//   inet Inet (or Inet4 for an IPv4 host), cidr Cidr, macaddr MacAddr, json JsonText,
//   jsonb Json, bytea Bytea, xml Text (the server checks it is well-formed), tsvector TsVector,
//   point Point, ranges BeginRange ... EndRange, arrays BeginArray ... EndArray.
// Text is written as given in every format: a char(n) value is not blank-padded here (the server
// pads it to n), and an enum value is its label (binary COPY sends enums as their label text).
// A value too long for a varchar(n)/char(n) or out of an enum's labels is refused by the server.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

namespace seedforge {

// An IPv4 or IPv6 address with a prefix length, as inet and cidr hold it.
struct IpAddress {
  bool v6 = false;
  // The address, most significant byte first: bytes 0..3 for IPv4, 0..15 for IPv6.
  uint8_t bytes[16] = {};
  // Network prefix in bits: 0..32 for IPv4, 0..128 for IPv6. A full prefix (32 or 128) is a
  // host address, which inet prints without "/n".
  uint8_t prefix = 32;
};

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
  // SQL NULL for the current column (REQUIRES: the column is nullable), or a NULL element of the
  // array being written.
  virtual void Null() = 0;

  // --- Every other column type. Text formats write what the server's input function reads; the
  // JSON form of each is given (JSONL); binary COPY writes what the type's send function sends.
  // The writers of sinks/encoding.cc implement all of them. The defaults abort: they are for the
  // writers that only ever see the fleet's types above (verify's fingerprint, the fleet's id
  // mapping), which must implement these before a table with such a column reaches them.

  // smallint. JSON: a number.
  virtual void Int16(int16_t /*value*/) { Unimplemented("Int16"); }
  // real / double precision, in the shortest text that reads back as the same value ("0.1",
  // "1e+20"); NaN and infinities as the server spells them ("NaN", "Infinity", "-Infinity"),
  // which JSON gets as strings. Binary: the IEEE 754 bits.
  virtual void Float32(float /*value*/) { Unimplemented("Float32"); }
  virtual void Float64(double /*value*/) { Unimplemented("Float64"); }
  // numeric: unscaled / 10^scale, printed with exactly `scale` fraction digits (Numeric(-5, 3) is
  // -0.005). REQUIRES: 0 <= scale <= 1000. JSON: a number with those digits.
  virtual void Numeric(int64_t /*unscaled*/, int /*scale*/) { Unimplemented("Numeric"); }
  // money, in cents (the server's money has two fraction digits under lc_monetary C and most
  // locales). Text: "-12.34", which the server's input reads whatever the locale prints; JSON:
  // that number. Binary: the int64 cents (cash_send).
  virtual void Money(int64_t cents) { Numeric(cents, 2); }
  // numeric from its decimal digits, for values beyond int64: -?[0-9]+(\.[0-9]+)? ("-0012.50"
  // is -12.50: leading zeros go, the fraction digits given are the scale). REQUIRES: that form,
  // at most 16383 fraction digits.
  virtual void NumericText(std::string_view /*decimal*/) { Unimplemented("NumericText"); }
  // date, as days since 1970-01-01 (the Unix epoch, like every time in seedforge; binary COPY
  // counts from 2000-01-01 and the writer converts). Text: YYYY-MM-DD, years before 1 AD as
  // "YYYY-MM-DD BC" (year 0 is 1 BC). REQUIRES: the server's range, 4714-11-24 BC (-2440588) to
  // 5874897-12-31 (2145042905).
  virtual void Date(int32_t /*days_since_unix_epoch*/) { Unimplemented("Date"); }
  // time without time zone: microseconds since midnight, 0 .. 86400000000 (24:00:00 included).
  // Text: HH:MM:SS[.ffffff] (six fraction digits when the fraction is not zero).
  virtual void Time(int64_t /*micros_of_day*/) { Unimplemented("Time"); }
  // timestamp without time zone: the wall-clock time as microseconds since 1970-01-01 00:00:00.
  // COPY text: "YYYY-MM-DD HH:MM:SS[.ffffff][ BC]"; CSV and JSON put a 'T' between date and time.
  // REQUIRES: from 4714-11-24 00:00:00 BC; int64 ends before the server's limit (292277 AD).
  virtual void LocalTimestamp(int64_t /*micros*/) { Unimplemented("LocalTimestamp"); }
  // interval: months, days and microseconds, each with its own sign, as the server keeps them.
  // Text: "M mons D days [-]HH:MM:SS[.ffffff]" in every format (JSON as a string).
  // REQUIRES: micros > INT64_MIN (the server cannot read that one back from text).
  virtual void Interval(int32_t /*months*/, int32_t /*days*/, int64_t /*micros*/) {
    Unimplemented("Interval");
  }
  // uuid, bytes in RFC 4122 order. Text: 8-4-4-4-12 lower-case hex digits.
  virtual void Uuid(const uint8_t (&/*bytes*/)[16]) { Unimplemented("Uuid"); }
  // inet: "a.b.c.d" or RFC 5952 IPv6 ("2001:db8::1"), with "/prefix" unless the prefix is full.
  virtual void Inet(const IpAddress& /*address*/) { Unimplemented("Inet"); }
  // cidr: always "address/prefix". REQUIRES: no bit set after the prefix (the server refuses).
  virtual void Cidr(const IpAddress& /*address*/) { Unimplemented("Cidr"); }
  // bytea. Text: the hex form \x0a1b (COPY text writes \\x0a1b: its escaping doubles the
  // backslash); JSON: the hex form as a string. Binary: the bytes.
  virtual void Bytea(std::span<const uint8_t> /*bytes*/) { Unimplemented("Bytea"); }
  // json (kept as text by the server; Json above is jsonb). REQUIRES: one valid JSON value.
  // JSON: embedded as it is.
  virtual void JsonText(std::string_view /*json*/) { Unimplemented("JsonText"); }

  // tsvector, given as tsvector_send sends it (core/text_search.h builds and reads that form):
  // int32 lexeme count, then per lexeme its UTF-8 bytes, a NUL, a uint16 count of positions and
  // the positions (uint16, weight bits 0: D), all big-endian. REQUIRES: lexemes distinct, in the
  // server's order (bytewise, a prefix first), positions ascending in 1..16383. Text: the output
  // form 'brown':3 'fox':4 (JSON as a string). Binary: those bytes.
  virtual void TsVector(std::string_view /*send_form*/) { Unimplemented("TsVector"); }
  // point. Text: (x,y), each as Float64 prints it; CSV quotes the field (it has a comma); JSON
  // the text as a string. Binary: the two float8.
  virtual void Point(double /*x*/, double /*y*/) { Unimplemented("Point"); }
  // A range: BeginRange(flags), then one value method per present bound (lower first) with the
  // range's element type (int4range Int32, int8range Int64, numrange Numeric, daterange Date,
  // tsrange LocalTimestamp, tstzrange Timestamp), then EndRange(). A bound is present unless
  // the range is empty or the flags say it is infinite. Text: [lo,hi) with brackets from the
  // flags, an infinite bound left empty, "empty" for an empty range; bounds are not quoted
  // (range_in keeps spaces inside a bound); CSV quotes the field, JSON gives the text as a
  // string. Binary: range_send's form, the flags byte then each bound as an int32 length and
  // its element's send bytes. REQUIRES: a discrete range (int4range, int8range, daterange) in
  // the server's canonical form, [lo,hi), so that its text is what the server prints.
  static constexpr uint8_t kRangeEmpty = 0x01;  // rangetypes.h RANGE_EMPTY
  static constexpr uint8_t kRangeLowerInclusive = 0x02;
  static constexpr uint8_t kRangeUpperInclusive = 0x04;
  static constexpr uint8_t kRangeLowerInfinite = 0x08;
  static constexpr uint8_t kRangeUpperInfinite = 0x10;
  virtual void BeginRange(uint8_t /*flags*/) { Unimplemented("BeginRange"); }
  virtual void EndRange() { Unimplemented("EndRange"); }

  // A one-dimensional array: BeginArray(), one value method (or Null()) per element, EndArray().
  // All elements have the column's element type; arrays do not nest. Text: {1,2,NULL}, strings
  // and dates/times double-quoted; JSON: [1,2,null]; binary: array_send's form with the element
  // type OID the encoding was given for this column (sinks/encoding.h: EncodingOptions).
  virtual void BeginArray() { Unimplemented("BeginArray"); }
  virtual void EndArray() { Unimplemented("EndArray"); }

 private:
  [[noreturn]] static void Unimplemented(const char* method) {
    std::fprintf(stderr, "seedforge: internal error: RowWriter::%s is not implemented here\n",
                 method);
    std::abort();
  }
};

}  // namespace seedforge
