// Small pieces of SQL text shared by the inspection tools (stats, verify, the fingerprints):
// literals, placeholders and the integers the server answers with. Internal to tools/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace seedforge {

// `text` as an SQL string literal: quoted, with every ' doubled.
std::string SqlLiteral(std::string_view text);
// A timestamptz literal for `unix_micros` ("timestamptz '2024-01-02 03:04:05+00'").
std::string TimestampLiteral(int64_t unix_micros);
// Replaces every occurrence of `from` in `text` with `to`.
void ReplaceAll(std::string& text, std::string_view from, std::string_view to);
// A bigint the server returned as text; kInternal for NULL or anything that is not an integer.
StatusOr<int64_t> ParseInt(const std::optional<std::string>& text);

}  // namespace seedforge
