// JSON text helpers for profiles: the deep merge that "extends" means, and pretty printing for
// `seedforge profiles show`.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace seedforge {

// Appends `text` as a JSON string literal, escaped as PostgreSQL's escape_json writes it (what
// jsonb prints): '"', '\\', \b, \f, \n, \r and \t by name, other control bytes as \u00XX.
void AppendJsonString(std::string_view text, std::string* out);

// `overlay` over `base`, both JSON objects: a key of `overlay` whose value and base value are
// both objects is merged the same way, recursively; any other value of `overlay` replaces the
// base's. Keys keep the base's order, new keys follow in the overlay's order. Returns minified
// JSON; kInvalidArgument when either is not a JSON object.
StatusOr<std::string> MergeJsonObjects(std::string_view base, std::string_view overlay);

// `json` with two-space indentation, one member or element per line, short arrays of scalars
// on one line. kInvalidArgument when it is not valid JSON.
StatusOr<std::string> PrettyJson(std::string_view json);

}  // namespace seedforge
