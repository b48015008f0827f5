// Every column type against a real server: FormatSqlType() prints what format_type() prints for
// a table declared with every spelling (the server is the oracle), and rows of every type written
// by the COPY text and COPY binary writers load and read back, column by column with
// `SELECT col::text`, as the literal strings below (typical values, then NULLs and edge values:
// integer bounds, numeric at its largest scale, the first and last dates, IPv6, empty arrays and
// arrays with NULL).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/byte_buffer.h"
#include "core/row_writer.h"
#include "core/sql_type.h"
#include "core/table_schema.h"
#include "sinks/encoding.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::TestCluster;

std::unique_ptr<PgConnection> Connect(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  EXPECT_TRUE(connection.ok()) << connection.status().message();
  return connection.ok() ? std::move(connection).value() : nullptr;
}

void RunSql(PgConnection& connection, const std::string& sql) {
  const Status status = connection.Execute(sql);
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << sql;
}

std::vector<std::string> FormatTypes(PgConnection& connection, const std::string& table) {
  auto result = connection.Query(
      "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + table +
      "'::regclass AND attnum > 0 ORDER BY attnum");
  EXPECT_TRUE(result.ok()) << result.status().message();
  std::vector<std::string> types;
  if (!result.ok()) return types;
  for (const auto& row : result->rows) types.push_back(row[0].value_or("NULL"));
  return types;
}

constexpr const char* kEnums =
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
    "CREATE TYPE \"Mood\" AS ENUM ('x');"
    "CREATE TYPE \"user\" AS ENUM ('x');"
    "CREATE SCHEMA app;"
    "CREATE TYPE app.\"Job Status\" AS ENUM ('open', 'done');";

TEST(ColumnTypesOnServer, FormatSqlTypePrintsWhatFormatTypePrints) {
  // Every spelling a user may write, as a column of one table; format_type() of each column is
  // what FormatSqlType(ParseSqlType(spelling)) must print.
  const std::vector<std::string> spellings = {"smallint",
                                              "int2",
                                              "smallserial",
                                              "integer",
                                              "int",
                                              "int4",
                                              "serial",
                                              "bigint",
                                              "int8",
                                              "bigserial",
                                              "numeric",
                                              "numeric(12,2)",
                                              "decimal(5)",
                                              "numeric(10,-2)",
                                              "numeric(3,5)",
                                              "numeric(1000,1000)",
                                              "real",
                                              "float4",
                                              "float(24)",
                                              "double precision",
                                              "float8",
                                              "float",
                                              "float(53)",
                                              "boolean",
                                              "bool",
                                              "text",
                                              "varchar",
                                              "varchar(150)",
                                              "character varying(17)",
                                              "char",
                                              "char(5)",
                                              "character(10)",
                                              "bpchar",
                                              "date",
                                              "time",
                                              "time(0)",
                                              "time(6) without time zone",
                                              "timestamp",
                                              "timestamp(3)",
                                              "timestamp without time zone",
                                              "timestamp with time zone",
                                              "timestamptz",
                                              "timestamptz(2)",
                                              "timestamp(6) with time zone",
                                              "interval",
                                              "interval(3)",
                                              "interval year",
                                              "interval month",
                                              "interval day",
                                              "interval hour",
                                              "interval minute",
                                              "interval second",
                                              "interval second(2)",
                                              "interval year to month",
                                              "interval day to hour",
                                              "interval day to minute",
                                              "interval day to second",
                                              "interval day to second(4)",
                                              "interval hour to minute",
                                              "interval hour to second(0)",
                                              "interval minute to second",
                                              "uuid",
                                              "inet",
                                              "cidr",
                                              "macaddr",
                                              "json",
                                              "jsonb",
                                              "bytea",
                                              "xml",
                                              "tsvector",
                                              "int4range",
                                              "int8range",
                                              "numrange",
                                              "daterange",
                                              "tsrange",
                                              "tstzrange",
                                              "point",
                                              "int[]",
                                              "integer[]",
                                              "text[]",
                                              "int[][]",
                                              "integer ARRAY",
                                              "varchar(10)[]",
                                              "numeric(10,2)[]",
                                              "timestamptz(3)[]",
                                              "interval day[]",
                                              "bpchar[]",
                                              "char(2)[]",
                                              "mood",
                                              "mood[]",
                                              "\"Mood\"",
                                              "\"user\"",
                                              "app.\"Job Status\"",
                                              "app.\"Job Status\"[]",
                                              "pg_catalog.int8"};
  const std::string url = TestCluster::Get().CreateDatabase("types_format");
  auto connection = Connect(url);
  ASSERT_NE(connection, nullptr);
  std::string ddl = "CREATE TABLE every_spelling (";
  for (size_t i = 0; i < spellings.size(); ++i) {
    ddl += (i == 0 ? "c" : ", c") + std::to_string(i) + " " + spellings[i];
  }
  ddl += ")";
  RunSql(*connection, kEnums);
  RunSql(*connection, ddl);

  const std::vector<std::string> server = FormatTypes(*connection, "every_spelling");
  ASSERT_EQ(server.size(), spellings.size());
  for (size_t i = 0; i < spellings.size(); ++i) {
    auto type = ParseSqlType(spellings[i]);
    ASSERT_TRUE(type.ok()) << type.status().message();
    EXPECT_EQ(FormatSqlType(*type), server[i]) << "declared as " << spellings[i];
  }

  // With search_path = pg_catalog the server qualifies every enum; each of its answers parses
  // back to a type that prints the same text.
  RunSql(*connection, "SET search_path = pg_catalog");
  const std::vector<std::string> qualified = FormatTypes(*connection, "public.every_spelling");
  ASSERT_EQ(qualified.size(), spellings.size());
  const size_t mood = std::find(spellings.begin(), spellings.end(), "mood") - spellings.begin();
  EXPECT_EQ(server[mood], "mood");
  EXPECT_EQ(qualified[mood], "public.mood");
  for (const std::string& text : qualified) {
    auto type = ParseSqlType(text);
    ASSERT_TRUE(type.ok()) << type.status().message();
    EXPECT_EQ(FormatSqlType(*type), text);
  }
}

// --- COPY round trip ----------------------------------------------------------------------------

struct Column {
  std::string name;
  std::string type;
};

const std::vector<Column>& EveryTypeColumns() {
  static const std::vector<Column> columns = {
      {"id", "integer"},
      {"c_smallint", "smallint"},
      {"c_integer", "integer"},
      {"c_bigint", "bigint"},
      {"c_numeric", "numeric(10,3)"},
      {"c_numeric_free", "numeric"},
      {"c_numeric_max_scale", "numeric(5,5)"},
      {"c_real", "real"},
      {"c_double", "double precision"},
      {"c_boolean", "boolean"},
      {"c_text", "text"},
      {"c_varchar", "varchar(10)"},
      {"c_char", "char(5)"},
      {"c_date", "date"},
      {"c_time", "time"},
      {"c_timestamp", "timestamp"},
      {"c_timestamptz", "timestamptz"},
      {"c_interval", "interval"},
      {"c_uuid", "uuid"},
      {"c_inet", "inet"},
      {"c_cidr", "cidr"},
      {"c_macaddr", "macaddr"},
      {"c_json", "json"},
      {"c_jsonb", "jsonb"},
      {"c_bytea", "bytea"},
      {"c_enum", "mood"},
      {"c_int_array", "int[]"},
      {"c_text_array", "text[]"},
      {"c_enum_array", "mood[]"},
      {"c_date_array", "date[]"},
      {"c_timestamptz_array", "timestamptz[]"},
      {"c_varchar_array", "varchar(3)[]"},
      {"c_char_padded", "char(5)"},
  };
  return columns;
}

// 2024-01-02T03:04:05.000006Z
constexpr int64_t kSampleTime = 1704164645000006;
constexpr uint8_t kMac[6] = {0x00, 0x50, 0x56, 0xab, 0xcd, 0xef};
constexpr uint8_t kUuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

IpAddress Address(bool v6, std::initializer_list<uint8_t> bytes, uint8_t prefix) {
  IpAddress address;
  address.v6 = v6;
  address.prefix = prefix;
  int i = 0;
  for (const uint8_t byte : bytes) address.bytes[i++] = byte;
  return address;
}

void WriteTypicalRow(RowWriter& w, int id) {
  w.Int32(id);
  w.Int16(12);
  w.Int32(123456);
  w.Int64(1234567890123);
  w.Numeric(1234567, 3);
  w.NumericText("3.14159265358979323846264338327950288");
  w.Numeric(99999, 5);
  w.Float32(1.5f);
  w.Float64(0.1);
  w.Bool(true);
  w.Text("tab\there \"q\" \\ back\nline");
  w.Text("ünïcödé ok");  // ten characters, more bytes
  w.Text("ab");
  w.Date(19724);
  w.Time(3723000004);
  w.LocalTimestamp(kSampleTime);
  w.Timestamp(kSampleTime);
  w.Interval(14, 3, 3723000004);
  w.Uuid(kUuid);
  w.Inet(Address(false, {192, 168, 0, 1}, 24));
  w.Cidr(Address(true, {0x20, 0x01, 0x0d, 0xb8}, 32));
  w.MacAddr(kMac);
  w.JsonText(R"({"b": 1, "a": [1, 2]})");
  w.Json(R"({"b": 1, "a": [1, 2]})");
  const uint8_t bytes[3] = {0x00, 0x5c, 0xff};
  w.Bytea(bytes);
  w.Text("happy");
  w.BeginArray();
  w.Int32(1);
  w.Null();
  w.Int32(-3);
  w.EndArray();
  w.BeginArray();
  w.Text("a b");
  w.Text(R"(q"\)");
  w.Text("");
  w.Text("NULL");
  w.Text("x,y{}");
  w.EndArray();
  w.BeginArray();
  w.Text("sad");
  w.Text("happy");
  w.EndArray();
  w.BeginArray();
  w.Date(0);
  w.Date(-2440588);
  w.EndArray();
  w.BeginArray();
  w.Timestamp(kSampleTime);
  w.EndArray();
  w.BeginArray();
  w.Text("abc");
  w.EndArray();
  w.Text("ab");
}

const std::vector<std::optional<std::string>> kTypicalText = {
    "",  // id, filled in per row
    "12",
    "123456",
    "1234567890123",
    "1234.567",
    "3.14159265358979323846264338327950288",
    "0.99999",
    "1.5",
    "0.1",
    "true",
    "tab\there \"q\" \\ back\nline",
    "ünïcödé ok",
    "ab",  // char(5) holds "ab   "; the cast to text drops the padding
    "2024-01-02",
    "01:02:03.000004",
    "2024-01-02 03:04:05.000006",
    "2024-01-02 03:04:05.000006+00",
    "1 year 2 mons 3 days 01:02:03.000004",
    "00112233-4455-6677-8899-aabbccddeeff",
    "192.168.0.1/24",
    "2001:db8::/32",
    "00:50:56:ab:cd:ef",
    R"({"b": 1, "a": [1, 2]})",
    R"({"a": [1, 2], "b": 1})",
    R"(\x005cff)",
    "happy",
    "{1,NULL,-3}",
    R"({"a b","q\"\\","","NULL","x,y{}"})",
    "{sad,happy}",
    R"({1970-01-01,"4714-11-24 BC"})",
    R"({"2024-01-02 03:04:05.000006+00"})",
    "{abc}",
    "ab",
};

void WriteEdgeRow(RowWriter& w, int id) {
  w.Int32(id);
  w.Int16(std::numeric_limits<int16_t>::min());
  w.Int32(std::numeric_limits<int32_t>::max());
  w.Int64(std::numeric_limits<int64_t>::min());
  w.Null();
  w.NumericText("-123456789012345678901234567890.000000000000000000000000000001");
  w.Numeric(-99999, 5);
  w.Float32(std::numeric_limits<float>::quiet_NaN());
  w.Float64(-std::numeric_limits<double>::infinity());
  w.Null();
  w.Text("");
  w.Null();
  w.Null();
  w.Date(2145042905);                              // 5874897-12-31, the last date
  w.Time(86400000000);                             // 24:00:00
  w.LocalTimestamp(-2440588LL * 86400 * 1000000);  // 4714-11-24 00:00:00 BC
  w.Timestamp(253402300799999999);                 // 9999-12-31 23:59:59.999999
  w.Interval(-1, -2, -1);
  const uint8_t all_ones[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  w.Uuid(all_ones);
  w.Inet(Address(true, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4}, 128));
  w.Cidr(Address(false, {0, 0, 0, 0}, 0));
  w.Null();
  w.Null();
  w.Json("{}");
  w.Bytea(std::span<const uint8_t>());
  w.Null();
  w.BeginArray();
  w.EndArray();
  w.BeginArray();
  w.Null();
  w.EndArray();
  w.Null();
  w.BeginArray();
  w.EndArray();
  w.BeginArray();
  w.Null();
  w.Timestamp(0);
  w.EndArray();
  w.Null();
  w.Text("abcde");
}

const std::vector<std::optional<std::string>> kEdgeText = {
    "",
    "-32768",
    "2147483647",
    "-9223372036854775808",
    std::nullopt,
    "-123456789012345678901234567890.000000000000000000000000000001",
    "-0.99999",
    "NaN",
    "-Infinity",
    std::nullopt,
    "",
    std::nullopt,
    std::nullopt,
    "5874897-12-31",
    "24:00:00",
    "4714-11-24 00:00:00 BC",
    "9999-12-31 23:59:59.999999+00",
    "-1 mons -2 days -00:00:00.000001",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "::ffff:1.2.3.4/128",  // inet's cast to text always shows the prefix (network_show)
    "0.0.0.0/0",
    std::nullopt,
    std::nullopt,
    "{}",
    R"(\x)",
    std::nullopt,
    "{}",
    "{NULL}",
    std::nullopt,
    "{}",
    R"({NULL,"1970-01-01 00:00:00+00"})",
    std::nullopt,
    "abcde",
};

// Writes rows with `format` and COPYs them into every_type.
void Load(PgConnection& connection, Format format, const EncodingOptions& options,
          const std::vector<std::function<void(RowWriter&)>>& rows) {
  TableSchema schema;
  schema.name = "every_type";
  std::string list;
  for (const Column& column : EveryTypeColumns()) {
    schema.columns.push_back({column.name, ColumnType::kText});
    list += (list.empty() ? "" : ", ") + column.name;
  }
  auto encoding = MakeEncoding(format, schema, options);
  ByteBuffer buffer;
  encoding->WritePrologue(buffer);
  auto writer = encoding->NewRowWriter(&buffer);
  for (const auto& row : rows) {
    writer->BeginRow();
    row(*writer);
    writer->EndRow();
  }
  encoding->WriteEpilogue(buffer);
  const std::string copy = "COPY every_type (" + list + ") FROM STDIN (FORMAT " +
                           (format == Format::kCopyBinary ? "binary" : "text") + ")";
  ASSERT_TRUE(connection.CopyBegin(copy).ok());
  const Status put = connection.CopyPut(buffer.view());
  const Status end = connection.CopyEnd();
  ASSERT_TRUE(put.ok()) << put.message();
  ASSERT_TRUE(end.ok()) << FormatName(format) << ": " << end.message();
}

void ExpectRow(PgConnection& connection, int id, std::vector<std::optional<std::string>> expected,
               const char* what) {
  expected[0] = std::to_string(id);
  std::string select;
  for (const Column& column : EveryTypeColumns()) {
    select += (select.empty() ? "" : ", ") + column.name + "::text";
  }
  auto result =
      connection.Query("SELECT " + select + " FROM every_type WHERE id = " + std::to_string(id));
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->rows.size(), 1u) << what;
  const auto& row = result->rows[0];
  ASSERT_EQ(row.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(row[i], expected[i]) << what << ", column " << EveryTypeColumns()[i].name;
  }
}

TEST(ColumnTypesOnServer, EveryTypeLoadsByCopyTextAndBinaryAndReadsBackAsWritten) {
  const std::string url = TestCluster::Get().CreateDatabase("types_copy");
  auto connection = Connect(url);
  ASSERT_NE(connection, nullptr);
  RunSql(*connection, kEnums);
  std::string ddl = "CREATE TABLE every_type (";
  for (const Column& column : EveryTypeColumns()) {
    ddl += (column.name == "id" ? "" : ", ") + column.name + " " + column.type;
  }
  RunSql(*connection, ddl + ")");

  // Binary COPY needs every array's element type: built-in OIDs are fixed, the enum's is this
  // database's own.
  auto mood_oid = connection->QueryInt("SELECT 'mood'::regtype::oid::bigint");
  ASSERT_TRUE(mood_oid.ok()) << mood_oid.status().message();
  EncodingOptions options;
  for (const Column& column : EveryTypeColumns()) {
    auto type = ParseSqlType(column.type);
    ASSERT_TRUE(type.ok());
    uint32_t oid = 0;
    if (type->array) {
      oid = type->kind == SqlTypeKind::kEnum ? static_cast<uint32_t>(*mood_oid)
                                             : BuiltinElementOid(*type);
    }
    options.array_element_oids.push_back(oid);
  }

  Load(*connection, Format::kCopyText, options,
       {[](RowWriter& w) { WriteTypicalRow(w, 1); }, [](RowWriter& w) { WriteEdgeRow(w, 2); }});
  Load(*connection, Format::kCopyBinary, options,
       {[](RowWriter& w) { WriteTypicalRow(w, 3); }, [](RowWriter& w) { WriteEdgeRow(w, 4); }});

  ExpectRow(*connection, 1, kTypicalText, "copy-text typical row");
  ExpectRow(*connection, 2, kEdgeText, "copy-text edge row");
  ExpectRow(*connection, 3, kTypicalText, "copy-binary typical row");
  ExpectRow(*connection, 4, kEdgeText, "copy-binary edge row");

  // inet's output function (concat uses it) prints a host address without its prefix, as the
  // writers do.
  EXPECT_EQ(testing::QueryValue(
                url, "SELECT string_agg(concat(c_inet), ' ' ORDER BY id) FROM every_type"),
            "192.168.0.1/24 ::ffff:1.2.3.4 192.168.0.1/24 ::ffff:1.2.3.4");

  // The char(5) column holds its padding (the server's job, not the writer's), and the
  // varchar(10) value is ten characters in more bytes.
  EXPECT_EQ(testing::QueryValue(url,
                                "SELECT string_agg(octet_length(c_char_padded)::text || '/' "
                                "|| char_length(c_varchar)::text || '/' || "
                                "octet_length(c_varchar)::text, ' ' ORDER BY id) FROM "
                                "every_type WHERE id IN (1, 3)"),
            "5/10/14 5/10/14");
}

TEST(ColumnTypesOnServer, ServerRefusesWhatDoesNotFitTheDeclaredType) {
  // What the fit helpers predict, the server enforces: an 11-character value in varchar(10), a
  // numeric beyond numeric(5,5), an integer beyond smallint in binary COPY.
  const std::string url = TestCluster::Get().CreateDatabase("types_fit");
  auto connection = Connect(url);
  ASSERT_NE(connection, nullptr);
  RunSql(*connection, "CREATE TABLE fit (v varchar(10), n numeric(5,5))");
  auto type = ParseSqlType("varchar(10)");
  ASSERT_TRUE(type.ok());
  EXPECT_TRUE(FitsCharacters(*type, 10));
  EXPECT_FALSE(FitsCharacters(*type, 11));
  TableSchema schema;
  schema.name = "fit";
  schema.columns = {{"v", ColumnType::kText}, {"n", ColumnType::kText}};
  for (const auto& [value, numeric, message] :
       std::vector<std::tuple<std::string, int64_t, std::string>>{
           {"elevenchars", 1, "value too long for type character varying(10)"},
           {"ok", 100000, "numeric field overflow"}}) {
    auto encoding = MakeEncoding(Format::kCopyBinary, schema);
    ByteBuffer buffer;
    encoding->WritePrologue(buffer);
    auto writer = encoding->NewRowWriter(&buffer);
    writer->BeginRow();
    writer->Text(value);
    writer->Numeric(numeric, 5);
    writer->EndRow();
    encoding->WriteEpilogue(buffer);
    ASSERT_TRUE(connection->CopyBegin("COPY fit FROM STDIN (FORMAT binary)").ok());
    (void)connection->CopyPut(buffer.view());
    const Status end = connection->CopyEnd();
    ASSERT_FALSE(end.ok());
    EXPECT_NE(end.message().find(message), std::string::npos) << end.message();
  }
}

}  // namespace
}  // namespace seedforge
