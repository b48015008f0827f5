// The export: one snapshot, one COPY per table, one buffered output.
//
// Why COPY and not a cursor: COPY TO STDOUT streams a table at the server's full speed with no
// round trips, and every format here is a cheap transformation of its output:
//   json  COPY text rows converted on the client (tools/export_json.h) while the server produces
//         the next ones. Letting the server build the JSON instead (row_to_json) made it spend
//         about three times as long per row, on the same two cores.
//   sql   COPY text rows written verbatim between "COPY ... FROM stdin;" and "\.", which is what
//         pg_dump's plain format does and what psql reads back.
//   csv   COPY's own CSV, one file per table.
// The SQL script is the schema's pre-data section as the server's own pg_dump writes it (schemas,
// extensions, types, functions, sequences, tables, partitions, views; tools/pg_dump.h), taken in
// the export's snapshot, then the rows (a partitioned table's through the table itself, which
// routes them), then pg_dump's post-data section (keys, indexes and foreign keys, each built in
// one sort or validated in one join, so self-referencing or circular keys need no particular row
// order; triggers, created after the rows so they do not fire on them), then the sequences'
// positions and the materialized views' refresh; all in one transaction, so a restore that fails
// leaves nothing behind.
//
// Tables: every table of every schema but the system ones and seedforge's own bookkeeping
// (schema seedforge). A partitioned table is exported once, with the rows of all its partitions.
// JSON keys and CSV file names are the table's name, "schema.name" outside public. A foreign
// table is refused by name: its rows are not the database's.
//
// Output goes through a ByteBuffer flushed with write(2) at about a megabyte, to
// "<path>.partial", fsync'd and renamed into place only when the whole export succeeded
// (core/atomic_output_file.h, which also refuses to replace anything but a regular file).
#include "tools/export.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/atomic_output_file.h"
#include "core/byte_buffer.h"
#include "core/failpoint.h"
#include "engine/progress.h"
#include "engine/report.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/ddl.h"
#include "tools/export_json.h"
#include "tools/pg_dump.h"

namespace seedforge {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;
constexpr int64_t kProgressRows = 4096;  // rows between two progress updates

std::string ErrnoText() { return std::strerror(errno); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A file written through core/atomic_output_file.h (renamed into place by Commit(), never over
// anything but a regular file), or stdout ("-"). Not thread-safe.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Status Open(const std::string& path) {
    if (path == "-") {
      to_stdout_ = true;
      return Status::Ok();
    }
    return file_.Open(path);
  }

  // Where rows are appended; MaybeFlush() writes it out once it is large.
  ByteBuffer& buffer() { return buffer_; }
  Status MaybeFlush() { return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok(); }
  void Append(std::string_view text) { buffer_.Append(text); }

  // Bytes written so far, the buffer included.
  int64_t bytes() const { return written_ + static_cast<int64_t>(buffer_.size()); }

  Status Flush() {
    if (to_stdout_) {
      SF_RETURN_IF_ERROR(WriteStdout(buffer_.view()));
    } else {
      SF_RETURN_IF_ERROR(file_.Write(buffer_.view()));
    }
    written_ += static_cast<int64_t>(buffer_.size());
    buffer_.Reset();
    return Status::Ok();
  }

  // Flushes and frees the buffer. The file keeps its temporary name until Commit().
  Status Close() {
    SF_RETURN_IF_ERROR(Flush());
    buffer_ = ByteBuffer();
    return Status::Ok();
  }

  // Flushes the file to disk and renames it into place. REQUIRES: Close() succeeded.
  Status Commit() { return to_stdout_ || !file_.is_open() ? Status::Ok() : file_.Commit(); }

 private:
  static Status WriteStdout(std::string_view bytes) {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(STDOUT_FILENO, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("cannot write stdout: " + ErrnoText());
      p += n;
      left -= static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  bool to_stdout_ = false;
  AtomicOutputFile file_;  // abandoned (its temporary file removed) unless committed
  ByteBuffer buffer_;
  int64_t written_ = 0;
};

// The column list of the primary key, as SQL ("id", "tenant_id, \"Order\""), taken from the
// constraint's definition "PRIMARY KEY (id)"; "" when the table has none.
std::string PrimaryKeyColumns(const TableDef& table) {
  for (const ConstraintDef& constraint : table.constraints) {
    if (constraint.type != 'p') continue;
    const std::string& definition = constraint.definition;
    const size_t open = definition.find('(');
    if (open == std::string::npos) return "";
    bool quoted = false;
    for (size_t i = open + 1; i < definition.size(); ++i) {
      if (definition[i] == '"') quoted = !quoted;  // a doubled quote toggles twice
      if (definition[i] == ')' && !quoted) return definition.substr(open + 1, i - open - 1);
    }
  }
  return "";
}

std::string OrderBy(const TableDef& table) {
  const std::string key = PrimaryKeyColumns(table);
  return key.empty() ? "" : " ORDER BY " + key;
}

// The name a table goes by in JSON and CSV: "users" in public, "billing.accounts" elsewhere.
std::string ExportName(const TableDef& table) {
  return table.schema == "public" ? table.name : table.schema + "." + table.name;
}

// The file name of a table's CSV file: its name, with '/' (legal in a table name) replaced.
std::string CsvFileName(const TableDef& table) {
  std::string name = ExportName(table);
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name + ".csv";
}

// An on_row for Exporter::Copy: the COPY output is already in its final form (sql, csv).
bool AppendAsIs(std::string_view row, ByteBuffer& buffer) {
  buffer.Append(row);
  return true;
}

class Exporter {
 public:
  Exporter(PgConnection& connection, const ExportOptions& options)
      : connection_(connection), options_(options), progress_(options.progress) {}

  StatusOr<ExportReport> Run() {
    const auto started = std::chrono::steady_clock::now();
    report_.format = options_.format;
    report_.out = options_.out;
    Status status = Begin();
    if (status.ok()) status = WriteFormat();
    progress_.Finish();
    if (status.ok()) status = connection_.Execute("COMMIT");
    if (!status.ok()) {
      (void)connection_.Execute("ROLLBACK");
      return status;
    }
    report_.seconds = SecondsSince(started);
    return std::move(report_);
  }

 private:
  bool Cancelled() const {
    return options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed);
  }

  // Settings, the snapshot, the catalog, the locks, the progress line.
  Status Begin() {
    SF_RETURN_IF_ERROR(connection_.Execute(
        "SET client_encoding = 'UTF8'; SET jit = off; SET statement_timeout = 0; "
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    SF_ASSIGN_OR_RETURN(
        QueryResult schemas,
        connection_.Query("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN "
                          "('pg_catalog', 'information_schema', 'seedforge') AND nspname NOT LIKE "
                          "'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY 1"));
    for (const auto& row : schemas.rows) schemas_.push_back(*row[0]);
    SF_ASSIGN_OR_RETURN(
        QueryResult foreign,
        connection_.Query("SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c JOIN "
                          "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = "
                          "'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema', "
                          "'seedforge') ORDER BY 1 LIMIT 1"));
    if (!foreign.rows.empty()) {
      return FailedPrecondition("foreign table " + *foreign.rows[0][0] +
                                ": an export holds the database's own rows, and a foreign "
                                "table's are on another server");
    }
    SF_ASSIGN_OR_RETURN(tables_,
                        ReadTables(connection_, schemas_, TableKinds::kOrdinaryAndPartitioned));
    std::string names;
    for (const TableDef& table : tables_) {
      names += names.empty() ? "" : ", ";
      names += table.QualifiedName();
    }
    // As pg_dump does: no table can be dropped or altered while it waits for its turn.
    if (!names.empty()) {
      SF_RETURN_IF_ERROR(connection_.Execute("LOCK TABLE " + names + " IN ACCESS SHARE MODE"));
    }
    int64_t estimate = 0;
    if (options_.progress) {
      for (const TableDef& table : tables_) {
        SF_ASSIGN_OR_RETURN(const int64_t rows, EstimatedRows(table));
        estimates_.push_back(rows);
        estimate += rows;
      }
    }
    estimates_.resize(tables_.size(), 0);
    progress_.Start("export", estimate);
    return Status::Ok();
  }

  // The planner's row count (pg_class.reltuples), only to draw progress; 0 if never counted.
  StatusOr<int64_t> EstimatedRows(const TableDef& table) {
    return connection_.QueryInt(
        "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM "
        "pg_catalog.pg_partition_tree(" +
        connection_.QuoteLiteral(table.QualifiedName()) +
        "::pg_catalog.regclass) t JOIN pg_catalog.pg_class c ON c.oid = t.relid WHERE t.isleaf");
  }

  Status WriteFormat() {
    switch (options_.format) {
      case ExportFormat::kJson:
        return WriteJson();
      case ExportFormat::kSql:
        return WriteSql();
      case ExportFormat::kCsv:
        return WriteCsv();
    }
    return Internal("unknown export format");
  }

  // Streams `copy_sql` (a COPY ... TO STDOUT) into `out`, calling `on_row(row, buffer)` for each
  // message the server sends (one per row, after a CSV header's own); `on_row` returns false for
  // a row it cannot read. Stops the COPY early on interrupt or write error. Returns the rows, as
  // the server counted them.
  template <typename OnRow>
  StatusOr<int64_t> Copy(const TableDef& table, const std::string& copy_sql, OutputFile& out,
                         OnRow&& on_row) {
    if (Cancelled()) return seedforge::Cancelled("interrupted");
    Status failure;
    int64_t unreported = 0;
    const auto stop = [&](Status status) {
      failure = std::move(status);
      connection_.RequestCancel();
    };
    Status copied = connection_.CopyOut(copy_sql, [&](std::string_view row) {
      if (!failure.ok()) return;
      if (Cancelled()) return stop(seedforge::Cancelled("interrupted"));
      if (!on_row(row, out.buffer())) {
        return stop(Internal("table " + table.QualifiedName() +
                             ": unexpected COPY row: " + std::string(row.substr(0, 200))));
      }
      if (++unreported == kProgressRows) {
        progress_.Advance(ExportName(table), unreported);
        unreported = 0;
      }
      Status flushed = out.MaybeFlush();
      if (!flushed.ok()) stop(std::move(flushed));
    });
    progress_.Advance(ExportName(table), unreported);
    if (!failure.ok()) return failure;
    if (!copied.ok()) return copied.WithContext("table " + table.QualifiedName());
    return connection_.last_copy_rows();
  }

  // Runs `write_table` for each table, with the progress line and the table's report entry.
  template <typename WriteTable>
  Status ForEachTable(OutputFile* shared_out, WriteTable&& write_table) {
    for (size_t i = 0; i < tables_.size(); ++i) {
      const TableDef& table = tables_[i];
      const auto started = std::chrono::steady_clock::now();
      const int64_t bytes_before = shared_out == nullptr ? 0 : shared_out->bytes();
      progress_.TableStarted(ExportName(table), estimates_[i]);
      ExportedTable exported;
      exported.table = ExportName(table);
      SF_ASSIGN_OR_RETURN(exported.rows, write_table(table, &exported.bytes));
      progress_.TableFinished(ExportName(table));
      SF_FAILPOINT("export.table_written", ExportName(table));
      if (shared_out != nullptr) exported.bytes = shared_out->bytes() - bytes_before;
      exported.seconds = SecondsSince(started);
      report_.tables.push_back(std::move(exported));
    }
    return Status::Ok();
  }

  Status Finish(OutputFile& out) {
    report_.bytes = out.bytes();
    SF_RETURN_IF_ERROR(out.Close());
    // The last moment at which Ctrl-C leaves an earlier export in place.
    if (Cancelled()) return seedforge::Cancelled("interrupted");
    return out.Commit();
  }

  // {"users": [
  // {"id":1,...},
  // {"id":2,...}
  // ],
  // "applications": []}
  Status WriteJson() {
    OutputFile out;
    SF_RETURN_IF_ERROR(out.Open(options_.out));
    out.Append("{");
    SF_RETURN_IF_ERROR(ForEachTable(
        &out, [&](const TableDef& table, int64_t*) { return WriteJsonTable(table, out); }));
    out.Append(tables_.empty() ? "}\n" : "\n}\n");
    return Finish(out);
  }

  StatusOr<int64_t> WriteJsonTable(const TableDef& table, OutputFile& out) {
    std::vector<JsonColumn> columns;
    std::string select;
    for (const ColumnDef& column : table.columns) {
      bool server_converts = false;
      columns.push_back({column.name, JsonKindForType(column.type, &server_converts)});
      select += select.empty() ? "" : ", ";
      select += server_converts ? "pg_catalog.to_json(" + QuoteIdentifier(column.name) + ")"
                                : QuoteIdentifier(column.name);
    }
    if (columns.empty()) select = "NULL";  // a table without columns: one empty field per row
    const CopyRowToJson converter(columns);
    out.Append(report_.tables.empty() ? "\n" : ",\n");
    out.Append(JsonString(ExportName(table)));
    out.Append(": [");
    int64_t rows = 0;
    SF_ASSIGN_OR_RETURN(rows, Copy(table,
                                   "COPY (SELECT " + select + " FROM " + table.QualifiedName() +
                                       OrderBy(table) + ") TO STDOUT",
                                   out, [&](std::string_view row, ByteBuffer& buffer) {
                                     buffer.Append(rows++ == 0 ? "\n" : ",\n");
                                     return converter.AppendRow(row, buffer);
                                   }));
    out.Append(rows == 0 ? "]" : "\n]");
    return rows;
  }

  // pg_dump's pre-data and post-data sections of the export's schemas, read in the export's
  // snapshot, without psql's \restrict lines (the script is one transaction of plain SQL).
  StatusOr<std::pair<std::string, std::string>> SchemaSections(const PgDumpProgram& program,
                                                               const std::string& snapshot) {
    SchemaDumpOptions dump;
    dump.conninfo = options_.conninfo;
    dump.snapshot_id = snapshot;
    SF_ASSIGN_OR_RETURN(
        QueryResult seedforge,
        connection_.Query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'seedforge'"));
    if (!seedforge.rows.empty()) dump.exclude_schemas.push_back("seedforge");
    char folder[] = "/tmp/seedforge-export-schema-XXXXXX";
    if (::mkdtemp(folder) == nullptr) return IoError("creating a temporary folder: " + ErrnoText());
    const std::string pre = std::string(folder) + "/pre-data.sql";
    const std::string post = std::string(folder) + "/post-data.sql";
    const Status dumped = DumpSchemaSections(program, dump, pre, post);
    std::pair<std::string, std::string> sections;
    if (dumped.ok()) {
      sections.first = WithoutPsqlRestrict(ReadWhole(pre));
      sections.second = WithoutPsqlRestrict(ReadWhole(post));
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    if (!dumped.ok()) return dumped;
    return sections;
  }

  static std::string ReadWhole(const std::string& path) {
    std::string text;
    const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    char chunk[65536];
    for (ssize_t got; in >= 0 && (got = ::read(in, chunk, sizeof chunk)) > 0;) {
      text.append(chunk, static_cast<size_t>(got));
    }
    if (in >= 0) ::close(in);
    return text;
  }

  Status WriteSql() {
    if (options_.conninfo.empty()) {
      return InvalidArgument("export --format sql needs the connection string for pg_dump");
    }
    SF_ASSIGN_OR_RETURN(const PgDumpProgram program,
                        FindPgDump(connection_.server_version() / 10000));
    SF_ASSIGN_OR_RETURN(const std::string snapshot,
                        connection_.QueryValue("SELECT pg_catalog.pg_export_snapshot()"));
    SF_ASSIGN_OR_RETURN(const auto sections, SchemaSections(program, snapshot));
    const std::string& pre_data = sections.first;
    const std::string& post_data = sections.second;
    OutputFile out;
    SF_RETURN_IF_ERROR(out.Open(options_.out));
    std::string schemas;
    for (const std::string& schema : schemas_) schemas += (schemas.empty() ? "" : ", ") + schema;
    out.Append(fmt::format(
        "-- seedforge export of database {}, PostgreSQL {}: {} tables of schemas {}.\n"
        "-- Schema by pg_dump {} (pre-data and post-data sections), rows by seedforge.\n"
        "-- Restore into an empty database: psql -v ON_ERROR_STOP=1 -f FILE\n"
        "-- One transaction: a restore that fails leaves nothing behind.\n\n"
        "BEGIN;\n\n",
        connection_.QuoteIdentifier(connection_.database()), connection_.server_version_text(),
        tables_.size(), schemas.empty() ? "(none)" : schemas, program.version));
    out.Append(pre_data);
    out.Append("\n-- Rows\n\n");
    const Status written = ForEachTable(&out, [&](const TableDef& table, int64_t*) {
      const std::string columns = table.CopyColumnList();
      const std::string list = columns.empty() ? "" : " (" + columns + ")";
      out.Append("COPY " + table.QualifiedName() + list + " FROM stdin;\n");
      auto rows = Copy(table,
                       "COPY (SELECT " + columns + " FROM " + table.QualifiedName() +
                           OrderBy(table) + ") TO STDOUT",
                       out, AppendAsIs);
      out.Append("\\.\n\n");
      return rows;
    });
    SF_RETURN_IF_ERROR(written);
    out.Append(post_data);
    SF_ASSIGN_OR_RETURN(const std::string sequences, SetSequencesSql());
    out.Append("\n-- Sequences and materialized views\n\n" + sequences + "\nCOMMIT;\n");
    return Finish(out);
  }

  // setval for every sequence of the exported schemas, where it stands now; then a refresh of
  // each materialized view that holds rows (pg_dump's schema creates them empty).
  StatusOr<std::string> SetSequencesSql() {
    SF_ASSIGN_OR_RETURN(
        QueryResult sequences,
        connection_.Query("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), c.relkind, "
                          "c.relispopulated FROM pg_catalog.pg_class c JOIN "
                          "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind "
                          "IN ('S', 'm') AND n.nspname NOT IN ('pg_catalog', "
                          "'information_schema', 'seedforge') AND n.nspname NOT LIKE "
                          "'pg\\_toast%' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
                          "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
                          "d.objid = c.oid AND d.deptype = 'e') ORDER BY c.relkind DESC, CASE WHEN "
                          "c.relkind = 'S' THEN pg_catalog.format('%I.%I', n.nspname, c.relname) "
                          "COLLATE \"C\" END, c.oid"));
    std::string sql;
    for (const auto& row : sequences.rows) {
      const std::string& name = *row[0];
      if (row[1] == "m") {
        if (row[2] == "t") sql += "REFRESH MATERIALIZED VIEW " + name + ";\n";
        continue;
      }
      SF_ASSIGN_OR_RETURN(QueryResult state,
                          connection_.Query("SELECT last_value, is_called FROM " + name));
      sql += "SELECT pg_catalog.setval(" + connection_.QuoteLiteral(name) + ", " +
             *state.rows.at(0)[0] + ", " + (state.rows[0][1] == "t" ? "true" : "false") + ");\n";
    }
    return sql;
  }

  // One file per table, renamed into place together once every table is written.
  Status WriteCsv() {
    std::vector<std::unique_ptr<OutputFile>> files;
    const Status written =
        ForEachTable(nullptr, [&](const TableDef& table, int64_t* bytes) -> StatusOr<int64_t> {
          auto& out = files.emplace_back(std::make_unique<OutputFile>());
          const std::string path =
              (std::filesystem::path(options_.out) / CsvFileName(table)).string();
          SF_RETURN_IF_ERROR(out->Open(path));
          int64_t rows = 0;
          SF_ASSIGN_OR_RETURN(rows, Copy(table,
                                         "COPY (SELECT " + table.CopyColumnList() + " FROM " +
                                             table.QualifiedName() + OrderBy(table) +
                                             ") TO STDOUT WITH (FORMAT csv, HEADER)",
                                         *out, AppendAsIs));
          *bytes = out->bytes();
          report_.bytes += *bytes;
          SF_RETURN_IF_ERROR(out->Close());
          return rows;
        });
    SF_RETURN_IF_ERROR(written);
    if (Cancelled()) return seedforge::Cancelled("interrupted");
    for (auto& file : files) SF_RETURN_IF_ERROR(file->Commit());
    return Status::Ok();
  }

  PgConnection& connection_;
  const ExportOptions& options_;
  ProgressLine progress_;
  std::vector<std::string> schemas_;  // the schemas exported, by name
  std::vector<TableDef> tables_;
  std::vector<int64_t> estimates_;
  ExportReport report_;
};

}  // namespace

StatusOr<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "json") return ExportFormat::kJson;
  if (name == "sql") return ExportFormat::kSql;
  if (name == "csv") return ExportFormat::kCsv;
  return InvalidArgument("--format: unknown export format \"" + std::string(name) +
                         "\" (expected json, sql or csv)");
}

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kJson:
      return "json";
    case ExportFormat::kSql:
      return "sql";
    case ExportFormat::kCsv:
      return "csv";
  }
  return "?";
}

Status ExportOptions::Validate() const {
  if (out.empty()) return InvalidArgument("--out: a path is required");
  if (format == ExportFormat::kCsv && out == "-") {
    return InvalidArgument("--out: csv writes one file per table into a folder, not to stdout");
  }
  return Status::Ok();
}

int64_t ExportReport::total_rows() const {
  int64_t rows = 0;
  for (const ExportedTable& table : tables) rows += table.rows;
  return rows;
}

Status CheckOutput(const ExportOptions& options) {
  if (options.out == "-") return Status::Ok();
  if (options.format == ExportFormat::kCsv) {
    std::error_code error;
    std::filesystem::create_directories(options.out, error);
    if (error) return IoError("cannot create folder " + options.out + ": " + error.message());
    if (!std::filesystem::is_directory(options.out)) {
      return IoError("--out " + options.out + " is not a folder (csv writes one file per table)");
    }
    if (::access(options.out.c_str(), W_OK) != 0) {
      return IoError("cannot write into folder " + options.out + ": " + ErrnoText());
    }
    return Status::Ok();
  }
  return AtomicOutputFile::CheckWritable(options.out);
}

StatusOr<ExportReport> Export(PgConnection& connection, const ExportOptions& options) {
  Exporter exporter(connection, options);
  return exporter.Run();
}

std::string FormatExportSummary(const ExportReport& report) {
  return fmt::format("exported {} table{}, {} rows, {:.1f} MB ({}) to {} in {:.2f} s",
                     report.tables.size(), report.tables.size() == 1 ? "" : "s",
                     GroupDigits(report.total_rows()), static_cast<double>(report.bytes) / 1e6,
                     ExportFormatName(report.format), report.out == "-" ? "stdout" : report.out,
                     report.seconds);
}

}  // namespace seedforge
