// The PostgreSQL sink's checks before it writes (Sink::CheckSchema, sinks/sink.h): that the
// tables that exist take the rows generators write, that the missing ones can be created, and
// that the role may append to them. Each compares what a generator declares (TableSchema) with
// what the catalog holds (catalog.h); none changes anything.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/table_model.h"
#include "core/table_schema.h"
#include "sinks/encoding.h"

namespace seedforge {

class PgConnection;

// OK when `actual` takes the rows of `declared` (columns matched by name, in any order): every
// declared column present with a type that holds every value its generator writes, not
// generated, nullable where the rows hold NULLs, and no other NOT NULL column without a default.
// A type holds the values when it is the declared type, or by what the generator writes
// (ColumnSchema::writes): integers into smallint/integer/bigint holding their range (ids and
// references: any integer type, their range is CheckIdsFit's), decimals into a numeric with
// enough integer and fraction digits, text into text/varchar(n)/char(n) of at least the longest
// value, MAC, IP and UUID values into a character type as long as their text, JSON into json,
// jsonb or text. Returns, per declared column, how binary COPY sends it (sinks/encoding.h), or an
// empty vector when every column has the declared type. Otherwise kInvalidArgument (bad input:
// exit 2), one line
// naming table, column, the type found and the longest value or range needed: "table users:
// column username is character varying(8), generator 'template' writes up to 40 characters".
StatusOr<std::vector<WireType>> TableTakesRows(const TableSchema& declared, const TableDef& actual);
// TableTakesRows without the wire types.
Status CheckTableTakesRows(const TableSchema& declared, const TableDef& actual);

// OK when every id and reference column of `declared` found in `actual` holds the ids it will be
// given: 1 to largest_ids[the table whose ids they are] (TableSchema::name; tables not in the map
// are not checked). Otherwise kInvalidArgument: "table users: column id is smallint,
// generator 'id' writes ids up to 40000".
Status CheckIdsFit(const TableSchema& declared, const TableDef& actual,
                   const std::map<std::string, int64_t>& largest_ids);

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
// creates it) or is an enum with every declared label; kInvalidArgument naming the type when
// it lacks labels or is not an enum. Returns in *missing the types to create.
Status CheckEnumTypes(PgConnection& connection, const std::vector<const EnumTypeDef*>& declared,
                      std::vector<const EnumTypeDef*>* missing);

// OK when every enum type a column of the (missing) `table` names without declaring it exists;
// kInvalidArgument "table t: column c is of type mood, which the database does not have".
Status CheckUndeclaredEnumsExist(PgConnection& connection, const TableSchema& table);

// OK when the role may create `missing` ("table users", "type mood") in the schema the session
// creates tables in;
// kFailedPrecondition when there is no such schema, kPermissionDenied when it lacks CREATE.
Status CheckCanCreate(PgConnection& connection, const std::string& missing);

// OK when the role may append to `table` and move its identity sequence; kPermissionDenied
// naming the table otherwise.
Status CheckCanAppend(PgConnection& connection, const TableSchema& table);

}  // namespace seedforge
