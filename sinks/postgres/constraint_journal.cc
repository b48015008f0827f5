// The constraint journal (see constraint_journal.h). Definitions are kept as
// pg_get_constraintdef() prints them, with the table as regclass text and the name quoted, so
// that restoring one is a plain ALTER TABLE ... ADD CONSTRAINT.
#include "sinks/postgres/constraint_journal.h"

#include <string>

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/transaction.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

// Records in the journal and drops every foreign key from or to `tables` (regclass literals).
Status DropForeignKeysInto(PgConnection& connection, const std::string& tables) {
  const std::string where =
      "contype = 'f' AND (conrelid IN (" + tables + ") OR confrelid IN (" + tables + "))";
  SF_ASSIGN_OR_RETURN(QueryResult keys,
                      connection.Query("SELECT conrelid::regclass::text, quote_ident(conname) FROM "
                                       "pg_constraint WHERE " +
                                       where + " ORDER BY 1, 2"));
  SF_RETURN_IF_ERROR(connection.Execute(
      "INSERT INTO " + std::string(kPendingConstraintsTable) +
      " SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM "
      "pg_constraint WHERE " +
      where + " ON CONFLICT DO NOTHING"));
  std::string drop;
  for (const auto& row : keys.rows) {
    drop += "ALTER TABLE " + *row[0] + " DROP CONSTRAINT " + *row[1] + ";\n";
  }
  return drop.empty() ? Status::Ok() : connection.Execute(drop);
}

}  // namespace

StatusOr<bool> CreateConstraintJournal(PgConnection& connection) {
  Status created = connection.Execute(
      "CREATE SCHEMA IF NOT EXISTS seedforge; CREATE TABLE IF NOT EXISTS " +
      std::string(kPendingConstraintsTable) +
      " (table_name text NOT NULL, constraint_name text NOT NULL, definition text NOT NULL, "
      "PRIMARY KEY (table_name, constraint_name))");
  if (created.code() == StatusCode::kPermissionDenied) return false;
  SF_RETURN_IF_ERROR(created.WithContext("creating " + std::string(kPendingConstraintsTable)));
  return true;
}

Status JournalForeignKeys(PgConnection& connection, const std::set<std::string>& tables) {
  std::string list;
  for (const std::string& name : tables) {
    list += list.empty() ? "" : ", ";
    list += connection.QuoteLiteral(connection.QuoteIdentifier(name)) + "::regclass";
  }
  SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
  Status status = DropForeignKeysInto(connection, list);
  if (status.ok()) status = transaction.Commit();
  return status.WithContext("dropping foreign keys for the bulk load");
}

Status RestoreJournaledForeignKeys(PgConnection& connection) {
  SF_ASSIGN_OR_RETURN(
      QueryResult journal,
      connection.Query("SELECT has_schema_privilege(n.oid, 'USAGE') AND "
                       "has_table_privilege(c.oid, 'SELECT, DELETE') FROM pg_class c JOIN "
                       "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname || '.' || "
                       "c.relname = " +
                       connection.QuoteLiteral(kPendingConstraintsTable)));
  if (journal.rows.empty() || journal.rows[0][0] != "t") return Status::Ok();
  SF_ASSIGN_OR_RETURN(
      QueryResult pending,
      connection.Query("SELECT table_name, constraint_name, definition, EXISTS (SELECT 1 FROM "
                       "pg_constraint c WHERE c.conrelid = to_regclass(p.table_name) AND "
                       "quote_ident(c.conname) = p.constraint_name) FROM " +
                       std::string(kPendingConstraintsTable) + " p ORDER BY 1, 2"));
  if (pending.rows.empty()) return Status::Ok();
  SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
  for (const auto& row : pending.rows) {
    if (*row[3] == "t") continue;  // restored by hand meanwhile
    Status status =
        connection.Execute("ALTER TABLE " + *row[0] + " ADD CONSTRAINT " + *row[1] + " " + *row[2]);
    if (!status.ok()) {
      return status.WithContext(
          "table " + *row[0] + ": restoring foreign key " + *row[1] + " (kept in " +
          kPendingConstraintsTable +
          ", which every seed retries; fix the rows that break it, or run `seedforge reset`, "
          "which empties the tables and then restores it)");
    }
  }
  SF_RETURN_IF_ERROR(connection.Execute("DELETE FROM " + std::string(kPendingConstraintsTable)));
  SF_FAILPOINT("sink.foreign_keys_before_commit", "");
  return transaction.Commit();
}

}  // namespace seedforge
