// tsvector lexemes (see text_search.h). The words are found in one scan, sorted once by
// (lexeme, position) and written out in one pass, positions grouped under their lexeme.
#include "core/text_search.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace seedforge {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void PutBigEndian16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}

uint16_t BigEndian16(const unsigned char* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

struct Word {
  std::string_view text;  // lower-cased, in the scratch
  uint16_t position;
};

}  // namespace

void BuildTsVector(std::string_view text, std::string* send_form) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::vector<Word> words;
  int position = 0;
  for (size_t i = 0; i < lowered.size();) {
    if (!IsWordByte(static_cast<unsigned char>(lowered[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lowered.size() && IsWordByte(static_cast<unsigned char>(lowered[end]))) ++end;
    if (end - i <= kMaxTsLexemeBytes) {
      position = std::min(position + 1, kMaxTsPosition);
      words.push_back(
          {std::string_view(lowered).substr(i, end - i), static_cast<uint16_t>(position)});
    }
    i = end;
  }
  // std::string_view compares bytewise as unsigned char, a prefix first: tsCompareString.
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    return a.text != b.text ? a.text < b.text : a.position < b.position;
  });
  send_form->clear();
  send_form->append(4, '\0');  // lexeme count, patched below
  uint32_t lexemes = 0;
  for (size_t i = 0; i < words.size();) {
    size_t end = i;
    while (end < words.size() && words[end].text == words[i].text) ++end;
    send_form->append(words[i].text);
    send_form->push_back('\0');
    const size_t count_at = send_form->size();
    PutBigEndian16(0, send_form);
    uint16_t count = 0;
    for (size_t j = i; j < end && count < kMaxTsPositions; ++j) {
      // Positions clamped to 16383 can repeat; the server keeps one of them.
      if (j > i && words[j].position == words[j - 1].position) continue;
      PutBigEndian16(words[j].position, send_form);
      ++count;
    }
    (*send_form)[count_at] = static_cast<char>(count >> 8);
    (*send_form)[count_at + 1] = static_cast<char>(count & 0xFF);
    ++lexemes;
    i = end;
  }
  for (int b = 0; b < 4; ++b) (*send_form)[b] = static_cast<char>(lexemes >> (24 - 8 * b));
}

void AppendTsVectorText(std::string_view send_form, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(send_form.data());
  const auto* end = p + send_form.size();
  if (end - p < 4) return;
  const uint32_t lexemes = uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
  p += 4;
  static constexpr char kWeights[] = {'D', 'C', 'B', 'A'};
  for (uint32_t i = 0; i < lexemes && p < end; ++i) {
    if (i > 0) out->push_back(' ');
    out->push_back('\'');
    while (p < end && *p != 0) {
      if (*p == '\'' || *p == '\\') out->push_back(static_cast<char>(*p));
      out->push_back(static_cast<char>(*p++));
    }
    out->push_back('\'');
    ++p;  // the NUL
    if (end - p < 2) return;
    const uint16_t count = BigEndian16(p);
    p += 2;
    for (uint16_t j = 0; j < count && end - p >= 2; ++j, p += 2) {
      const uint16_t entry = BigEndian16(p);
      out->push_back(j == 0 ? ':' : ',');
      out->append(std::to_string(entry & 0x3FFF));
      if ((entry >> 14) != 0) out->push_back(kWeights[entry >> 14]);
    }
  }
}

}  // namespace seedforge
