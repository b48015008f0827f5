// A parsed PostgreSQL column type: what a profile declares and what the catalog reports.
//
// ParseSqlType() reads the spellings users write in DDL and profiles (int, int4, varchar(20),
// timestamptz, double precision, serial, text[], public."Mood") as well as the text
// format_type() prints; FormatSqlType() prints exactly what format_type(atttypid, atttypmod)
// prints for a column of that type (tests/db/sql_type_test.cc checks it against the server). The
// fit helpers at the end answer "does every value a generator can produce fit this column" for
// integer ranges, character lengths and numeric precision.
//
// Supported: smallint, integer, bigint, numeric[(p[,s])], real, double precision, boolean, text,
// varchar[(n)], char[(n)], date, time[(p)], timestamp[(p)], timestamptz[(p)], interval[ fields]
// [(p)], uuid, inet, cidr, macaddr, json, jsonb, bytea, money, user enum types by name, and
// one-dimensional arrays of all of them; xml, tsvector, point and the six built-in range types
// (int4range, int8range, numrange, daterange, tsrange, tstzrange), not as arrays. Other built-in
// types (timetz, box, multiranges...) are refused by name rather than taken for an enum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace seedforge {

enum class SqlTypeKind : uint8_t {
  kSmallint,         // int2
  kInteger,          // int4
  kBigint,           // int8
  kNumeric,          // numeric / decimal
  kReal,             // float4
  kDoublePrecision,  // float8
  kBoolean,
  kText,
  kVarchar,      // character varying
  kChar,         // character (bpchar): blank-padded
  kDate,         //
  kTime,         // time without time zone
  kTimestamp,    // timestamp without time zone
  kTimestampTz,  // timestamp with time zone
  kInterval,
  kUuid,
  kInet,
  kCidr,
  kMacAddr,
  kJson,
  kJsonb,
  kBytea,
  kMoney,  // two fraction digits (lc_monetary C and most locales)
  kEnum,   // a user enum type, named by enum_schema/enum_name
  kXml,
  kTsVector,
  kInt4Range,
  kInt8Range,
  kNumRange,
  kDateRange,
  kTsRange,    // range of timestamp without time zone
  kTsTzRange,  // range of timestamp with time zone
  kPoint,
};

// True for int4range, int8range, numrange, daterange, tsrange and tstzrange.
bool IsRangeKind(SqlTypeKind kind);
// The element type of a range kind (int4range: integer, tstzrange: timestamptz); `kind` itself
// for every other kind.
SqlTypeKind RangeElementKind(SqlTypeKind kind);

// The field restriction of an interval type ("interval day to second"); kAll when none is given.
enum class IntervalFields : uint8_t {
  kAll,
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kYearToMonth,
  kDayToHour,
  kDayToMinute,
  kDayToSecond,
  kHourToMinute,
  kHourToSecond,
  kMinuteToSecond,
};

// Limits PostgreSQL 15 puts on type modifiers.
inline constexpr int kMaxNumericPrecision = 1000;
inline constexpr int kMinNumericScale = -1000;
inline constexpr int kMaxNumericScale = 1000;
inline constexpr int kMaxCharacterLength = 10485760;  // varchar(n), char(n)
inline constexpr int kMaxFractionDigits = 6;          // time(p), timestamp(p), interval(p)

struct SqlType {
  SqlTypeKind kind = SqlTypeKind::kText;
  // A one-dimensional array of `kind` (int[], text[][] and integer ARRAY[3] are all this: the
  // server does not enforce dimensions). Every field below then describes the element.
  bool array = false;
  // Declared as smallserial, serial or bigserial: the integer type whose default is an owned
  // sequence. format_type() knows no serial, so FormatSqlType prints the integer type.
  bool serial = false;
  // numeric: total digits 1..1000, or -1 when unconstrained ("numeric").
  int precision = -1;
  // numeric(p,s): digits after the point, -1000..1000 (a negative scale rounds to tens,
  // hundreds...); 0 when unconstrained.
  int scale = 0;
  // varchar(n), char(n): the most characters a value may have; -1 for no limit (varchar without
  // a length, and bpchar). char without a length is char(1).
  int length = -1;
  // time, timestamp, timestamptz, interval: digits of the fractional second kept, 0..6; -1 when
  // not given (all six are kept, but format_type() tells "timestamp" from "timestamp(6)").
  int fraction_digits = -1;
  IntervalFields interval_fields = IntervalFields::kAll;
  // kEnum: the type's schema ("" when the name was not qualified and the search_path finds it)
  // and name, both unquoted (as in pg_namespace.nspname and pg_type.typname).
  std::string enum_schema;
  std::string enum_name;

  bool operator==(const SqlType&) const = default;
};

// Parses one column type. Keywords are case-insensitive; unquoted names fold to lower case and
// quoted names keep theirs, as in SQL. Accepted aliases: int/int4/integer, int2/smallint,
// int8/bigint, smallserial/serial2, serial/serial4, bigserial/serial8, decimal/dec/numeric,
// float4/real, float8/double precision, float(1..24) = real, float(25..53) and float = double
// precision, bool/boolean, character varying/char varying/varchar, character/char/bpchar,
// timestamp[(p)] [without time zone], timestamp[(p)] with time zone/timestamptz[(p)],
// time[(p)] [without time zone], and a pg_catalog. prefix on any built-in name. Any other name is
// a user enum type (checked against the database or the profile later). Returns
// kInvalidArgument naming the text and what is wrong: an unsupported built-in type, a modifier
// out of range, a serial array, trailing text.
StatusOr<SqlType> ParseSqlType(std::string_view text);

// The type as format_type(atttypid, atttypmod) prints it: "integer", "numeric(12,2)",
// "character varying(20)", "character(1)", "timestamp(3) with time zone", "interval day to
// second(2)", "text[]", "public.\"Mood\"" (an enum's schema is printed when it is set; the server
// prints it when the type is not visible on the search_path). A serial prints its integer type.
std::string FormatSqlType(const SqlType& type);

// The type of one element: `type` with array = false.
SqlType ElementType(const SqlType& type);

// The OID of `type`'s element type in every PostgreSQL database (int4 23, text 25, ...), which
// binary COPY writes in an array's header; 0 for an enum, whose OID is the database's own (read
// it from pg_type). Ignores `array`.
uint32_t BuiltinElementOid(const SqlType& type);

// --- Does a value fit? (all of these look at the element type and ignore `array`) -------------

struct IntegerRange {
  int64_t min;
  int64_t max;
};
// The values smallint, integer and bigint (or their serials) hold; nullopt for other types.
std::optional<IntegerRange> IntegerRangeOf(const SqlType& type);
// True when `type` is an integer type holding every integer of [min, max].
bool FitsIntegers(const SqlType& type, int64_t min, int64_t max);

// The most characters a value of text, varchar(n) or char(n) may have; -1 when unlimited (text,
// varchar, bpchar) and for every type that is not a character type.
int MaxCharacters(const SqlType& type);
// True when `type` is text, varchar or char and takes every value of up to `longest` characters
// (not bytes) without an error. A char(n) pads shorter values with blanks: they still fit.
bool FitsCharacters(const SqlType& type, int64_t longest);

// True when `type` is numeric and stores exactly, without rounding or an overflow error, every
// value whose magnitude has at most `integer_digits` digits before the point and whose last
// digit is at 10^-fraction_digits (123.45: 3 and 2; a multiple of 1000: fraction_digits -3).
// numeric(p,s) takes integer_digits <= p - s and fraction_digits <= s; unconstrained numeric
// takes what the server's format holds (131072 and 16383).
bool FitsNumeric(const SqlType& type, int integer_digits, int fraction_digits);

// Fractional-second digits kept by time, timestamp, timestamptz and interval (6 when not given);
// -1 for other types. Values with more digits are rounded by the server, not refused.
int FractionDigitsKept(const SqlType& type);

}  // namespace seedforge
