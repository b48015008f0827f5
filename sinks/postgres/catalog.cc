// The catalog reader (see catalog.h).
//
// Five catalog queries (tables, columns, constraints, their key columns, indexes) cover every
// table at once, so the cost does not grow with a round trip per table. They run with
// search_path = pg_catalog so that format_type(), pg_get_constraintdef(), pg_get_indexdef() and
// pg_get_expr() qualify every name that is not in pg_catalog: the text is then independent of
// the reader's search_path and of the session that later runs the DDL. The previous search_path
// is put back afterwards.
//
// Dependency order is Kahn's algorithm over the foreign keys between the tables read, taking
// ready tables in (schema, name) order; when only cycles are left, the first remaining table in
// that order goes next. The same schema therefore always gives the same order.
#include "sinks/postgres/catalog.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "sinks/postgres/connection.h"
#include "sinks/postgres/transaction.h"

namespace seedforge {
namespace {

// Sets search_path = pg_catalog for its lifetime and puts the previous value back.
class CatalogSearchPath {
 public:
  explicit CatalogSearchPath(PgConnection& connection) : connection_(connection) {}
  ~CatalogSearchPath() {
    if (!previous_.empty()) {
      (void)connection_.Execute("SELECT pg_catalog.set_config('search_path', " +
                                connection_.QuoteLiteral(previous_) + ", false)");
    }
  }
  CatalogSearchPath(const CatalogSearchPath&) = delete;
  CatalogSearchPath& operator=(const CatalogSearchPath&) = delete;

  Status Enter() {
    SF_ASSIGN_OR_RETURN(previous_,
                        connection_.QueryValue("SELECT pg_catalog.current_setting('search_path')"));
    if (previous_.empty()) previous_ = "\"\"";
    return connection_.Execute("SET search_path = pg_catalog");
  }

 private:
  PgConnection& connection_;
  std::string previous_;
};

int ConstraintRank(char type) {
  switch (type) {
    case 'p':
      return 0;
    case 'u':
      return 1;
    case 'x':
      return 2;
    case 'c':
      return 3;
    default:
      return 4;
  }
}

// Orders `tables` (sorted by schema and name) so that referenced tables come first.
std::vector<TableDef> DependencyOrder(std::vector<TableDef> tables) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tables.size(); ++i) index[tables[i].QualifiedName()] = i;
  std::vector<std::set<size_t>> parents(tables.size());
  for (size_t i = 0; i < tables.size(); ++i) {
    for (const ConstraintDef& constraint : tables[i].constraints) {
      if (constraint.type != 'f') continue;
      const auto found = index.find(constraint.referenced_table);
      if (found != index.end() && found->second != i) parents[i].insert(found->second);
    }
  }
  std::vector<TableDef> ordered;
  std::vector<bool> done(tables.size(), false);
  while (ordered.size() < tables.size()) {
    size_t next = tables.size();
    for (size_t i = 0; i < tables.size() && next == tables.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (const size_t parent : parents[i]) ready = ready && done[parent];
      if (ready) next = i;
    }
    if (next == tables.size()) {  // only cycles left: break at the first remaining table
      for (size_t i = 0; i < tables.size() && next == tables.size(); ++i) {
        if (!done[i]) next = i;
      }
    }
    done[next] = true;
    ordered.push_back(std::move(tables[next]));
  }
  return ordered;
}

// The oids of `rows`' first column, as an oid[] literal.
std::string OidArray(const QueryResult& tables) {
  std::string array = "'{";
  for (size_t i = 0; i < tables.rows.size(); ++i) {
    if (i > 0) array += ",";
    array += *tables.rows[i][0];
  }
  return array + "}'::pg_catalog.oid[]";
}

void ReadColumns(const QueryResult& columns, const std::map<std::string, TableDef*>& by_oid) {
  for (const auto& row : columns.rows) {
    ColumnDef& column = by_oid.at(*row[0])->columns.emplace_back();
    column.name = *row[1];
    column.type = *row[2];
    column.not_null = row[3] == "t";
    column.identity = row[4]->empty() ? 0 : (*row[4])[0];
    column.generated = row[5]->empty() ? 0 : (*row[5])[0];
    column.default_expr = row[6].value_or("");
    column.collation = row[7].value_or("");
    column.sequence = row[8].value_or("");
    column.sequence_type = row[9].value_or("");
    column.base_type = row[10].value_or("");
    if (row[11].has_value() && !row[11]->empty()) {
      // One CHECK per line: pg_get_constraintdef() prints an expression on one line.
      size_t start = 0;
      while (start <= row[11]->size()) {
        const size_t end = std::min(row[11]->find('\n', start), row[11]->size());
        column.domain_checks.push_back(row[11]->substr(start, end - start));
        start = end + 1;
      }
    }
  }
}

// Fills in every table's columns, constraints and indexes. `tables` has one row per table:
// oid, schema, name, partitioned ('t'/'f'). REQUIRES: search_path is pg_catalog.
StatusOr<std::vector<TableDef>> ReadDefinitions(PgConnection& connection,
                                                const QueryResult& tables) {
  std::vector<TableDef> defs(tables.rows.size());
  std::map<std::string, TableDef*> by_oid;
  for (size_t i = 0; i < tables.rows.size(); ++i) {
    defs[i].schema = *tables.rows[i][1];
    defs[i].name = *tables.rows[i][2];
    defs[i].partitioned = tables.rows[i][3] == "t";
    by_oid[*tables.rows[i][0]] = &defs[i];
  }
  if (defs.empty()) return defs;
  const std::string oids = OidArray(tables);

  SF_ASSIGN_OR_RETURN(
      QueryResult columns,
      connection.Query(
          "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
          "a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid), CASE WHEN "
          "a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) "
          "|| '.' || quote_ident(co.collname) END, s.seq, CASE WHEN a.attidentity = '' THEN "
          "(SELECT format_type(q.seqtypid, NULL) FROM pg_sequence q WHERE q.seqrelid = "
          "s.seq::regclass) END, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, "
          "t.typtypmod) END, CASE WHEN t.typtype = 'd' THEN (SELECT string_agg("
          "pg_get_constraintdef(dc.oid), E'\\n' ORDER BY dc.conname) FROM pg_constraint dc WHERE "
          "dc.contypid = t.oid AND dc.contype = 'c') END "
          "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON "
          "d.adrelid = a.attrelid AND d.adnum = a.attnum LEFT JOIN pg_collation co ON co.oid = "
          "a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace CROSS JOIN "
          "LATERAL (SELECT pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) AS seq) "
          "s WHERE a.attrelid = ANY (" +
          oids + ") AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum"));
  ReadColumns(columns, by_oid);

  SF_ASSIGN_OR_RETURN(
      QueryResult constraints,
      connection.Query("SELECT c.conrelid, c.conname, c.contype, pg_get_constraintdef(c.oid), "
                       "rn.nspname, rc.relname FROM pg_constraint c LEFT JOIN pg_class rc ON "
                       "c.contype = 'f' AND rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON "
                       "rn.oid = rc.relnamespace WHERE c.conrelid = ANY (" +
                       oids +
                       // Not the clones of a foreign key to a partitioned table, one per partition
                       // it refers to (conparentid), which the server makes and drops with it.
                       ") AND c.contype IN ('p', 'u', 'f', 'c', 'x') AND c.conparentid = 0"));
  std::map<std::pair<std::string, std::string>, ConstraintDef*> by_name;
  for (const auto& row : constraints.rows) {
    ConstraintDef& constraint = by_oid.at(*row[0])->constraints.emplace_back();
    constraint.name = *row[1];
    constraint.type = (*row[2])[0];
    constraint.definition = *row[3];
    if (row[4].has_value()) constraint.referenced_table = QualifiedName(*row[4], *row[5]);
  }
  // Pointers taken once every vector has stopped growing.
  for (const auto& [oid, table] : by_oid) {
    for (ConstraintDef& constraint : table->constraints)
      by_name[{oid, constraint.name}] = &constraint;
  }
  // The key columns of keys and foreign keys (and the referenced ones), in key order.
  SF_ASSIGN_OR_RETURN(
      QueryResult key_columns,
      connection.Query("SELECT c.conrelid, c.conname, r.referenced, a.attname FROM pg_constraint "
                       "c CROSS JOIN LATERAL (SELECT false, c.conrelid, k, o FROM unnest(c.conkey) "
                       "WITH ORDINALITY u(k, o) UNION ALL SELECT true, c.confrelid, k, o FROM "
                       "unnest(c.confkey) WITH ORDINALITY u(k, o)) r(referenced, rel, attnum, o) "
                       "JOIN pg_attribute a ON a.attrelid = r.rel AND a.attnum = r.attnum WHERE "
                       "c.conrelid = ANY (" +
                       oids +
                       ") AND c.contype IN ('p', 'u', 'f') AND c.conparentid = 0 ORDER BY "
                       "c.conrelid, c.conname, "
                       "r.referenced, r.o"));
  for (const auto& row : key_columns.rows) {
    ConstraintDef* constraint = by_name.at({*row[0], *row[1]});
    (row[2] == "t" ? constraint->referenced_columns : constraint->columns).push_back(*row[3]);
  }

  SF_ASSIGN_OR_RETURN(
      QueryResult indexes,
      connection.Query("SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid) FROM "
                       "pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = "
                       "ANY (" +
                       oids +
                       ") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                       "i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', "
                       "'x'))"));
  for (const auto& row : indexes.rows) {
    by_oid.at(*row[0])->indexes.push_back({*row[1], *row[2]});
  }

  // User triggers, with what their functions' sources say they do.
  SF_ASSIGN_OR_RETURN(
      QueryResult triggers,
      connection.Query("SELECT t.tgrelid, t.tgname, quote_ident(pn.nspname) || '.' || "
                       "quote_ident(p.proname), l.lanname, (t.tgtype::integer & 66) <> 0, "
                       "(t.tgtype::integer & 1) <> 0, (t.tgtype::integer & 4) <> 0, p.prosrc "
                       "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace "
                       "pn ON pn.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
                       "WHERE t.tgrelid = ANY (" +
                       oids +
                       ") AND NOT t.tgisinternal AND t.tgenabled <> 'D' ORDER BY t.tgrelid, "
                       "t.tgname"));
  for (const auto& row : triggers.rows) {
    TriggerDef& trigger = by_oid.at(*row[0])->triggers.emplace_back();
    trigger.name = *row[1];
    trigger.function = *row[2];
    trigger.language = *row[3];
    trigger.before = row[4] == "t";
    trigger.row = row[5] == "t";
    trigger.on_insert = row[6] == "t";
    if (trigger.language == "plpgsql") trigger.source = ReadTriggerSource(row[7].value_or(""));
  }

  // Partitioned tables: the strategy, the key's columns and the partitions with their bounds.
  SF_ASSIGN_OR_RETURN(
      QueryResult keys,
      connection.Query("SELECT p.partrelid, p.partstrat, coalesce(a.attname::text, '') FROM "
                       "pg_partitioned_table p CROSS JOIN LATERAL unnest(p.partattrs::int2[]) "
                       "WITH ORDINALITY k(attnum, o) LEFT JOIN pg_attribute a ON a.attrelid = "
                       "p.partrelid AND a.attnum = k.attnum WHERE p.partrelid = ANY (" +
                       oids + ") ORDER BY p.partrelid, k.o"));
  for (const auto& row : keys.rows) {
    TableDef& table = *by_oid.at(*row[0]);
    table.partition_strategy = (*row[1])[0];
    table.partition_key.push_back(*row[2]);
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult partitions,
      connection.Query(
          "SELECT i.inhparent, CASE WHEN c.relnamespace = pc.relnamespace THEN "
          "quote_ident(c.relname) ELSE c.oid::regclass::text END, "
          "pg_get_expr(c.relpartbound, c.oid), c.relkind = 'p', c.oid FROM pg_inherits i "
          "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class pc ON pc.oid = "
          "i.inhparent WHERE i.inhparent = ANY (" +
          oids + ") AND c.relispartition ORDER BY i.inhparent, 2"));
  // Partition oid -> (its table, its index in the table's partitions).
  std::map<std::string, std::pair<TableDef*, size_t>> partition_by_oid;
  for (const auto& row : partitions.rows) {
    TableDef* table = by_oid.at(*row[0]);
    partition_by_oid[*row[4]] = {table, table->partitions.size()};
    table->partitions.push_back({*row[1], row[2].value_or(""), row[3] == "t", {}});
  }
  if (!partition_by_oid.empty()) {
    // A partition's own constraints: not clones of the partitioned table's (conparentid) and
    // not inherited CHECKs (coninhcount).
    SF_ASSIGN_OR_RETURN(
        QueryResult own,
        connection.Query("SELECT c.conrelid, c.conname, c.contype, pg_get_constraintdef(c.oid), "
                         "(SELECT string_agg(a.attname, E'\\n' ORDER BY k.o) FROM "
                         "unnest(c.conkey) WITH ORDINALITY k(attnum, o) JOIN pg_attribute a ON "
                         "a.attrelid = c.conrelid AND a.attnum = k.attnum) FROM pg_constraint c "
                         "JOIN pg_inherits i ON i.inhrelid = c.conrelid WHERE i.inhparent = ANY "
                         "(" +
                         oids +
                         ") AND c.conparentid = 0 AND c.coninhcount = 0 AND c.contype IN ('c', "
                         "'f', 'u', 'x') ORDER BY c.conrelid, c.conname"));
    for (const auto& row : own.rows) {
      ConstraintDef constraint;
      constraint.name = *row[1];
      constraint.type = (*row[2])[0];
      constraint.definition = *row[3];
      if (constraint.type != 'c' && row[4].has_value()) {
        size_t start = 0;
        for (size_t end; (end = row[4]->find('\n', start)) != std::string::npos; start = end + 1) {
          constraint.columns.push_back(row[4]->substr(start, end - start));
        }
        constraint.columns.push_back(row[4]->substr(start));
      }
      const auto& [table, index] = partition_by_oid.at(*row[0]);
      table->partitions[index].constraints.push_back(std::move(constraint));
    }
  }

  for (TableDef& table : defs) {
    std::sort(table.constraints.begin(), table.constraints.end(),
              [](const ConstraintDef& a, const ConstraintDef& b) {
                const int rank_a = ConstraintRank(a.type);
                const int rank_b = ConstraintRank(b.type);
                return rank_a != rank_b ? rank_a < rank_b : a.name < b.name;
              });
    std::sort(table.indexes.begin(), table.indexes.end(),
              [](const IndexDef& a, const IndexDef& b) { return a.name < b.name; });
  }
  return defs;
}

}  // namespace

StatusOr<std::vector<TableDef>> ReadTables(PgConnection& connection,
                                           const std::vector<std::string>& schemas,
                                           TableKinds kinds) {
  CatalogSearchPath search_path(connection);
  SF_RETURN_IF_ERROR(search_path.Enter());
  std::string schema_list;
  for (const std::string& schema : schemas) {
    schema_list += schema_list.empty() ? "" : ", ";
    schema_list += connection.QuoteLiteral(schema);
  }
  if (schema_list.empty()) return std::vector<TableDef>();
  SF_ASSIGN_OR_RETURN(
      QueryResult tables,
      connection.Query(std::string("SELECT c.oid, n.nspname, c.relname, c.relkind = 'p' FROM "
                                   "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE c.relkind IN ") +
                       (kinds == TableKinds::kOrdinary ? "('r')" : "('r', 'p')") +
                       " AND NOT c.relispartition AND n.nspname IN (" + schema_list +
                       ") ORDER BY c.oid"));
  SF_ASSIGN_OR_RETURN(std::vector<TableDef> defs, ReadDefinitions(connection, tables));
  std::sort(defs.begin(), defs.end(), [](const TableDef& a, const TableDef& b) {
    return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
  });
  return DependencyOrder(std::move(defs));
}

StatusOr<std::optional<TableDef>> ReadTable(PgConnection& connection, const std::string& name) {
  // Resolved before the search_path changes: `name` means what it means to the session.
  SF_ASSIGN_OR_RETURN(
      QueryResult tables,
      connection.Query("SELECT c.oid, n.nspname, c.relname, c.relkind = 'p', c.relkind FROM "
                       "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = "
                       "to_regclass(" +
                       connection.QuoteLiteral(name) + ")"));
  if (tables.rows.empty()) return std::optional<TableDef>();
  if (tables.rows[0][4] != "r" && tables.rows[0][4] != "p") {
    return FailedPrecondition(name + " exists but is not a table");
  }
  CatalogSearchPath search_path(connection);
  SF_RETURN_IF_ERROR(search_path.Enter());
  SF_ASSIGN_OR_RETURN(std::vector<TableDef> defs, ReadDefinitions(connection, tables));
  return std::optional<TableDef>(std::move(defs.at(0)));
}

StatusOr<std::map<std::string, std::string>> NormalizedCheckDefinitions(PgConnection& connection,
                                                                        const TableDef& declared,
                                                                        const TableDef& actual) {
  std::map<std::string, std::string> normalized;
  std::set<std::string> names;
  bool other_names = false;  // `actual` has a CHECK the declaration does not name
  for (const ConstraintDef& constraint : declared.constraints) {
    if (constraint.type == 'c') names.insert(constraint.name);
  }
  std::vector<const ConstraintDef*> wanted;
  for (const ConstraintDef& found : actual.constraints) {
    if (found.type != 'c') continue;
    other_names = other_names || names.count(found.name) == 0;
    names.erase(found.name);
  }
  for (const ConstraintDef& constraint : declared.constraints) {
    if (constraint.type == 'c' && names.count(constraint.name) > 0) wanted.push_back(&constraint);
  }
  if (wanted.empty() || !other_names) return normalized;
  SF_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection));
  constexpr const char* kProbe = "pg_temp.seedforge_check_probe";
  if (!connection
           .Execute(std::string("CREATE TEMPORARY TABLE ") + kProbe + " (LIKE " +
                    actual.QualifiedName() + ")")
           .ok()) {
    return normalized;  // rolled back; matched by name only
  }
  for (size_t i = 0; i < wanted.size(); ++i) {
    // Each in a savepoint: a predicate the server refuses leaves the others.
    const Status added =
        connection.Execute("SAVEPOINT seedforge_probe; ALTER TABLE " + std::string(kProbe) +
                           " ADD CONSTRAINT seedforge_probe_" + std::to_string(i) + " " +
                           wanted[i]->definition + "; RELEASE SAVEPOINT seedforge_probe");
    if (!added.ok()) {
      SF_RETURN_IF_ERROR(connection.Execute("ROLLBACK TO SAVEPOINT seedforge_probe"));
    }
  }
  // Printed as ReadTable prints the table's own (CatalogSearchPath), inside the transaction.
  SF_RETURN_IF_ERROR(connection.Execute("SET LOCAL search_path = pg_catalog"));
  SF_ASSIGN_OR_RETURN(
      QueryResult definitions,
      connection.Query("SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = '" +
                       std::string(kProbe) + "'::regclass AND contype = 'c'"));
  for (const auto& row : definitions.rows) {
    const std::string name = row[0].value_or("");
    const std::string prefix = "seedforge_probe_";
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t index = std::stoul(name.substr(prefix.size()));
    if (index < wanted.size()) normalized[wanted[index]->name] = row[1].value_or("");
  }
  transaction.Rollback();
  return normalized;
}

StatusOr<bool> RelationExists(PgConnection& connection, const std::string& name) {
  SF_ASSIGN_OR_RETURN(QueryResult exists, connection.Query("SELECT to_regclass(" +
                                                           connection.QuoteLiteral(name) + ")"));
  return exists.rows.at(0).at(0).has_value();
}

StatusOr<bool> OwnsRelation(PgConnection& connection, const std::string& name) {
  SF_ASSIGN_OR_RETURN(
      std::string owns,
      connection.QueryValue("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                            "WHERE oid = " +
                            connection.QuoteLiteral(name) + "::regclass"));
  return owns == "t";
}

}  // namespace seedforge
