// Join tables: a per-parent table whose rows under one parent refer to distinct rows of another
// table (`"distinct": true` on its ref), so that the pair (parent, ref) is unique by
// construction: a post's tags, Django's many-to-many tables. Seeds, tops up (new posts see the
// new tags), verifies, and is what init makes of a unique pair of two foreign keys to different
// tables.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::ExpectVerifyPasses;
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

}  // namespace
}  // namespace seedforge
