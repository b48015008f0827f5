// The row scratch value: text and JSON forms, and buffers that keep their capacity.
#include <gtest/gtest.h>

#include "generators/values/permutation.h"
#include "generators/values/value.h"

namespace seedforge::values {
namespace {

TEST(ValueTest, TextFormsAreWhatPostgresReads) {
  Value v;
  v.SetDecimal(-12345, 2);
  EXPECT_EQ(v.ToString(), "-123.45");
  v.SetDecimal(-5, 3);
  EXPECT_EQ(v.ToString(), "-0.005");
  v.SetDecimal(7, 0);
  EXPECT_EQ(v.ToString(), "7");
  v.SetBool(true);
  EXPECT_EQ(v.ToString(), "true");
  v.SetFloat(0.1);
  EXPECT_EQ(v.ToString(), "0.1");
  const uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                            0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  v.SetUuid(uuid);
  EXPECT_EQ(v.ToString(), "12345678-9abc-4def-8001-020304050607");
  v.SetTimestamp(1'704'067'200'000'000 + 1'500'000);
  EXPECT_EQ(v.ToString(), "2024-01-01T00:00:01.500000Z");
  v.SetDate(1'704'067'200'000'000);
  EXPECT_EQ(v.ToString(), "2024-01-01");
  v.SetTime(13 * 3'600'000'000LL + 5 * 60'000'000LL + 7);
  EXPECT_EQ(v.ToString(), "13:05:00.000007");
  v.SetInterval(Interval{1, 2, 3 * 3'600'000'000LL});
  EXPECT_EQ(v.ToString(), "1 mons 2 days 03:00:00");
  v.SetInet4(0x0a000001);
  EXPECT_EQ(v.ToString(), "10.0.0.1");
  v.SetInet4(0xc0a80000, 16);
  EXPECT_EQ(v.ToString(), "192.168.0.0/16");
  const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  v.SetInet6(v6);
  EXPECT_EQ(v.ToString(), "2001:db8::1");
  const uint8_t zeros[16] = {};
  v.SetInet6(zeros, 64);
  EXPECT_EQ(v.ToString(), "::/64");
  const uint8_t mac[6] = {0x02, 0xab, 0x00, 0x10, 0xff, 0x01};
  v.SetMac(mac);
  EXPECT_EQ(v.ToString(), "02:ab:00:10:ff:01");
  v.StartBytes()->append("\x0a\xff", 2);
  EXPECT_EQ(v.ToString(), "\\x0aff");
  v.StartArray();
  v.AppendElement()->SetText("a");
  v.AppendElement()->SetText("b c");
  v.AppendElement()->SetNull();
  v.AppendElement()->SetText("");
  EXPECT_EQ(v.ToString(), "{a,\"b c\",NULL,\"\"}");
  v.SetNull();
  EXPECT_EQ(v.ToString(), "");
}

TEST(ValueTest, JsonFormsQuoteTextAndKeepNumbersBare) {
  Value v;
  std::string out;
  v.SetText("say \"hi\"\n\\");
  v.AppendJson(&out);
  EXPECT_EQ(out, R"("say \"hi\"\u000a\\")");
  out.clear();
  v.StartArray();
  v.AppendElement()->SetInteger(-3);
  v.AppendElement()->SetDecimal(250, 2);
  v.AppendElement()->SetNull();
  v.AppendElement()->SetBool(false);
  v.AppendJson(&out);
  EXPECT_EQ(out, "[-3,2.50,null,false]");
  out.clear();
  v.SetTimestamp(0);
  v.AppendJson(&out);
  EXPECT_EQ(out, "\"1970-01-01T00:00:00Z\"");
}

TEST(ValueTest, BuffersKeepTheirCapacityFromRowToRow) {
  Value v;
  v.SetText(std::string(1000, 'x'));
  const char* data = v.text().data();
  v.SetInteger(5);
  v.SetText("short");
  EXPECT_EQ(v.text(), "short");
  EXPECT_EQ(v.text().data(), data);  // same buffer: no allocation

  v.StartArray();
  v.AppendElement()->SetText(std::string(500, 'y'));
  v.AppendElement()->SetInteger(1);
  const Value* first = &v.elements()[0];
  const char* element_data = first->text().data();
  v.StartArray();
  Value* again = v.AppendElement();
  EXPECT_EQ(again, first);  // elements are reused with their buffers
  again->SetText("y");
  EXPECT_EQ(again->text().data(), element_data);
  EXPECT_EQ(v.elements().size(), 1u);

  Value copy, source;
  copy.SetText(std::string(800, 'z'));
  const char* copy_data = copy.text().data();
  copy.CopyFrom(v);
  EXPECT_EQ(copy.kind(), ValueKind::kArray);
  EXPECT_EQ(copy.ToString(), "{y}");
  source.SetText(std::string(500, 'w'));
  copy.CopyFrom(source);
  EXPECT_EQ(copy.text().size(), 500u);
  EXPECT_EQ(copy.text().data(), copy_data);
}

TEST(PermutationTest, IsABijectionOfEverySmallDomain) {
  for (uint64_t n : {1, 2, 3, 4, 5, 7, 15, 16, 17, 100, 255, 256, 257, 1000, 4097}) {
    Permutation permutation(99, n);
    std::vector<bool> seen(n, false);
    for (uint64_t x = 0; x < n; ++x) {
      const uint64_t y = permutation.Apply(x);
      ASSERT_LT(y, n);
      ASSERT_FALSE(seen[y]) << "n=" << n << " x=" << x;
      seen[y] = true;
    }
  }
}

TEST(PermutationTest, KeysGiveUnrelatedOrdersAndValuesArePinned) {
  Permutation a(1, 1'000'000), b(2, 1'000'000);
  int same = 0;
  for (uint64_t x = 0; x < 10'000; ++x) same += a.Apply(x) == b.Apply(x);
  EXPECT_LT(same, 5);
  EXPECT_EQ(a.Apply(0), 457373u);
  EXPECT_EQ(a.Apply(1), 508999u);
  EXPECT_EQ(a.Apply(2), 664114u);
  Permutation huge(3, uint64_t{1} << 62);
  EXPECT_LT(huge.Apply((uint64_t{1} << 62) - 1), uint64_t{1} << 62);
}

}  // namespace
}  // namespace seedforge::values
