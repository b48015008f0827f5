// The writers' bytes for every column type beyond the fleet's, in every format. The expected
// bytes are written by hand: text forms from the PostgreSQL documentation's input syntax of each
// type (and what its output function prints), binary forms from the types' send functions
// (int2send, float4send, numeric_send, date_send, interval_send, uuid_send, inet_send,
// array_send...). tests/db/column_types_test.cc loads the same kinds of rows into a server.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/byte_buffer.h"
#include "core/row_writer.h"
#include "core/table_schema.h"
#include "sinks/encoding.h"

namespace seedforge {
namespace {

// Big-endian bytes, for spelling binary COPY by hand.
std::string Be16(uint16_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string Be32(uint32_t v) { return Be16(static_cast<uint16_t>(v >> 16)) + Be16(uint16_t(v)); }
std::string Be64(uint64_t v) { return Be32(static_cast<uint32_t>(v >> 32)) + Be32(uint32_t(v)); }
std::string Hex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return bytes;
}
std::string Join(const std::vector<std::string>& fields, char separator) {
  std::string joined;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) joined += separator;
    joined += fields[i];
  }
  return joined;
}

TableSchema Columns(const std::vector<std::string>& names) {
  TableSchema schema;
  schema.name.push_back('t');  // not = "t": GCC 12 warns falsely about that (-Wrestrict)
  for (const std::string& name : names) schema.columns.push_back({name, ColumnType::kText});
  return schema;
}

// One row written by `write`, without the stream's prologue and epilogue.
std::string Row(Format format, const TableSchema& schema,
                const std::function<void(RowWriter&)>& write, EncodingOptions options = {}) {
  auto encoding = MakeEncoding(format, schema, std::move(options));
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  writer->BeginRow();
  write(*writer);
  writer->EndRow();
  return std::string(buffer.view());
}

// One column, one value.
std::string Value(Format format, const std::function<void(RowWriter&)>& write,
                  uint32_t element_oid = 0) {
  EncodingOptions options;
  if (element_oid != 0) options.array_element_oids = {element_oid};
  return Row(format, Columns({"v"}), write, std::move(options));
}

// The value of a one-column binary row: the row's field count (1) stripped.
std::string BinaryValue(const std::function<void(RowWriter&)>& write, uint32_t element_oid = 0) {
  const std::string row = Value(Format::kCopyBinary, write, element_oid);
  EXPECT_EQ(row.substr(0, 2), Be16(1));
  return row.substr(2);
}

// --- One row with every new type, in each format ---------------------------------------------

constexpr uint8_t kUuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
constexpr uint8_t kBytes[3] = {0x00, 0x5c, 0xff};
// 2024-01-02T03:04:05.000006
constexpr int64_t kSampleTime = 1704164645000006;

IpAddress Ipv6(std::initializer_list<uint16_t> words, uint8_t prefix = 128) {
  IpAddress address;
  address.v6 = true;
  address.prefix = prefix;
  int i = 0;
  for (const uint16_t word : words) {
    address.bytes[i++] = static_cast<uint8_t>(word >> 8);
    address.bytes[i++] = static_cast<uint8_t>(word);
  }
  return address;
}

IpAddress Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t prefix = 32) {
  IpAddress address;
  address.bytes[0] = a;
  address.bytes[1] = b;
  address.bytes[2] = c;
  address.bytes[3] = d;
  address.prefix = prefix;
  return address;
}

const TableSchema& EveryTypeSchema() {
  static const TableSchema schema =
      Columns({"i16", "f32", "f64", "num", "numtext", "date", "time", "ts", "ivl", "uuid", "inet",
               "cidr", "bytea", "json", "ints", "texts", "empty"});
  return schema;
}

EncodingOptions EveryTypeOptions() {
  EncodingOptions options;
  options.array_element_oids.assign(17, 0);
  options.array_element_oids[14] = 23;  // int4
  options.array_element_oids[15] = 25;  // text
  options.array_element_oids[16] = 23;
  return options;
}

void WriteEveryType(RowWriter& writer) {
  writer.Int16(-32768);
  writer.Float32(1.5f);
  writer.Float64(0.1);
  writer.Numeric(-5, 3);
  writer.NumericText("-0012345678901234567890.50");
  writer.Date(-2440588);  // 4714-11-24 BC, the first date the server takes
  writer.Time(86399999999);
  writer.LocalTimestamp(kSampleTime);
  writer.Interval(14, -3, -3723000004);
  writer.Uuid(kUuid);
  writer.Inet(Ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}));
  writer.Cidr(Ipv4(192, 168, 0, 0, 24));
  writer.Bytea(kBytes);
  writer.JsonText(R"({"a": [1, 2]})");
  writer.BeginArray();
  writer.Int32(1);
  writer.Null();
  writer.Int32(-3);
  writer.EndArray();
  writer.BeginArray();
  writer.Text("a b");
  writer.Text(R"(q"\)");
  writer.Text("");
  writer.Text("NULL");
  writer.EndArray();
  writer.BeginArray();
  writer.EndArray();
}

std::string EveryTypeRow(Format format) {
  return Row(format, EveryTypeSchema(), WriteEveryType, EveryTypeOptions());
}

TEST(ColumnTypesEncoding, CopyTextWritesWhatEachInputFunctionReads) {
  EXPECT_EQ(
      EveryTypeRow(Format::kCopyText),
      Join({"-32768", "1.5", "0.1", "-0.005", "-12345678901234567890.50", "4714-11-24 BC",
            "23:59:59.999999", "2024-01-02 03:04:05.000006", "14 mons -3 days -01:02:03.000004",
            "00112233-4455-6677-8899-aabbccddeeff", "2001:db8::1", "192.168.0.0/24", R"(\\x005cff)",
            R"({"a": [1, 2]})", "{1,NULL,-3}", R"({"a b","q\\"\\\\","","NULL"})", "{}"},
           '\t') +
          "\n");
}

TEST(ColumnTypesEncoding, CsvQuotesArraysAndJsonAndPutsTBetweenDateAndTime) {
  EXPECT_EQ(EveryTypeRow(Format::kCsv),
            Join({"-32768", "1.5", "0.1", "-0.005", "-12345678901234567890.50", "4714-11-24 BC",
                  "23:59:59.999999", "2024-01-02T03:04:05.000006",
                  "14 mons -3 days -01:02:03.000004", "00112233-4455-6677-8899-aabbccddeeff",
                  "2001:db8::1", "192.168.0.0/24", R"(\x005cff)", R"("{""a"": [1, 2]}")",
                  R"("{1,NULL,-3}")", R"("{""a b"",""q\""\\"","""",""NULL""}")", R"("{}")"},
                 ',') +
                "\n");
}

TEST(ColumnTypesEncoding, JsonlWritesNumbersStringsEmbeddedJsonAndArrays) {
  EXPECT_EQ(EveryTypeRow(Format::kJsonl),
            R"({"i16":-32768,"f32":1.5,"f64":0.1,"num":-0.005,)"
            R"("numtext":-12345678901234567890.50,"date":"4714-11-24 BC",)"
            R"("time":"23:59:59.999999","ts":"2024-01-02T03:04:05.000006",)"
            R"("ivl":"14 mons -3 days -01:02:03.000004",)"
            R"("uuid":"00112233-4455-6677-8899-aabbccddeeff","inet":"2001:db8::1",)"
            R"("cidr":"192.168.0.0/24","bytea":"\\x005cff","json":{"a": [1, 2]},)"
            R"("ints":[1,null,-3],"texts":["a b","q\"\\","","NULL"],"empty":[]})"
            "\n");
}

TEST(ColumnTypesEncoding, CopyBinaryWritesWhatEachSendFunctionSends) {
  std::string expected = Be16(17);
  expected += Be32(2) + Be16(0x8000);             // int2 -32768
  expected += Be32(4) + Hex("3fc00000");          // float4 1.5
  expected += Be32(8) + Hex("3fb999999999999a");  // float8 0.1
  // numeric -0.005: 1 digit, weight -1, negative, dscale 3; the digit is 0050 (0.0050)
  expected += Be32(10) + Be16(1) + Be16(0xffff) + Be16(0x4000) + Be16(3) + Be16(50);
  // numeric -12345678901234567890.50: groups 1234 5678 9012 3456 7890 . 5000, weight 4
  expected += Be32(20) + Be16(6) + Be16(4) + Be16(0x4000) + Be16(2) + Be16(1234) + Be16(5678) +
              Be16(9012) + Be16(3456) + Be16(7890) + Be16(5000);
  // date: days since 2000-01-01 = -2440588 - 10957 = -2451545
  expected += Be32(4) + Be32(static_cast<uint32_t>(-2451545));
  expected += Be32(8) + Be64(86399999999);  // time: microseconds of the day
  // timestamp: microseconds since 2000-01-01 = 1704164645000006 - 946684800000000
  expected += Be32(8) + Be64(757479845000006);
  // interval: microseconds, days, months
  expected += Be32(16) + Be64(static_cast<uint64_t>(-3723000004)) +
              Be32(static_cast<uint32_t>(-3)) + Be32(14);
  expected += Be32(16) + Hex("00112233445566778899aabbccddeeff");  // uuid
  // inet: PGSQL_AF_INET6 (3), 128 bits, not cidr, 16 bytes
  expected += Be32(20) + Hex("03800010") + Hex("20010db8000000000000000000000001");
  // cidr: PGSQL_AF_INET (2), 24 bits, cidr, 4 bytes
  expected += Be32(8) + Hex("02180104") + Hex("c0a80000");
  expected += Be32(3) + Hex("005cff");        // bytea
  expected += Be32(13) + R"({"a": [1, 2]})";  // json: text, no version byte
  // int4[]: ndim 1, has nulls, element int4 (23), 3 elements from 1, then each as a field
  expected += Be32(40) + Be32(1) + Be32(1) + Be32(23) + Be32(3) + Be32(1) + Be32(4) + Be32(1) +
              Be32(0xffffffff) + Be32(4) + Be32(static_cast<uint32_t>(-3));
  // text[]: no nulls, element text (25), 4 elements
  expected += Be32(46) + Be32(1) + Be32(0) + Be32(25) + Be32(4) + Be32(1) + Be32(3) + "a b" +
              Be32(3) + R"(q"\)" + Be32(0) + Be32(4) + "NULL";
  // the empty array: ndim 0, no dimension
  expected += Be32(12) + Be32(0) + Be32(0) + Be32(23);
  EXPECT_EQ(EveryTypeRow(Format::kCopyBinary), expected);
}

TEST(ColumnTypesEncoding, NullFormatWritesNothing) { EXPECT_EQ(EveryTypeRow(Format::kNull), ""); }

// --- Focused cases ----------------------------------------------------------------------------

TEST(ColumnTypesEncoding, FloatsAreShortestRoundTripAndNonFiniteAsTheServerSpellsThem) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Float64(1e20); }), "1e+20\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Float64(-0.25); }), "-0.25\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Float32(0.1f); }), "0.1\n");
  EXPECT_EQ(Value(Format::kCopyText, [&](RowWriter& w) { w.Float64(nan); }), "NaN\n");
  EXPECT_EQ(Value(Format::kCsv, [&](RowWriter& w) { w.Float64(-inf); }), "-Infinity\n");
  EXPECT_EQ(Value(Format::kCopyText, [&](RowWriter& w) { w.Float32(float(inf)); }), "Infinity\n");
  EXPECT_EQ(Value(Format::kJsonl, [&](RowWriter& w) { w.Float64(nan); }), "{\"v\":\"NaN\"}\n");
  EXPECT_EQ(Value(Format::kJsonl, [&](RowWriter& w) { w.Float32(float(-inf)); }),
            "{\"v\":\"-Infinity\"}\n");
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.Float64(1e20); }), "{\"v\":1e+20}\n");
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Float64(1e20); }), Be32(8) + Hex("4415af1d78b58c40"));
  EXPECT_EQ(BinaryValue([&](RowWriter& w) { w.Float64(-inf); }), Be32(8) + Hex("fff0000000000000"));
}

TEST(ColumnTypesEncoding, NumericKeepsTheScaleAndGroupsBase10000OnThePoint) {
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Numeric(0, 4); }), "0.0000\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Numeric(99999, 5); }), "0.99999\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Numeric(-42, 0); }), "-42\n");
  EXPECT_EQ(Value(Format::kCopyText,
                  [](RowWriter& w) { w.Numeric(std::numeric_limits<int64_t>::min(), 2); }),
            "-92233720368547758.08\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Numeric(7, 30); }),
            "0.000000000000000000000000000007\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.NumericText("000"); }), "0\n");
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.NumericText("-00.50"); }),
            "{\"v\":-0.50}\n");
  // 0.0000: no digits, weight 0, positive, dscale 4
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Numeric(0, 4); }),
            Be32(8) + Be16(0) + Be16(0) + Be16(0) + Be16(4));
  // -0.00 is zero: positive
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.NumericText("-0.00"); }),
            Be32(8) + Be16(0) + Be16(0) + Be16(0) + Be16(2));
  // 1234567.89: 123 4567 . 8900, weight 1
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Numeric(123456789, 2); }),
            Be32(14) + Be16(3) + Be16(1) + Be16(0) + Be16(2) + Be16(123) + Be16(4567) + Be16(8900));
  // 0.99999: 9999 9000, weight -1
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Numeric(99999, 5); }),
            Be32(12) + Be16(2) + Be16(0xffff) + Be16(0) + Be16(5) + Be16(9999) + Be16(9000));
  // 0.00000001: the leading zero group goes, 0001 at weight -2
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.NumericText("0.00000001"); }),
            Be32(10) + Be16(1) + Be16(0xfffe) + Be16(0) + Be16(8) + Be16(1));
  // 100000000: 1 at weight 2, the zero groups after it go, dscale 0
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Numeric(100000000, 0); }),
            Be32(10) + Be16(1) + Be16(2) + Be16(0) + Be16(0) + Be16(1));
}

TEST(ColumnTypesEncoding, DatesAndTimestampsWriteBcYearsTheServersWay) {
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Date(0); }), "1970-01-01\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Date(-719163); }), "0001-12-31 BC\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Date(-719162); }), "0001-01-01\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Date(2145042905); }), "5874897-12-31\n");
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.Date(19724); }), "{\"v\":\"2024-01-02\"}\n");
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Date(10957); }), Be32(4) + Be32(0));
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Date(2145042905); }),
            Be32(4) + Be32(2145042905 - 10957));
  // 4714-11-24 00:00:00 BC
  const int64_t first = -2440588LL * 86400 * 1000000;
  EXPECT_EQ(Value(Format::kCopyText, [&](RowWriter& w) { w.LocalTimestamp(first); }),
            "4714-11-24 00:00:00 BC\n");
  EXPECT_EQ(Value(Format::kCsv, [&](RowWriter& w) { w.LocalTimestamp(first + 500000); }),
            "4714-11-24T00:00:00.500000 BC\n");
  // 200000-01-01 00:00:00
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.LocalTimestamp(6249223180800000000); }),
            "200000-01-01 00:00:00\n");
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.LocalTimestamp(-1); }),
            "{\"v\":\"1969-12-31T23:59:59.999999\"}\n");
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.LocalTimestamp(946684800000001); }),
            Be32(8) + Be64(1));
}

TEST(ColumnTypesEncoding, TimesAndIntervals) {
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Time(0); }), "00:00:00\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Time(86400000000); }), "24:00:00\n");
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.Time(3723000004); }),
            "{\"v\":\"01:02:03.000004\"}\n");
  EXPECT_EQ(Value(Format::kCopyText, [](RowWriter& w) { w.Interval(0, 0, 0); }),
            "0 mons 0 days 00:00:00\n");
  EXPECT_EQ(Value(Format::kCopyText,
                  [](RowWriter& w) {
                    w.Interval(std::numeric_limits<int32_t>::min(),
                               std::numeric_limits<int32_t>::max(),
                               std::numeric_limits<int64_t>::max());
                  }),
            "-2147483648 mons 2147483647 days 2562047788:00:54.775807\n");
  EXPECT_EQ(Value(Format::kCsv, [](RowWriter& w) { w.Interval(0, 0, -1); }),
            "0 mons 0 days -00:00:00.000001\n");
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Interval(1, 2, 3); }),
            Be32(16) + Be64(3) + Be32(2) + Be32(1));
}

TEST(ColumnTypesEncoding, Ipv6IsPrintedAsInetNetNtopDoes) {
  auto text = [](const IpAddress& address, bool cidr) {
    return Value(Format::kCopyText, [&](RowWriter& w) {
      if (cidr) {
        w.Cidr(address);
      } else {
        w.Inet(address);
      }
    });
  };
  EXPECT_EQ(text(Ipv6({0, 0, 0, 0, 0, 0, 0, 0}), false), "::\n");
  EXPECT_EQ(text(Ipv6({0, 0, 0, 0, 0, 0, 0, 1}), false), "::1\n");
  EXPECT_EQ(text(Ipv6({1, 0, 0, 2, 0, 0, 0, 3}), false), "1:0:0:2::3\n");       // the longest run
  EXPECT_EQ(text(Ipv6({1, 0, 0, 1, 0, 0, 1, 1}), false), "1::1:0:0:1:1\n");     // the first of two
  EXPECT_EQ(text(Ipv6({1, 0, 2, 0, 3, 0, 4, 0}), false), "1:0:2:0:3:0:4:0\n");  // no run of 2
  EXPECT_EQ(text(Ipv6({0, 0, 0, 0, 0, 1, 0, 0}), false), "::1:0:0\n");
  EXPECT_EQ(text(Ipv6({0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}), false), "::ffff:1.2.3.4\n");
  EXPECT_EQ(text(Ipv6({0, 0, 0, 0, 0, 0, 0x0102, 0x0304}), false), "::1.2.3.4\n");
  EXPECT_EQ(text(Ipv6({0xfe80, 0, 0, 0, 0, 0, 0, 0}, 10), true), "fe80::/10\n");
  EXPECT_EQ(text(Ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xab}, 64), false), "2001:db8::ab/64\n");
  EXPECT_EQ(text(Ipv4(10, 0, 0, 1), false), "10.0.0.1\n");
  EXPECT_EQ(text(Ipv4(10, 0, 0, 1), true), "10.0.0.1/32\n");
  EXPECT_EQ(text(Ipv4(0, 0, 0, 0, 0), true), "0.0.0.0/0\n");
  EXPECT_EQ(BinaryValue([](RowWriter& w) { w.Inet(Ipv4(10, 1, 2, 3, 8)); }),
            Be32(8) + Hex("02080004") + Hex("0a010203"));
  EXPECT_EQ(Value(Format::kJsonl, [](RowWriter& w) { w.Cidr(Ipv4(10, 0, 0, 0, 8)); }),
            "{\"v\":\"10.0.0.0/8\"}\n");
}

// money: the number (what the server's input reads whatever lc_monetary prints), and in binary
// the int64 cents cash_send sends.
TEST(ColumnTypesEncoding, MoneyIsItsNumberInTextAndItsCentsInBinary) {
  EXPECT_EQ(Value(Format::kCopyText, [&](RowWriter& w) { w.Money(-123405); }), "-1234.05\n");
  EXPECT_EQ(Value(Format::kCsv, [&](RowWriter& w) { w.Money(7); }), "0.07\n");
  EXPECT_EQ(Value(Format::kJsonl, [&](RowWriter& w) { w.Money(250); }), "{\"v\":2.50}\n");
  EXPECT_EQ(BinaryValue([&](RowWriter& w) { w.Money(-123405); }),
            Be32(8) + Be64(static_cast<uint64_t>(int64_t{-123405})));
}

TEST(ColumnTypesEncoding, ByteaIsHexWithItsBackslashEscapedPerFormat) {
  const uint8_t none[1] = {0};
  const std::span<const uint8_t> empty(none, 0);
  EXPECT_EQ(Value(Format::kCopyText, [&](RowWriter& w) { w.Bytea(empty); }), "\\\\x\n");
  EXPECT_EQ(Value(Format::kCsv, [&](RowWriter& w) { w.Bytea(empty); }), "\\x\n");
  EXPECT_EQ(Value(Format::kJsonl, [&](RowWriter& w) { w.Bytea(kBytes); }),
            "{\"v\":\"\\\\x005cff\"}\n");
  EXPECT_EQ(BinaryValue([&](RowWriter& w) { w.Bytea(empty); }), Be32(0));
}

TEST(ColumnTypesEncoding, ArrayElementsTakeTheArrayEscapesUnderTheFormatsEscapes) {
  auto strings = [](RowWriter& w) {
    w.BeginArray();
    w.Text("tab\there");
    w.Text("{x,y}");
    w.Null();
    w.EndArray();
  };
  EXPECT_EQ(Value(Format::kCopyText, strings), R"({"tab\there","{x,y}",NULL})"
                                               "\n");
  EXPECT_EQ(Value(Format::kCsv, strings), "\"{\"\"tab\there\"\",\"\"{x,y}\"\",NULL}\"\n");
  EXPECT_EQ(Value(Format::kJsonl, strings), R"({"v":["tab\there","{x,y}",null]})"
                                            "\n");

  auto times = [](RowWriter& w) {
    w.BeginArray();
    w.Timestamp(kSampleTime);
    w.LocalTimestamp(kSampleTime);
    w.Interval(1, 0, 0);
    w.Date(0);
    w.EndArray();
  };
  EXPECT_EQ(
      Value(Format::kCopyText, times),
      R"({"2024-01-02 03:04:05.000006+00","2024-01-02 03:04:05.000006","1 mons 0 days 00:00:00",1970-01-01})"
      "\n");
  EXPECT_EQ(
      Value(Format::kJsonl, times),
      R"({"v":["2024-01-02T03:04:05.000006Z","2024-01-02T03:04:05.000006","1 mons 0 days 00:00:00","1970-01-01"]})"
      "\n");

  auto blobs = [](RowWriter& w) {
    const uint8_t one[1] = {0x01};
    w.BeginArray();
    w.Bytea(one);
    w.JsonText(R"({"k":"v"})");
    w.EndArray();
  };
  // the element \x01 is "\\x01" in the array literal, whose backslashes COPY text doubles again
  EXPECT_EQ(Value(Format::kCopyText, blobs), R"({"\\\\x01","{\\"k\\":\\"v\\"}"})"
                                             "\n");
  EXPECT_EQ(Value(Format::kCsv, blobs), R"("{""\\x01"",""{\""k\"":\""v\""}""}")"
                                        "\n");
  EXPECT_EQ(Value(Format::kJsonl, blobs), R"({"v":["\\x01",{"k":"v"}]})"
                                          "\n");
}

TEST(ColumnTypesEncoding, ArraysOfUnquotedTypes) {
  auto mixed = [](RowWriter& w) {
    w.BeginArray();
    w.Int16(-1);
    w.Int64(2);
    w.Bool(true);
    w.Numeric(15, 1);
    w.Uuid(kUuid);
    w.Inet(Ipv4(10, 0, 0, 1));
    w.EndArray();
  };
  EXPECT_EQ(Value(Format::kCopyText, mixed),
            "{-1,2,t,1.5,00112233-4455-6677-8899-aabbccddeeff,10.0.0.1}\n");
  EXPECT_EQ(Value(Format::kCsv, mixed),
            "\"{-1,2,true,1.5,00112233-4455-6677-8899-aabbccddeeff,10.0.0.1}\"\n");
  EXPECT_EQ(Value(Format::kJsonl, mixed),
            R"({"v":[-1,2,true,1.5,"00112233-4455-6677-8899-aabbccddeeff","10.0.0.1"]})"
            "\n");
}

TEST(ColumnTypesEncoding, BinaryArraysCarryTheElementOidTheEncodingWasGiven) {
  // An enum array: the element OID is the database's (16385 here); elements are labels.
  auto labels = [](RowWriter& w) {
    w.BeginArray();
    w.Text("happy");
    w.Null();
    w.EndArray();
  };
  EXPECT_EQ(BinaryValue(labels, 16385), Be32(33) + Be32(1) + Be32(1) + Be32(16385) + Be32(2) +
                                            Be32(1) + Be32(5) + "happy" + Be32(0xffffffff));
  // A NULL array column is a NULL field, and the next array column gets its own OID.
  TableSchema schema = Columns({"a", "b"});
  EncodingOptions options;
  options.array_element_oids = {23, 1082};
  const std::string row = Row(
      Format::kCopyBinary, schema,
      [](RowWriter& w) {
        w.Null();
        w.BeginArray();
        w.Date(10957);
        w.EndArray();
      },
      options);
  EXPECT_EQ(row, Be16(2) + Be32(0xffffffff) + Be32(28) + Be32(1) + Be32(0) + Be32(1082) + Be32(1) +
                     Be32(1) + Be32(4) + Be32(0));
}

TEST(ColumnTypesEncoding, NullArrayColumnsAreNullFieldsInTextFormats) {
  TableSchema schema = Columns({"a", "b"});
  auto write = [](RowWriter& w) {
    w.Null();
    w.BeginArray();
    w.Null();
    w.EndArray();
  };
  EXPECT_EQ(Row(Format::kCopyText, schema, write), "\\N\t{NULL}\n");
  EXPECT_EQ(Row(Format::kCsv, schema, write), ",\"{NULL}\"\n");
  EXPECT_EQ(Row(Format::kJsonl, schema, write), "{\"a\":null,\"b\":[null]}\n");
}

TEST(ColumnTypesEncoding, FleetMethodsWriteTheSameBytesBesideTheNewOnes) {
  // The old methods keep their output when a row mixes them with new ones.
  TableSchema schema = Columns({"id", "at", "n"});
  auto write = [](RowWriter& w) {
    w.Int64(7);
    w.Timestamp(kSampleTime);
    w.Numeric2(-12345);
  };
  EXPECT_EQ(Row(Format::kCopyText, schema, write), "7\t2024-01-02 03:04:05.000006+00\t-123.45\n");
  EXPECT_EQ(Row(Format::kCsv, schema, write), "7,2024-01-02T03:04:05.000006Z,-123.45\n");
}

}  // namespace
}  // namespace seedforge
