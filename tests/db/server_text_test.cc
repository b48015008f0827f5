// core/server_text.h against the server it mirrors: each value is computed by the server from
// the same number (days, microseconds, unscaled digits) or from input in another spelling, and
// printed by the type's output function in a session as seedforge opens it (TimeZone UTC,
// DateStyle ISO), the way other rows' unique values are read. The text must be the same.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "core/server_text.h"
#include "sinks/postgres/connection.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::TestCluster;

class ServerText : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = PgConnection::Connect(TestCluster::Get().CreateDatabase("server_text"));
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    connection_ = std::move(connection).value();
  }
  std::string Server(const std::string& expression) {
    auto value = connection_->QueryValue("SELECT " + expression);
    EXPECT_TRUE(value.ok()) << value.status().message();
    return value.ok() ? *value : "";
  }
  std::unique_ptr<PgConnection> connection_;
};

TEST_F(ServerText, NumbersAndBooleansPrintAsTheirOutputFunctions) {
  for (const int64_t value : {int64_t{0}, int64_t{-42}, int64_t{9223372036854775807}}) {
    std::string text;
    AppendIntegerServerText(value, &text);
    EXPECT_EQ(text, Server(std::to_string(value) + "::bigint"));
  }
  const struct {
    int64_t unscaled;
    int scale;
  } numerics[] = {{-5, 3}, {1250, 2}, {0, 2}, {123456789, 0}, {-100, 1}};
  for (const auto& numeric : numerics) {
    std::string text;
    AppendNumericServerText(numeric.unscaled, numeric.scale, &text);
    const std::string scale = std::to_string(numeric.scale);
    std::string expression = std::to_string(numeric.unscaled);
    expression.append("::numeric / 10 ^ ").append(scale);
    EXPECT_EQ(text, Server("(" + expression + ")::numeric(30, " + scale + ")"));
  }
  std::string yes;
  std::string no;
  AppendBoolServerText(true, &yes);
  AppendBoolServerText(false, &no);
  EXPECT_EQ(yes, Server("true"));
  EXPECT_EQ(no, Server("1 = 2"));
}

TEST_F(ServerText, DatesTimesAndTimestampsPrintInIsoAndUtc) {
  // 1970-01-01, 2024-01-02, 0001-01-01, year 999, 9999-12-31, before the epoch.
  for (const int32_t days : {0, 19724, -719162, -354285, 2932896, -1}) {
    std::string text;
    ASSERT_TRUE(AppendDateServerText(days, &text));
    EXPECT_EQ(text, Server("date '1970-01-01' + " + std::to_string(days)));
  }
  std::string bc;
  EXPECT_FALSE(AppendDateServerText(-719163, &bc));  // 0001-12-31 BC
  for (const int64_t micros :
       {int64_t{0}, int64_t{3723500000}, int64_t{86399999999}, int64_t{45296000001}}) {
    std::string text;
    AppendTimeServerText(micros, &text);
    EXPECT_EQ(text,
              Server("time '00:00' + " + std::to_string(micros) + " * interval '1 microsecond'"))
        << micros;
  }
  std::string midnight;
  AppendTimeServerText(86400000000, &midnight);
  EXPECT_EQ(midnight, Server("'24:00'::time"));
  for (const int64_t micros : {int64_t{0}, int64_t{1704164645250000}, int64_t{-1000001},
                               int64_t{1704164645000001}, int64_t{-30610224000000000}}) {
    std::string with_zone;
    std::string local;
    ASSERT_TRUE(AppendTimestampServerText(micros, true, &with_zone));
    ASSERT_TRUE(AppendTimestampServerText(micros, false, &local));
    const std::string offset = std::to_string(micros) + " * interval '1 microsecond'";
    EXPECT_EQ(with_zone, Server("timestamptz '1970-01-01 00:00:00+00' + " + offset)) << micros;
    EXPECT_EQ(local, Server("timestamp '1970-01-01 00:00:00' + " + offset)) << micros;
  }
}

TEST_F(ServerText, UuidsMacsAndAddressesPrintAsTheServerNormalizesThem) {
  const uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xff};
  std::string text;
  AppendUuidServerText(uuid, &text);
  EXPECT_EQ(text, Server("'123456789ABCDEF001020304050607FF'::uuid"));
  const uint8_t mac[6] = {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
  text.clear();
  AppendMacServerText(mac, &text);
  EXPECT_EQ(text, Server("'0A-1B-2C-3D-4E-5F'::macaddr"));
  text.clear();
  AppendInet4ServerText(0x0A000001u, &text);
  EXPECT_EQ(text, Server("'10.0.0.1/32'::inet"));
  IpAddress network;
  network.bytes[0] = 192;
  network.bytes[1] = 168;
  network.bytes[3] = 7;
  network.prefix = 16;
  text.clear();
  ASSERT_TRUE(AppendInetServerText(network, &text));
  EXPECT_EQ(text, Server("'192.168.0.7/16'::inet"));
  IpAddress v6;
  v6.v6 = true;
  text.clear();
  EXPECT_FALSE(AppendInetServerText(v6, &text));
}

}  // namespace
}  // namespace seedforge
