// seedforge preview (see preview.h). The rows go through the generators and the COPY text
// encoding exactly as `seed` sends them, and are split back into fields here, so what the
// preview shows is what the server would receive. The plan is the one RunProfile makes for an
// empty database (engine/run.h: fixtures counted under the targets, derived counts, a segment
// reserving the fixtures' unique values), so the rows are those a fresh `seed` writes first.
#include "tools/preview.h"

#include <algorithm>
#include <memory>

#include "core/byte_buffer.h"
#include "engine/fixtures.h"
#include "engine/report.h"
#include "engine/run.h"
#include "generators/generation_model.h"
#include "sinks/encoding.h"
#include "sinks/sink.h"
#include "tools/export_json.h"

namespace seedforge {
namespace {

// One COPY text field unescaped; std::nullopt for \N.
std::optional<std::string> Unescape(std::string_view field) {
  if (field == "\\N") return std::nullopt;
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out.push_back(field[i]);
      continue;
    }
    out.push_back(DecodeCopyEscape(field[++i]));
  }
  return out;
}

// The rows of a COPY text stream, split into unescaped fields.
std::vector<std::vector<std::optional<std::string>>> SplitCopyText(std::string_view text) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    auto& row = rows.emplace_back();
    size_t field_start = 0;
    for (;;) {
      const size_t tab = line.find('\t', field_start);
      row.push_back(Unescape(line.substr(field_start, tab - field_start)));
      if (tab == std::string_view::npos) break;
      field_start = tab + 1;
    }
    start = end + 1;
  }
  return rows;
}

// Characters of UTF-8 text (continuation bytes not counted).
size_t Width(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// `value` cut to at most `max_width` characters (the last three "..."), newlines and tabs shown
// as spaces, NULL as "NULL".
std::string Cell(const std::optional<std::string>& value, size_t max_width) {
  if (!value.has_value()) return "NULL";
  std::string text = *value;
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  if (Width(text) <= max_width) return text;
  // Below four characters there is no room for the "...": the text is only cut.
  const size_t kept = max_width < 4 ? max_width : max_width - 3;
  std::string cut;
  size_t width = 0;
  for (const char c : text) {
    const bool starts = (c & 0xC0) != 0x80;
    if (starts && width == kept) break;
    if (starts) ++width;
    cut.push_back(c);
  }
  return max_width < 4 ? cut : cut + "...";
}

}  // namespace

StatusOr<FreshSeedGenerators> MakeFreshSeedGenerators(const Profile& profile) {
  const std::vector<TableSchema>& schemas = profile.schemas();
  FreshSeedGenerators made;
  made.fresh = PlanFreshSeed(profile);
  const FreshSeedPlan& fresh = made.fresh;
  SF_RETURN_IF_ERROR(
      profile.model->CheckCounts(fresh.generated).WithContext("profile " + profile.name));
  auto plan = std::make_shared<GenerationPlan>(MakeGenerationPlan(profile, fresh.generated));
  const auto fixture_keys = FixtureUniqueKeys(profile);
  std::vector<GenerationSegment> planned(schemas.size());
  for (size_t t = 0; t < schemas.size(); ++t) {
    planned[t].table = schemas[t].name;
    planned[t].row_count = fresh.generated[t];
    planned[t].first_id = 1;
    if (!fixture_keys[t].empty()) {
      planned[t].reserved_keys =
          std::make_shared<const ReservedKeys>(fixture_keys[t].begin(), fixture_keys[t].end());
    }
  }
  ApplyHistory(std::vector<TableContents>(schemas.size()), planned, plan.get());
  made.generators = profile.model->MakeGenerators(plan);
  made.plan = std::move(plan);
  return made;
}

StatusOr<std::vector<PreviewTable>> PreviewProfile(const Profile& profile, std::string_view table,
                                                   int64_t rows) {
  const std::vector<TableSchema>& schemas = profile.schemas();
  if (!table.empty() && profile.FindTable(table) < 0) {
    std::string names;
    for (const TableSchema& schema : schemas) names += (names.empty() ? "" : ", ") + schema.name;
    return NotFound("--table: profile " + profile.name + " has no table '" + std::string(table) +
                    "' (its tables: " + names + ")");
  }
  SF_ASSIGN_OR_RETURN(const FreshSeedGenerators made, MakeFreshSeedGenerators(profile));
  const FreshSeedPlan& fresh = made.fresh;
  const auto& generators = made.generators;
  std::vector<PreviewTable> tables;
  ByteBuffer buffer;
  for (size_t t = 0; t < schemas.size(); ++t) {
    if (!table.empty() && schemas[t].name != table) continue;
    const TableSchema& schema = generators[t]->schema();
    PreviewTable& preview = tables.emplace_back();
    preview.name = schema.name;
    preview.target = fresh.targets[t];
    for (const ColumnSchema& column : schema.columns) preview.columns.push_back(column.name);
    const auto encoding = MakeEncoding(Format::kCopyText, schema);
    buffer.Reset();
    const auto writer = encoding->NewRowWriter(&buffer);
    generators[t]->WriteRows(0, std::min(rows, fresh.generated[t]), *writer);
    preview.rows = SplitCopyText(buffer.view());
  }
  return tables;
}

std::string FormatPreview(const std::vector<PreviewTable>& tables, size_t max_width) {
  std::string out;
  for (const PreviewTable& table : tables) {
    if (!out.empty()) out += "\n";
    out += table.name + ": " + GroupDigits(table.target) + " rows, showing " +
           std::to_string(table.rows.size()) + "\n";
    std::vector<std::vector<std::string>> cells;
    cells.push_back(table.columns);
    for (const auto& row : table.rows) {
      auto& line = cells.emplace_back();
      for (const auto& value : row) line.push_back(Cell(value, max_width));
    }
    std::vector<size_t> widths(table.columns.size(), 0);
    for (const auto& line : cells) {
      for (size_t c = 0; c < line.size() && c < widths.size(); ++c) {
        widths[c] = std::max(widths[c], Width(line[c]));
      }
    }
    for (size_t l = 0; l < cells.size(); ++l) {
      std::string text;
      for (size_t c = 0; c < cells[l].size() && c < widths.size(); ++c) {
        if (c > 0) text += " | ";
        text += cells[l][c];
        if (c + 1 < cells[l].size()) text.append(widths[c] - Width(cells[l][c]), ' ');
      }
      out += text + "\n";
      if (l == 0) {
        std::string rule;
        for (size_t c = 0; c < widths.size(); ++c) {
          if (c > 0) rule += "-+-";
          rule.append(widths[c], '-');
        }
        out += rule + "\n";
      }
    }
  }
  return out;
}

}  // namespace seedforge
