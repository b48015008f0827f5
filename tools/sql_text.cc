// See sql_text.h.
#include "tools/sql_text.h"

#include <charconv>

#include "core/civil_time.h"

namespace seedforge {

std::string SqlLiteral(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string TimestampLiteral(int64_t unix_micros) {
  char buffer[kMaxTimestampChars];
  const size_t length = FormatTimestamp(unix_micros, TimestampStyle::kPostgres, buffer);
  return "timestamptz '" + std::string(buffer, length) + "'";
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

StatusOr<int64_t> ParseInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (!text.has_value()) return Internal("unexpected NULL from the server");
  const auto result = std::from_chars(text->data(), text->data() + text->size(), value);
  if (result.ec != std::errc()) return Internal("unexpected value from the server: " + *text);
  return value;
}

}  // namespace seedforge
