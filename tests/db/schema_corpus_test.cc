// Snapshots and exports of schemas written the way applications write them (tests/schemas/*.sql:
// partitioned tables with foreign keys on partitions and into them, several schemas, standalone
// sequences as defaults, enum/domain/composite types, extensions' types and functions, views and
// a materialized view, triggers, generated and identity columns, circular NOT NULL foreign keys,
// mixed-case and reserved-word names).
//
// For each schema: the rows of every table (a hash per table computed in SQL here) and
// `pg_dump --schema-only` of the database are taken as the original; then `snapshot create`,
// `restore` into an empty database, damage the original and `restore` over it, `export --format
// sql` loaded with psql into an empty database, and, beside them, `pg_dump -Fc` / `pg_restore`
// into an empty database: each result must equal the original exactly. `export --format json`
// must hold every table with its row count.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::TestCluster;

// Runs a program (PATH lookup) without a terminal; waits and returns its status and output.
ProcessResult RunProgram(const std::vector<std::string>& argv, const std::string& folder) {
  const std::string out_path = folder + "/program.out";
  const std::string err_path = folder + "/program.err";
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

// Every table's and materialized view's row count and md5 of its rows, and every sequence's
// position, of every schema but the system ones; one line each, sorted.
std::string Rows(const std::string& url) {
  const std::string relations = QueryValue(
      url,
      "SELECT coalesce(string_agg(format('%s %I.%I', c.relkind, n.nspname, c.relname), E'\\n' "
      "ORDER BY n.nspname, c.relname), '') FROM pg_class c JOIN pg_namespace n ON n.oid = "
      "c.relnamespace WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', "
      "'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'");
  std::string state;
  std::istringstream lines(relations);
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(2);
    state += "rows " + name + " " +
             QueryValue(url,
                        "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' "
                        "ORDER BY t::text), '')) FROM " +
                            std::string(line[0] == 'r' ? "ONLY " : "") + name + " t") +
             "\n";
  }
  state += QueryValue(url,
                      "SELECT coalesce(string_agg(format('sequence %I.%I %s', schemaname, "
                      "sequencename, coalesce(last_value::text, 'unset')), E'\\n' ORDER BY "
                      "schemaname, sequencename), '') FROM pg_sequences");
  return state;
}

// `pg_dump --schema-only` of the database, without the lines that differ between two dumps of
// the same schema (versions, psql's \restrict key).
std::string Schema(const std::string& url, const std::string& folder) {
  const ProcessResult dump = RunProgram({"pg_dump", "--schema-only", "--dbname=" + url}, folder);
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  std::string schema;
  std::istringstream lines(dump.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
    if (line.rfind("-- Dumped ", 0) == 0) continue;
    schema += line + "\n";
  }
  return schema;
}

// Table name (as export names it) -> rows, for every table an application sees: ordinary and
// partitioned tables, not partitions.
std::map<std::string, int64_t> ExpectedCounts(const std::string& url) {
  const std::string tables = QueryValue(
      url,
      "SELECT coalesce(string_agg(CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname "
      "|| '.' || c.relname END || E'\\t' || format('%I.%I', n.nspname, c.relname), E'\\n'), '') "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', "
      "'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', "
      "'seedforge') AND n.nspname NOT LIKE 'pg\\_toast%'");
  std::map<std::string, int64_t> counts;
  std::istringstream lines(tables);
  for (std::string line; std::getline(lines, line);) {
    const size_t tab = line.find('\t');
    counts[line.substr(0, tab)] =
        std::stoll(QueryValue(url, "SELECT count(*) FROM " + line.substr(tab + 1)));
  }
  return counts;
}

// The export's JSON document has one row per line: "name": [ rows... ] per table.
std::map<std::string, int64_t> JsonCounts(const std::string& json) {
  std::map<std::string, int64_t> counts;
  std::istringstream lines(json);
  std::string current;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(",", 0) == 0) line = line.substr(1);
    if (line.rfind("{", 0) == 0 && line.size() > 1 && line[1] == '"') line = line.substr(1);
    if (line.size() > 4 && line[0] == '"' && line.find("\": [") != std::string::npos &&
        current.empty()) {
      const size_t end = line.find("\": [");
      current = line.substr(1, end - 1);
      counts[current] = 0;
      if (line.compare(line.size() - 3, 3, "[]}") == 0 ||
          line.compare(line.size() - 2, 2, "[]") == 0 ||
          line.compare(line.size() - 3, 3, "],") == 0) {
        current.clear();
      }
      continue;
    }
    if (current.empty()) continue;
    if (line == "]" || line == "]," || line == "]}") {
      current.clear();
      continue;
    }
    ++counts[current];
  }
  return counts;
}

struct CorpusCase {
  std::string file;    // tests/schemas/FILE
  std::string damage;  // SQL that changes rows and schema of the original
};

class SchemaCorpus : public ::testing::TestWithParam<CorpusCase> {
 protected:
  void SetUp() override { dir_ = MakeTempDir("schema-corpus"); }
  void TearDown() override { RemoveTree(dir_); }

  // A new database loaded from the corpus file with psql.
  std::string Load(const std::string& prefix) {
    const std::string url = TestCluster::Get().CreateDatabase(prefix);
    const ProcessResult loaded =
        RunProgram({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f",
                    std::string(SEEDFORGE_SOURCE_DIR) + "/tests/schemas/" + GetParam().file},
                   dir_);
    EXPECT_EQ(loaded.exit_code, 0) << loaded.err;
    return url;
  }

  void ExpectSame(const std::string& url, const std::string& what) {
    EXPECT_EQ(Rows(url), rows_) << what << ": rows differ";
    EXPECT_EQ(Schema(url, dir_), schema_) << what << ": schema differs";
  }

  std::string dir_;
  std::string rows_;
  std::string schema_;
};

TEST_P(SchemaCorpus, SnapshotRestoreAndSqlExportGiveBackTheSameDatabaseAsPgRestore) {
  const std::string name = GetParam().file.substr(0, GetParam().file.find('.'));
  const std::string source = Load("corpus_" + name);
  rows_ = Rows(source);
  schema_ = Schema(source, dir_);
  ASSERT_NE(rows_.find("rows "), std::string::npos);

  // pg_dump -Fc / pg_restore: the reference every seedforge path is held to.
  const ProcessResult dumped =
      RunProgram({"pg_dump", "-Fc", "-f", dir_ + "/dump.fc", "--dbname=" + source}, dir_);
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  const std::string by_pg_restore = TestCluster::Get().CreateDatabase("corpus_pgr_" + name);
  const ProcessResult restored =
      RunProgram({"pg_restore", "--exit-on-error", "-d", by_pg_restore, dir_ + "/dump.fc"}, dir_);
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  ExpectSame(by_pg_restore, "pg_restore into an empty database");

  // snapshot create: every schema, partitions and rows in the summary.
  const std::string snapshots = dir_ + "/snapshots";
  const ProcessResult created =
      RunSeedforge({"snapshot", "create", "base", "--db", source, "--dir", snapshots});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find(" partitioned with "), std::string::npos) << created.out;

  // Into an empty database: no confirmation needed.
  const std::string empty = TestCluster::Get().CreateDatabase("corpus_empty_" + name);
  ProcessResult result =
      RunSeedforge({"snapshot", "restore", "base", "--db", empty, "--dir", snapshots, "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectSame(empty, "snapshot restore into an empty database");

  // Over the damaged original.
  Execute(source, GetParam().damage);
  ASSERT_NE(Rows(source), rows_);
  result = RunSeedforge(
      {"snapshot", "restore", "base", "--db", source, "--dir", snapshots, "--yes", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectSame(source, "snapshot restore over the damaged database");

  // export --format sql, loaded by psql into an empty database.
  const std::string sql = dir_ + "/export.sql";
  result = RunSeedforge({"export", "--format", "sql", "--out", sql, "--db", source, "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string from_sql = TestCluster::Get().CreateDatabase("corpus_sql_" + name);
  const ProcessResult loaded =
      RunProgram({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", from_sql, "-f", sql}, dir_);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  ExpectSame(from_sql, "export --format sql restored with psql");

  // export --format json: every table, with its rows.
  const std::string json = dir_ + "/export.json";
  result = RunSeedforge({"export", "--format", "json", "--out", json, "--db", source, "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(JsonCounts(ReadFile(json)), ExpectedCounts(source));
}

// Nothing is left out silently: an object create cannot hold is an error naming it, for snapshot
// and export alike, and --exclude-schema is the way to leave its schema out.
TEST(SchemaCoverage, ForeignTablesAreRefusedByNameUnlessTheirSchemaIsExcluded) {
  const std::string url = TestCluster::Get().CreateDatabase("corpus_foreign");
  Execute(url,
          "CREATE EXTENSION postgres_fdw; CREATE SERVER elsewhere FOREIGN DATA WRAPPER "
          "postgres_fdw; CREATE SCHEMA remote; CREATE FOREIGN TABLE remote.orders (id int) SERVER "
          "elsewhere; CREATE TABLE public.kept (id int PRIMARY KEY); INSERT INTO kept VALUES (1)");
  const std::string dir = MakeTempDir("schema-coverage");
  ProcessResult result = RunSeedforge({"snapshot", "create", "base", "--db", url, "--dir", dir});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "seedforge: error: snapshot create: foreign table remote.orders: a snapshot holds the "
            "rows of the database, and a foreign table's are on another server; exclude its "
            "schema with --exclude-schema\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/base"));
  result = RunSeedforge({"export", "--out", dir + "/x.json", "--db", url, "-q"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("foreign table remote.orders: "), std::string::npos) << result.err;
  result = RunSeedforge(
      {"snapshot", "create", "base", "--db", url, "--dir", dir, "--exclude-schema", "remote"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(": schema public; 1 tables, 1 rows"), std::string::npos) << result.out;
  RemoveTree(dir);
}

// The version rule: a pg_dump older than the server is refused, naming what was found.
TEST(SchemaCoverage, APgDumpOlderThanTheServerIsRefused) {
  const std::string url = TestCluster::Get().CreateDatabase("corpus_old_pg_dump");
  const std::string dir = MakeTempDir("schema-old-pg-dump");
  const std::string fake = dir + "/pg_dump";
  std::ofstream(fake) << "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  const ProcessResult result =
      RunSeedforge({"snapshot", "create", "base", "--db", url, "--dir", dir + "/snaps"},
                   {{"SEEDFORGE_PG_DUMP", fake}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("the schema is dumped with pg_dump, which must be of the server's "
                            "major version 15 or newer; found " +
                            fake + " (9.6.24): install postgresql-client-15"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/snaps/base"));
  RemoveTree(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Schemas, SchemaCorpus,
    ::testing::Values(
        CorpusCase{"shop.sql",
                   "DELETE FROM shipments WHERE order_id % 10 = 0; DELETE FROM orders WHERE id % "
                   "10 = 0; UPDATE customers SET \"displayName\" = "
                   "'changed' WHERE id < 50; DELETE FROM events_eu; DROP VIEW customer_totals; "
                   "CREATE TABLE public.extra (x int); ALTER TABLE products ADD COLUMN junk int; "
                   "SELECT setval('billing.account_number_seq', 99999); REFRESH MATERIALIZED "
                   "VIEW monthly_sales"},
        CorpusCase{"multischema.sql",
                   "DELETE FROM \"Sales\".\"Deals\" WHERE amount > 100; UPDATE crm.contacts SET "
                   "phone = NULL; DROP SCHEMA audit CASCADE; CREATE SCHEMA scratch; CREATE TABLE "
                   "crm.extra (x int); SELECT nextval('crm.contact_code_seq')"}),
    [](const ::testing::TestParamInfo<CorpusCase>& param_info) {
      return param_info.param.file.substr(0, param_info.param.file.find('.'));
    });

}  // namespace
}  // namespace seedforge
