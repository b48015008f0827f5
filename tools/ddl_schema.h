// A schema from SQL files, for `seedforge init --ddl`: the files are applied to a scratch database
// (PostgreSQL itself is the parser) that is read and then dropped.
//
// ReadDdlFiles() takes files and folders (a folder's *.sql files in name order: a folder of
// migrations); WithDdlDatabase() creates `seedforge_init_<pid>` on a server, runs each file on its
// own connection (a pg_dump script's session settings do not reach the next file), hands a fresh
// connection to the caller, and drops the database whatever happened.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace seedforge {

class PgConnection;

struct DdlFile {
  std::string path;  // as given, or folder/name
  std::string sql;
};

// The files `paths` name, in order; a folder gives its regular *.sql files sorted by name.
// kInvalidArgument naming the path when one cannot be read or a folder holds no .sql file.
StatusOr<std::vector<DdlFile>> ReadDdlFiles(const std::vector<std::string>& paths);

// Creates a scratch database on the server of `server_url` (a connection string whose role may
// CREATE DATABASE), applies `files` to it in order, then calls `read` with a new connection to
// it and drops it (also when a file or `read` fails). A file the server refuses is
// kInvalidArgument "PATH: <the server's message>".
Status WithDdlDatabase(const std::string& server_url, const std::vector<DdlFile>& files,
                       const std::function<Status(PgConnection&)>& read);

}  // namespace seedforge
