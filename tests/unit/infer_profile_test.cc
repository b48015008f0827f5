// `seedforge init`'s inference (tools/infer_profile.h) on tables written by hand as the catalog
// reader would read them (types as format_type() prints them under search_path = pg_catalog,
// constraints as pg_get_constraintdef() prints them). The expected profiles and summaries are
// written out from the rules README.md documents, not produced by the code under test.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/table_model.h"
#include "tools/infer_profile.h"

namespace seedforge {
namespace {

ColumnDef Column(std::string name, std::string type, bool not_null = true,
                 std::string default_expr = "") {
  ColumnDef column;
  column.name = std::move(name);
  column.type = std::move(type);
  column.not_null = not_null;
  column.default_expr = std::move(default_expr);
  return column;
}

ConstraintDef Key(char type, std::string name, std::vector<std::string> columns) {
  ConstraintDef key;
  key.type = type;
  key.name = std::move(name);
  key.columns = std::move(columns);
  key.definition = std::string(type == 'p' ? "PRIMARY KEY (" : "UNIQUE (");
  for (size_t i = 0; i < key.columns.size(); ++i) {
    key.definition += (i > 0 ? ", " : "") + key.columns[i];
  }
  key.definition += ")";
  return key;
}

ConstraintDef Foreign(std::string name, std::string column, std::string table,
                      std::string options = "") {
  ConstraintDef key;
  key.type = 'f';
  key.name = std::move(name);
  key.columns = {column};
  key.referenced_columns = {"id"};
  key.referenced_table = "public." + table;
  key.definition = "FOREIGN KEY (" + column + ") REFERENCES public." + table + "(id)" +
                   (options.empty() ? "" : " " + options);
  return key;
}

ConstraintDef Check(std::string name, std::string definition) {
  ConstraintDef check;
  check.type = 'c';
  check.name = std::move(name);
  check.definition = std::move(definition);
  return check;
}

TableDef Table(std::string name, std::vector<ColumnDef> columns,
               std::vector<ConstraintDef> constraints, std::string schema = "public") {
  TableDef table;
  table.schema = std::move(schema);
  table.name = std::move(name);
  table.columns = std::move(columns);
  table.constraints = std::move(constraints);
  return table;
}

TableDef Customers() {
  return Table(
      "customers",
      {Column("id", "bigint", true, "nextval('public.customers_id_seq'::regclass)"),
       Column("first_name", "character varying(60)"), Column("last_name", "character varying(60)"),
       Column("email", "character varying(255)"), Column("phone", "text", false),
       Column("is_active", "boolean", true, "true"),
       Column("created_at", "timestamp with time zone", true, "now()"),
       Column("updated_at", "timestamp with time zone", false)},
      {Key('p', "customers_pkey", {"id"}), Key('u', "customers_email_key", {"email"})});
}

TableDef Orders() {
  return Table(
      "orders",
      {Column("id", "bigint"), Column("customer_id", "bigint"),
       Column("status", "public.order_status"), Column("total", "numeric(10,2)"),
       Column("placed_at", "timestamp with time zone"),
       Column("shipped_at", "timestamp with time zone", false)},
      {Key('p', "orders_pkey", {"id"}),
       Check("orders_total_check", "CHECK ((total >= (0)::numeric))"),
       Check("orders_shipped_check", "CHECK ((shipped_at > placed_at))"),
       Foreign("orders_customer_id_fkey", "customer_id", "customers", "ON DELETE CASCADE")});
}

TableDef OrderLines() {
  return Table(
      "order_lines",
      {Column("id", "integer"), Column("order_id", "bigint"), Column("line_number", "smallint"),
       Column("quantity", "integer"), Column("unit_price", "numeric(8,2)")},
      {Key('p', "order_lines_pkey", {"id"}),
       Key('u', "order_lines_order_id_line_number_key", {"order_id", "line_number"}),
       Check("order_lines_quantity_check", "CHECK (((quantity >= 1) AND (quantity <= 20)))"),
       Foreign("order_lines_order_id_fkey", "order_id", "orders")});
}

const std::map<std::string, std::vector<std::string>> kEnums = {
    {"public.order_status", {"pending", "paid", "shipped"}}};

InferOptions Options(int64_t rows = 200) {
  InferOptions options;
  options.rows = rows;
  options.name = "shop";
  options.source = "the schema of database shopdb";
  return options;
}

TEST(InferProfile, AShopBecomesAProfileWithReferencesKeysChecksAndTypes) {
  auto profile = InferProfile({Customers(), Orders(), OrderLines()}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->json, R"j({
  "name": "shop",
  "description": "Inferred by seedforge init from the schema of database shopdb",
  "seed": 42,
  "types": {
    "order_status": { "enum": ["pending", "paid", "shipped"] }
  },
  "tables": {
    "customers": {
      "rows": 200,
      "columns": {
        "id": { "type": "bigint", "gen": "id" },
        "first_name": { "type": "varchar(60)", "gen": "first_name" },
        "last_name": { "type": "varchar(60)", "gen": "last_name" },
        "email": { "type": "varchar(255)", "gen": "template", "format": "{first_name}.{last_name}{n}@example.com", "lower": true, "unique": true },
        "phone": { "type": "text", "gen": "phone" },
        "is_active": { "type": "boolean", "gen": "bool", "rate": 0.8 },
        "created_at": { "type": "timestamptz", "gen": "timestamp" },
        "updated_at": { "type": "timestamptz", "gen": "after", "of": "created_at", "by": { "gen": "exponential", "mean": "3d" }, "until": "end" }
      }
    },
    "orders": {
      "rows": { "per": "customers", "min": 1, "max": 3 },
      "columns": {
        "id": { "type": "bigint", "gen": "id" },
        "customer_id": { "type": "bigint", "gen": "parent", "on_delete": "cascade" },
        "status": { "type": "order_status", "gen": "choice" },
        "total": { "type": "numeric(10,2)", "gen": "lognormal", "median": 40.00, "sigma": 1, "min": 0.01, "max": 99999.99, "scale": 2 },
        "placed_at": { "type": "timestamptz", "gen": "timestamp" },
        "shipped_at": { "type": "timestamptz", "gen": "after", "of": "placed_at", "by": { "gen": "exponential", "mean": "3d", "min": "1s" } }
      },
      "checks": {
        "orders_total_check": "((total >= (0)::numeric))",
        "orders_shipped_check": "((shipped_at > placed_at))"
      }
    },
    "order_lines": {
      "rows": { "per": "orders", "min": 1, "max": 3 },
      "columns": {
        "id": { "type": "integer", "gen": "id" },
        "order_id": { "type": "bigint", "gen": "parent" },
        "line_number": { "type": "smallint", "gen": "index_in_parent" },
        "quantity": { "type": "integer", "gen": "uniform", "min": 1, "max": 20, "step": 1 },
        "unit_price": { "type": "numeric(8,2)", "gen": "lognormal", "median": 40.00, "sigma": 1, "min": 0.01, "max": 99999.99, "scale": 2 }
      },
      "unique": [["order_id", "line_number"]],
      "checks": {
        "order_lines_quantity_check": "(((quantity >= 1) AND (quantity <= 20)))"
      }
    }
  }
}
)j");
  const std::vector<std::string> summary = {
      "3 tables, 19 generated columns (0 from their type alone, listed last)",
      "customers: 200 rows (--rows)",
      "orders: 1 to 3 rows per row of customers (through customer_id)",
      "order_lines: 1 to 3 rows per row of orders (through order_id)",
      "customers.id: id 1, 2, 3... (primary key)",
      "customers.first_name: first name (name)",
      "customers.last_name: last name (name)",
      "customers.email: e-mail (name)",
      "customers.phone: phone number (name)",
      "customers.is_active: flag, mostly true (name)",
      "customers.created_at: time in the time window (name)",
      "customers.updated_at: time after created_at (name)",
      "orders.id: id 1, 2, 3... (primary key)",
      "orders.customer_id: parent row of customers (foreign key)",
      "orders.status: enum order_status",
      "orders.total: money 0.01..99999.99 (name)",
      "orders.placed_at: time in the time window (name)",
      "orders.shipped_at: time after placed_at (check)",
      "order_lines.id: id 1, 2, 3... (primary key)",
      "order_lines.order_id: parent row of orders (foreign key)",
      "order_lines.line_number: 1, 2... within its order_id (unique key)",
      "order_lines.quantity: quantity 1..20 (name)",
      "order_lines.unit_price: money 0.01..99999.99 (name)",
  };
  EXPECT_EQ(profile->summary, summary);
  EXPECT_EQ(profile->tables, 3);
  EXPECT_EQ(profile->columns, 19);
}

TEST(InferProfile, TheSameTablesGiveTheSameBytes) {
  auto first = InferProfile({Customers(), Orders(), OrderLines()}, kEnums, Options());
  auto second = InferProfile({Customers(), Orders(), OrderLines()}, kEnums, Options());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->json, second->json);
  EXPECT_EQ(first->summary, second->summary);
}

// One column per line of the summary, for a table of one id and `columns`.
std::vector<std::string> ColumnLines(std::vector<ColumnDef> columns,
                                     std::vector<ConstraintDef> constraints = {},
                                     const std::string& table = "things") {
  columns.insert(columns.begin(), Column("id", "integer"));
  constraints.insert(constraints.begin(), Key('p', table + "_pkey", {"id"}));
  auto profile = InferProfile({Table(table, columns, constraints)}, kEnums, Options());
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  if (!profile.ok()) return {};
  return std::vector<std::string>(profile->summary.begin() + 3, profile->summary.end());
}

TEST(InferProfile, NameRulesPickRealisticGeneratorsWhenTheTypeAllows) {
  EXPECT_EQ(ColumnLines({Column("username", "character varying(150)"), Column("city", "text"),
                         Column("country", "text"), Column("zip", "character varying(10)"),
                         Column("company_name", "text"), Column("website", "text"),
                         Column("street_address", "text"), Column("title", "text"),
                         Column("description", "text"), Column("has_pets", "boolean"),
                         Column("is_deleted", "boolean"), Column("item_count", "integer"),
                         Column("status", "character varying(16)"),
                         Column("kind", "character varying(3)"), Column("due_date", "date")}),
            (std::vector<std::string>{
                "things.username: user name (name)",
                "things.city: city (name)",
                "things.country: country (name)",
                "things.zip: postal code (name)",
                "things.company_name: company (name)",
                "things.website: URL (name)",
                "things.street_address: street address (name)",
                "things.title: title (name)",
                "things.description: text (name)",
                "things.has_pets: flag (name)",
                "things.is_deleted: flag, mostly false (name)",
                "things.item_count: count 0..1000 (name)",
                "things.status: status (name)",
                // No value of the status list fits varchar(3): the type decides.
                "things.due_date: date in the time window (name)",
                "things.kind: 3 letters (type)",
            }));
  // A name whose type does not fit the rule falls back to the type: a phone number as bigint.
  EXPECT_EQ(ColumnLines({Column("phone", "bigint"), Column("email", "integer")}),
            (std::vector<std::string>{"things.phone: bigint 0..1000000 (type)",
                                      "things.email: integer 0..100000 (type)"}));
  // "name" follows the table: people get full names, products product names.
  EXPECT_EQ(ColumnLines({Column("name", "text")}, {}, "employees"),
            (std::vector<std::string>{"employees.name: full name (name)"}));
  EXPECT_EQ(ColumnLines({Column("name", "text")}, {}, "products"),
            (std::vector<std::string>{"products.name: product name (name)"}));
}

TEST(InferProfile, TypesGiveBoundedGeneratorsThatFitThem) {
  auto profile = InferProfile(
      {Table("invoices",
             {Column("id", "integer"), Column("total", "numeric(10,2)"),
              Column("ratio", "numeric(3,3)", false), Column("score", "smallint"),
              Column("code", "character(2)"), Column("label", "character varying(3)"),
              Column("amount_due", "numeric"), Column("fee", "numeric(20,8)"),
              Column("weight", "double precision"), Column("opened", "time without time zone"),
              Column("duration", "interval"), Column("token", "uuid"), Column("host", "inet"),
              Column("nic", "macaddr"), Column("extra", "jsonb"),
              Column("labels", "character varying(3)[]"),
              Column("statuses", "public.order_status[]"), Column("blob", "bytea", false),
              Column("tally", "integer", true, "nextval('public.tally_seq'::regclass)")},
             {Key('p', "invoices_pkey", {"id"})})},
      kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  const std::string json = profile->json;
  for (
      const char* line : {
          R"j("total": { "type": "numeric(10,2)", "gen": "lognormal", "median": 40.00, "sigma": 1, "min": 0.01, "max": 99999.99, "scale": 2 })j",
          R"j("fee": { "type": "numeric(20,8)", "gen": "lognormal", "median": 40.00000000, "sigma": 1, "min": 0.00000001, "max": 99999.99999999, "scale": 8 })j",
          R"j("score": { "type": "smallint", "gen": "uniform", "min": 0, "max": 1000, "step": 1 })j",
          R"j("code": { "type": "char(2)", "gen": "pattern", "format": "??" })j",
          R"j("label": { "type": "varchar(3)", "gen": "pattern", "format": "???" })j",
          R"j("weight": { "type": "double precision", "gen": "uniform", "min": 0, "max": 1000 })j",
          R"j("opened": { "type": "time", "gen": "time_of_day" })j",
          R"j("token": { "type": "uuid", "gen": "uuid" })j",
          R"j("host": { "type": "inet", "gen": "ipv4" })j",
          R"j("nic": { "type": "macaddr", "gen": "mac" })j",
          R"j("extra": { "type": "jsonb", "gen": "json", "fields": { "value": { "gen": "word" } } })j",
          R"j("labels": { "type": "varchar(3)[]", "gen": "array", "min": 0, "max": 3, "of": { "gen": "pattern", "format": "?" } })j",
          R"j("statuses": { "type": "order_status[]", "gen": "array", "min": 0, "max": 3, "of": { "gen": "choice" } })j",
      }) {
    EXPECT_NE(json.find(line), std::string::npos) << line << "\n" << json;
  }
  // bytea and a sequence default are left to the server: not in the profile.
  EXPECT_EQ(json.find("\"blob\""), std::string::npos);
  EXPECT_EQ(json.find("\"tally\""), std::string::npos);
  const std::vector<std::string>& summary = profile->summary;
  for (const char* line : {
           "invoices.total: money 0.01..99999.99 (name)",
           "invoices.ratio: left to the server (type numeric(3,3) is not one init generates; NULL)",
           "invoices.amount_due: money 0.01..99999.99 (name)",
           "invoices.blob: left to the server (type bytea is not one init generates; NULL)",
           "invoices.tally: left to the server (its sequence)",
       }) {
    EXPECT_NE(std::find(summary.begin(), summary.end(), line), summary.end()) << line;
  }
}

TEST(InferProfile, ChecksNarrowTheGenerators) {
  EXPECT_EQ(
      ColumnLines({Column("rating", "integer"), Column("discount", "numeric(5,2)"),
                   Column("size", "character varying(4)"), Column("priority", "integer"),
                   Column("nickname", "text"), Column("starts_on", "date"),
                   Column("ends_on", "date"), Column("low", "integer"), Column("high", "integer")},
                  {Check("rating_range", "CHECK (((rating >= 1) AND (rating <= 5)))"),
                   Check("discount_positive", "CHECK ((discount > (0)::numeric))"),
                   Check("discount_max", "CHECK ((discount <= (50)::numeric))"),
                   Check("size_list",
                         "CHECK (((size)::text = ANY ((ARRAY['S'::character varying, "
                         "'M'::character varying, 'L'::character varying])::text[])))"),
                   Check("priority_list", "CHECK ((priority = ANY (ARRAY[1, 2, 3])))"),
                   Check("nickname_short", "CHECK ((char_length(nickname) <= 5))"),
                   Check("dates", "CHECK ((starts_on < ends_on))"),
                   Check("order", "CHECK ((low <= high))")}),
      (std::vector<std::string>{
          "things.size: one of the CHECK's values (check)",
          "things.priority: one of the CHECK's values (check)",
          "things.starts_on: date in 2024, before ends_on (check)",
          "things.ends_on: date in 2025, after starts_on (check)",
          "things.low: 0..499, below high (check)",
          "things.high: 500..1000, above low (check)",
          "things.rating: integer 1..5 (type)",
          "things.discount: numeric(5,2) 0.01..50.00 (type)",
          "things.nickname: 5 letters (type)",
      }));
}

TEST(InferProfile, ReferencesToTheTableItselfAndNullableCyclesAreAsTheLanguageAllows) {
  // employees.manager_id: an earlier row. departments.head_id -> employees and
  // employees.department_id -> departments make a cycle, broken at the nullable head_id.
  const TableDef departments =
      Table("departments", {Column("id", "integer"), Column("head_id", "integer", false)},
            {Key('p', "departments_pkey", {"id"}),
             Foreign("departments_head_id_fkey", "head_id", "employees")});
  const TableDef employees = Table(
      "employees",
      {Column("id", "integer"), Column("department_id", "integer"),
       Column("manager_id", "integer", false), Column("buddy_id", "integer")},
      {Key('p', "employees_pkey", {"id"}),
       Foreign("employees_buddy_id_fkey", "buddy_id", "employees", "DEFERRABLE INITIALLY DEFERRED"),
       Foreign("employees_department_id_fkey", "department_id", "departments"),
       Foreign("employees_manager_id_fkey", "manager_id", "employees")});
  auto profile = InferProfile({departments, employees}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  for (
      const char* line : {
          R"j("head_id": { "type": "integer", "gen": "null" })j",
          R"j("department_id": { "type": "integer", "gen": "parent" })j",
          R"j("manager_id": { "type": "integer", "gen": "ref", "to": "employees", "earlier": true })j",
          R"j("buddy_id": { "type": "integer", "gen": "ref", "to": "employees", "deferrable": true })j",
      }) {
    EXPECT_NE(profile->json.find(line), std::string::npos) << line << "\n" << profile->json;
  }
  const auto& summary = profile->summary;
  EXPECT_NE(std::find(summary.begin(), summary.end(),
                      "departments.head_id: NULL: left NULL to break the cycle "
                      "public.departments.head_id -> public.employees.department_id -> "
                      "public.departments"),
            summary.end());
}

TEST(InferProfile, AUniqueReferenceIsOneChildPerParentOrLeftNull) {
  const TableDef users =
      Table("users", {Column("id", "integer")}, {Key('p', "users_pkey", {"id"})});
  TableDef accounts =
      Table("accounts",
            {Column("id", "integer"), Column("owner_id", "integer"),
             Column("deputy_id", "integer", false)},
            {Key('p', "accounts_pkey", {"id"}), Key('u', "accounts_owner_id_key", {"owner_id"}),
             Foreign("accounts_deputy_id_fkey", "deputy_id", "users"),
             Foreign("accounts_owner_id_fkey", "owner_id", "users")});
  accounts.indexes.push_back(
      {"accounts_deputy_idx",
       "CREATE UNIQUE INDEX accounts_deputy_idx ON public.accounts USING btree (deputy_id)"});
  auto profile = InferProfile({users, accounts}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_NE(profile->json.find(R"j("rows": { "per": "users", "min": 1, "max": 1 },)j"),
            std::string::npos)
      << profile->json;
  EXPECT_NE(profile->json.find(R"j("owner_id": { "type": "integer", "gen": "parent" })j"),
            std::string::npos);
  EXPECT_NE(profile->json.find(R"j("deputy_id": { "type": "integer", "gen": "null" })j"),
            std::string::npos);
  EXPECT_EQ(profile->summary[2], "accounts: 1 row per row of users (through owner_id)");
}

TEST(InferProfile, AUniquePairOfReferencesToOneTableIsAPair) {
  const TableDef users =
      Table("users", {Column("id", "integer")}, {Key('p', "users_pkey", {"id"})});
  const TableDef friendships =
      Table("friendships",
            {Column("id", "integer"), Column("user_a", "integer"), Column("user_b", "integer")},
            {Key('p', "friendships_pkey", {"id"}),
             Key('u', "friendships_user_a_user_b_key", {"user_a", "user_b"}),
             Check("friendships_check", "CHECK ((user_b > user_a))"),
             Foreign("friendships_user_a_fkey", "user_a", "users", "ON DELETE CASCADE"),
             Foreign("friendships_user_b_fkey", "user_b", "users", "ON DELETE CASCADE")});
  auto profile = InferProfile({users, friendships}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  const std::string expected = R"j("friendships": {
      "rows": 200,
      "columns": {
        "id": { "type": "integer", "gen": "id" },
        "user_a": { "type": "integer", "gen": "pair", "of": "users", "part": "first", "on_delete": "cascade" },
        "user_b": { "type": "integer", "gen": "pair", "of": "users", "part": "second", "on_delete": "cascade" }
      },
      "unique": [["user_a", "user_b"]],)j";
  EXPECT_NE(profile->json.find(expected), std::string::npos) << profile->json;
  // An order of references the generators do not keep is refused, not overwritten.
  const TableDef links = Table(
      "links", {Column("id", "integer"), Column("from_id", "integer"), Column("to_id", "integer")},
      {Key('p', "links_pkey", {"id"}), Check("links_check", "CHECK ((from_id < to_id))"),
       Foreign("links_from_id_fkey", "from_id", "users"),
       Foreign("links_to_id_fkey", "to_id", "users")});
  auto refused = InferProfile({users, links}, kEnums, Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "table public.links: CHECK from_id < to_id orders ids or references in a way init "
            "cannot keep (exclude the table with --exclude links)");
}

TEST(InferProfile, ATimeSeriesKeyGetsOneTimePerRow) {
  const TableDef prices =
      Table("prices",
            {Column("id", "integer"), Column("symbol", "character varying(8)"),
             Column("observed_at", "timestamp with time zone"), Column("price", "numeric(18,8)")},
            {Key('p', "prices_pkey", {"id"}),
             Key('u', "prices_symbol_observed_at_key", {"symbol", "observed_at"})});
  auto profile = InferProfile({prices}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_NE(
      profile->json.find(
          R"j("observed_at": { "type": "timestamptz", "gen": "monotone_time", "every": "1h", "jitter": false })j"),
      std::string::npos)
      << profile->json;
  EXPECT_NE(profile->json.find(R"j("unique": [["symbol", "observed_at"]])j"), std::string::npos);
}

// The one line InferProfile fails with for `tables`.
std::string ErrorFor(const std::vector<TableDef>& tables, InferOptions options = Options()) {
  auto profile = InferProfile(tables, kEnums, options);
  EXPECT_FALSE(profile.ok());
  return profile.ok() ? "" : profile.status().message();
}

// Two NOT NULL references in a cycle, neither DEFERRABLE: the first table of the cycle loads
// first, and its key to the other is taken down during the load and put back.
TEST(InferProfile, ACycleOfNotNullKeysLoadsThroughOneTakenDownAndPutBack) {
  const TableDef a = Table("a", {Column("id", "integer"), Column("b_id", "integer")},
                           {Key('p', "a_pkey", {"id"}), Foreign("a_b_id_fkey", "b_id", "b")});
  const TableDef b = Table("b", {Column("id", "integer"), Column("a_id", "integer")},
                           {Key('p', "b_pkey", {"id"}), Foreign("b_a_id_fkey", "a_id", "a")});
  auto profile = InferProfile({a, b}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_NE(
      profile->json.find(
          R"j("b_id": { "type": "integer", "gen": "ref", "to": "b", "breaks_cycle": true })j"),
      std::string::npos)
      << profile->json;
  EXPECT_NE(profile->json.find(R"j("a_id": { "type": "integer", "gen": "parent" })j"),
            std::string::npos)
      << profile->json;
  EXPECT_LT(profile->json.find("\"a\": {"), profile->json.find("\"b\": {"));
}

// A table without one integer or uuid key column has no id: a composite or text primary key is
// declared as its "primary_key" and made by construction, a table without one gets [].
TEST(InferProfile, ATableWhoseKeyIsNotOneIntegerOrUuidColumnHasNoId) {
  auto profile = InferProfile({Table("notes", {Column("body", "text")}, {}),
                               Table("tags", {Column("post_id", "integer"), Column("tag", "text")},
                                     {Key('p', "tags_pkey", {"post_id", "tag"})}),
                               Table("tokens", {Column("code", "text"), Column("note", "text")},
                                     {Key('p', "tokens_pkey", {"code"})})},
                              kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  for (
      const char* line : {
          R"j("notes": {
      "rows": 200,
      "primary_key": [],
      "columns": {
        "body": { "type": "text",)j",
          R"j("tags": {
      "rows": 200,
      "primary_key": ["post_id", "tag"],)j",
          R"j("tag": { "type": "text", "gen": "template", "format": "tag-{n}" })j",
          R"j("tokens": {
      "rows": 200,
      "primary_key": ["code"],)j",
          R"j("code": { "type": "text", "gen": "template", "format": "code-{n}", "unique": true })j",
      }) {
    EXPECT_NE(profile->json.find(line), std::string::npos) << line << "\n" << profile->json;
  }
}

// A partial unique index (unique among the rows not deleted) holds when its column is unique over
// every row: init makes it injective, as for a unique constraint. One on an expression is refused.
TEST(InferProfile, APartialUniqueIndexMakesItsColumnInjective) {
  TableDef members = Table("members",
                           {Column("id", "integer"), Column("label", "text"),
                            Column("deleted_at", "timestamp with time zone", false)},
                           {Key('p', "members_pkey", {"id"})});
  members.indexes.push_back({"members_handle_live_idx",
                             "CREATE UNIQUE INDEX members_handle_live_idx ON public.members USING "
                             "btree (label) WHERE (deleted_at IS NULL)"});
  auto profile = InferProfile({members}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_NE(profile->json.find(
                R"j("label": { "type": "text", "gen": "template", "format": "label-{n}" })j"),
            std::string::npos)
      << profile->json;
  members.indexes[0].definition =
      "CREATE UNIQUE INDEX members_handle_live_idx ON public.members USING btree (lower(label))";
  EXPECT_EQ(ErrorFor({members}),
            "table public.members: unique index members_handle_live_idx is on an expression; "
            "init cannot prove it holds (exclude the table with --exclude members)");
}

// A composite unique index that no constraint owns is a key like a UNIQUE constraint: two
// references to different tables become the parent and a distinct ref; the index enforces it,
// so the profile does not declare it as a constraint.
TEST(InferProfile, ACompositeUniqueIndexIsMadeByConstruction) {
  const TableDef posts =
      Table("posts", {Column("id", "integer")}, {Key('p', "posts_pkey", {"id"})});
  const TableDef tags = Table("tags", {Column("id", "integer")}, {Key('p', "tags_pkey", {"id"})});
  TableDef post_tags = Table(
      "post_tags",
      {Column("id", "integer"), Column("post_id", "integer"), Column("tag_id", "integer")},
      {Key('p', "post_tags_pkey", {"id"}), Foreign("post_tags_post_id_fkey", "post_id", "posts"),
       Foreign("post_tags_tag_id_fkey", "tag_id", "tags")});
  post_tags.indexes.push_back({"post_tags_pair_idx",
                               "CREATE UNIQUE INDEX post_tags_pair_idx ON public.post_tags USING "
                               "btree (post_id, tag_id)"});
  auto profile = InferProfile({posts, tags, post_tags}, kEnums, Options());
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_NE(profile->json.find(R"j("rows": { "per": "posts", "min": 1, "max": 3 },)j"),
            std::string::npos)
      << profile->json;
  EXPECT_NE(
      profile->json.find(
          R"j("tag_id": { "type": "integer", "gen": "ref", "to": "tags", "distinct": true })j"),
      std::string::npos)
      << profile->json;
  EXPECT_EQ(profile->json.find("\"unique\""), std::string::npos) << profile->json;
}

TEST(InferProfile, WhatTheEngineCannotFillIsOneLineNamingTableAndReason) {
  EXPECT_EQ(ErrorFor({Table("skus", {Column("id", "integer"), Column("code", "text")},
                            {Key('p', "skus_pkey", {"id"}),
                             Check("skus_code_check", "CHECK ((code ~ '^[A-Z]+$'::text))")})}),
            "table public.skus: CHECK skus_code_check ((code ~ '^[A-Z]+$'::text)) is not a form "
            "init can satisfy (x > k, x BETWEEN a AND b, x IN (...), length(x) <= n, a < b) "
            "(exclude the table with --exclude skus)");
  EXPECT_EQ(ErrorFor({Table("moods", {Column("id", "integer"), Column("mood", "public.mood")},
                            {Key('p', "moods_pkey", {"id"})})}),
            "table public.moods: column mood is public.mood, which init cannot generate, NOT NULL "
            "without a default (exclude the table with --exclude moods)");
  // A CHECK on what the server computes.
  ColumnDef total = Column("total_cents", "bigint", false, "(quantity * 100)");
  total.generated = 's';
  EXPECT_EQ(
      ErrorFor({Table("lines", {Column("id", "integer"), Column("quantity", "integer"), total},
                      {Key('p', "lines_pkey", {"id"}),
                       Check("lines_total_check", "CHECK ((total_cents > 0))")})}),
      "table public.lines: a CHECK bounds column total_cents, whose values the server "
      "fills; init cannot make it hold (exclude the table with --exclude lines)");
  // A NOT NULL reference to the table itself that is not deferrable.
  EXPECT_EQ(ErrorFor({Table("nodes", {Column("id", "integer"), Column("next_id", "integer")},
                            {Key('p', "nodes_pkey", {"id"}),
                             Foreign("nodes_next_id_fkey", "next_id", "nodes")})}),
            "table public.nodes: column next_id is a NOT NULL reference to the table itself that "
            "is not DEFERRABLE; the engine cannot fill the first row (exclude the table with "
            "--exclude nodes)");
  // A key of two plain integers (a join table's keys are references: see
  // tests/cli/join_tables_test.cc).
  EXPECT_EQ(ErrorFor({Table(
                "grid", {Column("id", "integer"), Column("x", "integer"), Column("y", "integer")},
                {Key('p', "grid_pkey", {"id"}), Key('u', "grid_x_y_key", {"x", "y"})})}),
            "table public.grid: unique key grid_x_y_key (x, y) has no column init can make "
            "injective (an id, a text column, a timestamp, or a position within the parent row) "
            "(exclude the table with --exclude grid)");
  // A NOT NULL reference to a table left out.
  InferOptions only_lines = Options();
  only_lines.tables = {"order_lines"};
  EXPECT_EQ(ErrorFor({Customers(), Orders(), OrderLines()}, only_lines),
            "table public.order_lines: foreign key order_lines_order_id_fkey refers to "
            "public.orders, which init does not declare (not selected, or not a table it can "
            "fill), and is NOT NULL (exclude the table with --exclude order_lines)");
  InferOptions bad_rows = Options(0);
  EXPECT_EQ(ErrorFor({Customers()}, bad_rows), "--rows must be between 1 and 1000000000, got 0");
}

TEST(InferProfile, TableAndExcludePatternsSelectTables) {
  const TableDef campaigns =
      Table("campaigns", {Column("id", "integer")}, {Key('p', "campaigns_pkey", {"id"})}, "crm");
  EXPECT_TRUE(TableMatches("campaigns", campaigns));
  EXPECT_TRUE(TableMatches("crm.*", campaigns));
  EXPECT_TRUE(TableMatches("camp?igns", campaigns));
  EXPECT_TRUE(TableMatches("*", campaigns));
  EXPECT_FALSE(TableMatches("public.*", campaigns));
  EXPECT_FALSE(TableMatches("camp", campaigns));
  InferOptions options = Options();
  options.exclude = {"order*"};
  auto profile = InferProfile({Customers(), campaigns, Orders(), OrderLines()}, kEnums, options);
  ASSERT_TRUE(profile.ok()) << profile.status().message();
  EXPECT_EQ(profile->summary[0],
            "2 tables, 9 generated columns (0 from their type alone, listed last)");
  EXPECT_NE(
      profile->json.find("\"campaigns\": {\n      \"schema\": \"crm\",\n      \"rows\": 200,"),
      std::string::npos)
      << profile->json;
  EXPECT_EQ(profile->json.find("order_status"), std::string::npos);  // no column uses it now
  options.exclude = {"*"};
  EXPECT_EQ(ErrorFor({Customers()}, options),
            "no table to declare (the database has none in the schemas read, or --table and "
            "--exclude left none)");
}

}  // namespace
}  // namespace seedforge
