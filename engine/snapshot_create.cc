// snapshot create (see snapshot.h).
//
// One REPEATABLE READ, READ ONLY transaction gives the consistent view: the catalog, the
// sequences and every table's rows are read in it. With more than one connection, the first
// exports its snapshot (pg_export_snapshot) and the others import it (SET TRANSACTION SNAPSHOT),
// so all of them see exactly the same rows; tables are handed out largest first to whichever
// connection is free, which balances the big fact tables against the rest.
//
// Each table is `COPY (columns) TO STDOUT (FORMAT binary)` streamed into a zstd file: binary
// COPY is cheaper for the server to produce than text (no timestamp or numeric formatting) and
// compresses smaller (measured on the xl profile's events: 29.8 MB against 33.6 MB at zstd 3),
// and restore loads it without parsing text. Nothing holds more than a buffer of a table.
//
// zstd level 1 by default: on the xl profile it wrote 62.1 MB against 62.7 MB at level 3 and
// 62.6 MB at level 5 (generated text compresses about as well at any level; assets even better
// at 1), in 3.7 s against 6.0 s and 10.5 s on the shared two-core machine. --level raises it.
//
// With --template the database is first cloned (CREATE DATABASE ... TEMPLATE, which PostgreSQL
// allows only while no other session is connected to the source) and the files are dumped from
// the clone, so the template and the files hold exactly the same rows. The clone is then marked
// IS_TEMPLATE and closed to connections, so cloning it back is always possible.
#include <fmt/format.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "core/civil_time.h"
#include "engine/snapshot.h"
#include "engine/snapshot_file.h"
#include "engine/version.h"
#include "sinks/pg_connection.h"

namespace seedforge {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTemplatePrefix = "seedforge_tpl_";

std::string RandomId() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}

// ISO 8601 UTC with microseconds, so that snapshots made within one second still sort in order.
std::string UtcNow() {
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  char text[kMaxTimestampChars];
  return std::string(text, FormatTimestamp(micros, TimestampStyle::kIso8601, text));
}

// A file name for the table: ordinal first (unique), then the names with unsafe bytes replaced.
std::string DataFileName(size_t ordinal, const TableDef& table) {
  std::string name = fmt::format("{:03d}-", ordinal + 1);
  for (const std::string* part : {&table.schema, &table.name}) {
    for (const char c : *part) {
      const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
      name += safe ? c : '_';
    }
    name += '.';
  }
  return name + "pgcopy.zst";
}

StatusOr<std::unique_ptr<PgConnection>> Open(const std::string& conninfo) {
  auto connection = PgConnection::Connect(conninfo);
  if (!connection.ok()) return connection.status().WithContext(RedactConnectionString(conninfo));
  return connection;
}

Status SyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("opening " + path + ": " + std::strerror(errno));
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return IoError("syncing " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

Status WriteManifest(const std::string& path, const std::string& json) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("creating " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < json.size()) {
    const ssize_t written = ::write(fd, json.data() + done, json.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      ::close(fd);
      return IoError("writing " + path + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(written);
  }
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError("syncing " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

// The newest (profile, seed) in seedforge.runs, when that table exists with those columns and
// may be read. Checked in the catalog first: a failing query would abort the transaction.
Status ReadLatestRun(PgConnection& connection, SnapshotManifest* manifest) {
  SF_ASSIGN_OR_RETURN(
      std::string usable,
      connection.QueryValue(
          "SELECT count(*) = 3 AND bool_and(has_schema_privilege(n.oid, 'USAGE') AND "
          "has_table_privilege(c.oid, 'SELECT')) FROM pg_attribute a JOIN pg_class c ON c.oid = "
          "a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
          "'seedforge' AND c.relname = 'runs' AND a.attname IN ('profile', 'seed', "
          "'finished_at') AND NOT a.attisdropped"));
  if (usable != "t") return Status::Ok();
  SF_ASSIGN_OR_RETURN(QueryResult latest,
                      connection.Query("SELECT profile::text, seed::text FROM seedforge.runs "
                                       "ORDER BY finished_at DESC NULLS LAST LIMIT 1"));
  if (latest.rows.empty()) return Status::Ok();
  if (!manifest->profile.has_value()) manifest->profile = latest.rows[0][0];
  if (!manifest->seed.has_value()) manifest->seed = latest.rows[0][1];
  return Status::Ok();
}

// The sequences the table's columns own, as they are now (those the role may read).
Status ReadSequences(PgConnection& connection, SnapshotTable* table) {
  for (const ColumnDef& column : table->definition.columns) {
    if (column.sequence.empty()) continue;
    const std::string literal = connection.QuoteLiteral(column.sequence);
    SF_ASSIGN_OR_RETURN(
        std::string readable,
        connection.QueryValue("SELECT has_sequence_privilege(" + literal + ", 'SELECT')"));
    if (readable != "t") continue;
    SF_ASSIGN_OR_RETURN(
        QueryResult state,
        connection.Query("SELECT s.last_value, s.is_called, q.seqmin, q.seqmax FROM " +
                         column.sequence + " s, pg_catalog.pg_sequence q WHERE q.seqrelid = " +
                         literal + "::pg_catalog.regclass"));
    const auto& row = state.rows.at(0);
    table->sequences.push_back({column.name, column.sequence, std::stoll(*row[0]), row[1] == "t",
                                std::stoll(*row[2]), std::stoll(*row[3])});
  }
  return Status::Ok();
}

// Dumps the tables of `manifest` into `folder` over `connections` (the first already in its
// transaction), largest first.
class TableDumper {
 public:
  TableDumper(const SnapshotCreateOptions& options, std::string folder, SnapshotManifest* manifest)
      : options_(options), folder_(std::move(folder)), manifest_(*manifest) {}

  Status Run(PgConnection& main, const std::string& conninfo) {
    std::vector<std::unique_ptr<PgConnection>> extra;
    const size_t wanted =
        std::min(static_cast<size_t>(std::max(options_.connections, 1)), manifest_.tables.size());
    if (wanted > 1) {
      SF_ASSIGN_OR_RETURN(std::string id, main.QueryValue("SELECT pg_export_snapshot()"));
      for (size_t i = 1; i < wanted; ++i) {
        SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Open(conninfo));
        SF_RETURN_IF_ERROR(connection->Execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT " +
            connection->QuoteLiteral(id)));
        extra.push_back(std::move(connection));
      }
    }
    SF_RETURN_IF_ERROR(OrderBySize(main));
    std::vector<Status> statuses(extra.size() + 1);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < extra.size(); ++i) {
      threads.emplace_back([this, &extra, &statuses, i] { statuses[i + 1] = Work(*extra[i]); });
    }
    statuses[0] = Work(main);
    for (std::thread& thread : threads) thread.join();
    // The first real error; a worker stopped because another failed reports kCancelled.
    for (const Status& status : statuses) {
      if (!status.ok() && status.code() != StatusCode::kCancelled) return status;
    }
    for (const Status& status : statuses) SF_RETURN_IF_ERROR(status);
    return Status::Ok();
  }

 private:
  Status OrderBySize(PgConnection& connection) {
    std::vector<std::pair<int64_t, size_t>> sizes;
    for (size_t i = 0; i < manifest_.tables.size(); ++i) {
      const std::string name = manifest_.tables[i].definition.QualifiedName();
      SF_ASSIGN_OR_RETURN(const int64_t bytes,
                          connection.QueryInt("SELECT pg_relation_size(" +
                                              connection.QuoteLiteral(name) + "::regclass)"));
      sizes.emplace_back(-bytes, i);
    }
    std::sort(sizes.begin(), sizes.end());
    for (const auto& [bytes, index] : sizes) order_.push_back(index);
    return Status::Ok();
  }

  bool Stopping() const {
    return failed_.load() || (options_.cancel != nullptr && options_.cancel->load());
  }

  Status Work(PgConnection& connection) {
    for (;;) {
      if (Stopping()) return Cancelled("interrupted");
      const size_t next = next_.fetch_add(1);
      if (next >= order_.size()) return Status::Ok();
      Status status = DumpTable(connection, manifest_.tables[order_[next]]);
      if (!status.ok()) {
        failed_.store(true);
        return status;
      }
    }
  }

  Status DumpTable(PgConnection& connection, SnapshotTable& table) {
    const std::string path = folder_ + "/" + table.file;
    SF_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotFileWriter> writer,
                        SnapshotFileWriter::Create(path, options_.compression_level, 1));
    const std::string columns = table.definition.CopyColumnList();
    const std::string sql = "COPY " + table.definition.QualifiedName() +
                            (columns.empty() ? "" : " (" + columns + ")") +
                            " TO STDOUT (FORMAT binary)";
    Status written;
    bool cancel_sent = false;
    const Status copied = connection.CopyOut(sql, [&](std::string_view chunk) {
      if (written.ok()) {
        written = Stopping() ? Cancelled("interrupted") : writer->Append(chunk);
      }
      if (!written.ok() && !cancel_sent) {
        cancel_sent = true;
        connection.RequestCancel();  // stop the server instead of draining the table
      }
    });
    const std::string where = "table " + table.definition.QualifiedName();
    SF_RETURN_IF_ERROR(written.WithContext(where));
    SF_RETURN_IF_ERROR(copied.WithContext(where));
    SF_ASSIGN_OR_RETURN(const SnapshotFileStats stats, writer->Finish());
    table.rows = connection.last_copy_rows();
    table.raw_bytes = stats.raw_bytes;
    table.compressed_bytes = stats.compressed_bytes;
    table.sha256 = stats.sha256;
    return Status::Ok();
  }

  const SnapshotCreateOptions& options_;
  std::string folder_;
  SnapshotManifest& manifest_;
  std::vector<size_t> order_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> failed_{false};
};

// Everything in the snapshot but the rows: tables, sequences, profile, DDL. Runs in `source`'s
// REPEATABLE READ transaction.
Status DescribeDatabase(PgConnection& source, SnapshotManifest* manifest) {
  SF_RETURN_IF_ERROR(CheckNoPendingConstraints(source, "then snapshot"));
  SF_ASSIGN_OR_RETURN(std::vector<TableDef> tables, ReadSnapshotTables(source));
  SF_RETURN_IF_ERROR(ReadLatestRun(source, manifest));
  std::string keys_and_indexes;
  std::string foreign_keys;
  for (size_t i = 0; i < tables.size(); ++i) {
    SnapshotTable& table = manifest->tables.emplace_back();
    table.definition = std::move(tables[i]);
    table.file = DataFileName(i, table.definition);
    SF_RETURN_IF_ERROR(ReadSequences(source, &table));
    manifest->ddl += CreateTableSql(table.definition);
    keys_and_indexes += CreateIndexesSql(table.definition);
    foreign_keys += AddForeignKeysSql(table.definition);
  }
  manifest->ddl += keys_and_indexes + foreign_keys;
  for (auto it = manifest->tables.rbegin(); it != manifest->tables.rend(); ++it) {
    if (it->definition.schema != "public") {
      manifest->ddl = "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(it->definition.schema) +
                      ";\n" + manifest->ddl;
      break;
    }
  }
  return Status::Ok();
}

// Creates the template database as a clone of the current one.
Status CreateTemplateDatabase(PgConnection& connection, const SnapshotManifest& manifest) {
  const std::string literal = connection.QuoteLiteral(manifest.template_database);
  SF_ASSIGN_OR_RETURN(
      const int64_t exists,
      connection.QueryInt("SELECT count(*) FROM pg_database WHERE datname = " + literal));
  if (exists > 0) {
    return InvalidArgument("database " + manifest.template_database +
                           " already exists on the server (the template of another snapshot "
                           "named " +
                           manifest.name + "?); choose another name or drop that database");
  }
  const Status created =
      connection.Execute("CREATE DATABASE " + QuoteIdentifier(manifest.template_database) +
                         " TEMPLATE " + QuoteIdentifier(manifest.database));
  if (created.message().find("being accessed by other users") != std::string::npos) {
    auto sessions = connection.QueryValue(
        "SELECT count(*) || ' other session(s): ' || coalesce(string_agg(DISTINCT "
        "coalesce(nullif(application_name, ''), 'unnamed') || ' (' || usename || ')', ', '), '') "
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend'");
    return FailedPrecondition(
        "--template: PostgreSQL copies a database only while no other session is connected to "
        "it, and database " +
        manifest.database + " has " + (sessions.ok() ? *sessions : std::string("other sessions")) +
        "; close them, or snapshot without --template");
  }
  SF_RETURN_IF_ERROR(
      created.WithContext("--template: creating database " + manifest.template_database));
  return CommentTemplate(connection, manifest);
}

}  // namespace

Status SnapshotCreateOptions::Validate() const {
  SF_RETURN_IF_ERROR(ValidateSnapshotName(name));
  if (compression_level < 1 || compression_level > 19) {
    return InvalidArgument("--level must be between 1 and 19, got " +
                           std::to_string(compression_level));
  }
  if (connections < 1 || connections > 16) {
    return InvalidArgument("--connections must be between 1 and 16, got " +
                           std::to_string(connections));
  }
  return Status::Ok();
}

StatusOr<SnapshotEntry> CreateSnapshot(const SnapshotCreateOptions& options) {
  SF_RETURN_IF_ERROR(options.Validate());
  const fs::path final_path = fs::path(options.directory) / options.name;
  std::error_code error;
  if (fs::exists(final_path, error)) {
    return InvalidArgument("snapshot " + options.name + " already exists in " + options.directory);
  }
  fs::create_directories(options.directory, error);
  if (error) return IoError("cannot create " + options.directory + ": " + error.message());

  SF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> main, Open(options.conninfo));
  SF_RETURN_IF_ERROR(
      TakeSeedforgeLock(*main, options.lock_timeout_seconds, options.cancel, options.notice));
  SnapshotManifest manifest;
  manifest.id = RandomId();
  manifest.name = options.name;
  manifest.created_at = UtcNow();
  manifest.profile = options.profile;
  manifest.seed = options.seed;
  manifest.seedforge_version = std::string(SeedforgeVersion());
  manifest.server_version = main->server_version_text();
  manifest.database = main->database();
  manifest.compression_level = options.compression_level;

  std::string source_conninfo = options.conninfo;
  if (options.make_template) {
    manifest.template_database = kTemplatePrefix + options.name;
    SF_RETURN_IF_ERROR(CreateTemplateDatabase(*main, manifest));
    SF_ASSIGN_OR_RETURN(source_conninfo,
                        ConninfoForDatabase(options.conninfo, manifest.template_database));
  }
  const fs::path partial =
      fs::path(options.directory) / ("." + options.name + ".partial-" + std::to_string(getpid()));
  // Whatever fails from here on removes the partial folder and the template database.
  const auto dump = [&]() -> Status {
    fs::create_directory(partial, error);
    if (error) return IoError("cannot create " + partial.string() + ": " + error.message());
    std::unique_ptr<PgConnection> from_template;
    PgConnection* source = main.get();
    if (options.make_template) {
      SF_ASSIGN_OR_RETURN(from_template, Open(source_conninfo));
      source = from_template.get();
    }
    SF_RETURN_IF_ERROR(source->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    SF_RETURN_IF_ERROR(DescribeDatabase(*source, &manifest));
    TableDumper dumper(options, partial.string(), &manifest);
    SF_RETURN_IF_ERROR(dumper.Run(*source, source_conninfo));
    SF_RETURN_IF_ERROR(source->Execute("COMMIT"));
    from_template.reset();
    if (options.make_template) {
      SF_RETURN_IF_ERROR(main->Execute("ALTER DATABASE " +
                                       QuoteIdentifier(manifest.template_database) +
                                       " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"));
    }
    SF_RETURN_IF_ERROR(
        WriteManifest((partial / "manifest.json").string(), ManifestToJson(manifest)));
    SF_RETURN_IF_ERROR(SyncPath(partial.string()));
    fs::rename(partial, final_path, error);
    if (error) {
      return IoError("cannot rename " + partial.string() + " to " + final_path.string() + ": " +
                     error.message());
    }
    return SyncPath(options.directory);
  };
  const Status status = dump();
  if (!status.ok()) {
    std::error_code ignored;
    fs::remove_all(partial, ignored);
    if (options.make_template) {
      (void)main->Execute("ALTER DATABASE " + QuoteIdentifier(manifest.template_database) +
                          " WITH IS_TEMPLATE false");
      (void)main->Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(manifest.template_database) +
                          " WITH (FORCE)");
    }
    return status;
  }
  return FindSnapshot(options.directory, options.name);
}

}  // namespace seedforge
