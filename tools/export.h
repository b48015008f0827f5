// `seedforge export`: a database's tables as one JSON document, a SQL file that psql restores,
// or one CSV file per table.
//
// Every table of every schema but the system ones and seedforge's own (partitioned tables once,
// with all their partitions' rows) is written in foreign-key dependency order (parents first, as
// sinks/postgres/catalog.h orders them), rows in primary-key order, all from one
// REPEATABLE READ snapshot so the tables agree with each other. The server streams each table
// with COPY; nothing holds more than one row and one output buffer (about a megabyte) at a time,
// whatever the size of the database. Files are written under a temporary name
// ("<path>.partial") and renamed when complete, so an export that fails or is killed never
// leaves a file that looks finished, and an existing file at the path stays as it was.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace seedforge {

class PgConnection;

enum class ExportFormat {
  kJson,  // one document {"table": [{"column": value, ...}, ...], ...}
  kSql,   // a psql script: pg_dump's schema sections around COPY blocks, in one transaction
  kCsv,   // a folder with <table>.csv per table, each with a header row
};

// Parses "json", "sql" or "csv"; kInvalidArgument naming the choices otherwise.
StatusOr<ExportFormat> ParseExportFormat(std::string_view name);
std::string_view ExportFormatName(ExportFormat format);

struct ExportOptions {
  ExportFormat format = ExportFormat::kJson;
  // Where to write: a file for json and sql ("-" is stdout), a folder for csv (created if
  // missing; existing files of other names are left alone).
  std::string out;
  // Draw the live progress line on stderr (engine/progress.h).
  bool progress = false;
  // The connection string of the database, for the pg_dump that writes the sql format's schema
  // (tools/pg_dump.h); required for sql.
  std::string conninfo;
  // When it becomes true, the export stops as soon as it can and returns kCancelled. Not owned;
  // may be null.
  const std::atomic<bool>* cancel = nullptr;

  // kInvalidArgument naming the bad field: an empty `out`, or "-" for csv.
  Status Validate() const;
};

struct ExportedTable {
  std::string table;  // e.g. "users", "billing.accounts" outside public
  int64_t rows = 0;
  int64_t bytes = 0;  // bytes this table added to the output
  double seconds = 0;
};

struct ExportReport {
  ExportFormat format = ExportFormat::kJson;
  std::string out;
  std::vector<ExportedTable> tables;
  int64_t bytes = 0;  // everything written, headers and DDL included
  double seconds = 0;

  int64_t total_rows() const;
};

// Checks, before anything is read from a database, that the output can be written: creates the
// csv folder, or creates and removes "<out>.partial". kIoError naming the path otherwise.
// REQUIRES: options.Validate() is OK.
Status CheckOutput(const ExportOptions& options);

// Exports the tables `connection` sees. Runs its own read-only transaction on the connection
// (which must not be inside one) and leaves the session's settings changed (time zone UTC,
// client encoding UTF8, jit off). On error, removes its temporary files and leaves any file
// already at the output path untouched. REQUIRES: options.Validate() is OK.
StatusOr<ExportReport> Export(PgConnection& connection, const ExportOptions& options);

// One line: "exported 5 tables, 166,000 rows, 41.2 MB (json) to out.json in 1.23 s".
std::string FormatExportSummary(const ExportReport& report);

}  // namespace seedforge
