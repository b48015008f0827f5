// The PostgreSQL sink's parts against a real server: the RAII transaction commits or rolls back,
// and the tables seedforge creates from the default profile's model read back from the catalog
// as declared (same columns, key and foreign key columns, definitions and index definitions).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "core/table_model.h"
#include "core/table_schema.h"
#include "engine/profile.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/transaction.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::QueryInt;
using testing::RunSeedforge;
using testing::TestCluster;

std::unique_ptr<PgConnection> Connect(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  EXPECT_TRUE(connection.ok()) << connection.status().message();
  return std::move(connection).value();
}

TEST(Transaction, CommitsWhenAskedAndRollsBackWhenItGoesOutOfScope) {
  const std::string url = TestCluster::Get().CreateDatabase("transaction");
  auto connection = Connect(url);
  ASSERT_TRUE(connection->Execute("CREATE TABLE t (v integer)").ok());
  {
    auto transaction = Transaction::Begin(*connection);
    ASSERT_TRUE(transaction.ok()) << transaction.status().message();
    ASSERT_TRUE(connection->Execute("INSERT INTO t VALUES (1)").ok());
  }  // no Commit: rolled back
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM t"), 0);
  {
    auto transaction = Transaction::Begin(*connection);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(connection->Execute("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(transaction->Commit().ok());
  }
  EXPECT_EQ(QueryInt(url, "SELECT sum(v) FROM t"), 2);
  {
    auto transaction = Transaction::Begin(*connection);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(connection->Execute("INSERT INTO t VALUES (3)").ok());
    EXPECT_FALSE(connection->Execute("INSERT INTO t VALUES ('x')").ok());
  }  // the aborted transaction is rolled back, and the connection works again
  ASSERT_TRUE(connection->Execute("INSERT INTO t VALUES (4)").ok());
  EXPECT_EQ(QueryInt(url, "SELECT sum(v) FROM t"), 6);
  {
    auto transaction = Transaction::Begin(*connection);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(connection->Execute("INSERT INTO t VALUES (5)").ok());
    transaction->Rollback();
  }
  EXPECT_EQ(QueryInt(url, "SELECT sum(v) FROM t"), 6);
}

// `definition` of a declared table (no schema) as the catalog prints it for schema public.
std::string InPublic(std::string definition, const std::string& table,
                     const std::string& referenced) {
  const auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = definition.find(from);
    if (at != std::string::npos) definition.replace(at, from.size(), to);
  };
  if (!referenced.empty())
    replace("REFERENCES " + referenced + "(", "REFERENCES public." + referenced + "(");
  replace(" ON " + table + " USING", " ON public." + table + " USING");
  return definition;
}

TEST(DeclaredModel, TablesCreatedFromItReadBackFromTheCatalogAsDeclared) {
  const std::string url = TestCluster::Get().CreateDatabase("declared");
  const auto result = RunSeedforge({"seed", "--db", url, "--quiet", "--rows", "users=20", "--rows",
                                    "applications=10", "--rows", "assets=30", "--rows",
                                    "deployments=40", "--rows", "events=50"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto connection = Connect(url);
  auto profile = LoadProfile("default");  // what `seed` without --profile seeds
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  ASSERT_EQ(profile->schemas().size(), 5u);
  for (const TableSchema& schema : profile->schemas()) {
    const TableDef& declared = schema.table;
    auto read = ReadTable(*connection, declared.QualifiedName());
    ASSERT_TRUE(read.ok()) << read.status().message();
    ASSERT_TRUE(read->has_value()) << declared.name;
    const TableDef& actual = **read;
    EXPECT_EQ(actual.schema, "public");
    ASSERT_EQ(actual.columns.size(), declared.columns.size()) << declared.name;
    for (size_t c = 0; c < declared.columns.size(); ++c) {
      const ColumnDef& want = declared.columns[c];
      const ColumnDef& got = actual.columns[c];
      EXPECT_EQ(got.name, want.name);
      EXPECT_EQ(got.type, want.type) << want.name;
      EXPECT_EQ(got.not_null, want.not_null) << want.name;
      EXPECT_EQ(got.identity, want.identity) << want.name;
      EXPECT_EQ(got.default_expr, want.default_expr) << want.name;
    }
    ASSERT_EQ(actual.constraints.size(), declared.constraints.size()) << declared.name;
    for (const ConstraintDef& want : declared.constraints) {
      const ConstraintDef* got = nullptr;
      for (const ConstraintDef& c : actual.constraints) {
        if (c.name == want.name) got = &c;
      }
      ASSERT_NE(got, nullptr) << want.name;
      EXPECT_EQ(got->type, want.type) << want.name;
      EXPECT_EQ(got->columns, want.columns) << want.name;
      EXPECT_EQ(got->referenced_columns, want.referenced_columns) << want.name;
      if (want.type == 'f') {
        EXPECT_EQ(got->referenced_table, "public." + want.referenced_table) << want.name;
      }
      if (want.type != 'c') {  // the catalog prints checks as parsed: ((a > (0)::numeric))
        EXPECT_EQ(got->definition, InPublic(want.definition, declared.name, want.referenced_table))
            << want.name;
      }
    }
    ASSERT_EQ(actual.indexes.size(), declared.indexes.size()) << declared.name;
    for (const IndexDef& want : declared.indexes) {
      bool found = false;
      for (const IndexDef& got : actual.indexes) {
        if (got.name != want.name) continue;
        found = true;
        EXPECT_EQ(got.definition, InPublic(want.definition, declared.name, ""));
      }
      EXPECT_TRUE(found) << want.name;
    }
  }
  // What ReadTable says about names that are not tables.
  EXPECT_FALSE(ReadTable(*connection, "no_such_table")->has_value());
  ASSERT_TRUE(connection->Execute("CREATE VIEW v AS SELECT 1 AS one").ok());
  EXPECT_EQ(ReadTable(*connection, "v").status().message(), "v exists but is not a table");
}

}  // namespace
}  // namespace seedforge
