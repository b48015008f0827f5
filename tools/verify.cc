// stats and verify (see verify.h for what they check and the fingerprint's definition).
//
// Design: every check is one SQL aggregate, so nothing but counts and hashes crosses the wire.
// Verify first reads which tables exist and their counts (the same plan `seed` makes), then runs
// the server-side checks on the connection while a second thread computes the expected
// fingerprints with the generators (in parallel over blocks, under oneTBB), so the slower of the
// two sets the time, not their sum.
//
// The row hash is MD5 because it is the one digest PostgreSQL has in every supported version
// without an extension; the client computes it with OpenSSL's libcrypto, which libpq itself is
// built on (Debian's libpq-dev depends on libssl-dev), so it adds no new dependency. Eight bytes
// of it per row, summed modulo 2^64, make an order-independent fingerprint: a changed, missing
// or extra row changes the sum with probability 1 - 2^-64.
//
// The unique-key check trusts the server: when the unique constraint exists, duplicates cannot,
// and the (expensive) grouping is skipped; without the constraint it counts them.
#include "tools/verify.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "core/civil_time.h"
#include "engine/pipeline.h"
#include "engine/report.h"
#include "engine/run.h"
#include "sinks/pg_connection.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

// ---------------------------------------------------------------------------------------------
// MD5 through libcrypto, with the algorithm fetched once.

const EVP_MD* Md5() {
  static const EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md5;
}

uint64_t FirstEightBytes(const unsigned char* digest) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | digest[i];
  return value;
}

class Md5Hasher {
 public:
  Md5Hasher() : context_(EVP_MD_CTX_new()) {}
  ~Md5Hasher() { EVP_MD_CTX_free(context_); }
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;

  uint64_t Hash(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestInit_ex(context_, Md5(), nullptr);
    EVP_DigestUpdate(context_, text.data(), text.size());
    EVP_DigestFinal_ex(context_, digest, &length);
    return FirstEightBytes(digest);
  }

 private:
  EVP_MD_CTX* context_;
};

// ---------------------------------------------------------------------------------------------
// The canonical row text (verify.h), written by the generators.

void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<size_t>(result.ptr - digits));
}

class FingerprintWriter final : public RowWriter {
 public:
  FingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows)
      : text_(*text), sum_(*sum), rows_(*rows) {}

  void BeginRow() override {
    text_.clear();
    first_ = true;
  }
  void EndRow() override {
    sum_ += hasher_.Hash(text_);
    ++rows_;
  }
  void Int64(int64_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Int32(int32_t value) override {
    Separate();
    AppendInt(text_, value);
  }
  void Bool(bool value) override {
    Separate();
    text_.append(value ? "true" : "false");
  }
  void Text(std::string_view value) override {
    Separate();
    text_.append(value);
  }
  void Timestamp(int64_t unix_micros) override {
    Separate();
    // PostgreSQL prints the fraction without trailing zeros ("12.24027+00"); FormatTimestamp
    // prints six digits or none.
    char buffer[kMaxTimestampChars];
    const std::string_view formatted(
        buffer, FormatTimestamp(unix_micros, TimestampStyle::kPostgres, buffer));
    const size_t zone = formatted.rfind('+');
    const size_t dot = formatted.rfind('.');
    if (dot == std::string_view::npos || zone == std::string_view::npos || zone < dot) {
      text_.append(formatted);
      return;
    }
    size_t fraction_end = zone;
    while (fraction_end > dot + 1 && formatted[fraction_end - 1] == '0') --fraction_end;
    text_.append(formatted.substr(0, fraction_end));
    text_.append(formatted.substr(zone));
  }
  void Numeric2(int64_t hundredths) override {
    Separate();
    const uint64_t magnitude =
        hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
    if (hundredths < 0) text_.push_back('-');
    AppendInt(text_, static_cast<int64_t>(magnitude / 100));
    text_.push_back('.');
    text_.push_back(static_cast<char>('0' + magnitude % 100 / 10));
    text_.push_back(static_cast<char>('0' + magnitude % 10));
  }
  void Inet4(uint32_t address) override {
    Separate();
    for (int shift = 24; shift >= 0; shift -= 8) {
      AppendInt(text_, (address >> shift) & 0xFF);
      if (shift != 0) text_.push_back('.');
    }
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    Separate();
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 6; ++i) {
      if (i != 0) text_.push_back(':');
      text_.push_back(kHex[bytes[i] >> 4]);
      text_.push_back(kHex[bytes[i] & 0xF]);
    }
  }
  void Json(std::string_view json_object) override {
    Separate();
    text_.append(json_object);  // the generators emit jsonb's canonical text
  }
  void Null() override {
    Separate();
    text_.append("\\N");
  }

 private:
  void Separate() {
    if (!first_) text_.push_back('\t');
    first_ = false;
  }

  std::string& text_;
  uint64_t& sum_;
  int64_t& rows_;
  Md5Hasher hasher_;
  bool first_ = true;
};

// The SQL rendering of one column in the canonical text.
std::string ColumnText(const ColumnSchema& column) {
  std::string value;
  switch (column.type) {
    case ColumnType::kText:
      value = column.name;
      break;
    case ColumnType::kInet:
      value = "host(" + column.name + ")";
      break;
    default:  // bigint, integer, boolean, timestamptz, numeric, macaddr, jsonb
      value = column.name + "::text";
      break;
  }
  return "coalesce(" + value + ", E'\\\\N')";
}

constexpr std::string_view kTwoTo64 = "18446744073709551616";

// ---------------------------------------------------------------------------------------------
// Small helpers.

std::string SqlLiteral(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string TimestampLiteral(int64_t unix_micros) {
  char buffer[kMaxTimestampChars];
  const size_t length = FormatTimestamp(unix_micros, TimestampStyle::kPostgres, buffer);
  return "timestamptz '" + std::string(buffer, length) + "'";
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

StatusOr<int64_t> ParseInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (!text.has_value()) return Internal("unexpected NULL from the server");
  const auto result = std::from_chars(text->data(), text->data() + text->size(), value);
  if (result.ec != std::errc()) return Internal("unexpected value from the server: " + *text);
  return value;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------
// The realism rules. The single source: tests/db/realism_test.cc runs these same queries.

constexpr RealismRule kRealismRules[] = {
    // users
    {"UsersCreatedInIdOrder",
     "SELECT count(*) FROM (SELECT created_at, lag(created_at) OVER (ORDER BY id) AS p "
     "FROM users) x WHERE created_at <= p"},
    {"UsersInsideTheWindow",
     "SELECT count(*) FROM users WHERE created_at < $WINDOW_START OR created_at >= $WINDOW_END"},
    {"CreatorIsAnEarlierUserCreatedBefore",
     "SELECT count(*) FROM users u JOIN users c ON c.id = u.created_by WHERE c.id >= u.id "
     "OR c.created_at >= u.created_at"},
    {"FirstUserHasNoCreator", "SELECT count(*) FROM users WHERE id = 1 AND created_by IS NOT NULL"},
    // Names end in a number (the id the row was generated as), with "+2" or "-2" after it when
    // a row seedforge did not make held the value (see GenerationSegment).
    {"EmailDerivesFromTheName",
     "SELECT count(*) FROM users WHERE email NOT LIKE lower(split_part(full_name, ' ', 1)) || "
     "'.' || lower(split_part(full_name, ' ', 2)) || '%@' || $EMAIL_DOMAIN OR "
     "split_part(email, '@', 1) !~ '[a-z]\\d+(\\+\\d+)?$'"},
    {"UsernameDerivesFromTheName",
     "SELECT count(*) FROM users WHERE position(lower(split_part(full_name, ' ', 2)) IN "
     "username) = 0 OR username !~ '[a-z]\\d+(-\\d+)?$'"},
    // applications
    {"ApplicationCreatedAfterItsCreator",
     "SELECT count(*) FROM applications a JOIN users u ON u.id = a.created_by WHERE "
     "a.created_at < u.created_at OR a.created_at >= $WINDOW_END"},
    {"ApplicationVersionIsMajorMinorPatch",
     "SELECT count(*) FROM applications WHERE version !~ '^\\d+\\.\\d+\\.\\d+$' OR "
     "package_size_mb <= 0"},
    {"ApplicationPlatformIsKnown",
     "SELECT count(*) FROM applications WHERE platform NOT IN ('windows', 'macos', "
     "'linux', 'ios', 'android')"},
    // assets
    {"OnlyAppleHardwareRunsAppleSystems",
     "SELECT count(*) FROM assets WHERE (manufacturer = 'Apple') <> (os_name IN ('macOS', "
     "'iOS', 'iPadOS'))"},
    {"ServersAndVmsRunServerSystems",
     "SELECT count(*) FROM assets WHERE (asset_type IN ('server', 'vm')) <> (os_name IN "
     "('Windows Server 2019', 'Windows Server 2022', 'Ubuntu Server', 'Red Hat Enterprise "
     "Linux', 'Debian'))"},
    {"VmsComeFromVirtualPlatforms",
     "SELECT count(*) FROM assets WHERE (asset_type = 'vm') <> (manufacturer IN "
     "('VMware', 'Microsoft Hyper-V', 'QEMU', 'Amazon EC2'))"},
    {"MobilesRunMobileSystems",
     "SELECT count(*) FROM assets WHERE (asset_type = 'mobile') <> (os_name IN ('iOS', "
     "'iPadOS', 'Android'))"},
    {"IphonesRunIosAndIpadsIpados",
     "SELECT count(*) FROM assets WHERE (model LIKE 'iPhone%') <> (os_name = 'iOS') OR "
     "(model LIKE 'iPad%') <> (os_name = 'iPadOS')"},
    {"MacAddressPrefixFitsTheManufacturer",
     "SELECT count(*) FROM assets a WHERE NOT EXISTS (SELECT 1 FROM (VALUES "
     "('Apple', '3c:22:fb'), ('Apple', 'a4:83:e7'), ('Apple', 'f0:18:98'), "
     "('Apple', 'ac:bc:32'), ('Dell', '18:66:da'), ('Dell', 'b8:ca:3a'), "
     "('Dell', 'f8:bc:12'), ('Dell', 'd4:81:d7'), ('HP', '3c:d9:2b'), ('HP', '9c:8e:99'), "
     "('HP', '10:60:4b'), ('HPE', '94:18:82'), ('HPE', '1c:98:ec'), ('HPE', '48:df:37'), "
     "('Lenovo', '54:ee:75'), ('Lenovo', '8c:16:45'), ('Lenovo', 'e8:6a:64'), "
     "('Microsoft', '28:18:78'), ('Microsoft', 'c0:33:5e'), ('Samsung', '5c:0a:5b'), "
     "('Samsung', '8c:77:12'), ('Samsung', 'f4:7b:09'), ('Google', '3c:28:6d'), "
     "('Google', 'f8:0f:f9'), ('Supermicro', '00:25:90'), ('Supermicro', 'ac:1f:6b'), "
     "('Supermicro', '0c:c4:7a'), ('VMware', '00:50:56'), ('VMware', '00:0c:29'), "
     "('Microsoft Hyper-V', '00:15:5d'), ('QEMU', '52:54:00'), "
     "('Amazon EC2', '02:4a:7e'), ('Amazon EC2', '0a:3b:91'), ('Amazon EC2', '12:6f:c4')"
     ") AS oui(manufacturer, prefix) WHERE oui.manufacturer = a.manufacturer AND "
     "left(a.mac_address::text, 8) = oui.prefix)"},
    {"ServersAndVmsHaveNoOwner",
     "SELECT count(*) FROM assets WHERE asset_type IN ('server', 'vm') AND owner_id IS NOT NULL"},
    {"LastSeenNotBeforeCreated",
     "SELECT count(*) FROM assets WHERE last_seen_at < created_at OR last_seen_at >= $WINDOW_END "
     "OR created_at < $WINDOW_START"},
    {"AssetStatusIsKnown",
     "SELECT count(*) FROM assets WHERE status NOT IN ('active', 'in_repair', 'retired', "
     "'in_stock') OR asset_type NOT IN ('laptop', 'desktop', 'server', 'vm', 'mobile')"},
    {"AddressesArePrivate",
     "SELECT count(*) FROM assets WHERE NOT (ip_address << inet '10.0.0.0/8' OR "
     "ip_address << inet '172.16.0.0/12' OR ip_address << inet '192.168.0.0/16')"},
    // deployments
    {"DeploymentStartsAfterAssetAndApplicationWereCreated",
     "SELECT count(*) FROM deployments d JOIN assets a ON a.id = d.asset_id JOIN "
     "applications p ON p.id = d.application_id WHERE d.started_at <= "
     "greatest(a.created_at, p.created_at) OR d.started_at >= $WINDOW_END"},
    {"FinishedExactlyWhenTerminal",
     "SELECT count(*) FROM deployments WHERE (finished_at IS NOT NULL) <> (status IN "
     "('succeeded', 'failed', 'rolled_back')) OR finished_at < started_at OR finished_at "
     ">= $WINDOW_END"},
    {"ErrorCodeExactlyWhenFailed",
     "SELECT count(*) FROM deployments WHERE (error_code IS NOT NULL) <> (status = 'failed')"},
    {"DeploymentStatusAndRingAreKnown",
     "SELECT count(*) FROM deployments WHERE status NOT IN ('pending', 'running', "
     "'succeeded', 'failed', 'rolled_back') OR ring NOT IN ('canary', 'pilot', 'broad')"},
    // events
    {"EventHappensAfterItsAssetWasCreated",
     "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.occurred_at "
     "<= a.created_at OR e.occurred_at >= $WINDOW_END"},
    {"NamedUserIsTheAssetsOwner",
     "SELECT count(*) FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.user_id IS "
     "NOT NULL AND e.user_id IS DISTINCT FROM a.owner_id"},
    {"NamedDeploymentIsOnTheSameAssetAndStartedBefore",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "e.asset_id <> d.asset_id OR e.occurred_at <= d.started_at"},
    {"DeploymentEventPayloadMatchesTheDeployment",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "(e.payload->>'deployment_id')::bigint <> d.id OR "
     "(e.payload->>'application_id')::bigint <> d.application_id OR "
     "e.payload->>'status' <> CASE WHEN e.event_type IN ('deployment_started', "
     "'deployment_progress') THEN 'running' ELSE d.status END OR "
     "(e.payload->>'error_code') IS DISTINCT FROM CASE WHEN e.event_type = "
     "'deployment_failed' THEN d.error_code END"},
    {"DeploymentEventTypeFitsTheDeploymentStatus",
     "SELECT count(*) FROM events e JOIN deployments d ON d.id = e.deployment_id WHERE "
     "e.event_type <> 'deployment_started' AND e.event_type <> CASE d.status WHEN "
     "'pending' THEN 'deployment_queued' WHEN 'running' THEN 'deployment_progress' ELSE "
     "'deployment_' || d.status END OR (e.event_type = 'deployment_started' AND d.status "
     "= 'pending')"},
    {"OnlyDeploymentEventsNameADeployment",
     "SELECT count(*) FROM events WHERE (deployment_id IS NULL) = (event_type LIKE "
     "'deployment%')"},
    {"PayloadIsAnObject", "SELECT count(*) FROM events WHERE jsonb_typeof(payload) <> 'object'"},
    // Both event rules are written for hash aggregates: count(DISTINCT) per group would sort
    // every event (8 s instead of under 3 s on the xl profile's million events).
    {"EachEventTypeHasOneSeverity",
     "SELECT count(*) FROM (SELECT event_type FROM (SELECT DISTINCT event_type, severity FROM "
     "events) d GROUP BY event_type HAVING count(*) > 1) s"},
    // Every key of an event type is in every event of that type: (type, key) pairs whose count
    // differs from the type's count.
    {"PayloadKeysDependOnlyOnTheEventType",
     "WITH t AS (SELECT event_type, count(*) AS n FROM events GROUP BY 1), k AS (SELECT "
     "event_type, key, count(*) AS n FROM events, jsonb_object_keys(payload) key GROUP BY 1, 2) "
     "SELECT count(*) FROM k JOIN t USING (event_type) WHERE k.n <> t.n"},
    // uniqueness (also of the MAC addresses, which no constraint enforces)
    {"UniqueValuesAreUnique",
     "SELECT (SELECT count(*) - count(DISTINCT username) + count(*) - count(DISTINCT "
     "email) FROM users) + (SELECT count(*) - count(DISTINCT asset_tag) + count(*) - "
     "count(DISTINCT serial_number) + count(*) - count(DISTINCT mac_address) FROM assets) "
     "+ (SELECT count(*) - count(DISTINCT (name, version, platform)) FROM "
     "applications)"},
};

// ---------------------------------------------------------------------------------------------
// Keys of the model, parsed from the CREATE statements in generators/fleet_schema.cc so that the
// schema stays their one source.

std::vector<std::string> SplitColumns(const std::string& list) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string column = list.substr(start, comma - start);
    column.erase(0, column.find_first_not_of(' '));
    column.erase(column.find_last_not_of(' ') + 1);
    if (!column.empty()) columns.push_back(column);
    start = comma + 1;
  }
  return columns;
}

// Every constraint and index name of the model, with its table.
const std::vector<std::pair<std::string, std::string>>& ModelObjectNames() {
  static const auto names = [] {
    std::vector<std::pair<std::string, std::string>> result;
    const std::regex constraint(R"(CONSTRAINT (\w+))");
    const std::regex index(R"(CREATE INDEX IF NOT EXISTS (\w+))");
    for (const TableSchema& schema : FleetSchemas()) {
      for (std::sregex_iterator it(schema.create_sql.begin(), schema.create_sql.end(), constraint),
           end;
           it != end; ++it) {
        result.emplace_back(schema.name, (*it)[1].str());
      }
      for (const std::string& sql : schema.index_sql) {
        std::smatch match;
        if (std::regex_search(sql, match, index)) result.emplace_back(schema.name, match[1].str());
      }
    }
    return result;
  }();
  return names;
}

// ---------------------------------------------------------------------------------------------
// Verify's parts.

struct TableState {
  const TableSchema* schema = nullptr;
  bool exists = false;
  int64_t rows = 0;
  int64_t target = 0;
};

void AddCheck(VerifyReport* report, std::string kind, std::string subject, bool passed,
              std::string detail) {
  report->checks.push_back(
      CheckResult{std::move(kind), std::move(subject), passed, std::move(detail)});
}

// A check whose query failed: the failure is the finding (a missing column, a wrong type...).
bool QueryFailed(const Status& status, VerifyReport* report, const std::string& kind,
                 const std::string& subject) {
  if (status.ok()) return false;
  AddCheck(report, kind, subject, false, "query failed: " + status.message());
  return true;
}

Status CheckConstraints(PgConnection& connection, const std::vector<TableState>& tables,
                        std::set<std::string>* present, VerifyReport* report) {
  std::string existing_tables;
  for (const TableState& table : tables) {
    if (!table.exists) continue;
    existing_tables += existing_tables.empty() ? "" : ", ";
    existing_tables += "to_regclass(" + SqlLiteral(table.schema->name) + ")";
  }
  if (!existing_tables.empty()) {
    SF_ASSIGN_OR_RETURN(
        QueryResult names,
        connection.Query("SELECT conname::text, convalidated FROM pg_constraint WHERE conrelid IN "
                         "(" +
                         existing_tables +
                         ") UNION ALL SELECT c.relname::text, i.indisvalid FROM pg_index i JOIN "
                         "pg_class c ON c.oid = i.indexrelid WHERE i.indrelid IN (" +
                         existing_tables + ")"));
    for (const auto& row : names.rows) {
      if (row[1].value_or("") == "t") present->insert(row[0].value_or(""));
    }
  }
  std::map<std::string, std::string> parked;  // constraint -> table
  SF_ASSIGN_OR_RETURN(
      const std::string journal,
      connection.QueryValue("SELECT (to_regclass(" + SqlLiteral(kPendingConstraintsTable) +
                            ") IS NOT NULL)::text"));
  if (journal == "true") {
    SF_ASSIGN_OR_RETURN(QueryResult rows,
                        connection.Query("SELECT table_name, constraint_name FROM " +
                                         std::string(kPendingConstraintsTable)));
    for (const auto& row : rows.rows) parked[row[1].value_or("")] = row[0].value_or("");
  }
  for (const auto& [table, name] : ModelObjectNames()) {
    const bool table_exists = std::any_of(tables.begin(), tables.end(), [&](const TableState& t) {
      return t.exists && t.schema->name == table;
    });
    if (!table_exists) continue;  // reported once as an absent table
    const bool is_present = present->count(name) > 0;
    const bool is_parked = parked.count(name) > 0;
    std::string detail = "present";
    if (is_parked) {
      detail = "parked in " + std::string(kPendingConstraintsTable) +
               " by an unfinished bulk load (the next `seedforge seed` restores it)";
    } else if (!is_present) {
      detail = "missing or not valid";
    }
    AddCheck(report, "constraint", table + "." + name, is_present && !is_parked, detail);
  }
  return Status::Ok();
}

Status CheckOrphans(PgConnection& connection, const std::vector<TableState>& tables,
                    VerifyReport* report) {
  auto exists = [&](const std::string& name) {
    return std::any_of(tables.begin(), tables.end(),
                       [&](const TableState& t) { return t.exists && t.schema->name == name; });
  };
  for (const ForeignKey& key : ModelForeignKeys()) {
    if (!exists(key.table) || !exists(key.parent)) continue;
    const std::string subject = key.table + "." + key.column;
    auto orphans = connection.QueryInt("SELECT count(*) FROM " + key.table + " c WHERE c." +
                                       key.column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " +
                                       key.parent + " p WHERE p.id = c." + key.column + ")");
    if (QueryFailed(orphans.status(), report, "orphans", subject)) continue;
    AddCheck(report, "orphans", subject, *orphans == 0,
             fmt::format("{} rows whose {} row is missing", *orphans, key.parent));
  }
  return Status::Ok();
}

Status CheckDuplicates(PgConnection& connection, const std::vector<TableState>& tables,
                       const std::set<std::string>& present, VerifyReport* report) {
  for (const UniqueKey& key : ModelUniqueKeys()) {
    const bool exists = std::any_of(tables.begin(), tables.end(), [&](const TableState& t) {
      return t.exists && t.schema->name == key.table;
    });
    if (!exists) continue;
    std::string columns;
    for (const std::string& column : key.columns) {
      columns += columns.empty() ? "" : ", ";
      columns += column;
    }
    const std::string subject = key.table + "(" + columns + ")";
    if (present.count(key.constraint) > 0) {
      AddCheck(report, "duplicates", subject, true, "0 (enforced by " + key.constraint + ")");
      continue;
    }
    auto duplicates = connection.QueryInt(
        "SELECT coalesce(sum(n - 1), 0)::bigint FROM (SELECT "
        "count(*) AS n FROM " +
        key.table + " GROUP BY " + columns + " HAVING count(*) > 1) d");
    if (QueryFailed(duplicates.status(), report, "duplicates", subject)) continue;
    AddCheck(report, "duplicates", subject, *duplicates == 0,
             fmt::format("{} duplicate rows", *duplicates));
  }
  return Status::Ok();
}

// The rules hold for the rows seedforge generated. When other rows are present (fixtures, rows
// of the application), temporary views of the same names show the rules only generated rows:
// the session's temporary schema comes first in the search path.
Status CheckRealism(PgConnection& connection, const Profile& profile,
                    const std::array<TableContents, kTableCount>& contents, bool foreign_rows,
                    VerifyReport* report) {
  std::string drop;
  if (foreign_rows) {
    SF_ASSIGN_OR_RETURN(const std::string schema, connection.QueryValue("SELECT current_schema()"));
    std::string views;
    for (int i = 0; i < kTableCount; ++i) {
      const TableSchema& table = FleetSchemas()[static_cast<size_t>(i)];
      const std::string name = connection.QuoteIdentifier(table.name);
      views += "CREATE TEMPORARY VIEW " + name + " AS SELECT * FROM " +
               connection.QuoteIdentifier(schema) + "." + name + " WHERE " +
               GeneratedIdCondition(contents[i], contents[i].generated,
                                    connection.QuoteIdentifier(table.columns.front().name)) +
               ";\n";
      drop += "DROP VIEW pg_temp." + name + ";\n";
    }
    SF_RETURN_IF_ERROR(connection.Execute(views).WithContext("scoping the realism rules"));
  }
  for (const RealismRule& rule : RealismRules()) {
    auto violations = connection.QueryInt(RealismRuleSql(rule, profile));
    if (QueryFailed(violations.status(), report, "realism", std::string(rule.name))) continue;
    AddCheck(report, "realism", std::string(rule.name), *violations == 0,
             fmt::format("{} rows break the rule", *violations));
  }
  if (!drop.empty()) SF_RETURN_IF_ERROR(connection.Execute(drop));
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Fingerprints.

std::string Fingerprint::HashHex() const { return fmt::format("{:016x}", hash); }

uint64_t RowHash(std::string_view canonical_text) {
  Md5Hasher hasher;
  return hasher.Hash(canonical_text);
}

std::unique_ptr<RowWriter> MakeFingerprintWriter(std::string* text, uint64_t* sum, int64_t* rows) {
  return std::make_unique<FingerprintWriter>(text, sum, rows);
}

Fingerprint ExpectedFingerprint(const TableGenerator& generator, int64_t rows, int threads) {
  constexpr int64_t kBlockRows = 4096;
  tbb::task_arena arena(ResolveThreads(threads));
  return arena.execute([&] {
    return tbb::parallel_reduce(
        tbb::blocked_range<int64_t>(0, rows, kBlockRows), Fingerprint{},
        [&](const tbb::blocked_range<int64_t>& range, Fingerprint sum) {
          std::string text;
          FingerprintWriter writer(&text, &sum.hash, &sum.rows);
          generator.WriteRows(range.begin(), range.end(), writer);
          return sum;
        },
        [](Fingerprint a, const Fingerprint& b) {
          a.rows += b.rows;
          a.hash += b.hash;  // modulo 2^64 by unsigned wrap-around
          return a;
        });
  });
}

std::string FingerprintSql(const TableSchema& schema, std::string_view condition) {
  std::string text;
  for (const ColumnSchema& column : schema.columns) {
    text += text.empty() ? "" : " || E'\\t' || ";
    text += ColumnText(column);
  }
  return fmt::format(
      "SELECT count(*), mod(mod(coalesce(sum(('x' || left(md5({}), 16))::bit(64)::bigint), 0), "
      "{}) + {}, {})::text FROM {} WHERE {}",
      text, kTwoTo64, kTwoTo64, kTwoTo64, schema.name, condition);
}

std::string GeneratedIdCondition(const TableContents& contents, int64_t rows,
                                 std::string_view id_column) {
  if (!contents.history || contents.segments.empty()) {
    return fmt::format("{} BETWEEN 1 AND {}", id_column, rows);
  }
  std::string condition;
  for (size_t i = 0; i < contents.segments.size(); ++i) {
    const TableSegment& segment = contents.segments[i];
    const int64_t end =
        std::min(rows, i + 1 < contents.segments.size() ? contents.segments[i + 1].first_row
                                                        : contents.generated);
    if (end <= segment.first_row) continue;
    condition += condition.empty() ? "" : " OR ";
    condition += fmt::format("{} BETWEEN {} AND {}", id_column, segment.FirstId(),
                             segment.FirstId() + (end - segment.first_row) - 1);
  }
  return condition.empty() ? "false" : condition;
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        int64_t rows) {
  return ServerFingerprint(connection, schema, fmt::format("id BETWEEN 1 AND {}", rows));
}

StatusOr<Fingerprint> ServerFingerprint(PgConnection& connection, const TableSchema& schema,
                                        std::string_view condition) {
  SF_ASSIGN_OR_RETURN(QueryResult result, connection.Query(FingerprintSql(schema, condition)));
  if (result.rows.size() != 1 || result.rows[0].size() != 2) {
    return Internal("fingerprint query of " + schema.name + " returned no row");
  }
  Fingerprint fingerprint;
  SF_ASSIGN_OR_RETURN(fingerprint.rows, ParseInt(result.rows[0][0]));
  const std::string& hash = result.rows[0][1].value_or("");
  const auto parsed = std::from_chars(hash.data(), hash.data() + hash.size(), fingerprint.hash);
  if (parsed.ec != std::errc()) return Internal("unexpected fingerprint from the server: " + hash);
  return fingerprint;
}

Status PrepareInspectSession(PgConnection& connection) {
  return connection.Execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'");
}

// ---------------------------------------------------------------------------------------------
// Realism rules and keys.

std::span<const RealismRule> RealismRules() { return kRealismRules; }

std::string RealismRuleSql(const RealismRule& rule, const Profile& profile) {
  std::string sql(rule.sql);
  ReplaceAll(sql, "$WINDOW_START", TimestampLiteral(profile.window_start_micros));
  ReplaceAll(sql, "$WINDOW_END", TimestampLiteral(profile.window_end_micros));
  ReplaceAll(sql, "$EMAIL_DOMAIN", SqlLiteral(profile.parameters.users.email_domain));
  return sql;
}

const std::vector<ForeignKey>& ModelForeignKeys() {
  static const std::vector<ForeignKey> keys = [] {
    std::vector<ForeignKey> result;
    const std::regex pattern(R"(CONSTRAINT (\w+) FOREIGN KEY \((\w+)\)\s+REFERENCES (\w+) \(id\))");
    for (const TableSchema& schema : FleetSchemas()) {
      for (std::sregex_iterator it(schema.create_sql.begin(), schema.create_sql.end(), pattern),
           end;
           it != end; ++it) {
        result.push_back(ForeignKey{(*it)[1].str(), schema.name, (*it)[2].str(), (*it)[3].str()});
      }
    }
    return result;
  }();
  return keys;
}

const std::vector<UniqueKey>& ModelUniqueKeys() {
  static const std::vector<UniqueKey> keys = [] {
    std::vector<UniqueKey> result;
    const std::regex pattern(R"(CONSTRAINT (\w+) (?:UNIQUE|PRIMARY KEY) \(([^)]+)\))");
    for (const TableSchema& schema : FleetSchemas()) {
      for (std::sregex_iterator it(schema.create_sql.begin(), schema.create_sql.end(), pattern),
           end;
           it != end; ++it) {
        result.push_back(UniqueKey{(*it)[1].str(), schema.name, SplitColumns((*it)[2].str())});
      }
    }
    return result;
  }();
  return keys;
}

// ---------------------------------------------------------------------------------------------
// stats

StatusOr<DatabaseStats> CollectStats(PgConnection& connection, const Profile& profile) {
  DatabaseStats stats;
  stats.profile = profile.name;
  stats.seed = profile.seed;
  stats.server_version = connection.server_version_text();
  SF_ASSIGN_OR_RETURN(QueryResult database,
                      connection.Query("SELECT current_database(), "
                                       "pg_database_size(current_database()), "
                                       "pg_size_pretty(pg_database_size(current_database()))"));
  stats.database = database.rows.at(0).at(0).value_or("");
  SF_ASSIGN_OR_RETURN(stats.bytes, ParseInt(database.rows.at(0).at(1)));
  stats.size_pretty = database.rows.at(0).at(2).value_or("");
  for (const TableSchema& schema : FleetSchemas()) {
    TableStats& table = stats.tables.emplace_back();
    table.table = schema.name;
    TableId id{};
    if (LookupTable(schema.name, &id)) table.target = profile.Target(id);
    const std::string name = SqlLiteral(schema.name);
    SF_ASSIGN_OR_RETURN(
        const std::string exists,
        connection.QueryValue("SELECT (to_regclass(" + name + ") IS NOT NULL)::text"));
    table.exists = exists == "true";
    if (!table.exists) continue;
    auto counted = connection.Query("SELECT (SELECT count(*) FROM " + schema.name +
                                    "), pg_total_relation_size(" + name +
                                    "), pg_size_pretty(pg_total_relation_size(" + name + "))");
    if (!counted.ok()) {
      // Say which step needed what: a bare "permission denied for table users" does not.
      Status failed = counted.status().WithContext("counting rows of " + schema.name);
      if (failed.code() == StatusCode::kPermissionDenied) {
        failed = Status(failed.code(), failed.message() + " (the role needs SELECT on it)");
      }
      return failed;
    }
    const QueryResult& row = *counted;
    SF_ASSIGN_OR_RETURN(table.rows, ParseInt(row.rows.at(0).at(0)));
    SF_ASSIGN_OR_RETURN(table.bytes, ParseInt(row.rows.at(0).at(1)));
    table.size_pretty = row.rows.at(0).at(2).value_or("");
  }
  return stats;
}

std::string FormatStatsText(const DatabaseStats& stats) {
  std::string out = fmt::format("database {} (PostgreSQL {}), profile {} (seed {})\n",
                                stats.database, stats.server_version, stats.profile, stats.seed);
  out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", "table", "rows", "target", "of target",
                     "size");
  for (const TableStats& table : stats.tables) {
    if (!table.exists) {
      out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", table.table, "absent",
                         GroupDigits(table.target), "-", "-");
      continue;
    }
    const std::string share = table.target > 0
                                  ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(table.rows) /
                                                               static_cast<double>(table.target))
                                  : "-";
    out += fmt::format("{:<14}{:>14}{:>14}{:>10}{:>12}\n", table.table, GroupDigits(table.rows),
                       GroupDigits(table.target), share, table.size_pretty);
  }
  out += fmt::format("database size: {} ({} bytes)\n", stats.size_pretty, stats.bytes);
  return out;
}

std::string FormatStatsJson(const DatabaseStats& stats) {
  std::string out = "{\n";
  out += fmt::format("  \"database\": {},\n", JsonString(stats.database));
  out += fmt::format("  \"server_version\": {},\n", JsonString(stats.server_version));
  out += fmt::format("  \"profile\": {},\n", JsonString(stats.profile));
  out += fmt::format("  \"seed\": {},\n", stats.seed);
  out += fmt::format("  \"database_bytes\": {},\n", stats.bytes);
  out += fmt::format("  \"database_size\": {},\n", JsonString(stats.size_pretty));
  out += "  \"tables\": [";
  for (size_t i = 0; i < stats.tables.size(); ++i) {
    const TableStats& t = stats.tables[i];
    out += fmt::format(
        "{}\n    {{\"table\": {}, \"exists\": {}, \"rows\": {}, \"target\": {}, \"bytes\": {}, "
        "\"size\": {}}}",
        i == 0 ? "" : ",", JsonString(t.table), t.exists ? "true" : "false", t.rows, t.target,
        t.bytes, t.exists ? JsonString(t.size_pretty) : "null");
  }
  out += "\n  ]\n}\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// verify

bool VerifyReport::passed() const { return failed_count() == 0; }

int VerifyReport::failed_count() const {
  return static_cast<int>(std::count_if(checks.begin(), checks.end(),
                                        [](const CheckResult& check) { return !check.passed; }));
}

StatusOr<VerifyReport> Verify(PgConnection& connection, const Profile& profile,
                              const VerifyOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  SF_RETURN_IF_ERROR(PrepareInspectSession(connection));
  SF_ASSIGN_OR_RETURN(const DatabaseStats stats, CollectStats(connection, profile));
  VerifyReport report;
  report.database = stats.database;
  report.profile = profile.name;
  report.seed = profile.seed;

  // The plan `seed` would make. The generated rows are hashed up to the target: rows of a larger
  // earlier target, fixtures and rows an application inserted are outside the fingerprint.
  std::vector<TableState> tables;
  std::array<TableContents, kTableCount> contents;
  std::array<int64_t, kTableCount> final_counts{};
  std::array<int64_t, kTableCount> hashed{};
  bool all_exist = true;
  bool foreign_rows = false;
  for (size_t i = 0; i < stats.tables.size(); ++i) {
    const TableStats& table = stats.tables[i];
    tables.push_back(TableState{&FleetSchemas()[i], table.exists, table.rows, table.target});
    SF_ASSIGN_OR_RETURN(contents[i], ReadTableContents(connection, FleetSchemas()[i]));
    final_counts[i] = std::max(contents[i].generated, table.target);
    hashed[i] = std::min(contents[i].generated, table.target);
    foreign_rows = foreign_rows || contents[i].rows != contents[i].generated;
    all_exist = all_exist && table.exists;
    if (!table.exists) {
      AddCheck(&report, "table", table.table, false, "absent");
    } else if (table.rows < table.target) {
      AddCheck(&report, "table", table.table, false,
               fmt::format("{} rows, below the target {}", table.rows, table.target));
    } else {
      AddCheck(&report, "table", table.table, true,
               fmt::format("{} rows, target {}", table.rows, table.target));
    }
  }
  FleetConfig config = MakeFleetConfig(profile, final_counts);
  SF_RETURN_IF_ERROR(config.Validate().WithContext("profile " + profile.name));
  // Rows of a table topped up after its parents grew were made with the counts of their run.
  ApplyHistory(contents, /*planned=*/{}, &config);

  // The expected fingerprints, computed meanwhile on another thread.
  std::vector<Fingerprint> expected(kTableCount);
  std::thread generating;
  if (options.fingerprints) {
    generating = std::thread([&] {
      const auto generators = MakeFleetGenerators(config);
      for (size_t i = 0; i < tables.size(); ++i) {
        if (!tables[i].exists) continue;
        expected[i] = ExpectedFingerprint(*generators[i], hashed[i], options.threads);
      }
    });
  }
  struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_on_exit{generating};

  std::set<std::string> present;
  SF_RETURN_IF_ERROR(CheckConstraints(connection, tables, &present, &report));
  SF_RETURN_IF_ERROR(CheckOrphans(connection, tables, &report));
  SF_RETURN_IF_ERROR(CheckDuplicates(connection, tables, present, &report));
  if (options.realism) {
    if (all_exist) {
      SF_RETURN_IF_ERROR(CheckRealism(connection, profile, contents, foreign_rows, &report));
    } else {
      AddCheck(&report, "realism", "all rules", false, "not run: a table is absent");
    }
  }
  std::vector<Fingerprint> found(kTableCount);
  std::vector<bool> computed(kTableCount, false);
  if (options.fingerprints) {
    for (size_t i = 0; i < tables.size(); ++i) {
      if (!tables[i].exists) continue;
      auto fingerprint = ServerFingerprint(
          connection, *tables[i].schema,
          GeneratedIdCondition(contents[i], hashed[i], tables[i].schema->columns.front().name));
      if (QueryFailed(fingerprint.status(), &report, "fingerprint", tables[i].schema->name)) {
        continue;
      }
      found[i] = *fingerprint;
      computed[i] = true;
    }
    generating.join();
    for (size_t i = 0; i < tables.size(); ++i) {
      if (!computed[i]) continue;
      TableFingerprintResult& result = report.fingerprints.emplace_back();
      result.table = tables[i].schema->name;
      result.expected = expected[i];
      result.found = found[i];
      result.compared = true;
      const bool match = expected[i] == found[i];
      AddCheck(&report, "fingerprint", result.table, match,
               match ? fmt::format("{} over {} rows", expected[i].HashHex(), expected[i].rows)
                     : fmt::format("expected {} over {} rows, found {} over {} rows",
                                   expected[i].HashHex(), expected[i].rows, found[i].HashHex(),
                                   found[i].rows));
    }
  }
  report.seconds = SecondsSince(started);
  return report;
}

std::string FormatVerifyText(const VerifyReport& report) {
  std::string out = fmt::format("verify: database {}, profile {} (seed {})\n", report.database,
                                report.profile, report.seed);
  for (const TableFingerprintResult& result : report.fingerprints) {
    out += fmt::format("  {:<14}{:>14} rows  fingerprint {}  {}\n", result.table,
                       GroupDigits(result.found.rows), result.found.HashHex(),
                       result.expected == result.found ? "ok" : "DIFFERS");
  }
  for (const CheckResult& check : report.checks) {
    if (check.passed) continue;
    out += fmt::format("FAIL {} {}: {}\n", check.kind, check.subject, check.detail);
  }
  const int failed = report.failed_count();
  if (failed == 0) {
    out += fmt::format("verify: all {} checks passed ({:.2f} s)\n", report.checks.size(),
                       report.seconds);
  } else {
    out += fmt::format("verify: {} of {} checks failed ({:.2f} s)\n", failed, report.checks.size(),
                       report.seconds);
  }
  return out;
}

std::string FormatVerifyJson(const VerifyReport& report) {
  std::string out = "{\n";
  out += fmt::format("  \"database\": {},\n", JsonString(report.database));
  out += fmt::format("  \"profile\": {},\n", JsonString(report.profile));
  out += fmt::format("  \"seed\": {},\n", report.seed);
  out += fmt::format("  \"passed\": {},\n", report.passed() ? "true" : "false");
  out += fmt::format("  \"failed\": {},\n", report.failed_count());
  out += fmt::format("  \"seconds\": {:.3f},\n", report.seconds);
  out += "  \"fingerprints\": [";
  for (size_t i = 0; i < report.fingerprints.size(); ++i) {
    const TableFingerprintResult& f = report.fingerprints[i];
    out += fmt::format(
        "{}\n    {{\"table\": {}, \"rows\": {}, \"expected\": \"{}\", \"found\": \"{}\", "
        "\"found_rows\": {}, \"match\": {}}}",
        i == 0 ? "" : ",", JsonString(f.table), f.expected.rows, f.expected.HashHex(),
        f.found.HashHex(), f.found.rows, f.expected == f.found ? "true" : "false");
  }
  out += "\n  ],\n  \"checks\": [";
  for (size_t i = 0; i < report.checks.size(); ++i) {
    const CheckResult& c = report.checks[i];
    out += fmt::format("{}\n    {{\"kind\": {}, \"subject\": {}, \"passed\": {}, \"detail\": {}}}",
                       i == 0 ? "" : ",", JsonString(c.kind), JsonString(c.subject),
                       c.passed ? "true" : "false", JsonString(c.detail));
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace seedforge
