// Compiling a table's column specs into a RowProgram.
//
// Three passes: compile each column's spec (every name a spec mentions becomes a column
// position, collected as the column's reads), order the columns by those reads (Kahn's
// algorithm, ties in declaration order so the order is stable; a cycle is reported with its
// columns), then link the generators in that order so metadata that depends on other columns
// (a template's longest text and injectivity) is final before the uniqueness check reads it.
#include "generators/values/row_program.h"

#include <algorithm>

#include "generators/values/spec_reader.h"

namespace seedforge::values {

class ProgramBuilder {
 public:
  static StatusOr<RowProgram> Build(std::string_view table, std::string_view json,
                                    const CompileOptions& options);
};

namespace {

// The columns of a cycle among `remaining`, as "a -> b -> a".
std::string DescribeCycle(const std::vector<std::vector<int>>& reads,
                          const std::vector<bool>& remaining,
                          const std::vector<std::string>& names) {
  // Follow reads from a remaining column until a column repeats; every remaining column reads
  // at least one other remaining column, so the walk never stops elsewhere.
  int start =
      static_cast<int>(std::find(remaining.begin(), remaining.end(), true) - remaining.begin());
  std::vector<int> path;
  std::vector<int> position(names.size(), -1);
  int column = start;
  while (position[column] < 0) {
    position[column] = static_cast<int>(path.size());
    path.push_back(column);
    for (int read : reads[column]) {
      if (remaining[read]) {
        column = read;
        break;
      }
    }
  }
  std::string out;
  for (size_t i = static_cast<size_t>(position[column]); i < path.size(); ++i) {
    out += names[path[i]] + " -> ";
  }
  return out + names[column];
}

}  // namespace

StatusOr<RowProgram> ProgramBuilder::Build(std::string_view table, std::string_view json,
                                           const CompileOptions& options) {
  using internal::dom::element;
  using internal::dom::object;
  const std::string path =
      options.path.empty() ? "tables." + std::string(table) + ".columns" : options.path;
  internal::dom::parser parser;
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return InvalidArgument(path + ": malformed JSON (" + simdjson::error_message(error) + ")");
  }
  object columns;
  if (root.get_object().get(columns)) return InvalidArgument(path + ": expected an object");
  if (columns.size() == 0) return InvalidArgument(path + ": a table needs at least one column");

  RowProgram program;
  program.table_ = std::string(table);
  internal::TableScope scope;
  scope.table = program.table_;
  scope.table_key = HashName(Mix64(options.seed ^ 0xc01d5eedULL), table);
  scope.options = &options;
  for (auto [name, spec] : columns) {
    if (std::find(scope.columns.begin(), scope.columns.end(), name) != scope.columns.end()) {
      return InvalidArgument(path + "." + std::string(name) + ": duplicate column");
    }
    scope.columns.emplace_back(name);
  }
  const size_t n = scope.columns.size();
  std::vector<std::vector<int>> reads(n);
  std::vector<internal::GeneratorPtr> generators;
  std::vector<std::string> gens;  // each column's generator name, for messages
  for (auto [name, spec] : columns) {
    const size_t column = generators.size();
    const std::string column_path = path + "." + std::string(name);
    bool unique = false;
    object spec_object;
    std::string_view gen;
    if (spec.get_object().get(spec_object) == simdjson::SUCCESS) {
      if (spec_object.at_key("gen").get_string().get(gen) != simdjson::SUCCESS) gen = "";
      gens.emplace_back(gen);
      element flag;
      if (spec_object.at_key("unique").get(flag) == simdjson::SUCCESS &&
          flag.get_bool().get(unique)) {
        return InvalidArgument(column_path + ".unique: expected true or false");
      }
    }
    internal::Spec::Frame frame;
    frame.path = column_path;
    frame.stream_key = ColumnStreamKey(options.seed, table, name);
    frame.want_injective = unique;
    frame.column_level = true;
    SF_ASSIGN_OR_RETURN(internal::GeneratorPtr generator,
                        internal::CompileSpec(spec, std::move(frame), &scope, &reads[column]));
    if (std::find(reads[column].begin(), reads[column].end(), static_cast<int>(column)) !=
        reads[column].end()) {
      return InvalidArgument(column_path + ": column '" + std::string(name) + "' reads itself");
    }
    generators.push_back(std::move(generator));
    program.unique_.push_back(unique);
  }

  // Order by reads.
  std::vector<bool> done(n, false), remaining(n, true);
  while (program.order_.size() < n) {
    bool progressed = false;
    for (size_t c = 0; c < n; ++c) {
      if (done[c]) continue;
      const bool ready =
          std::all_of(reads[c].begin(), reads[c].end(), [&](int read) { return done[read]; });
      if (!ready) continue;
      done[c] = true;
      remaining[c] = false;
      program.order_.push_back(static_cast<int>(c));
      progressed = true;
      break;  // restart from the first column: ties go in declaration order
    }
    if (!progressed) {
      return InvalidArgument(path + ": columns read each other in a cycle: " +
                             DescribeCycle(reads, remaining, scope.columns));
    }
  }

  std::vector<const GeneratorInfo*> infos(n);
  for (size_t c = 0; c < n; ++c) infos[c] = &generators[c]->info();
  for (int c : program.order_) {
    SF_RETURN_IF_ERROR(generators[c]->Link(infos));
    generators[c]->mutable_info()->reads = reads[c];
  }

  for (size_t c = 0; c < n; ++c) {
    if (!program.unique_[c] || generators[c]->info().injective_rows != kNotInjective) continue;
    const std::string& gen = gens[c];
    return InvalidArgument(
        path + "." + scope.columns[c] + ".unique: column '" + scope.columns[c] +
        "' is unique but generator '" + gen +
        "' is not injective in the row; use 'id', 'scramble', 'uuid', a 'pattern', "
        "or a 'template' with {n} or a unique column");
  }

  // Per column: the columns it needs, itself last, in program order.
  program.closures_.resize(n);
  for (size_t c = 0; c < n; ++c) {
    std::vector<bool> needed(n, false);
    std::vector<int> stack = {static_cast<int>(c)};
    while (!stack.empty()) {
      const int top = stack.back();
      stack.pop_back();
      if (needed[top]) continue;
      needed[top] = true;
      for (int read : reads[top]) stack.push_back(read);
    }
    for (int column : program.order_) {
      if (needed[column]) program.closures_[c].push_back(column);
    }
  }

  program.names_ = std::move(scope.columns);
  program.memo_count_ = scope.memos.size();
  for (auto& generator : generators) program.generators_.push_back(std::move(generator));
  return program;
}

RowProgram::~RowProgram() = default;

StatusOr<RowProgram> RowProgram::Compile(std::string_view table, std::string_view columns_json,
                                         const CompileOptions& options) {
  return ProgramBuilder::Build(table, columns_json, options);
}

int RowProgram::FindColumn(std::string_view name) const {
  const auto found = std::find(names_.begin(), names_.end(), name);
  return found == names_.end() ? -1 : static_cast<int>(found - names_.begin());
}

const GeneratorInfo& RowProgram::info(size_t column) const { return generators_[column]->info(); }

void RowProgram::ComputeRow(uint64_t row, RowScratch* scratch) const {
  RowContext context;
  context.SetRow(row);
  context.columns = scratch->data();
  context.user = scratch->user();
  context.memos = scratch->memos();
  for (int column : order_) generators_[column]->Generate(context, &(*scratch)[column]);
}

void RowProgram::ComputeColumn(uint64_t row, size_t column, RowScratch* scratch) const {
  RowContext context;
  context.SetRow(row);
  context.columns = scratch->data();
  context.user = scratch->user();
  context.memos = scratch->memos();
  for (int needed : closures_[column]) generators_[needed]->Generate(context, &(*scratch)[needed]);
}

}  // namespace seedforge::values
