// The snapshot folder (see snapshot.h): names, listing, finding and removing snapshots. The
// manifest lives in snapshot_manifest.cc, template databases, locks and sessions in
// snapshot_server.cc, create and restore in snapshot_create.cc and snapshot_restore.cc.
//
#include "tools/snapshot.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/civil_time.h"

namespace seedforge {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kPartialMarker = ".partial-";

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
}  // namespace

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
}  // namespace seedforge
