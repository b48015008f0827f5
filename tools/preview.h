// `seedforge preview`: the first rows of a profile's tables, generated as a fresh seed of its
// targets would generate them, without a database. For writing and checking a profile.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "generators/generation_model.h"

namespace seedforge {

struct PreviewTable {
  std::string name;
  int64_t target = 0;  // the rows a fresh seed leaves (FreshSeedPlan::targets)
  std::vector<std::string> columns;
  // The values' COPY text forms; std::nullopt for NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// The generators of a fresh seed of `profile`, with the plan they keep. kInvalidArgument when
// the model refuses the counts.
struct FreshSeedGenerators {
  FreshSeedPlan fresh;
  std::shared_ptr<const GenerationPlan> plan;
  std::vector<std::unique_ptr<TableGenerator>> generators;  // schemas() order
};
StatusOr<FreshSeedGenerators> MakeFreshSeedGenerators(const Profile& profile);

// The first `rows` rows of every table of `profile` in load order, or of `table` alone when it
// is not empty (kNotFound naming it and the profile's tables when the profile has no such
// table), as a fresh seed generates them (PlanFreshSeed; generated rows keep clear of the
// fixtures' unique values). Fixtures themselves are not included. kInvalidArgument when the
// model refuses the counts. REQUIRES: rows >= 0.
StatusOr<std::vector<PreviewTable>> PreviewProfile(const Profile& profile, std::string_view table,
                                                   int64_t rows);

// Each table as a heading ("travelers: 200 rows, showing 5"), its column names, a rule and one
// line per row, columns aligned and separated by " | " (the last one not padded); values longer
// than `max_width` characters cut to that width ending in "..." (cut without it below 4),
// newlines and tabs shown as spaces, NULL as "NULL". Tables are separated by an empty line.
std::string FormatPreview(const std::vector<PreviewTable>& tables, size_t max_width);

}  // namespace seedforge
