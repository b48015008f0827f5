// The five row writers.
//
// Each writer appends straight into the batch's ByteBuffer: numbers through std::to_chars into the
// buffer's spare capacity, timestamps through FormatTimestamp into a stack buffer, text with a
// scan that copies runs of plain bytes in one memcpy and escapes only what the format needs. No
// allocation per value. Writers track the column index only where the format needs it (a
// separator before every column but the first; JSON keys).
#include "sinks/encoding.h"

#include <charconv>
#include <string>
#include <vector>

#include "core/civil_time.h"

namespace seedforge {
namespace {

inline void AppendInt(ByteBuffer& out, int64_t value) {
  char* p = out.Extend(24);
  out.Commit(static_cast<size_t>(std::to_chars(p, p + 24, value).ptr - p));
}

inline void AppendTimestamp(ByteBuffer& out, int64_t micros, TimestampStyle style) {
  char* p = out.Extend(kMaxTimestampChars);
  out.Commit(FormatTimestamp(micros, style, p));
}

void AppendNumeric2(ByteBuffer& out, int64_t hundredths) {
  uint64_t magnitude =
      hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  if (hundredths < 0) out.Push('-');
  char* p = out.Extend(24);
  char* end = std::to_chars(p, p + 24, magnitude / 100).ptr;
  *end++ = '.';
  *end++ = static_cast<char>('0' + magnitude % 100 / 10);
  *end++ = static_cast<char>('0' + magnitude % 10);
  out.Commit(static_cast<size_t>(end - p));
}

void AppendInet4(ByteBuffer& out, uint32_t address) {
  char* p = out.Extend(16);
  char* q = p;
  for (int shift = 24; shift >= 0; shift -= 8) {
    q = std::to_chars(q, q + 3, (address >> shift) & 0xFF).ptr;
    if (shift != 0) *q++ = '.';
  }
  out.Commit(static_cast<size_t>(q - p));
}

void AppendMac(ByteBuffer& out, const uint8_t (&bytes)[6]) {
  static constexpr char kHex[] = "0123456789abcdef";
  char* p = out.Extend(17);
  for (int i = 0; i < 6; ++i) {
    p[3 * i] = kHex[bytes[i] >> 4];
    p[3 * i + 1] = kHex[bytes[i] & 0xF];
    if (i != 5) p[3 * i + 2] = ':';
  }
  out.Commit(17);
}

// Appends `text` with the escapes of COPY text format: backslash, tab, newline, carriage return.
void AppendCopyEscaped(ByteBuffer& out, std::string_view text) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* escape = nullptr;
    switch (c) {
      case '\\':
        escape = "\\\\";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      default:
        continue;
    }
    out.Append(text.data() + run, i - run);
    out.Append(escape, 2);
    run = i + 1;
  }
  out.Append(text.data() + run, text.size() - run);
}

// Appends `text` as the inside of a JSON string (without the quotes).
void AppendJsonEscaped(ByteBuffer& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.Append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.Append("\\\"", 2);
        break;
      case '\\':
        out.Append("\\\\", 2);
        break;
      case '\n':
        out.Append("\\n", 2);
        break;
      case '\r':
        out.Append("\\r", 2);
        break;
      case '\t':
        out.Append("\\t", 2);
        break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.Append(escaped, 6);
      }
    }
  }
  out.Append(text.data() + run, text.size() - run);
}

// Appends a CSV field, quoted only when it must be (or when it is empty, to tell it from NULL).
void AppendCsvField(ByteBuffer& out, std::string_view text) {
  bool needs_quotes = text.empty();
  for (const char c : text) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out.Append(text);
    return;
  }
  out.Push('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    out.Append(text.data() + run, i + 1 - run);  // the quote itself, then doubled below
    out.Push('"');
    run = i + 1;
  }
  out.Append(text.data() + run, text.size() - run);
  out.Push('"');
}

// --- COPY text and CSV ------------------------------------------------------------------------

// The two delimited text formats differ only in these choices.
struct CopyTextStyle {
  static constexpr char kSeparator = '\t';
  static constexpr TimestampStyle kTimestamps = TimestampStyle::kPostgres;
  static void Bool(ByteBuffer& out, bool v) { out.Push(v ? 't' : 'f'); }
  static void Text(ByteBuffer& out, std::string_view v) { AppendCopyEscaped(out, v); }
  static void Null(ByteBuffer& out) { out.Append("\\N", 2); }
};

struct CsvStyle {
  static constexpr char kSeparator = ',';
  static constexpr TimestampStyle kTimestamps = TimestampStyle::kIso8601;
  static void Bool(ByteBuffer& out, bool v) { out.Append(v ? "true" : "false", v ? 4 : 5); }
  static void Text(ByteBuffer& out, std::string_view v) { AppendCsvField(out, v); }
  static void Null(ByteBuffer&) {}  // an empty unquoted field
};

template <typename Style>
class DelimitedWriter final : public RowWriter {
 public:
  explicit DelimitedWriter(ByteBuffer* out) : out_(*out) {}
  void BeginRow() override { first_ = true; }
  void EndRow() override { out_.Push('\n'); }
  void Int64(int64_t v) override {
    Separate();
    AppendInt(out_, v);
  }
  void Int32(int32_t v) override {
    Separate();
    AppendInt(out_, v);
  }
  void Bool(bool v) override {
    Separate();
    Style::Bool(out_, v);
  }
  void Text(std::string_view v) override {
    Separate();
    Style::Text(out_, v);
  }
  void Timestamp(int64_t v) override {
    Separate();
    AppendTimestamp(out_, v, Style::kTimestamps);
  }
  void Numeric2(int64_t v) override {
    Separate();
    AppendNumeric2(out_, v);
  }
  void Inet4(uint32_t v) override {
    Separate();
    AppendInet4(out_, v);
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    Separate();
    AppendMac(out_, v);
  }
  void Json(std::string_view v) override {
    Separate();
    Style::Text(out_, v);
  }
  void Null() override {
    Separate();
    Style::Null(out_);
  }

 private:
  void Separate() {
    if (!first_) out_.Push(Style::kSeparator);
    first_ = false;
  }
  ByteBuffer& out_;
  bool first_ = true;
};

// --- COPY binary -------------------------------------------------------------------------------

class CopyBinaryWriter final : public RowWriter {
 public:
  CopyBinaryWriter(ByteBuffer* out, uint16_t columns) : out_(*out), columns_(columns) {}
  void BeginRow() override { out_.AppendBigEndian16(columns_); }
  void EndRow() override {}
  void Int64(int64_t v) override {
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(static_cast<uint64_t>(v));
  }
  void Int32(int32_t v) override {
    out_.AppendBigEndian32(4);
    out_.AppendBigEndian32(static_cast<uint32_t>(v));
  }
  void Bool(bool v) override {
    out_.AppendBigEndian32(1);
    out_.Push(v ? 1 : 0);
  }
  void Text(std::string_view v) override {
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size()));
    out_.Append(v);
  }
  void Timestamp(int64_t v) override {
    out_.AppendBigEndian32(8);
    out_.AppendBigEndian64(static_cast<uint64_t>(v - kPostgresEpochUnixMicros));
  }
  // numeric: ndigits, weight, sign, dscale, then base-10000 digits, all int16 (numeric_recv).
  void Numeric2(int64_t v) override {
    uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    uint64_t integer = magnitude / 100;
    const uint16_t fraction = static_cast<uint16_t>(magnitude % 100 * 100);
    uint16_t digits[8];
    int count = 0;
    uint16_t reversed[6];
    int integer_groups = 0;
    while (integer != 0) {
      reversed[integer_groups++] = static_cast<uint16_t>(integer % 10000);
      integer /= 10000;
    }
    for (int i = integer_groups - 1; i >= 0; --i) digits[count++] = reversed[i];
    int16_t weight = static_cast<int16_t>(integer_groups - 1);
    if (fraction != 0) {
      if (integer_groups == 0) weight = -1;
      digits[count++] = fraction;
    }
    while (count > 0 && digits[count - 1] == 0) --count;  // trailing zero groups
    if (count == 0) weight = 0;
    out_.AppendBigEndian32(static_cast<uint32_t>(8 + 2 * count));
    out_.AppendBigEndian16(static_cast<uint16_t>(count));
    out_.AppendBigEndian16(static_cast<uint16_t>(weight));
    out_.AppendBigEndian16(v < 0 ? 0x4000 : 0x0000);
    out_.AppendBigEndian16(2);
    for (int i = 0; i < count; ++i) out_.AppendBigEndian16(digits[i]);
  }
  // inet: family (PGSQL_AF_INET = 2), bits, is_cidr, address length, address bytes.
  void Inet4(uint32_t v) override {
    out_.AppendBigEndian32(8);
    const char header[4] = {2, 32, 0, 4};
    out_.Append(header, 4);
    out_.AppendBigEndian32(v);
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    out_.AppendBigEndian32(6);
    out_.Append(v, 6);
  }
  // jsonb: a version byte (1) then the JSON text.
  void Json(std::string_view v) override {
    out_.AppendBigEndian32(static_cast<uint32_t>(v.size() + 1));
    out_.Push(1);
    out_.Append(v);
  }
  void Null() override { out_.AppendBigEndian32(0xFFFFFFFFu); }

 private:
  ByteBuffer& out_;
  uint16_t columns_;
};

// --- JSON lines --------------------------------------------------------------------------------

class JsonlWriter final : public RowWriter {
 public:
  // `keys[i]` is the text that opens column i: `{"id":` for the first, `,"name":` after.
  JsonlWriter(ByteBuffer* out, const std::vector<std::string>* keys) : out_(*out), keys_(*keys) {}
  void BeginRow() override { column_ = 0; }
  void EndRow() override { out_.Append("}\n", 2); }
  void Int64(int64_t v) override {
    Key();
    AppendInt(out_, v);
  }
  void Int32(int32_t v) override {
    Key();
    AppendInt(out_, v);
  }
  void Bool(bool v) override {
    Key();
    out_.Append(v ? "true" : "false", v ? 4 : 5);
  }
  void Text(std::string_view v) override {
    Key();
    Quoted(v);
  }
  void Timestamp(int64_t v) override {
    Key();
    out_.Push('"');
    AppendTimestamp(out_, v, TimestampStyle::kIso8601);
    out_.Push('"');
  }
  void Numeric2(int64_t v) override {
    Key();
    AppendNumeric2(out_, v);
  }
  void Inet4(uint32_t v) override {
    Key();
    out_.Push('"');
    AppendInet4(out_, v);
    out_.Push('"');
  }
  void MacAddr(const uint8_t (&v)[6]) override {
    Key();
    out_.Push('"');
    AppendMac(out_, v);
    out_.Push('"');
  }
  void Json(std::string_view v) override {
    Key();
    out_.Append(v);
  }
  void Null() override {
    Key();
    out_.Append("null", 4);
  }

 private:
  void Key() { out_.Append(keys_[column_++]); }
  void Quoted(std::string_view v) {
    out_.Push('"');
    AppendJsonEscaped(out_, v);
    out_.Push('"');
  }
  ByteBuffer& out_;
  const std::vector<std::string>& keys_;
  size_t column_ = 0;
};

// --- null --------------------------------------------------------------------------------------

class NullWriter final : public RowWriter {
 public:
  void BeginRow() override {}
  void EndRow() override {}
  void Int64(int64_t) override {}
  void Int32(int32_t) override {}
  void Bool(bool) override {}
  void Text(std::string_view) override {}
  void Timestamp(int64_t) override {}
  void Numeric2(int64_t) override {}
  void Inet4(uint32_t) override {}
  void MacAddr(const uint8_t (&)[6]) override {}
  void Json(std::string_view) override {}
  void Null() override {}
};

// --- encodings ---------------------------------------------------------------------------------

class SchemaEncoding final : public Encoding {
 public:
  SchemaEncoding(Format format, const TableSchema& schema) : format_(format), schema_(schema) {
    if (format_ != Format::kJsonl) return;
    for (size_t i = 0; i < schema_.columns.size(); ++i) {
      ByteBuffer key;
      key.Append(i == 0 ? "{\"" : ",\"");
      AppendJsonEscaped(key, schema_.columns[i].name);
      key.Append("\":");
      json_keys_.emplace_back(key.view());
    }
  }

  Format format() const override { return format_; }

  void WritePrologue(ByteBuffer& out) const override {
    if (format_ == Format::kCopyBinary) {
      static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with the NUL
      out.Append(kSignature, 11);
      out.AppendBigEndian32(0);  // flags: no OIDs
      out.AppendBigEndian32(0);  // header extension length
    } else if (format_ == Format::kCsv) {
      for (size_t i = 0; i < schema_.columns.size(); ++i) {
        if (i != 0) out.Push(',');
        AppendCsvField(out, schema_.columns[i].name);
      }
      out.Push('\n');
    }
  }

  void WriteEpilogue(ByteBuffer& out) const override {
    if (format_ == Format::kCopyBinary) out.AppendBigEndian16(0xFFFF);
  }

  std::unique_ptr<RowWriter> NewRowWriter(ByteBuffer* out) const override {
    switch (format_) {
      case Format::kCopyText:
        return std::make_unique<DelimitedWriter<CopyTextStyle>>(out);
      case Format::kCopyBinary:
        return std::make_unique<CopyBinaryWriter>(out,
                                                  static_cast<uint16_t>(schema_.columns.size()));
      case Format::kCsv:
        return std::make_unique<DelimitedWriter<CsvStyle>>(out);
      case Format::kJsonl:
        return std::make_unique<JsonlWriter>(out, &json_keys_);
      case Format::kNull:
        return std::make_unique<NullWriter>();
    }
    return nullptr;
  }

 private:
  Format format_;
  const TableSchema& schema_;
  std::vector<std::string> json_keys_;
};

// Every format's names in one place: what --format accepts, what reports print, and the file
// extension of `generate`.
struct FormatNames {
  Format format;
  std::string_view name;
  std::string_view alias;  // also accepted by ParseFormat
  std::string_view extension;
};
constexpr FormatNames kFormatNames[] = {
    {Format::kCopyText, "copy-text", "text", "copy"},
    {Format::kCopyBinary, "copy-binary", "binary", "pgcopy"},
    {Format::kCsv, "csv", "", "csv"},
    {Format::kJsonl, "jsonl", "", "jsonl"},
    {Format::kNull, "null", "", "null"},
};

const FormatNames& NamesOf(Format format) {
  for (const FormatNames& names : kFormatNames) {
    if (names.format == format) return names;
  }
  return kFormatNames[0];  // unreachable: every enumerator is listed
}

}  // namespace

StatusOr<Format> ParseFormat(std::string_view name) {
  for (const FormatNames& names : kFormatNames) {
    if (name == names.name || (!names.alias.empty() && name == names.alias)) return names.format;
  }
  return InvalidArgument("unknown format '" + std::string(name) +
                         "' (expected csv, jsonl, copy-text, copy-binary or null)");
}

std::string_view FormatName(Format format) { return NamesOf(format).name; }

std::string_view FileExtension(Format format) { return NamesOf(format).extension; }

std::unique_ptr<Encoding> MakeEncoding(Format format, const TableSchema& schema) {
  return std::make_unique<SchemaEncoding>(format, schema);
}

}  // namespace seedforge
