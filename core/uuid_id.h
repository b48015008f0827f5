// Ids of a table whose id column is a uuid.
//
// Such a table numbers its rows as every table does (ids 1, 2... past the ids of rows seedforge
// did not make: GenerationPlan::IdOf), and stores id n as UuidOfId(key, n): a version-7 UUID
// (RFC 9562) whose 48-bit unix_ts_ms field is kUuidIdEpochMillis + n, so that the id is read
// back from the UUID alone (IdOfUuid here, IdNumberSql on the server) and two ids never share a
// UUID. The other 74 bits are drawn from the table's name and the id, so the UUIDs look like the
// time-ordered ones applications make (row n "created" n milliseconds after 2024-01-01). Like an
// integer id, id n of a table is the same UUID whatever the seed. A
// version-4 UUID (gen_random_uuid()) never equals one of them, and is no id at all to
// IdNumberSql (NULL), so rows an application inserted with random UUIDs are never taken for
// generated rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seedforge {

// 2024-01-01T00:00:00Z in milliseconds since the Unix epoch: the time field of id 0.
inline constexpr int64_t kUuidIdEpochMillis = 1'704'067'200'000;
// Ids up to this fit the 48-bit time field (with room past the rows of any run).
inline constexpr int64_t kMaxUuidId = (int64_t{1} << 47) - 1;

// The key of the table named `table` (TableSchema::name): never 0.
uint64_t UuidIdKey(std::string_view table);

// The UUID of id `id` of the table with `key`, bytes in RFC 4122 order.
// REQUIRES: 0 <= id <= kMaxUuidId.
void UuidOfId(uint64_t key, int64_t id, uint8_t (&out)[16]);

// The id a UuidOfId UUID holds (its time field less kUuidIdEpochMillis), whatever the key.
int64_t IdOfUuid(const uint8_t (&bytes)[16]);

// The SQL expression (bigint) of the id that the uuid column `quoted_column` (an SQL reference
// such as `c."id"`) holds: its time field less kUuidIdEpochMillis for a version-7 UUID, NULL for
// any other version.
std::string IdNumberSql(std::string_view quoted_column);

}  // namespace seedforge
