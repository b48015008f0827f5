// Fingerprints (see fingerprint.h for the definition of the canonical text and the sum).
//
// The row hash is MD5 because it is the one digest PostgreSQL has in every supported version
// without an extension; the client computes it with OpenSSL's libcrypto, which libpq itself is
// built on (Debian's libpq-dev depends on libssl-dev), so it adds no new dependency. Eight bytes
// of it per row, summed modulo 2^64, make an order-independent fingerprint: a changed, missing
// or extra row changes the sum with probability 1 - 2^-64.
#include "tools/fingerprint.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <charconv>

#include "core/civil_time.h"
#include "engine/pipeline.h"
#include "sinks/postgres/connection.h"
#include "tools/sql_text.h"

namespace seedforge {
namespace {

// ---------------------------------------------------------------------------------------------
// MD5 through libcrypto, with the algorithm fetched once.

const EVP_MD* Md5() {
  static const EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md5;
}

uint64_t FirstEightBytes(const unsigned char* digest) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | digest[i];
  return value;
}

class Md5Hasher {
 public:
  Md5Hasher() : context_(EVP_MD_CTX_new()) {}
  ~Md5Hasher() { EVP_MD_CTX_free(context_); }
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;

  uint64_t Hash(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestInit_ex(context_, Md5(), nullptr);
    EVP_DigestUpdate(context_, text.data(), text.size());
    EVP_DigestFinal_ex(context_, digest, &length);
    return FirstEightBytes(digest);
  }

 private:
  EVP_MD_CTX* context_;
};

// ---------------------------------------------------------------------------------------------
// The canonical row text (verify.h), written by the generators.

void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<size_t>(result.ptr - digits));
}

class FingerprintWriter final : public RowWriter {
 public:
  FingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows)
      : text_(*text), sum_(*sum), rows_(*rows) {}

  void BeginRow() override {
    text_.clear();
    first_ = true;
  }
  void EndRow() override {
    sum_ += hasher_.Hash(text_);
    ++rows_;
  }
  void Int64(int64_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Int32(int32_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Bool(bool value) override {
    Separate();
    text_.append(value ? "true" : "false");
  }
  void Text(std::string_view value) override {
    Separate();
    text_.append(value);
  }
  void Timestamp(int64_t unix_micros) override {
    Separate();
    // PostgreSQL prints the fraction without trailing zeros ("12.24027+00"); FormatTimestamp
    // prints six digits or none.
    char buffer[kMaxTimestampChars];
    const std::string_view formatted(
        buffer, FormatTimestamp(unix_micros, TimestampStyle::kPostgres, buffer));
    const size_t zone = formatted.rfind('+');
    const size_t dot = formatted.rfind('.');
    if (dot == std::string_view::npos || zone == std::string_view::npos || zone < dot) {
      text_.append(formatted);
      return;
    }
    size_t fraction_end = zone;
    while (fraction_end > dot + 1 && formatted[fraction_end - 1] == '0') --fraction_end;
    text_.append(formatted.substr(0, fraction_end));
    text_.append(formatted.substr(zone));
  }
  void Numeric2(int64_t hundredths) override {
    Separate();
    const uint64_t magnitude =
        hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
    if (hundredths < 0) text_.push_back('-');
    AppendInt(text_, static_cast<int64_t>(magnitude / 100));
    text_.push_back('.');
    text_.push_back(static_cast<char>('0' + magnitude % 100 / 10));
    text_.push_back(static_cast<char>('0' + magnitude % 10));
  }
  void Inet4(uint32_t address) override {
    Separate();
    for (int shift = 24; shift >= 0; shift -= 8) {
      AppendInt(text_, (address >> shift) & 0xFF);
      if (shift != 0) text_.push_back('.');
    }
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    Separate();
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 6; ++i) {
      if (i != 0) text_.push_back(':');
      text_.push_back(kHex[bytes[i] >> 4]);
      text_.push_back(kHex[bytes[i] & 0xF]);
    }
  }
  void Json(std::string_view json_object) override {
    Separate();
    text_.append(json_object);  // the generators emit jsonb's canonical text
  }
  void Null() override {
    Separate();
    text_.append("\\N");
  }

 private:
  void Separate() {
    if (!first_) text_.push_back('\t');
    first_ = false;
  }

  std::string& text_;
  uint64_t& sum_;
  int64_t& rows_;
  Md5Hasher hasher_;
  bool first_ = true;
};

// The SQL rendering of one column in the canonical text.
std::string ColumnText(const ColumnSchema& column) {
  std::string value;
  switch (column.type) {
    case ColumnType::kText:
      value = column.name;
      break;
    case ColumnType::kInet:
      value = "host(" + column.name + ")";
      break;
    default:  // bigint, integer, boolean, timestamptz, numeric, macaddr, jsonb
      value = column.name + "::text";
      break;
  }
  return "coalesce(" + value + ", E'\\\\N')";
}

constexpr std::string_view kTwoTo64 = "18446744073709551616";

}  // namespace

std::string Fingerprint::HashHex() const { return fmt::format("{:016x}", hash); }

uint64_t RowHash(std::string_view canonical_text) {
  Md5Hasher hasher;
  return hasher.Hash(canonical_text);
}

std::unique_ptr<RowWriter> MakeFingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows) {
  return std::make_unique<FingerprintWriter>(text, sum, rows);
}

Fingerprint ExpectedFingerprint(const TableGenerator& generator, int64_t rows, int threads) {
  constexpr int64_t kBlockRows = 4096;
  tbb::task_arena arena(ResolveThreads(threads));
  return arena.execute([&] {
    return tbb::parallel_reduce(
        tbb::blocked_range<int64_t>(0, rows, kBlockRows), Fingerprint{},
        [&](const tbb::blocked_range<int64_t>& range, Fingerprint sum) {
          std::string text;
          FingerprintWriter writer(&text, &sum.hash, &sum.rows);
          generator.WriteRows(range.begin(), range.end(), writer);
          return sum;
        },
        [](Fingerprint a, const Fingerprint& b) {
          a.rows += b.rows;
          a.hash += b.hash;  // modulo 2^64 by unsigned wrap-around
          return a;
        });
  });
}

std::string FingerprintSql(const TableSchema& schema, std::string_view condition) {
  std::string text;
  for (const ColumnSchema& column : schema.columns) {
    text += text.empty() ? "" : " || E'\\t' || ";
    text += ColumnText(column);
  }
  return fmt::format(
      "SELECT count(*), mod(mod(coalesce(sum(('x' || left(md5({}), 16))::bit(64)::bigint), 0), "
      "{}) + {}, {})::text FROM {} WHERE {}",
      text, kTwoTo64, kTwoTo64, kTwoTo64, schema.name, condition);
}

std::string GeneratedIdCondition(const TableContents& contents, int64_t rows,
                                 std::string_view id_column) {
  if (!contents.history || contents.segments.empty()) {
    return fmt::format("{} BETWEEN 1 AND {}", id_column, rows);
  }
  std::string condition;
  for (size_t i = 0; i < contents.segments.size(); ++i) {
    const GenerationSegment& segment = contents.segments[i];
    const int64_t end =
        std::min(rows, i + 1 < contents.segments.size() ? contents.segments[i + 1].first_row
                                                        : contents.generated);
    if (end <= segment.first_row) continue;
    condition += condition.empty() ? "" : " OR ";
    condition += fmt::format("{} BETWEEN {} AND {}", id_column, segment.FirstId(),
                             segment.FirstId() + (end - segment.first_row) - 1);
  }
  return condition.empty() ? "false" : condition;
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        int64_t rows) {
  return ServerFingerprint(connection, schema, fmt::format("id BETWEEN 1 AND {}", rows));
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        std::string_view condition) {
  SF_ASSIGN_OR_RETURN(QueryResult result, connection.Query(FingerprintSql(schema, condition)));
  if (result.rows.size() != 1 || result.rows[0].size() != 2) {
    return Internal("fingerprint query of " + schema.name + " returned no row");
  }
  Fingerprint fingerprint;
  SF_ASSIGN_OR_RETURN(fingerprint.rows, ParseInt(result.rows[0][0]));
  const std::string& hash = result.rows[0][1].value_or("");
  const auto parsed = std::from_chars(hash.data(), hash.data() + hash.size(), fingerprint.hash);
  if (parsed.ec != std::errc()) return Internal("unexpected fingerprint from the server: " + hash);
  return fingerprint;
}

Status PrepareInspectSession(PgConnection& connection) {
  return connection.Execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'");
}
}  // namespace seedforge
