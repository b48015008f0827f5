// ResolvedProfileJson (see profile.h): what a profile says once its "extends" chain is applied,
// for `seedforge profiles show`. The profile is loaded first, so every error is the one seeding
// would give; the text is then built from the files themselves, following the chain with the
// reader's rules (a built-in name first, else a path relative to the naming file's directory).
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/builtin_profiles.h"
#include "engine/json_text.h"
#include "engine/profile.h"

namespace seedforge {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr int kMaxExtendsDepth = 8;  // as the reader's; LoadProfile refused deeper chains

// One profile file: its text and the directory a relative "extends" in it starts from.
struct ProfileText {
  std::string json;
  std::string directory;
};

StatusOr<ProfileText> ReadProfileFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return IoError("cannot read " + path.string());
  return ProfileText{text.str(), path.parent_path().string()};
}

// The text an "extends" reference names from a file in `directory` (ProfileReader::LoadBase).
StatusOr<ProfileText> ReadBase(std::string_view reference, const std::string& directory) {
  for (const BuiltinProfile& builtin : BuiltinProfiles()) {
    if (builtin.name == reference) return ProfileText{std::string(builtin.json), ""};
  }
  std::filesystem::path path(reference);
  if (path.is_relative() && !directory.empty()) path = std::filesystem::path(directory) / path;
  return ReadProfileFile(path);
}

// `object` without its member `key`, minified.
std::string ObjectWithout(dom::object object, std::string_view key) {
  std::string out = "{";
  for (const dom::key_value_pair field : object) {
    if (field.key == key) continue;
    if (out.size() > 1) out.push_back(',');
    AppendJsonString(field.key, &out);
    out.push_back(':');
    out.append(simdjson::minify(field.value));
  }
  out.push_back('}');
  return out;
}

// `file` merged over its chain, minified, without "extends".
StatusOr<std::string> Resolve(const ProfileText& file, int depth) {
  if (depth >= kMaxExtendsDepth) return InvalidArgument("profiles extend too deep");
  std::string_view json = file.json;
  if (json.starts_with(kByteOrderMark)) json.remove_prefix(kByteOrderMark.size());
  dom::parser parser;
  dom::object root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("a profile must be a JSON object");
  }
  std::string_view extends;
  dom::element value;
  if (root.at_key("extends").get(value) == simdjson::SUCCESS &&
      value.get_string().get(extends) != simdjson::SUCCESS) {
    return InvalidArgument("$.extends: expected a string");
  }
  const std::string own = ObjectWithout(root, "extends");
  if (extends.empty()) return own;
  SF_ASSIGN_OR_RETURN(const ProfileText base_file, ReadBase(extends, file.directory));
  SF_ASSIGN_OR_RETURN(std::string base, Resolve(base_file, depth + 1));
  // A name is the file's own: the base's goes unless this file names itself (then it takes the
  // base's place, first where the base put it first).
  dom::parser base_parser;
  dom::object base_root;
  if (base_parser.parse(base).get(base_root) != simdjson::SUCCESS) {
    return Internal("resolved base profile is not a JSON object");
  }
  dom::element name;
  const bool named = root.at_key("name").get(name) == simdjson::SUCCESS;
  return MergeJsonObjects(named ? base : ObjectWithout(base_root, "name"), own);
}

}  // namespace

StatusOr<std::string> ResolvedProfileJson(std::string_view reference) {
  SF_ASSIGN_OR_RETURN(const Profile loaded, LoadProfile(reference));
  ProfileText file;
  if (loaded.source == "built-in") {
    for (const BuiltinProfile& builtin : BuiltinProfiles()) {
      if (builtin.name == reference) file.json = std::string(builtin.json);
    }
  } else {
    SF_ASSIGN_OR_RETURN(file, ReadProfileFile(std::filesystem::path(reference)));
  }
  SF_ASSIGN_OR_RETURN(const std::string merged, Resolve(file, 0));
  return PrettyJson(merged);
}

}  // namespace seedforge
