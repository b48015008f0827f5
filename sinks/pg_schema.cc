// Catalog reading and DDL generation (see pg_schema.h).
//
// Four catalog queries (tables, columns, constraints, indexes) cover every table at once, so
// the cost does not grow with a round trip per table. They run with search_path = pg_catalog so
// that format_type(), pg_get_constraintdef(), pg_get_indexdef() and pg_get_expr() qualify every
// name that is not in pg_catalog: the text is then independent of the reader's search_path and
// of the session that later runs the DDL. The previous search_path is put back afterwards.
//
// Dependency order is Kahn's algorithm over the foreign keys between the tables read, taking
// ready tables in (schema, name) order; when only cycles are left, the first remaining table in
// that order goes next. The same schema therefore always gives the same order.
#include "sinks/pg_schema.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "sinks/pg_connection.h"

namespace seedforge {
namespace {

// The keywords quote_ident() quotes: every category but "unreserved" (pg_get_keywords() with
// catcode <> 'U'). tests/db/pg_schema_test.cc checks this list against the server's.
constexpr std::string_view kQuotedKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

bool NeedsQuotes(std::string_view identifier) {
  if (identifier.empty()) return true;
  if (!(identifier[0] >= 'a' && identifier[0] <= 'z') && identifier[0] != '_') return true;
  for (const char c : identifier) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return true;
  }
  return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), identifier);
}

std::string Qualified(std::string_view schema, std::string_view name) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

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

bool IsKey(char type) { return type == 'p' || type == 'u' || type == 'x'; }

bool IsNotValid(const ConstraintDef& constraint) {
  constexpr std::string_view kSuffix = " NOT VALID";
  return constraint.definition.size() >= kSuffix.size() &&
         constraint.definition.compare(constraint.definition.size() - kSuffix.size(),
                                       kSuffix.size(), kSuffix) == 0;
}

// Constraints added after the rows: foreign keys and NOT VALID checks.
bool IsAddedLate(const ConstraintDef& constraint) {
  return constraint.type == 'f' || (constraint.type == 'c' && IsNotValid(constraint));
}

std::string AddConstraint(const TableDef& table, const ConstraintDef& constraint) {
  return "ALTER TABLE " + table.QualifiedName() + " ADD CONSTRAINT " +
         QuoteIdentifier(constraint.name) + " " + constraint.definition;
}

std::string DropConstraint(const TableDef& table, const ConstraintDef& constraint) {
  return "ALTER TABLE " + table.QualifiedName() + " DROP CONSTRAINT " +
         QuoteIdentifier(constraint.name);
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

// The item of `items` (columns, constraints or indexes) named `name`, or nullptr.
template <typename Item>
const Item* FindByName(const std::vector<Item>& items, const std::string& name) {
  for (const Item& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

// The first constraint or index (`kind`) missing from, added to or changed in `actual`; "" when
// they are the same.
template <typename Item>
std::string DescribeNamedDifference(const char* kind, const std::vector<Item>& expected,
                                    const std::vector<Item>& actual) {
  for (const Item& item : expected) {
    const Item* found = FindByName(actual, item.name);
    const std::string name = std::string(kind) + " " + QuoteIdentifier(item.name);
    if (found == nullptr) return name + " (" + item.definition + ") is missing";
    if (found->definition != item.definition) {
      return name + " is " + found->definition + ", expected " + item.definition;
    }
  }
  for (const Item& item : actual) {
    if (FindByName(expected, item.name) == nullptr) {
      return std::string(kind) + " " + QuoteIdentifier(item.name) + " (" + item.definition +
             ") is not expected";
    }
  }
  return "";
}

std::string Nullability(bool not_null) { return not_null ? "NOT NULL" : "nullable"; }

std::string IdentityText(char identity) {
  switch (identity) {
    case 'a':
      return "GENERATED ALWAYS AS IDENTITY";
    case 'd':
      return "GENERATED BY DEFAULT AS IDENTITY";
    default:
      return "not an identity";
  }
}

std::string DefaultText(const ColumnDef& column) {
  if (column.generated != 0) return "GENERATED ALWAYS AS (" + column.default_expr + ")";
  return column.default_expr.empty() ? "no default" : "DEFAULT " + column.default_expr;
}

std::string DescribeColumnDifference(const ColumnDef& expected, const ColumnDef& actual) {
  const std::string column = "column " + QuoteIdentifier(actual.name);
  if (expected.type != actual.type) {
    return column + " is " + actual.type + ", expected " + expected.type;
  }
  if (expected.collation != actual.collation) {
    const auto text = [](const std::string& c) {
      return c.empty() ? std::string("the default collation") : "collation " + c;
    };
    return column + " has " + text(actual.collation) + ", expected " + text(expected.collation);
  }
  if (expected.not_null != actual.not_null) {
    return column + " is " + Nullability(actual.not_null) + ", expected " +
           Nullability(expected.not_null);
  }
  if (expected.identity != actual.identity) {
    return column + " is " + IdentityText(actual.identity) + ", expected " +
           IdentityText(expected.identity);
  }
  if (expected.generated != actual.generated || expected.default_expr != actual.default_expr) {
    return column + " has " + DefaultText(actual) + ", expected " + DefaultText(expected);
  }
  return "";
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

std::string JoinStatements(const std::vector<std::string>& statements) {
  std::string sql;
  for (const std::string& statement : statements) sql += statement + ";\n";
  return sql;
}

// True when `text` can only be one expression, type or clause: no ';' and no comment outside
// string literals and quoted identifiers, quotes closed, parentheses balanced. What the catalog
// functions print always passes; text that would end the statement and start another never does.
bool IsOneExpression(std::string_view text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') return false;
    if (c == '\'' || c == '"') {  // a doubled quote inside closes and reopens: same result
      const size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
      continue;
    }
    if (c == ';') return false;
    if ((c == '-' || c == '/') && i + 1 < text.size() && text[i + 1] == (c == '-' ? '-' : '*')) {
      return false;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return false;
  }
  return depth == 0;
}

// One identifier as quote_ident() writes it: plain lower-case word, or "quoted""text".
size_t IdentifierLength(std::string_view text) {
  if (text.empty()) return 0;
  if (text[0] == '"') {
    for (size_t i = 1; i < text.size(); ++i) {
      if (text[i] != '"') continue;
      if (i + 1 < text.size() && text[i + 1] == '"') {
        ++i;
        continue;
      }
      return i > 1 ? i + 1 : 0;
    }
    return 0;
  }
  size_t i = 0;
  while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_' ||
                             (i > 0 && text[i] >= '0' && text[i] <= '9'))) {
    ++i;
  }
  return i;
}

bool IsQualified(std::string_view text) {
  const size_t first = IdentifierLength(text);
  if (first == 0 || first >= text.size() || text[first] != '.') return false;
  const std::string_view rest = text.substr(first + 1);
  return IdentifierLength(rest) == rest.size();
}

Status CheckNameLength(const std::string& name, const std::string& where) {
  if (name.empty() || name.size() > 63 || name.find('\0') != std::string::npos) {
    return FailedPrecondition(where + ": \"" + name.substr(0, 80) +
                              "\" is not a PostgreSQL name (1 to 63 bytes)");
  }
  return Status::Ok();
}

}  // namespace

std::string QuoteIdentifier(std::string_view identifier) {
  if (!NeedsQuotes(identifier)) return std::string(identifier);
  std::string quoted = "\"";
  for (const char c : identifier) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string TableDef::QualifiedName() const { return Qualified(schema, name); }

std::string TableDef::CopyColumnList() const {
  std::string list;
  for (const ColumnDef& column : columns) {
    if (column.generated != 0) continue;
    if (!list.empty()) list += ", ";
    list += QuoteIdentifier(column.name);
  }
  return list;
}

bool TableDef::RefersTo(const std::string& qualified) const {
  for (const ConstraintDef& constraint : constraints) {
    if (constraint.type == 'f' && constraint.referenced_table == qualified) return true;
  }
  return false;
}

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
          "s.seq::regclass) END "
          "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON "
          "d.adrelid = a.attrelid AND d.adnum = a.attnum LEFT JOIN pg_collation co ON co.oid = "
          "a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace CROSS JOIN "
          "LATERAL (SELECT pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) AS seq) "
          "s WHERE a.attrelid = ANY (" +
          oids + ") AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum"));
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
  }

  SF_ASSIGN_OR_RETURN(
      QueryResult constraints,
      connection.Query("SELECT c.conrelid, c.conname, c.contype, pg_get_constraintdef(c.oid), "
                       "rn.nspname, rc.relname FROM pg_constraint c LEFT JOIN pg_class rc ON "
                       "c.contype = 'f' AND rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON "
                       "rn.oid = rc.relnamespace WHERE c.conrelid = ANY (" +
                       oids + ") AND c.contype IN ('p', 'u', 'f', 'c', 'x')"));
  for (const auto& row : constraints.rows) {
    ConstraintDef& constraint = by_oid.at(*row[0])->constraints.emplace_back();
    constraint.name = *row[1];
    constraint.type = (*row[2])[0];
    constraint.definition = *row[3];
    if (row[4].has_value()) constraint.referenced_table = Qualified(*row[4], *row[5]);
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
  std::sort(defs.begin(), defs.end(), [](const TableDef& a, const TableDef& b) {
    return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
  });
  return DependencyOrder(std::move(defs));
}

std::vector<std::string> CreateTableStatements(const TableDef& table, KeyPlacement keys) {
  const std::string qualified = table.QualifiedName();
  std::vector<std::string> statements;
  std::vector<std::string> owned;
  for (const ColumnDef& column : table.columns) {
    if (column.sequence.empty() || column.identity != 0) continue;
    std::string create = "CREATE SEQUENCE IF NOT EXISTS " + column.sequence;
    if (!column.sequence_type.empty()) create += " AS " + column.sequence_type;
    statements.push_back(std::move(create));
    owned.push_back("ALTER SEQUENCE " + column.sequence + " OWNED BY " + qualified + "." +
                    QuoteIdentifier(column.name));
  }
  std::string sql = "CREATE TABLE " + qualified + " (";
  bool first = true;
  const auto item = [&](const std::string& text) {
    sql += first ? "\n    " : ",\n    ";
    sql += text;
    first = false;
  };
  for (const ColumnDef& column : table.columns) {
    std::string text = QuoteIdentifier(column.name) + " " + column.type;
    if (!column.collation.empty()) text += " COLLATE " + column.collation;
    if (column.identity != 0) {
      text += column.identity == 'a' ? " GENERATED ALWAYS AS IDENTITY"
                                     : " GENERATED BY DEFAULT AS IDENTITY";
      if (!column.sequence.empty()) text += " (SEQUENCE NAME " + column.sequence + ")";
    } else if (column.generated != 0) {
      text += " GENERATED ALWAYS AS (" + column.default_expr + ") STORED";
    } else if (!column.default_expr.empty()) {
      text += " DEFAULT " + column.default_expr;
    }
    if (column.not_null) text += " NOT NULL";
    item(text);
  }
  for (const ConstraintDef& constraint : table.constraints) {
    if (IsAddedLate(constraint)) continue;
    if (IsKey(constraint.type) && keys == KeyPlacement::kLater) continue;
    item("CONSTRAINT " + QuoteIdentifier(constraint.name) + " " + constraint.definition);
  }
  statements.push_back(sql + "\n)");
  for (std::string& statement : owned) statements.push_back(std::move(statement));
  return statements;
}

std::vector<std::string> AddKeysStatements(const TableDef& table) {
  std::vector<std::string> statements;
  for (const ConstraintDef& constraint : table.constraints) {
    if (IsKey(constraint.type)) statements.push_back(AddConstraint(table, constraint));
  }
  return statements;
}

std::vector<std::string> CreateIndexesStatements(const TableDef& table) {
  std::vector<std::string> statements;
  for (const IndexDef& index : table.indexes) statements.push_back(index.definition);
  return statements;
}

std::vector<std::string> AddForeignKeysStatements(const TableDef& table) {
  std::vector<std::string> statements;
  for (const ConstraintDef& constraint : table.constraints) {
    if (IsAddedLate(constraint)) statements.push_back(AddConstraint(table, constraint));
  }
  return statements;
}

std::vector<std::string> DropForeignKeysStatements(const TableDef& table) {
  std::vector<std::string> statements;
  for (const ConstraintDef& constraint : table.constraints) {
    if (constraint.type == 'f') statements.push_back(DropConstraint(table, constraint));
  }
  return statements;
}

std::vector<std::string> DropKeysAndIndexesStatements(const TableDef& table) {
  std::vector<std::string> statements;
  for (const IndexDef& index : table.indexes) {
    statements.push_back("DROP INDEX " + Qualified(table.schema, index.name));
  }
  for (const ConstraintDef& constraint : table.constraints) {
    if (IsKey(constraint.type)) statements.push_back(DropConstraint(table, constraint));
  }
  return statements;
}

std::string CreateTableSql(const TableDef& table, KeyPlacement keys) {
  return JoinStatements(CreateTableStatements(table, keys));
}
std::string AddKeysSql(const TableDef& table) { return JoinStatements(AddKeysStatements(table)); }
std::string CreateIndexesSql(const TableDef& table) {
  return JoinStatements(CreateIndexesStatements(table));
}
std::string AddForeignKeysSql(const TableDef& table) {
  return JoinStatements(AddForeignKeysStatements(table));
}
std::string DropForeignKeysSql(const TableDef& table) {
  return JoinStatements(DropForeignKeysStatements(table));
}
std::string DropKeysAndIndexesSql(const TableDef& table) {
  return JoinStatements(DropKeysAndIndexesStatements(table));
}

bool IsQualifiedName(std::string_view text) { return IsQualified(text); }

Status CheckName(const std::string& name, const std::string& where) {
  return CheckNameLength(name, where);
}

Status CheckTableDefForm(const TableDef& table, const std::string& where) {
  const auto bad = [&](const std::string& field, const std::string& text, const char* expected) {
    std::string shown = text.size() > 80 ? text.substr(0, 80) + "..." : text;
    return FailedPrecondition(where + "." + field + ": \"" + shown + "\" is not " + expected +
                              " as PostgreSQL's catalog writes it");
  };
  SF_RETURN_IF_ERROR(CheckNameLength(table.schema, where + ".schema"));
  SF_RETURN_IF_ERROR(CheckNameLength(table.name, where + ".name"));
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& c = table.columns[i];
    const std::string at = "columns[" + std::to_string(i) + "]";
    SF_RETURN_IF_ERROR(CheckNameLength(c.name, where + "." + at + ".name"));
    if (c.type.empty() || !IsOneExpression(c.type) || c.type.find('(') == 0) {
      return bad(at + ".type", c.type, "a type");
    }
    if (!IsOneExpression(c.default_expr)) return bad(at + ".default", c.default_expr, "a default");
    if (c.identity != 0 && c.identity != 'a' && c.identity != 'd') {
      return bad(at + ".identity", std::string(1, c.identity), "an identity kind");
    }
    if (c.generated != 0 && c.generated != 's') {
      return bad(at + ".generated", std::string(1, c.generated), "a generated-column kind");
    }
    if (!c.collation.empty() && !IsQualified(c.collation)) {
      return bad(at + ".collation", c.collation, "a qualified collation name");
    }
    if (!c.sequence.empty() && !IsQualified(c.sequence)) {
      return bad(at + ".sequence", c.sequence, "a qualified sequence name");
    }
    if (!c.sequence_type.empty() && !IsOneExpression(c.sequence_type)) {
      return bad(at + ".sequence_type", c.sequence_type, "a type");
    }
  }
  static constexpr std::pair<char, std::string_view> kPrefixes[] = {
      {'p', "PRIMARY KEY ("}, {'u', "UNIQUE ("}, {'u', "UNIQUE NULLS NOT DISTINCT ("},
      {'f', "FOREIGN KEY ("}, {'c', "CHECK ("},  {'x', "EXCLUDE USING "}};
  for (size_t i = 0; i < table.constraints.size(); ++i) {
    const ConstraintDef& c = table.constraints[i];
    const std::string at = "constraints[" + std::to_string(i) + "]";
    SF_RETURN_IF_ERROR(CheckNameLength(c.name, where + "." + at + ".name"));
    bool known = false;
    for (const auto& [type, prefix] : kPrefixes) {
      known = known || (c.type == type && c.definition.rfind(prefix, 0) == 0);
    }
    if (!known || !IsOneExpression(c.definition)) {
      return bad(at + ".definition", c.definition, "a constraint definition");
    }
    if (c.type == 'f' && !IsQualified(c.referenced_table)) {
      return bad(at + ".referenced_table", c.referenced_table, "a qualified table name");
    }
  }
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& index = table.indexes[i];
    const std::string at = "indexes[" + std::to_string(i) + "]";
    SF_RETURN_IF_ERROR(CheckNameLength(index.name, where + "." + at + ".name"));
    const std::string target =
        " " + QuoteIdentifier(index.name) + " ON " + table.QualifiedName() + " USING ";
    const std::string only_target =
        " " + QuoteIdentifier(index.name) + " ON ONLY " + table.QualifiedName() + " USING ";
    bool known = false;
    for (const char* create : {"CREATE INDEX", "CREATE UNIQUE INDEX"}) {
      known = known || index.definition.rfind(create + target, 0) == 0 ||
              index.definition.rfind(create + only_target, 0) == 0;
    }
    if (!known || !IsOneExpression(index.definition)) {
      return bad(at + ".definition", index.definition, "an index definition");
    }
  }
  return Status::Ok();
}

std::string DescribeDifference(const TableDef& expected, const TableDef& actual) {
  const std::string where = "table " + actual.QualifiedName() + ": ";
  if (expected.schema != actual.schema || expected.name != actual.name) {
    return "table " + actual.QualifiedName() + " is not table " + expected.QualifiedName();
  }
  for (const ColumnDef& column : expected.columns) {
    const ColumnDef* found = FindByName(actual.columns, column.name);
    if (found == nullptr) return where + "column " + QuoteIdentifier(column.name) + " is missing";
    std::string difference = DescribeColumnDifference(column, *found);
    if (!difference.empty()) return where + difference;
  }
  for (const ColumnDef& column : actual.columns) {
    if (FindByName(expected.columns, column.name) == nullptr) {
      return where + "column " + QuoteIdentifier(column.name) + " (" + column.type +
             ") is not expected";
    }
  }
  std::string difference =
      DescribeNamedDifference("constraint", expected.constraints, actual.constraints);
  if (difference.empty())
    difference = DescribeNamedDifference("index", expected.indexes, actual.indexes);
  return difference.empty() ? "" : where + difference;
}

}  // namespace seedforge
