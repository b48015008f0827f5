// The model-independent engine: GenerationPlan's arithmetic at its edges, the id mapping of
// MakeMappedGenerator for every RowWriter method, and RunProfile over a tiny fake model (two
// tables, the second derived from the first) into the fake sink. Expected values are worked out
// by hand from the rules in generators/generation_model.h and engine/run.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/byte_buffer.h"
#include "core/table_model.h"
#include "core/table_schema.h"
#include "engine/profile.h"
#include "engine/run.h"
#include "generators/generation_model.h"
#include "sinks/encoding.h"
#include "tests/support/fake_sink.h"

namespace seedforge {
namespace {

using testing::FakeSink;

GenerationSegment Segment(int64_t first_row, int64_t first_id, std::vector<int64_t> counts) {
  GenerationSegment segment;
  segment.first_row = first_row;
  segment.first_id = first_id;
  segment.model_row_counts = std::move(counts);
  return segment;
}

std::vector<int64_t> ToVector(std::span<const int64_t> counts) {
  return std::vector<int64_t>(counts.begin(), counts.end());
}

// --- GenerationPlan ---

TEST(GenerationPlanTest, WithoutHistoryIdsAreIndexPlusOneAndCountsAreTheFinalOnes) {
  GenerationPlan plan;
  plan.row_counts = {4, 9};
  plan.history.resize(2);
  EXPECT_EQ(plan.SegmentFor(1, 0), nullptr);
  EXPECT_EQ(plan.IdOf(1, 0), 1);
  EXPECT_EQ(plan.IdOf(1, 8), 9);
  EXPECT_EQ(ToVector(plan.CountsFor(1, 8)), (std::vector<int64_t>{4, 9}));
  EXPECT_FALSE(plan.MovesIds(0));
  EXPECT_FALSE(plan.MovesIds(1));
}

TEST(GenerationPlanTest, ATableWithoutAHistoryEntryCountsAsFresh) {
  GenerationPlan plan;
  plan.row_counts = {4, 9};  // history left empty: no table has any
  EXPECT_EQ(plan.SegmentFor(1, 3), nullptr);
  EXPECT_EQ(plan.IdOf(1, 3), 4);
  EXPECT_FALSE(plan.MovesIds(1));
}

TEST(GenerationPlanTest, ASegmentsFirstRowBelongsToItAndTheRowBeforeToThePreviousOne) {
  GenerationPlan plan;
  plan.row_counts = {7, 0};
  plan.history.resize(2);
  // Rows 0..4 have ids 1..5 (recorded with 5 users); rows 5.. have ids 20.. (8 users).
  plan.history[0] = {Segment(0, 1, {5, 0}), Segment(5, 20, {8, 0})};
  EXPECT_EQ(plan.SegmentFor(0, 4), &plan.history[0][0]);
  EXPECT_EQ(plan.SegmentFor(0, 5), &plan.history[0][1]);
  EXPECT_EQ(plan.IdOf(0, 0), 1);
  EXPECT_EQ(plan.IdOf(0, 4), 5);
  EXPECT_EQ(plan.IdOf(0, 5), 20);
  EXPECT_EQ(plan.IdOf(0, 6), 21);
  EXPECT_EQ(ToVector(plan.CountsFor(0, 4)), (std::vector<int64_t>{5, 0}));
  EXPECT_EQ(ToVector(plan.CountsFor(0, 5)), (std::vector<int64_t>{8, 0}));
  EXPECT_TRUE(plan.MovesIds(0));
  EXPECT_FALSE(plan.MovesIds(1));
}

TEST(GenerationPlanTest, RowsBeforeTheFirstSegmentUseTheFinalCounts) {
  GenerationPlan plan;
  plan.row_counts = {10};
  plan.history = {{Segment(3, 0, {6})}};  // first_id 0: row 3 is id 4, nothing moved
  EXPECT_EQ(plan.SegmentFor(0, 2), nullptr);
  EXPECT_EQ(ToVector(plan.CountsFor(0, 2)), (std::vector<int64_t>{10}));
  EXPECT_EQ(ToVector(plan.CountsFor(0, 3)), (std::vector<int64_t>{6}));
  EXPECT_EQ(plan.IdOf(0, 2), 3);
  EXPECT_EQ(plan.IdOf(0, 3), 4);
  EXPECT_FALSE(plan.MovesIds(0));
}

// --- MakeMappedGenerator: every RowWriter method through the recording writer ---

using declare::Column;
using declare::ForeignKey;
using declare::IdentityColumn;
using declare::PrimaryKey;
using declare::UniqueKey;

// parent(id) and thing(id, parent_id -> parent, name UNIQUE, then one column per writer method).
std::vector<TableSchema> ThingSchemas() {
  TableDef parent;
  parent.name = "parent";
  parent.columns = {IdentityColumn("id")};
  parent.constraints = {PrimaryKey("parent_pkey", {"id"})};
  TableDef thing;
  thing.name = "thing";
  thing.columns = {IdentityColumn("id"),
                   Column("parent_id", "bigint", true),
                   Column("name", "text", true),
                   Column("small", "smallint", true),
                   Column("r", "real", true),
                   Column("d", "double precision", true),
                   Column("n", "numeric", true),
                   Column("big", "numeric", true),
                   Column("price", "numeric(12,2)", true),
                   Column("day", "date", true),
                   Column("t", "time without time zone", true),
                   Column("local", "timestamp without time zone", true),
                   Column("at", "timestamp with time zone", true),
                   Column("span", "interval", true),
                   Column("u", "uuid", true),
                   Column("ip6", "inet", true),
                   Column("ip4", "inet", true),
                   Column("net", "cidr", true),
                   Column("mac", "macaddr", true),
                   Column("raw", "bytea", true),
                   Column("doc", "jsonb", true),
                   Column("doc_text", "json", true),
                   Column("flag", "boolean", true),
                   Column("nothing", "text", false),
                   Column("list", "integer[]", true),
                   Column("count", "integer", true)};
  thing.constraints = {PrimaryKey("thing_pkey", {"id"}), UniqueKey("thing_name_key", {"name"}),
                       ForeignKey("thing_parent_fkey", {"parent_id"}, parent, {"id"})};
  auto schemas = MakeTableSchemas({parent, thing});
  EXPECT_TRUE(schemas.ok()) << schemas.status().message();
  return *schemas;
}

// Writes thing's rows with every method. As the "inner" generator it writes id = index + 1,
// parent_id = index % 3 + 1 and name "alice" for row 0; with `expected` set it writes what the
// mapping must turn them into under MappedPlan(): ids from 101, parent ids from 51, and row 0's
// name moved off the reserved "alice".
class ThingGenerator final : public TableGenerator {
 public:
  ThingGenerator(const TableSchema& schema, bool expected) : schema_(schema), expected_(expected) {}

  const TableSchema& schema() const override { return schema_; }

  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    for (int64_t i = begin; i < end; ++i) {
      out.BeginRow();
      out.Int64(expected_ ? 101 + i : i + 1);
      out.Int64(expected_ ? 51 + i % 3 : i % 3 + 1);
      out.Text(i == 0 ? (expected_ ? "alice-2" : "alice") : "bob" + std::to_string(i));
      out.Int16(static_cast<int16_t>(-7 - i));
      out.Float32(0.1f + static_cast<float>(i));
      out.Float64(-2.5e-300);
      out.Numeric(-12345 - i, 3);
      out.NumericText("123456789012345678901234567890.125");
      out.Numeric2(199999 + i);
      out.Date(static_cast<int32_t>(-800000 + i));
      out.Time(86400000000 - i);
      out.LocalTimestamp(1700000000123456 + i);
      out.Timestamp(-1000000 - i);
      out.Interval(-14, 3, -1 - i);
      const uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                1,    2,    3,    4,    5,    6,    7,    static_cast<uint8_t>(i)};
      out.Uuid(uuid);
      IpAddress v6;
      v6.v6 = true;
      v6.bytes[0] = 0x20;
      v6.bytes[1] = 0x01;
      v6.bytes[15] = static_cast<uint8_t>(i + 1);
      v6.prefix = 64;
      out.Inet(v6);
      out.Inet4(0x0A000001u + static_cast<uint32_t>(i));
      IpAddress v4;
      v4.bytes[0] = 192;
      v4.bytes[1] = 168;
      v4.prefix = 16;
      out.Cidr(v4);
      const uint8_t mac[6] = {0, 0x1b, 0x2c, 0x3d, 0x4e, static_cast<uint8_t>(i)};
      out.MacAddr(mac);
      const uint8_t raw[4] = {0, 0xff, 0x10, static_cast<uint8_t>(i)};
      out.Bytea(raw);
      out.Json("{\"k\": [1, \"tab\\there\"]}");
      out.JsonText("[true, null]");
      out.Bool(i % 2 == 0);
      out.Null();
      out.BeginArray();
      out.Int32(1);
      out.Null();
      out.Int32(static_cast<int32_t>(3 + i));  // array elements are never ids
      out.EndArray();
      out.Int32(static_cast<int32_t>(i + 1));  // not an id column: passes unchanged
      out.EndRow();
    }
  }

 private:
  const TableSchema& schema_;
  bool expected_;
};

// parent's rows have ids 51.., thing's ids 101.. and its rows keep clear of the name "alice"
// (with `reserve`).
std::shared_ptr<const GenerationPlan> MappedPlan(bool reserve) {
  auto plan = std::make_shared<GenerationPlan>();
  plan->row_counts = {3, 3};
  plan->history.resize(2);
  plan->history[0] = {Segment(0, 51, {3, 3})};
  GenerationSegment things = Segment(0, 101, {3, 3});
  if (reserve) {
    std::string alice;
    const std::string_view values[] = {"alice"};
    EncodeUniqueKey(0, values, &alice);
    things.reserved_keys = std::make_shared<const ReservedKeys>(ReservedKeys{alice});
  }
  plan->history[1] = {things};
  return plan;
}

std::string Encode(const TableGenerator& generator, Format format, int64_t begin, int64_t end) {
  EncodingOptions options;
  options.array_element_oids.assign(generator.schema().columns.size(), 0);
  options.array_element_oids[24] = 23;  // int4
  const auto encoding = MakeEncoding(format, generator.schema(), options);
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  generator.WriteRows(begin, end, *writer);
  return std::string(buffer.view());
}

TEST(MappedGeneratorTest, ReplayingEveryWriterMethodGivesTheBytesOfWritingDirectly) {
  const std::vector<TableSchema> schemas = ThingSchemas();
  ASSERT_EQ(schemas.size(), 2u);
  const ThingGenerator expected(schemas[1], /*expected=*/true);
  const auto mapped = MakeMappedGenerator(std::make_unique<ThingGenerator>(schemas[1], false), 1,
                                          schemas, MappedPlan(/*reserve=*/true));
  for (const Format format : {Format::kCopyText, Format::kCopyBinary, Format::kJsonl}) {
    SCOPED_TRACE(std::string(FormatName(format)));
    EXPECT_EQ(Encode(*mapped, format, 0, 3), Encode(expected, format, 0, 3));
    // A range that does not start at row 0 maps the same rows the same way.
    EXPECT_EQ(Encode(*mapped, format, 1, 3), Encode(expected, format, 1, 3));
  }
  // The text form, for the values that moved: ids 101.., parent ids 51.., "alice-2".
  const std::string text = Encode(*mapped, Format::kCopyText, 0, 1);
  EXPECT_EQ(text.substr(0, text.find('\t', text.find('\t', text.find('\t') + 1) + 1)),
            "101\t51\talice-2");
}

TEST(MappedGeneratorTest, MovedIdsWithoutReservedValuesPassEveryMethodThrough) {
  const std::vector<TableSchema> schemas = ThingSchemas();
  auto mapped = MakeMappedGenerator(std::make_unique<ThingGenerator>(schemas[1], false), 1, schemas,
                                    MappedPlan(/*reserve=*/false));
  // Only the name differs from the expected rows: nothing reserves "alice" here.
  const std::string direct = Encode(*mapped, Format::kCopyText, 0, 2);
  const std::string expected = Encode(ThingGenerator(schemas[1], true), Format::kCopyText, 0, 2);
  std::string unmoved = expected;
  unmoved.replace(unmoved.find("alice-2"), 7, "alice");
  EXPECT_EQ(direct, unmoved);
}

TEST(MappedGeneratorTest, ATableNeedingNoMappingIsReturnedUnwrapped) {
  const std::vector<TableSchema> schemas = ThingSchemas();
  auto plan = std::make_shared<GenerationPlan>();
  plan->row_counts = {3, 3};
  plan->history.resize(2);
  auto inner = std::make_unique<ThingGenerator>(schemas[1], false);
  const TableGenerator* raw = inner.get();
  EXPECT_EQ(MakeMappedGenerator(std::move(inner), 1, schemas, plan).get(), raw);
}

// --- Unique keys against reserved values: moved by a text column, else found before writing ---

// seat(id, section text, seat integer, badge integer), UNIQUE (section, seat) and UNIQUE (badge).
std::vector<TableSchema> SeatSchemas() {
  TableDef seat;
  seat.name = "seat";
  seat.columns = {IdentityColumn("id"), Column("section", "text", true),
                  Column("seat", "integer", true), Column("badge", "integer", true)};
  seat.constraints = {PrimaryKey("seat_pkey", {"id"}),
                      UniqueKey("seat_section_seat_key", {"section", "seat"}),
                      UniqueKey("seat_badge_key", {"badge"})};
  auto schemas = MakeTableSchemas({seat});
  EXPECT_TRUE(schemas.ok()) << schemas.status().message();
  return *schemas;
}

// Row i: section A for even rows and B for odd ones, seat i + 1, badge 1000 + i.
class SeatGenerator final : public TableGenerator {
 public:
  explicit SeatGenerator(const TableSchema& schema) : schema_(schema) {}
  const TableSchema& schema() const override { return schema_; }
  void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
    for (int64_t i = begin; i < end; ++i) {
      out.BeginRow();
      out.Int64(i + 1);
      out.Text(i % 2 == 0 ? "A" : "B");
      out.Int32(static_cast<int32_t>(i + 1));
      out.Int32(static_cast<int32_t>(1000 + i));
      out.EndRow();
    }
  }

 private:
  const TableSchema& schema_;
};

std::string Key(int key, std::vector<std::string_view> values) {
  std::string encoded;
  EncodeUniqueKey(key, values, &encoded);
  return encoded;
}

TEST(ReservedKeysTest, AKeyWithATextColumnMovesByItAndOneWithoutIsFoundBeforeWriting) {
  const std::vector<TableSchema> schemas = SeatSchemas();
  EXPECT_FALSE(UniqueKeysMoveAside(schemas[0]));  // the badge key has no text column
  auto plan = std::make_shared<GenerationPlan>();
  plan->row_counts = {6};
  plan->history.resize(1);
  GenerationSegment segment = Segment(0, 1, {6});
  const ReservedKeys reserved = {Key(0, {"A", "1"}), Key(0, {"B", "4"}), Key(1, {"1002"})};
  segment.reserved_keys = std::make_shared<const ReservedKeys>(reserved);
  plan->history[0] = {segment};
  const auto mapped =
      MakeMappedGenerator(std::make_unique<SeatGenerator>(schemas[0]), 0, schemas, plan);
  // (A, 1) and (B, 4) move by their section; the badge 1002 is written as generated.
  const auto encoding = MakeEncoding(Format::kCopyText, schemas[0]);
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  mapped->WriteRows(0, 6, *writer);
  EXPECT_EQ(std::string(buffer.view()),
            "1\tA-2\t1\t1000\n2\tB\t2\t1001\n3\tA\t3\t1002\n4\tB-2\t4\t1003\n"
            "5\tA\t5\t1004\n6\tB\t6\t1005\n");

  // The badge is what stops the run, at row 2.
  const std::optional<ReservedCollision> taken = FindReservedCollision(*mapped, reserved, {}, 0, 6);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->row, 2);
  EXPECT_EQ(taken->key, 1);
  EXPECT_EQ(taken->values, (std::vector<std::string>{"1002"}));
  EXPECT_EQ(taken->too_long_column, -1);
  // Rows after it, or without the badge reserved, have none.
  EXPECT_FALSE(FindReservedCollision(*mapped, reserved, {}, 3, 6).has_value());
  const ReservedKeys text_only = {Key(0, {"A", "1"}), Key(0, {"B", "4"})};
  EXPECT_FALSE(FindReservedCollision(*mapped, text_only, {}, 0, 6).has_value());
  // A section column of at most 2 characters cannot take the moved "A-2" of row 0.
  const std::vector<int64_t> limits = {-1, 2, -1, -1};
  const std::optional<ReservedCollision> too_long =
      FindReservedCollision(*mapped, text_only, limits, 0, 6);
  ASSERT_TRUE(too_long.has_value());
  EXPECT_EQ(too_long->row, 0);
  EXPECT_EQ(too_long->too_long_column, 1);
  EXPECT_EQ(too_long->limit, 2);
  EXPECT_EQ(too_long->values, (std::vector<std::string>{"A-2"}));
}

// --- RunProfile over a fake model ---

// a(id, v integer) and b(id, a_id -> a, a_count integer): b has 3 rows per row of a. a's rows
// are (i + 1, 7 i); b's are (i + 1, i / 3 + 1, the count of a the row was planned with).
class FakeModel final : public GenerationModel {
 public:
  FakeModel() {
    TableDef a;
    a.name = "a";
    a.columns = {IdentityColumn("id"), Column("v", "integer", true)};
    a.constraints = {PrimaryKey("a_pkey", {"id"})};
    TableDef b;
    b.name = "b";
    b.columns = {IdentityColumn("id"), Column("a_id", "bigint", true),
                 Column("a_count", "integer", true)};
    b.constraints = {PrimaryKey("b_pkey", {"id"}), ForeignKey("b_a_fkey", {"a_id"}, a, {"id"})};
    schemas_ = *MakeTableSchemas({a, b});
  }

  const std::vector<TableSchema>& schemas() const override { return schemas_; }

  std::optional<int64_t> DerivedCount(size_t table, uint64_t /*seed*/,
                                      std::span<const int64_t> final_counts) const override {
    if (table != 1) return std::nullopt;
    return 3 * final_counts[0];
  }

  Status CheckCounts(std::span<const int64_t> final_counts) const override {
    if (final_counts[1] > 0 && final_counts[0] == 0) {
      return InvalidArgument("table b: rows need a, which has none");
    }
    return Status::Ok();
  }

  std::vector<std::unique_ptr<TableGenerator>> MakeGenerators(
      std::shared_ptr<const GenerationPlan> plan) const override {
    std::vector<std::unique_ptr<TableGenerator>> generators;
    generators.push_back(std::make_unique<Generator>(schemas_[0], 0, plan));
    generators.push_back(std::make_unique<Generator>(schemas_[1], 1, plan));
    for (size_t t = 0; t < generators.size(); ++t) {
      generators[t] = MakeMappedGenerator(std::move(generators[t]), t, schemas_, plan);
    }
    return generators;
  }

  std::string CanonicalText() const override { return "fake model 1\n"; }

 private:
  class Generator final : public TableGenerator {
   public:
    Generator(const TableSchema& schema, size_t table, std::shared_ptr<const GenerationPlan> plan)
        : schema_(schema), table_(table), plan_(std::move(plan)) {}
    const TableSchema& schema() const override { return schema_; }
    void WriteRows(int64_t begin, int64_t end, RowWriter& out) const override {
      for (int64_t i = begin; i < end; ++i) {
        out.BeginRow();
        out.Int64(i + 1);
        if (table_ == 0) {
          out.Int32(static_cast<int32_t>(7 * i));
        } else {
          out.Int64(i / 3 + 1);
          out.Int32(static_cast<int32_t>(plan_->CountsFor(1, i)[0]));
        }
        out.EndRow();
      }
    }

   private:
    const TableSchema& schema_;
    size_t table_;
    std::shared_ptr<const GenerationPlan> plan_;
  };

  std::vector<TableSchema> schemas_;
};

Profile FakeProfile(int64_t a_target) {
  Profile profile;
  profile.name = "fake";
  profile.seed = 1;
  SetModel(std::make_shared<const FakeModel>(), &profile);
  profile.rows[0] = a_target;
  return profile;
}

RunOptions TextOptions() {
  RunOptions options;
  options.pipeline.threads = 1;
  options.format = Format::kCopyText;
  return options;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(FakeModelRunTest, AFreshRunWritesTheDerivedTableAtThreeRowsPerParent) {
  FakeSink sink;
  RunReport report;
  ASSERT_TRUE(RunProfile(FakeProfile(2), sink, TextOptions(), &report).ok());
  const testing::FakeTable* a = sink.Find("a");
  const testing::FakeTable* b = sink.Find("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->first_row, 0);
  EXPECT_EQ(a->first_id, 1);
  EXPECT_EQ(a->rows_to_write, 2);
  EXPECT_EQ(a->row_counts, (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(sink.Rows("a"), (Rows{{"1", "0"}, {"2", "7"}}));
  EXPECT_EQ(b->first_row, 0);
  EXPECT_EQ(b->first_id, 1);
  EXPECT_EQ(b->rows_to_write, 6);
  EXPECT_EQ(b->row_counts, (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(sink.Rows("b"), (Rows{{"1", "1", "2"},
                                  {"2", "1", "2"},
                                  {"3", "1", "2"},
                                  {"4", "2", "2"},
                                  {"5", "2", "2"},
                                  {"6", "2", "2"}}));
  ASSERT_EQ(report.tables.size(), 2u);
  EXPECT_EQ(report.tables[0].table, "a");
  EXPECT_EQ(report.tables[0].target, 2);
  EXPECT_EQ(report.tables[1].table, "b");
  EXPECT_EQ(report.tables[1].target, 6);
  EXPECT_EQ(report.tables[1].written, 6);
}

TEST(FakeModelRunTest, ATopUpContinuesBothTablesAndGrowsTheDerivedOne) {
  FakeSink sink;
  TableContents a_contents;
  a_contents.rows = 2;
  a_contents.generated = 2;
  a_contents.max_id = 2;
  sink.SetContents("a", a_contents);
  TableContents b_contents;
  b_contents.rows = 6;
  b_contents.generated = 6;
  b_contents.max_id = 6;
  sink.SetContents("b", b_contents);
  RunReport report;
  ASSERT_TRUE(RunProfile(FakeProfile(3), sink, TextOptions(), &report).ok());
  const testing::FakeTable* a = sink.Find("a");
  const testing::FakeTable* b = sink.Find("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->first_row, 2);
  EXPECT_EQ(a->first_id, 3);
  EXPECT_EQ(a->rows_to_write, 1);
  EXPECT_EQ(a->row_counts, (std::vector<int64_t>{3, 9}));
  EXPECT_EQ(sink.Rows("a"), (Rows{{"3", "14"}}));
  EXPECT_EQ(b->first_row, 6);
  EXPECT_EQ(b->first_id, 7);
  EXPECT_EQ(b->rows_to_write, 3);
  EXPECT_EQ(b->row_counts, (std::vector<int64_t>{3, 9}));
  EXPECT_EQ(sink.Rows("b"), (Rows{{"7", "3", "3"}, {"8", "3", "3"}, {"9", "3", "3"}}));
  ASSERT_EQ(report.tables.size(), 2u);
  EXPECT_EQ(report.tables[1].target, 9);
  EXPECT_EQ(report.tables[1].before, 6);
  EXPECT_EQ(report.tables[1].after, 9);
}

TEST(FakeModelRunTest, TheModelsCountCheckStopsTheRunBeforeAnythingIsWritten) {
  FakeSink sink;
  TableContents b_contents;
  b_contents.rows = 3;
  b_contents.generated = 3;
  b_contents.max_id = 3;
  sink.SetContents("b", b_contents);
  RunReport report;
  const Status status = RunProfile(FakeProfile(0), sink, TextOptions(), &report);
  EXPECT_EQ(status.message(), "profile fake: table b: rows need a, which has none");
  EXPECT_TRUE(sink.Tables().empty());
}

TEST(FakeModelProfileTest, TablesAreFoundAndOverriddenByTheModelsNames) {
  Profile profile = FakeProfile(2);
  EXPECT_EQ(profile.FindTable("a"), 0);
  EXPECT_EQ(profile.FindTable("b"), 1);
  EXPECT_EQ(profile.FindTable("users"), -1);
  ASSERT_TRUE(ApplyRowOverride("b=7", "--rows", &profile).ok());
  EXPECT_EQ(profile.Target(1), 7);
  EXPECT_EQ(ApplyRowOverride("users=1", "--rows", &profile).message(),
            "--rows: unknown table 'users' (expected a or b)");
  EXPECT_EQ(profile.GuardTables(), (std::vector<size_t>{0, 1}));
}

TEST(TableVariablePartTest, UpperCasesAndTurnsOtherCharactersIntoUnderscores) {
  EXPECT_EQ(TableVariablePart("users"), "USERS");
  EXPECT_EQ(TableVariablePart("order-items.v2"), "ORDER_ITEMS_V2");
  EXPECT_EQ(TableVariablePart("Line Item"), "LINE_ITEM");
}

}  // namespace
}  // namespace seedforge
