// MergeJsonObjects and PrettyJson (see json_text.h), over simdjson's DOM.
#include "engine/json_text.h"

#include <simdjson.h>

#include <cstdio>

namespace seedforge {
namespace {

namespace dom = simdjson::dom;

void Merge(dom::object base, dom::object overlay, std::string* out) {
  out->push_back('{');
  bool first = true;
  auto key_of = [&](std::string_view key) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(key, out);
    out->push_back(':');
  };
  for (const dom::key_value_pair field : base) {
    dom::element over;
    if (overlay.at_key(field.key).get(over) != simdjson::SUCCESS) {
      key_of(field.key);
      out->append(simdjson::minify(field.value));
      continue;
    }
    key_of(field.key);
    if (field.value.is_object() && over.is_object()) {
      Merge(field.value.get_object().value_unsafe(), over.get_object().value_unsafe(), out);
    } else {
      out->append(simdjson::minify(over));
    }
  }
  for (const dom::key_value_pair field : overlay) {
    dom::element ignored;
    if (base.at_key(field.key).get(ignored) == simdjson::SUCCESS) continue;
    key_of(field.key);
    out->append(simdjson::minify(field.value));
  }
  out->push_back('}');
}

bool IsScalar(dom::element element) { return !element.is_object() && !element.is_array(); }

void Pretty(dom::element element, int depth, std::string* out) {
  const std::string indent(static_cast<size_t>(2 * (depth + 1)), ' ');
  const std::string closing(static_cast<size_t>(2 * depth), ' ');
  if (element.is_object()) {
    const dom::object object = element.get_object().value_unsafe();
    if (object.size() == 0) {
      out->append("{}");
      return;
    }
    out->append("{\n");
    bool first = true;
    for (const dom::key_value_pair field : object) {
      if (!first) out->append(",\n");
      first = false;
      out->append(indent);
      AppendJsonString(field.key, out);
      out->append(": ");
      Pretty(field.value, depth + 1, out);
    }
    out->append("\n" + closing + "}");
    return;
  }
  if (element.is_array()) {
    const dom::array array = element.get_array().value_unsafe();
    bool scalars = true;
    size_t length = 0;
    for (const dom::element item : array) {
      scalars = scalars && IsScalar(item);
      length += simdjson::minify(item).size() + 2;
    }
    if (array.size() == 0 || (scalars && length <= 80)) {
      out->push_back('[');
      bool first = true;
      for (const dom::element item : array) {
        if (!first) out->append(", ");
        first = false;
        out->append(simdjson::minify(item));
      }
      out->push_back(']');
      return;
    }
    out->append("[\n");
    bool first = true;
    for (const dom::element item : array) {
      if (!first) out->append(",\n");
      first = false;
      out->append(indent);
      Pretty(item, depth + 1, out);
    }
    out->append("\n" + closing + "]");
    return;
  }
  out->append(simdjson::minify(element));
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out->append(escaped);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

StatusOr<std::string> MergeJsonObjects(std::string_view base, std::string_view overlay) {
  dom::parser base_parser;
  dom::parser overlay_parser;
  dom::object base_object;
  dom::object overlay_object;
  if (base_parser.parse(base.data(), base.size()).get(base_object) != simdjson::SUCCESS) {
    return InvalidArgument("the base of the merge is not a JSON object");
  }
  if (overlay_parser.parse(overlay.data(), overlay.size()).get(overlay_object) !=
      simdjson::SUCCESS) {
    return InvalidArgument("the overlay of the merge is not a JSON object");
  }
  std::string out;
  Merge(base_object, overlay_object, &out);
  return out;
}

StatusOr<std::string> PrettyJson(std::string_view json) {
  dom::parser parser;
  dom::element element;
  if (parser.parse(json.data(), json.size()).get(element) != simdjson::SUCCESS) {
    return InvalidArgument("not valid JSON");
  }
  std::string out;
  Pretty(element, 0, &out);
  out.push_back('\n');
  return out;
}

}  // namespace seedforge
