// The COPY-text-to-JSON converter of `seedforge export --format json` on rows written by hand:
// every COPY escape, every JSON escape, the values JSON cannot hold as numbers, timestamps, and
// rows with the wrong number of fields. tests/db/export_test.cc checks the same conversion
// against the server's own row_to_json on every column type.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/export_json.h"

namespace seedforge {
namespace {

std::string Convert(const std::vector<JsonColumn>& columns, std::string_view row) {
  ByteBuffer out;
  const CopyRowToJson converter(columns);
  EXPECT_TRUE(converter.AppendRow(row, out)) << row;
  return std::string(out.view());
}

JsonKind KindOf(std::string_view type) {
  bool server_converts = false;
  return JsonKindForType(type, &server_converts);
}

bool ServerConverts(std::string_view type) {
  bool server_converts = false;
  JsonKindForType(type, &server_converts);
  return server_converts;
}

TEST(ExportJson, KindsFollowFormatTypeNames) {
  EXPECT_EQ(KindOf("bigint"), JsonKind::kNumber);
  EXPECT_EQ(KindOf("numeric(12,2)"), JsonKind::kNumber);
  EXPECT_EQ(KindOf("double precision"), JsonKind::kNumber);
  EXPECT_EQ(KindOf("boolean"), JsonKind::kBoolean);
  EXPECT_EQ(KindOf("jsonb"), JsonKind::kJson);
  EXPECT_EQ(KindOf("timestamp(3) with time zone"), JsonKind::kTimestamp);
  EXPECT_EQ(KindOf("timestamp without time zone"), JsonKind::kTimestamp);
  EXPECT_EQ(KindOf("time without time zone"), JsonKind::kString);
  EXPECT_EQ(KindOf("character varying(20)"), JsonKind::kString);
  EXPECT_EQ(KindOf("inet"), JsonKind::kString);
  EXPECT_EQ(KindOf("money"), JsonKind::kString);
  EXPECT_FALSE(ServerConverts("jsonb"));
  EXPECT_FALSE(ServerConverts("text"));
  // Arrays, enums, domains, ranges: the server's to_json renders them.
  EXPECT_TRUE(ServerConverts("bigint[]"));
  EXPECT_TRUE(ServerConverts("character varying(20)[]"));
  EXPECT_TRUE(ServerConverts("public.mood"));
  EXPECT_TRUE(ServerConverts("int4range"));
  EXPECT_EQ(KindOf("public.mood"), JsonKind::kJson);
}

TEST(ExportJson, ScalarsNullsAndBooleans) {
  const std::vector<JsonColumn> columns = {{"id", JsonKind::kNumber},
                                           {"price", JsonKind::kNumber},
                                           {"active", JsonKind::kBoolean},
                                           {"owner", JsonKind::kNumber},
                                           {"name", JsonKind::kString}};
  EXPECT_EQ(Convert(columns, "7\t-12.50\tt\t\\N\tada\n"),
            R"({"id":7,"price":-12.50,"active":true,"owner":null,"name":"ada"})");
  EXPECT_EQ(Convert(columns, "8\t1e+20\tf\t3\t\n"),
            R"({"id":8,"price":1e+20,"active":false,"owner":3,"name":""})");
}

TEST(ExportJson, NumbersJsonCannotHoldBecomeStrings) {
  const std::vector<JsonColumn> columns = {
      {"a", JsonKind::kNumber}, {"b", JsonKind::kNumber}, {"c", JsonKind::kNumber}};
  EXPECT_EQ(Convert(columns, "NaN\tInfinity\t-Infinity\n"),
            R"({"a":"NaN","b":"Infinity","c":"-Infinity"})");
}

TEST(ExportJson, CopyEscapesAreUndoneAndJsonEscapesApplied) {
  const std::vector<JsonColumn> columns = {{"s", JsonKind::kString}};
  // COPY text: backslash, tab, newline, CR, backspace, form feed, vertical tab escaped; a quote,
  // a raw control byte, DEL and UTF-8 come through as they are.
  EXPECT_EQ(Convert(columns, "a\\\\b\\tc\\nd\\re\\bf\\fg\\vh\"i\x01j\x7fk\xc3\xa9\n"),
            "{\"s\":\"a\\\\b\\tc\\nd\\re\\bf\\fg\\u000bh\\\"i\\u0001j\x7fk\xc3\xa9\"}");
}

TEST(ExportJson, KeysAreEscapedOnce) {
  const std::vector<JsonColumn> columns = {{"we\"ird\tkey", JsonKind::kNumber}};
  EXPECT_EQ(Convert(columns, "1\n"), "{\"we\\\"ird\\tkey\":1}");
}

TEST(ExportJson, JsonValuesAreEmbeddedWithOnlyCopyEscapesUndone) {
  const std::vector<JsonColumn> columns = {{"j", JsonKind::kJson}, {"k", JsonKind::kJson}};
  // jsonb text {"a": "x\\y\ty"}: COPY doubles its backslashes.
  EXPECT_EQ(Convert(columns, "{\"a\": \"x\\\\\\\\y\\\\ty\"}\t[1, null]\n"),
            "{\"j\":{\"a\": \"x\\\\y\\ty\"},\"k\":[1, null]}");
  // A json (not jsonb) value keeps its own layout, newlines included.
  EXPECT_EQ(Convert(columns, "{\\n  \"a\" : 1\\n}\t\\N\n"), "{\"j\":{\n  \"a\" : 1\n},\"k\":null}");
}

TEST(ExportJson, TimestampsAsIso8601LikeRowToJson) {
  const std::vector<JsonColumn> columns = {{"t", JsonKind::kTimestamp}};
  EXPECT_EQ(Convert(columns, "2024-01-02 03:04:05.12345+00\n"),
            R"({"t":"2024-01-02T03:04:05.12345+00:00"})");
  EXPECT_EQ(Convert(columns, "2024-01-02 03:04:05+05:30\n"),
            R"({"t":"2024-01-02T03:04:05+05:30"})");
  EXPECT_EQ(Convert(columns, "2024-01-02 03:04:05-03\n"), R"({"t":"2024-01-02T03:04:05-03:00"})");
  EXPECT_EQ(Convert(columns, "2024-01-02 03:04:05.5\n"), R"({"t":"2024-01-02T03:04:05.5"})");
  EXPECT_EQ(Convert(columns, "infinity\n"), R"({"t":"infinity"})");
  EXPECT_EQ(Convert(columns, "0044-03-15 12:00:00+00 BC\n"),
            R"({"t":"0044-03-15 12:00:00+00 BC"})");
}

TEST(ExportJson, RowsWithTheWrongNumberOfFieldsAreRefused) {
  const CopyRowToJson converter({{"a", JsonKind::kNumber}, {"b", JsonKind::kNumber}});
  ByteBuffer out;
  EXPECT_FALSE(converter.AppendRow("1\n", out));
  out.Reset();
  EXPECT_FALSE(converter.AppendRow("1\t2\t3\n", out));
  out.Reset();
  EXPECT_TRUE(converter.AppendRow("1\t2\n", out));
  EXPECT_EQ(out.view(), R"({"a":1,"b":2})");
}

}  // namespace
}  // namespace seedforge
