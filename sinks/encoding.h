// Output formats: how typed row values become bytes.
//
// An Encoding is made once per table for a format and a schema. It writes the bytes that open and
// close a stream of rows (CSV header, binary COPY signature and trailer) and makes RowWriters that
// append encoded rows to a caller-owned ByteBuffer. Encodings are immutable and thread-safe;
// each RowWriter is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/byte_buffer.h"
#include "core/row_writer.h"
#include "core/status.h"
#include "core/table_schema.h"

namespace seedforge {

enum class Format {
  kCopyText,    // PostgreSQL COPY text format (tab-separated, \N for NULL)
  kCopyBinary,  // PostgreSQL COPY binary format
  kCsv,         // RFC 4180 CSV with a header row; ISO 8601 timestamps; empty unquoted = NULL
  kJsonl,       // one JSON object per line; jsonb columns embedded as objects
  kNull,        // nothing: rows are generated and discarded
};

// Parses "copy-text", "copy-binary", "csv", "jsonl", "null" (also "text"/"binary" for COPY).
StatusOr<Format> ParseFormat(std::string_view name);
std::string_view FormatName(Format format);
// File name extension for generated files: "copy", "pgcopy", "csv", "jsonl", "null".
std::string_view FileExtension(Format format);

class Encoding {
 public:
  virtual ~Encoding() = default;
  virtual Format format() const = 0;
  // Appends the bytes that open a stream of rows (may be none).
  virtual void WritePrologue(ByteBuffer& out) const = 0;
  // Appends the bytes that close a stream of rows (may be none).
  virtual void WriteEpilogue(ByteBuffer& out) const = 0;
  // Returns a writer appending to `out`, which must outlive the writer.
  virtual std::unique_ptr<RowWriter> NewRowWriter(ByteBuffer* out) const = 0;
};

// How binary COPY sends a column whose table has another type than the model declares (a table
// the application's own migrations created, which takes the values in another form: see
// sinks/postgres/schema_check.h). Text formats need none: the text of a bigint is the text of an
// integer, and a MAC address's text is what a varchar column takes.
enum class WireType : uint8_t {
  kAsDeclared,  // what the model's type sends
  kInt16,       // an integer value as smallint (REQUIRES: it fits)
  kInt32,       // as integer (REQUIRES: it fits)
  kInt64,       // as bigint
  kText,        // MacAddr, Inet4, Inet, Cidr, Uuid, Json, JsonText: their text form, as text
  kJson,        // Json (jsonb) as json: the text without jsonb's version byte
  kJsonb,       // JsonText (json) as jsonb: with the version byte
};

// What a writer needs to know beyond the TableSchema.
struct EncodingOptions {
  // For each column in schema order, the OID of its element type when it is an array (binary
  // COPY writes it in every array, and the server refuses an array whose element type is not
  // the column's); 0 for the other columns. Built-in element types have fixed OIDs
  // (BuiltinElementOid in core/sql_type.h); a user enum's OID is the database's own, which the
  // sink reads from pg_type before it makes the encoding. Only copy-binary reads this; empty
  // when the table has no array column. REQUIRES: empty or one entry per column.
  std::vector<uint32_t> array_element_oids;
  // For each column in schema order, how copy-binary sends it (kAsDeclared when the table's
  // column has the model's type). Only copy-binary reads this; empty: every column as declared.
  // REQUIRES: empty or one entry per column.
  std::vector<WireType> wire_types;
};

// REQUIRES: `schema` outlives the encoding.
std::unique_ptr<Encoding> MakeEncoding(Format format, const TableSchema& schema);
std::unique_ptr<Encoding> MakeEncoding(Format format, const TableSchema& schema,
                                       EncodingOptions options);

}  // namespace seedforge
