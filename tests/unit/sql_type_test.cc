// The column type model (core/sql_type.h): every spelling users and format_type() write parses,
// prints as format_type() does (the server-side oracle is tests/db/column_types_test.cc), bad
// types are refused with a message naming the text, and the fit helpers give exact bounds.
#include "core/sql_type.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace seedforge {
namespace {

SqlType Parsed(std::string_view text) {
  auto type = ParseSqlType(text);
  EXPECT_TRUE(type.ok()) << text << ": " << type.status().message();
  return type.ok() ? *type : SqlType{};
}

std::string ParseError(std::string_view text) {
  auto type = ParseSqlType(text);
  EXPECT_FALSE(type.ok()) << text << " parsed as " << (type.ok() ? FormatSqlType(*type) : "");
  return type.ok() ? "" : type.status().message();
}

TEST(ParseSqlType, AcceptsEveryAliasAndPrintsFormatTypeSpelling) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"smallint", "smallint"},
      {"int2", "smallint"},
      {"INT", "integer"},
      {"int4", "integer"},
      {"Integer", "integer"},
      {"bigint", "bigint"},
      {"int8", "bigint"},
      {"numeric", "numeric"},
      {"numeric(12,2)", "numeric(12,2)"},
      {"decimal(5)", "numeric(5,0)"},
      {"dec ( 10 , -2 )", "numeric(10,-2)"},
      {"numeric(3,5)", "numeric(3,5)"},
      {"real", "real"},
      {"float4", "real"},
      {"float(24)", "real"},
      {"float8", "double precision"},
      {"double precision", "double precision"},
      {"DOUBLE  PRECISION", "double precision"},
      {"float", "double precision"},
      {"float(25)", "double precision"},
      {"bool", "boolean"},
      {"boolean", "boolean"},
      {"text", "text"},
      {"varchar", "character varying"},
      {"varchar(150)", "character varying(150)"},
      {"character varying(17)", "character varying(17)"},
      {"char varying(3)", "character varying(3)"},
      {"char", "character(1)"},
      {"char(5)", "character(5)"},
      {"character(10)", "character(10)"},
      {"bpchar", "bpchar"},
      {"bpchar(3)", "character(3)"},
      {"date", "date"},
      {"time", "time without time zone"},
      {"time(3)", "time(3) without time zone"},
      {"time without time zone", "time without time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timestamp(3)", "timestamp(3) without time zone"},
      {"timestamp(0) without time zone", "timestamp(0) without time zone"},
      {"TIMESTAMP WITH TIME ZONE", "timestamp with time zone"},
      {"timestamp(6) with time zone", "timestamp(6) with time zone"},
      {"timestamptz", "timestamp with time zone"},
      {"timestamptz(2)", "timestamp(2) with time zone"},
      {"interval", "interval"},
      {"interval(3)", "interval(3)"},
      {"interval year", "interval year"},
      {"interval year to month", "interval year to month"},
      {"interval day to second(2)", "interval day to second(2)"},
      {"interval hour to minute", "interval hour to minute"},
      {"interval second(0)", "interval second(0)"},
      {"uuid", "uuid"},
      {"xml", "xml"},
      {"TSVECTOR", "tsvector"},
      {"int4range", "int4range"},
      {"pg_catalog.int8range", "int8range"},
      {"numrange", "numrange"},
      {"daterange", "daterange"},
      {"tsrange", "tsrange"},
      {"tstzrange", "tstzrange"},
      {"point", "point"},
      {"inet", "inet"},
      {"cidr", "cidr"},
      {"macaddr", "macaddr"},
      {"json", "json"},
      {"jsonb", "jsonb"},
      {"bytea", "bytea"},
      {"money", "money"},
      {"int[]", "integer[]"},
      {"text[]", "text[]"},
      {"integer[]", "integer[]"},
      {"int[][]", "integer[]"},
      {"int[3]", "integer[]"},
      {"integer ARRAY", "integer[]"},
      {"integer array[4]", "integer[]"},
      {"varchar(10)[]", "character varying(10)[]"},
      {"numeric(10,2)[]", "numeric(10,2)[]"},
      {"timestamptz[]", "timestamp with time zone[]"},
      {"pg_catalog.int4", "integer"},
      {"pg_catalog.varchar(4)", "character varying(4)"},
      {"mood", "mood"},
      {"Mood", "mood"},
      {"public.mood", "public.mood"},
      {"\"Mood\"", "\"Mood\""},
      {"app.\"Job Status\"", "app.\"Job Status\""},
      {"\"user\"", "\"user\""},
      {"\"a\"\"b\"", "\"a\"\"b\""},
      {"mood[]", "mood[]"},
      {"\"App\".mood[]", "\"App\".mood[]"},
  };
  for (const auto& [text, formatted] : cases) {
    EXPECT_EQ(FormatSqlType(Parsed(text)), formatted) << "for " << text;
  }
}

TEST(ParseSqlType, FillsTheFieldsOfTheModel) {
  const SqlType numeric = Parsed("numeric(12,2)");
  EXPECT_EQ(numeric.kind, SqlTypeKind::kNumeric);
  EXPECT_EQ(numeric.precision, 12);
  EXPECT_EQ(numeric.scale, 2);
  EXPECT_FALSE(numeric.array);

  const SqlType serial = Parsed("bigserial");
  EXPECT_EQ(serial.kind, SqlTypeKind::kBigint);
  EXPECT_TRUE(serial.serial);
  EXPECT_EQ(FormatSqlType(serial), "bigint");
  EXPECT_TRUE(Parsed("serial").serial);
  EXPECT_EQ(Parsed("serial4").kind, SqlTypeKind::kInteger);
  EXPECT_EQ(Parsed("smallserial").kind, SqlTypeKind::kSmallint);
  EXPECT_EQ(Parsed("serial8").kind, SqlTypeKind::kBigint);
  EXPECT_FALSE(Parsed("int8").serial);

  const SqlType timestamp = Parsed("timestamp(3)");
  EXPECT_EQ(timestamp.kind, SqlTypeKind::kTimestamp);
  EXPECT_EQ(timestamp.fraction_digits, 3);
  EXPECT_EQ(Parsed("timestamp").fraction_digits, -1);

  const SqlType interval = Parsed("interval minute to second(4)");
  EXPECT_EQ(interval.interval_fields, IntervalFields::kMinuteToSecond);
  EXPECT_EQ(interval.fraction_digits, 4);

  const SqlType varchar_array = Parsed("character varying(20)[]");
  EXPECT_EQ(varchar_array.kind, SqlTypeKind::kVarchar);
  EXPECT_EQ(varchar_array.length, 20);
  EXPECT_TRUE(varchar_array.array);
  EXPECT_EQ(ElementType(varchar_array), Parsed("varchar(20)"));

  const SqlType enum_type = Parsed("app.\"Job Status\"[]");
  EXPECT_EQ(enum_type.kind, SqlTypeKind::kEnum);
  EXPECT_EQ(enum_type.enum_schema, "app");
  EXPECT_EQ(enum_type.enum_name, "Job Status");
  EXPECT_TRUE(enum_type.array);
  EXPECT_EQ(Parsed("Mood").enum_name, "mood");
  EXPECT_EQ(Parsed("Mood").enum_schema, "");
}

TEST(ParseSqlType, RefusesWhatTheServerWouldRefuseOrSeedforgeCannotWrite) {
  EXPECT_EQ(ParseError(""), "column type is empty");
  EXPECT_EQ(ParseError("  "), "column type is empty");
  EXPECT_EQ(ParseError("varchar(0)"),
            "column type \"varchar(0)\": length must be between 1 and 10485760");
  EXPECT_EQ(ParseError("char(10485761)"),
            "column type \"char(10485761)\": length must be between 1 and 10485760");
  EXPECT_EQ(ParseError("numeric(0)"),
            "column type \"numeric(0)\": precision must be between 1 and 1000");
  EXPECT_EQ(ParseError("numeric(10,1001)"),
            "column type \"numeric(10,1001)\": scale must be between -1000 and 1000");
  EXPECT_EQ(ParseError("timestamp(7)"),
            "column type \"timestamp(7)\": precision must be between 0 and 6");
  EXPECT_EQ(ParseError("float(54)"),
            "column type \"float(54)\": precision of float must be between 1 and 53");
  EXPECT_EQ(ParseError("time with time zone"),
            "column type \"time with time zone\": time with time zone is not supported (use "
            "timestamptz)");
  EXPECT_EQ(ParseError("box"), "column type \"box\": type box is not supported");
  EXPECT_EQ(ParseError("int4multirange"),
            "column type \"int4multirange\": type int4multirange is not supported");
  EXPECT_EQ(ParseError("xml[]"), "column type \"xml[]\": arrays of xml are not supported");
  EXPECT_EQ(ParseError("tstzrange[]"),
            "column type \"tstzrange[]\": arrays of tstzrange are not supported");
  EXPECT_EQ(ParseError("point ARRAY"),
            "column type \"point ARRAY\": arrays of point are not supported");
  EXPECT_EQ(ParseError("timetz"), "column type \"timetz\": type timetz is not supported");
  EXPECT_EQ(ParseError("serial[]"), "column type \"serial[]\": a serial type cannot be an array");
  EXPECT_EQ(ParseError("int extra"), "column type \"int extra\": unexpected 'extra'");
  EXPECT_EQ(ParseError("varchar(10"), "column type \"varchar(10\": expected ')'");
  EXPECT_EQ(ParseError("double"), "column type \"double\": expected 'precision'");
  EXPECT_EQ(ParseError("timestamp with zone"),
            "column type \"timestamp with zone\": expected 'time'");
  EXPECT_EQ(ParseError("interval year to second"),
            "column type \"interval year to second\": not a valid interval field range");
  EXPECT_EQ(ParseError("interval year(2)"), "column type \"interval year(2)\": unexpected '('");
  EXPECT_EQ(ParseError("a.b.c"), "column type \"a.b.c\": unexpected '.'");
  EXPECT_EQ(ParseError("\"open"), "column type \"\"open\": unterminated quoted name");
  EXPECT_EQ(ParseError("\"\""), "column type \"\"\"\": empty quoted name");
  EXPECT_EQ(ParseError("int;drop"), "column type \"int;drop\": unexpected character ';'");
  EXPECT_EQ(ParseError("int[3"), "column type \"int[3\": expected ']'");
  EXPECT_EQ(ParseError("pg_catalog.nosuch"),
            "column type \"pg_catalog.nosuch\": no such type in pg_catalog");
  EXPECT_EQ(ParseError(std::string(64, 'e')),
            "column type \"" + std::string(64, 'e') + "\": name longer than 63 bytes");
}

TEST(BuiltinElementOid, IsTheCatalogOidOfTheElementTypeAndZeroForEnums) {
  EXPECT_EQ(BuiltinElementOid(Parsed("smallint")), 21u);
  EXPECT_EQ(BuiltinElementOid(Parsed("int[]")), 23u);
  EXPECT_EQ(BuiltinElementOid(Parsed("bigint")), 20u);
  EXPECT_EQ(BuiltinElementOid(Parsed("text[]")), 25u);
  EXPECT_EQ(BuiltinElementOid(Parsed("varchar(3)[]")), 1043u);
  EXPECT_EQ(BuiltinElementOid(Parsed("char(3)")), 1042u);
  EXPECT_EQ(BuiltinElementOid(Parsed("numeric(5,2)")), 1700u);
  EXPECT_EQ(BuiltinElementOid(Parsed("timestamptz")), 1184u);
  EXPECT_EQ(BuiltinElementOid(Parsed("uuid")), 2950u);
  EXPECT_EQ(BuiltinElementOid(Parsed("xml")), 142u);
  EXPECT_EQ(BuiltinElementOid(Parsed("tsvector")), 3614u);
  EXPECT_EQ(BuiltinElementOid(Parsed("int4range")), 3904u);
  EXPECT_EQ(BuiltinElementOid(Parsed("tstzrange")), 3910u);
  EXPECT_EQ(BuiltinElementOid(Parsed("point")), 600u);
  EXPECT_EQ(RangeElementKind(SqlTypeKind::kDateRange), SqlTypeKind::kDate);
  EXPECT_EQ(RangeElementKind(SqlTypeKind::kNumRange), SqlTypeKind::kNumeric);
  EXPECT_TRUE(IsRangeKind(SqlTypeKind::kTsRange));
  EXPECT_FALSE(IsRangeKind(SqlTypeKind::kPoint));
  EXPECT_EQ(BuiltinElementOid(Parsed("jsonb")), 3802u);
  EXPECT_EQ(BuiltinElementOid(Parsed("mood[]")), 0u);
}

TEST(FitHelpers, IntegerRangesAreTheTypesExactBounds) {
  EXPECT_TRUE(FitsIntegers(Parsed("smallint"), -32768, 32767));
  EXPECT_FALSE(FitsIntegers(Parsed("smallint"), 0, 32768));
  EXPECT_FALSE(FitsIntegers(Parsed("smallint"), -32769, 0));
  EXPECT_TRUE(FitsIntegers(Parsed("serial"), 1, 2147483647));
  EXPECT_FALSE(FitsIntegers(Parsed("integer"), 1, 2147483648));
  EXPECT_TRUE(FitsIntegers(Parsed("bigint"), std::numeric_limits<int64_t>::min(),
                           std::numeric_limits<int64_t>::max()));
  EXPECT_TRUE(FitsIntegers(Parsed("int[]"), -5, 5));  // the element type
  EXPECT_FALSE(FitsIntegers(Parsed("numeric"), 0, 1));
  EXPECT_FALSE(IntegerRangeOf(Parsed("text")).has_value());
  EXPECT_EQ(IntegerRangeOf(Parsed("int2"))->max, 32767);
}

TEST(FitHelpers, CharacterLimitsCountCharactersAndTextIsUnlimited) {
  EXPECT_EQ(MaxCharacters(Parsed("varchar(150)")), 150);
  EXPECT_EQ(MaxCharacters(Parsed("char")), 1);
  EXPECT_EQ(MaxCharacters(Parsed("varchar")), -1);
  EXPECT_EQ(MaxCharacters(Parsed("bpchar")), -1);
  EXPECT_EQ(MaxCharacters(Parsed("text")), -1);
  EXPECT_EQ(MaxCharacters(Parsed("integer")), -1);
  EXPECT_TRUE(FitsCharacters(Parsed("varchar(17)"), 17));
  EXPECT_FALSE(FitsCharacters(Parsed("varchar(17)"), 18));
  EXPECT_TRUE(FitsCharacters(Parsed("char(5)"), 2));  // padded by the server
  EXPECT_FALSE(FitsCharacters(Parsed("char(5)"), 6));
  EXPECT_TRUE(FitsCharacters(Parsed("text"), 1'000'000'000));
  EXPECT_TRUE(FitsCharacters(Parsed("varchar"), 1'000'000));
  EXPECT_TRUE(FitsCharacters(Parsed("varchar(3)[]"), 3));
  EXPECT_FALSE(FitsCharacters(Parsed("integer"), 1));
  EXPECT_FALSE(FitsCharacters(Parsed("mood"), 1));
}

TEST(FitHelpers, NumericTakesIntegerDigitsUpToPrecisionMinusScale) {
  const SqlType money = Parsed("numeric(12,2)");
  EXPECT_TRUE(FitsNumeric(money, 10, 2));
  EXPECT_TRUE(FitsNumeric(money, 1, 0));
  EXPECT_FALSE(FitsNumeric(money, 11, 2));
  EXPECT_FALSE(FitsNumeric(money, 10, 3));  // would be rounded
  const SqlType fraction = Parsed("numeric(5,5)");
  EXPECT_TRUE(FitsNumeric(fraction, 0, 5));
  EXPECT_FALSE(FitsNumeric(fraction, 1, 0));
  const SqlType thousands = Parsed("numeric(2,-3)");  // multiples of 1000 below 100000
  EXPECT_TRUE(FitsNumeric(thousands, 5, -3));
  EXPECT_FALSE(FitsNumeric(thousands, 6, -3));
  EXPECT_FALSE(FitsNumeric(thousands, 5, 0));
  EXPECT_TRUE(FitsNumeric(Parsed("numeric"), 100, 50));
  EXPECT_FALSE(FitsNumeric(Parsed("numeric"), 131073, 0));
  EXPECT_FALSE(FitsNumeric(Parsed("numeric"), 0, 16384));
  EXPECT_FALSE(FitsNumeric(Parsed("double precision"), 1, 0));
}

TEST(FitHelpers, FractionDigitsKeptDefaultToSix) {
  EXPECT_EQ(FractionDigitsKept(Parsed("timestamp(3)")), 3);
  EXPECT_EQ(FractionDigitsKept(Parsed("timestamptz")), 6);
  EXPECT_EQ(FractionDigitsKept(Parsed("time(0)")), 0);
  EXPECT_EQ(FractionDigitsKept(Parsed("interval day to second(2)")), 2);
  EXPECT_EQ(FractionDigitsKept(Parsed("integer")), -1);
}

}  // namespace
}  // namespace seedforge
