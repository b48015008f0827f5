// The PostgreSQL sink's checks before it writes (Sink::CheckSchema, sinks/sink.h): that the
// tables that exist take the rows generators write, that the missing ones can be created, and
// that the role may append to them. Each compares what a generator declares (TableSchema) with
// what the catalog holds (catalog.h); none changes anything.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/table_model.h"
#include "core/table_schema.h"

namespace seedforge {

class PgConnection;

// OK when `actual` takes the rows of `declared`: every declared column present with a type that
// holds its values (the same type; for numeric(12,2) also numeric without typmod or of a larger
// precision with 2 decimals), not generated, nullable where the rows hold NULLs, and no other
// NOT NULL column without a default. Otherwise kFailedPrecondition naming table and column.
Status CheckTableTakesRows(const TableSchema& declared, const TableDef& actual);

// Reads `table` from the catalog and checks it with CheckTableTakesRows. Returns false when it
// does not exist; kFailedPrecondition when the name is not a table or it cannot take the rows.
StatusOr<bool> CheckExistingTable(PgConnection& connection, const TableSchema& table);

// OK when the role may create table `missing` in the schema the session creates tables in;
// kFailedPrecondition when there is no such schema, kPermissionDenied when it lacks CREATE.
Status CheckCanCreate(PgConnection& connection, const std::string& missing);

// OK when the role may append to `table` and move its identity sequence; kPermissionDenied
// naming the table otherwise.
Status CheckCanAppend(PgConnection& connection, const TableSchema& table);

}  // namespace seedforge
