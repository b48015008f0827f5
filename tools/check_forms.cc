// The CHECK forms init understands (see check_forms.h). A small scanner that tracks parentheses
// and quotes splits the expression at its top-level AND and comparison operator; references and
// literals are recognised by shape after their casts and enclosing parentheses are taken off.
#include "tools/check_forms.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace seedforge {
namespace {

// `text` without the parentheses that enclose all of it.
std::string_view StripParens(std::string_view text) {
  while (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    int depth = 0;
    bool quoted = false, encloses = true;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\'') quoted = !quoted;
      if (quoted) continue;
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0 && i + 1 < text.size()) {
        encloses = false;
        break;
      }
    }
    if (!encloses) break;
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

// Splits `text` at `separator` where it is outside parentheses and quotes.
std::vector<std::string_view> SplitTopLevel(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth == 0 && text.substr(i, separator.size()) == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + separator.size();
      i = start - 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// `text` without a trailing cast ("::numeric", "::character varying[]").
std::string_view StripCast(std::string_view text) {
  const size_t cast = text.rfind("::");
  if (cast == std::string_view::npos) return text;
  std::string_view type = text.substr(cast + 2);
  if (type.size() > 2 && type.substr(type.size() - 2) == "[]") type.remove_suffix(2);
  const bool plain = !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == ' ' || c == '_' || c == '.' || c == '"' ||
           (c >= '0' && c <= '9');
  });
  return plain ? text.substr(0, cast) : text;
}

// The column a reference in CHECK text names: `name`, `"Name"`, `(name)::text`.
std::optional<std::string> ColumnRef(std::string_view text) {
  text = StripParens(StripCast(StripParens(text)));
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    std::string name;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      if (text[i] == '"') ++i;
      name.push_back(text[i]);
    }
    return name;
  }
  if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || text[0] == '_')) return std::nullopt;
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) {
      return std::nullopt;
    }
  }
  return std::string(text);
}

// A number literal: `0`, `(0)::numeric`, `'-1'::integer`, `2.5`.
std::optional<double> NumberLiteral(std::string_view text) {
  text = StripParens(StripCast(StripParens(text)));
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A string literal `'a''b'::text` as its text.
std::optional<std::string> StringLiteral(std::string_view text) {
  text = StripParens(StripCast(StripParens(text)));
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return std::nullopt;
  std::string value;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\'') ++i;
    value.push_back(text[i]);
  }
  return value;
}

// The column of `length(x)`, `char_length(x)`, `character_length(x)`.
std::optional<std::string> LengthOf(std::string_view text) {
  text = StripParens(text);
  for (const std::string_view function : {"length(", "char_length(", "character_length("}) {
    if (text.rfind(function, 0) == 0 && text.back() == ')') {
      return ColumnRef(text.substr(function.size(), text.size() - function.size() - 1));
    }
  }
  return std::nullopt;
}

struct Comparison {
  std::string_view left, op, right;
};

// Splits `text` at its top-level comparison operator.
std::optional<Comparison> SplitComparison(std::string_view text) {
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth != 0 || i == 0 || text[i - 1] != ' ') continue;
    for (const std::string_view op : {">=", "<=", "<>", ">", "<", "="}) {
      if (text.substr(i, op.size()) == op && i + op.size() < text.size() &&
          text[i + op.size()] == ' ') {
        return Comparison{text.substr(0, i - 1), op, text.substr(i + op.size() + 1)};
      }
    }
  }
  return std::nullopt;
}

std::string_view Flip(std::string_view op) {
  if (op == ">") return "<";
  if (op == "<") return ">";
  if (op == ">=") return "<=";
  if (op == "<=") return ">=";
  return op;
}

// Reads one conjunct of a CHECK into `bounds` / `orders`; false when it is not a simple form.
bool ReadConjunct(std::string_view text, std::map<std::string, ColumnBounds>* bounds,
                  std::vector<ColumnOrder>* orders) {
  text = StripParens(text);
  constexpr std::string_view kNotNull = " IS NOT NULL";
  if (text.size() > kNotNull.size() && text.substr(text.size() - kNotNull.size()) == kNotNull) {
    return ColumnRef(text.substr(0, text.size() - kNotNull.size())).has_value();
  }
  constexpr std::string_view kAny = " = ANY (";
  if (const size_t any = text.find(kAny); any != std::string_view::npos && text.back() == ')') {
    const std::optional<std::string> column = ColumnRef(text.substr(0, any));
    std::string_view array = StripParens(
        StripCast(StripParens(text.substr(any + kAny.size() - 1))));  // "(ARRAY[...])::text[]"
    if (!column || array.rfind("ARRAY[", 0) != 0 || array.back() != ']') return false;
    array = array.substr(6, array.size() - 7);
    ColumnBounds& b = (*bounds)[*column];
    for (const std::string_view item : SplitTopLevel(array, ", ")) {
      if (const auto text_value = StringLiteral(item)) {
        b.values.push_back(*text_value);
      } else if (const auto number = NumberLiteral(item)) {
        b.values.push_back(std::string(StripParens(StripCast(StripParens(item)))));
        b.numeric_values = true;
      } else {
        return false;
      }
    }
    return !b.values.empty();
  }
  const std::optional<Comparison> comparison = SplitComparison(text);
  if (!comparison) return false;
  std::string_view op = comparison->op;
  if (const auto length = LengthOf(comparison->left)) {
    const auto n = NumberLiteral(comparison->right);
    if (!n || *n != std::floor(*n)) return false;
    ColumnBounds& b = (*bounds)[*length];
    const int value = static_cast<int>(*n);
    if (op == "<=" || op == "<" || op == "=") {
      const int max = op == "<" ? value - 1 : value;
      b.max_length = b.max_length < 0 ? max : std::min(b.max_length, max);
    }
    if (op == ">=" || op == ">" || op == "=") {
      b.min_length = std::max(b.min_length, op == ">" ? value + 1 : value);
    }
    return op != "<>";
  }
  std::optional<std::string> column = ColumnRef(comparison->left);
  std::optional<double> number = NumberLiteral(comparison->right);
  if (!column || !number) {
    // k < x, or a comparison of two columns.
    if (const auto flipped = ColumnRef(comparison->right);
        flipped && NumberLiteral(comparison->left)) {
      column = flipped;
      number = NumberLiteral(comparison->left);
      op = Flip(op);
    } else if (column && flipped && op != "=" && op != "<>") {
      const bool less = op == "<" || op == "<=";
      orders->push_back(
          {less ? *column : *flipped, less ? *flipped : *column, op == "<" || op == ">"});
      return true;
    } else if (column && op == "<>" && StringLiteral(comparison->right) == std::string()) {
      (*bounds)[*column].min_length = std::max((*bounds)[*column].min_length, 1);
      return true;
    } else {
      return false;
    }
  }
  ColumnBounds& b = (*bounds)[*column];
  if (op == ">" || op == ">=") {
    if (!b.min || *number > *b.min || (*number == *b.min && op == ">")) {
      b.min = *number;
      b.min_strict = op == ">";
    }
    return true;
  }
  if (op == "<" || op == "<=") {
    if (!b.max || *number < *b.max || (*number == *b.max && op == "<")) {
      b.max = *number;
      b.max_strict = op == "<";
    }
    return true;
  }
  return false;
}

}  // namespace

std::optional<PartitionBound> ReadPartitionBound(std::string_view bound) {
  PartitionBound out;
  if (bound == "DEFAULT") return out;
  // One literal: its text, or nullopt for MINVALUE / MAXVALUE; false when it is not a literal.
  auto literal = [&](std::string_view item, std::optional<std::string>* value) {
    if (SplitTopLevel(item, ", ").size() != 1) return false;  // a key of several columns
    if (item == "MINVALUE" || item == "MAXVALUE") {
      value->reset();
      return true;
    }
    if (auto text = StringLiteral(item)) {
      *value = std::move(*text);
      return true;
    }
    if (!NumberLiteral(item)) return false;
    *value = std::string(StripParens(StripCast(StripParens(item))));
    out.numeric_values = true;
    return true;
  };
  constexpr std::string_view kValues = "FOR VALUES ";
  if (bound.rfind(kValues, 0) != 0) return std::nullopt;
  bound.remove_prefix(kValues.size());
  if (bound.rfind("WITH (", 0) == 0) {
    out.kind = PartitionBound::Kind::kHash;
    return out;
  }
  if (bound.rfind("IN ", 0) == 0) {
    out.kind = PartitionBound::Kind::kList;
    const std::string_view list = bound.substr(3);
    if (list.size() < 2 || list.front() != '(' || list.back() != ')') return std::nullopt;
    for (const std::string_view item : SplitTopLevel(list.substr(1, list.size() - 2), ", ")) {
      if (item == "NULL") continue;
      std::optional<std::string> value;
      if (!literal(item, &value) || !value) return std::nullopt;
      out.values.push_back(std::move(*value));
    }
    return out;
  }
  const std::vector<std::string_view> sides = SplitTopLevel(bound, " TO ");
  if (sides.size() != 2 || sides[0].rfind("FROM (", 0) != 0 || sides[1].size() < 2 ||
      sides[1].front() != '(' || sides[1].back() != ')') {
    return std::nullopt;
  }
  out.kind = PartitionBound::Kind::kRange;
  const std::string_view from = sides[0].substr(5);
  if (from.back() != ')') return std::nullopt;
  if (!literal(from.substr(1, from.size() - 2), &out.from) ||
      !literal(sides[1].substr(1, sides[1].size() - 2), &out.to)) {
    return std::nullopt;
  }
  return out;
}

std::string CheckExpression(std::string_view definition) {
  constexpr std::string_view kNotValid = " NOT VALID";
  if (definition.size() > kNotValid.size() &&
      definition.substr(definition.size() - kNotValid.size()) == kNotValid) {
    definition.remove_suffix(kNotValid.size());
  }
  if (definition.rfind("CHECK ", 0) == 0) definition.remove_prefix(6);
  return std::string(definition);
}

bool ReadCheck(std::string_view definition, std::map<std::string, ColumnBounds>* bounds,
               std::vector<ColumnOrder>* orders) {
  const std::string expression = CheckExpression(definition);
  for (const std::string_view conjunct : SplitTopLevel(StripParens(expression), " AND ")) {
    const std::vector<std::string_view> branches = SplitTopLevel(StripParens(conjunct), " OR ");
    if (branches.size() == 1) {
      if (!ReadConjunct(conjunct, bounds, orders)) return false;
      continue;
    }
    // A OR B holds when B does: the first branch of a simple form is what the generators keep
    // to ("finished_at IS NULL OR finished_at >= started_at" becomes the order of the two).
    bool read = false;
    for (const std::string_view branch : branches) {
      std::map<std::string, ColumnBounds> branch_bounds = *bounds;
      std::vector<ColumnOrder> branch_orders = *orders;
      if (SplitTopLevel(StripParens(branch), " AND ").size() == 1 &&
          ReadConjunct(branch, &branch_bounds, &branch_orders)) {
        *bounds = std::move(branch_bounds);
        *orders = std::move(branch_orders);
        read = true;
        break;
      }
    }
    if (!read) return false;
  }
  return true;
}

}  // namespace seedforge
