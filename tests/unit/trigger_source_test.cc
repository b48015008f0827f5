// ReadTriggerSource on trigger functions written the way applications write them: assignments
// through NEW (`:=` anywhere, `=` only where a statement starts, not in a condition), the tables
// a function inserts into, updates (with the SET columns) and deletes from, quoted names, and
// what comments, string literals and dollar quotes hide.
#include "core/trigger_source.h"

#include <gtest/gtest.h>

namespace seedforge {
namespace {

using Strings = std::vector<std::string>;

std::string Writes(const TriggerSource& source) {
  std::string text;
  for (const TriggerWrite& write : source.writes) {
    text += (text.empty() ? "" : "; ") + write.statement + " " + write.table;
    for (const std::string& column : write.columns) text += " " + column;
  }
  return text;
}

TEST(TriggerSource, AssignmentsThroughNewAreTheColumnsItFills) {
  const TriggerSource source = ReadTriggerSource(R"(
BEGIN
  NEW.slug := lower(regexp_replace(NEW.title, '[^a-z0-9]+', '-', 'g')) || '-' || NEW.id;
  IF NEW.word_count = 0 THEN NEW.word_count = 1; END IF;
  new."SearchText" = to_tsvector(NEW.body);
  IF NEW.published THEN
    NEW.published_at := coalesce(NEW.published_at, now());
  ELSE NEW.state = 'draft';
  END IF;
  RETURN NEW;
END)");
  EXPECT_EQ(source.assigns, (Strings{"slug", "word_count", "SearchText", "published_at", "state"}));
  EXPECT_EQ(Writes(source), "");
  EXPECT_FALSE(source.dynamic);
}

TEST(TriggerSource, TablesItWritesWithTheColumnsAnUpdateSets) {
  const TriggerSource source = ReadTriggerSource(R"(
DECLARE n integer;
BEGIN
  INSERT INTO article_log (article_id, action) VALUES (NEW.id, 'created');
  insert into "Audit"."Events" select NEW.id;
  UPDATE authors SET post_count = post_count + 1, last_post_at = greatest(last_post_at, now())
    WHERE id = NEW.author_id;
  UPDATE ONLY app.stats SET (a, b) = (1, 2);
  DELETE FROM drafts WHERE id = NEW.id;
  SELECT count(*) INTO n FROM tags FOR UPDATE;
  INSERT INTO counters VALUES (1) ON CONFLICT (id) DO UPDATE SET n = counters.n + 1;
  RETURN NULL;
END)");
  EXPECT_EQ(Writes(source),
            "insert article_log; insert Audit.Events; update authors post_count last_post_at; "
            "update app.stats; delete drafts; insert counters");
  EXPECT_EQ(source.assigns, Strings{});
}

TEST(TriggerSource, CommentsStringsAndDollarQuotesHideWhatTheyHold) {
  const TriggerSource source = ReadTriggerSource(R"(
BEGIN
  -- NEW.hidden := 1; INSERT INTO commented_out VALUES (1);
  /* UPDATE nested /* deeper */ still_comment SET x = 1; */
  RAISE NOTICE 'INSERT INTO quoted_away VALUES (%)', NEW.id;
  RAISE NOTICE E'it\'s NEW.escaped := 2';
  PERFORM $q$ DELETE FROM dollar_quoted $q$;
  NEW.kept := 'a '' quote; NEW.inside := 3';
  EXECUTE format('INSERT INTO %I VALUES (1)', TG_ARGV[0]);
  RETURN NEW;
END)");
  EXPECT_EQ(source.assigns, Strings{"kept"});
  EXPECT_EQ(Writes(source), "");
  EXPECT_TRUE(source.dynamic);
  EXPECT_FALSE(ReadTriggerSource("BEGIN EXECUTE FUNCTION f(); RETURN NEW; END").dynamic);
}

}  // namespace
}  // namespace seedforge
