// SQL files applied to a scratch database (see ddl_schema.h). The database is named after the
// process, so two `init --ddl` runs on one server do not meet, and it is dropped WITH (FORCE)
// so that a session a failed file left behind cannot keep it.
#include "tools/ddl_schema.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sinks/postgres/connection.h"
#include "tools/snapshot.h"

namespace seedforge {

namespace {

// `file`'s SQL without the \restrict and \unrestrict lines recent pg_dump versions write (psql
// meta-commands that only guard psql itself); any other psql meta-command at the start of a line
// is refused, naming the line, since the server runs SQL only.
Status StripPsqlGuards(DdlFile* file) {
  std::string sql;
  std::istringstream lines(file->sql);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
    if (!line.empty() && line[0] == '\\') {
      return InvalidArgument(file->path + ":" + std::to_string(number) + ": a psql meta-command (" +
                             line.substr(0, line.find(' ')) + "); --ddl runs SQL only");
    }
    sql += line;
    sql += '\n';
  }
  file->sql = std::move(sql);
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<DdlFile>> ReadDdlFiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<DdlFile> files;
  auto read = [&](const std::string& path) -> Status {
    std::ifstream in(path, std::ios::binary);
    if (!in) return InvalidArgument("--ddl " + path + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({path, text.str()});
    return StripPsqlGuards(&files.back());
  };
  for (const std::string& path : paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      SF_RETURN_IF_ERROR(read(path));
      continue;
    }
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql") {
        names.push_back(entry.path().filename().string());
      }
    }
    if (error) return InvalidArgument("--ddl " + path + ": " + error.message());
    if (names.empty()) return InvalidArgument("--ddl " + path + ": the folder holds no .sql file");
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      SF_RETURN_IF_ERROR(read((fs::path(path) / name).string()));
    }
  }
  return files;
}

Status WithDdlDatabase(const std::string& server_url, const std::vector<DdlFile>& files,
                       const std::function<Status(PgConnection&)>& read) {
  SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> server, PgConnection::Connect(server_url));
  const std::string name = "seedforge_init_" + std::to_string(::getpid());
  const std::string quoted = server->QuoteIdentifier(name);
  SF_RETURN_IF_ERROR(server->Execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)"));
  SF_RETURN_IF_ERROR(server->Execute("CREATE DATABASE " + quoted + " TEMPLATE template0")
                         .WithContext("creating a scratch database for --ddl"));
  SF_ASSIGN_OR_RETURN(const std::string scratch_url, ConninfoForDatabase(server_url, name));
  Status status = [&]() -> Status {
    for (const DdlFile& file : files) {
      SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                          PgConnection::Connect(scratch_url));
      if (Status applied = connection->Execute(file.sql); !applied.ok()) {
        return InvalidArgument(file.path + ": " + applied.message());
      }
    }
    SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                        PgConnection::Connect(scratch_url));
    return read(*connection);
  }();
  Status dropped = server->Execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
  if (status.ok() && !dropped.ok()) return dropped.WithContext("dropping the scratch database");
  return status;
}

}  // namespace seedforge
