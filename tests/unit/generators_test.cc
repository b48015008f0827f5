// Unit tests of the fleet generators, without a database; also the fleet as a GenerationModel
// and the profile's "parameters" key that only the fleet reads.
//
// A recording RowWriter keeps every value as text (NULL as a separate flag), so tests compare
// whole rows and check each promise of generators/table_generator.h: rows are a pure function of
// (seed, table, index, parameters, parent counts), batch splits and a table's own row count do
// not matter, unique columns are unique, and the schema is the documented contract. Expected
// values are written out by hand (formats, OUI table, messages), never taken from the code
// under test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "core/row_writer.h"
#include "engine/profile.h"
#include "generators/fleet.h"
#include "generators/fleet_parameters.h"
#include "generators/generation_model.h"
#include "generators/table_generator.h"

namespace seedforge {
namespace {

struct Value {
  bool null = false;
  std::string text;
  bool operator==(const Value& other) const = default;
};
using Row = std::vector<Value>;

class RecordingWriter final : public RowWriter {
 public:
  // Records only the columns in `only` (others as empty values), or all if it is empty.
  explicit RecordingWriter(std::set<size_t> only = {}) : only_(std::move(only)) {}

  std::vector<Row> rows;
  int unbalanced = 0;  // BeginRow/EndRow misuse

  void BeginRow() override {
    if (in_row_) ++unbalanced;
    in_row_ = true;
    rows.emplace_back().reserve(16);
  }
  void EndRow() override {
    if (!in_row_) ++unbalanced;
    in_row_ = false;
  }
  void Int64(int64_t value) override { Add(std::to_string(value)); }
  void Int32(int32_t value) override { Add(std::to_string(value)); }
  void Bool(bool value) override { Add(value ? "t" : "f"); }
  void Text(std::string_view value) override { Add(std::string(value)); }
  void Timestamp(int64_t unix_micros) override { Add(std::to_string(unix_micros)); }
  void Numeric2(int64_t hundredths) override { Add(std::to_string(hundredths)); }
  void Inet4(uint32_t address) override {
    Add(std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
        std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff));
  }
  void MacAddr(const uint8_t (&bytes)[6]) override {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                  bytes[3], bytes[4], bytes[5]);
    Add(text);
  }
  void Json(std::string_view json_object) override { Add(std::string(json_object)); }
  void Null() override {
    if (!in_row_) ++unbalanced;
    rows.back().push_back(Value{true, ""});
  }

 private:
  void Add(std::string text) {
    if (!in_row_) ++unbalanced;
    if (!only_.empty() && only_.count(rows.back().size()) == 0) text.clear();
    rows.back().push_back(Value{false, std::move(text)});
  }
  std::set<size_t> only_;
  bool in_row_ = false;
};

int64_t Micros(const char* iso) {
  int64_t micros = 0;
  EXPECT_TRUE(ParseIso8601(iso, &micros)) << iso;
  return micros;
}

FleetConfig LargeConfig() {
  FleetConfig config;
  config.seed = 42;
  config.window_start_micros = Micros("2024-01-01T00:00:00Z");
  config.window_end_micros = Micros("2026-01-01T00:00:00Z");
  config.row_counts = {1000, 5000, 50000, 10000, 100000};
  return config;
}

constexpr int kUsers = 0, kApplications = 1, kAssets = 2, kDeployments = 3, kEvents = 4;

std::vector<Row> Generate(const FleetConfig& config, int table, int64_t begin, int64_t end,
                          std::set<size_t> only_columns = {}) {
  EXPECT_TRUE(config.Validate().ok()) << config.Validate().message();
  const auto generators = MakeFleetGenerators(config);
  RecordingWriter writer(std::move(only_columns));
  generators[table]->WriteRows(begin, end, writer);
  EXPECT_EQ(writer.unbalanced, 0);
  return writer.rows;
}

// Index of a column by name, so tests read like the SQL they mirror.
size_t Column(int table, std::string_view name) {
  const auto& columns = FleetSchemas()[table].columns;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == name) return c;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

TEST(FleetSchemaTest, TablesAndColumnsAreTheDocumentedContract) {
  const auto& schemas = FleetSchemas();
  ASSERT_EQ(schemas.size(), 5u);
  const std::vector<std::vector<std::string>> expected = {
      {"id", "username", "email", "full_name", "department", "role", "is_active", "created_by",
       "created_at"},
      {"id", "name", "publisher", "version", "platform", "category", "package_size_mb",
       "created_by", "created_at"},
      {"id", "asset_tag", "hostname", "serial_number", "asset_type", "manufacturer", "model",
       "os_name", "os_version", "ip_address", "mac_address", "location", "owner_id", "status",
       "last_seen_at", "created_at"},
      {"id", "application_id", "asset_id", "initiated_by", "ring", "status", "started_at",
       "finished_at", "error_code"},
      {"id", "asset_id", "user_id", "deployment_id", "event_type", "severity", "occurred_at",
       "payload"},
  };
  const std::vector<std::set<std::string>> nullable = {{"created_by"},
                                                       {},
                                                       {"owner_id"},
                                                       {"finished_at", "error_code"},
                                                       {"user_id", "deployment_id"}};
  const std::vector<std::string> names = {"users", "applications", "assets", "deployments",
                                          "events"};
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(schemas[t].name, names[t]);
    ASSERT_EQ(schemas[t].columns.size(), expected[t].size()) << names[t];
    for (size_t c = 0; c < expected[t].size(); ++c) {
      EXPECT_EQ(schemas[t].columns[c].name, expected[t][c]);
      EXPECT_EQ(schemas[t].columns[c].nullable, nullable[t].count(expected[t][c]) == 1)
          << names[t] << "." << expected[t][c];
    }
    ASSERT_FALSE(schemas[t].table.constraints.empty());
    EXPECT_EQ(schemas[t].table.constraints[0].name, names[t] + "_pkey");
  }
  EXPECT_EQ(schemas[kAssets].columns[9].type, ColumnType::kInet);
  EXPECT_EQ(schemas[kAssets].columns[10].type, ColumnType::kMacAddr);
  EXPECT_EQ(schemas[kApplications].columns[6].type, ColumnType::kNumeric2);
  EXPECT_EQ(schemas[kEvents].columns[7].type, ColumnType::kJson);
  EXPECT_EQ(schemas[kUsers].columns[6].type, ColumnType::kBool);
  EXPECT_EQ(schemas[kUsers].columns[8].type, ColumnType::kTimestamp);
  EXPECT_EQ(schemas[kUsers].parents, std::vector<std::string>{});
  EXPECT_EQ(schemas[kDeployments].parents,
            (std::vector<std::string>{"applications", "assets", "users"}));
  EXPECT_EQ(schemas[kUsers].table.constraints[3].definition,
            "FOREIGN KEY (created_by) REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED");
  ASSERT_EQ(schemas[kEvents].table.indexes.size(), 2u);
  EXPECT_EQ(schemas[kEvents].table.indexes[1].definition,
            "CREATE INDEX events_occurred_at_idx ON events USING btree (occurred_at)");

  TableId id = TableId::kUsers;
  EXPECT_TRUE(LookupTable("deployments", &id));
  EXPECT_EQ(id, TableId::kDeployments);
  EXPECT_FALSE(LookupTable("Deployments", &id));
}

TEST(FleetGeneratorsTest, GeneratorsComeInLoadOrderWithTheirSchemas) {
  const auto generators = MakeFleetGenerators(LargeConfig());
  ASSERT_EQ(generators.size(), 5u);
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(generators[t]->schema().name, FleetSchemas()[t].name);
  }
}

TEST(FleetGeneratorsTest, BatchSplitDoesNotChangeRows) {
  const FleetConfig config = LargeConfig();
  for (int t = 0; t < 5; ++t) {
    std::vector<Row> split = Generate(config, t, 0, 400);
    const std::vector<Row> rest = Generate(config, t, 400, 1000);
    split.insert(split.end(), rest.begin(), rest.end());
    EXPECT_EQ(Generate(config, t, 0, 1000), split) << kTableNames[t];
  }
}

TEST(FleetGeneratorsTest, SameConfigGivesIdenticalRows) {
  const FleetConfig config = LargeConfig();
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(Generate(config, t, 0, 500), Generate(config, t, 0, 500)) << kTableNames[t];
  }
}

TEST(FleetGeneratorsTest, DifferentSeedChangesRows) {
  FleetConfig other = LargeConfig();
  other.seed = 43;
  for (int t = 0; t < 5; ++t) {
    EXPECT_NE(Generate(LargeConfig(), t, 0, 100), Generate(other, t, 0, 100)) << kTableNames[t];
  }
}

TEST(FleetGeneratorsTest, OwnRowCountDoesNotChangeExistingRows) {
  for (int t = 0; t < 5; ++t) {
    FleetConfig bigger = LargeConfig();
    bigger.row_counts[t] *= 2;
    EXPECT_EQ(Generate(LargeConfig(), t, 0, 300), Generate(bigger, t, 0, 300)) << kTableNames[t];
  }
  // Top-up: rows 100..200 of a 200-row run are what a 100-row run would have added next.
  FleetConfig small = LargeConfig();
  small.row_counts[kEvents] = 100;
  EXPECT_EQ(Generate(small, kEvents, 100, 200), Generate(LargeConfig(), kEvents, 100, 200));
}

TEST(FleetGeneratorsTest, ParentRowCountsMayChangeChildRows) {
  FleetConfig more_users = LargeConfig();
  more_users.row_counts[kUsers] = 2000;
  EXPECT_NE(Generate(LargeConfig(), kAssets, 0, 300), Generate(more_users, kAssets, 0, 300));
  FleetConfig more_assets = LargeConfig();
  more_assets.row_counts[kAssets] = 60000;
  EXPECT_NE(Generate(LargeConfig(), kEvents, 0, 300), Generate(more_assets, kEvents, 0, 300));
}

TEST(FleetGeneratorsTest, EveryRowHasOneValuePerColumnAndNullsOnlyWhereAllowed) {
  const FleetConfig config = LargeConfig();
  for (int t = 0; t < 5; ++t) {
    const auto& columns = FleetSchemas()[t].columns;
    const std::vector<Row> rows = Generate(config, t, 0, 3000);
    ASSERT_EQ(rows.size(), 3000u);
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), columns.size()) << kTableNames[t] << " row " << r;
      EXPECT_EQ(rows[r][0].text, std::to_string(r + 1)) << "id is index + 1";
      for (size_t c = 0; c < columns.size(); ++c) {
        if (rows[r][c].null) {
          EXPECT_TRUE(columns[c].nullable) << kTableNames[t] << "." << columns[c].name;
        }
      }
    }
  }
}

// Number of different values of column `column` in `rows`.
size_t DistinctValues(const std::vector<Row>& rows, size_t column) {
  std::vector<std::string> values;
  values.reserve(rows.size());
  for (const Row& row : rows) values.push_back(row[column].text);
  std::sort(values.begin(), values.end());
  return static_cast<size_t>(std::unique(values.begin(), values.end()) - values.begin());
}

TEST(FleetGeneratorsTest, UniqueColumnsAreUniqueOver50000Rows) {
  FleetConfig config = LargeConfig();
  config.row_counts[kUsers] = 50000;
  const size_t username = Column(kUsers, "username");
  const size_t email = Column(kUsers, "email");
  const std::vector<Row> users = Generate(config, kUsers, 0, 50000, {username, email});
  EXPECT_EQ(DistinctValues(users, username), 50000u);
  EXPECT_EQ(DistinctValues(users, email), 50000u);

  const size_t tag = Column(kAssets, "asset_tag");
  const size_t serial = Column(kAssets, "serial_number");
  const size_t mac = Column(kAssets, "mac_address");
  const std::vector<Row> assets = Generate(config, kAssets, 0, 50000, {tag, serial, mac});
  EXPECT_EQ(DistinctValues(assets, tag), 50000u);
  EXPECT_EQ(DistinctValues(assets, serial), 50000u);
  EXPECT_EQ(DistinctValues(assets, mac), 50000u);
}

TEST(FleetGeneratorsTest, UsernamesAndEmailsDeriveFromTheNameAndId) {
  const std::vector<Row> users = Generate(LargeConfig(), kUsers, 0, 1000);
  for (size_t r = 0; r < users.size(); ++r) {
    const std::string& full_name = users[r][Column(kUsers, "full_name")].text;
    const size_t space = full_name.find(' ');
    ASSERT_NE(space, std::string::npos);
    const std::string first = Lower(full_name.substr(0, space));
    const std::string last = Lower(full_name.substr(space + 1));
    const std::string id = std::to_string(r + 1);
    EXPECT_EQ(users[r][Column(kUsers, "username")].text, first.substr(0, 1) + last + id);
    EXPECT_EQ(users[r][Column(kUsers, "email")].text, first + "." + last + id + "@example.com");
  }
}

TEST(FleetGeneratorsTest, UsersAreCreatedInIdOrderByEarlierUsers) {
  FleetConfig config = LargeConfig();
  config.row_counts[kUsers] = 20000;
  const std::vector<Row> users = Generate(config, kUsers, 0, 20000);
  int64_t previous = config.window_start_micros - 1;
  for (size_t r = 0; r < users.size(); ++r) {
    const int64_t created_at = std::stoll(users[r][Column(kUsers, "created_at")].text);
    EXPECT_GT(created_at, previous) << "row " << r;
    EXPECT_LT(created_at, config.window_end_micros);
    previous = created_at;
    const Value& created_by = users[r][Column(kUsers, "created_by")];
    if (r == 0) {
      EXPECT_TRUE(created_by.null);
    }
    if (!created_by.null) {
      EXPECT_GE(std::stoll(created_by.text), 1);
      EXPECT_LE(std::stoll(created_by.text), static_cast<int64_t>(r));
    }
  }
}

TEST(FleetGeneratorsTest, AssetTagsSerialsAndMacsHaveTheirFormats) {
  const std::vector<Row> assets = Generate(LargeConfig(), kAssets, 0, 5000);
  // Written out from vendor OUI registrations, not from the catalog.
  const std::map<std::string, std::set<std::string>> ouis = {
      {"Apple", {"3c:22:fb", "a4:83:e7", "f0:18:98", "ac:bc:32"}},
      {"Dell", {"18:66:da", "b8:ca:3a", "f8:bc:12", "d4:81:d7"}},
      {"HP", {"3c:d9:2b", "9c:8e:99", "10:60:4b"}},
      {"HPE", {"94:18:82", "1c:98:ec", "48:df:37"}},
      {"Lenovo", {"54:ee:75", "8c:16:45", "e8:6a:64"}},
      {"Microsoft", {"28:18:78", "c0:33:5e"}},
      {"Samsung", {"5c:0a:5b", "8c:77:12", "f4:7b:09"}},
      {"Google", {"3c:28:6d", "f8:0f:f9"}},
      {"Supermicro", {"00:25:90", "ac:1f:6b", "0c:c4:7a"}},
      {"VMware", {"00:50:56", "00:0c:29"}},
      {"Microsoft Hyper-V", {"00:15:5d"}},
      {"QEMU", {"52:54:00"}},
      {"Amazon EC2", {"02:4a:7e", "0a:3b:91", "12:6f:c4"}},
  };
  const std::set<std::string> apple_systems = {"macOS", "iOS", "iPadOS"};
  const std::set<std::string> server_systems = {"Windows Server 2019", "Windows Server 2022",
                                                "Ubuntu Server", "Red Hat Enterprise Linux",
                                                "Debian"};
  for (size_t r = 0; r < assets.size(); ++r) {
    const Row& row = assets[r];
    char tag[32];
    std::snprintf(tag, sizeof tag, "AST-%07zu", r + 1);
    EXPECT_EQ(row[Column(kAssets, "asset_tag")].text, tag);
    const std::string& manufacturer = row[Column(kAssets, "manufacturer")].text;
    ASSERT_EQ(ouis.count(manufacturer), 1u) << manufacturer;
    EXPECT_EQ(ouis.at(manufacturer).count(row[Column(kAssets, "mac_address")].text.substr(0, 8)),
              1u)
        << manufacturer << " " << row[Column(kAssets, "mac_address")].text;
    const std::string& serial = row[Column(kAssets, "serial_number")].text;
    ASSERT_GE(serial.size(), 9u);
    for (char c : serial.substr(serial.size() - 7)) {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << serial;
    }
    const std::string& type = row[Column(kAssets, "asset_type")].text;
    const std::string& os = row[Column(kAssets, "os_name")].text;
    EXPECT_EQ(manufacturer == "Apple", apple_systems.count(os) == 1) << manufacturer << " " << os;
    EXPECT_EQ(type == "server" || type == "vm", server_systems.count(os) == 1) << type << " " << os;
    if (type == "server" || type == "vm") {
      EXPECT_TRUE(row[Column(kAssets, "owner_id")].null);
    }
  }
}

TEST(FleetGeneratorsTest, DeploymentStatusDecidesFinishedAtAndErrorCode) {
  const std::vector<Row> deployments = Generate(LargeConfig(), kDeployments, 0, 10000);
  std::map<std::string, int> statuses;
  for (const Row& row : deployments) {
    const std::string& status = row[Column(kDeployments, "status")].text;
    ++statuses[status];
    const bool open = status == "pending" || status == "running";
    EXPECT_EQ(row[Column(kDeployments, "finished_at")].null, open) << status;
    EXPECT_EQ(row[Column(kDeployments, "error_code")].null, status != "failed") << status;
    if (!open) {
      EXPECT_GE(std::stoll(row[Column(kDeployments, "finished_at")].text),
                std::stoll(row[Column(kDeployments, "started_at")].text));
    }
  }
  EXPECT_EQ(statuses.size(), 5u);  // succeeded, failed, rolled_back, pending, running
  EXPECT_GT(statuses["succeeded"], 8000);
}

TEST(FleetGeneratorsTest, EventsNameOnlyTheAssetOwner) {
  FleetConfig config = LargeConfig();
  config.row_counts[kAssets] = 5000;
  const std::vector<Row> assets =
      Generate(config, kAssets, 0, config.row_counts[kAssets], {Column(kAssets, "owner_id")});
  const std::vector<Row> events = Generate(config, kEvents, 0, 20000);
  int with_user = 0;
  for (const Row& row : events) {
    const int64_t asset_id = std::stoll(row[Column(kEvents, "asset_id")].text);
    ASSERT_GE(asset_id, 1);
    ASSERT_LE(asset_id, config.row_counts[kAssets]);
    const Value& user = row[Column(kEvents, "user_id")];
    if (user.null) continue;
    ++with_user;
    EXPECT_EQ(user, assets[asset_id - 1][Column(kAssets, "owner_id")]);
    const std::string& payload = row[Column(kEvents, "payload")].text;
    EXPECT_EQ(payload.front(), '{');
    EXPECT_EQ(payload.back(), '}');
  }
  EXPECT_GT(with_user, 5000);
}

// True if `text` is one flat JSON object whose values are strings, numbers or booleans: the
// shape every payload promises, in jsonb's canonical spacing. Strings may contain only JSON
// escapes.
bool IsFlatJsonObject(std::string_view text) {
  size_t i = 0;
  auto string = [&]() {
    if (i >= text.size() || text[i] != '"') return false;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (static_cast<unsigned char>(text[i]) < 0x20) return false;
      if (text[i] == '\\') {
        ++i;
        if (i >= text.size() ||
            std::string_view("\"\\/bfnrtu").find(text[i]) == std::string_view::npos) {
          return false;
        }
      }
    }
    return i++ < text.size();
  };
  auto value = [&]() {
    if (i < text.size() && text[i] == '"') return string();
    for (std::string_view literal : {"true", "false"}) {
      if (text.substr(i, literal.size()) == literal) {
        i += literal.size();
        return true;
      }
    }
    const size_t start = i;
    if (i < text.size() && text[i] == '-') ++i;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
      ++i;
    }
    return i > start && text[i - 1] != '.';
  };
  if (text.empty() || text[i++] != '{') return false;
  if (i < text.size() && text[i] == '}') return i + 1 == text.size();
  while (true) {
    if (!string() || text.substr(i, 2) != ": ") return false;
    i += 2;
    if (!value() || i >= text.size()) return false;
    if (text[i] == '}') return i + 1 == text.size();
    if (text.substr(i, 2) != ", ") return false;
    i += 2;
  }
}

TEST(FleetGeneratorsTest, PayloadsAreFlatJsonObjectsWithEscapedStrings) {
  EXPECT_TRUE(IsFlatJsonObject(R"({"a": "C:\\x", "b": -93.5, "c": true})"));
  EXPECT_FALSE(IsFlatJsonObject(R"({"a": "C:\x"})"));
  EXPECT_FALSE(IsFlatJsonObject(R"({"a": 1, })"));
  EXPECT_FALSE(IsFlatJsonObject(R"({"a":1})"));  // jsonb's canonical text has ": " and ", "
  const size_t payload = Column(kEvents, "payload");
  const std::vector<Row> events = Generate(LargeConfig(), kEvents, 0, 15000, {payload});
  int windows_paths = 0;
  for (const Row& row : events) {
    EXPECT_TRUE(IsFlatJsonObject(row[payload].text)) << row[payload].text;
    windows_paths += row[payload].text.find(R"("C:\\)") != std::string::npos;
  }
  EXPECT_GT(windows_paths, 0) << "Windows malware paths need their backslashes escaped";
}

TEST(FleetParametersTest, DefaultsAreValid) {
  EXPECT_TRUE(FleetParameters().Validate().ok());
  EXPECT_TRUE(LargeConfig().Validate().ok());
}

std::string ParameterMessage(void (*change)(FleetParameters&)) {
  FleetParameters parameters;
  change(parameters);
  const Status status = parameters.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  return status.message();
}

TEST(FleetParametersTest, MessagesNameTheJsonPathAndTheValue) {
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) { p.events.asset_skew = 0; }),
            "parameters.events.asset_skew must be between 1 and 8 (got 0)");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) { p.users.inactive_rate = 1.5; }),
            "parameters.users.inactive_rate must be between 0 and 1 (got 1.5)");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) { p.assets.vm_weight = -2; }),
            "parameters.assets.vm_weight must be >= 0 (got -2)");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) {
              p.assets.laptop_weight = p.assets.desktop_weight = p.assets.server_weight =
                  p.assets.vm_weight = p.assets.mobile_weight = 0;
            }),
            "parameters.assets: at least one of laptop_weight, desktop_weight, server_weight, "
            "vm_weight, mobile_weight must be positive");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) {
              p.deployments.failed_rate = 0.5;
              p.deployments.rolled_back_rate = p.deployments.pending_rate =
                  p.deployments.running_rate = 0.25;
            }),
            "parameters.deployments: failed_rate + rolled_back_rate + pending_rate + "
            "running_rate must be at most 1 (got 1.25)");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) { p.users.email_domain = "Corp.example"; }),
            "parameters.users.email_domain may contain only a-z, 0-9, '.' and '-' (got "
            "\"Corp.example\")");
  EXPECT_EQ(ParameterMessage([](FleetParameters& p) { p.users.email_domain = ""; }),
            "parameters.users.email_domain must not be empty");
}

TEST(FleetConfigTest, RejectsShortWindowsNegativeCountsAndMissingParents) {
  FleetConfig config = LargeConfig();
  config.window_end_micros = config.window_start_micros + 7 * kMicrosPerDay;
  EXPECT_EQ(config.Validate().message(),
            "time_window must span more than 7 days (end must be later than start + 7 days)");

  config = LargeConfig();
  config.row_counts[kEvents] = -1;
  EXPECT_EQ(config.Validate().message(), "rows.events must be >= 0 (got -1)");

  config = LargeConfig();
  config.row_counts[kAssets] = 0;
  EXPECT_EQ(config.Validate().message(), "rows.deployments needs rows.assets > 0");
  config.row_counts[kDeployments] = 0;
  EXPECT_EQ(config.Validate().message(), "rows.events needs rows.assets > 0");
  config.row_counts[kEvents] = 0;
  EXPECT_TRUE(config.Validate().ok());

  config = LargeConfig();
  config.row_counts[kUsers] = 0;
  EXPECT_EQ(config.Validate().message(), "rows.applications needs rows.users > 0");

  config = LargeConfig();
  config.parameters.events.asset_skew = 9;
  EXPECT_EQ(config.Validate().message(),
            "parameters.events.asset_skew must be between 1 and 8 (got 9)");
}

TEST(FleetConfigTest, EmptyParentsGiveNullOptionalForeignKeys) {
  FleetConfig config = LargeConfig();
  config.row_counts = {0, 0, 100, 0, 100};
  for (const Row& row : Generate(config, kAssets, 0, 100)) {
    EXPECT_TRUE(row[Column(kAssets, "owner_id")].null);
  }
  for (const Row& row : Generate(config, kEvents, 0, 100)) {
    EXPECT_TRUE(row[Column(kEvents, "user_id")].null);
    EXPECT_TRUE(row[Column(kEvents, "deployment_id")].null);
  }
}

// --- The fleet as a GenerationModel (moved here from generation_model_test.cc) ---

TEST(FleetGenerationModelTest, ChecksCountsWithTheMessagesOfFleetConfig) {
  int64_t start = 0;
  int64_t end = 0;
  ASSERT_TRUE(ParseIso8601("2024-01-01T00:00:00Z", &start));
  ASSERT_TRUE(ParseIso8601("2024-01-09T00:00:00Z", &end));  // 8 days: 86400000000 users at most
  const auto model = MakeFleetGenerationModel(FleetParameters{}, start, end);
  EXPECT_EQ(model->schemas().size(), 5u);
  EXPECT_EQ(model->schemas()[4].name, "events");
  EXPECT_TRUE(model->CheckCounts(std::vector<int64_t>{1, 1, 1, 1, 1}).ok());
  EXPECT_EQ(model->CheckCounts(std::vector<int64_t>{0, 1, 0, 0, 0}).message(),
            "rows.applications needs rows.users > 0");
  EXPECT_EQ(model->CheckCounts(std::vector<int64_t>{1, 0, 0, 0, 1}).message(),
            "rows.events needs rows.assets > 0");
  EXPECT_EQ(model->CheckCounts(std::vector<int64_t>{86400000001, 0, 0, 0, 0}).message(),
            "rows.users must be at most 86400000000 for this time_window (got 86400000001)");
  EXPECT_EQ(model->CheckCounts(std::vector<int64_t>{0, 0, 4294967296, 0, 0}).message(),
            "rows.assets must be at most 4294967295 (got 4294967296)");
  EXPECT_EQ(model->CheckCounts(std::vector<int64_t>{0, 0, -1, 0, 0}).message(),
            "rows.assets must be >= 0 (got -1)");
  EXPECT_FALSE(model->DerivedCount(4, 42, std::vector<int64_t>{1, 1, 1, 1, 1}).has_value());
}

TEST(FleetGenerationModelTest, CanonicalTextIsTheParametersAsTheFingerprintHashesThem) {
  FleetParameters parameters;
  parameters.users.email_domain = "corp.test";
  parameters.events.asset_skew = 2;
  EXPECT_EQ(MakeFleetGenerationModel(parameters, 0, 0)->CanonicalText(),
            "users 0.08 0.85 9:corp.test\n"
            "assets 45 20 8 15 12 0.05 0.04 0.02\n"
            "deployments 0.06 0.02 0.02 0.02\n"
            "events 2 0.15 0.6 8 2.5\n");
}

// --- The profile's "parameters" key, which only the fleet reads (moved here from
// profile_test.cc and generation_model_test.cc) ---

TEST(FleetProfileParametersTest, ExtendsOverridesOnlyTheParametersItNames) {
  auto profile =
      ParseProfile(R"({"extends": "default", "parameters": {"deployments": {"failed_rate": 0.5}}})",
                   "mine.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_DOUBLE_EQ(profile->parameters.deployments.failed_rate, 0.5);
  EXPECT_DOUBLE_EQ(profile->parameters.deployments.rolled_back_rate, 0.02);  // from default
}

TEST(FleetProfileParametersTest, BadParametersNameTheFileAndJsonPath) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"parameters": {"events": {"skew": 2}}})",
       "p.json: $.parameters.events.skew: unknown key (expected one of: asset_skew, "
       "deployment_event_rate, user_event_rate, working_hours_weight, evening_weight)"},
      {R"({"parameters": {"deployments": {"failed_rate": "high"}}})",
       "p.json: $.parameters.deployments.failed_rate: expected a number"},
      {"{\"parameters\": {\"users\": {\"inactive_rate\": 0.1, \"inactive_rate\": 0.2}}}",
       "p.json: $.parameters.users.inactive_rate: duplicate key (given twice in the same object)"},
      {"{\"parameters\": {\"users\": {}, \"users\": {}}}",
       "p.json: $.parameters.users: duplicate key (given twice in the same object)"},
      // A profile that declares its tables has no fleet to take them.
      {R"({"tables": {"t": {"rows": 1, "columns": {"id": {"type": "bigint", "gen": "id"}}}},
          "parameters": {"users": {"inactive_rate": 0.1}}})",
       "p.json: $.parameters: parameters are the fleet model's; this profile declares its "
       "tables"},
  };
  for (const auto& [json, message] : cases) {
    auto profile = ParseProfile(json, "p.json", "");
    ASSERT_FALSE(profile.ok()) << json;
    EXPECT_EQ(profile.status().code(), StatusCode::kInvalidArgument) << json;
    EXPECT_EQ(profile.status().message(), message) << json;
  }
}

TEST(FleetProfileParametersTest, TheFingerprintOfADeclaredProfileIgnoresTheFleetsParameters) {
  // The fingerprint hashes the model's canonical text, not the fleet's parameters.
  auto profile = ParseProfile(
      R"({"tables": {"t": {"rows": 2, "columns": {"id": {"type": "bigint", "gen": "id"}}}}})",
      "p.json", "");
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  Profile other = *profile;
  other.parameters.users.inactive_rate = 0.5;
  EXPECT_EQ(ProfileFingerprint(*profile), ProfileFingerprint(other));
}

}  // namespace
}  // namespace seedforge
