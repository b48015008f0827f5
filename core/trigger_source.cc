// Reading a trigger function's source (see trigger_source.h): first into words, then the few
// statement shapes that matter looked up among them.
#include "core/trigger_source.h"

#include <cctype>

namespace seedforge {
namespace {

struct Token {
  std::string text;     // a word lower-cased (a quoted identifier as written), or punctuation
  bool word = false;    // an identifier or keyword, quoted or not
  bool quoted = false;  // a "quoted identifier"
};

bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The end of the dollar-quote opening at `at` ("$$" or "$tag$"), or npos when `at` opens none.
size_t DollarTagEnd(std::string_view text, size_t at) {
  size_t end = at + 1;
  while (end < text.size() && text[end] != '$') {
    const char c = text[end];
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_')) return std::string::npos;
    ++end;
  }
  return end < text.size() ? end + 1 : std::string::npos;
}

std::vector<Token> Tokens(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      int depth = 0;
      while (i < text.size()) {
        if (text.compare(i, 2, "/*") == 0) {
          ++depth, i += 2;
        } else if (text.compare(i, 2, "*/") == 0) {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
    } else if (c == '\'') {
      // A string literal ('' inside is a quote; after E, a backslash escapes).
      const bool escapes = !tokens.empty() && tokens.back().text == "e" && i > 0 &&
                           (text[i - 1] == 'e' || text[i - 1] == 'E');
      if (escapes) tokens.pop_back();
      ++i;
      while (i < text.size()) {
        if (escapes && text[i] == '\\') {
          i += 2;
        } else if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
      tokens.push_back({"'", false, false});
    } else if (c == '$' && DollarTagEnd(text, i) != std::string::npos) {
      const size_t tag_end = DollarTagEnd(text, i);
      const std::string_view tag = text.substr(i, tag_end - i);
      const size_t close = text.find(tag, tag_end);
      i = close == std::string::npos ? text.size() : close + tag.size();
      tokens.push_back({"'", false, false});
    } else if (c == '"') {
      std::string name;
      ++i;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            name += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        name += text[i++];
      }
      tokens.push_back({name, true, true});
    } else if (WordChar(c)) {
      std::string word;
      while (i < text.size() && WordChar(text[i])) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        ++i;
      }
      tokens.push_back({word, true, false});
    } else if (c == ':' && i + 1 < text.size() && text[i + 1] == '=') {
      tokens.push_back({":=", false, false});
      i += 2;
    } else {
      tokens.push_back({std::string(1, c), false, false});
      ++i;
    }
  }
  return tokens;
}

class Reader {
 public:
  explicit Reader(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  TriggerSource Read() {
    TriggerSource source;
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (Is(i, "new") && Is(i + 1, ".") && Word(i + 2) &&
          (Is(i + 3, ":=") || (Is(i + 3, "=") && StatementStart(i)))) {
        source.assigns.push_back(tokens_[i + 2].text);
      } else if ((Is(i, "insert") || Is(i, "merge")) && Is(i + 1, "into")) {
        TriggerWrite write;
        write.statement = tokens_[i].text;
        if (size_t end = Name(i + 2, &write.table); end != 0) source.writes.push_back(write);
      } else if (Is(i, "delete") && Is(i + 1, "from")) {
        TriggerWrite write;
        write.statement = "delete";
        if (size_t end = Name(Is(i + 2, "only") ? i + 3 : i + 2, &write.table); end != 0) {
          source.writes.push_back(write);
        }
      } else if (Is(i, "update") && !AfterAny(i, {"for", "do", "key", "or", "before", "after"})) {
        TriggerWrite write;
        write.statement = "update";
        const size_t end = Name(Is(i + 1, "only") ? i + 2 : i + 1, &write.table);
        if (end == 0) continue;
        write.columns = SetColumns(end);
        source.writes.push_back(write);
      } else if (Is(i, "execute") && !Is(i + 1, "function") && !Is(i + 1, "procedure")) {
        source.dynamic = true;
      }
    }
    return source;
  }

 private:
  bool Is(size_t i, std::string_view text) const {
    return i < tokens_.size() && !tokens_[i].quoted && tokens_[i].text == text;
  }
  bool Word(size_t i) const { return i < tokens_.size() && tokens_[i].word; }
  bool AfterAny(size_t i, std::initializer_list<std::string_view> words) const {
    if (i == 0) return false;
    for (const std::string_view word : words) {
      if (Is(i - 1, word)) return true;
    }
    return false;
  }
  // At the start of a statement: after `;` or a word that opens a block or branch.
  bool StatementStart(size_t i) const {
    return i == 0 || Is(i - 1, ";") || AfterAny(i, {"begin", "then", "else", "loop", "declare"});
  }
  // A name (`t`, `s.t`, `"S"."T"`) at `i` into `name`; the index after it, or 0 when none.
  size_t Name(size_t i, std::string* name) const {
    if (!Word(i)) return 0;
    *name = tokens_[i].text;
    if (Is(i + 1, ".") && Word(i + 2)) {
      *name += "." + tokens_[i + 2].text;
      return i + 3;
    }
    return i + 1;
  }
  // After an UPDATE's table: the columns of its SET list (`SET a = 1, b = f(x, y)`), up to the
  // statement's WHERE, FROM, RETURNING or end; none for `SET (a, b) = ...`.
  std::vector<std::string> SetColumns(size_t i) const {
    std::vector<std::string> columns;
    while (i < tokens_.size() && !Is(i, "set") && !Is(i, ";")) ++i;
    if (!Is(i, "set")) return columns;
    int depth = 0;
    for (size_t j = i + 1; j < tokens_.size(); ++j) {
      if (Is(j, "(")) ++depth;
      if (Is(j, ")")) --depth;
      if (depth < 0 || Is(j, ";")) break;
      if (depth == 0 && (Is(j, "where") || Is(j, "from") || Is(j, "returning"))) break;
      if (depth == 0 && (j == i + 1 || Is(j - 1, ",")) && Word(j) && Is(j + 1, "=")) {
        columns.push_back(tokens_[j].text);
      }
    }
    return columns;
  }

  std::vector<Token> tokens_;
};

}  // namespace

TriggerSource ReadTriggerSource(std::string_view source) { return Reader(Tokens(source)).Read(); }

}  // namespace seedforge
