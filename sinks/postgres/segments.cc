// Generation history (see segments.h). The record is looked up in the catalog before it is used
// (SeedforgeTablePrivilegeQuery): naming seedforge.segments is an error for a role without USAGE
// on the schema, and such a role simply runs without history. Columns added after the first
// release (first_id, row_count, reserved) are read through to_jsonb, so a record made before
// them reads too.
#include "sinks/postgres/segments.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sinks/postgres/connection.h"
#include "sinks/postgres/run_history.h"

namespace seedforge {
namespace {

std::string SegmentsPrivilegeQuery(const char* privileges) {
  return SeedforgeTablePrivilegeQuery("segments", privileges);
}

std::vector<int64_t> SplitInts(const std::string& list) {
  std::vector<int64_t> values;
  for (size_t begin = 0; begin <= list.size();) {
    size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    if (end > begin) values.push_back(std::stoll(list.substr(begin, end - begin)));
    begin = end + 1;
  }
  return values;
}

// The table's segments and whether history is (or will be) kept: the record exists and may be
// written, or it does not exist yet and the role may create it.
StatusOr<bool> ReadSegments(PgConnection& connection, const std::string& table,
                            std::vector<GenerationSegment>* segments) {
  SF_ASSIGN_OR_RETURN(QueryResult found,
                      connection.Query(SegmentsPrivilegeQuery("SELECT,INSERT,DELETE")));
  if (found.rows.empty()) {
    SF_ASSIGN_OR_RETURN(
        QueryResult creatable,
        connection.Query("SELECT COALESCE((SELECT has_schema_privilege(oid, 'CREATE') FROM "
                         "pg_namespace WHERE nspname = 'seedforge'), "
                         "has_database_privilege(current_database(), 'CREATE'))"));
    return creatable.rows.at(0).at(0) == "t";
  }
  if (found.rows[0][0] != "t") return false;
  const std::string literal = connection.QuoteLiteral(table);
  SF_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT first_row, array_to_string(row_counts, ','), to_jsonb(s)->>"
                       "'first_id', to_jsonb(s)->>'row_count' FROM " +
                       std::string(kSegmentsTable) + " s WHERE table_name = " + literal +
                       " ORDER BY first_row"));
  for (const auto& row : rows.rows) {
    GenerationSegment& segment = segments->emplace_back();
    segment.table = table;
    segment.first_row = std::stoll(*row[0]);
    segment.model_row_counts = SplitInts(*row[1]);
    if (row[2].has_value()) segment.first_id = std::stoll(*row[2]);
    if (row[3].has_value()) segment.row_count = std::stoll(*row[3]);
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult reserved,
      connection.Query("SELECT (to_jsonb(s)->>'first_row')::bigint, r FROM " +
                       std::string(kSegmentsTable) +
                       " s, jsonb_array_elements_text(COALESCE(to_jsonb(s)->'reserved', '[]')) r "
                       "WHERE table_name = " +
                       literal + " ORDER BY 1"));
  std::vector<std::vector<std::string>> keys(segments->size());
  size_t at = 0;
  for (const auto& row : reserved.rows) {
    const int64_t first_row = std::stoll(*row[0]);
    while (at < segments->size() && (*segments)[at].first_row < first_row) ++at;
    if (at < segments->size()) keys[at].push_back(*row[1]);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) continue;
    (*segments)[i].reserved_keys =
        std::make_shared<const ReservedKeys>(keys[i].begin(), keys[i].end());
  }
  return true;
}

// Counts the generated rows of `contents` (from its segments) and returns the condition that
// selects them: every segment but the last is whole (a run that was cut short is ended by the
// next one's record); the last holds the rows present in its id range.
StatusOr<std::string> CountGenerated(PgConnection& connection, const std::string& name,
                                     const std::string& id, TableContents& contents) {
  std::string generated_ids = "false";
  for (size_t i = 0; i < contents.segments.size(); ++i) {
    const GenerationSegment& segment = contents.segments[i];
    int64_t rows = 0;
    if (i + 1 < contents.segments.size()) {
      rows = contents.segments[i + 1].first_row - segment.first_row;
      if (segment.row_count >= 0) rows = std::min(rows, segment.row_count);
    } else {
      std::string range = id + " >= " + std::to_string(segment.FirstId());
      if (segment.row_count >= 0) {
        range += " AND " + id + " < " + std::to_string(segment.FirstId() + segment.row_count);
      }
      SF_ASSIGN_OR_RETURN(rows,
                          connection.QueryInt("SELECT count(*) FROM " + name + " WHERE " + range));
    }
    contents.generated = segment.first_row + rows;
    if (rows > 0) {
      generated_ids += " OR " + id + " BETWEEN " + std::to_string(segment.FirstId()) + " AND " +
                       std::to_string(segment.FirstId() + rows - 1);
    }
  }
  return generated_ids;
}

}  // namespace

StatusOr<bool> PrepareSegments(PgConnection& connection) {
  SF_ASSIGN_OR_RETURN(QueryResult found,
                      connection.Query(SegmentsPrivilegeQuery("SELECT,INSERT,DELETE")));
  if (!found.rows.empty()) {
    if (found.rows[0][0] != "t") return false;
    // Tables made before ids and reserved values were recorded get the columns (NULL: ids
    // index + 1, nothing reserved); a role that may not alter it keeps the old record.
    SF_ASSIGN_OR_RETURN(const int64_t missing,
                        connection.QueryInt("SELECT 3 - count(*) FROM pg_attribute WHERE "
                                            "attrelid = 'seedforge.segments'::regclass AND "
                                            "attname IN ('first_id', 'row_count', 'reserved')"));
    if (missing == 0) return true;
    const Status altered = connection.Execute(
        "ALTER TABLE " + std::string(kSegmentsTable) +
        " ADD COLUMN IF NOT EXISTS first_id bigint, ADD COLUMN IF NOT EXISTS row_count bigint, "
        "ADD COLUMN IF NOT EXISTS reserved text[]");
    return altered.ok();
  }
  const Status created = connection.Execute(
      "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS " +
      std::string(kSegmentsTable) +
      " (table_name text NOT NULL, first_row bigint NOT NULL, row_counts bigint[] NOT NULL, "
      "first_id bigint, row_count bigint, reserved text[], PRIMARY KEY (table_name, "
      "first_row))");
  if (created.code() == StatusCode::kPermissionDenied) return false;
  SF_RETURN_IF_ERROR(created.WithContext("creating " + std::string(kSegmentsTable)));
  return true;
}

Status RecordSegment(PgConnection& connection, const TableWrite& write) {
  if (write.row_counts.empty()) return Status::Ok();
  std::string counts;
  for (const int64_t count : write.row_counts) {
    counts += counts.empty() ? "" : ",";
    counts += std::to_string(count);
  }
  std::string reserved;
  for (const std::string& key : write.reserved) {
    reserved += reserved.empty() ? "" : ",";
    reserved += connection.QuoteLiteral(key);
  }
  const std::string table = connection.QuoteLiteral(write.schema->name);
  const std::string first = std::to_string(write.first_row);
  const std::string segments(kSegmentsTable);
  return connection
      .Execute("DELETE FROM " + segments + " WHERE table_name = " + table +
               " AND first_row >= " + first + "; UPDATE " + segments + " SET row_count = " + first +
               " - first_row WHERE table_name = " + table + " AND row_count > " + first +
               " - first_row; INSERT INTO " + segments +
               " (table_name, first_row, row_counts, first_id, row_count, reserved) VALUES (" +
               table + ", " + first + ", '{" + counts + "}', " + std::to_string(write.first_id) +
               ", " + std::to_string(write.rows_to_write) + ", ARRAY[" + reserved + "]::text[])")
      .WithContext("table " + write.schema->name);
}

StatusOr<std::string> ForgetSegmentsSql(PgConnection& connection,
                                        const std::vector<const TableSchema*>& tables) {
  SF_ASSIGN_OR_RETURN(QueryResult segments,
                      connection.Query(SegmentsPrivilegeQuery("SELECT,DELETE")));
  if (segments.rows.empty() || segments.rows[0][0] != "t") return std::string();
  std::string literals;
  for (const TableSchema* table : tables) {
    literals += literals.empty() ? "" : ", ";
    literals += connection.QuoteLiteral(table->name);
  }
  return "DELETE FROM " + std::string(kSegmentsTable) + " WHERE table_name IN (" + literals +
         ");\n";
}

StatusOr<TableContents> ReadTableContents(PgConnection& connection, const TableSchema& table) {
  TableContents contents;
  const std::string name = connection.QuoteIdentifier(table.name);
  SF_ASSIGN_OR_RETURN(QueryResult exists, connection.Query("SELECT to_regclass(" +
                                                           connection.QuoteLiteral(name) + ")"));
  SF_ASSIGN_OR_RETURN(contents.history, ReadSegments(connection, table.name, &contents.segments));
  if (!exists.rows.at(0).at(0).has_value()) return contents;
  if (!table.has_id) {
    // No row holds its number: every row counts as generated.
    SF_ASSIGN_OR_RETURN(contents.rows, connection.QueryInt("SELECT count(*) FROM " + name));
    contents.generated = contents.rows;
    return contents;
  }
  const std::string id = table.IdSql();
  SF_ASSIGN_OR_RETURN(QueryResult counts, connection.Query("SELECT count(*), COALESCE(max(" + id +
                                                           "), 0) FROM " + name));
  contents.rows = std::stoll(*counts.rows.at(0).at(0));
  contents.max_id = std::stoll(*counts.rows.at(0).at(1));
  if (!contents.history) {
    contents.generated = contents.rows;
    return contents;
  }
  SF_ASSIGN_OR_RETURN(const std::string generated_ids,
                      CountGenerated(connection, name, id, contents));
  if (contents.rows == contents.generated || table.unique_keys.empty()) return contents;
  // The unique values of the other rows, which new rows must keep clear of.
  std::string columns;
  for (const std::vector<int>& key : table.unique_keys) {
    for (const int column : key) {
      columns += columns.empty() ? "" : ", ";
      columns += connection.QuoteIdentifier(table.columns[static_cast<size_t>(column)].name);
    }
  }
  SF_ASSIGN_OR_RETURN(QueryResult values, connection.Query("SELECT " + columns + " FROM " + name +
                                                           " WHERE NOT (" + generated_ids + ")"));
  std::vector<std::string_view> key_values;
  for (const auto& row : values.rows) {
    size_t at = 0;
    for (size_t k = 0; k < table.unique_keys.size(); ++k) {
      key_values.clear();
      bool null = false;
      for (size_t c = 0; c < table.unique_keys[k].size(); ++c, ++at) {
        null = null || !row[at].has_value();
        key_values.push_back(row[at].has_value() ? std::string_view(*row[at]) : "");
      }
      if (null) continue;  // NULLs never conflict
      std::string& key = contents.foreign_unique_keys.emplace_back();
      EncodeUniqueKey(static_cast<int>(k), key_values, &key);
    }
  }
  return contents;
}

}  // namespace seedforge
