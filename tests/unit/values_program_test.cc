// RowProgram: column order, determinism (any row alone, in any order, on any thread; other
// columns unchanged when a column is added or the columns are reordered), partial computation,
// no allocation in steady state, and the exact one-line compile errors.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "tests/unit/values_test_support.h"

// Counts allocations of this test binary, for the steady-state test below. Every other test is
// unaffected: the replacement forwards to malloc. Not under a sanitizer, whose own operator new
// checks new/delete pairs for the whole binary (the steady-state test is skipped there).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SEEDFORGE_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SEEDFORGE_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef SEEDFORGE_COUNT_ALLOCATIONS
#define SEEDFORGE_COUNT_ALLOCATIONS 1
#endif
namespace {
std::atomic<long> allocations{0};
}  // namespace
#if SEEDFORGE_COUNT_ALLOCATIONS

// GCC cannot see that the replaced operator new pairs with this delete.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
#endif

namespace seedforge::values {
namespace {

using testing::CompileError;
using testing::MustCompile;
using testing::Texts;

constexpr const char* kUsers = R"({
  "id": {"gen": "id"},
  "email": {"gen": "template", "format": "{first}.{last}{n}@{domain}", "lower": true,
            "unique": true},
  "first": {"gen": "first_name"},
  "last": {"gen": "last_name"},
  "domain": {"gen": "choice", "values": ["example.com", "example.org"]},
  "created_at": {"gen": "timestamp"},
  "status": {"gen": "choice", "values": ["active", "disabled"], "weights": [9, 1]},
  "disabled_at": {"gen": "case", "on": "status", "cases": {"disabled": {
      "gen": "after", "of": "created_at", "by": {"gen": "exponential", "mean": "30d"}}}},
  "profile": {"gen": "json", "fields": {"city": {"gen": "city"},
                                        "score": {"gen": "normal", "mean": 0, "stddev": 1,
                                                  "scale": 3}}}})";

std::vector<std::string> AllColumns(const RowProgram& program, uint64_t row) {
  RowScratch scratch = program.NewScratch();
  program.ComputeRow(row, &scratch);
  std::vector<std::string> out;
  for (size_t c = 0; c < program.column_count(); ++c) out.push_back(scratch[c].ToString());
  return out;
}

TEST(RowProgramTest, ComputesReadColumnsFirstAndKeepsDeclarationOrderOtherwise) {
  const RowProgram program = MustCompile(kUsers);
  // email (1) waits for first (2), last (3), domain (4); disabled_at (7) for status and
  // created_at.
  EXPECT_EQ(program.order(), (std::vector<int>{0, 2, 3, 4, 1, 5, 6, 7, 8}));
  EXPECT_EQ(program.info(1).reads, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(program.info(7).reads, (std::vector<int>{6, 5}));
  EXPECT_EQ(AllColumns(program, 0),
            (std::vector<std::string>{"1", "jessica.stevens1@example.org", "Jessica", "Stevens",
                                      "example.org", "2024-08-27T14:43:40.390607Z", "active", "",
                                      R"({"city":"Mumbai","score":-1.420})"}));
}

TEST(RowProgramTest, AnyRowInAnyOrderOnAnyThreadGivesTheSameValues) {
  const RowProgram program = MustCompile(kUsers);
  constexpr uint64_t kRows = 2000;
  std::vector<std::vector<std::string>> forward(kRows), backward(kRows), threaded(kRows);
  for (uint64_t row = 0; row < kRows; ++row) forward[row] = AllColumns(program, row);
  for (uint64_t row = kRows; row-- > 0;) backward[row] = AllColumns(program, row);
  std::thread odd([&] {
    for (uint64_t row = 1; row < kRows; row += 2) threaded[row] = AllColumns(program, row);
  });
  std::thread even([&] {
    for (uint64_t row = 0; row < kRows; row += 2) threaded[row] = AllColumns(program, row);
  });
  odd.join();
  even.join();
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward, threaded);
}

TEST(RowProgramTest, AddingOrReorderingColumnsLeavesTheOtherColumnsAlone) {
  const RowProgram base =
      MustCompile(R"({"a": {"gen": "uniform", "min": 0, "max": 1}, "b": {"gen": "first_name"}})");
  const RowProgram more = MustCompile(
      R"({"z": {"gen": "uuid"}, "b": {"gen": "first_name"}, "new": {"gen": "word"},
          "a": {"gen": "uniform", "min": 0, "max": 1}})");
  EXPECT_EQ(Texts(base, "a", 0, 500), Texts(more, "a", 0, 500));
  EXPECT_EQ(Texts(base, "b", 0, 500), Texts(more, "b", 0, 500));
}

TEST(RowProgramTest, SeedAndTableNameChangeTheValues) {
  const std::string columns = R"({"a": {"gen": "uniform", "min": 0, "max": 1}})";
  const RowProgram a = MustCompile(columns, 1), b = MustCompile(columns, 2);
  CompileOptions options;
  options.seed = 1;
  auto c = RowProgram::Compile("other", columns, options);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(Texts(a, "a", 0, 10), Texts(b, "a", 0, 10));
  EXPECT_NE(Texts(a, "a", 0, 10), Texts(*c, "a", 0, 10));
}

TEST(RowProgramTest, ComputeColumnComputesOnlyTheColumnsItNeeds) {
  const RowProgram program = MustCompile(kUsers);
  RowScratch scratch = program.NewScratch();
  program.ComputeColumn(7, 1, &scratch);
  RowScratch full = program.NewScratch();
  program.ComputeRow(7, &full);
  EXPECT_EQ(scratch[1].ToString(), full[1].ToString());
  EXPECT_TRUE(scratch[0].is_null());  // id is not needed for the e-mail
  EXPECT_TRUE(scratch[5].is_null());
  EXPECT_FALSE(scratch[2].is_null());
}

TEST(RowProgramTest, SteadyStateRowsDoNotAllocate) {
  if (!SEEDFORGE_COUNT_ALLOCATIONS) GTEST_SKIP() << "allocations are not counted under a sanitizer";
  const RowProgram program = MustCompile(kUsers);
  RowScratch scratch = program.NewScratch();
  for (uint64_t row = 0; row < 1000; ++row) program.ComputeRow(row, &scratch);
  const long before = allocations.load();
  for (uint64_t row = 1000; row < 11000; ++row) program.ComputeRow(row, &scratch);
  EXPECT_EQ(allocations.load() - before, 0);
}

TEST(RowProgramTest, ErrorsAreOneLineNamingTheJsonPath) {
  EXPECT_EQ(CompileError(R"({"email": {"gen": "template", "format": "{frist}@x"}})"),
            "tables.t.columns.email.format: unknown column 'frist'");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "tempalte"}})"),
            "tables.t.columns.a.gen: unknown generator 'tempalte' (did you mean 'template'?)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "xyzzy"}})").substr(0, 80),
            "tables.t.columns.a.gen: unknown generator 'xyzzy' (expected one of: id, uuid, sc");
  EXPECT_EQ(CompileError(R"({"a": {"type": "integer", "gen": "uniform", "min": 1, "max": 3,
                                   "stpe": 1}})"),
            "tables.t.columns.a.stpe: unknown parameter of 'uniform' (expected one of: "
            "null_rate, min, max, step, scale)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "uniform", "min": "1", "max": 3}})"),
            "tables.t.columns.a.min: expected a number");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "uniform", "min": 3, "max": 1}})"),
            "tables.t.columns.a.max: must not be less than min");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "bool", "rate": 1.5}})"),
            "tables.t.columns.a.rate: must be between 0 and 1");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "zipf"}})"),
            "tables.t.columns.a.n: missing (required by 'zipf')");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "id", "step": 0}})"),
            "tables.t.columns.a.step: must not be 0 (ids must differ)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "uniform", "min": 1, "max": 9, "unique": true}})"),
            "tables.t.columns.a.unique: column 'a' is unique but generator 'uniform' is not "
            "injective in the row; use 'id', 'scramble', 'uuid', a 'pattern', or a 'template' "
            "with {n} or a unique column");
  EXPECT_EQ(CompileError(R"({"first": {"gen": "first_name"},
                             "u": {"gen": "template", "format": "{first}", "unique": true}})"),
            "tables.t.columns.u.unique: column 'u' is unique but generator 'template' is not "
            "injective in the row; use 'id', 'scramble', 'uuid', a 'pattern', or a 'template' "
            "with {n} or a unique column");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "template", "format": "{b}"},
                             "b": {"gen": "template", "format": "{c}"},
                             "c": {"gen": "template", "format": "{a}"}})"),
            "tables.t.columns: columns read each other in a cycle: a -> b -> c -> a");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "template", "format": "{a}"}})"),
            "tables.t.columns.a: column 'a' reads itself");
  EXPECT_EQ(CompileError(R"({"k": {"gen": "choice", "values": ["x", "y"]},
                             "v": {"gen": "case", "on": "k", "cases": {
                               "x": {"gen": "const", "value": 1},
                               "y": {"gen": "word"}}}})"),
            "tables.t.columns.v.cases.y: produces text where the cases before it produce "
            "integer");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "choice", "values": ["x", 2]}})"),
            "tables.t.columns.a.values[1]: is a integer, the first value a text (values must "
            "all be of one type)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "choice", "values": ["x"], "weights": [1, 2]}})"),
            "tables.t.columns.a.weights: has 2 weights for 1 values");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "json", "fields": {"x": {"gen": "uniform",
                                                                     "min": 0}}}})"),
            "tables.t.columns.a.fields.x.max: missing (required by 'uniform')");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "after", "of": "a2", "by": {"gen": "word"}},
                             "a2": {"gen": "timestamp"}})"),
            "tables.t.columns.a.by: expected a number generator of durations, such as "
            "{\"gen\": \"exponential\", \"mean\": \"3d\"}");
  EXPECT_EQ(CompileError(R"({"c": {"gen": "after", "of": ["t", "w"], "by": {"gen": "exponential",
                                                                           "mean": "1h"}},
                             "t": {"gen": "timestamp"}, "w": {"gen": "word"}})"),
            "tables.t.columns.c.of: column 'w' produces text, not a timestamp or date");
  EXPECT_EQ(CompileError(R"({"s": {"gen": "word"}, "at": {"gen": "word"},
                             "p": {"gen": "walk", "series": "s", "along": "at", "start": 1}})"),
            "tables.t.columns.p.along: column 'at' produces text, not a timestamp, date or "
            "integer step");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "monotone_time", "every": "3 days"}})"),
            "tables.t.columns.a.every: expected a duration such as \"90s\", \"15m\", \"2h\", "
            "\"3d\" or \"1w\"");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "catalog", "catalog": "devices", "field": "os"}})"),
            "tables.t.columns.a.field: catalog 'devices' has no field 'os' (expected one of: "
            "type, manufacturer, model)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "ipv4", "cidr": "10.0.0/8"}})"),
            "tables.t.columns.a.cidr: expected an IPv4 network such as \"10.0.0.0/8\"");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "pattern", "format": "ABC"}})"),
            "tables.t.columns.a.format: has no '#' (digit) or '?' (letter) to fill");
  EXPECT_EQ(CompileError(R"({"a": 5})"),
            "tables.t.columns.a: expected a generator spec, an object with \"gen\"");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "id", "gen": "id"}})"),
            "tables.t.columns.a.gen: duplicate key (given twice in the same object)");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "id"}, "a": {"gen": "id"}})"),
            "tables.t.columns.a: duplicate column");
  EXPECT_EQ(CompileError(R"({"a": {"gen": "id",)"),
            "tables.t.columns: malformed JSON (The JSON document has an improper structure: "
            "missing or superfluous commas, braces, missing keys, etc.)");
}

TEST(RowProgramTest, PathOptionPrefixesMessages) {
  CompileOptions options;
  options.path = "profile.json: $.tables.\"userTable\".columns";
  auto program = RowProgram::Compile("userTable", R"({"a": {"gen": "nul"}})", options);
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().message(),
            "profile.json: $.tables.\"userTable\".columns.a.gen: unknown generator 'nul' (did "
            "you mean 'null'?)");
  EXPECT_EQ(program.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace seedforge::values
