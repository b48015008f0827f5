// Fixtures: the named records a profile asks for (e.g. an "admin" user), inserted when no row has
// their natural key and never overwritten.
//
// A run first counts, in a transaction it rolls back, the fixtures each table lacks (the
// statements really run, so a value the server refuses fails the run before anything is
// written); generated rows make room for them under the targets. Once every table is written,
// the absent fixtures are inserted in one transaction, in foreign-key order, with ids from the
// tables' identities. Generated rows never take a fixture's unique values (FixtureUniqueKeys).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/profile.h"

namespace seedforge {

class PgConnection;

// True when the profile names any fixture.
bool HasFixtures(const Profile& profile);

// Per table (schemas() order), the EncodeUniqueKey values of the profile's fixtures (for the keys
// whose columns a fixture gives in full), each value in the text the server will print for it
// (core/server_text.h): a string as written (a uuid's in lower case), an integer as written, a
// number in a numeric(p,s) column with s fraction digits, a boolean as t or f. A key with a
// reference to another fixture is left out: that fixture's id comes after every generated one.
std::vector<std::vector<std::string>> FixtureUniqueKeys(const Profile& profile);
// The same for one fixture row of the table `schema`.
std::vector<std::string> FixtureRowUniqueKeys(const TableSchema& schema, const FixtureRow& row);

// The fixtures each table lacks, counted by inserting them in a transaction that is rolled back
// (tables that do not exist yet are created in it too). REQUIRES: no transaction is open.
StatusOr<std::vector<int64_t>> CountAbsentFixtures(PgConnection& connection,
                                                   const Profile& profile);

// Inserts the fixtures each table lacks in one transaction; returns how many per table
// (schemas() order; so does CountAbsentFixtures).
StatusOr<std::vector<int64_t>> InsertFixtures(PgConnection& connection, const Profile& profile);

}  // namespace seedforge
