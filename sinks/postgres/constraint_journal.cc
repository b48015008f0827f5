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

// Records in the journal and drops every foreign key `where` selects from pg_constraint.
Status DropForeignKeysWhere(PgConnection& connection, const std::string& where) {
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
  Status status =
      DropForeignKeysWhere(connection, "contype = 'f' AND conparentid = 0 AND (conrelid IN (" +
                                           list + ") OR confrelid IN (" + list + "))");
  if (status.ok()) status = transaction.Commit();
  return status.WithContext("dropping foreign keys for the bulk load");
}

Status JournalForeignKeysBetween(PgConnection& connection,
                                 const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string where;
  for (const auto& [table, referenced] : pairs) {
    where += where.empty() ? "contype = 'f' AND conparentid = 0 AND (" : " OR ";
    where += "(conrelid = " + connection.QuoteLiteral(table) +
             "::regclass AND confrelid = " + connection.QuoteLiteral(referenced) + "::regclass)";
  }
  SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
  Status status = DropForeignKeysWhere(connection, where + ")");
  if (status.ok()) status = transaction.Commit();
  return status.WithContext("parking foreign keys that refer to tables loaded later");
}

Status EarlyForeignKeys::Committed(PgConnection& connection, const std::string& oid) {
  std::set<std::string> loading;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loading_.erase(oid);
    loading = loading_;
  }
  // One connection at a time; the journal is read once the turn comes, so the connection that
  // commits the last table restores every key left.
  std::lock_guard<std::mutex> restoring(restoring_);
  // The journaled keys with the OIDs of their two tables (the referenced one read from the
  // definition; NULL when it cannot be resolved: then the key waits for the end of the load).
  SF_ASSIGN_OR_RETURN(
      QueryResult keys,
      connection.Query("SELECT table_name, constraint_name, definition, "
                       "to_regclass(table_name)::oid::text, to_regclass(substring(definition "
                       "FROM 'REFERENCES (.+?)\\('))::oid::text FROM " +
                       std::string(kPendingConstraintsTable) + " ORDER BY 1, 2"));
  for (const auto& row : keys.rows) {
    if (!row[3].has_value() || !row[4].has_value()) continue;
    if (loading.count(*row[3]) > 0 || loading.count(*row[4]) > 0) continue;
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
    Status status =
        connection.Execute("ALTER TABLE " + *row[0] + " ADD CONSTRAINT " + *row[1] + " " + *row[2] +
                           ";\nDELETE FROM " + std::string(kPendingConstraintsTable) +
                           " WHERE table_name = " + connection.QuoteLiteral(*row[0]) +
                           " AND constraint_name = " + connection.QuoteLiteral(*row[1]));
    if (status.ok()) status = transaction.Commit();
    // Rows that break the key (or a key restored by hand meanwhile) are
    // RestoreJournaledForeignKeys' to report; a lost connection or an interruption ends the load.
    if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kCancelled) {
      return status;
    }
    if (status.ok()) SF_FAILPOINT("sink.foreign_key_restored", *row[1]);
  }
  return Status::Ok();
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
