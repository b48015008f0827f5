// The UUIDs of ids (core/uuid_id.h): the time field holds the id, the version and variant are
// those of RFC 9562's version 7, the rest depends on the table, and the server's reading of the
// id (IdNumberSql) is checked on a real server in tests/cli/uuid_ids_test.cc.
#include "core/uuid_id.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace seedforge {
namespace {

std::string Text(const uint8_t (&bytes)[16]) {
  std::string text;
  char hex[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
    text += hex;
  }
  return text;
}

TEST(UuidId, TheTimeFieldIsTheIdInMillisecondsAfter2024AndTheVersionIsSeven) {
  uint8_t bytes[16];
  const uint64_t key = UuidIdKey("authors");
  UuidOfId(key, 1, bytes);
  // 2024-01-01T00:00:00.001Z is 1704067200001 ms = 0x018cc251f401.
  const std::string one = Text(bytes);
  EXPECT_EQ(one.substr(0, 15), "018cc251-f401-7");
  EXPECT_NE(std::string("89ab").find(one[19]), std::string::npos) << one;
  UuidOfId(key, 256, bytes);
  EXPECT_EQ(Text(bytes).substr(0, 15), "018cc251-f500-7");
  UuidOfId(key, kMaxUuidId, bytes);
  EXPECT_EQ(Text(bytes).substr(0, 15), "818cc251-f3ff-7");  // 0x8000000000000 less 1, plus epoch
}

TEST(UuidId, TheIdIsReadBackAndTheRestDependsOnTheTable) {
  uint8_t a[16], b[16];
  for (const int64_t id : {int64_t{0}, int64_t{1}, int64_t{3073}, kMaxUuidId}) {
    UuidOfId(UuidIdKey("authors"), id, a);
    EXPECT_EQ(IdOfUuid(a), id);
    UuidOfId(UuidIdKey("books"), id, b);
    EXPECT_EQ(IdOfUuid(b), id);
    EXPECT_EQ(Text(a).substr(0, 15), Text(b).substr(0, 15));
    EXPECT_NE(Text(a), Text(b));
  }
  UuidOfId(UuidIdKey("authors"), 7, a);
  UuidOfId(UuidIdKey("authors"), 7, b);
  EXPECT_EQ(Text(a), Text(b));
  EXPECT_NE(UuidIdKey("authors"), 0u);
}

}  // namespace
}  // namespace seedforge
