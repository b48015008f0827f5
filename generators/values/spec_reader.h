// Internal to generators/values: reading one generator spec (a JSON object) with the JSON path
// in every message, and the table of generator factories. Only the .cc files of this folder
// include it (it exposes simdjson).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generators/values/column_generator.h"
#include "generators/values/row_program.h"
#include "simdjson.h"

namespace seedforge::values::internal {

namespace dom = simdjson::dom;

using GeneratorPtr = std::unique_ptr<ColumnGenerator>;

// What the specs of one table share while they compile.
struct TableScope {
  std::string_view table;
  uint64_t table_key = 0;            // (seed, table) hashed: the base of keys shared by columns
  std::vector<std::string> columns;  // names in declaration order
  const CompileOptions* options = nullptr;
  // What each memo slot holds, by the key its generators asked for it with (Spec::MemoSlot).
  std::vector<std::pair<uint64_t, const void*>> memos;
};

// One generator spec being read. Every parameter reader registers its key as known, so that
// Finish() can reject the keys no reader asked for, listing the ones that exist.
class Spec {
 public:
  // How a spec is read: where it stands and what it is for.
  struct Frame {
    std::string path;
    uint64_t stream_key = 0;
    bool want_injective = false;  // the column is marked unique
    bool column_level = false;    // the column's own spec: "type" and "unique" are its keys too
    bool durations = false;       // numbers may be durations ("3d"), read as seconds
  };

  Spec(dom::object object, Frame frame, TableScope* scope, std::vector<int>* reads);

  const std::string& path() const { return frame_.path; }
  uint64_t stream_key() const { return frame_.stream_key; }
  const std::string& gen() const { return gen_; }
  const CompileOptions& options() const { return *scope_->options; }
  std::string_view table() const { return scope_->table; }
  size_t column_count() const { return scope_->columns.size(); }
  const std::string& column_name(int column) const { return scope_->columns[column]; }
  // A stream key shared by every column of the table that names `group` (correlated columns).
  uint64_t SharedKey(std::string_view group) const { return HashName(scope_->table_key, group); }
  // The memo slot (RowContext::memos) of the generators that share a value computed from
  // (`key`, `what`): the same slot for the same pair, anywhere in the table.
  int MemoSlot(uint64_t key, const void* what) const {
    const std::pair<uint64_t, const void*> id{key, what};
    for (size_t slot = 0; slot < scope_->memos.size(); ++slot) {
      if (scope_->memos[slot] == id) return static_cast<int>(slot);
    }
    scope_->memos.push_back(id);
    return static_cast<int>(scope_->memos.size() - 1);
  }
  // The column is marked unique: generators that can be injective (a pattern) become so.
  bool want_injective() const { return frame_.want_injective; }

  // "PATH.KEY: MESSAGE" as an InvalidArgument status.
  Status Error(std::string_view key, std::string_view message) const;
  Status Error(std::string_view message) const;  // "PATH: MESSAGE"

  bool Has(std::string_view key);
  // Readers: absent keys leave *out unchanged (the caller's default) unless Required().
  Status Required(std::string_view key);
  Status Double(std::string_view key, double* out);
  Status Double(std::string_view key, double* out, double min, double max);
  Status Integer(std::string_view key, int64_t* out, int64_t min, int64_t max);
  Status Bool(std::string_view key, bool* out);
  Status String(std::string_view key, std::string* out);
  // "500ms", "90s", "15m", "2h", "3d", "1w", or a number of seconds; negative is an error.
  Status Duration(std::string_view key, int64_t* micros);
  // ISO 8601 ("2024-01-01T00:00:00Z"; a date alone means its midnight UTC).
  Status Time(std::string_view key, int64_t* unix_micros);
  Status Element(std::string_view key, dom::element* out);
  // A string naming a column of the table; records it in the reads.
  Status Column(std::string_view key, int* column);
  // Resolves a column name found inside a parameter (a template placeholder) at `key`.
  Status ColumnNamed(std::string_view key, std::string_view name, int* column);
  // Compiles the nested spec at `key` (or the given element, with `sub` naming it in the path
  // and in the stream key).
  Status Nested(std::string_view key, GeneratorPtr* out);
  Status NestedElement(dom::element element, std::string_view sub, GeneratorPtr* out);
  // A nested number spec whose parameters may be durations ("3d"): its values are seconds.
  Status NestedDuration(std::string_view key, GeneratorPtr* out);

  // REQUIRES: all readers have run. Rejects keys no reader asked for.
  Status Finish();

 private:
  friend StatusOr<GeneratorPtr> CompileSpec(dom::element, Spec::Frame, TableScope*,
                                            std::vector<int>*);

  dom::object object_;
  Frame frame_;
  TableScope* scope_;
  std::vector<int>* reads_;
  std::string gen_;
  std::vector<std::string_view> known_;
};

struct GeneratorFactory {
  std::string_view name;
  StatusOr<GeneratorPtr> (*make)(Spec& spec);
};

// Generators from outside this folder (CompileOptions::extra_generators): their factories, and
// an opaque pointer they read through Spec::options() (what they need of the other tables).
struct GeneratorRegistry {
  std::span<const GeneratorFactory> factories;
  const void* context = nullptr;
};

// The factories of each file, collected by the compiler.
std::span<const GeneratorFactory> NumberFactories();
std::span<const GeneratorFactory> StructureFactories();
std::span<const GeneratorFactory> TextFactories();
std::span<const GeneratorFactory> TimeFactories();
std::span<const GeneratorFactory> TypeFactories();  // xml, tsvector, range, point

// Compiles the spec object at `path` (which has a "gen" key; "null_rate" applies to any spec).
// Columns it reads are appended to *reads.
StatusOr<GeneratorPtr> CompileSpec(dom::element element, Spec::Frame frame, TableScope* scope,
                                   std::vector<int>* reads);

// A digit/letter pattern ("JOB-#####") for `spec`, injective when the column is unique.
StatusOr<GeneratorPtr> MakePatternGenerator(Spec& spec, std::string_view format);

// Shared helpers for the generator files.
// The longest text form (Value::AppendText) of the values `info` describes; 0 when unknown.
size_t TextWidth(const GeneratorInfo& info);
std::string FormatDouble(double value);

}  // namespace seedforge::values::internal
