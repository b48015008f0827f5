// The catalog reader and DDL (sinks/postgres/catalog.h, ddl.h) against a real server: quoting as
// quote_ident() does, the fleet's tables read in dependency order with their exact definitions, DDL
// that recreates a schema reading back identical (fleet and awkward tables: quoted names, serial,
// collation, generated columns, exclusion and NOT VALID constraints, a foreign-key cycle), and the
// one-line differences.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "generators/declared/declared_tables.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/ddl.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::QueryValue;
using testing::RunSeedforge;
using testing::TestCluster;

std::unique_ptr<PgConnection> Connect(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  EXPECT_TRUE(connection.ok()) << connection.status().message();
  return std::move(connection).value();
}

std::vector<TableDef> Read(const std::string& url, const std::vector<std::string>& schemas) {
  auto connection = Connect(url);
  auto tables = ReadTables(*connection, schemas);
  EXPECT_TRUE(tables.ok()) << tables.status().message();
  return tables.ok() ? *tables : std::vector<TableDef>();
}

std::vector<std::string> Names(const std::vector<TableDef>& tables) {
  std::vector<std::string> names;
  for (const TableDef& table : tables) names.push_back(table.QualifiedName());
  return names;
}

std::string SeededFleet(const std::string& prefix) {
  const std::string url = TestCluster::Get().CreateDatabase(prefix);
  const auto result = RunSeedforge({"seed", "--db", url, "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return url;
}

// Runs the DDL of `tables` on `url` the way a bulk load would (or with keys inline).
void Recreate(const std::string& url, const std::vector<TableDef>& tables, KeyPlacement keys) {
  std::string sql;
  for (const TableDef& table : tables) sql += CreateTableSql(table, keys);
  if (keys == KeyPlacement::kLater) {
    for (const TableDef& table : tables) sql += AddKeysSql(table);
  }
  for (const TableDef& table : tables) sql += CreateIndexesSql(table);
  for (const TableDef& table : tables) sql += AddForeignKeysSql(table);
  Execute(url, sql);
}

void ExpectSameTables(const std::vector<TableDef>& expected, const std::vector<TableDef>& actual) {
  ASSERT_EQ(Names(actual), Names(expected));
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(DescribeDifference(expected[i], actual[i]), "");
    EXPECT_EQ(CreateTableSql(actual[i]), CreateTableSql(expected[i]));
  }
}

TEST(PgSchema, QuoteIdentifierQuotesExactlyAsTheServerDoes) {
  auto connection = Connect(TestCluster::Get().AdminUrl());
  auto words = connection->Query(
      "SELECT word FROM pg_get_keywords() UNION ALL SELECT unnest(ARRAY['users', '_x', 'a1', "
      "'Order', 'a b', '1a', 'x\"y', '', 'é', 'created_by'])");
  ASSERT_TRUE(words.ok()) << words.status().message();
  ASSERT_GT(words->rows.size(), 400u);
  for (const auto& row : words->rows) {
    auto quoted =
        connection->QueryValue("SELECT quote_ident(" + connection->QuoteLiteral(*row[0]) + ")");
    ASSERT_TRUE(quoted.ok());
    EXPECT_EQ(QuoteIdentifier(*row[0]), *quoted) << "for " << *row[0];
  }
}

TEST(PgSchema, ReadsTheFleetInDependencyOrderWithItsDefinitions) {
  const std::string url = SeededFleet("schema_read");
  const auto tables = Read(url, {"public", "seedforge"});
  EXPECT_EQ(Names(tables),
            (std::vector<std::string>{"public.users", "public.applications", "public.assets",
                                      "public.deployments", "public.events",
                                      "seedforge.pending_constraints", "seedforge.runs",
                                      "seedforge.segments"}));
  const TableDef& users = tables[0];
  ASSERT_EQ(users.columns.size(), 9u);
  EXPECT_EQ(users.columns[0].name, "id");
  EXPECT_EQ(users.columns[0].type, "bigint");
  EXPECT_EQ(users.columns[0].identity, 'd');
  EXPECT_EQ(users.columns[0].sequence, "public.users_id_seq");
  EXPECT_TRUE(users.columns[0].not_null);
  EXPECT_EQ(users.columns[7].name, "created_by");
  EXPECT_FALSE(users.columns[7].not_null);
  EXPECT_EQ(users.columns[8].type, "timestamp with time zone");
  ASSERT_EQ(users.constraints.size(), 4u);
  EXPECT_EQ(users.constraints[0].name, "users_pkey");
  EXPECT_EQ(users.constraints[0].type, 'p');
  EXPECT_EQ(users.constraints[0].definition, "PRIMARY KEY (id)");
  EXPECT_EQ(users.constraints[1].name, "users_email_key");
  EXPECT_EQ(users.constraints[2].name, "users_username_key");
  EXPECT_EQ(users.constraints[3].name, "users_created_by_fkey");
  EXPECT_EQ(users.constraints[3].type, 'f');
  EXPECT_EQ(users.constraints[3].referenced_table, "public.users");
  EXPECT_EQ(users.constraints[3].definition,
            "FOREIGN KEY (created_by) REFERENCES public.users(id) DEFERRABLE INITIALLY DEFERRED");
  EXPECT_TRUE(users.indexes.empty());
  EXPECT_TRUE(users.RefersTo("public.users"));
  EXPECT_FALSE(users.RefersTo("public.assets"));

  const TableDef& events = tables[4];
  ASSERT_EQ(events.indexes.size(), 2u);
  EXPECT_EQ(events.indexes[0].name, "events_asset_id_idx");
  EXPECT_EQ(events.indexes[0].definition,
            "CREATE INDEX events_asset_id_idx ON public.events USING btree (asset_id)");
  EXPECT_EQ(events.columns[7].type, "jsonb");
  EXPECT_EQ(events.CopyColumnList(),
            "id, asset_id, user_id, deployment_id, event_type, severity, occurred_at, payload");
  EXPECT_EQ(tables[1].columns[6].type, "numeric(12,2)");
  EXPECT_EQ(tables[1].constraints.back().type, 'f');
  EXPECT_EQ(tables[1].constraints[2].definition, "CHECK ((package_size_mb > (0)::numeric))");

  // Schemas that do not exist are skipped; the search_path is left as it was.
  auto connection = Connect(url);
  ASSERT_TRUE(connection->Execute("SET search_path = seedforge, public").ok());
  auto only = ReadTables(*connection, {"nosuchschema", "seedforge"});
  ASSERT_TRUE(only.ok()) << only.status().message();
  EXPECT_EQ(Names(*only), (std::vector<std::string>{"seedforge.pending_constraints",
                                                    "seedforge.runs", "seedforge.segments"}));
  EXPECT_EQ(*connection->QueryValue("SHOW search_path"), "seedforge, public");
}

TEST(PgSchema, GeneratedDdlRecreatesTheFleetExactly) {
  const std::string source = SeededFleet("schema_fleet_src");
  const auto expected = Read(source, {"public", "seedforge"});
  for (const KeyPlacement keys : {KeyPlacement::kInline, KeyPlacement::kLater}) {
    const std::string target = TestCluster::Get().CreateDatabase("schema_fleet_dst");
    Execute(target, "CREATE SCHEMA seedforge");
    Recreate(target, expected, keys);
    ExpectSameTables(expected, Read(target, {"public", "seedforge"}));
  }
  EXPECT_EQ(CreateTableSql(expected[0]),
            "CREATE TABLE public.users (\n"
            "    id bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.users_id_seq) "
            "NOT NULL,\n"
            "    username text NOT NULL,\n"
            "    email text NOT NULL,\n"
            "    full_name text NOT NULL,\n"
            "    department text NOT NULL,\n"
            "    role text NOT NULL,\n"
            "    is_active boolean NOT NULL,\n"
            "    created_by bigint,\n"
            "    created_at timestamp with time zone NOT NULL,\n"
            "    CONSTRAINT users_pkey PRIMARY KEY (id),\n"
            "    CONSTRAINT users_email_key UNIQUE (email),\n"
            "    CONSTRAINT users_username_key UNIQUE (username)\n"
            ");\n");
  EXPECT_EQ(AddForeignKeysSql(expected[0]),
            "ALTER TABLE public.users ADD CONSTRAINT users_created_by_fkey FOREIGN KEY "
            "(created_by) REFERENCES public.users(id) DEFERRABLE INITIALLY DEFERRED;\n");
  EXPECT_EQ(DropForeignKeysSql(expected[0]),
            "ALTER TABLE public.users DROP CONSTRAINT users_created_by_fkey;\n");
  EXPECT_EQ(DropKeysAndIndexesSql(expected[4]),
            "DROP INDEX public.events_asset_id_idx;\n"
            "DROP INDEX public.events_occurred_at_idx;\n"
            "ALTER TABLE public.events DROP CONSTRAINT events_pkey;\n");
}

const char kAwkwardSchema[] = R"sql(
CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Order" (
  "Id" serial PRIMARY KEY,
  "select" text COLLATE "C" NOT NULL DEFAULT 'x',
  qty integer NOT NULL CHECK (qty > 0),
  total integer GENERATED ALWAYS AS (qty * 2) STORED,
  during int4range,
  parent integer REFERENCES "My Schema"."Order" ("Id") ON DELETE CASCADE,
  CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE "My Schema"."Order" ADD CONSTRAINT later_check CHECK (qty < 100) NOT VALID;
CREATE UNIQUE INDEX order_lower_idx ON "My Schema"."Order" (lower("select")) WHERE qty > 1;
CREATE TABLE "My Schema".b (id bigint PRIMARY KEY, a_id bigint);
CREATE TABLE "My Schema".a (id bigint PRIMARY KEY, b_id bigint REFERENCES "My Schema".b (id));
ALTER TABLE "My Schema".b ADD CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES "My Schema".a (id);
)sql";

TEST(PgSchema, GeneratedDdlRecreatesAwkwardTablesAndBreaksCyclesDeterministically) {
  const std::string source = TestCluster::Get().CreateDatabase("schema_awkward_src");
  Execute(source, kAwkwardSchema);
  const auto expected = Read(source, {"My Schema"});
  // a and b refer to each other: the cycle is broken at the first in name order.
  EXPECT_EQ(Names(expected), (std::vector<std::string>{"\"My Schema\".\"Order\"", "\"My Schema\".a",
                                                       "\"My Schema\".b"}));
  const TableDef& order = expected[0];
  ASSERT_EQ(order.columns.size(), 6u);
  EXPECT_EQ(order.columns[0].sequence, "\"My Schema\".\"Order_Id_seq\"");
  EXPECT_EQ(order.columns[0].sequence_type, "integer");
  EXPECT_EQ(order.columns[0].default_expr, "nextval('\"My Schema\".\"Order_Id_seq\"'::regclass)");
  EXPECT_EQ(order.columns[1].collation, "pg_catalog.\"C\"");
  EXPECT_EQ(order.columns[3].generated, 's');
  EXPECT_EQ(order.CopyColumnList(), "\"Id\", \"select\", qty, during, parent");
  for (const KeyPlacement keys : {KeyPlacement::kInline, KeyPlacement::kLater}) {
    const std::string target = TestCluster::Get().CreateDatabase("schema_awkward_dst");
    Execute(target, "CREATE SCHEMA \"My Schema\"");
    Recreate(target, expected, keys);
    ExpectSameTables(expected, Read(target, {"My Schema"}));
  }
}

struct Change {
  std::string alter;
  std::string difference;
};

// The server is the oracle: a table created without naming its keys and indexes gets the names
// PostgreSQL chooses (shortened to 63 bytes, a digit after the label on a clash); the same table
// declared in a profile must get the same names.
TEST(PgSchema, DeclaredNamesAreTheNamesTheServerChoosesForLongTablesAndColumns) {
  const std::string table(40, 't');
  const std::string one = std::string(50, 'c') + "_one";
  const std::string two = std::string(50, 'c') + "_two";
  const std::string ref = "parent_reference_column_with_a_rather_long_name";
  const std::string url = TestCluster::Get().CreateDatabase("object_names");
  Execute(url,
          "CREATE TABLE parents (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY); "
          "CREATE TABLE " +
              table + " (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, " + one +
              " uuid NOT NULL UNIQUE, " + two + " uuid NOT NULL UNIQUE, " + ref +
              " bigint NOT NULL REFERENCES parents (id)); CREATE INDEX ON " + table + " (" + ref +
              ")");
  const std::string server = QueryValue(
      url,
      "SELECT string_agg(name, ' ' ORDER BY name) FROM (SELECT conname::text AS name FROM "
      "pg_constraint WHERE conrelid = '" +
          table +
          "'::regclass UNION SELECT indexname::text "
          "FROM pg_indexes WHERE tablename = '" +
          table +
          "' AND indexname NOT IN (SELECT conname "
          "FROM pg_constraint)) n");

  DeclareOptions options;
  options.origin = "names.json";
  auto declared = CompileDeclaredTables(
      R"({"parents": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"}}}, ")" + table +
          R"(": {"rows": 1, "indexes": [[")" + ref +
          R"("]], "columns": {"id": {"type": "bigint", "gen": "id"}, ")" + one +
          R"(": {"type": "uuid", "gen": "uuid", "unique": true}, ")" + two +
          R"(": {"type": "uuid", "gen": "uuid", "unique": true}, ")" + ref +
          R"(": {"type": "bigint", "gen": "ref", "to": "parents"}}}})",
      options);
  ASSERT_TRUE(declared.ok()) << declared.status().message();
  std::vector<std::string> names;
  for (const TableSchema& schema : declared->model->schemas()) {
    if (schema.name != table) continue;
    for (const ConstraintDef& constraint : schema.table.constraints)
      names.push_back(constraint.name);
    for (const IndexDef& index : schema.table.indexes) names.push_back(index.name);
  }
  std::sort(names.begin(), names.end());
  std::string model;
  for (const std::string& name : names) model += (model.empty() ? "" : " ") + name;
  EXPECT_EQ(model, server);
  // Spelled out: every name fits in 63 bytes; the second clipped unique key has a 1, and is
  // clipped one byte more for it.
  EXPECT_EQ(server,
            "ttttttttttttttttttttttttttttt_cccccccccccccccccccccccccccc_key1 "
            "ttttttttttttttttttttttttttttt_ccccccccccccccccccccccccccccc_key "
            "ttttttttttttttttttttttttttttt_parent_reference_column_with__idx "
            "ttttttttttttttttttttttttttttt_parent_reference_column_with_fkey "
            "tttttttttttttttttttttttttttttttttttttttt_pkey");
}

TEST(PgSchema, DescribeDifferenceNamesTheFirstDifference) {
  const std::string source = SeededFleet("schema_diff");
  const auto expected = Read(source, {"public"});
  const std::vector<Change> changes = {
      {"ALTER TABLE users ALTER COLUMN email TYPE varchar(200)",
       "table public.users: column email is character varying(200), expected text"},
      {"ALTER TABLE users ALTER COLUMN role DROP NOT NULL",
       "table public.users: column role is nullable, expected NOT NULL"},
      {"ALTER TABLE users ALTER COLUMN role SET DEFAULT 'staff'",
       "table public.users: column role has DEFAULT 'staff'::text, expected no default"},
      {"ALTER TABLE users DROP COLUMN department",
       "table public.users: column department is missing"},
      {"ALTER TABLE users ADD COLUMN nickname text",
       "table public.users: column nickname (text) is not expected"},
      {"ALTER TABLE users DROP CONSTRAINT users_email_key",
       "table public.users: constraint users_email_key (UNIQUE (email)) is missing"},
      {"ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role <> '')",
       "table public.users: constraint users_role_check (CHECK ((role <> ''::text))) is not "
       "expected"},
      {"ALTER TABLE users DROP CONSTRAINT users_created_by_fkey, ADD CONSTRAINT "
       "users_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)",
       "table public.users: constraint users_created_by_fkey is FOREIGN KEY (created_by) "
       "REFERENCES public.users(id), expected FOREIGN KEY (created_by) REFERENCES "
       "public.users(id) DEFERRABLE INITIALLY DEFERRED"},
      {"DROP INDEX events_occurred_at_idx",
       "table public.events: index events_occurred_at_idx (CREATE INDEX events_occurred_at_idx ON "
       "public.events USING btree (occurred_at)) is missing"},
      {"CREATE INDEX events_type_idx ON events (event_type)",
       "table public.events: index events_type_idx (CREATE INDEX events_type_idx ON "
       "public.events USING btree (event_type)) is not expected"},
  };
  for (const Change& change : changes) {
    const std::string url = SeededFleet("schema_diff_changed");
    Execute(url, change.alter);
    const auto actual = Read(url, {"public"});
    ASSERT_EQ(actual.size(), expected.size());
    std::string found;
    for (size_t i = 0; i < actual.size() && found.empty(); ++i) {
      found = DescribeDifference(expected[i], actual[i]);
    }
    EXPECT_EQ(found, change.difference) << change.alter;
  }
}

}  // namespace
}  // namespace seedforge
