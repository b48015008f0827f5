// Profile loading with simdjson's On Demand API.
//
// The walk is strict: every object is iterated field by field and each key is checked against the
// keys that level allows, so a typo ("evnts") is an error rather than a silently ignored setting.
// The JSON path travels with the walk for messages. simdjson reports malformed JSON lazily, at
// the point the walk reaches it; current_location() then gives the byte offset, which becomes a
// line and column. "extends" is looked up first (keys may come in any order), the base profile is
// loaded, and this file's keys are applied over it.
#include "engine/profile.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/civil_time.h"
#include "engine/builtin_profiles.h"
#include "engine/json_text.h"
#include "engine/profile_reader.h"
#include "generators/declared/declared_tables.h"
#include "simdjson.h"

namespace seedforge {
namespace profile_detail {
namespace {

constexpr int kMaxExtendsDepth = 8;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// What a profile that declares no tables and extends nothing builds on.
constexpr std::string_view kDefaultBase = "default";

std::string Join(std::initializer_list<std::string_view> items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

std::string ExpectedTables(const Profile& profile) {
  std::string names;
  for (const TableSchema& schema : profile.schemas()) {
    names += names.empty() ? "" : ", ";
    names += schema.name;
  }
  return "(expected one of: " + names + ")";
}

StatusOr<Profile> ProfileReader::Read(std::string_view json) {
  if (json.starts_with(kByteOrderMark)) json.remove_prefix(kByteOrderMark.size());
  json_ = simdjson::padded_string(json);
  SF_RETURN_IF_ERROR(CheckText());
  od::parser parser;
  od::document doc;
  // A document that failed to iterate has no position to ask for.
  if (auto error = parser.iterate(json_).get(doc); error) return Syntax(nullptr, error);
  od::object root;
  if (auto error = doc.get_object().get(root); error) {
    if (error == simdjson::INCORRECT_TYPE) return Invalid("$", "a profile must be a JSON object");
    return Syntax(doc, error);
  }
  Profile profile = EmptyProfile();
  // "extends" first, wherever it stands. A profile that neither extends another nor declares
  // tables is the built-in "default"'s tables (the fleet) with its own settings over them.
  std::string_view extends;
  bool implicit_base = false;
  auto found = root.find_field_unordered("extends");
  if (found.error() == simdjson::SUCCESS) {
    if (found.get_string().get(extends)) return Invalid("$.extends", "expected a string");
  } else if (found.error() != simdjson::NO_SUCH_FIELD) {
    return Syntax(doc, found.error());
  } else {
    doc.rewind();
    if (auto error = doc.get_object().get(root); error) return Syntax(doc, error);
    auto tables = root.find_field_unordered("tables");
    if (tables.error() == simdjson::NO_SUCH_FIELD) {
      extends = kDefaultBase;
      implicit_base = true;
    } else if (tables.error() != simdjson::SUCCESS) {
      return Syntax(doc, tables.error());
    }
  }
  if (!extends.empty()) {
    SF_ASSIGN_OR_RETURN(profile, LoadBase(extends));
    profile.name.clear();  // a name is this file's own: "extends": "default" is not "default"
    // Without "extends" the fleet's tables come with no targets: the profile seeds what its
    // "rows" name (and its checks still hold).
    if (implicit_base) {
      SetModel(profile.model, &profile);
      profile.description.clear();
    }
  }
  doc.rewind();
  if (auto error = doc.get_object().get(root); error) return Syntax(doc, error);
  SF_RETURN_IF_ERROR(ChooseModel(doc, root, &profile));
  doc.rewind();
  if (auto error = doc.get_object().get(root); error) return Syntax(doc, error);
  SF_RETURN_IF_ERROR(ReadRoot(doc, root, &profile));
  if (profile.window_end_micros <= profile.window_start_micros + kMicrosPerWeek) {
    return Invalid("$.time_window", "end must be at least 7 days after start");
  }
  profile.source = origin_;
  return profile;
}

Status ProfileReader::ChooseModel(od::document& doc, od::object& root, Profile* profile) {
  // --- The model is chosen here, and only here. ---
  // Without "tables" the profile keeps the model of the profile it extends (the built-in
  // "default" when it names none). With "tables" (looked up first, wherever it
  // stands, so that "rows", "fixtures" and "guard_tables" name its tables) the declaration,
  // merged over the base's (objects key by key: a table, a column or a parameter at a time), is
  // compiled into the profile's model. SetModel clears the rows, fixtures and guard tables an
  // "extends" brought; the declared "rows" of each table are its targets until "rows" says more.
  // "types" (enum types the columns may name) is merged the same way, a type at a time, and
  // compiled with the tables: a profile that only adds types recompiles its base's tables.
  std::string types = profile->declared_types;
  bool has_types = false;
  SF_RETURN_IF_ERROR(MergeMember(doc, root, "types",
                                 "expected an object of enum types, e.g. {\"order_status\": "
                                 "{\"enum\": [\"pending\", \"paid\"]}}",
                                 &types, &has_types));
  std::string tables = profile->declared_tables;
  bool has_tables = false;
  SF_RETURN_IF_ERROR(MergeMember(doc, root, "tables", "expected an object of table declarations",
                                 &tables, &has_tables));
  if (!has_tables && !has_types) return Status::Ok();  // the base's model as it is
  DeclareOptions options;
  options.origin = origin_;
  options.types_json = types;
  options.seed = profile->seed;
  options.window_start_micros = profile->window_start_micros;
  options.window_end_micros = profile->window_end_micros;
  SF_ASSIGN_OR_RETURN(DeclaredTables declared, CompileDeclaredTables(tables, options));
  SetModel(declared.model, profile);
  profile->rows = std::move(declared.rows);
  profile->declared_tables = std::move(tables);
  profile->declared_types = std::move(types);
  return Status::Ok();
}

Status ProfileReader::MergeMember(od::document& doc, od::object& root, std::string_view key,
                                  std::string_view expected, std::string* merged, bool* given) {
  auto found = root.find_field_unordered(key);
  *given = false;
  if (found.error() == simdjson::NO_SUCH_FIELD) return Status::Ok();
  if (found.error() != simdjson::SUCCESS) return Syntax(doc, found.error());
  const std::string path = "$." + std::string(key);
  od::object object;
  if (found.get_object().get(object)) return Invalid(path, std::string(expected));
  std::string_view raw;
  if (auto error = object.raw_json().get(raw); error) return Syntax(doc, error);
  *given = true;
  if (merged->empty()) {
    *merged = std::string(raw);
    return Status::Ok();
  }
  auto over = MergeJsonObjects(*merged, raw);
  if (!over.ok()) return Invalid(path, over.status().message());
  *merged = *std::move(over);
  return Status::Ok();
}

Profile ProfileReader::EmptyProfile() {
  Profile profile;
  ParseIso8601("2024-01-01T00:00:00Z", &profile.window_start_micros);
  ParseIso8601("2026-01-01T00:00:00Z", &profile.window_end_micros);
  return profile;
}

StatusOr<Profile> ProfileReader::LoadBase(std::string_view reference) {
  if (depth_ >= kMaxExtendsDepth) {
    return Invalid("$.extends", "profiles extend each other more than " +
                                    std::to_string(kMaxExtendsDepth) + " levels deep (a cycle?)");
  }
  for (const BuiltinProfile& builtin : BuiltinProfiles()) {
    if (builtin.name == reference) {
      ProfileReader base("built-in profile " + std::string(reference), "", depth_ + 1);
      return base.Read(builtin.json);
    }
  }
  std::filesystem::path path(reference);
  if (path.is_relative() && !directory_.empty()) path = std::filesystem::path(directory_) / path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kNotFound, origin_ +
                                             ": $.extends: no built-in profile or file named '" +
                                             std::string(reference) + "'");
  }
  std::stringstream text;
  text << in.rdbuf();
  ProfileReader base(path.string(), path.parent_path().string(), depth_ + 1);
  return base.Read(text.str());
}

Status ProfileReader::ReadRoot(od::document& doc, od::object& root, Profile* profile) {
  std::vector<std::string> seen;
  for (auto field : root) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
    const std::string path = "$." + std::string(key);
    SF_RETURN_IF_ERROR(Once(&seen, key, path));
    od::value value;
    if (auto error = field.value().get(value); error) return Syntax(doc, error);
    if (key == "name") {
      SF_RETURN_IF_ERROR(String(doc, value, path, &profile->name));
    } else if (key == "description") {
      SF_RETURN_IF_ERROR(String(doc, value, path, &profile->description));
    } else if (key == "tables" || key == "types") {
      // compiled by ChooseModel
    } else if (key == "extends") {
      std::string ignored;  // already applied
      SF_RETURN_IF_ERROR(String(doc, value, path, &ignored));
    } else if (key == "seed") {
      int64_t seed = 0;
      SF_RETURN_IF_ERROR(Count(doc, value, path, &seed));
      profile->seed = static_cast<uint64_t>(seed);
    } else if (key == "time_window") {
      SF_RETURN_IF_ERROR(ReadWindow(doc, value, profile));
    } else if (key == "rows") {
      SF_RETURN_IF_ERROR(ReadRows(doc, value, profile));
    } else if (key == "parameters") {
      return Invalid(path,
                     "the fleet's parameters are gone: the fleet declares its tables like any "
                     "profile (seedforge profiles show default); change a column under \"tables\"");
    } else if (key == "guard_tables") {
      SF_RETURN_IF_ERROR(ReadGuardTables(doc, value, profile));
    } else if (key == "fixtures") {
      SF_RETURN_IF_ERROR(ReadFixtures(doc, value, profile));
    } else if (key == "checks") {
      SF_RETURN_IF_ERROR(ReadChecks(doc, value, profile));
    } else if (key == "env") {
      SF_RETURN_IF_ERROR(ReadCountVariables(doc, value, profile));
    } else {
      return Invalid(path,
                     "unknown key (expected one of: " +
                         Join({"name", "description", "extends", "seed", "time_window", "types",
                               "tables", "rows", "guard_tables", "fixtures", "env", "checks"}) +
                         ")");
    }
  }
  return CheckFixtureReferences(*profile);
}

Status ProfileReader::ReadWindow(od::document& doc, od::value& value, Profile* profile) {
  od::object object;
  if (value.get_object().get(object)) return Invalid("$.time_window", "expected an object");
  std::vector<std::string> seen;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
    const std::string path = "$.time_window." + std::string(key);
    SF_RETURN_IF_ERROR(Once(&seen, key, path));
    int64_t* target = key == "start" ? &profile->window_start_micros
                      : key == "end" ? &profile->window_end_micros
                                     : nullptr;
    if (target == nullptr) return Invalid(path, "unknown key (expected start, end)");
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    std::string text;
    SF_RETURN_IF_ERROR(String(doc, item, path, &text));
    if (!ParseIso8601(text, target)) {
      return Invalid(path,
                     "expected an ISO 8601 UTC time like 2024-01-01T00:00:00Z, got '" + text + "'");
    }
  }
  return Status::Ok();
}

Status ProfileReader::ReadRows(od::document& doc, od::value& value, Profile* profile) {
  od::object object;
  if (value.get_object().get(object)) return Invalid("$.rows", "expected an object");
  std::vector<std::string> seen;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
    const std::string path = "$.rows." + std::string(key);
    SF_RETURN_IF_ERROR(Once(&seen, key, path));
    const int table = profile->FindTable(key);
    if (table < 0) return Invalid(path, "unknown table " + ExpectedTables(*profile));
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    int64_t count = 0;
    SF_RETURN_IF_ERROR(Count(doc, item, path, &count));
    profile->rows[static_cast<size_t>(table)] = count;
  }
  return Status::Ok();
}

// A non-empty array of distinct table names.
Status ProfileReader::ReadGuardTables(od::document& doc, od::value& value, Profile* profile) {
  od::array array;
  if (value.get_array().get(array)) {
    return Invalid("$.guard_tables", "expected an array of table names");
  }
  std::vector<size_t> tables;
  std::vector<std::string> conditions;
  size_t index = 0;
  for (auto element : array) {
    const std::string path = "$.guard_tables[" + std::to_string(index++) + "]";
    od::value item;
    if (auto error = element.get(item); error) return Syntax(doc, error);
    std::string name;
    std::string condition;
    od::json_type type;
    if (auto error = item.type().get(type); error) return Syntax(doc, error);
    if (type == od::json_type::object) {
      // {"table": NAME, "where": SQL condition}
      od::object object;
      if (item.get_object().get(object)) return Syntax(doc, simdjson::INCORRECT_TYPE);
      for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
        od::value part;
        if (auto error = field.value().get(part); error) return Syntax(doc, error);
        if (key == "table") {
          SF_RETURN_IF_ERROR(String(doc, part, path + ".table", &name));
        } else if (key == "where") {
          SF_RETURN_IF_ERROR(String(doc, part, path + ".where", &condition));
          if (condition.find(';') != std::string::npos) {
            return Invalid(path + ".where", "expected one SQL condition (no ';')");
          }
        } else {
          return Invalid(path + "." + std::string(key), "unknown key (expected table or where)");
        }
      }
      if (name.empty()) return Invalid(path, "expected {\"table\": NAME, \"where\": CONDITION}");
    } else {
      SF_RETURN_IF_ERROR(String(doc, item, path, &name));
    }
    const int found = profile->FindTable(name);
    if (found < 0) {
      return Invalid(path, "unknown table '" + name + "' " + ExpectedTables(*profile));
    }
    const size_t table = static_cast<size_t>(found);
    if (std::find(tables.begin(), tables.end(), table) != tables.end()) {
      return Invalid(path, "table '" + name + "' is listed twice");
    }
    tables.push_back(table);
    conditions.push_back(std::move(condition));
  }
  if (tables.empty()) return Invalid("$.guard_tables", "expected at least one table name");
  profile->guard_tables = std::move(tables);
  profile->guard_conditions = std::move(conditions);
  return Status::Ok();
}

Status ProfileReader::ReadChecks(od::document& doc, od::value& value, Profile* profile) {
  od::object object;
  if (value.get_object().get(object)) {
    return Invalid("$.checks", "expected an object of NAME: SQL query counting violating rows");
  }
  std::set<std::string> seen;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
    const std::string name(key);
    const std::string path = "$.checks." + name;
    if (name.empty()) return Invalid(path, "a check needs a name");
    if (!seen.insert(name).second) {
      return Invalid(path, "duplicate key (given twice in the same object)");
    }
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    std::string sql;
    SF_RETURN_IF_ERROR(String(doc, item, path, &sql));
    const size_t start = sql.find_first_not_of(" \t\n");
    std::string head = start == std::string::npos ? "" : sql.substr(start, 6);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head != "select" && head.rfind("with", 0) != 0) {
      return Invalid(path,
                     "expected a query (SELECT or WITH) returning the number of rows that "
                     "break the rule");
    }
    auto same = std::find_if(profile->checks.begin(), profile->checks.end(),
                             [&](const ProfileCheck& check) { return check.name == name; });
    if (same != profile->checks.end()) {
      same->sql = std::move(sql);
    } else {
      profile->checks.push_back(ProfileCheck{name, std::move(sql)});
    }
  }
  std::sort(profile->checks.begin(), profile->checks.end(),
            [](const ProfileCheck& a, const ProfileCheck& b) { return a.name < b.name; });
  return Status::Ok();
}

Status ProfileReader::ReadCountVariables(od::document& doc, od::value& value, Profile* profile) {
  od::object object;
  if (value.get_object().get(object)) {
    return Invalid("$.env", "expected an object of VARIABLE: table name");
  }
  std::vector<std::pair<std::string, size_t>> variables;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return Syntax(doc, error);
    const std::string variable(key);
    const std::string path = "$.env." + variable;
    const bool valid_name = !variable.empty() &&
                            !std::isdigit(static_cast<unsigned char>(variable[0])) &&
                            std::all_of(variable.begin(), variable.end(), [](char c) {
                              return std::isupper(static_cast<unsigned char>(c)) ||
                                     std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                            });
    if (!valid_name) {
      return Invalid(path, "an environment variable name is upper-case letters, digits and '_'");
    }
    for (const auto& [seen, table] : variables) {
      if (seen == variable) return Invalid(path, "duplicate key (given twice in the same object)");
    }
    od::value item;
    if (auto error = field.value().get(item); error) return Syntax(doc, error);
    std::string name;
    SF_RETURN_IF_ERROR(String(doc, item, path, &name));
    const int found = profile->FindTable(name);
    if (found < 0) return Invalid(path, "unknown table '" + name + "' " + ExpectedTables(*profile));
    variables.emplace_back(variable, static_cast<size_t>(found));
  }
  profile->count_variables = std::move(variables);
  return Status::Ok();
}

Status ProfileReader::String(od::document& doc, od::value& value, const std::string& path,
                             std::string* out) {
  std::string_view text;
  auto error = value.get_string().get(text);
  if (error == simdjson::INCORRECT_TYPE) return Invalid(path, "expected a string");
  if (error) return Syntax(doc, error);
  *out = std::string(text);
  return Status::Ok();
}

// The text of a scalar as written (raw_json_token() runs on to the next token).
std::string_view ProfileReader::NumberToken(od::value& value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\t' ||
                            token.back() == '\r' || token.back() == ',' || token.back() == '}' ||
                            token.back() == ']')) {
    token.remove_suffix(1);
  }
  return token;
}

// A non-negative integer. 1.5, -3, "10" and 1e3 are all refused with the same clear message.
Status ProfileReader::Count(od::document& doc, od::value& value, const std::string& path,
                            int64_t* out) {
  od::json_type type;
  if (auto error = value.type().get(type); error) return Syntax(doc, error);
  const std::string_view token = NumberToken(value);
  int64_t v = 0;
  if (type != od::json_type::number || !ParseCount(token, &v)) {
    return Invalid(path, CountProblem(token) + ", got " + std::string(token));
  }
  *out = v;
  return Status::Ok();
}

Status ProfileReader::Invalid(std::string_view path, const std::string& message) const {
  return InvalidArgument(origin_ + ": " + std::string(path) + ": " + message);
}

Status ProfileReader::Syntax(od::document& doc, simdjson::error_code error) const {
  return Syntax(&doc, error);
}

// Refuses a key an object already gave: JSON would let the last one win, silently.
Status ProfileReader::Once(std::vector<std::string>* seen, std::string_view key,
                           std::string_view path) const {
  if (std::find(seen->begin(), seen->end(), key) != seen->end()) {
    return Invalid(path, "duplicate key (given twice in the same object)");
  }
  seen->emplace_back(key);
  return Status::Ok();
}

}  // namespace profile_detail

using profile_detail::ProfileReader;

const FixtureValue* FixtureRow::Find(int column) const {
  for (const auto& [index, value] : values) {
    if (index == column) return &value;
  }
  return nullptr;
}

int Profile::FindTable(std::string_view table_name) const {
  const std::vector<TableSchema>& tables = schemas();
  for (size_t t = 0; t < tables.size(); ++t) {
    if (tables[t].name == table_name) return static_cast<int>(t);
  }
  return -1;
}

std::vector<size_t> Profile::GuardTables() const {
  if (!guard_tables.empty()) return guard_tables;
  std::vector<size_t> named;
  std::vector<size_t> all;
  for (size_t i = 0; i < schemas().size(); ++i) {
    all.push_back(i);
    if (i < rows.size() && rows[i].has_value()) named.push_back(i);
  }
  return named.empty() ? all : named;
}

void SetModel(std::shared_ptr<const GenerationModel> model, Profile* profile) {
  profile->model = std::move(model);
  const size_t tables = profile->model->schemas().size();
  profile->rows.assign(tables, std::nullopt);
  profile->fixtures.assign(tables, TableFixtures{});
  profile->guard_tables.clear();
  profile->guard_conditions.clear();
  profile->count_variables.clear();
}

std::string TableVariablePart(std::string_view table) {
  std::string out;
  out.reserve(table.size());
  for (const char c : table) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else {
      out.push_back('_');
    }
  }
  return out;
}

bool ParseCount(std::string_view text, int64_t* value) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  int64_t v = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  *value = v;
  return true;
}

StatusOr<Profile> ParseProfile(std::string_view json, std::string_view origin,
                               std::string_view directory) {
  ProfileReader reader(origin, directory, 0);
  return reader.Read(json);
}

StatusOr<Profile> LoadProfile(std::string_view reference) {
  const bool looks_like_path = reference.find('/') != std::string_view::npos ||
                               (reference.size() > 5 && reference.ends_with(".json"));
  if (!looks_like_path) {
    for (const BuiltinProfile& builtin : BuiltinProfiles()) {
      if (builtin.name != reference) continue;
      SF_ASSIGN_OR_RETURN(
          Profile profile,
          ParseProfile(builtin.json, "built-in profile " + std::string(reference), ""));
      if (profile.name.empty()) profile.name = std::string(reference);
      profile.source = "built-in";
      return profile;
    }
  }
  const std::filesystem::path path(reference);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    std::string names;
    for (const BuiltinProfile& builtin : BuiltinProfiles()) {
      names += names.empty() ? "" : ", ";
      names += builtin.name;
    }
    return NotFound("unknown profile '" + std::string(reference) +
                    "' (built-in profiles: " + names + "; or give the path of a .json file)");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return IoError("cannot read " + path.string());
  SF_ASSIGN_OR_RETURN(Profile profile,
                      ParseProfile(text.str(), path.string(), path.parent_path().string()));
  if (profile.name.empty()) profile.name = path.stem().string();
  return profile;
}

std::string CountProblem(std::string_view text) {
  const bool digits =
      !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits) return "out of range (expected 0 to 9223372036854775807)";
  return "expected a non-negative integer";
}

Status ApplyRowOverrides(const std::vector<std::string>& assignments, std::string_view source,
                         Profile* profile) {
  for (size_t i = 0; i < assignments.size(); ++i) {
    SF_RETURN_IF_ERROR(ApplyRowOverride(assignments[i], source, profile));
    const std::string_view name =
        std::string_view(assignments[i]).substr(0, assignments[i].find('='));
    for (size_t j = 0; j < i; ++j) {
      if (std::string_view(assignments[j]).substr(0, assignments[j].find('=')) == name) {
        return InvalidArgument(std::string(source) + ": " + std::string(name) +
                               " is given twice (" + assignments[j] + ", then " + assignments[i] +
                               ")");
      }
    }
  }
  return Status::Ok();
}

Status ScaleTargets(std::string_view text, std::string_view source, Profile* profile) {
  double factor = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), factor);
  if (error != std::errc() || end != text.data() + text.size() || !(factor > 0) || factor > 1e6) {
    return InvalidArgument(std::string(source) +
                           ": expected a number above 0 and at most 1000000, got '" +
                           std::string(text) + "'");
  }
  for (size_t t = 0; t < profile->rows.size(); ++t) {
    if (!profile->rows[t].has_value()) continue;
    const double scaled = std::round(static_cast<double>(*profile->rows[t]) * factor);
    if (scaled >= 9.2e18) {
      return InvalidArgument(std::string(source) + ": " + profile->schemas()[t].name + ": " +
                             std::to_string(*profile->rows[t]) + " rows times " +
                             std::string(text) + " is out of range");
    }
    profile->rows[t] = static_cast<int64_t>(scaled);
  }
  return Status::Ok();
}

Status ApplyRowOverride(std::string_view assignment, std::string_view source, Profile* profile) {
  const size_t equals = assignment.find('=');
  if (equals == std::string_view::npos) {
    return InvalidArgument(std::string(source) + ": expected TABLE=N, got '" +
                           std::string(assignment) + "'");
  }
  const std::string_view name = assignment.substr(0, equals);
  const std::string_view count_text = assignment.substr(equals + 1);
  const int table = profile->FindTable(name);
  if (table < 0) {
    std::string expected;
    const std::vector<TableSchema>& tables = profile->schemas();
    for (size_t t = 0; t < tables.size(); ++t) {
      expected += t == 0 ? "" : t + 1 == tables.size() ? " or " : ", ";
      expected += tables[t].name;
    }
    return InvalidArgument(std::string(source) + ": unknown table '" + std::string(name) +
                           "' (expected " + expected + ")");
  }
  int64_t count = 0;
  if (!ParseCount(count_text, &count)) {
    return InvalidArgument(std::string(source) + ": " + std::string(name) + ": " +
                           CountProblem(count_text) + ", got '" + std::string(count_text) + "'");
  }
  profile->rows[static_cast<size_t>(table)] = count;
  return Status::Ok();
}

}  // namespace seedforge
