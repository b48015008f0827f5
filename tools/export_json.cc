// COPY text rows to JSON objects.
//
// COPY text output escapes exactly backslash, tab, newline, carriage return, backspace, form feed
// and vertical tab (as \\ \t \n \r \b \f \v); every other byte, including other control bytes,
// comes through as is. A raw tab therefore always separates fields and a row never holds a raw
// newline, so a field is found with one memchr and decoded while it is copied: runs of ordinary
// bytes are appended in one piece, and only backslashes, quotes and control bytes take the slow
// path. The rendering follows PostgreSQL's escape_json() and datum_to_json(), so the output is
// what row_to_json() gives, byte for byte, but for timestamps before the common era (left in
// PostgreSQL's own text, e.g. "0044-03-15 12:00:00+00 BC").
#include "tools/export_json.h"

#include <array>
#include <cstring>

#include "engine/report.h"

namespace seedforge {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes a JSON string cannot hold as they are, plus the COPY escape character.
constexpr std::array<bool, 256> MakeSpecialTable() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}
constexpr std::array<bool, 256> kSpecial = MakeSpecialTable();

void AppendJsonEscaped(char c, ByteBuffer& out) {
  switch (c) {
    case '"':
      out.Append("\\\"");
      return;
    case '\\':
      out.Append("\\\\");
      return;
    case '\b':
      out.Append("\\b");
      return;
    case '\f':
      out.Append("\\f");
      return;
    case '\n':
      out.Append("\\n");
      return;
    case '\r':
      out.Append("\\r");
      return;
    case '\t':
      out.Append("\\t");
      return;
    default:
      break;
  }
  if (static_cast<unsigned char>(c) >= 0x20) {
    out.Push(c);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  char* p = out.Extend(6);
  std::memcpy(p, "\\u00", 4);
  p[4] = kHex[(c >> 4) & 0xf];
  p[5] = kHex[c & 0xf];
  out.Commit(6);
}

// A COPY text field as a JSON string.
void AppendString(std::string_view field, ByteBuffer& out) {
  out.Push('"');
  const char* p = field.data();
  const char* const end = p + field.size();
  while (p < end) {
    const char* run = p;
    while (p < end && !kSpecial[static_cast<unsigned char>(*p)]) ++p;
    if (p > run) out.Append(run, static_cast<size_t>(p - run));
    if (p == end) break;
    char c = *p++;
    if (c == '\\' && p < end) c = DecodeCopyEscape(*p++);
    AppendJsonEscaped(c, out);
  }
  out.Push('"');
}

// A COPY text field holding JSON text (json, jsonb, to_json()): only the COPY escapes undone.
void AppendRawJson(std::string_view field, ByteBuffer& out) {
  const char* p = field.data();
  const char* const end = p + field.size();
  while (p < end) {
    const char* backslash =
        static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (backslash == nullptr) backslash = end;
    out.Append(p, static_cast<size_t>(backslash - p));
    p = backslash;
    if (p == end) break;
    ++p;
    if (p < end) out.Push(DecodeCopyEscape(*p++));
  }
}

// "2024-01-02 03:04:05.5+00" (DateStyle ISO) as "2024-01-02T03:04:05.5+00:00", as row_to_json
// writes it; "infinity" and BC times stay as they are.
void AppendTimestamp(std::string_view field, ByteBuffer& out) {
  const size_t space = field.find(' ');
  if (field.empty() || !IsDigit(field[0]) || space == std::string_view::npos ||
      field.ends_with(" BC")) {
    AppendString(field, out);
    return;
  }
  out.Push('"');
  out.Append(field.substr(0, space));
  out.Push('T');
  out.Append(field.substr(space + 1));
  const size_t sign = field.find_last_of("+-");
  if (sign != std::string_view::npos && sign > space && field.size() - sign == 3) {
    out.Append(":00");
  }
  out.Push('"');
}

void AppendValue(JsonKind kind, std::string_view field, ByteBuffer& out) {
  if (field == "\\N") {
    out.Append("null");
    return;
  }
  switch (kind) {
    case JsonKind::kNumber:
      // NaN and the infinities are not JSON numbers; row_to_json quotes them.
      if (!field.empty() &&
          (IsDigit(field[0]) || (field[0] == '-' && field.size() > 1 && IsDigit(field[1])))) {
        out.Append(field);
      } else {
        AppendString(field, out);
      }
      return;
    case JsonKind::kBoolean:
      if (field == "t") {
        out.Append("true");
      } else if (field == "f") {
        out.Append("false");
      } else {
        AppendString(field, out);
      }
      return;
    case JsonKind::kTimestamp:
      AppendTimestamp(field, out);
      return;
    case JsonKind::kJson:
      AppendRawJson(field, out);
      return;
    case JsonKind::kString:
      AppendString(field, out);
      return;
  }
}

bool IsOneOf(std::string_view type, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (type == name) return true;
  }
  return false;
}

}  // namespace

JsonKind JsonKindForType(std::string_view type, bool* server_converts) {
  *server_converts = false;
  if (type.ends_with("]")) {  // arrays: to_json() nests them with their elements' types
    *server_converts = true;
    return JsonKind::kJson;
  }
  if (IsOneOf(type, {"smallint", "integer", "bigint", "real", "double precision", "numeric"}) ||
      type.starts_with("numeric(")) {
    return JsonKind::kNumber;
  }
  if (type == "boolean") return JsonKind::kBoolean;
  if (type == "json" || type == "jsonb") return JsonKind::kJson;
  if (type.starts_with("timestamp")) return JsonKind::kTimestamp;
  if (IsOneOf(type, {"text", "name", "\"char\"", "uuid", "inet", "cidr", "macaddr", "macaddr8",
                     "date", "bytea", "money", "oid", "xml"}) ||
      type.starts_with("character") || type.starts_with("time") || type.starts_with("interval") ||
      type.starts_with("bit")) {
    return JsonKind::kString;
  }
  *server_converts = true;  // enums, domains, composites, ranges, extension types
  return JsonKind::kJson;
}

CopyRowToJson::CopyRowToJson(const std::vector<JsonColumn>& columns) {
  fields_.reserve(columns.size());
  for (const JsonColumn& column : columns) {
    fields_.push_back({JsonString(column.name) + ":", column.kind});
  }
}

bool CopyRowToJson::AppendRow(std::string_view row, ByteBuffer& out) const {
  const char* p = row.data();
  const char* end = p + row.size();
  if (p < end && end[-1] == '\n') --end;
  out.Push('{');
  for (size_t i = 0; i < fields_.size(); ++i) {
    const bool last = i + 1 == fields_.size();
    const char* tab = static_cast<const char*>(std::memchr(p, '\t', static_cast<size_t>(end - p)));
    if (last ? tab != nullptr : tab == nullptr) return false;
    const char* field_end = last ? end : tab;
    if (i > 0) out.Push(',');
    out.Append(fields_[i].key);
    AppendValue(fields_[i].kind, std::string_view(p, static_cast<size_t>(field_end - p)), out);
    p = field_end + 1;
  }
  out.Push('}');
  return true;
}

char DecodeCopyEscape(char c) {
  switch (c) {
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return c;  // "\\" and an escaped delimiter stand for themselves
  }
}

}  // namespace seedforge
