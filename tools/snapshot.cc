// The manifest, the snapshot folder and template databases (see snapshot.h). Create and restore
// live in snapshot_create.cc and snapshot_restore.cc.
//
// The manifest is written by hand (fields in a fixed order, so two snapshots diff cleanly) and
// read with simdjson's DOM API; every error names the file and the JSON path. A snapshot's
// template database carries the snapshot's random id in its comment, so delete, prune and
// restore touch a template only when it is this snapshot's, never a same-named one made from a
// copy of the folder on another machine.
#include "tools/snapshot.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "core/civil_time.h"
#include "engine/report.h"
#include "simdjson.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kPartialMarker = ".partial-";

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
        return Bad(at + ".sequence", "\"" + s.sequence.substr(0, 80) +
                                         "\" is not a qualified name as PostgreSQL's quote_ident "
                                         "writes it");
      }
      if (s.last_value < s.min_value || s.last_value > s.max_value) {
        return Bad(at + ".last_value", "sequence " + s.sequence + " cannot hold " +
                                           std::to_string(s.last_value) + " (its bounds are " +
                                           std::to_string(s.min_value) + ".." +
                                           std::to_string(s.max_value) + ")");
      }
      return Status::Ok();
    }));
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

  // A check from pg_schema.h, its message prefixed with the file.
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

int64_t FolderBytes(const fs::path& folder) {
  int64_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    std::error_code size_error;
    if (entry.is_regular_file(size_error)) {
      const auto size = entry.file_size(size_error);
      if (!size_error) total += static_cast<int64_t>(size);
    }
  }
  return total;
}

StatusOr<SnapshotEntry> LoadEntry(const fs::path& folder) {
  const std::string manifest_path = (folder / kManifestFile).string();
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) return IoError("cannot read " + manifest_path);
  std::ostringstream text;
  text << in.rdbuf();
  SnapshotEntry entry;
  SF_ASSIGN_OR_RETURN(entry.manifest, ParseManifest(text.str(), manifest_path));
  entry.path = folder.string();
  entry.disk_bytes = FolderBytes(folder);
  return entry;
}

int64_t Sum(const std::vector<SnapshotTable>& tables, int64_t SnapshotTable::*field) {
  int64_t total = 0;
  for (const SnapshotTable& table : tables) total += table.*field;
  return total;
}

std::string TemplateComment(const SnapshotManifest& manifest) {
  return "seedforge snapshot " + manifest.id;
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

std::string SnapshotDirectory(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("SEEDFORGE_SNAPSHOTS");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("backups");
}

Status ValidateSnapshotName(const std::string& name) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  const bool first_ok =
      !name.empty() && allowed(name[0]) && name[0] != '.' && name[0] != '-' && name[0] != '_';
  if (!first_ok || name.size() > 48 || !std::all_of(name.begin(), name.end(), allowed)) {
    return InvalidArgument("snapshot name '" + name +
                           "': use 1 to 48 letters, digits, '.', '_' or '-', starting with a "
                           "letter or digit");
  }
  return Status::Ok();
}

std::string DefaultSnapshotName() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "snapshot-%Y%m%d-%H%M%S", &utc);
  return text;
}

StatusOr<std::vector<SnapshotEntry>> ListSnapshots(const std::string& directory) {
  std::vector<SnapshotEntry> entries;
  std::error_code error;
  if (!fs::exists(directory, error)) return entries;
  fs::directory_iterator it(directory, error);
  if (error) return IoError("cannot list " + directory + ": " + error.message());
  for (const auto& item : it) {
    const std::string name = item.path().filename().string();
    std::error_code type_error;
    if (name.empty() || name[0] == '.' || !item.is_directory(type_error)) continue;
    if (!fs::exists(item.path() / kManifestFile, type_error)) continue;
    StatusOr<SnapshotEntry> entry = LoadEntry(item.path());
    if (entry.ok()) {
      entries.push_back(std::move(*entry));
      continue;
    }
    // One damaged folder must not hide the others: it is listed, saying why.
    SnapshotEntry& damaged = entries.emplace_back();
    damaged.manifest.name = name;
    damaged.path = item.path().string();
    damaged.disk_bytes = FolderBytes(item.path());
    damaged.damage = entry.status().message();
  }
  const auto created = [](const SnapshotEntry& entry) {
    int64_t micros = 0;
    return ParseIso8601(entry.manifest.created_at, &micros) ? micros : int64_t{0};
  };
  std::sort(entries.begin(), entries.end(), [&](const SnapshotEntry& a, const SnapshotEntry& b) {
    if (a.damage.empty() != b.damage.empty()) return a.damage.empty();
    if (!a.damage.empty()) return a.manifest.name < b.manifest.name;
    const int64_t created_a = created(a);
    const int64_t created_b = created(b);
    return created_a != created_b ? created_a > created_b : a.manifest.name > b.manifest.name;
  });
  return entries;
}

StatusOr<SnapshotEntry> FindSnapshot(const std::string& directory, const std::string& name) {
  const fs::path folder = fs::path(directory) / name;
  std::error_code error;
  if (ValidateSnapshotName(name).ok() && fs::exists(folder / kManifestFile, error)) {
    return LoadEntry(folder);
  }
  return NotFound("no snapshot named '" + name + "' in " + directory +
                  " (see 'seedforge snapshot list')");
}

Status RemoveSnapshotFolder(const SnapshotEntry& entry) {
  const fs::path folder(entry.path);
  const fs::path doomed = folder.parent_path() / fmt::format(".{}{}{}", folder.filename().string(),
                                                             kPartialMarker, getpid());
  std::error_code error;
  fs::rename(folder, doomed, error);
  if (error) return IoError("cannot remove " + entry.path + ": " + error.message());
  fs::remove_all(doomed, error);
  if (error) return IoError("cannot remove " + doomed.string() + ": " + error.message());
  return Status::Ok();
}

std::vector<std::string> RemoveStalePartials(const std::string& directory) {
  std::vector<std::string> removed;
  std::error_code error;
  for (const auto& item : fs::directory_iterator(directory, error)) {
    const std::string name = item.path().filename().string();
    const size_t marker = name.rfind(kPartialMarker);
    if (name.empty() || name[0] != '.' || marker == std::string::npos) continue;
    const std::string pid_text = name.substr(marker + std::string_view(kPartialMarker).size());
    char* end = nullptr;
    const long pid = std::strtol(pid_text.c_str(), &end, 10);
    if (pid_text.empty() || *end != '\0' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    std::error_code remove_error;
    fs::remove_all(item.path(), remove_error);
    if (!remove_error) removed.push_back(name);
  }
  return removed;
}

StatusOr<bool> TemplateExists(PgConnection& connection, const SnapshotManifest& manifest) {
  if (manifest.template_database.empty()) return false;
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.Query("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                       "datname = " +
                       connection.QuoteLiteral(manifest.template_database)));
  return !found.rows.empty() && found.rows[0][0] == TemplateComment(manifest);
}

StatusOr<bool> DropTemplate(PgConnection& connection, const SnapshotManifest& manifest) {
  SF_ASSIGN_OR_RETURN(const bool exists, TemplateExists(connection, manifest));
  if (!exists) return false;
  const std::string name = QuoteIdentifier(manifest.template_database);
  SF_RETURN_IF_ERROR(connection.Execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false"));
  SF_RETURN_IF_ERROR(connection.Execute("DROP DATABASE " + name));
  return true;
}

Status CommentTemplate(PgConnection& connection, const SnapshotManifest& manifest) {
  return connection.Execute("COMMENT ON DATABASE " + QuoteIdentifier(manifest.template_database) +
                            " IS " + connection.QuoteLiteral(TemplateComment(manifest)));
}

StatusOr<std::vector<std::string>> CoveredSchemas(PgConnection& connection,
                                                  const std::vector<std::string>& include,
                                                  const std::vector<std::string>& exclude) {
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.QueryOne("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN "
                          "('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' "
                          "AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY nspname COLLATE \"C\"",
                          {}));
  std::vector<std::string> schemas;
  for (const auto& row : found.rows) schemas.push_back(*row[0]);
  for (const std::string& name : include) {
    if (std::find(schemas.begin(), schemas.end(), name) == schemas.end()) {
      return NotFound("--schema " + name + ": database " + connection.database() +
                      " has no schema of that name");
    }
  }
  std::vector<std::string> covered;
  for (const std::string& name : schemas) {
    const bool wanted =
        include.empty() || std::find(include.begin(), include.end(), name) != include.end();
    const bool excluded = std::find(exclude.begin(), exclude.end(), name) != exclude.end();
    if (wanted && !excluded) covered.push_back(name);
  }
  return covered;
}

std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "\"" : ",\"";
    for (const char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Status CheckNoPendingConstraints(PgConnection& connection, const std::string& what) {
  // Looked up in the catalog first: a query that fails would abort the caller's transaction.
  SF_ASSIGN_OR_RETURN(
      std::string readable,
      connection.QueryValue(
          "SELECT coalesce(bool_or(has_schema_privilege(c.relnamespace, 'USAGE') AND "
          "has_table_privilege(c.oid, 'SELECT')), false) FROM pg_class c JOIN pg_namespace n ON "
          "n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname = " +
          connection.QuoteLiteral(kPendingConstraintsTable)));
  if (readable != "t") return Status::Ok();
  SF_ASSIGN_OR_RETURN(
      const int64_t pending,
      connection.QueryInt("SELECT count(*) FROM " + std::string(kPendingConstraintsTable)));
  if (pending == 0) return Status::Ok();
  return FailedPrecondition(
      std::string(kPendingConstraintsTable) + " holds " + std::to_string(pending) +
      " foreign key(s) that an interrupted `seedforge seed` took down for its bulk load; run "
      "`seedforge seed` again to finish that load, " +
      what);
}

Status TakeSeedforgeLock(PgConnection& connection, int timeout_seconds,
                         const std::atomic<bool>* cancel,
                         const std::function<void(std::string_view)>& notice) {
  const std::string key = std::to_string(kAdvisoryLockKey);
  const std::string sql = "SELECT pg_try_advisory_lock(" + key + ")";
  const auto started = std::chrono::steady_clock::now();
  for (bool first = true;; first = false) {
    SF_ASSIGN_OR_RETURN(const std::string got, connection.QueryValue(sql));
    if (got == "t") return Status::Ok();
    if (first && notice) {
      notice("waiting for another seedforge run on database " + connection.database() +
             " to finish (advisory lock " + key + ")");
    }
    if (timeout_seconds > 0 &&
        std::chrono::steady_clock::now() - started >= std::chrono::seconds(timeout_seconds)) {
      return Unavailable("gave up after " + std::to_string(timeout_seconds) +
                         " s waiting for another seedforge run on this database (--lock-timeout)");
    }
    if (cancel != nullptr && cancel->load()) {
      return Cancelled("interrupted while waiting for another seedforge run");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

namespace {

// `conninfo` in key=value form, leaving out the keywords `skip` accepts, then `extra` settings.
StatusOr<std::string> RebuildConninfo(const std::string& conninfo,
                                      const std::function<bool(std::string_view)>& skip,
                                      const std::vector<std::pair<const char*, std::string>>& extra,
                                      bool* skipped_any) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error == nullptr ? "out of memory" : error;
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return InvalidArgument("cannot parse the connection string: " + message);
  }
  std::string out;
  const auto add = [&out](const char* key, std::string_view value) {
    out += out.empty() ? "" : " ";
    out += key;
    out += "='";
    for (const char c : value) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += "'";
  };
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (skip(option->keyword)) {
      if (skipped_any != nullptr) *skipped_any = true;
      continue;
    }
    add(option->keyword, option->val);
  }
  PQconninfoFree(options);
  for (const auto& [key, value] : extra) add(key, value);
  return out;
}

}  // namespace

StatusOr<std::string> ConninfoForDatabase(const std::string& conninfo,
                                          const std::string& database) {
  return RebuildConninfo(
      conninfo, [](std::string_view key) { return key == "dbname"; }, {{"dbname", database}},
      nullptr);
}

StatusOr<std::string> ConninfoWithoutPassword(const std::string& conninfo) {
  bool had_password = false;
  SF_ASSIGN_OR_RETURN(
      std::string rebuilt,
      RebuildConninfo(
          conninfo, [](std::string_view key) { return key == "password"; }, {}, &had_password));
  return had_password ? rebuilt : conninfo;
}

StatusOr<OtherSessions> ListOtherSessions(PgConnection& connection) {
  // Not `backend_type = 'client backend'`: for other roles' sessions it is NULL unless we are a
  // superuser or pg_read_all_stats. Background processes without a role (autovacuum) have no
  // usesysid; PostgreSQL ends those itself before copying or renaming a database.
  SF_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.Query("SELECT count(*), coalesce(string_agg('pid ' || pid || ' ' || "
                       "coalesce(nullif(application_name, ''), 'unnamed') || ' (' || "
                       "coalesce(usename, 'unknown role') || ')', ', ' ORDER BY pid), '') FROM "
                       "pg_stat_activity WHERE datname = current_database() AND pid <> "
                       "pg_backend_pid() AND usesysid IS NOT NULL AND (backend_type IS NULL OR "
                       "backend_type = 'client backend')"));
  OtherSessions sessions;
  sessions.count = std::stoll(found.rows.at(0).at(0).value_or("0"));
  sessions.names = found.rows.at(0).at(1).value_or("");
  return sessions;
}

}  // namespace seedforge
