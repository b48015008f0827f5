// Parsing and printing PostgreSQL column types (see sql_type.h).
//
// The parser tokenizes first (words folded to lower case, quoted names, integers, punctuation)
// and then matches the built-in spellings by their leading word, the way gram.y's
// SimpleTypename does; a name that is no built-in type is a user enum type. Printing follows
// format_type.c: the SQL-standard names for the types the grammar special-cases ("character
// varying", "timestamp(3) with time zone"), the typmod output functions for modifiers, and
// quote_ident() for enum names.
#include "core/sql_type.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <vector>

#include "core/table_model.h"

namespace seedforge {
namespace {

// Built-in type names that seedforge does not write: refused by name instead of being read as
// an enum type that the database would then not have.
constexpr std::string_view kUnsupportedBuiltins[] = {
    "bit",
    "box",
    "cid",
    "circle",
    "datemultirange",
    "int4multirange",
    "int8multirange",
    "jsonpath",
    "line",
    "lseg",
    "macaddr8",
    "name",
    "nummultirange",
    "oid",
    "path",
    "pg_lsn",
    "polygon",
    "record",
    "regclass",
    "regproc",
    "regtype",
    "timetz",
    "tsmultirange",
    "tsquery",
    "tstzmultirange",
    "txid_snapshot",
    "varbit",
    "xid",
};

struct Token {
  enum Kind { kWord, kQuoted, kNumber, kPunct, kEnd } kind = kEnd;
  std::string text;    // kWord: lower-cased; kQuoted: unquoted; kPunct: the character
  int64_t number = 0;  // kNumber
};

bool IsWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordPart(char c) { return IsWordStart(c) || (c >= '0' && c <= '9') || c == '$'; }

// Types whose arrays the writers do not support (yet).
bool NoArrays(SqlTypeKind kind) {
  return kind == SqlTypeKind::kXml || kind == SqlTypeKind::kTsVector ||
         kind == SqlTypeKind::kPoint || IsRangeKind(kind);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  StatusOr<SqlType> Parse() {
    SF_RETURN_IF_ERROR(Tokenize());
    SqlType type;
    SF_RETURN_IF_ERROR(ParseBase(type));
    SF_RETURN_IF_ERROR(ParseArraySuffix(type));
    if (Peek().kind != Token::kEnd) return Error("unexpected '" + Peek().text + "'");
    if (type.serial && type.array) return Error("a serial type cannot be an array");
    if (type.array && NoArrays(type.kind)) {
      return Error("arrays of " + FormatSqlType(ElementType(type)) + " are not supported");
    }
    return type;
  }

 private:
  Status Error(const std::string& what) const {
    return InvalidArgument("column type \"" + std::string(text_) + "\": " + what);
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (IsWordStart(c)) {
        Token token{Token::kWord, "", 0};
        while (i < text_.size() && IsWordPart(text_[i])) {
          const char w = text_[i++];
          token.text += (w >= 'A' && w <= 'Z') ? static_cast<char>(w - 'A' + 'a') : w;
        }
        tokens_.push_back(std::move(token));
      } else if (c >= '0' && c <= '9') {
        Token token{Token::kNumber, "", 0};
        while (i < text_.size() && text_[i] >= '0' && text_[i] <= '9') {
          token.text += text_[i];
          if (token.number > std::numeric_limits<int32_t>::max()) return Error("number too large");
          token.number = token.number * 10 + (text_[i] - '0');
          ++i;
        }
        tokens_.push_back(std::move(token));
      } else if (c == '"') {
        Token token{Token::kQuoted, "", 0};
        ++i;
        while (true) {
          if (i >= text_.size()) return Error("unterminated quoted name");
          if (text_[i] == '"') {
            if (i + 1 < text_.size() && text_[i + 1] == '"') {
              token.text += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          token.text += text_[i++];
        }
        if (token.text.empty()) return Error("empty quoted name");
        tokens_.push_back(std::move(token));
      } else if (c == '(' || c == ')' || c == ',' || c == '[' || c == ']' || c == '.' || c == '-' ||
                 c == '+') {
        tokens_.push_back(Token{Token::kPunct, std::string(1, c), 0});
        ++i;
      } else {
        return Error("unexpected character '" + std::string(1, c) + "'");
      }
    }
    if (tokens_.empty()) return InvalidArgument("column type is empty");
    return Status::Ok();
  }

  const Token& Peek(size_t ahead = 0) const {
    static const Token kEnd;
    return pos_ + ahead < tokens_.size() ? tokens_[pos_ + ahead] : kEnd;
  }
  bool IsWord(std::string_view word, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::kWord && Peek(ahead).text == word;
  }
  bool IsPunct(char c) const { return Peek().kind == Token::kPunct && Peek().text[0] == c; }
  bool TakeWord(std::string_view word) {
    if (!IsWord(word)) return false;
    ++pos_;
    return true;
  }
  bool TakePunct(char c) {
    if (!IsPunct(c)) return false;
    ++pos_;
    return true;
  }
  Status Expect(std::string_view word) {
    if (TakeWord(word)) return Status::Ok();
    return Error("expected '" + std::string(word) + "'");
  }

  // An optionally signed integer.
  StatusOr<int64_t> TakeInteger() {
    int64_t sign = 1;
    if (TakePunct('-')) {
      sign = -1;
    } else {
      (void)TakePunct('+');
    }
    if (Peek().kind != Token::kNumber) return Error("expected a number");
    return sign * tokens_[pos_++].number;
  }

  // "(" n ")" when present: the value of n in `*value`; nothing when absent.
  Status TakeModifier(const char* what, int64_t min, int64_t max, int* value) {
    if (!TakePunct('(')) return Status::Ok();
    SF_ASSIGN_OR_RETURN(const int64_t n, TakeInteger());
    if (!TakePunct(')')) return Error("expected ')'");
    if (n < min || n > max) {
      return Error(std::string(what) + " must be between " + std::to_string(min) + " and " +
                   std::to_string(max));
    }
    *value = static_cast<int>(n);
    return Status::Ok();
  }

  // "with time zone" (true), "without time zone" or nothing (false).
  StatusOr<bool> TakeTimeZone() {
    const bool with = IsWord("with");
    if (!with && !IsWord("without")) return false;
    ++pos_;
    SF_RETURN_IF_ERROR(Expect("time"));
    SF_RETURN_IF_ERROR(Expect("zone"));
    return with;
  }

  Status ParseNumeric(SqlType& type) {
    type.kind = SqlTypeKind::kNumeric;
    if (!TakePunct('(')) return Status::Ok();
    SF_ASSIGN_OR_RETURN(const int64_t precision, TakeInteger());
    int64_t scale = 0;
    if (TakePunct(',')) {
      SF_ASSIGN_OR_RETURN(scale, TakeInteger());
    }
    if (!TakePunct(')')) return Error("expected ')'");
    if (precision < 1 || precision > kMaxNumericPrecision) {
      return Error("precision must be between 1 and " + std::to_string(kMaxNumericPrecision));
    }
    if (scale < kMinNumericScale || scale > kMaxNumericScale) {
      return Error("scale must be between " + std::to_string(kMinNumericScale) + " and " +
                   std::to_string(kMaxNumericScale));
    }
    type.precision = static_cast<int>(precision);
    type.scale = static_cast<int>(scale);
    return Status::Ok();
  }

  Status ParseCharacter(SqlType& type, bool varying, int default_length) {
    type.kind = varying ? SqlTypeKind::kVarchar : SqlTypeKind::kChar;
    type.length = default_length;
    return TakeModifier("length", 1, kMaxCharacterLength, &type.length);
  }

  Status ParseFractionDigits(SqlType& type) {
    return TakeModifier("precision", 0, kMaxFractionDigits, &type.fraction_digits);
  }

  // interval [fields] [(p)], where only fields ending in "second" take a precision.
  Status ParseInterval(SqlType& type) {
    type.kind = SqlTypeKind::kInterval;
    if (IsPunct('(')) return ParseFractionDigits(type);
    static constexpr std::string_view kUnits[] = {"year", "month",  "day",
                                                  "hour", "minute", "second"};
    int first = -1;
    for (int u = 0; u < 6; ++u) {
      if (TakeWord(kUnits[u])) first = u;
      if (first >= 0) break;
    }
    if (first < 0) return Status::Ok();
    int last = first;
    if (TakeWord("to")) {
      last = -1;
      for (int u = 0; u < 6 && last < 0; ++u) {
        if (TakeWord(kUnits[u])) last = u;
      }
      if (last < 0) return Error("expected an interval field after 'to'");
    }
    // year, month, day, hour, minute, second, then the ranges gram.y allows.
    static constexpr struct {
      int first, last;
      IntervalFields fields;
    } kRanges[] = {
        {0, 0, IntervalFields::kYear},
        {1, 1, IntervalFields::kMonth},
        {2, 2, IntervalFields::kDay},
        {3, 3, IntervalFields::kHour},
        {4, 4, IntervalFields::kMinute},
        {5, 5, IntervalFields::kSecond},
        {0, 1, IntervalFields::kYearToMonth},
        {2, 3, IntervalFields::kDayToHour},
        {2, 4, IntervalFields::kDayToMinute},
        {2, 5, IntervalFields::kDayToSecond},
        {3, 4, IntervalFields::kHourToMinute},
        {3, 5, IntervalFields::kHourToSecond},
        {4, 5, IntervalFields::kMinuteToSecond},
    };
    bool known = false;
    for (const auto& range : kRanges) {
      if (range.first == first && range.last == last) {
        type.interval_fields = range.fields;
        known = true;
      }
    }
    if (!known) return Error("not a valid interval field range");
    if (last == 5) return ParseFractionDigits(type);
    return Status::Ok();
  }

  Status ParseEnumName(SqlType& type) {
    auto take_name = [&](std::string* name) -> Status {
      const Token& token = Peek();
      if (token.kind != Token::kWord && token.kind != Token::kQuoted) {
        return Error("expected a type name");
      }
      if (token.text.size() > 63) return Error("name longer than 63 bytes");
      *name = token.text;
      ++pos_;
      return Status::Ok();
    };
    type.kind = SqlTypeKind::kEnum;
    SF_RETURN_IF_ERROR(take_name(&type.enum_name));
    if (TakePunct('.')) {
      type.enum_schema = std::move(type.enum_name);
      SF_RETURN_IF_ERROR(take_name(&type.enum_name));
    }
    return Status::Ok();
  }

  Status ParseBase(SqlType& type) {
    // A pg_catalog. prefix on a built-in name means the same built-in.
    if (IsWord("pg_catalog") && Peek(1).kind == Token::kPunct && Peek(1).text == "." &&
        Peek(2).kind == Token::kWord) {
      pos_ += 2;
      SF_RETURN_IF_ERROR(ParseBuiltin(type));
      if (type.kind == SqlTypeKind::kEnum) return Error("no such type in pg_catalog");
      return Status::Ok();
    }
    if (Peek().kind == Token::kQuoted || (Peek(1).kind == Token::kPunct && Peek(1).text == ".")) {
      return ParseEnumName(type);
    }
    if (Peek().kind != Token::kWord) return Error("expected a type name");
    return ParseBuiltin(type);
  }

  // A built-in type at the current word, or an enum name when the word names none.
  Status ParseBuiltin(SqlType& type) {
    const std::string word = Peek().text;
    ++pos_;
    using K = SqlTypeKind;
    struct Simple {
      std::string_view word;
      K kind;
      bool serial;
    };
    static constexpr Simple kSimple[] = {
        {"smallint", K::kSmallint, false},
        {"int2", K::kSmallint, false},
        {"smallserial", K::kSmallint, true},
        {"serial2", K::kSmallint, true},
        {"integer", K::kInteger, false},
        {"int", K::kInteger, false},
        {"int4", K::kInteger, false},
        {"serial", K::kInteger, true},
        {"serial4", K::kInteger, true},
        {"bigint", K::kBigint, false},
        {"int8", K::kBigint, false},
        {"bigserial", K::kBigint, true},
        {"serial8", K::kBigint, true},
        {"real", K::kReal, false},
        {"float4", K::kReal, false},
        {"float8", K::kDoublePrecision, false},
        {"boolean", K::kBoolean, false},
        {"bool", K::kBoolean, false},
        {"text", K::kText, false},
        {"date", K::kDate, false},
        {"uuid", K::kUuid, false},
        {"inet", K::kInet, false},
        {"cidr", K::kCidr, false},
        {"macaddr", K::kMacAddr, false},
        {"json", K::kJson, false},
        {"jsonb", K::kJsonb, false},
        {"bytea", K::kBytea, false},
        {"money", K::kMoney, false},
        {"xml", K::kXml, false},
        {"tsvector", K::kTsVector, false},
        {"int4range", K::kInt4Range, false},
        {"int8range", K::kInt8Range, false},
        {"numrange", K::kNumRange, false},
        {"daterange", K::kDateRange, false},
        {"tsrange", K::kTsRange, false},
        {"tstzrange", K::kTsTzRange, false},
        {"point", K::kPoint, false},
    };
    for (const Simple& simple : kSimple) {
      if (word == simple.word) {
        type.kind = simple.kind;
        type.serial = simple.serial;
        return Status::Ok();
      }
    }
    if (word == "numeric" || word == "decimal" || word == "dec") return ParseNumeric(type);
    if (word == "double") {
      SF_RETURN_IF_ERROR(Expect("precision"));
      type.kind = K::kDoublePrecision;
      return Status::Ok();
    }
    if (word == "float") {
      int bits = 53;
      SF_RETURN_IF_ERROR(TakeModifier("precision of float", 1, 53, &bits));
      type.kind = bits <= 24 ? K::kReal : K::kDoublePrecision;
      return Status::Ok();
    }
    if (word == "varchar") return ParseCharacter(type, true, -1);
    if (word == "character" || word == "char") {
      const bool varying = TakeWord("varying");
      return ParseCharacter(type, varying, varying ? -1 : 1);
    }
    if (word == "bpchar") return ParseCharacter(type, false, -1);
    if (word == "time" || word == "timestamp" || word == "timestamptz") {
      SF_RETURN_IF_ERROR(ParseFractionDigits(type));
      bool with_zone = word == "timestamptz";
      if (!with_zone) {
        SF_ASSIGN_OR_RETURN(with_zone, TakeTimeZone());
      }
      if (word == "time") {
        if (with_zone) return Error("time with time zone is not supported (use timestamptz)");
        type.kind = K::kTime;
      } else {
        type.kind = with_zone ? K::kTimestampTz : K::kTimestamp;
      }
      return Status::Ok();
    }
    if (word == "interval") return ParseInterval(type);
    if (std::binary_search(std::begin(kUnsupportedBuiltins), std::end(kUnsupportedBuiltins),
                           word)) {
      return Error("type " + word + " is not supported");
    }
    --pos_;
    return ParseEnumName(type);
  }

  // [] or [n], repeated, or ARRAY [n].
  Status ParseArraySuffix(SqlType& type) {
    if (TakeWord("array")) {
      type.array = true;
      if (TakePunct('[')) {
        if (Peek().kind == Token::kNumber) ++pos_;
        if (!TakePunct(']')) return Error("expected ']'");
      }
      return Status::Ok();
    }
    while (TakePunct('[')) {
      type.array = true;
      if (Peek().kind == Token::kNumber) ++pos_;
      if (!TakePunct(']')) return Error("expected ']'");
    }
    return Status::Ok();
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

std::string_view IntervalFieldsText(IntervalFields fields) {
  switch (fields) {
    case IntervalFields::kAll:
      return "";
    case IntervalFields::kYear:
      return " year";
    case IntervalFields::kMonth:
      return " month";
    case IntervalFields::kDay:
      return " day";
    case IntervalFields::kHour:
      return " hour";
    case IntervalFields::kMinute:
      return " minute";
    case IntervalFields::kSecond:
      return " second";
    case IntervalFields::kYearToMonth:
      return " year to month";
    case IntervalFields::kDayToHour:
      return " day to hour";
    case IntervalFields::kDayToMinute:
      return " day to minute";
    case IntervalFields::kDayToSecond:
      return " day to second";
    case IntervalFields::kHourToMinute:
      return " hour to minute";
    case IntervalFields::kHourToSecond:
      return " hour to second";
    case IntervalFields::kMinuteToSecond:
      return " minute to second";
  }
  return "";
}

// "(n)", or nothing for -1. (Appending rather than "(" + to_string(): GCC 12 warns falsely
// about the latter, bug 105329.)
std::string Precision(int digits) {
  std::string text;
  if (digits < 0) return text;
  text += '(';
  text += std::to_string(digits);
  text += ')';
  return text;
}

bool IsCharacterType(SqlTypeKind kind) {
  return kind == SqlTypeKind::kText || kind == SqlTypeKind::kVarchar || kind == SqlTypeKind::kChar;
}

}  // namespace

StatusOr<SqlType> ParseSqlType(std::string_view text) { return Parser(text).Parse(); }

std::string FormatSqlType(const SqlType& type) {
  std::string out;
  switch (type.kind) {
    case SqlTypeKind::kSmallint:
      out = "smallint";
      break;
    case SqlTypeKind::kInteger:
      out = "integer";
      break;
    case SqlTypeKind::kBigint:
      out = "bigint";
      break;
    case SqlTypeKind::kNumeric:
      out = "numeric";
      if (type.precision > 0) {
        out += "(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
      }
      break;
    case SqlTypeKind::kReal:
      out = "real";
      break;
    case SqlTypeKind::kDoublePrecision:
      out = "double precision";
      break;
    case SqlTypeKind::kBoolean:
      out = "boolean";
      break;
    case SqlTypeKind::kText:
      out = "text";
      break;
    case SqlTypeKind::kVarchar:
      out = "character varying" + Precision(type.length);
      break;
    case SqlTypeKind::kChar:
      // bpchar without a length is not character(1), so the server names it bpchar.
      out = type.length < 0 ? "bpchar" : "character" + Precision(type.length);
      break;
    case SqlTypeKind::kDate:
      out = "date";
      break;
    case SqlTypeKind::kTime:
      out = "time" + Precision(type.fraction_digits) + " without time zone";
      break;
    case SqlTypeKind::kTimestamp:
      out = "timestamp" + Precision(type.fraction_digits) + " without time zone";
      break;
    case SqlTypeKind::kTimestampTz:
      out = "timestamp" + Precision(type.fraction_digits) + " with time zone";
      break;
    case SqlTypeKind::kInterval:
      out = "interval";
      out += IntervalFieldsText(type.interval_fields);
      out += Precision(type.fraction_digits);
      break;
    case SqlTypeKind::kUuid:
      out = "uuid";
      break;
    case SqlTypeKind::kInet:
      out = "inet";
      break;
    case SqlTypeKind::kCidr:
      out = "cidr";
      break;
    case SqlTypeKind::kMacAddr:
      out = "macaddr";
      break;
    case SqlTypeKind::kJson:
      out = "json";
      break;
    case SqlTypeKind::kJsonb:
      out = "jsonb";
      break;
    case SqlTypeKind::kBytea:
      out = "bytea";
      break;
    case SqlTypeKind::kMoney:
      out = "money";
      break;
    case SqlTypeKind::kXml:
      out = "xml";
      break;
    case SqlTypeKind::kTsVector:
      out = "tsvector";
      break;
    case SqlTypeKind::kInt4Range:
      out = "int4range";
      break;
    case SqlTypeKind::kInt8Range:
      out = "int8range";
      break;
    case SqlTypeKind::kNumRange:
      out = "numrange";
      break;
    case SqlTypeKind::kDateRange:
      out = "daterange";
      break;
    case SqlTypeKind::kTsRange:
      out = "tsrange";
      break;
    case SqlTypeKind::kTsTzRange:
      out = "tstzrange";
      break;
    case SqlTypeKind::kPoint:
      out = "point";
      break;
    case SqlTypeKind::kEnum:
      if (!type.enum_schema.empty()) {
        out += QuoteIdentifier(type.enum_schema);
        out += '.';
      }
      out += QuoteIdentifier(type.enum_name);
      break;
  }
  if (type.array) out += "[]";
  return out;
}

SqlType ElementType(const SqlType& type) {
  SqlType element = type;
  element.array = false;
  return element;
}

uint32_t BuiltinElementOid(const SqlType& type) {
  switch (type.kind) {  // src/include/catalog/pg_type.dat
    case SqlTypeKind::kSmallint:
      return 21;
    case SqlTypeKind::kInteger:
      return 23;
    case SqlTypeKind::kBigint:
      return 20;
    case SqlTypeKind::kNumeric:
      return 1700;
    case SqlTypeKind::kReal:
      return 700;
    case SqlTypeKind::kDoublePrecision:
      return 701;
    case SqlTypeKind::kBoolean:
      return 16;
    case SqlTypeKind::kText:
      return 25;
    case SqlTypeKind::kVarchar:
      return 1043;
    case SqlTypeKind::kChar:
      return 1042;
    case SqlTypeKind::kDate:
      return 1082;
    case SqlTypeKind::kTime:
      return 1083;
    case SqlTypeKind::kTimestamp:
      return 1114;
    case SqlTypeKind::kTimestampTz:
      return 1184;
    case SqlTypeKind::kInterval:
      return 1186;
    case SqlTypeKind::kUuid:
      return 2950;
    case SqlTypeKind::kInet:
      return 869;
    case SqlTypeKind::kCidr:
      return 650;
    case SqlTypeKind::kMacAddr:
      return 829;
    case SqlTypeKind::kJson:
      return 114;
    case SqlTypeKind::kJsonb:
      return 3802;
    case SqlTypeKind::kBytea:
      return 17;
    case SqlTypeKind::kMoney:
      return 790;
    case SqlTypeKind::kXml:
      return 142;
    case SqlTypeKind::kTsVector:
      return 3614;
    case SqlTypeKind::kInt4Range:
      return 3904;
    case SqlTypeKind::kInt8Range:
      return 3926;
    case SqlTypeKind::kNumRange:
      return 3906;
    case SqlTypeKind::kDateRange:
      return 3912;
    case SqlTypeKind::kTsRange:
      return 3908;
    case SqlTypeKind::kTsTzRange:
      return 3910;
    case SqlTypeKind::kPoint:
      return 600;
    case SqlTypeKind::kEnum:
      return 0;
  }
  return 0;
}

bool IsRangeKind(SqlTypeKind kind) { return RangeElementKind(kind) != kind; }

SqlTypeKind RangeElementKind(SqlTypeKind kind) {
  switch (kind) {
    case SqlTypeKind::kInt4Range:
      return SqlTypeKind::kInteger;
    case SqlTypeKind::kInt8Range:
      return SqlTypeKind::kBigint;
    case SqlTypeKind::kNumRange:
      return SqlTypeKind::kNumeric;
    case SqlTypeKind::kDateRange:
      return SqlTypeKind::kDate;
    case SqlTypeKind::kTsRange:
      return SqlTypeKind::kTimestamp;
    case SqlTypeKind::kTsTzRange:
      return SqlTypeKind::kTimestampTz;
    default:
      return kind;
  }
}

std::optional<IntegerRange> IntegerRangeOf(const SqlType& type) {
  switch (type.kind) {
    case SqlTypeKind::kSmallint:
      return IntegerRange{std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()};
    case SqlTypeKind::kInteger:
      return IntegerRange{std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    case SqlTypeKind::kBigint:
      return IntegerRange{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
    default:
      return std::nullopt;
  }
}

bool FitsIntegers(const SqlType& type, int64_t min, int64_t max) {
  const std::optional<IntegerRange> range = IntegerRangeOf(type);
  return range.has_value() && min >= range->min && max <= range->max;
}

int MaxCharacters(const SqlType& type) {
  if (type.kind != SqlTypeKind::kVarchar && type.kind != SqlTypeKind::kChar) return -1;
  return type.length;
}

bool FitsCharacters(const SqlType& type, int64_t longest) {
  if (!IsCharacterType(type.kind)) return false;
  const int max = MaxCharacters(type);
  return max < 0 || longest <= max;
}

bool FitsNumeric(const SqlType& type, int integer_digits, int fraction_digits) {
  if (type.kind != SqlTypeKind::kNumeric) return false;
  if (type.precision < 0) {  // NUMERIC_MAX_DISPLAY_SCALE... the varlena format's own limits
    return integer_digits <= 131072 && fraction_digits <= 16383;
  }
  return integer_digits <= type.precision - type.scale && fraction_digits <= type.scale;
}

int FractionDigitsKept(const SqlType& type) {
  switch (type.kind) {
    case SqlTypeKind::kTime:
    case SqlTypeKind::kTimestamp:
    case SqlTypeKind::kTimestampTz:
    case SqlTypeKind::kInterval:
      return type.fraction_digits < 0 ? kMaxFractionDigits : type.fraction_digits;
    default:
      return -1;
  }
}

}  // namespace seedforge
