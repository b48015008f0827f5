// The checks on a profile's raw text (see profile.h): what simdjson would report badly or not at
// all, and the line and column of a byte offset for every message about the text.
#include <cstdint>
#include <string>

#include "engine/profile_reader.h"

namespace seedforge::profile_detail {

// `doc` may be null (iterate() failed): the message then has no line and column.
Status ProfileReader::Syntax(od::document* doc, simdjson::error_code error) const {
  std::string where;
  const char* location = nullptr;
  if (doc != nullptr && doc->current_location().get(location) == simdjson::SUCCESS &&
      location != nullptr && location >= json_.data() && location <= json_.data() + json_.size()) {
    where = LineColumn(static_cast<size_t>(location - json_.data()));
  }
  return InvalidArgument(origin_ + where + ": malformed JSON (" + simdjson::error_message(error) +
                         ")");
}

// ":LINE:COLUMN" of byte `offset` of the text (both from 1).
std::string ProfileReader::LineColumn(size_t offset) const {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < json_.size(); ++i) {
    if (json_.data()[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string where = ":";  // appended piecewise: GCC 12 warns (-Wrestrict) on ":" + string
  where += std::to_string(line);
  where += ':';
  where += std::to_string(column);
  return where;
}

Status ProfileReader::TextError(size_t offset, const std::string& message) const {
  return InvalidArgument(origin_ + LineColumn(offset) + ": " + message);
}

// What simdjson would report badly or not at all (before it walks the text): nothing but
// blanks, a NUL byte, invalid UTF-8, and anything after the closing brace of the object.
Status ProfileReader::CheckText() const {
  const std::string_view text(json_.data(), json_.size());
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgument(origin_ + ": " + (text.empty() ? "empty file" : "only blanks") +
                           " (a profile is a JSON object)");
  }
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return TextError(nul, "a NUL byte at byte offset " + std::to_string(nul) +
                              " (a profile is UTF-8 JSON text)");
  }
  if (const size_t bad = InvalidUtf8Offset(text); bad != std::string_view::npos) {
    return TextError(bad, "invalid UTF-8 at byte offset " + std::to_string(bad) +
                              " (a profile is UTF-8 JSON text)");
  }
  if (text[first] != '{') return Status::Ok();  // "a profile must be a JSON object"
  const size_t end = ObjectEnd(text, first);
  if (end == std::string_view::npos) return Status::Ok();  // unbalanced: simdjson says where
  const size_t trailing = text.find_first_not_of(" \t\r\n", end);
  if (trailing != std::string_view::npos) {
    return TextError(trailing, "trailing content after the JSON object at byte offset " +
                                   std::to_string(trailing));
  }
  return Status::Ok();
}

// The offset of the first byte that does not start or continue a valid UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF included), or npos.
size_t ProfileReader::InvalidUtf8Offset(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3F);
    }
    const uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

// The offset just past the '}' that closes the object opening at `open`, or npos.
size_t ProfileReader::ObjectEnd(std::string_view text, size_t open) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace seedforge::profile_detail
