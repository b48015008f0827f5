// Turning rows of PostgreSQL's COPY text format into JSON objects, for `seedforge export --format
// json`.
//
// The server streams each table with a plain `COPY (SELECT ...) TO STDOUT`, which costs it about
// a third of what `row_to_json` does; this converter, running on the client while the server
// produces the next rows, writes what `row_to_json` would have written. Columns of a type it does
// not know (arrays, composites, enums, domains, extension types) are selected as `to_json(col)`
// and embedded as they come, so every type gets PostgreSQL's own JSON rendering.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/byte_buffer.h"

namespace seedforge {

// How a column's COPY text becomes a JSON value.
enum class JsonKind {
  kNumber,     // integers, numeric, floats: as is; NaN and infinities as strings
  kBoolean,    // t / f: true / false
  kString,     // text and every type rendered as its text (uuid, inet, date, interval, ...)
  kTimestamp,  // "2024-01-02 03:04:05.5+00" as "2024-01-02T03:04:05.5+00:00" (ISO 8601)
  kJson,       // json, jsonb, and to_json(col) for the rest: embedded as a JSON value
};

// The kind for a column of type `type` (as format_type() spells it: "bigint", "numeric(12,2)",
// "timestamp with time zone", "text[]", "public.mood"). Returns kJson for every type this file
// does not convert itself; the caller must then select the column as to_json(col).
// `server_converts` is set to true exactly in that case.
// The byte a COPY text escape sequence "\\x" stands for (b, f, n, r, t, v by name; any other
// byte, "\\" and an escaped delimiter included, stands for itself).
char DecodeCopyEscape(char c);

JsonKind JsonKindForType(std::string_view type, bool* server_converts);

struct JsonColumn {
  std::string name;  // unquoted column name, the object key
  JsonKind kind = JsonKind::kString;
};

// Converts one table's COPY text rows. Immutable after construction; AppendRow allocates nothing
// beyond the output buffer's growth.
class CopyRowToJson {
 public:
  explicit CopyRowToJson(const std::vector<JsonColumn>& columns);

  // Appends the JSON object of `row`, e.g. {"id":1,"name":"a\tb","tags":null}, without a
  // newline. `row` is one row of COPY text output as the server sends it: the columns' fields
  // separated by tabs, NULL as \N, ending in a newline. Returns false (having appended part of
  // an object) when the row does not have one field per column.
  bool AppendRow(std::string_view row, ByteBuffer& out) const;

 private:
  struct Field {
    std::string key;  // "name": (JSON-escaped, with its colon)
    JsonKind kind;
  };
  std::vector<Field> fields_;
};

}  // namespace seedforge
