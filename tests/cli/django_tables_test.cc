// Built-in profiles seeded into the tables a Django project's own migrations created
// (tests/schemas/django_fleet.sql, Django 4.0 with bigserial ids; django_storefront.sql, Django 5
// with integer and smallint identities): varchar(n) for text, a varchar(17) MAC address, foreign
// keys last with hashed names, DEFERRABLE, and indexes of the application's own. The seed
// succeeds, verify passes, a top-up continues the rows, the values are those of a seed into
// tables seedforge creates, the application's constraints and indexes stay exactly as they were,
// and what cannot fit is one line naming table, column, type and what the generator needs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::DatabaseWithSchema;
using testing::Execute;
using testing::ProcessResult;
using testing::QueryInt;
using testing::QueryValue;
using testing::TestCluster;

ProcessResult Sf(const std::vector<std::string>& args) { return testing::RunSeedforgeClean(args); }

// The columns the profiles write, per table, in the profiles' order (the Django tables have them
// in another).
const std::vector<std::pair<std::string, std::string>> kFleetColumns = {
    {"users",
     "id, username, email, full_name, department, role, is_active, created_by, created_at"},
    {"applications",
     "id, name, publisher, version, platform, category, package_size_mb, created_by, created_at"},
    {"assets",
     "id, asset_tag, hostname, serial_number, asset_type, manufacturer, model, os_name, "
     "os_version, ip_address, mac_address, location, owner_id, status, created_at, last_seen_at"},
    {"deployments",
     "id, application_id, asset_id, initiated_by, ring, status, started_at, finished_at, "
     "error_code"},
    {"events", "id, asset_id, user_id, deployment_id, event_type, severity, occurred_at, payload"},
};
const std::vector<std::pair<std::string, std::string>> kStorefrontColumns = {
    {"tenants", "id, name, subdomain, plan, created_at"},
    {"units", "id, code, name"},
    {"users", "id, tenant_id, first_name, last_name, email, role, password, is_active"},
    {"categories", "id, tenant_id, position, name"},
    {"products", "id, tenant_id, category_id, unit_id, sku, name, price, stock, is_active"},
    {"sales", "id, tenant_id, user_id, payment_method, status, sold_at"},
    {"sale_lines", "id, sale_id, line_number, product_id, quantity, unit_price"},
};

// Per table, the md5 of its rows' values as text in the profile's column order (ordered by id):
// equal for two databases exactly when they hold the same values, whatever the column types
// (varchar or text, integer or bigint, a MAC address as macaddr or varchar print alike).
std::string Values(const std::string& url,
                   const std::vector<std::pair<std::string, std::string>>& tables) {
  std::string all;
  for (const auto& [table, columns] : tables) {
    all += table + " " +
           QueryValue(url, "SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', " + columns +
                               "), E'\\n' ORDER BY id)) FROM " + table) +
           "\n";
  }
  return all;
}

// Every constraint and index of schema public, with its definition, one per line.
std::string Definitions(const std::string& url) {
  return QueryValue(
      url,
      "SELECT string_agg(line, E'\\n' ORDER BY line) FROM (SELECT conrelid::regclass || ' ' || "
      "conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE "
      "connamespace = 'public'::regnamespace UNION ALL SELECT indexrelid::regclass || ' ' || "
      "pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class "
      "WHERE relnamespace = 'public'::regnamespace)) d");
}

std::string DjangoFleet(const std::string& prefix) {
  return DatabaseWithSchema(prefix, "django_fleet.sql");
}

TEST(DjangoTables, LargeSeedsIntoTheMigratedFleetKeepingItsConstraintsAndVerifies) {
  const std::string url = DjangoFleet("django_large");
  const std::string definitions = Definitions(url);
  const ProcessResult seeded = Sf({"seed", "--db", url, "--profile", "large", "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(QueryValue(url,
                       "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM "
                       "applications) || ' ' || (SELECT count(*) FROM assets) || ' ' || (SELECT "
                       "count(*) FROM deployments) || ' ' || (SELECT count(*) FROM events)"),
            "1000 5000 50000 10000 100000");
  // The bulk load dropped and rebuilt the keys and indexes: the application's, by name and
  // definition (DEFERRABLE, varchar_pattern_ops), and none of seedforge's besides.
  EXPECT_EQ(Definitions(url), definitions);
  // MAC addresses as text in the varchar(17), as macaddr would print them.
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM assets WHERE mac_address IS NOT NULL AND mac_address "
                     "!~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'"),
            0);
  // The bigserial sequences are past the generated ids: the application's own inserts go on.
  EXPECT_EQ(QueryValue(url,
                       "INSERT INTO users (username, email, full_name, department, role, "
                       "is_active, created_at) VALUES ('app', 'app@example.com', 'App', 'IT', "
                       "'Admin', true, now()) RETURNING id"),
            "1001");
  EXPECT_EQ(QueryInt(url, "SELECT nextval('events_id_seq')"), 100001);
  Execute(url, "DELETE FROM users WHERE username = 'app'");
  const ProcessResult verified = Sf({"verify", "--db", url, "--profile", "large"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verify: all 87 checks passed"), std::string::npos) << verified.out;
}

TEST(DjangoTables, VerifyFindsTheApplicationsKeysAndIndexesByTheirColumns) {
  const std::string url = DjangoFleet("django_verify");
  ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
  const ProcessResult verified = Sf({"verify", "--db", url});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const ProcessResult json = Sf({"verify", "--db", url, "--json"});
  for (
      const char* found :
      {R"("subject": "users.users_created_by_fkey", "passed": true, "detail": "present as users_created_by_8e5a3c1f_fk_users_id")",
       R"("subject": "applications.applications_name_version_platform_key", "passed": true, "detail": "present as applications_name_version_platform_9f1e2d3c_uniq")",
       R"("subject": "events.events_occurred_at_idx", "passed": true, "detail": "present as events_occurred_at_4d2c1b3a")",
       R"("subject": "users.users_username_key", "passed": true, "detail": "present")"}) {
    EXPECT_NE(json.out.find(found), std::string::npos) << found << "\n" << json.out;
  }
  // A key that is really gone is still missing.
  Execute(url, "ALTER TABLE events DROP CONSTRAINT events_user_id_5d7f9b1e_fk_users_id");
  const ProcessResult broken = Sf({"verify", "--db", url, "--json"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(
      broken.out.find(
          R"("subject": "events.events_user_id_fkey", "passed": false, "detail": "missing or not valid")"),
      std::string::npos)
      << broken.out;
}

// CHECKs the application named itself (Meta.constraints) are the profile's CHECKs when they say
// the same: the server's text of the declared predicate on the table's columns is the table's
// CHECK's. seed adds none and changes no definition; verify finds each as present under the
// application's name, leaving the database as it was; a CHECK of another predicate is not one.
TEST(DjangoTables, ChecksOfOtherNamesAreFoundByTheirPredicates) {
  const std::string url = DatabaseWithSchema("django_travelers_checks", "django_travelers.sql");
  const std::string migrated = Definitions(url);
  const ProcessResult seeded = Sf({"seed", "--db", url, "--quiet", "--profile", "travelers"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_EQ(Definitions(url), migrated);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM travelers"), 200);
  EXPECT_EQ(QueryInt(url,
                     "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid IN "
                     "('travelers'::regclass, 'routing_steps'::regclass)"),
            2);

  const ProcessResult json = Sf({"verify", "--db", url, "--profile", "travelers", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.out << json.err;
  for (
      const char* found :
      {R"("subject": "travelers.travelers_quantity_check", "passed": true, "detail": "present as quantity_positive")",
       R"("subject": "routing_steps.routing_steps_step_number_check", "passed": true, "detail": "present as step_number_positive")"}) {
    EXPECT_NE(json.out.find(found), std::string::npos) << found << "\n" << json.out;
  }
  // Verify asked the server in a transaction it rolled back: nothing of it is left.
  EXPECT_EQ(Definitions(url), migrated);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_class WHERE relname = 'seedforge_check_probe'"),
            0);

  // A CHECK that says something else (>= 0 lets a zero quantity in) is not the declared one.
  Execute(url,
          "ALTER TABLE travelers DROP CONSTRAINT quantity_positive, ADD CONSTRAINT "
          "quantity_not_negative CHECK (quantity >= 0)");
  const ProcessResult broken = Sf({"verify", "--db", url, "--profile", "travelers", "--json"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(
      broken.out.find(
          R"("subject": "travelers.travelers_quantity_check", "passed": false, "detail": "missing or not valid")"),
      std::string::npos)
      << broken.out;
  EXPECT_NE(
      broken.out.find(
          R"("subject": "routing_steps.routing_steps_step_number_check", "passed": true, "detail": "present as step_number_positive")"),
      std::string::npos)
      << broken.out;
}

TEST(DjangoTables, TheFleetsValuesAreThoseOfASeedIntoSeedforgesOwnTables) {
  const std::string django = DjangoFleet("django_values");
  const std::string own = TestCluster::Get().CreateDatabase("django_values_own");
  // Binary COPY into the Django tables (the default), text COPY on the append path as well.
  ASSERT_EQ(Sf({"seed", "--db", django, "--quiet"}).exit_code, 0);
  ASSERT_EQ(Sf({"seed", "--db", own, "--quiet"}).exit_code, 0);
  EXPECT_EQ(Values(django, kFleetColumns), Values(own, kFleetColumns));
  const std::string text = DjangoFleet("django_values_text");
  ASSERT_EQ(Sf({"seed", "--db", text, "--quiet", "--copy-format", "text", "--no-bulk"}).exit_code,
            0);
  EXPECT_EQ(Values(text, kFleetColumns), Values(own, kFleetColumns));
}

TEST(DjangoTables, ATopUpAddsTheSameRowsAsATopUpOfSeedforgesOwnTables) {
  // The default profile, then larger targets: the new rows go in through the append path (the
  // tables have rows), batch by batch, in binary COPY.
  const std::string django = DjangoFleet("django_grown");
  const std::string own = TestCluster::Get().CreateDatabase("django_grown_own");
  const std::vector<std::string> larger = {"--rows", "users=40",   "--rows",       "assets=300",
                                           "--rows", "events=700", "--batch-size", "100"};
  for (const std::string& url : {django, own}) {
    ASSERT_EQ(Sf({"seed", "--db", url, "--quiet"}).exit_code, 0);
    std::vector<std::string> top_up = {"seed", "--db", url, "--quiet"};
    top_up.insert(top_up.end(), larger.begin(), larger.end());
    const ProcessResult topped = Sf(top_up);
    ASSERT_EQ(topped.exit_code, 0) << topped.err;
  }
  EXPECT_EQ(QueryValue(django,
                       "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM "
                       "assets) || ' ' || (SELECT count(*) FROM events)"),
            "40 300 700");
  EXPECT_EQ(Values(django, kFleetColumns), Values(own, kFleetColumns));
  EXPECT_EQ(QueryInt(django, "SELECT last_value FROM users_id_seq"), 40);
  const ProcessResult verified = Sf({"verify", "--db", django, "--rows", "users=40", "--rows",
                                     "assets=300", "--rows", "events=700"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST(DjangoTables, StorefrontSeedsIntoIntegerAndSmallintIdsAndVerifies) {
  const std::string django = DatabaseWithSchema("django_storefront", "django_storefront.sql");
  const std::string own = TestCluster::Get().CreateDatabase("django_storefront_own");
  const std::string definitions = Definitions(django);
  const ProcessResult seeded = Sf({"seed", "--db", django, "--profile", "storefront", "--quiet"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  ASSERT_EQ(Sf({"seed", "--db", own, "--profile", "storefront", "--quiet"}).exit_code, 0);
  EXPECT_EQ(Definitions(django), definitions);
  EXPECT_EQ(Values(django, kStorefrontColumns), Values(own, kStorefrontColumns));
  EXPECT_EQ(QueryValue(django,
                       "SELECT (SELECT count(*) FROM tenants) || ' ' || (SELECT count(*) FROM "
                       "units) || ' ' || (SELECT count(*) FROM sale_lines)"),
            "9 6 3319");
  // The identities (integer, smallint, bigint) are past the largest ids.
  EXPECT_EQ(
      QueryValue(django, "INSERT INTO units (code, name) VALUES ('app', 'App unit') RETURNING id"),
      "7");
  EXPECT_EQ(QueryInt(django, "SELECT nextval(pg_get_serial_sequence('sale_lines', 'id'))"), 3320);
  Execute(django, "DELETE FROM units WHERE code = 'app'");
  const ProcessResult verified = Sf({"verify", "--db", django, "--profile", "storefront"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verify: all 62 checks passed"), std::string::npos) << verified.out;
}

TEST(DjangoTables, TheIdsOfFixturesCountWhenIdsMustFitASmallerType) {
  // 32767 generated tenants and the demo fixture, which takes the next id: 32768 is one too many
  // for a smallint.
  const std::string url = DatabaseWithSchema("django_fixture_ids", "django_storefront.sql");
  Execute(url, "ALTER TABLE tenants ALTER COLUMN id TYPE smallint");
  const ProcessResult result =
      Sf({"seed", "--db", url, "--profile", "storefront", "--rows", "tenants=32768", "--quiet"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: table tenants: column id is smallint, generator 'id' writes ids up "
            "to 32768\n");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM tenants"), 0);
}

// A column that cannot take what the profile writes: refused before anything changes.
struct CannotFit {
  std::string name;
  std::string alter;    // run on the freshly migrated fleet
  std::string message;  // the whole error line after "seedforge: error: "
  std::vector<std::string> args = {};
};

class DjangoCannotFit : public ::testing::TestWithParam<CannotFit> {};

TEST_P(DjangoCannotFit, NamesTableColumnTypeAndWhatTheGeneratorNeedsAndChangesNothing) {
  const std::string url = DjangoFleet("django_fit_" + GetParam().name);
  Execute(url, GetParam().alter);
  const std::string definitions = Definitions(url);
  std::vector<std::string> args = {"seed", "--db", url, "--quiet"};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  const ProcessResult result = Sf(args);
  EXPECT_EQ(result.exit_code, 2) << result.err;  // bad input, as every schema mismatch
  EXPECT_EQ(result.err, "seedforge: error: " + GetParam().message + "\n");
  EXPECT_EQ(Definitions(url), definitions);
  EXPECT_EQ(QueryValue(url,
                       "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM assets) + "
                       "(SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM "
                       "pg_namespace WHERE nspname = 'seedforge')"),
            "0 0");
}

INSTANTIATE_TEST_SUITE_P(
    DjangoTables, DjangoCannotFit,
    ::testing::Values(
        // {first}{last}{n}: Christopher (11) + Richardson (10) + up to 20 digits.
        CannotFit{"short_varchar", "ALTER TABLE users ALTER COLUMN username TYPE varchar(8)",
                  "table users: column username is character varying(8), generator 'template' "
                  "writes up to 41 characters"},
        CannotFit{"short_mac", "ALTER TABLE assets ALTER COLUMN mac_address TYPE varchar(12)",
                  "table assets: column mac_address is character varying(12), generator 'case' "
                  "writes up to 17 characters"},
        CannotFit{"ip_as_short_text", "ALTER TABLE assets ALTER COLUMN ip_address TYPE varchar(10)",
                  "table assets: column ip_address is character varying(10), generator 'ipv4' "
                  "writes up to 15 characters"},
        // lognormal up to 20000 with 2 decimals: 20000.00.
        CannotFit{"small_numeric",
                  "ALTER TABLE applications ALTER COLUMN package_size_mb TYPE numeric(6,2)",
                  "table applications: column package_size_mb is numeric(6,2), generator "
                  "'lognormal' writes numbers of 5 integer and 2 fraction digits"},
        CannotFit{"other_kind", "ALTER TABLE users ALTER COLUMN is_active TYPE varchar(5)",
                  "table users: column is_active is character varying(5), seedforge writes "
                  "boolean"},
        // A SmallAutoField holds 32767 ids; 40000 users need more.
        CannotFit{"smallint_ids",
                  "ALTER TABLE users ALTER COLUMN id TYPE smallint, ALTER COLUMN created_by TYPE "
                  "smallint",
                  "table users: column id is smallint, generator 'id' writes ids up to 40000",
                  {"--rows", "users=40000"}},
        CannotFit{"smallint_reference",
                  "ALTER TABLE events ALTER COLUMN user_id TYPE smallint",
                  "table events: column user_id is smallint, generator 'ref' writes ids up to "
                  "40000",
                  {"--rows", "users=40000"}}),
    [](const ::testing::TestParamInfo<CannotFit>& param) { return param.param.name; });

}  // namespace
}  // namespace seedforge
