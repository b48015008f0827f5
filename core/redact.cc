// See redact.h. The rules over-mask rather than under-mask: a word like "host:5432/db?x=a@b"
// loses "5432/db?x=a" too, which is harmless in an error message, while a password shown once is
// a leak.
#include "core/redact.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace seedforge {
namespace {

constexpr std::string_view kMask = "***";

using Span = std::pair<size_t, size_t>;  // [begin, end) of a secret in the text

bool IsBlank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool EndsWord(char c) { return IsBlank(c) || c == '"' || c == '\''; }

// Userinfo passwords: in each word holding an '@', the text after the authority's start (after
// "://", ":/" or "//", else the word's start) up to the last '@' is user[:password].
void FindUserinfo(std::string_view text, std::vector<Span>* spans) {
  size_t begin = 0;
  while (begin < text.size()) {
    while (begin < text.size() && EndsWord(text[begin])) ++begin;
    size_t end = begin;
    while (end < text.size() && !EndsWord(text[end])) ++end;
    const std::string_view word = text.substr(begin, end - begin);
    const size_t at = word.rfind('@');
    if (at != std::string_view::npos) {
      size_t start = 0;
      for (const std::string_view marker : {"://", ":/", "//"}) {
        const size_t found = word.find(marker);
        if (found != std::string_view::npos && found < at) {
          start = found + marker.size();
          break;
        }
      }
      const size_t colon = word.find(':', start);
      if (colon != std::string_view::npos && colon < at && colon + 1 < at) {
        spans->emplace_back(begin + colon + 1, begin + at);
      }
    }
    begin = end;
  }
}

// password=VALUE, password = 'quoted \' value'.
void FindPasswordKeywords(std::string_view text, std::vector<Span>* spans) {
  constexpr std::string_view kKey = "password";
  for (size_t pos = 0; pos + kKey.size() <= text.size(); ++pos) {
    bool match = true;
    for (size_t i = 0; i < kKey.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(text[pos + i])) == kKey[i];
    }
    if (!match) continue;
    size_t value = pos + kKey.size();
    while (value < text.size() && IsBlank(text[value])) ++value;
    if (value >= text.size() || text[value] != '=') continue;
    ++value;
    while (value < text.size() && IsBlank(text[value])) ++value;
    size_t end = value;
    if (end < text.size() && text[end] == '\'') {
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
    } else {
      while (end < text.size() && !IsBlank(text[end]) && text[end] != '&' && text[end] != '"') {
        ++end;
      }
    }
    if (end > value) spans->emplace_back(value, end);
    pos = end == 0 ? pos : end - 1;
  }
}

std::vector<Span> FindSpans(std::string_view text, const std::vector<std::string>& secrets) {
  std::vector<Span> spans;
  FindUserinfo(text, &spans);
  FindPasswordKeywords(text, &spans);
  for (const std::string& secret : secrets) {
    if (secret.size() < 3) continue;
    for (size_t pos = text.find(secret); pos != std::string_view::npos;
         pos = text.find(secret, pos + 1)) {
      spans.emplace_back(pos, pos + secret.size());
    }
  }
  std::sort(spans.begin(), spans.end());
  // Merge overlapping spans, so each secret becomes exactly one mask.
  std::vector<Span> merged;
  for (const Span& span : spans) {
    if (!merged.empty() && span.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, span.second);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string RedactSecrets(std::string_view text, const std::vector<std::string>& secrets) {
  const std::vector<Span> spans = FindSpans(text, secrets);
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const auto& [begin, end] : spans) {
    out.append(text.substr(copied, begin - copied));
    out.append(kMask);
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

std::vector<std::string> FindSecrets(std::string_view text) {
  std::vector<std::string> found;
  for (const auto& [begin, end] : FindSpans(text, {})) {
    std::string secret(text.substr(begin, end - begin));
    if (secret.size() >= 2 && secret.front() == '\'' && secret.back() == '\'') {
      secret = secret.substr(1, secret.size() - 2);
    }
    std::string decoded = PercentDecoded(secret);
    if (decoded != secret) found.push_back(std::move(decoded));
    found.push_back(std::move(secret));
  }
  return found;
}

}  // namespace seedforge
