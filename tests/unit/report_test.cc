// The run summary on the terminal: one aligned table whatever the table names.
#include "engine/report.h"

#include <gtest/gtest.h>

#include <string>

namespace seedforge {
namespace {

TableReport Table(std::string name, int64_t rows) {
  TableReport t;
  t.table = std::move(name);
  t.target = rows;
  t.planned = rows;
  t.written = rows;
  t.after = rows;
  t.method = "null";
  return t;
}

TEST(Report, TheTableColumnIsAsWideAsTheLongestName) {
  RunReport report;
  report.tables = {Table("users", 5), Table("scriptElementsTable", 311284)};
  EXPECT_EQ(FormatSummary(report),
            "table                    target      before       added       after        MB  "
            "seconds       rows/s  method\n"
            "users                         5           0           5           5       0.0    "
            "0.000            0  null\n"
            "scriptElementsTable     311,284           0     311,284     311,284       0.0    "
            "0.000            0  null\n"
            "total                                           311,289                   0.0    "
            "0.000            0\n");
  EXPECT_EQ(FormatPlan(report),
            "dry run: nothing was changed; the run would do this:\n"
            "table                   present      target      to add  path\n"
            "users                         0           5           5  null\n"
            "scriptElementsTable           0     311,284     311,284  null\n"
            "total                                           311,289\n");
}

TEST(Report, ShortNamesKeepTheThirteenColumnsTheyAlwaysHad) {
  RunReport report;
  report.tables = {Table("users", 5)};
  EXPECT_EQ(FormatPlan(report),
            "dry run: nothing was changed; the run would do this:\n"
            "table             present      target      to add  path\n"
            "users                   0           5           5  null\n"
            "total                                           5\n");
}

}  // namespace
}  // namespace seedforge
