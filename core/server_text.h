// The text PostgreSQL's output functions give for values of the key types, in a session with
// TimeZone UTC and DateStyle ISO (every seedforge connection sets both, sinks/postgres/
// connection.cc).
//
// Unique values of rows seedforge did not make are read from the server as this text (see
// TableContents::foreign_unique_keys); a generated value is compared with them by rendering it
// the same way, so that an integer, a uuid or a date in a unique key can be told apart from the
// reserved ones without asking the server. Only what the comparison needs: no arrays, no floats,
// no intervals (their text depends on more settings), no JSON.
#pragma once

#include <cstdint>
#include <string>

#include "core/row_writer.h"

namespace seedforge {

// Each appends to `out`: an integer in decimal ("-42").
void AppendIntegerServerText(int64_t value, std::string* out);
// numeric unscaled / 10^scale with exactly `scale` fraction digits ("-0.005"), as numeric_out
// prints a numeric(p, scale). REQUIRES: 0 <= scale <= 1000.
void AppendNumericServerText(int64_t unscaled, int scale, std::string* out);
// boolean: "t" or "f" (boolout; what libpq returns for a boolean column).
void AppendBoolServerText(bool value, std::string* out);
// date from days since 1970-01-01: "2024-01-02"; false (nothing appended) for a date before 1 AD,
// which the server prints with " BC".
bool AppendDateServerText(int32_t days, std::string* out);
// time from microseconds since midnight: "03:04:05", "03:04:05.5" (the fraction without trailing
// zeros).
void AppendTimeServerText(int64_t micros, std::string* out);
// timestamp (with_zone false) or timestamptz in UTC (with_zone true, "+00" appended) from
// microseconds since the Unix epoch: "2024-01-02 03:04:05.25+00"; false for years before 1 AD.
bool AppendTimestampServerText(int64_t micros, bool with_zone, std::string* out);
// uuid: 32 lower-case hex digits in groups 8-4-4-4-12.
void AppendUuidServerText(const uint8_t (&bytes)[16], std::string* out);
// macaddr: "08:00:2b:01:02:03".
void AppendMacServerText(const uint8_t (&bytes)[6], std::string* out);
// inet of an IPv4 host address: "10.0.0.1" (a full-length prefix is not printed).
void AppendInet4ServerText(uint32_t address, std::string* out);
// inet: IPv4 dotted, with "/prefix" unless it is 32; false for IPv6 (not rendered here).
bool AppendInetServerText(const IpAddress& address, std::string* out);

}  // namespace seedforge
