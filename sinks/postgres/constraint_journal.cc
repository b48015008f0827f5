// The constraint journal (see constraint_journal.h). Definitions are kept as
// pg_get_constraintdef() prints them, with the table as regclass text and the name quoted, so
// that restoring one is a plain ALTER TABLE ... ADD CONSTRAINT.
#include "sinks/postgres/constraint_journal.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <utility>

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

bool IsIndexDefinition(const std::string& definition) {
  return definition.rfind("CREATE ", 0) == 0;
}

// Builds `indexes` one after another on `connection`, each in a transaction that also deletes its
// journal row.
Status BuildIndexes(PgConnection& connection, const std::vector<JournaledIndex>& indexes) {
  for (const JournaledIndex& index : indexes) {
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
    Status status = connection.Execute(index.definition);
    if (status.ok()) {
      status = connection.Execute("DELETE FROM " + std::string(kPendingConstraintsTable) +
                                  " WHERE table_name = " + connection.QuoteLiteral(index.table) +
                                  " AND constraint_name = " + connection.QuoteLiteral(index.name));
    }
    if (status.ok()) status = transaction.Commit();
    if (!status.ok()) {
      return status.WithContext("table " + index.table + ": building index " + index.name +
                                " (kept in " + kPendingConstraintsTable +
                                ", which every seed retries)");
    }
    SF_FAILPOINT("sink.index_built", index.name);
  }
  return Status::Ok();
}

// Builds the journaled `indexes`: on two connections at once when there are two or more and a
// second connection can be opened, shared out largest table first to the one with less to do.
Status BuildJournaledIndexes(PgConnection& connection, const std::string& worker_conninfo,
                             std::vector<std::pair<int64_t, JournaledIndex>> indexes) {
  std::stable_sort(indexes.begin(), indexes.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<JournaledIndex> lanes[2];
  int64_t load[2] = {0, 0};
  for (auto& [size, index] : indexes) {
    const int lane = load[1] < load[0] ? 1 : 0;
    load[lane] += std::max<int64_t>(size, 1);
    lanes[lane].push_back(std::move(index));
  }
  std::unique_ptr<PgConnection> worker;
  if (!lanes[1].empty() && !worker_conninfo.empty()) {
    auto connected = PgConnection::Connect(worker_conninfo);
    if (connected.ok()) worker = std::move(connected).value();
  }
  if (worker == nullptr) {  // one connection builds them all
    lanes[0].insert(lanes[0].end(), lanes[1].begin(), lanes[1].end());
    return BuildIndexes(connection, lanes[0]);
  }
  Status second;
  std::thread thread([&] { second = BuildIndexes(*worker, lanes[1]); });
  const Status first = BuildIndexes(connection, lanes[0]);
  thread.join();
  SF_RETURN_IF_ERROR(first);
  return second;
}

}  // namespace

Status EarlyForeignKeys::Committed(PgConnection& connection, const std::string& oid) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loading_.erase(oid);
  }
  // The journaled keys with the OIDs of their two tables (the referenced one read from the
  // definition; NULL when it cannot be resolved: then the key waits for RestoreJournal).
  SF_ASSIGN_OR_RETURN(
      QueryResult keys,
      connection.Query("SELECT table_name, constraint_name, definition, "
                       "to_regclass(table_name)::oid::text, to_regclass(substring(definition "
                       "FROM 'REFERENCES (.+?)\\('))::oid::text FROM " +
                       std::string(kPendingConstraintsTable) +
                       " WHERE definition NOT LIKE 'CREATE %' ORDER BY 1, 2"));
  for (const auto& row : keys.rows) {
    if (!row[3].has_value() || !row[4].has_value()) continue;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (loading_.count(*row[3]) > 0 || loading_.count(*row[4]) > 0) continue;
      if (!taken_.insert(*row[0] + '\x1f' + *row[1]).second) continue;
    }
    SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
    Status status =
        connection.Execute("ALTER TABLE " + *row[0] + " ADD CONSTRAINT " + *row[1] + " " + *row[2] +
                           ";\nDELETE FROM " + std::string(kPendingConstraintsTable) +
                           " WHERE table_name = " + connection.QuoteLiteral(*row[0]) +
                           " AND constraint_name = " + connection.QuoteLiteral(*row[1]));
    if (status.ok()) status = transaction.Commit();
    // Rows that break the key (or a key restored by hand meanwhile) are RestoreJournal's to
    // report; a lost connection or an interruption ends the load.
    if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kCancelled) {
      return status;
    }
    if (status.ok()) SF_FAILPOINT("sink.foreign_key_restored", *row[1]);
  }
  return Status::Ok();
}

Status JournalIndexes(PgConnection& connection, const std::vector<JournaledIndex>& indexes) {
  std::string sql;
  for (const JournaledIndex& index : indexes) {
    sql += "INSERT INTO " + std::string(kPendingConstraintsTable) + " VALUES (" +
           connection.QuoteLiteral(index.table) + ", " + connection.QuoteLiteral(index.name) +
           ", " + connection.QuoteLiteral(index.definition) +
           ") ON CONFLICT (table_name, constraint_name) DO UPDATE SET definition = "
           "excluded.definition;\n";
  }
  return sql.empty() ? Status::Ok() : connection.Execute(sql);
}

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

Status RestoreJournal(PgConnection& connection, const std::string& worker_conninfo) {
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
      connection.Query("SELECT table_name, constraint_name, definition, CASE WHEN definition "
                       "LIKE 'CREATE %' THEN to_regclass(constraint_name) IS NOT NULL ELSE "
                       "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = "
                       "to_regclass(p.table_name) AND quote_ident(c.conname) = "
                       "p.constraint_name) END, coalesce(pg_relation_size(to_regclass("
                       "p.table_name)), 0) FROM " +
                       std::string(kPendingConstraintsTable) + " p ORDER BY 1, 2"));
  if (pending.rows.empty()) return Status::Ok();
  std::vector<std::pair<int64_t, JournaledIndex>> indexes;
  for (const auto& row : pending.rows) {
    if (*row[3] == "t" || !IsIndexDefinition(*row[2])) continue;
    indexes.push_back({std::stoll(*row[4]), JournaledIndex{*row[0], *row[1], *row[2]}});
  }
  SF_RETURN_IF_ERROR(BuildJournaledIndexes(connection, worker_conninfo, std::move(indexes)));
  SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
  for (const auto& row : pending.rows) {
    if (*row[3] == "t" || IsIndexDefinition(*row[2])) continue;  // restored by hand meanwhile
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
