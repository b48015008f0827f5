// Finding and running pg_dump (see pg_dump.h).
//
// pg_dump runs as a child process (posix_spawn) with stdout going straight into the output file
// and stderr into a temporary file that becomes the error message. The connection string is
// passed with its password removed (`--dbname`), the password through PGPASSWORD in the child's
// environment only: a command line is visible to every local user (ps), an environment is not.
#include "tools/pg_dump.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sinks/postgres/connection.h"

extern char** environ;

namespace seedforge {
namespace {

namespace fs = std::filesystem;

// Runs `argv` with `extra_env` added, stdout to `out_path` (created) or /dev/null when empty.
// Returns the exit code; `error_text` gets stderr.
StatusOr<int> Run(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                  const std::string& out_path, std::string* error_text) {
  char err_template[] = "/tmp/seedforge-pg_dump-XXXXXX";
  const int err_fd = ::mkstemp(err_template);
  if (err_fd < 0) return IoError(std::string("creating a temporary file: ") + std::strerror(errno));
  ::unlink(err_template);
  int out_fd = -1;
  if (!out_path.empty()) {
    out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  } else {
    out_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  }
  if (out_fd < 0) {
    ::close(err_fd);
    return IoError("creating " + out_path + ": " + std::strerror(errno));
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    bool replaced = false;
    for (const std::string& extra : extra_env) {
      const std::string_view key = std::string_view(extra).substr(0, extra.find('=') + 1);
      replaced = replaced || entry.substr(0, key.size()) == key;
    }
    if (!replaced) env_strings.emplace_back(entry);
  }
  for (const std::string& extra : extra_env) env_strings.push_back(extra);
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> c_argv;
  for (std::string& arg : args) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_fd);
  if (spawned != 0) {
    ::close(err_fd);
    return IoError("running " + argv[0] + ": " + std::strerror(spawned));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      ::close(err_fd);
      return IoError("waiting for " + argv[0] + ": " + std::strerror(errno));
    }
  }
  error_text->clear();
  ::lseek(err_fd, 0, SEEK_SET);
  char buffer[4096];
  for (ssize_t got; (got = ::read(err_fd, buffer, sizeof buffer)) > 0;) {
    error_text->append(buffer, static_cast<size_t>(got));
  }
  ::close(err_fd);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// "15.18" and 15 from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
bool ParseVersion(const std::string& text, PgDumpProgram* program) {
  const size_t marker = text.find(") ");
  if (marker == std::string::npos) return false;
  size_t end = marker + 2;
  while (end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) {
    ++end;
  }
  program->version = text.substr(marker + 2, end - marker - 2);
  program->major = std::atoi(program->version.c_str());
  return program->major > 0;
}

std::string FirstLine(std::string text) {
  const size_t newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

// pg_dump pattern for exactly `name`: double-quoted (case and special characters kept), with
// the pattern characters * ? . and quotes escaped the way pg_dump's processSQLNamePattern reads.
std::string ExactPattern(const std::string& name) {
  std::string pattern = "\"";
  for (const char c : name) {
    if (c == '"') {
      pattern += "\"\"";
    } else {
      pattern += c;
    }
  }
  return pattern + "\"";
}

}  // namespace

StatusOr<PgDumpProgram> FindPgDump(int server_major) {
  std::vector<std::string> candidates;
  const char* forced = std::getenv("SEEDFORGE_PG_DUMP");
  if (forced != nullptr && *forced != '\0') {
    candidates.emplace_back(forced);
  } else {
    std::error_code error;
    std::vector<std::pair<int, std::string>> installed;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
      const std::string major = entry.path().filename().string();
      const fs::path program = entry.path() / "bin" / "pg_dump";
      std::error_code exists_error;
      if (std::all_of(major.begin(), major.end(), ::isdigit) && fs::exists(program, exists_error)) {
        installed.emplace_back(std::atoi(major.c_str()), program.string());
      }
    }
    std::sort(installed.rbegin(), installed.rend());
    for (const auto& [major, path] : installed) candidates.push_back(path);
    const char* path_env = candidates.empty() || installed.front().first < server_major
                               ? std::getenv("PATH")
                               : nullptr;  // the newest installed one will do: no PATH wrapper
    std::stringstream path_list(path_env == nullptr ? "" : path_env);
    for (std::string folder; std::getline(path_list, folder, ':');) {
      std::error_code exists_error;
      const fs::path program = fs::path(folder.empty() ? "." : folder) / "pg_dump";
      if (fs::exists(program, exists_error)) {
        candidates.push_back(program.string());
        break;
      }
    }
  }
  std::string found;
  PgDumpProgram best;
  for (const std::string& path : candidates) {
    PgDumpProgram program;
    program.path = path;
    std::string errors;
    char out_template[] = "/tmp/seedforge-pg_dump-version-XXXXXX";
    const int fd = ::mkstemp(out_template);
    if (fd < 0) continue;
    ::close(fd);
    ::unlink(out_template);
    const auto code = Run({path, "--version"}, {}, out_template, &errors);
    std::ifstream in(out_template);
    std::string text;
    std::getline(in, text);
    ::unlink(out_template);
    if (!code.ok() || *code != 0 || !ParseVersion(text, &program)) continue;
    found += (found.empty() ? "" : ", ") + path + " (" + program.version + ")";
    if (program.major >= server_major && program.major > best.major) best = program;
    if (best.major > 0) break;  // candidates come newest first
  }
  if (best.major > 0) return best;
  return FailedPrecondition(
      "the schema is dumped with pg_dump, which must be of the server's major version " +
      std::to_string(server_major) + " or newer; found " + (found.empty() ? "none" : found) +
      ": install postgresql-client-" + std::to_string(server_major) +
      " or point SEEDFORGE_PG_DUMP at a pg_dump " + std::to_string(server_major) + "+");
}

Status DumpSchemaSections(const PgDumpProgram& program, const SchemaDumpOptions& options,
                          const std::string& pre_data_path, const std::string& post_data_path) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    PQfreemem(parse_error);
    return InvalidArgument("cannot parse the connection string for pg_dump");
  }
  std::string conninfo;
  std::vector<std::string> env;
  for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (std::string_view(option->keyword) == "password") {
      env.push_back(std::string("PGPASSWORD=") + option->val);
      continue;
    }
    conninfo += conninfo.empty() ? "" : " ";
    conninfo += std::string(option->keyword) + "='";
    for (const char* c = option->val; *c != '\0'; ++c) {
      if (*c == '\'' || *c == '\\') conninfo += '\\';
      conninfo += *c;
    }
    conninfo += "'";
  }
  PQconninfoFree(parsed);
  // One pg_dump run into a custom-format archive (its catalog queries are most of its time),
  // then the two sections out of it with the pg_restore beside it, which needs no server.
  const std::string archive = pre_data_path + ".archive";
  std::vector<std::string> argv = {program.path,        "--schema-only",       "--format=custom",
                                   "--no-privileges",   "--no-tablespaces",    "--no-subscriptions",
                                   "--file=" + archive, "--dbname=" + conninfo};
  if (!options.snapshot_id.empty()) argv.push_back("--snapshot=" + options.snapshot_id);
  for (const std::string& schema : options.schemas) {
    argv.push_back("--schema=" + ExactPattern(schema));
  }
  for (const std::string& schema : options.exclude_schemas) {
    argv.push_back("--exclude-schema=" + ExactPattern(schema));
  }
  if (!options.schemas.empty()) {
    for (const std::string& extension : options.extensions) {
      argv.push_back("--extension=" + ExactPattern(extension));
    }
  }
  std::error_code ignored;
  std::string errors;
  SF_ASSIGN_OR_RETURN(const int code, Run(argv, env, "", &errors));
  if (code != 0) {
    fs::remove(archive, ignored);
    return Internal("pg_dump " + program.version + " --schema-only failed (exit " +
                    std::to_string(code) + "): " + RedactConnectionString(FirstLine(errors)));
  }
  const fs::path folder = fs::path(program.path).parent_path();
  const std::string restore = (folder / "pg_restore").string();
  for (const auto& [section, path] :
       {std::pair{"pre-data", pre_data_path}, std::pair{"post-data", post_data_path}}) {
    auto restored = Run({restore, std::string("--section=") + section, "--no-owner",
                         "--no-privileges", "--no-tablespaces", "--file=" + path, archive},
                        {}, "", &errors);
    if (!restored.ok() || *restored != 0) {
      fs::remove(archive, ignored);
      fs::remove(pre_data_path, ignored);
      fs::remove(post_data_path, ignored);
      if (!restored.ok()) return restored.status();
      return Internal(restore + " --section=" + section + " failed (exit " +
                      std::to_string(*restored) + "): " + FirstLine(errors));
    }
  }
  fs::remove(archive, ignored);
  return Status::Ok();
}

std::string WithoutPsqlRestrict(std::string_view script) {
  std::string out;
  out.reserve(script.size());
  size_t start = 0;
  while (start < script.size()) {
    size_t end = script.find('\n', start);
    end = end == std::string_view::npos ? script.size() : end + 1;
    const std::string_view line = script.substr(start, end - start);
    // Exactly `\restrict KEY` / `\unrestrict KEY` with an alphanumeric key, nothing else.
    std::string_view key;
    for (const std::string_view command : {"\\restrict ", "\\unrestrict "}) {
      if (line.rfind(command, 0) == 0) key = line.substr(command.size());
    }
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.remove_suffix(1);
    const bool meta = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    if (!meta) out.append(line);
    start = end;
  }
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace seedforge
