// The encoders' bytes, checked against hand-written expectations from PostgreSQL's documented
// COPY formats (text: tab-separated with backslash escapes; binary: big-endian, typed fields).
#include <gtest/gtest.h>

#include <string>

#include "core/byte_buffer.h"
#include "core/table_schema.h"
#include "sinks/encoding.h"

namespace seedforge {
namespace {

TableSchema SampleSchema() {
  TableSchema schema;
  schema.name = "sample";
  schema.columns = {{"id", ColumnType::kInt64},         {"name", ColumnType::kText},
                    {"active", ColumnType::kBool},      {"at", ColumnType::kTimestamp},
                    {"size", ColumnType::kNumeric2},    {"ip", ColumnType::kInet},
                    {"mac", ColumnType::kMacAddr},      {"payload", ColumnType::kJson},
                    {"owner", ColumnType::kInt64, true}};
  return schema;
}

// 2024-01-02T03:04:05.000006Z
constexpr int64_t kSampleTime = 1704164645000006;
constexpr uint8_t kMac[6] = {0x00, 0x50, 0x56, 0xab, 0xcd, 0xef};

void WriteSampleRow(RowWriter& writer, std::string_view name) {
  writer.BeginRow();
  writer.Int64(42);
  writer.Text(name);
  writer.Bool(true);
  writer.Timestamp(kSampleTime);
  writer.Numeric2(-12345);
  writer.Inet4(0x0A000102);
  writer.MacAddr(kMac);
  writer.Json(R"({"a":"x\\y"})");
  writer.Null();
  writer.EndRow();
}

std::string Encode(Format format, std::string_view name) {
  const TableSchema schema = SampleSchema();
  auto encoding = MakeEncoding(format, schema);
  ByteBuffer buffer;
  encoding->WritePrologue(buffer);
  auto writer = encoding->NewRowWriter(&buffer);
  WriteSampleRow(*writer, name);
  encoding->WriteEpilogue(buffer);
  return std::string(buffer.view());
}

TEST(CopyTextEncoding, WritesTabSeparatedEscapedFieldsWithBackslashNForNull) {
  EXPECT_EQ(Encode(Format::kCopyText, "tab\there\\"),
            "42\ttab\\there\\\\\tt\t2024-01-02 03:04:05.000006+00\t-123.45\t10.0.1.2\t"
            "00:50:56:ab:cd:ef\t{\"a\":\"x\\\\\\\\y\"}\t\\N\n");
}

TEST(CsvEncoding, WritesHeaderQuotesWhenNeededAndLeavesNullEmpty) {
  EXPECT_EQ(Encode(Format::kCsv, "say \"hi\", ok"),
            "id,name,active,at,size,ip,mac,payload,owner\n"
            "42,\"say \"\"hi\"\", ok\",true,2024-01-02T03:04:05.000006Z,-123.45,10.0.1.2,"
            "00:50:56:ab:cd:ef,\"{\"\"a\"\":\"\"x\\\\y\"\"}\",\n");
}

TEST(CsvEncoding, QuotesEmptyTextSoItIsNotReadAsNull) {
  const std::string csv = Encode(Format::kCsv, "");
  EXPECT_EQ(csv.substr(csv.find('\n') + 1, 6), "42,\"\",");
}

TEST(JsonlEncoding, WritesOneObjectPerLineWithTypedValues) {
  EXPECT_EQ(Encode(Format::kJsonl, "line\nbreak \"q\""),
            "{\"id\":42,\"name\":\"line\\nbreak \\\"q\\\"\",\"active\":true,"
            "\"at\":\"2024-01-02T03:04:05.000006Z\",\"size\":-123.45,\"ip\":\"10.0.1.2\","
            "\"mac\":\"00:50:56:ab:cd:ef\",\"payload\":{\"a\":\"x\\\\y\"},\"owner\":null}\n");
}

TEST(CopyBinaryEncoding, WritesSignatureTypedFieldsAndTrailer) {
  std::string expected("PGCOPY\n\377\r\n\0", 11);
  expected += std::string("\0\0\0\0\0\0\0\0", 8);               // flags, extension length
  expected += std::string("\0\x09", 2);                         // 9 fields
  expected += std::string("\0\0\0\x08\0\0\0\0\0\0\0\x2a", 12);  // int8 42
  expected += std::string("\0\0\0\x04name", 8);                 // text
  expected += std::string("\0\0\0\x01\x01", 5);                 // bool true
  // timestamptz: microseconds since 2000-01-01 = 1704164645000006 - 946684800000000
  //            = 757479845000006 = 0x0002B0EC_8515F346
  expected += std::string("\0\0\0\x08\x00\x02\xb0\xec\x85\x15\xf3\x46", 12);
  // numeric -123.45: ndigits 2, weight 0, sign 0x4000, dscale 2, digits 123 and 4500 (0x1194)
  expected += std::string("\0\0\0\x0c\0\x02\0\0\x40\0\0\x02\0\x7b\x11\x94", 16);
  expected += std::string("\0\0\0\x08\x02\x20\0\x04\x0a\0\x01\x02", 12);  // inet 10.0.1.2/32
  expected += std::string("\0\0\0\x06\x00\x50\x56\xab\xcd\xef", 10);      // macaddr
  const std::string json = R"({"a":"x\\y"})";
  expected += std::string("\0\0\0", 3) + static_cast<char>(json.size() + 1) + '\x01' + json;
  expected += std::string("\xff\xff\xff\xff", 4);  // NULL
  expected += std::string("\xff\xff", 2);          // trailer
  EXPECT_EQ(Encode(Format::kCopyBinary, "name"), expected);
}

TEST(CopyBinaryEncoding, NumericDropsZeroGroupsLikePostgres) {
  TableSchema schema;
  schema.name = "n";
  schema.columns = {{"v", ColumnType::kNumeric2}};
  auto encoding = MakeEncoding(Format::kCopyBinary, schema);
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  writer->BeginRow();
  writer->Numeric2(1000000);  // 10000.00: one group "1" of weight 1, no fraction
  writer->EndRow();
  writer->BeginRow();
  writer->Numeric2(5);  // 0.05: one fraction group 500 of weight -1
  writer->EndRow();
  writer->BeginRow();
  writer->Numeric2(0);  // 0.00: no groups
  writer->EndRow();
  const std::string expected = std::string("\0\x01\0\0\0\x0a\0\x01\0\x01\0\0\0\x02\0\x01", 16) +
                               std::string("\0\x01\0\0\0\x0a\0\x01\xff\xff\0\0\0\x02\x01\xf4", 16) +
                               std::string("\0\x01\0\0\0\x08\0\0\0\0\0\0\0\x02", 14);
  EXPECT_EQ(std::string(buffer.view()), expected);
}

TEST(CopyBinaryEncoding, SendsEachColumnInTheFormOfTheTablesOwnType) {
  // The sample row into a table whose migrations typed the columns otherwise: id integer, ip
  // and mac varchar, payload json, owner smallint (EncodingOptions::wire_types).
  const TableSchema schema = SampleSchema();
  EncodingOptions options;
  options.wire_types = {WireType::kInt32,      WireType::kAsDeclared, WireType::kAsDeclared,
                        WireType::kAsDeclared, WireType::kAsDeclared, WireType::kText,
                        WireType::kText,       WireType::kJson,       WireType::kInt16};
  auto encoding = MakeEncoding(Format::kCopyBinary, schema, options);
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  WriteSampleRow(*writer, "name");
  writer->BeginRow();  // the widths apply to every row, and to an owner that is not NULL
  writer->Int64(-2);
  writer->Text("");
  writer->Bool(false);
  writer->Timestamp(kSampleTime);
  writer->Numeric2(0);
  writer->Inet4(0xC0A80001);
  writer->MacAddr(kMac);
  writer->Json("{}");
  writer->Int64(300);
  writer->EndRow();
  std::string expected("\0\x09", 2);
  expected += std::string("\0\0\0\x04\0\0\0\x2a", 8);  // int4 42
  expected += std::string("\0\0\0\x04name", 8);
  expected += std::string("\0\0\0\x01\x01", 5);
  expected += std::string("\0\0\0\x08\x00\x02\xb0\xec\x85\x15\xf3\x46", 12);
  expected += std::string("\0\0\0\x0c\0\x02\0\0\x40\0\0\x02\0\x7b\x11\x94", 16);
  expected += std::string("\0\0\0\x08", 4) + "10.0.1.2";
  expected += std::string("\0\0\0\x11", 4) + "00:50:56:ab:cd:ef";
  const std::string json = R"({"a":"x\\y"})";
  expected += std::string("\0\0\0", 3) + static_cast<char>(json.size()) + json;  // no version
  expected += std::string("\xff\xff\xff\xff", 4);
  expected += std::string("\0\x09", 2);
  expected += std::string("\0\0\0\x04\xff\xff\xff\xfe", 8);  // int4 -2
  expected += std::string("\0\0\0\0", 4);
  expected += std::string("\0\0\0\x01\0", 5);
  expected += std::string("\0\0\0\x08\x00\x02\xb0\xec\x85\x15\xf3\x46", 12);
  expected += std::string("\0\0\0\x08\0\0\0\0\0\0\0\x02", 12);
  expected += std::string("\0\0\0\x0b", 4) + "192.168.0.1";
  expected += std::string("\0\0\0\x11", 4) + "00:50:56:ab:cd:ef";
  expected += std::string("\0\0\0\x02{}", 6);
  expected += std::string("\0\0\0\x02\x01\x2c", 6);  // int2 300
  EXPECT_EQ(std::string(buffer.view()), expected);
}

TEST(NullEncoding, WritesNothing) { EXPECT_EQ(Encode(Format::kNull, "x"), ""); }

TEST(FormatNames, ParseAndNameRoundTrip) {
  for (Format format :
       {Format::kCopyText, Format::kCopyBinary, Format::kCsv, Format::kJsonl, Format::kNull}) {
    auto parsed = ParseFormat(FormatName(format));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, format);
  }
  auto bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown format 'xml' (expected csv, jsonl, copy-text, copy-binary or null)");
}

}  // namespace
}  // namespace seedforge
