// Tables whose id is a uuid (core/uuid_id.h): id n is written as a version-7 UUID whose time
// field is 2024-01-01 plus n milliseconds, and references to such a table hold its UUIDs. Seeds
// on one connection or two give the same rows, a top-up puts its ids past the rows the
// application inserted (random version-4 UUIDs, and a version-7 one whose time field says id
// 256), on either append path, a SIGKILL is completed by the rerun, and init declares a live
// schema's uuid keys.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "core/uuid_id.h"
#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::DatabaseWithSchema;
using testing::Execute;
using testing::ExpectVerifyPasses;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::TableFingerprint;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

constexpr const char* kLibrary = R"json({
  "name": "library",
  "tables": {
    "authors": {"rows": 5, "columns": {
      "id": {"type": "uuid", "gen": "id"},
      "name": {"type": "text", "gen": "full_name"}}},
    "books": {"rows": 12, "columns": {
      "id": {"type": "uuid", "gen": "id"},
      "author_id": {"type": "uuid", "gen": "ref", "to": "authors"},
      "title": {"type": "text", "gen": "sentence"}}},
    "chapters": {"rows": {"per": "books", "min": 1, "max": 3}, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "book_id": {"type": "uuid", "gen": "parent"},
      "n": {"type": "integer", "gen": "index_in_parent", "start": 1}},
      "unique": [["book_id", "n"]]}
  }
}
)json";

std::string Contents(const std::string& url) {
  return TableFingerprint(url, "authors") + " " + TableFingerprint(url, "books") + " " +
         TableFingerprint(url, "chapters");
}

int64_t Orphans(const std::string& url) {
  return QueryInt(url,
                  "SELECT (SELECT count(*) FROM books b WHERE NOT EXISTS (SELECT 1 FROM authors a "
                  "WHERE a.id = b.author_id)) + (SELECT count(*) FROM chapters c WHERE NOT EXISTS "
                  "(SELECT 1 FROM books b WHERE b.id = c.book_id))");
}

TEST(UuidIds, SeedOnOneOrTwoConnectionsWritesTimeOrderedUuidsAndTheirReferences) {
  const std::string dir = MakeTempDir("uuid_ids");
  const std::string profile = dir + "/library.json";
  std::ofstream(profile) << kLibrary;
  std::vector<std::string> urls;
  for (const char* connections : {"1", "2"}) {
    const std::string url = TestCluster::Get().CreateDatabase("uuid_ids");
    urls.push_back(url);
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--connections", connections, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    // Ids 1..5: 2024-01-01T00:00:00.001Z (0x018cc251f401 ms) onwards, version 7, variant 10.
    EXPECT_EQ(
        QueryValue(url, "SELECT string_agg(left(id::text, 13), ',' ORDER BY id) FROM authors"),
        "018cc251-f401,018cc251-f402,018cc251-f403,018cc251-f404,018cc251-f405");
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM books WHERE substr(id::text, 15, 1) = '7' AND "
                       "substr(id::text, 20, 1) IN ('8', '9', 'a', 'b')"),
              12);
    // The other 74 bits differ from table to table: book 1 is not author 1.
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM books b JOIN authors a ON a.id = b.id"), 0);
    EXPECT_EQ(QueryValue(url,
                         "SELECT data_type || ' ' || is_nullable || ' ' || column_default FROM "
                         "information_schema.columns WHERE table_name = 'authors' AND "
                         "column_name = 'id'"),
              "uuid NO gen_random_uuid()");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM chapters WHERE n = 1"), 12);
    EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT book_id) FROM chapters"), 12);
    EXPECT_EQ(Orphans(url), 0);
    ExpectVerifyPasses(url, profile);
  }
  EXPECT_EQ(Contents(urls[0]), Contents(urls[1]));

  // The application's own authors: a random UUID (no id at all to seedforge) and a version-7
  // one whose time field is id 256. The top-up adds 3 authors (10 in all), ids 257 to 259, on
  // the batch path and on the one-transaction path alike.
  std::vector<std::string> topped;
  for (size_t i = 0; i < urls.size(); ++i) {
    const std::string& url = urls[i];
    Execute(url,
            "INSERT INTO authors (name) VALUES ('App Person'); INSERT INTO authors VALUES "
            "('018cc251-f500-7000-8000-000000000000', 'Imported Person')");
    const ProcessResult top =
        Sf({"seed", "--db", url, "--profile", profile, "--rows", "authors=10", "--rows", "books=40",
            "--append-mode", i == 0 ? "batch" : "transaction", "--quiet"});
    ASSERT_EQ(top.exit_code, 0) << top.err;
    EXPECT_EQ(QueryValue(
                  url,
                  "SELECT string_agg(left(id::text, 13), ',' ORDER BY id) FROM authors "
                  "WHERE id > '018cc251-f500-7000-8000-000000000000' AND substr(id::text, 15, 1) = "
                  "'7'"),
              "018cc251-f501,018cc251-f502,018cc251-f503");
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(name, ',' ORDER BY name) FROM authors WHERE "
                         "name IN ('App Person', 'Imported Person')"),
              "App Person,Imported Person");
    // The server reads the ids back from the UUIDs; the random one holds none.
    EXPECT_EQ(QueryValue(url, "SELECT string_agg(" + IdNumberSql("id") +
                                  "::text, ',' ORDER BY id) || ' ' || count(*) FROM authors"),
              "1,2,3,4,5,256,257,258,259 10");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM books"), 40);
    EXPECT_EQ(Orphans(url), 0);
    ExpectVerifyPasses(url, profile, {"--rows", "authors=10", "--rows", "books=40"});
    // No generated row refers to the random one, which differs from database to database.
    Execute(url, "DELETE FROM authors WHERE name = 'App Person'");
    topped.push_back(Contents(url));
  }
  EXPECT_EQ(topped[0], topped[1]);
  RemoveTree(dir);
}

TEST(UuidIds, AKillDuringTheLoadIsCompletedByTheRerun) {
  const std::string dir = MakeTempDir("uuid_kill");
  const std::string profile = dir + "/library.json";
  std::ofstream(profile) << kLibrary;
  const std::string killed = TestCluster::Get().CreateDatabase("uuid_killed");
  const std::string clean = TestCluster::Get().CreateDatabase("uuid_clean");
  ASSERT_EQ(Sf({"seed", "--db", killed, "--profile", profile, "--quiet"}).exit_code, 0);
  {
    FailpointPauses pauses("uuid_kill");
    const std::string point = "sink.batch_committed:books";
    ChildProcess child({"seed", "--db", killed, "--profile", profile, "--rows", "books=5000",
                        "--append-mode", "batch", "--batch-size", "1000", "--quiet"},
                       pauses.Env(point + "=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().exit_code, -1);
  }
  const int64_t books = QueryInt(killed, "SELECT count(*) FROM books");
  EXPECT_GE(books, 1012);
  EXPECT_LT(books, 5000);
  ASSERT_EQ(Sf({"seed", "--db", killed, "--profile", profile, "--rows", "books=5000", "--quiet"})
                .exit_code,
            0);
  ASSERT_EQ(Sf({"seed", "--db", clean, "--profile", profile, "--rows", "books=5000", "--quiet"})
                .exit_code,
            0);
  EXPECT_EQ(Contents(killed), Contents(clean));
  EXPECT_EQ(Orphans(killed), 0);
  RemoveTree(dir);
}

TEST(UuidIds, AReferenceOfAnotherTypeThanTheIdsIsOneLineAndNothingWritten) {
  const std::string dir = MakeTempDir("uuid_bad");
  const std::string url = TestCluster::Get().CreateDatabase("uuid_bad");
  const std::string profile = dir + "/bad.json";
  std::string text = kLibrary;
  const std::string ref = R"("author_id": {"type": "uuid")";
  text.replace(text.find(ref), ref.size(), R"("author_id": {"type": "bigint")");
  std::ofstream(profile) << text;
  const ProcessResult bigint = Sf({"seed", "--db", url, "--profile", profile});
  EXPECT_EQ(bigint.exit_code, 2);
  EXPECT_EQ(bigint.err, "seedforge: error: " + profile +
                            ": $.tables.books.columns.author_id: column author_id is bigint, but "
                            "the ids of authors are uuid\n");

  text = kLibrary;
  const std::string id = R"("id": {"type": "uuid", "gen": "id"},
      "author_id")";
  text.replace(text.find(id), id.size(), R"("id": {"type": "bigint", "gen": "id"},
      "author_id")");
  std::ofstream(profile) << text;
  const ProcessResult typed = Sf({"seed", "--db", url, "--profile", profile});
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_EQ(typed.err, "seedforge: error: " + profile +
                           ": $.tables.chapters.columns.book_id: column book_id is uuid, but "
                           "the ids of books are bigint\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
  RemoveTree(dir);
}

TEST(UuidIds, InitDeclaresUuidKeysAndTheProfileSeedsBesideTheApplicationsRows) {
  const std::string url = DatabaseWithSchema("uuid_init", "init_uuid.sql");
  const std::string dir = MakeTempDir("uuid_init");
  const std::string profile = dir + "/app.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "40", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string text = ReadFile(profile);
  EXPECT_NE(text.find(R"("id": { "type": "uuid", "gen": "id" },)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("author_id": { "type": "uuid", "gen": "parent" },)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("book_id": { "type": "uuid", "gen": "parent", "on_delete": "cascade" },)"),
            std::string::npos)
      << text;
  EXPECT_NE(init.err.find("  authors.id: id 1, 2, 3... as time-ordered UUIDs (primary key)\n"),
            std::string::npos)
      << init.err;
  const std::string again_dir = MakeTempDir("uuid_init_again");
  const ProcessResult again =
      Sf({"init", "--db", url, "--rows", "40", "--out", again_dir + "/app.json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadFile(again_dir + "/app.json"), text);
  RemoveTree(again_dir);

  for (const char* scale : {"1", "2"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    // The application's author counts toward the target and stays as it was.
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM authors"), 40 * std::stoi(scale));
    EXPECT_EQ(QueryValue(url,
                         "SELECT name || ' ' || email FROM authors WHERE id = "
                         "'3b7f6a52-9c1d-4e8f-a2b4-5d6e7f8a9b0c'"),
              "Site Owner owner@example.org");
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM books b "
                       "WHERE b.id = r.book_id)"),
              0);
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
