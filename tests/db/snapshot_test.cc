// Snapshot create and restore through the engine API against the test binary's real server:
// exact round trips (rows, definitions, sequences, seedforge's history), rows that refer to
// later ids and tables that refer to each other restored in one transaction, a file whose
// content or count no longer matches the manifest refused after loading but before COMMIT (so
// the rollback is what keeps the database unchanged), schema differences refused or recreated,
// the journal of an interrupted seed, restoring into an empty database, and the template path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sinks/postgres/connection.h"
#include "tests/support/seed_checks.h"
#include "tests/support/snapshot_checks.h"
#include "tests/support/test_support.h"
#include "tools/snapshot.h"

namespace seedforge {
namespace {

using testing::DatabaseState;
using testing::EditFile;
using testing::Execute;
using testing::MakeTempDir;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::RunSeedforge;
using testing::SeededDatabase;
using testing::TestCluster;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("snapshot-db"); }
  void TearDown() override { RemoveTree(dir_); }

  StatusOr<SnapshotEntry> Create(const std::string& url, const std::string& name,
                                 bool make_template = false,
                                 const std::vector<std::string>& schemas = {}) {
    SnapshotCreateOptions options;
    options.directory = dir_;
    options.name = name;
    options.conninfo = url;
    options.make_template = make_template;
    options.schemas = schemas;
    return CreateSnapshot(options);
  }

  SnapshotEntry MustCreate(const std::string& url, const std::string& name,
                           bool make_template = false,
                           const std::vector<std::string>& schemas = {}) {
    auto entry = Create(url, name, make_template, schemas);
    EXPECT_TRUE(entry.ok()) << entry.status().message();
    return entry.ok() ? *entry : SnapshotEntry();
  }

  // Plans and executes; returns the first error.
  Status Restore(const std::string& url, const std::string& name, bool use_template = true,
                 RestorePlan* plan = nullptr) {
    auto entry = FindSnapshot(dir_, name);
    if (!entry.ok()) return entry.status();
    SnapshotRestoreOptions options;
    options.conninfo = url;
    options.use_template = use_template;
    auto restore = SnapshotRestore::Prepare(*entry, options);
    if (!restore.ok()) return restore.status();
    if (plan != nullptr) *plan = (*restore)->plan();
    return (*restore)->Execute();
  }

  std::string Manifest(const std::string& name) const {
    return dir_ + "/" + name + "/manifest.json";
  }

  std::string dir_;
};

TEST_F(SnapshotTest, RoundTripRestoresRowsDefinitionsSequencesAndHistory) {
  const std::string url = SeededDatabase("snap_round");
  const std::string original = DatabaseState(url);
  const SnapshotEntry entry = MustCreate(url, "base");
  const SnapshotManifest& m = entry.manifest;
  EXPECT_EQ(m.name, "base");
  EXPECT_EQ(m.database, QueryValue(url, "SELECT current_database()"));
  ASSERT_EQ(m.tables.size(), 7u);
  const char* const names[] = {"public.applications", "public.assets", "public.deployments",
                               "public.events",       "public.users",  "seedforge.runs",
                               "seedforge.segments"};
  const int64_t rows[] = {10, 100, 20, 100, 5, 1, 5};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(m.tables[i].definition.QualifiedName(), names[i]);
    EXPECT_EQ(m.tables[i].rows, rows[i]) << names[i];
    EXPECT_EQ(m.tables[i].sha256.size(), 64u);
    EXPECT_TRUE(std::filesystem::exists(entry.path + "/" + m.tables[i].file));
  }
  EXPECT_EQ(m.schemas, (std::vector<std::string>{"public", "seedforge"}));
  bool found_users_sequence = false;
  for (const SnapshotSequence& sequence : m.sequences) {
    if (sequence.sequence != "public.users_id_seq") continue;
    found_users_sequence = true;
    EXPECT_EQ(sequence.last_value, 5);
  }
  EXPECT_TRUE(found_users_sequence);
  ASSERT_EQ(m.schema_files.size(), 2u);
  const std::string pre_data = ReadFile(entry.path + "/" + m.schema_files[0].file);
  const std::string post_data = ReadFile(entry.path + "/" + m.schema_files[1].file);
  EXPECT_NE(pre_data.find("CREATE TABLE public.users ("), std::string::npos);
  EXPECT_NE(post_data.find("ADD CONSTRAINT users_created_by_fkey"), std::string::npos);

  Execute(url,
          "DELETE FROM events WHERE id % 2 = 0; UPDATE users SET full_name = 'changed'; "
          "INSERT INTO users (username, email, full_name, department, role, is_active, "
          "created_at) VALUES ('new', 'new@example.com', 'New', 'it', 'admin', true, now()); "
          "DELETE FROM seedforge.segments WHERE table_name = 'events'");
  ASSERT_NE(DatabaseState(url), original);
  RestorePlan plan;
  const Status restored = Restore(url, "base", true, &plan);
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_FALSE(plan.from_template);
  EXPECT_EQ(plan.tables[4].current_rows, 6);
  EXPECT_EQ(plan.tables[3].current_rows, 50);
  EXPECT_EQ(plan.current_rows(), 6 + 10 + 100 + 20 + 50 + 1 + 4);  // + seedforge.runs, .segments
  EXPECT_EQ(DatabaseState(url), original);
  // The identity sequence is back where the snapshot found it, not past the deleted insert.
  EXPECT_EQ(QueryInt(url, "SELECT last_value FROM users_id_seq"), 5);
  // seedforge's own checks agree, and a later top-up continues from the restored rows.
  const auto verified = RunSeedforge({"verify", "--db", url});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto topped = RunSeedforge({"seed", "--db", url, "--quiet", "--rows", "events=150"});
  EXPECT_EQ(topped.exit_code, 0) << topped.err;
  const auto verified_again = RunSeedforge({"verify", "--db", url, "--rows", "events=150"});
  EXPECT_EQ(verified_again.exit_code, 0) << verified_again.out << verified_again.err;
}

TEST_F(SnapshotTest, ForwardSelfReferencesAndCircularTablesRestoreInOneTransaction) {
  const std::string url = SeededDatabase("snap_cycle");
  // users.created_by pointing at a LATER user, and two tables that refer to each other.
  Execute(url,
          "UPDATE users SET created_by = id + 1 WHERE id < 5; UPDATE users SET created_by = 1 "
          "WHERE id = 5;"
          "CREATE TABLE teams (id bigint PRIMARY KEY, lead_id bigint);"
          "CREATE TABLE members (id bigint PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams);"
          "ALTER TABLE teams ADD CONSTRAINT teams_lead_fkey FOREIGN KEY (lead_id) REFERENCES "
          "members;"
          "INSERT INTO teams VALUES (1, NULL), (2, NULL);"
          "INSERT INTO members VALUES (10, 1), (20, 2), (30, 2);"
          "UPDATE teams SET lead_id = 30 WHERE id = 1; UPDATE teams SET lead_id = 10 WHERE id = 2");
  const std::string original = DatabaseState(url);
  const SnapshotEntry entry = MustCreate(url, "cycle");
  // By schema and name: the foreign keys are added after every table is loaded, so the order
  // does not matter.
  std::vector<std::string> order;
  for (const SnapshotTable& table : entry.manifest.tables) {
    order.push_back(table.definition.QualifiedName());
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"public.applications", "public.assets", "public.deployments",
                                      "public.events", "public.members", "public.teams",
                                      "public.users", "seedforge.runs", "seedforge.segments"}));
  Execute(url, "TRUNCATE users, applications, assets, deployments, events, teams, members");
  const Status restored = Restore(url, "cycle");
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_EQ(DatabaseState(url), original);
  EXPECT_EQ(QueryValue(url,
                       "SELECT string_agg(id || '>' || created_by, ' ' ORDER BY id) FROM "
                       "users"),
            "1>2 2>3 3>4 4>5 5>1");
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND "
                     "convalidated AND connamespace = 'public'::regnamespace"),
            11);
}

TEST_F(SnapshotTest, ContentOrCountThatDoNotMatchTheManifestRollBackTheLoadedRows) {
  const std::string url = SeededDatabase("snap_mismatch");
  const SnapshotEntry entry = MustCreate(url, "base");
  Execute(url, "DELETE FROM events WHERE id > 50; UPDATE assets SET location = 'moved'");
  const std::string changed = DatabaseState(url);

  // A manifest hash that no longer matches the file: found after events was loaded.
  const std::string sha = entry.manifest.tables[3].sha256;
  EditFile(Manifest("base"), sha, std::string(64, '0'));
  Status status = Restore(url, "base");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "table public.events: the content of " + entry.path + "/" +
                                  entry.manifest.tables[3].file +
                                  " does not match the manifest's SHA-256 (the file was changed)");
  EXPECT_EQ(DatabaseState(url), changed);
  EditFile(Manifest("base"), std::string(64, '0'), sha);

  // A row count that does not match (total_rows edited to agree, else the manifest is refused).
  EditFile(Manifest("base"), "\"rows\": 20,", "\"rows\": 21,");
  const std::string total = std::to_string(entry.manifest.total_rows());
  EditFile(Manifest("base"), "\"total_rows\": " + total + ",",
           "\"total_rows\": " + std::to_string(entry.manifest.total_rows() + 1) + ",");
  status = Restore(url, "base");
  EXPECT_EQ(status.message(), "table public.deployments: " + entry.path + "/" +
                                  entry.manifest.tables[2].file +
                                  " holds 20 rows, the manifest says 21");
  EXPECT_EQ(DatabaseState(url), changed);
}

TEST_F(SnapshotTest, RestoreRecreatesTheSchemaWhateverChangedSince) {
  const std::string url = SeededDatabase("snap_schema");
  const std::string original = DatabaseState(url);
  MustCreate(url, "base");
  Execute(url,
          "ALTER TABLE users ADD COLUMN nickname text; DROP INDEX events_occurred_at_idx; "
          "DELETE FROM events WHERE id > 10; CREATE TABLE notes (id bigint PRIMARY KEY, user_id "
          "bigint REFERENCES users); CREATE VIEW active_users AS SELECT * FROM users");
  RestorePlan plan;
  const Status status = Restore(url, "base", true, &plan);
  ASSERT_TRUE(status.ok()) << status.message();
  // Tables of the snapshot's schemas that it does not hold are dropped with the schema.
  EXPECT_EQ(plan.other_tables, std::vector<std::string>{"public.notes"});
  EXPECT_EQ(DatabaseState(url), original);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM pg_class WHERE relname IN ('notes', "
                     "'active_users')"),
            0);
}

TEST_F(SnapshotTest, ObjectsOutsideTheSnapshotsSchemasThatDependOnItAreRefused) {
  const std::string url = SeededDatabase("snap_outside");
  MustCreate(url, "base", false, {"public"});
  Execute(url,
          "CREATE SCHEMA reports; CREATE TABLE reports.notes (id bigint PRIMARY KEY, user_id "
          "bigint REFERENCES public.users)");
  const std::string changed = DatabaseState(url);
  const Status status = Restore(url, "base");
  EXPECT_EQ(status.message(),
            "constraint notes_user_id_fkey on table reports.notes is outside the restored schemas "
            "(public) and depends on index users_pkey, which the restore drops and recreates; "
            "drop it first or snapshot its schema too");
  EXPECT_EQ(DatabaseState(url), changed);
  // Without the foreign key, the other schema is left as it is, and so is seedforge's.
  Execute(url,
          "ALTER TABLE reports.notes DROP CONSTRAINT notes_user_id_fkey; INSERT INTO "
          "reports.notes VALUES (7, 1)");
  const Status restored = Restore(url, "base");
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_EQ(QueryInt(url, "SELECT id FROM reports.notes"), 7);
}

TEST_F(SnapshotTest, ForeignKeysParkedByAnInterruptedSeedBlockCreateAndRestore) {
  const std::string url = SeededDatabase("snap_journal");
  MustCreate(url, "base");
  Execute(url,
          "INSERT INTO seedforge.pending_constraints VALUES ('events', 'events_asset_id_fkey', "
          "'FOREIGN KEY (asset_id) REFERENCES assets(id)')");
  auto created = Create(url, "later");
  EXPECT_EQ(created.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(created.status().message(),
            "seedforge.pending_constraints holds 1 foreign key(s) that an interrupted `seedforge "
            "seed` took down for its bulk load; run `seedforge seed` again to finish that load, "
            "then snapshot");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/later"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);  // only "base": no partial folder left
  const Status restored = Restore(url, "base");
  EXPECT_EQ(restored.message(),
            "seedforge.pending_constraints holds 1 foreign key(s) that an interrupted `seedforge "
            "seed` took down for its bulk load; run `seedforge seed` again to finish that load, "
            "then restore");
}

TEST_F(SnapshotTest, RestoreIntoAnEmptyDatabaseCreatesTheTables) {
  const std::string source = SeededDatabase("snap_src");
  MustCreate(source, "base");
  const std::string target = TestCluster::Get().CreateDatabase("snap_empty");
  RestorePlan plan;
  const Status status = Restore(target, "base", true, &plan);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(plan.tables[0].exists);
  EXPECT_FALSE(plan.replaces_anything());
  EXPECT_EQ(DatabaseState(target), DatabaseState(source));
}

TEST_F(SnapshotTest, TemplateSnapshotRestoresByCloningAndDeleteDropsTheTemplate) {
  const std::string url = SeededDatabase("snap_tpl");
  const std::string original = DatabaseState(url);
  const SnapshotEntry entry = MustCreate(url, "fast", /*make_template=*/true);
  EXPECT_EQ(entry.manifest.template_database, "seedforge_tpl_fast");
  const std::string admin = TestCluster::Get().AdminUrl();
  EXPECT_EQ(QueryValue(admin,
                       "SELECT datistemplate || ' ' || datallowconn FROM pg_database "
                       "WHERE datname = 'seedforge_tpl_fast'"),
            "true false");
  const std::string oid_before = QueryValue(url,
                                            "SELECT oid FROM pg_database WHERE datname = "
                                            "current_database()");
  Execute(url, "DELETE FROM events; CREATE TABLE scratch (x int)");
  RestorePlan plan;
  const Status status = Restore(url, "fast", true, &plan);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(plan.from_template);
  EXPECT_EQ(DatabaseState(url), original);  // scratch is gone too: the whole database is cloned
  EXPECT_NE(QueryValue(url, "SELECT oid FROM pg_database WHERE datname = current_database()"),
            oid_before);
  EXPECT_EQ(QueryInt(admin,
                     "SELECT count(*) FROM pg_database WHERE datname LIKE "
                     "'seedforge_re%'"),
            0);

  // --no-template reloads the rows from the files instead.
  Execute(url, "DELETE FROM events");
  ASSERT_TRUE(Restore(url, "fast", /*use_template=*/false, &plan).ok());
  EXPECT_FALSE(plan.from_template);
  EXPECT_EQ(DatabaseState(url), original);

  // Another session on the database: refused before anything is created.
  auto other = PgConnection::Connect(url);
  ASSERT_TRUE(other.ok());
  const Status busy = Restore(url, "fast");
  EXPECT_EQ(busy.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(busy.message().find("has 1 other session(s)"), std::string::npos) << busy.message();
  // And a template cannot be made while another session is connected.
  auto refused = Create(url, "busy", true);
  EXPECT_NE(refused.status().message().find(
                "--template: PostgreSQL copies a database only while no other session is "
                "connected to it"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(QueryInt(admin,
                     "SELECT count(*) FROM pg_database WHERE datname = "
                     "'seedforge_tpl_busy'"),
            0);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/busy"));
  other->reset();

  auto connection = PgConnection::Connect(admin);
  ASSERT_TRUE(connection.ok());
  auto dropped = DropTemplate(**connection, entry.manifest);
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_TRUE(*dropped);
  EXPECT_EQ(QueryInt(admin,
                     "SELECT count(*) FROM pg_database WHERE datname = "
                     "'seedforge_tpl_fast'"),
            0);
  // Without its template, restore reloads the rows.
  Execute(url, "DELETE FROM events");
  ASSERT_TRUE(Restore(url, "fast", true, &plan).ok());
  EXPECT_FALSE(plan.from_template);
  EXPECT_EQ(DatabaseState(url), original);
}

}  // namespace
}  // namespace seedforge
