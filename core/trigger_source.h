// What a trigger function's source says it does, read without running it: the columns it
// assigns through NEW (`NEW.slug := ...;`) and the tables it writes (`INSERT INTO audit_log`,
// `UPDATE authors SET post_count = ...`), so that `seedforge init` leaves a column a BEFORE trigger
// fills to the server, declares no table a trigger fills, and no column a trigger maintains, and
// so that the PostgreSQL sink accepts a NOT NULL column without a default that a trigger fills.
//
// It reads PL/pgSQL as a sequence of words: comments and string literals are skipped, words are
// compared case-insensitively, and quoted identifiers keep their case. It is a reading of the
// common forms, not a parser: dynamic SQL (EXECUTE) and statements in other functions the
// trigger calls are out of its sight, and ReadTriggerSource says when it saw EXECUTE. Pure text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seedforge {

// A table a trigger function writes: its name as written (unquoted parts, "audit_log" or
// "app.audit_log") and, for an UPDATE, the columns its SET assigns.
struct TriggerWrite {
  std::string statement;  // "insert", "update", "delete" or "merge"
  std::string table;
  std::vector<std::string> columns;  // UPDATE ... SET a = ..., b = ...: {"a", "b"}
};

struct TriggerSource {
  std::vector<std::string> assigns;  // NEW.x := / NEW.x = at the start of a statement, in order
  std::vector<TriggerWrite> writes;  // in order of appearance
  bool dynamic = false;              // an EXECUTE of SQL text (not EXECUTE FUNCTION)
};

TriggerSource ReadTriggerSource(std::string_view source);

}  // namespace seedforge
