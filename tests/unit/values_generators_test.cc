// The contract of each value generator: kind and range, uniqueness where promised (over a
// million rows; the test keeps a set, the generator never does), distribution shape within a
// stated tolerance with the seed fixed, and pinned first values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <unordered_set>

#include "core/civil_time.h"
#include "generators/catalog_hardware.h"
#include "tests/unit/values_test_support.h"

namespace seedforge::values {
namespace {

using testing::MustCompile;
using testing::Numbers;
using testing::Texts;

double Mean(const std::vector<double>& xs) {
  return std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}
double Stddev(const std::vector<double>& xs) {
  const double mean = Mean(xs);
  double sum = 0;
  for (double x : xs) sum += (x - mean) * (x - mean);
  return std::sqrt(sum / static_cast<double>(xs.size() - 1));
}
double Quantile(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  return xs[static_cast<size_t>(q * static_cast<double>(xs.size() - 1))];
}

// Every value of `column` over rows [0, rows) is distinct.
void ExpectDistinct(const RowProgram& program, std::string_view column, uint64_t rows) {
  const int index = program.FindColumn(column);
  RowScratch scratch = program.NewScratch();
  std::unordered_set<std::string> seen;
  seen.reserve(rows);
  for (uint64_t row = 0; row < rows; ++row) {
    program.ComputeRow(row, &scratch);
    ASSERT_TRUE(seen.insert(scratch[index].ToString()).second)
        << column << " repeats at row " << row << ": " << scratch[index].ToString();
  }
}

TEST(IdGeneratorTest, CountsFromStartInSteps) {
  const RowProgram program = MustCompile(R"({"id": {"gen": "id", "start": 100, "step": 5}})");
  EXPECT_EQ(Texts(program, "id", 0, 3), (std::vector<std::string>{"100", "105", "110"}));
  EXPECT_EQ(Texts(program, "id", 1'000'000, 1)[0], "5000100");
  EXPECT_EQ(program.info(0).kind, ValueKind::kInteger);
  EXPECT_EQ(program.info(0).injective_rows, kInjectiveForAllRows);
}

TEST(UuidGeneratorTest, IsVersion4ShapedAndDistinctOverAMillionRows) {
  const RowProgram program = MustCompile(R"({"u": {"gen": "uuid", "unique": true}})");
  const auto first = Texts(program, "u", 0, 2);
  EXPECT_EQ(first[0], "20797c5e-1605-4515-bc0d-5b09975f0933");
  EXPECT_EQ(first[1], "4561b24b-cd4c-4c14-b065-63ddef52522e");
  for (const std::string& uuid : Texts(program, "u", 0, 1000)) {
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4');
    EXPECT_TRUE(uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b');
  }
  ExpectDistinct(program, "u", 1'000'000);
}

TEST(ScrambleGeneratorTest, IsAPermutationOfItsRange) {
  const RowProgram program =
      MustCompile(R"({"code": {"gen": "scramble", "min": 1000, "max": 1999, "unique": true}})");
  std::vector<double> values = Numbers(program, "code", 1000);
  EXPECT_EQ(values[0], 1133);
  EXPECT_EQ(values[1], 1935);
  std::sort(values.begin(), values.end());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(values[i], 1000 + i);
  EXPECT_EQ(program.info(0).injective_rows, 1000u);
  EXPECT_EQ(program.info(0).min, 1000);
  EXPECT_EQ(program.info(0).max, 1999);
}

TEST(ScrambleGeneratorTest, IsDistinctOverAMillionRowsOfALargeRange) {
  const RowProgram program = MustCompile(
      R"({"n": {"gen": "scramble", "min": 100000000, "max": 999999999, "unique": true}})");
  ExpectDistinct(program, "n", 1'000'000);
  for (double x : Numbers(program, "n", 10000)) {
    ASSERT_GE(x, 100000000);
    ASSERT_LE(x, 999999999);
  }
}

TEST(UniformGeneratorTest, IntegersCoverBothBoundsEvenly) {
  const RowProgram program =
      MustCompile(R"({"die": {"gen": "uniform", "min": 1, "max": 6, "step": 1}})");
  EXPECT_EQ(program.info(0).kind, ValueKind::kInteger);
  EXPECT_EQ(Texts(program, "die", 0, 6), (std::vector<std::string>{"6", "6", "6", "6", "1", "5"}));
  std::map<double, int> counts;
  for (double x : Numbers(program, "die", 60000)) ++counts[x];
  ASSERT_EQ(counts.size(), 6u);
  EXPECT_EQ(counts.begin()->first, 1);
  EXPECT_EQ(counts.rbegin()->first, 6);
  for (auto [value, count] : counts) EXPECT_NEAR(count, 10000, 400) << value;  // 4 sigma
}

TEST(UniformGeneratorTest, DecimalsRoundToTheirScaleAndReachTheBounds) {
  const RowProgram program =
      MustCompile(R"({"price": {"gen": "uniform", "min": 0, "max": 10, "scale": 2}})");
  EXPECT_EQ(program.info(0).kind, ValueKind::kDecimal);
  EXPECT_EQ(program.info(0).scale, 2);
  EXPECT_EQ(program.info(0).min, 0);
  EXPECT_EQ(program.info(0).max, 1000);
  EXPECT_EQ(Texts(program, "price", 0, 3), (std::vector<std::string>{"0.30", "2.85", "1.86"}));
  const std::vector<double> values = Numbers(program, "price", 200000);
  EXPECT_EQ(*std::min_element(values.begin(), values.end()), 0);
  EXPECT_EQ(*std::max_element(values.begin(), values.end()), 10);
  EXPECT_NEAR(Mean(values), 5, 0.03);
}

// Bounds that meet: every row gets that one value (a float draw over an empty interval used to
// never end).
TEST(UniformGeneratorTest, EqualBoundsGiveThatValue) {
  const RowProgram floats = MustCompile(R"({"x": {"gen": "uniform", "min": 2.5, "max": 2.5}})");
  EXPECT_EQ(Texts(floats, "x", 0, 3), (std::vector<std::string>{"2.5", "2.5", "2.5"}));
  const RowProgram integers =
      MustCompile(R"({"n": {"gen": "uniform", "min": 7, "max": 7, "step": 1}})");
  EXPECT_EQ(Texts(integers, "n", 0, 2), (std::vector<std::string>{"7", "7"}));
}

TEST(NormalGeneratorTest, MeanAndStddevWithinTolerance) {
  const RowProgram program = MustCompile(R"({"x": {"gen": "normal", "mean": 50, "stddev": 10}})");
  EXPECT_EQ(Texts(program, "x", 0, 2),
            (std::vector<std::string>{"36.01095673225088", "51.386592258963276"}));
  const std::vector<double> values = Numbers(program, "x", 200000);
  EXPECT_NEAR(Mean(values), 50, 0.1);  // 4.5 standard errors
  EXPECT_NEAR(Stddev(values), 10, 0.1);
  EXPECT_NEAR(Quantile(values, 0.8413), 60, 0.2);
}

TEST(NormalGeneratorTest, BoundsTruncateAndStepsRound) {
  const RowProgram program = MustCompile(
      R"({"x": {"gen": "normal", "mean": 50, "stddev": 10, "min": 45, "max": 55, "step": 0.5}})");
  for (double x : Numbers(program, "x", 20000)) {
    ASSERT_GE(x, 45);
    ASSERT_LE(x, 55);
    ASSERT_EQ(x * 2, std::floor(x * 2));
  }
}

TEST(LognormalGeneratorTest, MedianAndSpreadWithinTolerance) {
  const RowProgram program =
      MustCompile(R"({"amount": {"gen": "lognormal", "median": 40, "sigma": 1, "scale": 2}})");
  EXPECT_EQ(Texts(program, "amount", 0, 3), (std::vector<std::string>{"34.58", "29.78", "91.93"}));
  const std::vector<double> values = Numbers(program, "amount", 200000);
  EXPECT_NEAR(Quantile(values, 0.5), 40, 0.8);                   // 2%
  EXPECT_NEAR(Quantile(values, 0.8413), 40 * std::exp(1.0), 2);  // one sigma up
}

TEST(ExponentialGeneratorTest, MeanWithinTolerance) {
  const RowProgram program = MustCompile(R"({"wait": {"gen": "exponential", "mean": 3}})");
  const std::vector<double> values = Numbers(program, "wait", 200000);
  EXPECT_NEAR(Mean(values), 3, 0.03);
  EXPECT_NEAR(Quantile(values, 0.5), 3 * std::log(2.0), 0.03);
  EXPECT_GE(*std::min_element(values.begin(), values.end()), 0);
}

TEST(ZipfGeneratorTest, RankFrequenciesFollowThePowerLaw) {
  const RowProgram program = MustCompile(R"({"rank": {"gen": "zipf", "n": 100, "s": 1}})");
  EXPECT_EQ(Texts(program, "rank", 0, 5), (std::vector<std::string>{"66", "1", "74", "2", "18"}));
  std::vector<int> counts(101, 0);
  for (double x : Numbers(program, "rank", 200000)) {
    ASSERT_GE(x, 1);
    ASSERT_LE(x, 100);
    ++counts[static_cast<int>(x)];
  }
  double harmonic = 0;
  for (int k = 1; k <= 100; ++k) harmonic += 1.0 / k;
  for (int k : {1, 2, 3, 10, 50}) {
    const double expected = 200000 / (k * harmonic);
    EXPECT_NEAR(counts[k], expected, 4 * std::sqrt(expected)) << "rank " << k;
  }
}

TEST(BoolGeneratorTest, RateWithinTolerance) {
  const RowProgram program = MustCompile(R"({"b": {"gen": "bool", "rate": 0.3}})");
  EXPECT_EQ(program.info(0).kind, ValueKind::kBool);
  EXPECT_NEAR(Mean(Numbers(program, "b", 200000)), 0.3, 0.005);
}

TEST(ChoiceGeneratorTest, WeightsSetTheShares) {
  const RowProgram program = MustCompile(
      R"({"s": {"gen": "choice", "values": ["ok", "failed", "never"], "weights": [9, 1, 0]}})");
  EXPECT_EQ(program.info(0).max_bytes, 6u);
  std::map<std::string, int> counts;
  for (const std::string& s : Texts(program, "s", 0, 100000)) ++counts[s];
  EXPECT_EQ(counts.size(), 2u);
  EXPECT_NEAR(counts["ok"], 90000, 400);
  EXPECT_EQ(Texts(program, "s", 0, 4), (std::vector<std::string>{"ok", "failed", "ok", "ok"}));
}

TEST(CycleGeneratorTest, TakesTheValuesInTurn) {
  const RowProgram program = MustCompile(R"({"c": {"gen": "cycle", "values": [3, 1, 2]}})");
  EXPECT_EQ(Texts(program, "c", 0, 5), (std::vector<std::string>{"3", "1", "2", "3", "1"}));
  EXPECT_EQ(program.info(0).injective_rows, 3u);
}

TEST(NullRateTest, NullsAtTheRateAndOtherRowsKeepTheirValues) {
  const RowProgram plain = MustCompile(R"({"x": {"gen": "uniform", "min": 0, "max": 1}})");
  const RowProgram sparse =
      MustCompile(R"({"x": {"gen": "uniform", "min": 0, "max": 1, "null_rate": 0.25}})");
  EXPECT_TRUE(sparse.info(0).can_be_null);
  EXPECT_FALSE(plain.info(0).can_be_null);
  const auto a = Texts(plain, "x", 0, 100000), b = Texts(sparse, "x", 0, 100000);
  int nulls = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (b[i].empty()) {
      ++nulls;
    } else {
      ASSERT_EQ(a[i], b[i]) << "row " << i;
    }
  }
  EXPECT_NEAR(nulls, 25000, 550);
}

TEST(CaseGeneratorTest, FinishedExactlyWhenTheStatusIsTerminal) {
  const RowProgram program = MustCompile(R"({
    "status": {"gen": "choice", "values": ["queued", "done", "failed"]},
    "started_at": {"gen": "timestamp"},
    "finished_at": {"gen": "case", "on": "status",
                    "cases": {"queued": {"gen": "null"}},
                    "else": {"gen": "after", "of": "started_at",
                             "by": {"gen": "lognormal", "median": "2h", "sigma": 1}}},
    "error_code": {"gen": "case", "on": "status",
                   "cases": {"failed": {"gen": "pattern", "format": "E###"}}}})");
  RowScratch scratch = program.NewScratch();
  for (uint64_t row = 0; row < 10000; ++row) {
    program.ComputeRow(row, &scratch);
    const std::string status(scratch[0].text());
    ASSERT_EQ(scratch[2].is_null(), status == "queued");
    ASSERT_EQ(scratch[3].is_null(), status != "failed");
    if (!scratch[2].is_null()) {
      ASSERT_GE(scratch[2].integer_value(), scratch[1].integer_value());
    }
  }
  EXPECT_EQ(program.info(2).kind, ValueKind::kTimestamp);
  EXPECT_TRUE(program.info(2).can_be_null);
  EXPECT_EQ(program.info(3).max_bytes, 4u);
}

TEST(TemplateGeneratorTest, EmailsFromTheRowsNamesAreUniqueOverAMillionRows) {
  const RowProgram program = MustCompile(R"({
    "first": {"gen": "first_name"}, "last": {"gen": "last_name"},
    "email": {"gen": "template", "format": "{first}.{last}{n}@example.com", "lower": true,
              "unique": true},
    "username": {"gen": "template", "format": "{first}{last}", "lower": true}})");
  EXPECT_EQ(Texts(program, "email", 0, 3),
            (std::vector<std::string>{"jessica.stevens1@example.com", "patrick.howard2@example.com",
                                      "jerry.hughes3@example.com"}));
  // 11 ("Christopher") + 1 + 10 ("Richardson") + 20 digits + 12.
  EXPECT_EQ(program.info(2).max_bytes, 54u);
  EXPECT_EQ(program.info(2).injective_rows, kInjectiveForAllRows);
  EXPECT_EQ(program.info(3).injective_rows, kNotInjective);
  ExpectDistinct(program, "email", 1'000'000);
}

TEST(TemplateGeneratorTest, InjectiveOnlyWhenTheUniquePartCannotBlur) {
  auto injective = [](std::string_view format) {
    const RowProgram program = MustCompile(
        R"({"code": {"gen": "pattern", "format": "A#"}, "id": {"gen": "id"},
            "last": {"gen": "last_name"}, "num": {"gen": "pattern", "format": "#A"},
            "t": {"gen": "template", "format": ")" +
        std::string(format) + R"("}})");
    return program.info(4).injective_rows != kNotInjective;
  };
  EXPECT_TRUE(injective("{last}{n}@x"));              // names never end in a digit
  EXPECT_FALSE(injective("{code}{n}@x"));             // "A1" + "2" = "A" + "12"
  EXPECT_TRUE(injective("{n}-{code}"));               // the row number ends at the '-'
  EXPECT_TRUE(injective("{n}{code}"));                // ... or at the 'A'
  EXPECT_FALSE(injective("{n}{num}"));                // ... but not at a digit
  EXPECT_TRUE(injective("{last}.{last}{n}@{code}"));  // the first digits are the row number
  EXPECT_TRUE(injective("{code}.{n}@{last}"));        // the last digits are the row number
  EXPECT_FALSE(injective("{code}-{n}-{code}"));       // digits on both sides
  EXPECT_TRUE(injective("user-{id}"));                // a unique column with fixed text around it
  EXPECT_FALSE(injective("{last}-{id}"));             // "{last}" varies next to it
  EXPECT_FALSE(injective("{last}"));
}

TEST(PatternGeneratorTest, UniquePatternsAreDistinctUpToTheirCapacity) {
  const RowProgram program =
      MustCompile(R"({"code": {"gen": "pattern", "format": "??-###", "unique": true}})");
  EXPECT_EQ(program.info(0).injective_rows, 676000u);
  EXPECT_EQ(Texts(program, "code", 0, 3), (std::vector<std::string>{"OO-763", "WY-601", "YL-904"}));
  ExpectDistinct(program, "code", 676000);
}

TEST(PatternGeneratorTest, PlainPatternsFillDigitsAndLettersAndEscapes) {
  const RowProgram program = MustCompile(R"({"job": {"gen": "pattern", "format": "JOB-\\#?##"}})");
  EXPECT_EQ(program.info(0).injective_rows, kNotInjective);
  for (const std::string& job : Texts(program, "job", 0, 1000)) {
    ASSERT_EQ(job.size(), 8u);
    ASSERT_EQ(job.substr(0, 5), "JOB-#");
    ASSERT_TRUE(job[5] >= 'A' && job[5] <= 'Z') << job;
    ASSERT_TRUE(std::isdigit(job[6]) && std::isdigit(job[7])) << job;
  }
  EXPECT_EQ(Texts(program, "job", 0, 2), (std::vector<std::string>{"JOB-#K79", "JOB-#Z76"}));
}

TEST(TextGeneratorsTest, EachProducesNonEmptyTextWithinItsLongestValue) {
  const char* kGenerators[] = {
      "first_name",     "last_name", "full_name", "company",     "job_title",    "department",
      "street_address", "city",      "country",   "postal_code", "phone",        "url",
      "domain",         "hostname",  "semver",    "file_name",   "product_name", "color",
      "currency",       "word",      "sentence",  "paragraph"};
  std::string first_values;
  for (const char* gen : kGenerators) {
    const RowProgram program = MustCompile(R"({"x": {"gen": ")" + std::string(gen) + R"("}})");
    const GeneratorInfo& info = program.info(0);
    EXPECT_EQ(info.kind, ValueKind::kText) << gen;
    ASSERT_GT(info.max_bytes, 0u) << gen;
    size_t longest = 0;
    for (const std::string& text : Texts(program, "x", 0, 2000)) {
      ASSERT_FALSE(text.empty()) << gen;
      longest = std::max(longest, text.size());
    }
    EXPECT_LE(longest, info.max_bytes) << gen;
    first_values += std::string(gen) + "=" + Texts(program, "x", 0, 1)[0] + "\n";
  }
  EXPECT_EQ(first_values,
            "first_name=Carlos\nlast_name=Kennedy\nfull_name=Carlos Wang\ncompany=Trident "
            "Industries\njob_title=Product Designer\ndepartment=Product\nstreet_address=8887 "
            "Prospect Ave\ncity=Sydney\ncountry=New Zealand\npostal_code=38199\nphone=+1-381-"
            "991-1204\nurl=https://www.trident.biz/design/fact\ndomain=trident.biz\nhostname=etl-"
            "90.umbrella.net\nsemver=5.18.4\nfile_name=year_quick.docx\nproduct_name=Mini Carbon "
            "Keyboard\ncolor=turquoise\ncurrency=AED\nword=year\nsentence=Quick design fact "
            "number impact owner risk part work area trade.\nparagraph=Design fact number impact "
            "owner risk part work area trade idea market. Period client simple version energy "
            "target energy. Paper sale paper scale early. Event level result quarter note "
            "customer secure secure deal space. Energy strong energy term week risk work growth "
            "cost service area track. User better whole year number line steady simple rate.\n");
}

TEST(NetworkGeneratorsTest, AddressesStayInTheirNetworkAndUniqueOnesAreDistinct) {
  const RowProgram program = MustCompile(R"({
    "ip": {"gen": "ipv4", "cidr": "10.20.0.0/16"},
    "host": {"gen": "ipv4", "unique": true},
    "ip6": {"gen": "ipv6", "cidr": "2001:db8::/32"},
    "mac": {"gen": "mac", "unique": true}})");
  EXPECT_EQ(program.info(0).kind, ValueKind::kInet);
  EXPECT_EQ(program.info(1).injective_rows, (uint64_t{1} << 24) - 2);
  RowScratch scratch = program.NewScratch();
  for (uint64_t row = 0; row < 5000; ++row) {
    program.ComputeRow(row, &scratch);
    ASSERT_EQ(scratch[0].ToString().rfind("10.20.", 0), 0u) << scratch[0].ToString();
    ASSERT_EQ(scratch[2].ToString().rfind("2001:db8:", 0), 0u) << scratch[2].ToString();
    ASSERT_EQ(scratch[3].mac()[0] & 3, 2) << "locally administered unicast";
    const std::string host = scratch[1].ToString();
    ASSERT_NE(host, "10.0.0.0");
    ASSERT_NE(host, "10.255.255.255");
  }
  EXPECT_EQ(Texts(program, "ip6", 0, 1)[0], "2001:db8:435a:2e5f:d997:86dd:6c8:e086");
  ExpectDistinct(program, "host", 1'000'000);
  ExpectDistinct(program, "mac", 1'000'000);
}

TEST(NetworkGeneratorsTest, MacsWithVendorPrefixesKeepThemAndAreDistinctOverAMillionRows) {
  const RowProgram program = MustCompile(R"({
    "mac": {"gen": "mac", "prefixes": ["3c:22:fb", "A4:83:E7"]},
    "one": {"gen": "mac", "prefixes": ["00:50:56"]}})");
  EXPECT_EQ(program.info(0).injective_rows, uint64_t{1} << 24);
  RowScratch scratch = program.NewScratch();
  int first_prefix = 0;
  for (uint64_t row = 0; row < 20000; ++row) {
    program.ComputeRow(row, &scratch);
    const std::string mac = scratch[0].ToString();
    ASSERT_TRUE(mac.rfind("3c:22:fb:", 0) == 0 || mac.rfind("a4:83:e7:", 0) == 0) << mac;
    first_prefix += mac.rfind("3c:22:fb:", 0) == 0;
    ASSERT_EQ(scratch[1].ToString().rfind("00:50:56:", 0), 0u) << scratch[1].ToString();
  }
  EXPECT_NEAR(first_prefix, 10000, 4 * std::sqrt(5000.0));  // the prefix is uniform
  ExpectDistinct(program, "mac", 1'000'000);
  ExpectDistinct(program, "one", 1'000'000);
}

TEST(NetworkGeneratorsTest, MacPrefixesThatAreNotOuisAreRefused) {
  const std::string list =
      R"(tables.t.columns.mac.prefixes: expected a list of OUIs such as ["3c:22:fb"])";
  const std::string bytes =
      R"(tables.t.columns.mac.prefixes: expected OUIs of three hex bytes such as "3c:22:fb")";
  const std::pair<const char*, std::string> cases[] = {
      {"[]", list}, {R"(["3c:22"])", bytes}, {R"(["3c:22:fg"])", bytes}, {"[7]", bytes}};
  for (const auto& [prefixes, message] : cases) {
    const auto program = RowProgram::Compile(
        "t", std::string(R"({"mac": {"gen": "mac", "prefixes": )") + prefixes + "}}",
        CompileOptions{});
    ASSERT_FALSE(program.ok()) << prefixes;
    EXPECT_EQ(program.status().message(), message) << prefixes;
  }
}

TEST(CatalogGeneratorTest, SystemsPairEachHardwareModelWithAnOsItRuns) {
  const RowProgram program = MustCompile(R"({
    "type": {"gen": "catalog", "catalog": "systems", "field": "type", "together": "s"},
    "model": {"gen": "catalog", "catalog": "systems", "field": "model", "together": "s"},
    "os": {"gen": "catalog", "catalog": "systems", "field": "os_name", "together": "s"}})");
  RowScratch scratch = program.NewScratch();
  std::map<std::string, int> types;
  const int rows = 40000;
  for (int row = 0; row < rows; ++row) {
    program.ComputeRow(static_cast<uint64_t>(row), &scratch);
    const std::string model(scratch[1].text()), os(scratch[2].text());
    ++types[std::string(scratch[0].text())];
    if (model.rfind("iPhone", 0) == 0) {
      ASSERT_EQ(os, "iOS");
    }
    if (model.rfind("MacBook", 0) == 0) {
      ASSERT_EQ(os, "macOS");
    }
    if (scratch[0].text() == "vm" || scratch[0].text() == "server") {
      ASSERT_TRUE(os.find("Server") != std::string::npos || os == "Debian" ||
                  os == "Red Hat Enterprise Linux")
          << model << " " << os;
    }
  }
  // Type shares: laptops 45, desktops 20, servers 8, VMs 15, mobiles 12 (of 100).
  const std::pair<const char*, double> shares[] = {
      {"laptop", 0.45}, {"desktop", 0.20}, {"server", 0.08}, {"vm", 0.15}, {"mobile", 0.12}};
  for (const auto& [type, share] : shares) {
    EXPECT_NEAR(types[type], rows * share, 4 * std::sqrt(rows * share)) << type;
  }
}

TEST(CatalogGeneratorTest, ColumnsDrawnTogetherComeFromOneCatalogRow) {
  const RowProgram program = MustCompile(R"({
    "manufacturer": {"gen": "catalog", "catalog": "devices", "field": "manufacturer",
                     "together": "device"},
    "model": {"gen": "catalog", "catalog": "devices", "field": "model", "together": "device"},
    "other_model": {"gen": "catalog", "catalog": "devices", "field": "model"}})");
  RowScratch scratch = program.NewScratch();
  int differing = 0;
  for (uint64_t row = 0; row < 2000; ++row) {
    program.ComputeRow(row, &scratch);
    bool found = false;
    for (const auto& model : seedforge::catalog::kHardwareModels) {
      found =
          found || (model.name == scratch[1].text() &&
                    seedforge::catalog::kManufacturers[static_cast<int>(model.manufacturer)].name ==
                        scratch[0].text());
    }
    ASSERT_TRUE(found) << scratch[0].text() << " " << scratch[1].text();
    differing += scratch[1].text() != scratch[2].text();
  }
  EXPECT_GT(differing, 1500);  // without "together" a column draws its own row
}

TEST(TimeGeneratorsTest, TimestampsStayInTheWindowAndFollowWeekdayAndHourWeights) {
  const RowProgram program = MustCompile(R"({
    "t": {"gen": "timestamp", "from": "2024-03-01", "to": "2024-04-01"},
    "work": {"gen": "timestamp", "weekly": [2, 2, 2, 2, 2, 1, 0],
             "hourly": [0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0]}})");
  int64_t from = 0, to = 0;
  ParseIso8601("2024-03-01T00:00:00Z", &from);
  ParseIso8601("2024-04-01T00:00:00Z", &to);
  RowScratch scratch = program.NewScratch();
  int weekday[7] = {};
  for (uint64_t row = 0; row < 70000; ++row) {
    program.ComputeRow(row, &scratch);
    ASSERT_GE(scratch[0].integer_value(), from);
    ASSERT_LT(scratch[0].integer_value(), to);
    const int64_t t = scratch[1].integer_value();
    const int64_t hour = FloorDiv(t, kMicrosPerHour) % 24;
    ASSERT_GE(hour, 9);
    ASSERT_LT(hour, 17);
    ++weekday[DayOfWeek(t)];
  }
  EXPECT_EQ(weekday[6], 0);  // Sunday weight 0
  // Saturday has half a weekday's weight: 70000 / 11 per unit.
  EXPECT_NEAR(weekday[5], 70000.0 / 11, 4 * std::sqrt(70000.0 / 11));
  EXPECT_NEAR(weekday[0], 2 * 70000.0 / 11, 4 * std::sqrt(2 * 70000.0 / 11));
  EXPECT_EQ(
      Texts(program, "work", 0, 2),
      (std::vector<std::string>{"2024-04-12T09:06:16.562169Z", "2024-12-06T10:24:08.590375Z"}));
}

TEST(TimeGeneratorsTest, MonotoneTimesNeverDecreaseAndDoNotDependOnTheTarget) {
  const RowProgram program = MustCompile(
      R"({"created_at": {"gen": "monotone_time", "from": "2024-01-01", "every": "10m"}})");
  const std::vector<double> values = Numbers(program, "created_at", 10000);
  EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
  EXPECT_EQ(
      Texts(program, "created_at", 0, 2),
      (std::vector<std::string>{"2024-01-01T00:03:16.673245Z", "2024-01-01T00:10:02.815659Z"}));
  EXPECT_EQ(Texts(program, "created_at", 5000, 1)[0].substr(0, 15), "2024-02-04T17:2");
}

TEST(TimeGeneratorsTest, AfterTheLatestOfItsColumnsByTheDurationDistribution) {
  const RowProgram program = MustCompile(R"({
    "a": {"gen": "timestamp"}, "b": {"gen": "timestamp", "null_rate": 0.5},
    "c": {"gen": "after", "of": ["a", "b"],
          "by": {"gen": "exponential", "mean": "3d", "max": "30d"}}})");
  RowScratch scratch = program.NewScratch();
  std::vector<double> gaps;
  for (uint64_t row = 0; row < 50000; ++row) {
    program.ComputeRow(row, &scratch);
    int64_t latest = scratch[0].integer_value();
    if (!scratch[1].is_null()) latest = std::max(latest, scratch[1].integer_value());
    const int64_t gap = scratch[2].integer_value() - latest;
    ASSERT_GE(gap, 0);
    ASSERT_LE(gap, 30 * kMicrosPerDay);
    gaps.push_back(static_cast<double>(gap) / kMicrosPerDay);
  }
  EXPECT_NEAR(Mean(gaps), 3 * (1 - std::exp(-10.0)) - 30 * std::exp(-10.0), 0.06);
}

TEST(TimeGeneratorsTest, TimestampsAfterAColumnAreStrictlyLaterAndKeepTheWeeklyShape) {
  const RowProgram program = MustCompile(R"({
    "created": {"gen": "timestamp", "to": "2025-06-01", "null_rate": 0.1},
    "seen": {"gen": "timestamp", "after": "created", "from": "2025-12-01"},
    "work": {"gen": "timestamp", "after": "created", "weekly": [1, 1, 1, 1, 1, 0, 0],
             "hourly": [0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0]},
    "late": {"gen": "timestamp", "after": ["created", "seen"]}})");
  int64_t window_end = 0, seen_from = 0;
  ParseIso8601("2026-01-01T00:00:00Z", &window_end);
  ParseIso8601("2025-12-01T00:00:00Z", &seen_from);
  RowScratch scratch = program.NewScratch();
  int nulls = 0;
  for (uint64_t row = 0; row < 50000; ++row) {
    program.ComputeRow(row, &scratch);
    if (scratch[0].is_null()) {
      // With every column it is after NULL, a time is NULL.
      ASSERT_TRUE(scratch[1].is_null() && scratch[2].is_null() && scratch[3].is_null());
      ++nulls;
      continue;
    }
    const int64_t created = scratch[0].integer_value();
    const int64_t seen = scratch[1].integer_value();
    ASSERT_GT(seen, created);
    ASSERT_GE(seen, seen_from);
    ASSERT_LT(seen, window_end);
    const int64_t work = scratch[2].integer_value();
    ASSERT_GT(work, created);
    ASSERT_LT(work, window_end);
    ASSERT_LT(DayOfWeek(work), 5) << "weekends have weight 0";
    const int64_t hour = FloorDiv(work, kMicrosPerHour) % 24;
    ASSERT_GE(hour, 9);
    ASSERT_LT(hour, 17);
    ASSERT_GT(scratch[3].integer_value(), seen);
  }
  EXPECT_NEAR(nulls, 5000, 4 * std::sqrt(5000.0));
}

TEST(TimeGeneratorsTest, AfterWithUntilNeverPassesIt) {
  const RowProgram program = MustCompile(R"({
    "a": {"gen": "timestamp", "from": "2025-12-31T23:00:00Z"},
    "b": {"gen": "after", "of": "a", "by": {"gen": "uniform", "min": "1m", "max": "3h"},
          "until": "2026-01-01"}})");
  int64_t until = 0;
  ParseIso8601("2026-01-01T00:00:00Z", &until);
  RowScratch scratch = program.NewScratch();
  int at_the_end = 0;
  for (uint64_t row = 0; row < 10000; ++row) {
    program.ComputeRow(row, &scratch);
    ASSERT_GE(scratch[1].integer_value(), scratch[0].integer_value());
    ASSERT_LT(scratch[1].integer_value(), until);
    at_the_end += scratch[1].integer_value() == until - 1;
  }
  // a is uniform in the last hour and the gap uniform in [1m, 3h]: b passes the end unless the
  // gap is below the time left, which happens with probability (30m - 1m) / (3h - 1m) on average.
  EXPECT_NEAR(at_the_end, 10000 * (1 - 29.0 / 179), 4 * std::sqrt(10000 * 0.16 * 0.84));
}

TEST(TimeGeneratorsTest, UntilEndIsTheProfilesWindowEnd) {
  CompileOptions options;
  ParseIso8601("2025-01-01T00:00:00Z", &options.window_end_micros);
  const auto program = RowProgram::Compile("t", R"({
    "a": {"gen": "timestamp", "from": "2024-12-31T23:00:00Z", "to": "2025-01-01T00:00:00Z"},
    "b": {"gen": "after", "of": "a", "by": {"gen": "uniform", "min": "1m", "max": "3h"},
          "until": "end"}})",
                                           options);
  ASSERT_TRUE(program.ok()) << program.status().message();
  RowScratch scratch = program->NewScratch();
  int at_the_end = 0;
  for (uint64_t row = 0; row < 1000; ++row) {
    program->ComputeRow(row, &scratch);
    ASSERT_LT(scratch[1].integer_value(), options.window_end_micros);
    at_the_end += scratch[1].integer_value() == options.window_end_micros - 1;
  }
  EXPECT_GT(at_the_end, 700);  // 1 - 29/179 of them, as above: the window's end bounds them
}

TEST(TimeGeneratorsTest, DatesTimesOfDayAndIntervals) {
  const RowProgram program = MustCompile(R"({
    "d": {"gen": "date", "from": "2024-01-01", "to": "2024-01-08"},
    "tod": {"gen": "time_of_day"},
    "iv": {"gen": "interval", "by": {"gen": "uniform", "min": "1h", "max": "2d", "step": "1h"}}})");
  RowScratch scratch = program.NewScratch();
  for (uint64_t row = 0; row < 5000; ++row) {
    program.ComputeRow(row, &scratch);
    ASSERT_EQ(scratch[0].integer_value() % kMicrosPerDay, 0);
    ASSERT_GE(scratch[1].integer_value(), 0);
    ASSERT_LT(scratch[1].integer_value(), kMicrosPerDay);
    const int64_t micros = scratch[2].interval().micros;
    ASSERT_EQ(micros % kMicrosPerHour, 0);
    ASSERT_GE(micros, kMicrosPerHour);
    ASSERT_LE(micros, 2 * kMicrosPerDay);
  }
  EXPECT_EQ(program.info(0).kind, ValueKind::kDate);
  EXPECT_EQ(program.info(2).kind, ValueKind::kInterval);
  EXPECT_EQ(Texts(program, "d", 0, 2), (std::vector<std::string>{"2024-01-07", "2024-01-02"}));
  EXPECT_EQ(Texts(program, "iv", 0, 2), (std::vector<std::string>{"05:00:00", "15:00:00"}));
}

TEST(JsonGeneratorTest, ObjectsFromNestedGeneratorsWithKeysByAnotherColumn) {
  const RowProgram program = MustCompile(R"({
    "event_type": {"gen": "choice", "values": ["login", "disk_low"]},
    "payload": {"gen": "case", "on": "event_type", "cases": {
      "login": {"gen": "json", "fields": {"method": {"gen": "choice", "values": ["password", "sso"]},
                                          "user": {"gen": "first_name"}}},
      "disk_low": {"gen": "json", "fields": {"free_gb": {"gen": "uniform", "min": 1, "max": 20,
                                                         "step": 1},
                                             "tags": {"gen": "array", "max": 2,
                                                      "of": {"gen": "color"}}}}}}})");
  EXPECT_EQ(program.info(1).kind, ValueKind::kJson);
  const auto types = Texts(program, "event_type", 0, 200);
  const auto payloads = Texts(program, "payload", 0, 200);
  for (size_t i = 0; i < types.size(); ++i) {
    const bool login = types[i] == "login";
    ASSERT_EQ(payloads[i].find("\"method\":") != std::string::npos, login) << payloads[i];
    ASSERT_EQ(payloads[i].find("\"free_gb\":") != std::string::npos, !login) << payloads[i];
  }
  EXPECT_EQ(Texts(program, "payload", 0, 3),
            (std::vector<std::string>{R"({"free_gb":5,"tags":[]})",
                                      R"({"method":"password","user":"Helen"})",
                                      R"({"method":"sso","user":"Gloria"})"}));
}

TEST(ArrayGeneratorTest, LengthsWithinBoundsAndElementsIndependent) {
  const RowProgram program = MustCompile(
      R"({"a": {"gen": "array", "min": 1, "max": 4, "of": {"gen": "uniform", "min": 0, "max": 99,
                                                          "step": 1}}})");
  EXPECT_EQ(program.info(0).element_kind, ValueKind::kInteger);
  RowScratch scratch = program.NewScratch();
  int same_neighbours = 0, pairs = 0;
  for (uint64_t row = 0; row < 5000; ++row) {
    program.ComputeRow(row, &scratch);
    const auto elements = scratch[0].elements();
    ASSERT_GE(elements.size(), 1u);
    ASSERT_LE(elements.size(), 4u);
    for (size_t i = 1; i < elements.size(); ++i, ++pairs) {
      same_neighbours += elements[i].integer_value() == elements[i - 1].integer_value();
    }
  }
  EXPECT_LT(same_neighbours, pairs / 50);  // about 1 in 100
  EXPECT_EQ(Texts(program, "a", 0, 3),
            (std::vector<std::string>{"{7,40,69}", "{19,79,31}", "{14,21}"}));
}

TEST(WalkGeneratorTest, EachSeriesMovesByItsVolatilityAndAnyStepIsComputableAlone) {
  const RowProgram program = MustCompile(R"({
    "symbol": {"gen": "catalog", "catalog": "coins", "field": "symbol", "cycle": true},
    "observed_at": {"gen": "monotone_time", "every": "1h", "per": 12, "jitter": false},
    "base": {"gen": "catalog", "catalog": "coins", "field": "price", "cycle": true},
    "price": {"gen": "walk", "series": "symbol", "along": "observed_at", "start": "base",
              "volatility": 0.01}})");
  // Row 12 * t is BTC at hour t.
  RowScratch scratch = program.NewScratch();
  std::vector<double> log_returns;
  double previous = 0;
  for (uint64_t t = 0; t < 20000; ++t) {
    program.ComputeRow(12 * t, &scratch);
    ASSERT_EQ(scratch[0].text(), "BTC");
    const double price = scratch[3].float_value();
    ASSERT_GT(price, 0);
    if (t == 0) {
      EXPECT_EQ(price, 62000);
    } else {
      log_returns.push_back(std::log(price / previous));
    }
    previous = price;
  }
  EXPECT_NEAR(Stddev(log_returns), 0.01, 0.0003);  // 3%
  EXPECT_NEAR(Mean(log_returns), 0, 0.0003);
  // Over a lag of 1024 steps the spread is sqrt(1024) times one step's (a Brownian motion).
  std::vector<double> long_returns;
  for (uint64_t t = 0; t + 1024 < 400000; t += 1024) {
    program.ComputeRow(12 * t, &scratch);
    const double a = scratch[3].float_value();
    program.ComputeRow(12 * (t + 1024), &scratch);
    long_returns.push_back(std::log(scratch[3].float_value() / a));
  }
  EXPECT_NEAR(Stddev(long_returns), 0.32, 0.05);
  EXPECT_EQ(Texts(program, "price", 12 * 1000, 2),
            (std::vector<std::string>{"61785.569747085574", "3056.7019397269114"}));
}

}  // namespace
}  // namespace seedforge::values
