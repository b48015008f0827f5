// snapshot create (see snapshot.h).
//
// One REPEATABLE READ, READ ONLY transaction gives the consistent view: the catalog, the
// sequences and every table's rows are read in it, and its exported snapshot
// (pg_export_snapshot) is handed to pg_dump (--snapshot) for the two schema sections and to the
// other connections (SET TRANSACTION SNAPSHOT), so schema and rows are exactly one moment of the
// database. Tables are handed out largest first to whichever connection is free, which balances
// the big fact tables against the rest.
//
// Each table with rows of its own (ordinary tables and leaf partitions; a partitioned table has
// none) is `COPY (columns) TO STDOUT (FORMAT binary)` streamed into a zstd file: binary COPY is
// cheaper for the server to produce than text (no timestamp or numeric formatting) and
// compresses smaller (measured on the xl profile's events: 29.8 MB against 33.6 MB at zstd 3),
// and restore loads it without parsing text. Nothing holds more than a buffer of a table.
// Copying leaves rather than `COPY (SELECT ...)` from the parent keeps each partition's file
// independent (parallel dump and load, a row returns to the partition it came from even if the
// bounds were edited by hand) and costs no routing on restore.
//
// zstd level 1 by default: on the xl profile it wrote 62.1 MB against 62.7 MB at level 3 and
// 62.6 MB at level 5 (generated text compresses about as well at any level; assets even better
// at 1), in 3.7 s against 6.0 s and 10.5 s on the shared two-core machine. --level raises it.
// Up to level kLastThreadedLevel zstd compresses on a worker thread; above it one zstd job takes
// seconds, and a thread busy with one could not notice SIGINT/SIGTERM, so higher levels compress
// on the reading thread in small steps that check the cancel flag (snapshot_file.h).
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
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "core/civil_time.h"
#include "engine/version.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"
#include "sinks/sink.h"
#include "tools/pg_dump.h"
#include "tools/snapshot.h"
#include "tools/snapshot_file.h"

namespace seedforge {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTemplatePrefix = "seedforge_tpl_";
constexpr int kLastThreadedLevel = 5;

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

// The profile and seed that filled the database, from seedforge.runs
// (sinks/postgres/run_history.h), when the options did not name them.
Status ReadLatestRun(PgConnection& connection, SnapshotManifest* manifest) {
  SF_ASSIGN_OR_RETURN(const std::optional<FillingRun> filled, ReadFillingRun(connection));
  if (!filled.has_value()) return Status::Ok();
  if (!manifest->profile.has_value()) manifest->profile = filled->profile;
  if (!manifest->seed.has_value()) manifest->seed = std::to_string(filled->seed);
  return Status::Ok();
}

// Dumps the tables of `manifest` into `folder` over `connections` (the first already in its
// transaction), largest first.
class TableDumper {
 public:
  TableDumper(const SnapshotCreateOptions& options, std::string folder, SnapshotManifest* manifest)
      : options_(options), folder_(std::move(folder)), manifest_(*manifest) {}

  Status Run(PgConnection& main, const std::string& conninfo, const std::string& id) {
    std::vector<std::unique_ptr<PgConnection>> extra;
    const size_t wanted =
        std::min(static_cast<size_t>(std::max(options_.connections, 1)), manifest_.tables.size());
    if (wanted > 1) {
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
    SF_ASSIGN_OR_RETURN(
        std::unique_ptr<SnapshotFileWriter> writer,
        SnapshotFileWriter::Create(path, options_.compression_level,
                                   options_.compression_level <= kLastThreadedLevel ? 1 : 0,
                                   options_.cancel));
    const std::string columns = table.definition.CopyColumnList();
    const std::string sql = "COPY " + table.definition.QualifiedName() +
                            (columns.empty() ? "" : " (" + columns + ")") +
                            " TO STDOUT (FORMAT binary)";
    Status written;
    bool cancel_sent = false;
    const Status copied = connection.CopyOut(sql, [&](std::string_view chunk) {
      if (written.ok()) {
        // Append itself also returns kCancelled within a compression step of a signal.
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
  // Each table's entry is written by the one worker that took it (next_ hands out each index
  // once); the workers touch nothing else of it.
  SnapshotManifest& manifest_;
  std::vector<size_t> order_;        // written before the workers start, then only read
  std::atomic<size_t> next_{0};      // shared by the workers: atomic, no lock
  std::atomic<bool> failed_{false};  // shared by the workers: atomic, no lock
};

// Fails naming the first object of the covered schemas that a snapshot cannot hold: a foreign
// table (its rows live elsewhere), a table or sequence the user may not read. Large objects
// live outside every schema and are not held either.
Status CheckEverythingCanBeHeld(PgConnection& source, const std::string& schemas) {
  SF_ASSIGN_OR_RETURN(
      QueryResult refused,
      source.QueryOne(
          "SELECT CASE WHEN c.relkind = 'f' THEN 'foreign table ' || c.oid::pg_catalog.regclass "
          "|| ': a snapshot holds the rows of the database, and a foreign table''s are on another "
          "server; exclude its schema with --exclude-schema' ELSE (CASE c.relkind WHEN 'S' THEN "
          "'sequence ' ELSE 'table ' END) || c.oid::pg_catalog.regclass || ': permission denied "
          "to read it (the snapshot must hold every table of the schemas it covers; grant SELECT "
          "or exclude its schema with --exclude-schema)' END FROM pg_catalog.pg_class c WHERE "
          "c.relnamespace::pg_catalog.regnamespace::text = ANY ($1::text[]) AND (c.relkind = "
          "'f' OR (c.relkind IN ('r', 'p', 'S', 'm') AND NOT pg_catalog.has_table_privilege(c.oid, "
          "'SELECT'))) ORDER BY 1 LIMIT 1",
          {schemas}));
  if (!refused.rows.empty()) return FailedPrecondition("snapshot create: " + *refused.rows[0][0]);
  SF_ASSIGN_OR_RETURN(const std::string large_objects,
                      source.QueryValue("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata"));
  if (large_objects != "0") {
    return FailedPrecondition("snapshot create: the database holds " + large_objects +
                              " large object(s) (pg_largeobject), which a snapshot cannot hold");
  }
  return Status::Ok();
}

// Everything in the snapshot but the rows and the schema files: schemas, tables and partitions,
// sequences, materialized views, profile. Runs in `source`'s REPEATABLE READ transaction.
Status DescribeDatabase(PgConnection& source, const SnapshotCreateOptions& options,
                        SnapshotManifest* manifest) {
  SF_RETURN_IF_ERROR(CheckNoPendingConstraints(source, "then snapshot"));
  SF_ASSIGN_OR_RETURN(manifest->schemas,
                      CoveredSchemas(source, options.schemas, options.exclude_schemas));
  manifest->include_schemas = options.schemas;
  manifest->exclude_schemas = options.exclude_schemas;
  // regnamespace::text is quote_ident()'s spelling; compare with the quoted names.
  std::vector<std::string> quoted;
  for (const std::string& schema : manifest->schemas) quoted.push_back(QuoteIdentifier(schema));
  const std::string schemas = TextArrayLiteral(quoted);
  SF_RETURN_IF_ERROR(CheckEverythingCanBeHeld(source, schemas));
  SF_RETURN_IF_ERROR(ReadLatestRun(source, manifest));
  // Members of an extension are recreated by CREATE EXTENSION, not copied.
  const std::string not_extension_member =
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
      "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')";
  const std::string in_schemas =
      "c.relnamespace::pg_catalog.regnamespace::text = ANY ($1::text[]) AND " +
      not_extension_member;
  SF_ASSIGN_OR_RETURN(
      QueryResult tables,
      source.QueryOne(
          "SELECT n.nspname, c.relname, c.relkind, (SELECT pg_catalog.format('%I.%I', pn.nspname, "
          "p.relname) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = "
          "i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE "
          "i.inhrelid = c.oid AND c.relispartition), c.oid FROM "
          "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
          "c.relkind IN ('r', 'p') AND " +
              in_schemas + " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"",
          {schemas}));
  const std::string journal = kPendingConstraintsTable;
  for (const auto& row : tables.rows) {
    TableDef def;
    def.schema = *row[0];
    def.name = *row[1];
    if (*row[2] == "p") {
      manifest->partitioned_tables.push_back(def.QualifiedName());
      continue;
    }
    if (def.QualifiedName() == journal) continue;  // its rows never travel
    SF_ASSIGN_OR_RETURN(
        QueryResult columns,
        source.QueryOne("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1::oid AND "
                        "attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                        {*row[4]}));
    for (const auto& column : columns.rows) def.columns.emplace_back().name = *column[0];
    SnapshotTable& table = manifest->tables.emplace_back();
    table.file = DataFileName(manifest->tables.size() - 1, def);
    table.definition = std::move(def);
    table.partition_of = row[3].value_or("");
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult sequences,
      source.QueryOne("SELECT c.oid::pg_catalog.regclass::text, s.seqmin, s.seqmax FROM "
                      "pg_catalog.pg_class c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
                      "WHERE c.relkind = 'S' AND " +
                          in_schemas + " ORDER BY 1",
                      {schemas}));
  for (const auto& row : sequences.rows) {
    // regclass::text is schema-qualified only outside the search_path; make it always so.
    SF_ASSIGN_OR_RETURN(
        QueryResult state,
        source.QueryOne("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM "
                        "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                        "c.relnamespace WHERE c.oid = $1::pg_catalog.regclass",
                        {*row[0]}));
    SnapshotSequence& sequence = manifest->sequences.emplace_back();
    sequence.sequence = *state.rows.at(0)[0];
    SF_ASSIGN_OR_RETURN(
        QueryResult value,
        source.QueryOne("SELECT last_value, is_called FROM " + sequence.sequence, {}));
    sequence.last_value = std::stoll(*value.rows.at(0)[0]);
    sequence.is_called = value.rows[0][1] == "t";
    sequence.min_value = std::stoll(*row[1]);
    sequence.max_value = std::stoll(*row[2]);
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult views,
      source.QueryOne("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM "
                      "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE c.relkind = 'm' AND c.relispopulated AND " +
                          in_schemas + " ORDER BY c.oid",
                      {schemas}));
  for (const auto& row : views.rows) manifest->materialized_views.push_back(*row[0]);
  return Status::Ok();
}

// The pg_dump run that writes the pre-data and post-data sections of the schema into `folder`,
// in the exported snapshot `snapshot_id`: prepared on the calling thread (which owns `source`),
// then run on a thread of its own beside the table dump (Start, Finish), since pg_dump spends
// most of its time waiting for catalog queries.
class SchemaDump {
 public:
  Status Prepare(PgConnection& source, const std::string& conninfo, const std::string& snapshot_id,
                 const SnapshotCreateOptions& options, std::string folder,
                 SnapshotManifest* manifest) {
    folder_ = std::move(folder);
    manifest_ = manifest;
    SF_ASSIGN_OR_RETURN(program_, FindPgDump(source.server_version() / 10000));
    manifest->pg_dump_version = program_.version;
    dump_.conninfo = conninfo;
    dump_.snapshot_id = snapshot_id;
    dump_.schemas = options.schemas.empty() ? std::vector<std::string>() : manifest->schemas;
    dump_.exclude_schemas = options.exclude_schemas;
    if (!dump_.schemas.empty()) {
      std::vector<std::string> quoted;
      for (const std::string& schema : manifest->schemas) {
        quoted.push_back(QuoteIdentifier(schema));
      }
      SF_ASSIGN_OR_RETURN(QueryResult extensions,
                          source.QueryOne("SELECT extname FROM pg_catalog.pg_extension WHERE "
                                          "extnamespace::pg_catalog.regnamespace::text = ANY "
                                          "($1::text[]) ORDER BY 1",
                                          {TextArrayLiteral(quoted)}));
      for (const auto& row : extensions.rows) dump_.extensions.push_back(*row[0]);
    }
    for (const char* section : {"pre-data", "post-data"}) {
      SnapshotSchemaFile& file = manifest->schema_files.emplace_back();
      file.section = section;
      file.file = std::string(section) + ".sql";
    }
    return Status::Ok();
  }

  void Start() {
    thread_ = std::thread([this] { status_ = Dump(); });
  }

  // Waits for the schema files; their error, if any.
  Status Finish() {
    if (thread_.joinable()) thread_.join();
    return status_;
  }

  ~SchemaDump() { (void)Finish(); }

 private:
  Status Dump() const {
    std::vector<SnapshotSchemaFile>& files = manifest_->schema_files;
    SF_RETURN_IF_ERROR(DumpSchemaSections(program_, dump_, folder_ + "/" + files[0].file,
                                          folder_ + "/" + files[1].file));
    for (SnapshotSchemaFile& file : files) {
      const std::string path = folder_ + "/" + file.file;
      std::ifstream in(path, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in) return IoError("reading " + path);
      file.bytes = static_cast<int64_t>(text.str().size());
      file.sha256 = Sha256Hex(text.str());
      SF_RETURN_IF_ERROR(SyncPath(path));
    }
    return Status::Ok();
  }

  std::string folder_;
  SnapshotManifest* manifest_ = nullptr;  // schema_files written only by thread_ until joined
  PgDumpProgram program_;
  SchemaDumpOptions dump_;
  std::thread thread_;
  Status status_;  // written by thread_, read after join
};

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
    auto sessions = ListOtherSessions(connection);
    return FailedPrecondition(
        "--template: PostgreSQL copies a database only while no other session is connected to "
        "it, and database " +
        manifest.database + " has " +
        (sessions.ok() ? std::to_string(sessions->count) + " other session(s): " + sessions->names
                       : std::string("other sessions")) +
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
  if (connections < 1 || connections > kMaxConnections) {
    return InvalidArgument("--connections must be between 1 and " +
                           std::to_string(kMaxConnections) + ", got " +
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
    SF_ASSIGN_OR_RETURN(manifest.template_server, ConninfoWithoutPassword(options.conninfo));
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
    SF_ASSIGN_OR_RETURN(const std::string snapshot_id,
                        source->QueryValue("SELECT pg_export_snapshot()"));
    SF_RETURN_IF_ERROR(DescribeDatabase(*source, options, &manifest));
    SchemaDump schema;
    SF_RETURN_IF_ERROR(schema.Prepare(*source, source_conninfo, snapshot_id, options,
                                      partial.string(), &manifest));
    schema.Start();
    TableDumper dumper(options, partial.string(), &manifest);
    const Status dumped = dumper.Run(*source, source_conninfo, snapshot_id);
    // The exported snapshot lives as long as `source`'s transaction: pg_dump must be done first.
    SF_RETURN_IF_ERROR(schema.Finish());
    SF_RETURN_IF_ERROR(dumped);
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
    if (error == std::errc::directory_not_empty || error == std::errc::file_exists) {
      // Another create of the same name finished first.
      return InvalidArgument("snapshot " + options.name + " already exists in " +
                             options.directory);
    }
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
