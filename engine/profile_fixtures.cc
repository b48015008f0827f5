// Reading a profile's "fixtures" (see profile.h): named records per table, their values checked
// against the column types, and every {"ref": KEY} resolved to a fixture of the referenced table.
#include <algorithm>
#include <charconv>
#include <string>

#include "core/civil_time.h"
#include "engine/profile_reader.h"

namespace seedforge::profile_detail {

// "fixtures": {"TABLE": {"key": "COLUMN", "rows": [{"COLUMN": value, ...}, ...]}, ...}. A table
// named here replaces the base profile's fixtures of that table.
Status ProfileReader::ReadFixtures(od::document& doc, od::value& value, Profile* profile) {
  od::object object;
  if (value.get_object().get(object)) return Invalid("$.fixtures", "expected an object");
  std::vector<std::string> seen;
  for (auto field : object) {
    std::string_view name;
    if (auto error = field.unescaped_key().get(name); error) return Syntax(doc, error);
    const std::string path = "$.fixtures." + std::string(name);
    SF_RETURN_IF_ERROR(Once(&seen, name, path));
    const int table = profile->FindTable(name);
    if (table < 0) return Invalid(path, "unknown table " + ExpectedTables(*profile));
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    TableFixtures fixtures;
    SF_RETURN_IF_ERROR(ReadTableFixtures(
        doc, item, path, profile->schemas()[static_cast<size_t>(table)], &fixtures));
    profile->fixtures[static_cast<size_t>(table)] = std::move(fixtures);
  }
  return Status::Ok();
}

Status ProfileReader::ReadTableFixtures(od::document& doc, od::value& value,
                                        const std::string& path, const TableSchema& schema,
                                        TableFixtures* fixtures) {
  od::object object;
  if (value.get_object().get(object)) return Invalid(path, "expected an object with key, rows");
  std::string key;
  bool has_rows = false;
  std::vector<std::string> seen;
  for (auto field : object) {
    std::string_view name;
    if (auto error = field.unescaped_key().get(name); error) return Syntax(doc, error);
    SF_RETURN_IF_ERROR(Once(&seen, name, path + "." + std::string(name)));
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    if (name == "key") {
      SF_RETURN_IF_ERROR(String(doc, item, path + ".key", &key));
      fixtures->key_column = ColumnIndex(schema, key);
      if (fixtures->key_column <= 0) {
        return Invalid(path + ".key",
                       "'" + key + "' is not a column of " + schema.name + " other than id");
      }
    } else if (name == "rows") {
      has_rows = true;
      od::array array;
      if (item.get_array().get(array)) return Invalid(path + ".rows", "expected an array");
      size_t index = 0;
      for (auto element : array) {
        od::value row_value;
        if (auto error = element.get(row_value); error) return Syntax(doc, error);
        FixtureRow& row = fixtures->rows.emplace_back();
        row.path = path + ".rows[" + std::to_string(index++) + "]";
        SF_RETURN_IF_ERROR(ReadFixtureRow(doc, row_value, schema, &row));
      }
    } else {
      return Invalid(path + "." + std::string(name), "unknown key (expected key, rows)");
    }
  }
  if (fixtures->key_column < 0) return Invalid(path, "missing \"key\" (the natural key column)");
  if (!has_rows) return Invalid(path, "missing \"rows\"");
  // Every row gives its key, and no two rows give the same one.
  for (size_t i = 0; i < fixtures->rows.size(); ++i) {
    const FixtureRow& row = fixtures->rows[i];
    const FixtureValue* own = row.Find(fixtures->key_column);
    if (own == nullptr || own->kind == FixtureValue::Kind::kNull ||
        own->kind == FixtureValue::Kind::kRef) {
      return Invalid(row.path, "has no value for its key column '" + key + "'");
    }
    for (size_t j = 0; j < i; ++j) {
      if (fixtures->rows[j].Find(fixtures->key_column)->text == own->text) {
        return Invalid(row.path, "repeats the key " + key + " = '" + own->text + "' of " +
                                     fixtures->rows[j].path);
      }
    }
  }
  return Status::Ok();
}

int ProfileReader::ColumnIndex(const TableSchema& schema, std::string_view name) {
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (schema.columns[c].name == name) return static_cast<int>(c);
  }
  return -1;
}

Status ProfileReader::ReadFixtureRow(od::document& doc, od::value& value, const TableSchema& schema,
                                     FixtureRow* row) {
  od::object object;
  if (value.get_object().get(object)) return Invalid(row->path, "expected an object");
  for (auto field : object) {
    std::string_view name;
    if (auto error = field.unescaped_key().get(name); error) return Syntax(doc, error);
    const std::string path = row->path + "." + std::string(name);
    const int column = ColumnIndex(schema, name);
    if (column < 0) return Invalid(path, "unknown column of " + schema.name);
    if (column == 0) return Invalid(path, "fixtures take their ids from the table's identity");
    if (row->Find(column) != nullptr) return Invalid(path, "given twice");
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    FixtureValue fixture;
    SF_RETURN_IF_ERROR(
        ReadFixtureValue(doc, item, path, schema.columns[static_cast<size_t>(column)], &fixture));
    row->values.emplace_back(column, std::move(fixture));
  }
  for (size_t c = 1; c < schema.columns.size(); ++c) {
    if (!schema.columns[c].nullable && row->Find(static_cast<int>(c)) == nullptr) {
      return Invalid(row->path, "missing column '" + schema.columns[c].name + "' (NOT NULL in " +
                                    schema.name + ")");
    }
  }
  return Status::Ok();
}

namespace {

// Whether a fixture number of `column` may have a fraction (numeric, real, double precision).
bool IsDecimal(const ColumnSchema& column) {
  if (column.type == ColumnType::kNumeric2) return true;
  if (column.type != ColumnType::kOther || column.sql.array) return false;
  const SqlTypeKind kind = column.sql.kind;
  return kind == SqlTypeKind::kNumeric || kind == SqlTypeKind::kReal ||
         kind == SqlTypeKind::kDoublePrecision;
}

// How a fixture value of `column` is read: the fleet's types as they are; of the other types,
// integers and decimals as numbers (kInt64), booleans as booleans, JSON as objects, and every
// other type as a string the server casts (kOther).
ColumnType FixtureKindOf(const ColumnSchema& column) {
  if (column.type != ColumnType::kOther || column.sql.array) return column.type;
  switch (column.sql.kind) {
    case SqlTypeKind::kSmallint:
    case SqlTypeKind::kInteger:
    case SqlTypeKind::kBigint:
    case SqlTypeKind::kNumeric:
    case SqlTypeKind::kReal:
    case SqlTypeKind::kDoublePrecision:
      return ColumnType::kInt64;
    case SqlTypeKind::kBoolean:
      return ColumnType::kBool;
    case SqlTypeKind::kJson:
    case SqlTypeKind::kJsonb:
      return ColumnType::kJson;
    default:
      return ColumnType::kOther;
  }
}

}  // namespace

Status ProfileReader::CheckEnumLabel(const EnumTypeDef& type, const std::string& text,
                                     const std::string& path) const {
  std::string labels;
  for (const std::string& label : type.labels) {
    if (label == text) return Status::Ok();
    labels += (labels.empty() ? "" : ", ") + label;
  }
  return Invalid(
      path, "'" + text + "' is not a label of enum " + type.QualifiedName() + " (" + labels + ")");
}

Status ProfileReader::ReadFixtureValue(od::document& doc, od::value& value, const std::string& path,
                                       const ColumnSchema& column, FixtureValue* out) {
  using Kind = FixtureValue::Kind;
  od::json_type type;
  if (auto error = value.type().get(type); error) return Syntax(doc, error);
  if (type == od::json_type::null) {
    if (!column.nullable) return Invalid(path, "may not be null");
    out->kind = Kind::kNull;
    return Status::Ok();
  }
  const bool decimal = IsDecimal(column);
  switch (FixtureKindOf(column)) {
    case ColumnType::kOther:
    case ColumnType::kText:
    case ColumnType::kInet:
    case ColumnType::kMacAddr:
      out->kind = Kind::kString;
      SF_RETURN_IF_ERROR(String(doc, value, path, &out->text));
      if (column.declared_enum != nullptr && !column.sql.array) {
        SF_RETURN_IF_ERROR(CheckEnumLabel(*column.declared_enum, out->text, path));
      }
      return Status::Ok();
    case ColumnType::kTimestamp: {
      out->kind = Kind::kString;
      SF_RETURN_IF_ERROR(String(doc, value, path, &out->text));
      int64_t micros = 0;
      if (!ParseIso8601(out->text, &micros)) {
        return Invalid(path, "expected an ISO 8601 UTC time like 2024-01-01T00:00:00Z, got '" +
                                 out->text + "'");
      }
      return Status::Ok();
    }
    case ColumnType::kBool:
      out->kind = Kind::kBool;
      if (value.get_bool().get(out->boolean)) return Invalid(path, "expected true or false");
      return Status::Ok();
    case ColumnType::kJson: {
      od::object object;
      if (value.get_object().get(object)) return Invalid(path, "expected a JSON object");
      std::string_view raw;
      if (auto error = object.raw_json().get(raw); error) return Syntax(doc, error);
      out->kind = Kind::kJson;
      out->text = std::string(raw);
      return Status::Ok();
    }
    case ColumnType::kInt64:
    case ColumnType::kInt32:
    case ColumnType::kNumeric2:
      break;
  }
  if (type == od::json_type::object && !column.references.empty()) {
    od::object object;
    if (value.get_object().get(object)) return Syntax(doc, simdjson::INCORRECT_TYPE);
    bool found = false;
    for (auto field : object) {
      std::string_view name;
      if (auto error = field.unescaped_key().get(name); error) return Syntax(doc, error);
      if (name != "ref")
        return Invalid(path + "." + std::string(name), "unknown key (expected ref)");
      if (found) return Invalid(path + ".ref", "duplicate key (given twice in the same object)");
      od::value item;
      if (auto error = field.value().get(item); error) return Syntax(doc, error);
      SF_RETURN_IF_ERROR(String(doc, item, path + ".ref", &out->text));
      found = true;
    }
    if (!found)
      return Invalid(path, "expected {\"ref\": KEY of a " + column.references + " fixture}");
    out->kind = Kind::kRef;
    return Status::Ok();
  }
  const std::string expected =
      decimal ? "a number"
      : column.references.empty()
          ? "an integer"
          : "an integer id or {\"ref\": KEY of a " + column.references + " fixture}";
  if (type != od::json_type::number) return Invalid(path, "expected " + expected);
  const std::string_view token = NumberToken(value);
  if (!decimal) {
    int64_t integer = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), integer);
    if (error != std::errc() || end != token.data() + token.size()) {
      return Invalid(path, "expected " + expected + ", got " + std::string(token));
    }
  }
  out->kind = Kind::kNumber;
  out->text = std::string(token);
  return Status::Ok();
}

// Every {"ref": KEY} names a fixture of the referenced table.
Status ProfileReader::CheckFixtureReferences(const Profile& profile) const {
  for (size_t t = 0; t < profile.schemas().size(); ++t) {
    const TableSchema& schema = profile.schemas()[t];
    for (const FixtureRow& row : profile.fixtures[t].rows) {
      for (const auto& [column, value] : row.values) {
        if (value.kind != FixtureValue::Kind::kRef) continue;
        const std::string& parent_name = schema.columns[static_cast<size_t>(column)].references;
        const int parent = profile.FindTable(parent_name);
        if (parent < 0) {
          return Invalid(row.path + "." + schema.columns[static_cast<size_t>(column)].name,
                         "table " + parent_name + " is not a table of this profile");
        }
        const TableFixtures& parents = profile.fixtures[static_cast<size_t>(parent)];
        bool found = false;
        for (const FixtureRow& candidate : parents.rows) {
          const FixtureValue* key = candidate.Find(parents.key_column);
          found = found || (key != nullptr && key->text == value.text);
        }
        if (!found) {
          return Invalid(row.path + "." + schema.columns[static_cast<size_t>(column)].name,
                         "no " + parent_name + " fixture has the key '" + value.text + "'");
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace seedforge::profile_detail
