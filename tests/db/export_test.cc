// `seedforge export` against a real server: the JSON document is exactly what the server's own
// row_to_json says about every row (and simdjson reads the values back), the SQL file restores
// with psql into an empty database to the same tables, keys and sequences (a self reference
// pointing forward included) or, when it fails, to nothing, and the CSV files load back into
// copies of their tables unchanged.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "simdjson.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::Execute;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::TableFingerprint;
using testing::TestCluster;

// Dependency order: every table after the tables it refers to.
const std::vector<std::string> kTables = {"users", "applications", "assets", "deployments",
                                          "events"};

// `default` with more users (so that many refer to their creator) and more events.
const std::vector<std::string> kSeedArgs = {"--rows",     "users=300", "--rows",
                                            "assets=400", "--rows",    "events=2000"};

std::string SeededFleet(std::string_view prefix) {
  return testing::SeededDatabase(prefix, kSeedArgs);
}

ProcessResult ExportTo(const std::string& url, const std::string& format, const std::string& out) {
  return RunSeedforge({"export", "--db", url, "--format", format, "--out", out});
}

// A scratch folder removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() : path_(MakeTempDir("seedforge-export-test")) {}
  ~ScratchDir() { RemoveTree(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The document row_to_json describes, in the layout export writes: one row per line.
std::string ExpectedJson(const std::string& url, const std::vector<std::string>& tables) {
  std::string json = "{";
  for (size_t i = 0; i < tables.size(); ++i) {
    const std::string rows = QueryValue(
        url, "SELECT coalesce(string_agg(row_to_json(t)::text, E',\\n' ORDER BY id), '') FROM " +
                 tables[i] + " t");
    json += (i == 0 ? "\n\"" : ",\n\"") + tables[i] + "\": [";
    json += rows.empty() ? "]" : "\n" + rows + "\n]";
  }
  return json + "\n}\n";
}

// psql -f FILE on `url`, as a user restores; returns psql's exit code and its output.
int RunPsqlFile(const std::string& url, const std::string& file, std::string* output) {
  const char* bin = std::getenv("SEEDFORGE_PG_BIN");
  const std::string psql = bin != nullptr ? std::string(bin) + "/psql" : "psql";
  const std::string log = file + ".log";
  const std::string command =
      psql + " -X -q -v ON_ERROR_STOP=1 -d '" + url + "' -f '" + file + "' > '" + log + "' 2>&1";
  const int status = std::system(command.c_str());
  *output = ReadFile(log);
  std::filesystem::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Constraint and index definitions of schema public, one per line, sorted.
std::string Definitions(const std::string& url) {
  return QueryValue(
      url,
      "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
      "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d "
      "FROM pg_constraint WHERE connamespace = 'public'::regnamespace UNION ALL "
      "SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = "
      "i.indexrelid WHERE c.relnamespace = 'public'::regnamespace) s");
}

TEST(Export, JsonIsWhatRowToJsonSaysOfEveryRowInDependencyAndKeyOrder) {
  const std::string url = SeededFleet("export_json");
  ScratchDir dir;
  const ProcessResult result = ExportTo(url, "json", dir.File("fleet.json"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("seedforge: exported 5 tables, 2,730 rows"), std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("fleet.json.partial")));
  // Byte for byte: integers, numeric(12,2), booleans, NULLs, text, inet, macaddr, timestamps
  // and jsonb payloads all rendered as PostgreSQL renders them.
  EXPECT_EQ(ReadFile(dir.File("fleet.json")), ExpectedJson(url, kTables));
}

TEST(Export, JsonParsesAndItsValuesReadBackAsTheSourceHoldsThem) {
  const std::string url = SeededFleet("export_json_values");
  Execute(url, "UPDATE applications SET package_size_mb = 1234567890.05 WHERE id = 3");
  ScratchDir dir;
  const ProcessResult result = ExportTo(url, "json", dir.File("fleet.json"));
  ASSERT_EQ(result.exit_code, 0) << result.err;

  simdjson::dom::parser parser;
  simdjson::dom::object root;
  ASSERT_EQ(parser.load(dir.File("fleet.json")).get(root), simdjson::SUCCESS);
  std::vector<std::string> keys;
  for (auto field : root) keys.emplace_back(field.key);
  EXPECT_EQ(keys, kTables);
  for (const std::string& table : kTables) {
    simdjson::dom::array rows;
    ASSERT_EQ(root[table].get(rows), simdjson::SUCCESS) << table;
    EXPECT_EQ(static_cast<int64_t>(rows.size()), QueryInt(url, "SELECT count(*) FROM " + table))
        << table;
    int64_t expected_id = 1;  // seeded ids are 1..n, exported in key order
    for (simdjson::dom::element row : rows) {
      int64_t id = 0;
      ASSERT_EQ(row["id"].get(id), simdjson::SUCCESS);
      ASSERT_EQ(id, expected_id++) << table;
    }
  }
  simdjson::dom::array users = root["users"];
  simdjson::dom::array applications = root["applications"];
  simdjson::dom::array events = root["events"];
  // NULL and a self reference.
  EXPECT_TRUE(users.at(0)["created_by"].is_null());
  int64_t created_by = 0;
  ASSERT_EQ(users.at(1)["created_by"].get(created_by), simdjson::SUCCESS);
  EXPECT_EQ(created_by, QueryInt(url, "SELECT created_by FROM users WHERE id = 2"));
  // Booleans: as many false as the source has.
  int64_t inactive = 0;
  for (simdjson::dom::element user : users) {
    bool active = true;
    ASSERT_EQ(user["is_active"].get(active), simdjson::SUCCESS);
    inactive += active ? 0 : 1;
  }
  EXPECT_EQ(inactive, QueryInt(url, "SELECT count(*) FROM users WHERE NOT is_active"));
  EXPECT_GT(inactive, 0);
  // numeric(12,2) as a JSON number with its digits.
  double size = 0;
  ASSERT_EQ(applications.at(2)["package_size_mb"].get(size), simdjson::SUCCESS);
  EXPECT_EQ(size, 1234567890.05);
  EXPECT_EQ(simdjson::to_string(applications.at(2)["package_size_mb"]), "1234567890.05");
  // timestamptz as ISO 8601 text.
  std::string_view created_at;
  ASSERT_EQ(applications.at(2)["created_at"].get(created_at), simdjson::SUCCESS);
  EXPECT_EQ(created_at, QueryValue(url,
                                   "SELECT to_json(created_at) #>> '{}' FROM applications "
                                   "WHERE id = 3"));
  EXPECT_EQ(created_at.substr(10, 1), "T");
  // jsonb as an object, not a string: each payload's keys and values.
  simdjson::dom::object payload;
  ASSERT_EQ(events.at(9)["payload"].get(payload), simdjson::SUCCESS);
  EXPECT_EQ(static_cast<int64_t>(payload.size()),
            QueryInt(url, "SELECT count(*) FROM events, jsonb_object_keys(payload) WHERE id = 10"));
  for (auto field : payload) {
    simdjson::dom::parser value_parser;
    simdjson::dom::element source;
    const std::string text = QueryValue(
        url, "SELECT payload -> '" + std::string(field.key) + "' FROM events WHERE id = 10");
    ASSERT_EQ(value_parser.parse(text).get(source), simdjson::SUCCESS) << text;
    EXPECT_EQ(simdjson::minify(field.value), simdjson::minify(source)) << field.key;
  }
}

// Every kind of column: those converted on the client and those (arrays, enums, domains,
// ranges, geometric types) the server's to_json converts, with the awkward values of each; and
// a table without rows.
TEST(Export, JsonRendersEveryColumnTypeExactlyAsRowToJson) {
  const std::string url = TestCluster::Get().CreateDatabase("export_json_types");
  Execute(url, R"sql(
    CREATE TABLE empty_one (id integer PRIMARY KEY);
    CREATE TYPE mood AS ENUM ('sad', 'happy');
    CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
    CREATE TABLE kinds (
      id integer PRIMARY KEY, small smallint, big bigint, num numeric, num2 numeric(12,2),
      re real, dbl double precision, flag boolean, txt text, vc varchar(20), ch char(4),
      chr "char", u uuid, ip inet, net cidr, mac macaddr, ts timestamptz, tsn timestamp(3),
      day date, tm time, iv interval, bin bytea, j json, jb jsonb, ints integer[],
      texts text[], feeling mood, pos positive, cash money, o oid, span int4range, pt point,
      bits bit varying(8), "Odd ""Name""" text);
    INSERT INTO kinds VALUES
      (1, -32768, 9223372036854775807, 'NaN', 12.50, 'Infinity', '-Infinity', true,
       E'tab\there\nnew\rline \\ back "quoted" \x01 \x7f é 😀', 'vc', 'ab', 'x',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '10.0.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
       '2024-02-29 23:59:59.123456+00', '2024-01-01 00:00:00.5', '2024-02-29', '13:14:15',
       '1 year 2 mons 3 days 04:05:06', E'\\x00ff', E'{"a" : [1, 2],\n "b": "x\\ty"}',
       '{"z": {"deep": [true, null, 1.50]}, "a": "\u00e9"}', '{1,NULL,3}',
       ARRAY['a"b', NULL, E'c\\d', ''], 'happy', 7, 12.34, 42, '[1,5)', '(1.5,-2)', B'101',
       'odd'),
      (2, 0, -1, 1e-7, -0.01, 'NaN', 1.5e300, false, '', '', '', '', NULL, NULL, NULL, NULL,
       'infinity', '-infinity', 'infinity', NULL, NULL, '', '[]', '{}', '{}', '{}', NULL,
       NULL, NULL, NULL, 'empty', NULL, B'', NULL),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL);
  )sql");
  ScratchDir dir;
  const ProcessResult result = ExportTo(url, "json", dir.File("kinds.json"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string json = ReadFile(dir.File("kinds.json"));
  EXPECT_EQ(json, ExpectedJson(url, {"empty_one", "kinds"}));
  EXPECT_NE(json.find("\n\"empty_one\": [],\n"), std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_TRUE(root["kinds"].at(0)["jb"].is_object());
  EXPECT_TRUE(root["kinds"].at(0)["ints"].is_array());
  EXPECT_TRUE(root["kinds"].at(0)["j"].is_object());
}

TEST(Export, SqlRestoresWithPsqlIntoAnEmptyDatabaseToTheSameTables) {
  const std::string url = SeededFleet("export_sql");
  // A self reference pointing forward: user 1 made by the last user. Restorable only because
  // the foreign keys are added after the rows.
  Execute(url, "UPDATE users SET created_by = (SELECT max(id) FROM users) WHERE id = 1");
  ScratchDir dir;
  const std::string file = dir.File("fleet.sql");
  const ProcessResult result = ExportTo(url, "sql", file);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const std::string restored = TestCluster::Get().CreateDatabase("export_sql_restored");
  std::string output;
  ASSERT_EQ(RunPsqlFile(restored, file, &output), 0) << output;
  for (const std::string& table : kTables) {
    EXPECT_EQ(TableFingerprint(restored, table), TableFingerprint(url, table)) << table;
    EXPECT_EQ(QueryInt(restored, "SELECT count(*) FROM " + table),
              QueryInt(url, "SELECT count(*) FROM " + table))
        << table;
  }
  EXPECT_EQ(QueryInt(restored, "SELECT created_by FROM users WHERE id = 1"),
            QueryInt(url, "SELECT max(id) FROM users"));
  EXPECT_GT(QueryInt(restored, "SELECT count(*) FROM users WHERE created_by IS NOT NULL"), 200);
  // Every key, check, foreign key (users.created_by still deferrable) and index, as defined.
  EXPECT_EQ(Definitions(restored), Definitions(url));
  EXPECT_NE(Definitions(restored).find("users_created_by_fkey FOREIGN KEY (created_by) REFERENCES "
                                       "users(id) DEFERRABLE INITIALLY DEFERRED"),
            std::string::npos);
  // The restored database exports to the same file (but for the database's name in the header).
  const ProcessResult again = ExportTo(restored, "sql", dir.File("again.sql"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string first = ReadFile(file);
  const std::string second = ReadFile(dir.File("again.sql"));
  EXPECT_TRUE(first.substr(first.find('\n')) == second.substr(second.find('\n')))
      << "the export of the restored database differs";
  // The identity sequences are past the largest ids: the application's next insert fits.
  for (const std::string& table : kTables) {
    EXPECT_EQ(QueryInt(restored, "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id'))"),
              QueryInt(url, "SELECT max(id) FROM " + table) + 1)
        << table;
  }
}

TEST(Export, SqlRestoreThatFailsLeavesTheDatabaseAsItWas) {
  const std::string url = SeededFleet("export_sql_fail");
  ScratchDir dir;
  const std::string file = dir.File("fleet.sql");
  ASSERT_EQ(ExportTo(url, "sql", file).exit_code, 0);
  // Not empty: `events` exists, so its CREATE TABLE fails after four tables were created.
  const std::string target = TestCluster::Get().CreateDatabase("export_sql_fail_target");
  Execute(target, "CREATE TABLE events (note text)");
  std::string output;
  EXPECT_EQ(RunPsqlFile(target, file, &output), 3) << output;
  EXPECT_NE(output.find("relation \"events\" already exists"), std::string::npos) << output;
  EXPECT_EQ(QueryValue(target,
                       "SELECT string_agg(tablename, ',') FROM pg_tables WHERE "
                       "schemaname = 'public'"),
            "events");
  EXPECT_EQ(QueryInt(target, "SELECT count(*) FROM pg_class WHERE relkind = 'S'"), 0);
}

TEST(Export, CsvFilesHaveHeadersKeyOrderAndLoadBackUnchanged) {
  const std::string url = SeededFleet("export_csv");
  ScratchDir dir;
  const std::string folder = dir.File("csv");  // created by export
  const ProcessResult result = ExportTo(url, "csv", folder);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("seedforge: exported 5 tables, 2,730 rows"), std::string::npos)
      << result.err;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"applications.csv", "assets.csv", "deployments.csv",
                                             "events.csv", "users.csv"}));

  auto connection = PgConnection::Connect(url);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  for (const std::string& table : kTables) {
    const std::string csv = ReadFile(folder + "/" + table + ".csv");
    std::istringstream lines(csv);
    std::string header;
    std::getline(lines, header);
    EXPECT_EQ(header, QueryValue(url,
                                 "SELECT string_agg(attname, ',' ORDER BY attnum) FROM "
                                 "pg_attribute WHERE attrelid = '" +
                                     table + "'::regclass AND attnum > 0"));
    // One line per row (no value of the fleet spans lines), ids ascending from 1.
    int64_t expected_id = 1;
    for (std::string line; std::getline(lines, line);) {
      ASSERT_EQ(line.substr(0, line.find(',')), std::to_string(expected_id++)) << table;
    }
    EXPECT_EQ(expected_id - 1, QueryInt(url, "SELECT count(*) FROM " + table)) << table;
    // A CSV reader (COPY FROM) gives back the same rows.
    const std::string copy = "csv_" + table;
    ASSERT_TRUE((*connection)->Execute("CREATE TABLE " + copy + " (LIKE " + table + ")").ok());
    ASSERT_TRUE(
        (*connection)->CopyBegin("COPY " + copy + " FROM STDIN WITH (FORMAT csv, HEADER)").ok());
    ASSERT_TRUE((*connection)->CopyPut(csv).ok());
    const Status loaded = (*connection)->CopyEnd();
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(TableFingerprint(url, copy), TableFingerprint(url, table)) << table;
  }
}

}  // namespace
}  // namespace seedforge
