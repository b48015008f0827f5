#include "core/uuid_id.h"

namespace seedforge {
namespace {

// splitmix64's finalizer: a bijective mix of 64 bits.
constexpr uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t UuidIdKey(std::string_view table) {
  uint64_t key = Mix(0x75756964ULL);  // "uuid"
  for (const char c : table) key = Mix(key ^ static_cast<uint8_t>(c));
  return key | 1;
}

void UuidOfId(uint64_t key, int64_t id, uint8_t (&out)[16]) {
  const uint64_t millis = static_cast<uint64_t>(kUuidIdEpochMillis + id);
  const uint64_t a = Mix(key ^ Mix(static_cast<uint64_t>(id)));
  const uint64_t b = Mix(a);
  // unix_ts_ms (48 bits), version 7, rand_a (12 bits); variant 10, rand_b (62 bits).
  const uint64_t high = millis << 16 | 0x7000 | (a & 0xfff);
  const uint64_t low = (b >> 2) | 0x8000000000000000ULL;
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
    out[8 + i] = static_cast<uint8_t>(low >> (56 - 8 * i));
  }
}

int64_t IdOfUuid(const uint8_t (&bytes)[16]) {
  uint64_t millis = 0;
  for (int i = 0; i < 6; ++i) millis = millis << 8 | bytes[i];
  return static_cast<int64_t>(millis) - kUuidIdEpochMillis;
}

std::string IdNumberSql(std::string_view quoted_column) {
  const std::string text = std::string(quoted_column) + "::text";
  return "(CASE WHEN substr(" + text + ", 15, 1) = '7' THEN ('x' || lpad(translate(left(" + text +
         ", 13), '-', ''), 16, '0'))::bit(64)::bigint - " + std::to_string(kUuidIdEpochMillis) +
         " END)";
}

}  // namespace seedforge
