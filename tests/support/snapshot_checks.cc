// See snapshot_checks.h.
#include "tests/support/snapshot_checks.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_support.h"

namespace seedforge::testing {
namespace {

constexpr const char* kDataRuns =
    " WHERE command NOT IN ('verify', 'snapshot create', 'snapshot restore')";

}  // namespace

std::string DatabaseState(const std::string& url) {
  std::string state = QueryValue(
      url,
      "SELECT coalesce(string_agg(d, E'\\n' ORDER BY d), '') FROM ("
      " SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || "
      "  pg_get_constraintdef(oid) || ' valid=' || convalidated AS d FROM pg_constraint"
      "  WHERE connamespace IN ('public'::regnamespace, to_regnamespace('seedforge'))"
      "  AND conrelid <> coalesce(to_regclass('seedforge.pending_constraints'), 0)"
      " UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i"
      "  JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace IN ('public'::regnamespace,"
      "  to_regnamespace('seedforge')) AND c.relname <> 'pending_constraints'"
      " UNION ALL SELECT 'column ' || attrelid::regclass || ' ' || attname || ' ' ||"
      "  format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute a"
      "  JOIN pg_class c ON c.oid = a.attrelid WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT"
      "  a.attisdropped AND c.relname <> 'pending_constraints' AND c.relnamespace IN"
      "  ('public'::regnamespace, to_regnamespace('seedforge'))"
      " UNION ALL SELECT 'sequence ' || schemaname || '.' || sequencename || ' ' ||"
      "  coalesce(last_value::text, 'unset') FROM pg_sequences"
      "  WHERE schemaname IN ('public', 'seedforge') AND sequencename <> 'runs_id_seq') s");
  const std::string tables =
      QueryValue(url,
                 "SELECT coalesce(string_agg(format('%I.%I', schemaname, tablename), ' ' ORDER BY "
                 "schemaname, tablename), '') "
                 "FROM pg_tables WHERE schemaname IN ('public', 'seedforge') AND NOT (schemaname = "
                 "'seedforge' AND tablename = 'pending_constraints')");
  size_t begin = 0;
  while (begin < tables.size()) {
    size_t end = tables.find(' ', begin);
    if (end == std::string::npos) end = tables.size();
    const std::string table = tables.substr(begin, end - begin);
    // The rows verify and the snapshot commands add to the history are the runs' own record.
    const std::string where = table == "seedforge.runs" ? kDataRuns : "";
    state += "\nrows " + table + " " +
             QueryValue(url,
                        "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' "
                        "ORDER BY t::text), '')) FROM " +
                            table + " t" + where);
    begin = end + 1;
  }
  return state;
}

void EditFile(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = ReadFile(path);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << path;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace seedforge::testing
