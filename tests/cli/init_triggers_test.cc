// User triggers during a seed (tests/schemas/init_triggers.sql): they fire on every row seedforge
// writes, on the bulk path and on top-ups alike. init leaves the columns a BEFORE trigger fills
// and the counters another table's trigger updates to the server, declares no table a trigger
// inserts into, and says so; the seeded rows then hold what the triggers made of them, verify
// passes, and a trigger init cannot work with is one line, exit 2, nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::Execute;
using testing::ExpectVerifyPasses;
using testing::MakeTempDir;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::ReadFile;
using testing::RemoveTree;

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

TEST(InitTriggers, TriggersFireOnEverySeededRowAndInitLeavesThemTheirColumns) {
  const std::string url = DatabaseWithSchema("init_triggers", "init_triggers.sql");
  const std::string dir = MakeTempDir("init_triggers");
  const std::string profile = dir + "/editorial.json";
  const ProcessResult init = Sf({"init", "--db", url, "--rows", "20", "--out", profile});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  for (const char* line : {
           "  3 tables, 11 generated columns (0 from their type alone, listed last)\n",
           "  trigger articles_fill on articles: fires on every row a seed writes (sets slug, "
           "word_count)\n",
           "  trigger articles_log on articles: fires on every row a seed writes (inserts "
           "article_log)\n",
           "  trigger comments_count on comments: fires on every row a seed writes (updates "
           "articles)\n",
           "  article_log: not declared: trigger articles_log on articles inserts its rows\n",
           "  articles.slug: left to the server (set by trigger articles_fill)\n",
           "  articles.word_count: left to the server (set by trigger articles_fill)\n",
           "  articles.comment_count: left to the server (trigger comments_count on comments "
           "updates it)\n",
       }) {
    EXPECT_NE(init.err.find(line), std::string::npos) << line << init.err;
  }
  const std::string json = ReadFile(profile);
  EXPECT_EQ(json.find("\"article_log\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"slug\""), std::string::npos) << json;

  for (const char* size : {"1", "4"}) {
    const ProcessResult seeded =
        Sf({"seed", "--db", url, "--profile", profile, "--scale", size, "--quiet"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    const int64_t authors = 20 * std::stoi(size);
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM authors"), authors);
    const int64_t articles = QueryInt(url, "SELECT count(*) FROM articles");
    EXPECT_GE(articles, authors);
    EXPECT_LE(articles, 3 * authors);
    // One log row per article, written by the AFTER trigger (the first run's, then the top-up's).
    EXPECT_EQ(QueryValue(url,
                         "SELECT count(*) || ' ' || count(DISTINCT article_id) || ' ' || "
                         "min(action) || ' ' || max(action) FROM article_log"),
              std::to_string(articles) + " " + std::to_string(articles) + " created created");
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM article_log l WHERE NOT EXISTS (SELECT 1 FROM "
                       "articles a WHERE a.id = l.article_id)"),
              0);
    // The BEFORE trigger's slug and word count, not anything seedforge generated.
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM articles WHERE slug <> trim(both '-' from "
                       "lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g'))) || '-' || id "
                       "OR word_count <> array_length(regexp_split_to_array(trim(body), "
                       "'\\s+'), 1)"),
              0);
    // Every comment counted once on its article, across the bulk load and the top-up.
    EXPECT_EQ(QueryInt(url,
                       "SELECT count(*) FROM articles a WHERE comment_count <> (SELECT count(*) "
                       "FROM comments c WHERE c.article_id = a.id)"),
              0);
    EXPECT_GT(QueryInt(url, "SELECT sum(comment_count) FROM articles"), articles);
    ExpectVerifyPasses(url, profile, {"--scale", size});
  }

  const ProcessResult again = Sf({"init", "--db", url, "--rows", "20", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::string expected = ReadFile(profile);
  expected.replace(expected.find("\"name\": \"editorial\""), 19, "\"name\": \"inferred\"");
  EXPECT_EQ(again.out, expected);
  RemoveTree(dir);
}

TEST(InitTriggers, ATriggerInitCannotWorkWithIsOneLineAndNothingWritten) {
  const std::string url = DatabaseWithSchema("init_triggers_bad", "init_triggers.sql");
  const std::string dir = MakeTempDir("init_triggers_bad");
  const std::string profile = dir + "/p.json";
  // A counter that is NOT NULL without a default: the rows a seed writes would not keep it.
  Execute(url, "ALTER TABLE articles ALTER COLUMN comment_count DROP DEFAULT");
  const ProcessResult counter = Sf({"init", "--db", url, "--out", profile});
  EXPECT_EQ(counter.exit_code, 2);
  EXPECT_EQ(counter.err,
            "seedforge: error: table public.articles: column comment_count is NOT NULL without "
            "a default, and trigger comments_count on comments updates it: the values a seed "
            "writes would not stay as generated (exclude the table with --exclude articles)\n");
  // A trigger that numbers the rows itself.
  Execute(url,
          "CREATE FUNCTION authors_number() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id "
          ":= nextval('author_ids'); RETURN NEW; END $$; CREATE SEQUENCE author_ids; CREATE "
          "TRIGGER authors_number BEFORE INSERT ON authors FOR EACH ROW EXECUTE FUNCTION "
          "authors_number()");
  const ProcessResult id = Sf({"init", "--db", url, "--table", "authors", "--out", profile});
  EXPECT_EQ(id.exit_code, 2);
  EXPECT_EQ(id.err,
            "seedforge: error: table public.authors: primary key id is set by trigger "
            "authors_number; the engine generates ids itself (exclude the table with --exclude "
            "authors)\n");
  EXPECT_FALSE(std::filesystem::exists(profile));
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM authors"), 0);
  RemoveTree(dir);
}

}  // namespace
}  // namespace seedforge
