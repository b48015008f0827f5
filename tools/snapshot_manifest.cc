// The snapshot manifest as JSON (see snapshot.h): written by hand, with fields in a fixed order
// so that two snapshots diff cleanly, and read with simdjson's DOM API; every error names the
// file and the JSON path.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "engine/report.h"
#include "simdjson.h"
#include "tools/snapshot.h"

namespace seedforge {
namespace {

std::string OptionalString(const std::optional<std::string>& value) {
  return value.has_value() ? JsonString(*value) : "null";
}

std::string StringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + JsonString(items[i]);
  return out + "]";
}

std::string TableJson(const SnapshotTable& table) {
  const TableDef& def = table.definition;
  std::vector<std::string> columns;
  for (const ColumnDef& column : def.columns) columns.push_back(column.name);
  return fmt::format(
      "    {{\"schema\": {}, \"name\": {}, \"partition_of\": {}, \"file\": {}, \"rows\": {}, "
      "\"raw_bytes\": {}, \"compressed_bytes\": {}, \"sha256\": {},\n      \"columns\": {}}}",
      JsonString(def.schema), JsonString(def.name),
      table.partition_of.empty() ? "null" : JsonString(table.partition_of), JsonString(table.file),
      table.rows, table.raw_bytes, table.compressed_bytes, JsonString(table.sha256),
      StringArray(columns));
}

std::string SequenceJson(const SnapshotSequence& s) {
  return fmt::format(
      "    {{\"sequence\": {}, \"last_value\": {}, \"is_called\": {}, \"min_value\": {}, "
      "\"max_value\": {}}}",
      JsonString(s.sequence), s.last_value, s.is_called ? "true" : "false", s.min_value,
      s.max_value);
}

std::string SchemaFileJson(const SnapshotSchemaFile& f) {
  return fmt::format("    {{\"section\": {}, \"file\": {}, \"bytes\": {}, \"sha256\": {}}}",
                     JsonString(f.section), JsonString(f.file), f.bytes, JsonString(f.sha256));
}

// `"key": [...]` with one item per line, each written by `format`; a comma after unless last.
template <typename Item, typename Format>
std::string JsonLines(const char* key, const std::vector<Item>& items, Format format, bool last) {
  std::string out = fmt::format("  \"{}\": [", key);
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "\n" : ",\n") + format(items[i]);
  out += items.empty() ? "]" : "\n  ]";
  return out + (last ? "\n" : ",\n");
}

bool PlainFileName(const std::string& file) {
  return !file.empty() && file.find('/') == std::string::npos && file[0] != '.';
}

class ManifestReader {
 public:
  explicit ManifestReader(std::string origin) : origin_(std::move(origin)) {}

  StatusOr<SnapshotManifest> Read(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const simdjson::padded_string padded(json);
    if (auto error = parser.parse(padded).get(root)) {
      return Bad("$", std::string("malformed JSON (") + simdjson::error_message(error) + ")");
    }
    SnapshotManifest m;
    SF_RETURN_IF_ERROR(ReadHeader(root, &m));
    SF_RETURN_IF_ERROR(ReadLists(root, &m));
    SF_RETURN_IF_ERROR(Each(
        root, "$", "tables",
        [&](simdjson::dom::element table, const std::string& at) { return Table(table, at, &m); }));
    int64_t total_rows = 0;
    SF_RETURN_IF_ERROR(Int(root, "$", "total_rows", &total_rows));
    if (total_rows != m.total_rows()) {
      return Bad("$.total_rows", std::to_string(total_rows) +
                                     " is not the sum of the tables' rows (" +
                                     std::to_string(m.total_rows()) + ")");
    }
    return m;
  }

 private:
  // The scalar fields, from format_version to pg_dump_version; refuses a version or a data
  // format this seedforge does not read.
  Status ReadHeader(simdjson::dom::element root, SnapshotManifest* manifest) {
    SnapshotManifest& m = *manifest;
    SF_RETURN_IF_ERROR(Int(root, "$", "format_version", &m.format_version));
    if (m.format_version != 2) {
      return Bad("$.format_version",
                 "unsupported version " + std::to_string(m.format_version) +
                     (m.format_version == 1
                          ? " (written by an older seedforge, which saved only schemas public and "
                            "seedforge; restore it with that version, or create it again)"
                          : " (this seedforge reads version 2)"));
    }
    SF_RETURN_IF_ERROR(String(root, "$", "id", &m.id));
    SF_RETURN_IF_ERROR(String(root, "$", "name", &m.name));
    SF_RETURN_IF_ERROR(String(root, "$", "created_at", &m.created_at));
    SF_RETURN_IF_ERROR(Optional(root, "$", "profile", &m.profile));
    SF_RETURN_IF_ERROR(Optional(root, "$", "seed", &m.seed));
    SF_RETURN_IF_ERROR(String(root, "$", "seedforge_version", &m.seedforge_version));
    SF_RETURN_IF_ERROR(String(root, "$", "server_version", &m.server_version));
    SF_RETURN_IF_ERROR(String(root, "$", "database", &m.database));
    SF_RETURN_IF_ERROR(String(root, "$", "copy_format", &m.copy_format));
    SF_RETURN_IF_ERROR(String(root, "$", "compression", &m.compression));
    SF_RETURN_IF_ERROR(Int(root, "$", "compression_level", &m.compression_level));
    SF_RETURN_IF_ERROR(String(root, "$", "hash", &m.hash));
    if (m.copy_format != "binary" || m.compression != "zstd" || m.hash != "sha256") {
      return Bad("$", "unsupported data format " + m.copy_format + "/" + m.compression + "/" +
                          m.hash + " (this seedforge reads binary/zstd/sha256)");
    }
    std::optional<std::string> template_database;
    SF_RETURN_IF_ERROR(Optional(root, "$", "template_database", &template_database));
    m.template_database = template_database.value_or("");
    // Absent from manifests written before seedforge recorded where the template lives.
    if (simdjson::dom::element server; !root.at_key("template_server").get(server)) {
      std::optional<std::string> template_server;
      SF_RETURN_IF_ERROR(Optional(root, "$", "template_server", &template_server));
      m.template_server = template_server.value_or("");
    }
    SF_RETURN_IF_ERROR(String(root, "$", "pg_dump_version", &m.pg_dump_version));
    return Status::Ok();
  }

  // The schemas, the schema files, the partitioned tables, materialized views and sequences.
  Status ReadLists(simdjson::dom::element root, SnapshotManifest* manifest) {
    SnapshotManifest& m = *manifest;
    using Element = simdjson::dom::element;
    SF_RETURN_IF_ERROR(Each(root, "$", "schemas", [&](Element item, const std::string& at) {
      std::string schema;
      SF_RETURN_IF_ERROR(Text(item, at, &schema));
      SF_RETURN_IF_ERROR(Checked(CheckName(schema, at)));
      m.schemas.push_back(std::move(schema));
      return Status::Ok();
    }));
    for (const auto& [key, out] : {std::pair{"include_schemas", &m.include_schemas},
                                   std::pair{"exclude_schemas", &m.exclude_schemas}}) {
      SF_RETURN_IF_ERROR(Each(root, "$", key, [&, out = out](Element item, const std::string& at) {
        std::string schema;
        SF_RETURN_IF_ERROR(Text(item, at, &schema));
        SF_RETURN_IF_ERROR(Checked(CheckName(schema, at)));
        out->push_back(std::move(schema));
        return Status::Ok();
      }));
    }
    SF_RETURN_IF_ERROR(Each(root, "$", "schema_files", [&](Element item, const std::string& at) {
      SnapshotSchemaFile& f = m.schema_files.emplace_back();
      SF_RETURN_IF_ERROR(String(item, at, "section", &f.section));
      SF_RETURN_IF_ERROR(String(item, at, "file", &f.file));
      SF_RETURN_IF_ERROR(Int(item, at, "bytes", &f.bytes));
      SF_RETURN_IF_ERROR(String(item, at, "sha256", &f.sha256));
      if (!PlainFileName(f.file)) return Bad(at + ".file", "not a plain file name: " + f.file);
      return Status::Ok();
    }));
    if (m.schema_files.size() != 2 || m.schema_files[0].section != "pre-data" ||
        m.schema_files[1].section != "post-data") {
      return Bad("$.schema_files", "expected the pre-data and the post-data section, in order");
    }
    const auto qualified_names = [&](const char* key, std::vector<std::string>* out) {
      return Each(root, "$", key, [&, out](Element item, const std::string& at) {
        std::string name;
        SF_RETURN_IF_ERROR(Text(item, at, &name));
        if (!IsQualifiedName(name)) {
          return Bad(at, fmt::format("\"{}\" is not a qualified name as PostgreSQL's "
                                     "quote_ident writes it",
                                     std::string_view(name).substr(0, 80)));
        }
        out->push_back(std::move(name));
        return Status::Ok();
      });
    };
    SF_RETURN_IF_ERROR(qualified_names("partitioned_tables", &m.partitioned_tables));
    SF_RETURN_IF_ERROR(qualified_names("materialized_views", &m.materialized_views));
    SF_RETURN_IF_ERROR(Each(root, "$", "sequences", [&](Element item, const std::string& at) {
      SnapshotSequence& s = m.sequences.emplace_back();
      SF_RETURN_IF_ERROR(String(item, at, "sequence", &s.sequence));
      SF_RETURN_IF_ERROR(Int(item, at, "last_value", &s.last_value));
      SF_RETURN_IF_ERROR(Bool(item, at, "is_called", &s.is_called));
      SF_RETURN_IF_ERROR(Int(item, at, "min_value", &s.min_value));
      SF_RETURN_IF_ERROR(Int(item, at, "max_value", &s.max_value));
      if (!IsQualifiedName(s.sequence)) {
        // fmt, not operator+: GCC 12 warns (-Wrestrict, a false positive) on "\"" + string.
        return Bad(at + ".sequence", fmt::format("\"{}\" is not a qualified name as PostgreSQL's "
                                                 "quote_ident writes it",
                                                 std::string_view(s.sequence).substr(0, 80)));
      }
      if (s.last_value < s.min_value || s.last_value > s.max_value) {
        return Bad(at + ".last_value", "sequence " + s.sequence + " cannot hold " +
                                           std::to_string(s.last_value) + " (its bounds are " +
                                           std::to_string(s.min_value) + ".." +
                                           std::to_string(s.max_value) + ")");
      }
      return Status::Ok();
    }));
    return Status::Ok();
  }

  Status Table(simdjson::dom::element element, const std::string& path, SnapshotManifest* m) {
    SnapshotTable& t = m->tables.emplace_back();
    TableDef& def = t.definition;
    SF_RETURN_IF_ERROR(String(element, path, "schema", &def.schema));
    SF_RETURN_IF_ERROR(String(element, path, "name", &def.name));
    SF_RETURN_IF_ERROR(Checked(CheckName(def.schema, path + ".schema")));
    SF_RETURN_IF_ERROR(Checked(CheckName(def.name, path + ".name")));
    if (std::find(m->schemas.begin(), m->schemas.end(), def.schema) == m->schemas.end()) {
      return Bad(path + ".schema", "schema " + def.schema + " is not in $.schemas");
    }
    std::optional<std::string> partition_of;
    SF_RETURN_IF_ERROR(Optional(element, path, "partition_of", &partition_of));
    t.partition_of = partition_of.value_or("");
    SF_RETURN_IF_ERROR(String(element, path, "file", &t.file));
    if (!PlainFileName(t.file)) return Bad(path + ".file", "not a plain file name: " + t.file);
    SF_RETURN_IF_ERROR(Int(element, path, "rows", &t.rows));
    SF_RETURN_IF_ERROR(Int(element, path, "raw_bytes", &t.raw_bytes));
    SF_RETURN_IF_ERROR(Int(element, path, "compressed_bytes", &t.compressed_bytes));
    SF_RETURN_IF_ERROR(String(element, path, "sha256", &t.sha256));
    if (t.rows < 0 || t.raw_bytes < 0 || t.compressed_bytes < 0) {
      return Bad(path, "negative rows or bytes");
    }
    return Each(element, path, "columns",
                [&](simdjson::dom::element item, const std::string& at) -> Status {
                  ColumnDef& column = def.columns.emplace_back();
                  SF_RETURN_IF_ERROR(Text(item, at, &column.name));
                  return Checked(CheckName(column.name, at));
                });
  }

  // A check from core/table_model.h, its message prefixed with the file.
  Status Checked(const Status& status) const {
    return status.ok() ? status : FailedPrecondition(origin_ + ": " + status.message());
  }
  Status Text(simdjson::dom::element value, const std::string& path, std::string* out) {
    std::string_view text;
    if (value.get(text)) return Bad(path, "expected a string");
    *out = std::string(text);
    return Status::Ok();
  }

  // Calls `read(item, path)` for every element of the array `key`, stopping at the first error.
  template <typename Read>
  Status Each(simdjson::dom::element object, const std::string& path, const char* key, Read read) {
    simdjson::dom::array items;
    SF_RETURN_IF_ERROR(Array(object, path, key, &items));
    size_t index = 0;
    for (simdjson::dom::element item : items) {
      SF_RETURN_IF_ERROR(read(item, path + "." + key + "[" + std::to_string(index++) + "]"));
    }
    return Status::Ok();
  }

  Status Field(simdjson::dom::element object, const std::string& path, const char* key,
               simdjson::dom::element* value) {
    if (object.at_key(key).get(*value))
      return Bad(path, std::string("missing key \"") + key + "\"");
    return Status::Ok();
  }
  Status String(simdjson::dom::element object, const std::string& path, const char* key,
                std::string* out) {
    simdjson::dom::element value;
    SF_RETURN_IF_ERROR(Field(object, path, key, &value));
    std::string_view text;
    if (value.get(text)) return Bad(path + "." + key, "expected a string");
    *out = std::string(text);
    return Status::Ok();
  }
  Status Optional(simdjson::dom::element object, const std::string& path, const char* key,
                  std::optional<std::string>* out) {
    simdjson::dom::element value;
    SF_RETURN_IF_ERROR(Field(object, path, key, &value));
    if (value.is_null()) {
      out->reset();
      return Status::Ok();
    }
    std::string_view text;
    if (value.get(text)) return Bad(path + "." + key, "expected a string or null");
    *out = std::string(text);
    return Status::Ok();
  }
  Status Char(simdjson::dom::element object, const std::string& path, const char* key, char* out) {
    std::string text;
    SF_RETURN_IF_ERROR(String(object, path, key, &text));
    if (text.size() > 1) return Bad(path + "." + key, "expected one letter or \"\"");
    *out = text.empty() ? 0 : text[0];
    return Status::Ok();
  }
  template <typename Int64OrInt>
  Status Int(simdjson::dom::element object, const std::string& path, const char* key,
             Int64OrInt* out) {
    simdjson::dom::element value;
    SF_RETURN_IF_ERROR(Field(object, path, key, &value));
    int64_t number = 0;
    if (value.get(number)) return Bad(path + "." + key, "expected an integer");
    *out = static_cast<Int64OrInt>(number);
    return Status::Ok();
  }
  Status Bool(simdjson::dom::element object, const std::string& path, const char* key, bool* out) {
    simdjson::dom::element value;
    SF_RETURN_IF_ERROR(Field(object, path, key, &value));
    if (value.get(*out)) return Bad(path + "." + key, "expected true or false");
    return Status::Ok();
  }
  Status Array(simdjson::dom::element object, const std::string& path, const char* key,
               simdjson::dom::array* out) {
    simdjson::dom::element value;
    SF_RETURN_IF_ERROR(Field(object, path, key, &value));
    if (value.get(*out)) return Bad(path + "." + key, "expected an array");
    return Status::Ok();
  }
  Status Bad(const std::string& path, const std::string& message) const {
    return FailedPrecondition(origin_ + ": " + path + ": " + message);
  }

  std::string origin_;
};

int64_t Sum(const std::vector<SnapshotTable>& tables, int64_t SnapshotTable::*field) {
  int64_t total = 0;
  for (const SnapshotTable& table : tables) total += table.*field;
  return total;
}
}  // namespace

int64_t SnapshotManifest::total_rows() const { return Sum(tables, &SnapshotTable::rows); }

int64_t SnapshotManifest::raw_bytes() const { return Sum(tables, &SnapshotTable::raw_bytes); }

int64_t SnapshotManifest::compressed_bytes() const {
  return Sum(tables, &SnapshotTable::compressed_bytes);
}

std::string ManifestToJson(const SnapshotManifest& m) {
  std::string out = "{\n";
  out += fmt::format("  \"format_version\": {},\n", m.format_version);
  out += fmt::format("  \"id\": {},\n  \"name\": {},\n  \"created_at\": {},\n", JsonString(m.id),
                     JsonString(m.name), JsonString(m.created_at));
  out += fmt::format("  \"profile\": {},\n  \"seed\": {},\n", OptionalString(m.profile),
                     OptionalString(m.seed));
  out += fmt::format("  \"seedforge_version\": {},\n  \"server_version\": {},\n",
                     JsonString(m.seedforge_version), JsonString(m.server_version));
  out += fmt::format("  \"database\": {},\n", JsonString(m.database));
  out += fmt::format(
      "  \"copy_format\": {},\n  \"compression\": {},\n  \"compression_level\": {},\n"
      "  \"hash\": {},\n",
      JsonString(m.copy_format), JsonString(m.compression), m.compression_level,
      JsonString(m.hash));
  out += fmt::format("  \"template_database\": {},\n",
                     m.template_database.empty() ? "null" : JsonString(m.template_database));
  out += fmt::format("  \"template_server\": {},\n",
                     m.template_server.empty() ? "null" : JsonString(m.template_server));
  out += fmt::format("  \"total_rows\": {},\n  \"raw_bytes\": {},\n  \"compressed_bytes\": {},\n",
                     m.total_rows(), m.raw_bytes(), m.compressed_bytes());
  out += fmt::format("  \"pg_dump_version\": {},\n", JsonString(m.pg_dump_version));
  out += fmt::format("  \"schemas\": {},\n", StringArray(m.schemas));
  out += fmt::format("  \"include_schemas\": {},\n  \"exclude_schemas\": {},\n",
                     StringArray(m.include_schemas), StringArray(m.exclude_schemas));
  out += JsonLines("schema_files", m.schema_files, SchemaFileJson, false);
  out += fmt::format("  \"partitioned_tables\": {},\n", StringArray(m.partitioned_tables));
  out += fmt::format("  \"materialized_views\": {},\n", StringArray(m.materialized_views));
  out += JsonLines("sequences", m.sequences, SequenceJson, false);
  out += JsonLines("tables", m.tables, TableJson, true);
  return out + "}\n";
}

StatusOr<SnapshotManifest> ParseManifest(std::string_view json, const std::string& origin) {
  return ManifestReader(origin).Read(json);
}
}  // namespace seedforge
