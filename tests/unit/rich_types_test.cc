// xml, tsvector, ranges and point: the writers' exact bytes in every format (text forms as the
// server's input reads and its output prints them, binary forms as tsvector_send, range_send and
// point_send send them, all spelled by hand), verify's canonical text of them, the tsvector
// builder's lexemes, and the generators' values, bounds and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/byte_buffer.h"
#include "core/row_writer.h"
#include "core/table_schema.h"
#include "core/text_search.h"
#include "sinks/encoding.h"
#include "tests/unit/values_test_support.h"
#include "tools/fingerprint.h"

namespace seedforge {
namespace {

using values::testing::CompileError;
using values::testing::MustCompile;
using values::testing::Texts;

std::string Be16(uint16_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string Be32(uint32_t v) { return Be16(static_cast<uint16_t>(v >> 16)) + Be16(uint16_t(v)); }
std::string Be64(uint64_t v) { return Be32(static_cast<uint32_t>(v >> 32)) + Be32(uint32_t(v)); }
std::string Lexeme(std::string_view word, std::vector<uint16_t> positions) {
  std::string out(word);
  out.push_back('\0');
  out += Be16(static_cast<uint16_t>(positions.size()));
  for (uint16_t p : positions) out += Be16(p);
  return out;
}

std::string Row(Format format, const std::function<void(RowWriter&)>& write) {
  TableSchema schema;
  schema.name.push_back('t');
  schema.columns.push_back({"c", ColumnType::kOther});
  auto encoding = MakeEncoding(format, schema);
  ByteBuffer buffer;
  auto writer = encoding->NewRowWriter(&buffer);
  writer->BeginRow();
  write(*writer);
  writer->EndRow();
  return std::string(buffer.view());
}

// verify's canonical text of one row.
std::string Canonical(const std::function<void(RowWriter&)>& write) {
  std::string text;
  uint64_t sum = 0;
  int64_t rows = 0;
  auto writer = MakeFingerprintWriter(&text, &sum, &rows);
  writer->BeginRow();
  write(*writer);
  writer->EndRow();
  return text;
}

// One row's text in COPY text, CSV and JSONL (without the line end), and its binary COPY field.
struct Forms {
  std::string copy_text, csv, jsonl, binary, canonical;
};
Forms AllForms(const std::function<void(RowWriter&)>& write) {
  Forms forms;
  forms.copy_text = Row(Format::kCopyText, write);
  forms.copy_text.pop_back();
  forms.csv = Row(Format::kCsv, write);
  forms.csv.pop_back();
  forms.jsonl = Row(Format::kJsonl, write);
  forms.binary = Row(Format::kCopyBinary, write).substr(2);  // after the column count
  forms.canonical = Canonical(write);
  return forms;
}

// 2024-01-01 00:00:00 UTC in Unix microseconds, and in the server's (from 2000-01-01).
constexpr int64_t kNewYear2024 = 1'704'067'200'000'000;
constexpr uint64_t kNewYear2024Server = 757'382'400'000'000;
constexpr int64_t kHour = 3'600'000'000;

TEST(TsVectorForm, LexemesAreLowerCasedDistinctAndSortedBytewiseWithTheirPositions) {
  std::string form;
  BuildTsVector("The fox, the END", &form);
  EXPECT_EQ(form, Be32(3) + Lexeme("end", {4}) + Lexeme("fox", {2}) + Lexeme("the", {1, 3}));
  std::string text;
  AppendTsVectorText(form, &text);
  EXPECT_EQ(text, "'end':4 'fox':2 'the':1,3");
  // A prefix sorts before the longer lexeme (tsCompareString), not by length first.
  text.clear();
  BuildTsVector("ab a b abc zz", &form);
  AppendTsVectorText(form, &text);
  EXPECT_EQ(text, "'a':2 'ab':1 'abc':4 'b':3 'zz':5");
  // No word: no lexeme, and the server prints nothing.
  BuildTsVector(" ... ", &form);
  EXPECT_EQ(form, Be32(0));
  text.clear();
  AppendTsVectorText(form, &text);
  EXPECT_EQ(text, "");
  // Quotes and backslashes in a lexeme are doubled; weights other than D print their letter.
  text.clear();
  AppendTsVectorText(Be32(2) + Lexeme("a\\b", {1}) + Lexeme("it's", {0x4000 | 2}), &text);
  EXPECT_EQ(text, "'a\\\\b':1 'it''s':2C");
}

TEST(RichTypesEncoding, TsVectorIsItsTextInTextFormatsAndTsvectorSendsBytesInBinary) {
  std::string form;
  BuildTsVector("Fox fox", &form);
  const Forms forms = AllForms([&](RowWriter& w) { w.TsVector(form); });
  EXPECT_EQ(forms.copy_text, "'fox':1,2");
  EXPECT_EQ(forms.csv, "\"'fox':1,2\"");  // a comma: quoted
  EXPECT_EQ(forms.jsonl, "{\"c\":\"'fox':1,2\"}\n");
  EXPECT_EQ(forms.binary,
            Be32(14) + Be32(1) + std::string("fox\0", 4) + Be16(2) + Be16(1) + Be16(2));
  EXPECT_EQ(forms.canonical, "'fox':1,2");
}

TEST(RichTypesEncoding, PointIsParenthesizedShortestFloatsAndTwoFloat8InBinary) {
  const Forms forms = AllForms([](RowWriter& w) { w.Point(1.5, -2.25); });
  EXPECT_EQ(forms.copy_text, "(1.5,-2.25)");
  EXPECT_EQ(forms.csv, "\"(1.5,-2.25)\"");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"(1.5,-2.25)\"}\n");
  EXPECT_EQ(forms.binary, Be32(16) + Be64(0x3FF8000000000000) + Be64(0xC002000000000000));
  EXPECT_EQ(forms.canonical, "(1.5,-2.25)");
}

TEST(RichTypesEncoding, Int4RangeIsCanonicalTextAndRangeSendsFlagsAndBounds) {
  const Forms forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive);
    w.Int32(10);
    w.Int32(15);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "[10,15)");
  EXPECT_EQ(forms.csv, "\"[10,15)\"");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"[10,15)\"}\n");
  EXPECT_EQ(forms.binary, Be32(17) + "\x02" + Be32(4) + Be32(10) + Be32(4) + Be32(15));
  EXPECT_EQ(forms.canonical, "[10,15)");
}

TEST(RichTypesEncoding, EmptyAndUnboundedRangesWriteNoBound) {
  Forms forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeEmpty);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "empty");
  EXPECT_EQ(forms.csv, "empty");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"empty\"}\n");
  EXPECT_EQ(forms.binary, Be32(1) + "\x01");
  EXPECT_EQ(forms.canonical, "empty");

  forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive | RowWriter::kRangeUpperInfinite);
    w.Int64(5);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "[5,)");
  EXPECT_EQ(forms.csv, "\"[5,)\"");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"[5,)\"}\n");
  EXPECT_EQ(forms.binary, Be32(13) + "\x12" + Be32(8) + Be64(5));
  EXPECT_EQ(forms.canonical, "[5,)");

  forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInfinite);
    w.Int32(7);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "(,7)");
  EXPECT_EQ(forms.binary, Be32(9) + "\x08" + Be32(4) + Be32(7));
  EXPECT_EQ(forms.canonical, "(,7)");
}

TEST(RichTypesEncoding, TimeRangesQuoteTheirBoundsOnlyInTheServersOutput) {
  const auto tstz = [](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive);
    w.Timestamp(kNewYear2024);
    w.Timestamp(kNewYear2024 + kHour + 500'000);
    w.EndRange();
  };
  Forms forms = AllForms(tstz);
  EXPECT_EQ(forms.copy_text, "[2024-01-01 00:00:00+00,2024-01-01 01:00:00.500000+00)");
  EXPECT_EQ(forms.csv, "\"[2024-01-01T00:00:00Z,2024-01-01T01:00:00.500000Z)\"");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"[2024-01-01T00:00:00Z,2024-01-01T01:00:00.500000Z)\"}\n");
  EXPECT_EQ(forms.binary, Be32(25) + "\x02" + Be32(8) + Be64(kNewYear2024Server) + Be32(8) +
                              Be64(kNewYear2024Server + kHour + 500'000));
  EXPECT_EQ(forms.canonical, "[\"2024-01-01 00:00:00+00\",\"2024-01-01 01:00:00.5+00\")");

  forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive);
    w.LocalTimestamp(kNewYear2024);
    w.LocalTimestamp(kNewYear2024 + kHour);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "[2024-01-01 00:00:00,2024-01-01 01:00:00)");
  EXPECT_EQ(forms.binary, Be32(25) + "\x02" + Be32(8) + Be64(kNewYear2024Server) + Be32(8) +
                              Be64(kNewYear2024Server + kHour));
  EXPECT_EQ(forms.canonical, "[\"2024-01-01 00:00:00\",\"2024-01-01 01:00:00\")");

  // daterange: days since 2000-01-01 in binary (2024-03-01 is day 8826, Unix day 19783).
  forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive);
    w.Date(19783);
    w.Date(19784);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "[2024-03-01,2024-03-02)");
  EXPECT_EQ(forms.jsonl, "{\"c\":\"[2024-03-01,2024-03-02)\"}\n");
  EXPECT_EQ(forms.binary, Be32(17) + "\x02" + Be32(4) + Be32(8826) + Be32(4) + Be32(8827));
  EXPECT_EQ(forms.canonical, "[2024-03-01,2024-03-02)");

  // numrange: numeric_send's form per bound (ndigits, weight, sign, dscale, base-10000 digits).
  forms = AllForms([](RowWriter& w) {
    w.BeginRange(RowWriter::kRangeLowerInclusive);
    w.Numeric(150, 2);
    w.Numeric(1025, 2);
    w.EndRange();
  });
  EXPECT_EQ(forms.copy_text, "[1.50,10.25)");
  EXPECT_EQ(forms.binary, Be32(1 + 4 + 12 + 4 + 12) + "\x02" + Be32(12) + Be16(2) + Be16(0) +
                              Be16(0) + Be16(2) + Be16(1) + Be16(5000) + Be32(12) + Be16(2) +
                              Be16(0) + Be16(0) + Be16(2) + Be16(10) + Be16(2500));
  EXPECT_EQ(forms.canonical, "[1.50,10.25)");
}

TEST(RichTypesEncoding, XmlIsTextInEveryFormat) {
  const Forms forms = AllForms([](RowWriter& w) { w.Text("<a>x &amp; \"y\"</a>"); });
  EXPECT_EQ(forms.copy_text, "<a>x &amp; \"y\"</a>");
  EXPECT_EQ(forms.csv, "\"<a>x &amp; \"\"y\"\"</a>\"");
  EXPECT_EQ(forms.binary, Be32(18) + "<a>x &amp; \"y\"</a>");
}

// --- generators --------------------------------------------------------------------------------

TEST(XmlGenerator, WrapsEscapedItemsInTheNamedElements) {
  const auto program = MustCompile(R"({"x": {"gen": "xml", "root": "doc", "element": "p",
      "min": 2, "max": 2, "of": {"gen": "cycle", "values": ["a<b", "x & y>", "ok"]}}})");
  EXPECT_EQ(Texts(program, "x", 0, 3),
            (std::vector<std::string>{"<doc><p>a&lt;b</p><p>a&lt;b</p></doc>",
                                      "<doc><p>x &amp; y&gt;</p><p>x &amp; y&gt;</p></doc>",
                                      "<doc><p>ok</p><p>ok</p></doc>"}));
  EXPECT_EQ(program.info(0).kind, values::ValueKind::kXml);
  // From 0 to 3 items of words: each row between <root></root> and three items, the same in
  // a second compile.
  const auto words =
      MustCompile(R"({"x": {"gen": "xml", "min": 0, "max": 3, "of": {"gen": "word"}}})");
  const auto texts = Texts(words, "x", 0, 200);
  EXPECT_EQ(
      texts,
      Texts(MustCompile(R"({"x": {"gen": "xml", "min": 0, "max": 3, "of": {"gen": "word"}}})"), "x",
            0, 200));
  std::vector<int> seen(4, 0);
  for (const std::string& text : texts) {
    ASSERT_EQ(text.rfind("<root>", 0), 0u) << text;
    ASSERT_EQ(text.substr(text.size() - 7), "</root>") << text;
    size_t items = 0;
    for (size_t at = text.find("<item>"); at != std::string::npos; at = text.find("<item>", at + 1))
      ++items;
    ASSERT_LE(items, 3u);
    ++seen[items];
  }
  for (int count : seen) EXPECT_GT(count, 20);
  EXPECT_EQ(CompileError(R"({"x": {"gen": "xml", "root": "1a", "of": {"gen": "word"}}})"),
            "tables.t.columns.x.root: '1a' is not an XML element name");
}

TEST(TsVectorGenerator, HoldsTheLexemesOfItsColumnAndIsNullWithIt) {
  const auto program = MustCompile(R"({
      "title": {"gen": "cycle", "values": ["The quick brown fox", "Fox and the hound, the END."]},
      "maybe": {"gen": "case", "on": "title", "cases": {"The quick brown fox": {"gen": "const", "value": "Hello hello"}}},
      "search": {"gen": "tsvector", "of": "title"},
      "other": {"gen": "tsvector", "of": "maybe"}})");
  EXPECT_EQ(Texts(program, "search", 0, 2),
            (std::vector<std::string>{"'brown':3 'fox':4 'quick':2 'the':1",
                                      "'and':2 'end':6 'fox':1 'hound':4 'the':3,5"}));
  EXPECT_EQ(Texts(program, "other", 0, 2), (std::vector<std::string>{"'hello':1,2", ""}));
  EXPECT_TRUE(program.info(program.FindColumn("other")).can_be_null);
  EXPECT_FALSE(program.info(program.FindColumn("search")).can_be_null);
  EXPECT_EQ(CompileError(R"({"n": {"gen": "id"}, "s": {"gen": "tsvector", "of": "n"}})"),
            "tables.t.columns.s.of: column 'n' produces integer, not text");
}

TEST(RangeGenerator, IsLowerToLowerPlusLengthEmptyAtZeroAndUnboundedAtNull) {
  const auto program = MustCompile(R"({
      "i": {"gen": "range", "lower": {"gen": "cycle", "values": [10, 20, 30]},
            "length": {"gen": "cycle", "values": [5, 0, 7]}},
      "t": {"gen": "range", "lower": {"gen": "monotone_time", "from": "2024-01-01", "every": "1h", "jitter": false},
            "length": {"gen": "cycle", "values": [1800, 5400, 1]}},
      "day": {"gen": "range", "lower": {"gen": "date", "from": "2024-03-01", "to": "2024-03-02"},
              "length": {"gen": "cycle", "values": [86400, 172799, 3600]}},
      "open": {"gen": "range", "lower": {"gen": "id"}, "length": {"gen": "uniform", "min": 1, "max": 3, "step": 1, "null_rate": 1}}})");
  EXPECT_EQ(Texts(program, "i", 0, 3), (std::vector<std::string>{"[10,15)", "empty", "[30,37)"}));
  EXPECT_EQ(Texts(program, "t", 0, 2),
            (std::vector<std::string>{"[2024-01-01T00:00:00Z,2024-01-01T00:30:00Z)",
                                      "[2024-01-01T01:00:00Z,2024-01-01T02:30:00Z)"}));
  // Whole days of the duration: 172799 s is one day, an hour none.
  EXPECT_EQ(
      Texts(program, "day", 0, 3),
      (std::vector<std::string>{"[2024-03-01,2024-03-02)", "[2024-03-01,2024-03-02)", "empty"}));
  EXPECT_EQ(Texts(program, "open", 0, 2), (std::vector<std::string>{"[1,)", "[2,)"}));
  const values::GeneratorInfo& ints = program.info(program.FindColumn("i"));
  EXPECT_EQ(ints.kind, values::ValueKind::kRange);
  EXPECT_EQ(ints.element_kind, values::ValueKind::kInteger);
  EXPECT_TRUE(ints.has_range);
  EXPECT_EQ(ints.min, 10);
  EXPECT_EQ(ints.max, 37);
  EXPECT_EQ(
      CompileError(
          R"({"r": {"gen": "range", "lower": {"gen": "word"}, "length": {"gen": "uniform", "min": 1, "max": 2}}})"),
      "tables.t.columns.r.lower: produces text, not integers, decimals, dates or timestamps");
  EXPECT_EQ(
      CompileError(
          R"({"r": {"gen": "range", "lower": {"gen": "id"}, "length": {"gen": "uniform", "min": 1, "max": 2}}})"),
      "tables.t.columns.r.length: produces float, not integers (the lower bound is an integer)");
}

TEST(RangeGenerator, DecimalBoundsKeepTheLowerBoundsScale) {
  const auto program = MustCompile(R"({
      "r": {"gen": "range", "lower": {"gen": "uniform", "min": 0, "max": 100, "scale": 2},
            "length": {"gen": "cycle", "values": [3, 4]}}})");
  const values::GeneratorInfo& info = program.info(0);
  EXPECT_EQ(info.element_kind, values::ValueKind::kDecimal);
  EXPECT_EQ(info.scale, 2);
  EXPECT_EQ(info.max, 10400);  // 100.00 + 4, in hundredths
  for (const std::string& text : Texts(program, "r", 0, 100)) {
    const size_t comma = text.find(',');
    ASSERT_EQ(text.front(), '[');
    ASSERT_EQ(text.back(), ')');
    const double lower = std::stod(text.substr(1, comma - 1));
    const double upper = std::stod(text.substr(comma + 1));
    EXPECT_EQ(text.substr(comma - 3, 1), ".") << text;  // two fraction digits on both
    EXPECT_EQ(text.substr(text.size() - 4, 1), ".") << text;
    EXPECT_TRUE(std::abs(upper - lower - 3) < 1e-9 || std::abs(upper - lower - 4) < 1e-9) << text;
    EXPECT_GE(lower, 0);
    EXPECT_LE(lower, 100);
  }
}

TEST(PointGenerator, IsUniformInItsBoundsRoundedAndTheSameOnEveryCompile) {
  const char* spec =
      R"({"p": {"gen": "point", "min_x": 10, "max_x": 20, "min_y": -5, "max_y": 5, "scale": 2}})";
  const auto texts = Texts(MustCompile(spec), "p", 0, 500);
  EXPECT_EQ(texts, Texts(MustCompile(spec), "p", 0, 500));
  EXPECT_NE(texts, Texts(MustCompile(spec, 43), "p", 0, 500));
  const auto program = MustCompile(spec);
  values::RowScratch scratch = program.NewScratch();
  double low_x = 20, high_x = 10;
  for (uint64_t row = 0; row < 500; ++row) {
    program.ComputeRow(row, &scratch);
    const double x = scratch[0].float_value(), y = scratch[0].y_value();
    ASSERT_TRUE(x >= 10 && x <= 20 && y >= -5 && y <= 5) << texts[row];
    ASSERT_EQ(std::round(x * 100) / 100, x);
    ASSERT_EQ(std::round(y * 100) / 100, y);
    low_x = std::min(low_x, x);
    high_x = std::max(high_x, x);
  }
  EXPECT_LT(low_x, 10.2);
  EXPECT_GT(high_x, 19.8);
  EXPECT_EQ(
      Texts(
          MustCompile(
              R"({"p": {"gen": "point", "min_x": 1.5, "max_x": 1.5, "min_y": -2.25, "max_y": -2.25}})"),
          "p", 0, 1)[0],
      "(1.5,-2.25)");
}

}  // namespace
}  // namespace seedforge
