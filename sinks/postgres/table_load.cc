// What both load paths share (see table_load.h).
#include "sinks/postgres/table_load.h"

#include <string>

#include "sinks/postgres/connection.h"

namespace seedforge {
namespace {

std::string CopySql(PgConnection& connection, const std::string& quoted_table,
                    const TableSchema& schema, Format format, std::string_view options) {
  std::string columns;
  for (const ColumnSchema& column : schema.columns) {
    if (!columns.empty()) columns += ", ";
    columns += connection.QuoteIdentifier(column.name);
  }
  return "COPY " + quoted_table + " (" + columns + ") FROM STDIN WITH (FORMAT " +
         (format == Format::kCopyBinary ? "binary" : "text") + std::string(options) + ")";
}

}  // namespace

TableLoad::TableLoad(PgConnection& connection, const TableWrite& write, Format format,
                     std::string_view copy_options)
    : connection_(connection),
      write_(write),
      quoted_table_(connection.QuoteIdentifier(write.schema->name)),
      copy_sql_(CopySql(connection, quoted_table_, *write.schema, format, copy_options)) {
  write.encoding->WritePrologue(prologue_);
  write.encoding->WriteEpilogue(epilogue_);
}

Status TableLoad::Where(Status status) const {
  return status.WithContext("table " + write_.schema->name);
}

void TableLoad::Phase(std::string_view phase) const {
  if (write_.on_phase) write_.on_phase(phase);
}

Status TableLoad::MoveIdentityPastLargestId() {
  if (!write_.schema->has_id) return Status::Ok();
  const std::string& id = write_.schema->columns.front().name;
  SF_ASSIGN_OR_RETURN(
      QueryResult sequence,
      connection_.Query("SELECT pg_get_serial_sequence(" + connection_.QuoteLiteral(quoted_table_) +
                        ", " + connection_.QuoteLiteral(id) + ")"));
  if (sequence.rows.empty() || !sequence.rows[0][0].has_value()) return Status::Ok();
  const std::string& seq = *sequence.rows[0][0];
  return Where(connection_.Execute(
      "SELECT setval(" + connection_.QuoteLiteral(seq) + ", m, true) FROM (SELECT GREATEST(max(" +
      connection_.QuoteIdentifier(id) +
      "), (SELECT CASE WHEN is_called THEN last_value END "
      "FROM " +
      seq + ")) AS m FROM " + quoted_table_ + ") s WHERE m IS NOT NULL"));
}

Status TableLoad::OpenCopy() {
  SF_RETURN_IF_ERROR(Where(connection_.CopyBegin(copy_sql_)));
  in_copy_ = true;
  bytes_ += static_cast<int64_t>(prologue_.size());
  return Where(connection_.CopyPut(prologue_.view()));
}

Status TableLoad::CloseCopy() {
  bytes_ += static_cast<int64_t>(epilogue_.size());
  SF_RETURN_IF_ERROR(Where(connection_.CopyPut(epilogue_.view())));
  in_copy_ = false;
  return Where(connection_.CopyEnd());
}

void TableLoad::AbandonCopy() {
  if (in_copy_) connection_.CopyAbort();
  in_copy_ = false;
}

}  // namespace seedforge
