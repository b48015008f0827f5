// Join tables: a per-parent table whose rows under one parent refer to distinct rows of another
// table (`"distinct": true` on its ref), so that the pair (parent, ref) is unique by
// construction: a post's tags, Django's many-to-many tables. Seeds, tops up (new posts see the
// new tags), verifies, and is what init makes of a unique pair of two foreign keys to different
// tables. Join tables without an id: a "primary_key" of the table's own columns (none: []),
// made by construction; every row such a table holds counts as generated. They seed on one
// connection or two, top up on both append paths, survive a SIGKILL, and are what init makes of
// a composite primary key or a table without one.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::ChildProcess;
using testing::DatabaseWithSchema;
using testing::ExpectVerifyPasses;
using testing::FailpointPauses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args,
                 std::map<std::string, std::optional<std::string>> env = {}) {
  return testing::RunSeedforgeClean(args, std::move(env));
}

constexpr const char* kBlog = R"json({
  "name": "blog",
  "tables": {
    "posts": {"rows": 300, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "title": {"type": "text", "gen": "sentence"}}},
    "tags": {"rows": 6, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "name": {"type": "text", "gen": "template", "format": "tag{n}", "unique": true}}},
    "post_tags": {"rows": {"per": "posts", "min": 0, "max": 6}, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "post_id": {"type": "bigint", "gen": "parent"},
      "tag_id": {"type": "bigint", "gen": "ref", "to": "tags", "distinct": true}},
      "unique": [["post_id", "tag_id"]]}
  }
}
)json";

TEST(JoinTables, DistinctRefsUnderAParentSeedTopUpAndVerify) {
  const std::string dir = MakeTempDir("join_tables");
  const std::string profile = dir + "/blog.json";
  std::ofstream(profile) << kBlog;
  const std::string url = TestCluster::Get().CreateDatabase("join_tables");
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", profile, "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  // Up to 6 tags per post, out of 6: the posts with 6 rows have every tag once.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM (SELECT post_id FROM post_tags GROUP BY post_id "
                     "HAVING count(*) = 6 AND count(DISTINCT tag_id) = 6 AND min(tag_id) = 1 AND "
                     "max(tag_id) = 6) p"),
            QueryInt(url,
                     "SELECT count(*) FROM (SELECT post_id FROM post_tags GROUP BY post_id "
                     "HAVING count(*) = 6) p"));
  EXPECT_GT(QueryInt(url,
                     "SELECT count(*) FROM (SELECT post_id FROM post_tags GROUP BY post_id "
                     "HAVING count(*) = 6) p"),
            0);
  // Every tag is used, and the tags of a post are not always the first ones.
  EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT tag_id) FROM post_tags"), 6);
  EXPECT_GT(QueryInt(url,
                     "SELECT count(*) FROM post_tags p JOIN (SELECT post_id FROM post_tags "
                     "GROUP BY post_id HAVING count(*) = 1) o USING (post_id) WHERE "
                     "tag_id <> 1"),
            0);
  ExpectVerifyPasses(url, profile);

  // A top-up: 300 more posts and 6 more tags; the new posts' rows reach the new tags, the old
  // posts keep theirs.
  const std::string before =
      QueryValue(url,
                 "SELECT md5(string_agg(post_id || ':' || tag_id, ',' ORDER BY id)) FROM "
                 "post_tags");
  const int64_t rows = QueryInt(url, "SELECT count(*) FROM post_tags");
  const ProcessResult topped = Sf({"seed", "--db", url, "--profile", profile, "--rows", "posts=600",
                                   "--rows", "tags=12", "--quiet"});
  ASSERT_EQ(topped.exit_code, 0) << topped.err;
  EXPECT_EQ(QueryValue(url,
                       "SELECT md5(string_agg(post_id || ':' || tag_id, ',' ORDER BY id)) "
                       "FROM post_tags WHERE id <= " +
                           std::to_string(rows)),
            before);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM post_tags WHERE post_id <= 300 AND tag_id > 6"), 0);
  EXPECT_GT(QueryInt(url, "SELECT count(*) FROM post_tags WHERE post_id > 300 AND tag_id > 6"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) - count(DISTINCT (post_id, tag_id)) FROM post_tags"), 0);
  ExpectVerifyPasses(url, profile, {"--rows", "posts=600", "--rows", "tags=12"});

  // Fewer tags than a post may have: one line before anything is written.
  const std::string empty = TestCluster::Get().CreateDatabase("join_tables_few");
  const ProcessResult few = Sf({"seed", "--db", empty, "--profile", profile, "--rows", "tags=5"});
  EXPECT_EQ(few.exit_code, 2);
  EXPECT_EQ(few.err,
            "seedforge: error: profile blog: table post_tags: up to 6 rows per posts row need as "
            "many distinct "
            "tags rows (column tag_id), but it has 5\n");
  EXPECT_EQ(QueryInt(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);

  // "distinct" outside a per-parent table.
  std::string text = kBlog;
  const std::string title = R"("title": {"type": "text", "gen": "sentence"})";
  text.replace(text.find(title), title.size(),
               R"("tag_id": {"type": "bigint", "gen": "ref", "to": "tags", "distinct": true})");
  std::ofstream(profile) << text;
  const ProcessResult outside = Sf({"seed", "--db", empty, "--profile", profile});
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_NE(outside.err.find(": $.tables.posts.columns.tag_id.distinct: 'distinct' is for a ref "
                             "of a per-parent table"),
            std::string::npos)
      << outside.err;
  RemoveTree(dir);
}

TEST(JoinTables, InitMakesDjangosManyToManyTablesDistinctRefsUnderTheirFirstKey) {
  const std::string url = DatabaseWithSchema("join_init", "django_m2m.sql");
  const std::string dir = MakeTempDir("join_init");
  const std::string profile = dir + "/blog.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "30", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string text = ReadFile(profile);
  EXPECT_NE(
      text.find(
          R"("tag_id": { "type": "bigint", "gen": "ref", "to": "blog_tag", "distinct": true, "deferrable": true })"),
      std::string::npos)
      << text;
  EXPECT_NE(init.err.find("  blog_post_tags.tag_id: a row of blog_tag, distinct under its "
                          "post_id (unique key)\n"),
            std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("  blog_follow.tag_id: a row of blog_tag, distinct under its "
                          "author_id (unique key)\n"),
            std::string::npos)
      << init.err;
  for (const char* scale : {"1", "2"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM blog_post"), 30 * std::stoi(scale));
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM blog_post_tags"), 30 * std::stoi(scale));
    EXPECT_GT(QueryInt(url, "SELECT count(*) FROM blog_follow"), 30 * std::stoi(scale));
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  RemoveTree(dir);
}

constexpr const char* kCourses = R"json({
  "name": "courses",
  "tables": {
    "courses": {"rows": 40, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "title": {"type": "text", "gen": "sentence"}}},
    "students": {"rows": 25, "columns": {
      "id": {"type": "bigint", "gen": "id"},
      "name": {"type": "text", "gen": "full_name"}}},
    "enrolments": {"rows": {"per": "courses", "min": 1, "max": 8},
      "primary_key": ["course_id", "student_id"],
      "columns": {
        "course_id": {"type": "bigint", "gen": "parent"},
        "student_id": {"type": "bigint", "gen": "ref", "to": "students", "distinct": true},
        "grade": {"type": "smallint", "gen": "uniform", "min": 0, "max": 100, "step": 1}}},
    "audit_log": {"rows": 300, "primary_key": [], "columns": {
      "student_id": {"type": "bigint", "gen": "ref", "to": "students"},
      "action": {"type": "text", "gen": "choice", "values": ["login", "logout"]}}}
  }
}
)json";

// The rows of a table without an id, in the order of their text.
std::string RowsHash(const std::string& url, const std::string& table) {
  return QueryValue(
      url, "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM " + table + " t");
}

std::string CourseContents(const std::string& url) {
  return RowsHash(url, "enrolments") + " " + RowsHash(url, "audit_log");
}

TEST(JoinTables, ATableWithoutAnIdSeedsTopsUpOnBothPathsAndVerifies) {
  const std::string dir = MakeTempDir("no_id");
  const std::string profile = dir + "/courses.json";
  std::ofstream(profile) << kCourses;
  std::vector<std::string> urls;
  for (const char* connections : {"1", "2"}) {
    const std::string url = TestCluster::Get().CreateDatabase("no_id");
    urls.push_back(url);
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--connections", connections, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE "
                         "attrelid = 'enrolments'::regclass AND attnum > 0"),
              "course_id,student_id,grade");
    EXPECT_EQ(QueryValue(url,
                         "SELECT string_agg(conname || ': ' || pg_get_constraintdef(oid), '; ' "
                         "ORDER BY conname) FROM pg_constraint WHERE conrelid IN "
                         "('enrolments'::regclass, 'audit_log'::regclass) AND contype = 'p'"),
              "enrolments_pkey: PRIMARY KEY (course_id, student_id)");
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_log"), 300);
    ExpectVerifyPasses(url, profile);
  }
  EXPECT_EQ(CourseContents(urls[0]), CourseContents(urls[1]));

  std::vector<std::string> topped;
  for (size_t i = 0; i < urls.size(); ++i) {
    const ProcessResult top =
        Sf({"seed", "--db", urls[i], "--profile", profile, "--rows", "courses=100", "--rows",
            "audit_log=700", "--append-mode", i == 0 ? "batch" : "transaction", "--quiet"});
    ASSERT_EQ(top.exit_code, 0) << top.err;
    EXPECT_EQ(QueryInt(urls[i], "SELECT count(*) FROM audit_log"), 700);
    EXPECT_EQ(QueryInt(urls[i], "SELECT count(DISTINCT course_id) FROM enrolments"), 100);
    ExpectVerifyPasses(urls[i], profile, {"--rows", "courses=100", "--rows", "audit_log=700"});
    topped.push_back(CourseContents(urls[i]));
  }
  EXPECT_EQ(topped[0], topped[1]);

  // Killed after the first batches of a top-up committed: the rerun goes on from the rows the
  // table holds.
  const std::string killed = TestCluster::Get().CreateDatabase("no_id_killed");
  const std::string clean = TestCluster::Get().CreateDatabase("no_id_clean");
  for (const std::string& url : {killed, clean}) {
    ASSERT_EQ(Sf({"seed", "--db", url, "--profile", profile, "--quiet"}).exit_code, 0);
  }
  {
    FailpointPauses pauses("no_id_kill");
    const std::string point = "sink.batch_committed:audit_log";
    ChildProcess child({"seed", "--db", killed, "--profile", profile, "--rows", "audit_log=5000",
                        "--append-mode", "batch", "--batch-size", "1000", "--quiet"},
                       pauses.Env(point + "=pause"));
    ASSERT_TRUE(pauses.WaitUntilReached(point, child));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait().exit_code, -1);
  }
  const int64_t partial = QueryInt(killed, "SELECT count(*) FROM audit_log");
  EXPECT_GE(partial, 1300);
  EXPECT_LT(partial, 5000);
  for (const std::string& url : {killed, clean}) {
    ASSERT_EQ(Sf({"seed", "--db", url, "--profile", profile, "--rows", "audit_log=5000", "--quiet"})
                  .exit_code,
              0);
  }
  EXPECT_EQ(CourseContents(killed), CourseContents(clean));
  RemoveTree(dir);
}

TEST(JoinTables, WhatATableWithoutAnIdCannotBeIsOneLineAndNothingWritten) {
  const std::string dir = MakeTempDir("no_id_bad");
  const std::string url = TestCluster::Get().CreateDatabase("no_id_bad");
  const std::string profile = dir + "/bad.json";
  auto refused = [&](const std::string& from, const std::string& to) {
    std::string text = kCourses;
    text.replace(text.find(from), from.size(), to);
    std::ofstream(profile) << text;
    const ProcessResult result = Sf({"seed", "--db", url, "--profile", profile});
    EXPECT_EQ(result.exit_code, 2);
    return result.err.substr(
               0, std::min(result.err.size(), ("seedforge: error: " + profile).size())) ==
                   "seedforge: error: " + profile
               ? result.err.substr(("seedforge: error: " + profile).size())
               : result.err;
  };
  EXPECT_EQ(refused(R"("primary_key": ["course_id", "student_id"])", R"("primary_key": ["grade"])"),
            ": $.tables.enrolments.primary_key: primary key enrolments_pkey (grade) has no column "
            "injective in the row; include a unique column ('id', 'scramble', 'uuid', a unique "
            "'pattern' or 'template'), or use (parent, index_in_parent) or (parent, a "
            "\"distinct\" ref) of a per-parent table, or the first and second parts of a "
            "'pair'\n");
  EXPECT_EQ(refused(R"("primary_key": [])", R"("primary_key": ["who"])"),
            ": $.tables.audit_log.primary_key: unknown column 'who'\n");
  EXPECT_EQ(refused(R"("student_id": {"type": "bigint", "gen": "ref", "to": "students"},)",
                    R"("student_id": {"type": "bigint", "gen": "ref", "to": "enrolments"},)"),
            ": $.tables.audit_log.columns.student_id: column student_id refers to enrolments, "
            "which has no id (its \"primary_key\" is its own columns); a reference needs the id "
            "of the table it refers to\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
  RemoveTree(dir);
}

TEST(JoinTables, InitDeclaresACompositePrimaryKeyAndATableWithoutOne) {
  const std::string url = DatabaseWithSchema("no_id_init", "join_tables.sql");
  const std::string dir = MakeTempDir("no_id_init");
  const std::string profile = dir + "/school.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "30", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string text = ReadFile(profile);
  for (
      const char* line : {
          R"(      "primary_key": ["course_id", "student_id"],)",
          R"(        "student_id": { "type": "bigint", "gen": "ref", "to": "students", "distinct": true },)",
          R"(      "primary_key": [],)",
      }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_NE(init.err.find("  enrolments: 1 to 3 rows per row of courses (through course_id); "
                          "primary key (course_id, student_id), made by construction: no id, "
                          "every row it holds counts as generated\n"),
            std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("  audit_log: 30 rows (--rows); no primary key: no id, every row it "
                          "holds counts as generated\n"),
            std::string::npos)
      << init.err;
  const std::string again_dir = MakeTempDir("no_id_init_again");
  ASSERT_EQ(
      Sf({"init", "--db", url, "--rows", "30", "--out", again_dir + "/school.json"}).exit_code, 0);
  EXPECT_EQ(ReadFile(again_dir + "/school.json"), text);
  RemoveTree(again_dir);
  for (const char* scale : {"1", "2"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_log"), 30 * std::stoi(scale));
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM courses_students"), 30 * std::stoi(scale));
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) - count(DISTINCT (course_id, student_id)) FROM "
                       "enrolments"),
              0);
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }
  RemoveTree(dir);
}

// A composite foreign key through the referenced table's id: the id's column is a ref (here
// the parent) and the others copy the referenced row's columns, so the key holds by
// construction: a sale line's tenant is its product's, a note's event_at is its event's (a
// range-partitioned table, whose keys hold the partition key).
TEST(JoinTables, InitMakesACompositeForeignKeyARefAndCopiesOfTheReferencedRow) {
  const std::string url = DatabaseWithSchema("composite_init", "composite_keys.sql");
  const std::string dir = MakeTempDir("composite_init");
  const std::string profile = dir + "/app.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "40", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string text = ReadFile(profile);
  for (
      const char* line : {
          R"("tenant_id": { "type": "bigint", "gen": "lookup", "via": "product_id", "column": "tenant_id" },)",
          R"("product_id": { "type": "bigint", "gen": "parent", "foreign_key": {"tenant_id": "tenant_id", "product_id": "id"} },)",
          R"("event_id": { "type": "bigint", "gen": "parent", "on_delete": "cascade", "foreign_key": {"event_id": "id", "event_at": "at"} },)",
          R"("event_at": { "type": "timestamptz", "gen": "lookup", "via": "event_id", "column": "at" },)",
      }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_NE(init.err.find("  sale_lines.tenant_id: the tenant_id of its product_id row "
                          "(composite foreign key sale_lines_tenant_id_product_id_fkey)\n"),
            std::string::npos)
      << init.err;
  for (const char* scale : {"1", "2"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", scale, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    const int64_t lines = QueryInt(url, "SELECT count(*) FROM sale_lines");
    EXPECT_GT(lines, 40 * std::stoi(scale));
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM sale_lines s JOIN products p ON p.id = "
                       "s.product_id AND p.tenant_id = s.tenant_id"),
              lines);
    const int64_t notes = QueryInt(url, "SELECT count(*) FROM event_notes");
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM event_notes n JOIN events e ON e.id = "
                       "n.event_id AND e.at = n.event_at"),
              notes);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM events_2024") +
                  QueryInt(url, "SELECT count(*) FROM events_2025"),
              40 * std::stoi(scale));
    ExpectVerifyPasses(url, profile, {"--scale", scale});
  }

  // A key whose other column is not a copy through the ref cannot hold: one line.
  std::string bad = text;
  const std::string copy =
      R"("tenant_id": { "type": "bigint", "gen": "lookup", "via": "product_id", "column": "tenant_id" },)";
  bad.replace(
      bad.find(copy), copy.size(),
      R"("tenant_id": { "type": "bigint", "gen": "uniform", "min": 1, "max": 40, "step": 1 },)");
  std::ofstream(profile) << bad;
  const std::string empty = TestCluster::Get().CreateDatabase("composite_bad");
  const ProcessResult refused = Sf({"seed", "--db", empty, "--profile", profile});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "seedforge: error: " + profile +
                ": $.tables.sale_lines.columns.product_id.foreign_key.tenant_id: column "
                "'tenant_id' must be {\"gen\": \"lookup\", \"via\": \"product_id\", \"column\": "
                "\"tenant_id\"} with a \"type\", so that the key holds\n");
  EXPECT_EQ(QueryInt(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
