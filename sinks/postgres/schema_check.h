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

// The enum types the columns of `tables` take from their declaration (ColumnSchema::
// declared_enum), each once, in the order the columns first name them.
std::vector<const EnumTypeDef*> DeclaredEnumTypes(const std::vector<const TableSchema*>& tables);

// "" when an existing enum with labels `actual` takes the values of `declared` (every declared
// label is in it; more labels, in any order, are fine); otherwise one line naming the type and
// the labels it lacks: "type order_status lacks the labels refunded, void (declared: pending,
// paid, refunded, void)".
std::string DescribeMissingLabels(const EnumTypeDef& declared,
                                  const std::vector<std::string>& actual);

// Checks each declared enum type against the database: OK when it is missing (CreateSchema
// creates it) or is an enum with every declared label; kFailedPrecondition naming the type when
// it lacks labels or is not an enum. Returns in *missing the types to create.
Status CheckEnumTypes(PgConnection& connection, const std::vector<const EnumTypeDef*>& declared,
                      std::vector<const EnumTypeDef*>* missing);

// OK when every enum type a column of the (missing) `table` names without declaring it exists;
// kFailedPrecondition "table t: column c is of type mood, which the database does not have".
Status CheckUndeclaredEnumsExist(PgConnection& connection, const TableSchema& table);

// OK when the role may create `missing` ("table users", "type mood") in the schema the session
// creates tables in;
// kFailedPrecondition when there is no such schema, kPermissionDenied when it lacks CREATE.
Status CheckCanCreate(PgConnection& connection, const std::string& missing);

// OK when the role may append to `table` and move its identity sequence; kPermissionDenied
// naming the table otherwise.
Status CheckCanAppend(PgConnection& connection, const TableSchema& table);

}  // namespace seedforge
