// stats and verify (see verify.h for what they check and the fingerprint's definition).
//
// Design: every check is one SQL aggregate, so nothing but counts and hashes crosses the wire.
// Verify first reads which tables exist and their counts (the same plan `seed` makes), then runs
// the server-side checks on the connection while a second thread computes the expected
// fingerprints with the generators (in parallel over blocks, under oneTBB), so the slower of the
// two sets the time, not their sum.
////
// The unique-key check trusts the server: when the unique constraint exists, duplicates cannot,
// and the (expensive) grouping is skipped; without the constraint it counts them.
#include "tools/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "engine/run.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "sinks/sink.h"
#include "tools/sql_text.h"

namespace seedforge {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
    existing_tables += "to_regclass(" + SqlLiteral(table.schema->table.QualifiedName()) + ")";
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
  // A key or index is present under its declared name or, in a table another tool created (an
  // application's migrations), as one that does the same under another name (same columns, same
  // referenced table, a CHECK of the same predicate as the server prints it:
  // EquivalentConstraint, EquivalentIndex).
  for (const TableState& state : tables) {
    if (!state.exists) continue;  // reported once as an absent table
    const std::string& table = state.schema->name;
    SF_ASSIGN_OR_RETURN(std::optional<TableDef> actual,
                        ReadTable(connection, state.schema->table.QualifiedName()));
    std::map<std::string, std::string> checks;  // declared CHECKs as the server prints them
    if (actual.has_value()) {
      SF_ASSIGN_OR_RETURN(checks,
                          NormalizedCheckDefinitions(connection, state.schema->table, *actual));
    }
    std::vector<std::pair<std::string, std::string>> objects;  // declared name, equivalent
    for (const ConstraintDef& constraint : state.schema->table.constraints) {
      objects.emplace_back(constraint.name, actual.has_value()
                                                ? EquivalentConstraint(constraint, *actual, checks)
                                                : "");
    }
    for (const IndexDef& index : state.schema->table.indexes) {
      objects.emplace_back(index.name, actual.has_value() ? EquivalentIndex(index, *actual) : "");
    }
    for (const auto& [name, equivalent] : objects) {
      const bool by_name = present->count(name) > 0;
      const bool by_columns = !by_name && !equivalent.empty() && present->count(equivalent) > 0;
      const bool is_present = by_name || by_columns;
      const bool is_parked = parked.count(name) > 0 || (by_columns && parked.count(equivalent) > 0);
      std::string detail = by_columns ? "present as " + equivalent : "present";
      if (is_parked) {
        detail = "parked in " + std::string(kPendingConstraintsTable) +
                 " by an unfinished bulk load (the next `seedforge seed` restores it)";
      } else if (!is_present) {
        detail = "missing or not valid";
      }
      if (by_columns) present->insert(name);  // its key enforces the declared one (duplicates)
      AddCheck(report, "constraint", table + "." + name, is_present && !is_parked, detail);
    }
  }
  return Status::Ok();
}

// Verify's table scans, run on several connections at once: each task writes the checks it finds
// into its own slot, and the slots join the report in the order the tasks were added, whichever
// connection ran them and whenever. A task's status is an error only when the inspection cannot
// go on (the connection is lost); a failing query is a failed check (QueryFailed).
class Scans {
 public:
  using Task = std::function<Status(PgConnection&, VerifyReport*)>;

  // Adds a task. `weight` orders the start (heaviest first, ties in order added): a rough
  // count of the rows it reads.
  void Add(int64_t weight, Task task) { tasks_.push_back({weight, std::move(task)}); }

  // Runs every task on `connections` (the first is the caller's), then appends their checks to
  // `report`.
  Status Run(const std::vector<PgConnection*>& connections, VerifyReport* report) {
    std::vector<size_t> order(tasks_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return tasks_[a].weight > tasks_[b].weight; });
    std::vector<VerifyReport> found(tasks_.size());
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::vector<Status> statuses(connections.size());
    auto lane = [&](size_t c) {
      PgConnection& connection = *connections[c];
      Status status;
      while (status.ok() && !failed.load()) {
        const size_t n = next.fetch_add(1);
        if (n >= order.size()) break;
        status = tasks_[order[n]].run(connection, &found[order[n]]);
      }
      if (!status.ok()) failed = true;
      statuses[c] = std::move(status);
    };
    std::vector<std::thread> threads;
    for (size_t c = 1; c < connections.size(); ++c) threads.emplace_back(lane, c);
    lane(0);
    for (std::thread& thread : threads) thread.join();
    for (const Status& status : statuses) SF_RETURN_IF_ERROR(status);
    for (VerifyReport& slot : found) {
      for (CheckResult& check : slot.checks) report->checks.push_back(std::move(check));
    }
    tasks_.clear();
    return Status::Ok();
  }

 private:
  struct Entry {
    int64_t weight;
    Task run;
  };
  std::vector<Entry> tasks_;
};

int64_t RowsOf(const std::vector<TableState>& tables, const std::string& name) {
  for (const TableState& t : tables) {
    if (t.schema->name == name || t.schema->table.QualifiedName() == name) return t.rows;
  }
  return 0;
}

void CheckOrphans(const std::vector<TableSchema>& schemas, const std::vector<TableState>& tables,
                  Scans* scans) {
  // The table of `name` (a bare table name, or a referenced table's QualifiedName()) when it
  // exists, as SQL names it; "" otherwise.
  auto existing = [&](const std::string& name) -> std::string {
    for (const TableState& t : tables) {
      if (!t.exists) continue;
      if (t.schema->name == name || t.schema->table.QualifiedName() == name) {
        return t.schema->table.QualifiedName();
      }
    }
    return "";
  };
  for (const ForeignKey& key : ForeignKeysOf(schemas)) {
    const std::string table = existing(key.table);
    const std::string parent = existing(key.parent);
    if (table.empty() || parent.empty()) continue;
    const std::string subject = key.table + "." + key.column;
    const std::string column = QuoteIdentifier(key.column);
    const std::string sql = "SELECT count(*) FROM " + table + " c WHERE c." + column +
                            " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + parent + " p WHERE p." +
                            QuoteIdentifier(key.parent_column) + " = c." + column + ")";
    const std::string parent_name = key.parent;
    scans->Add(RowsOf(tables, key.table), [=](PgConnection& connection, VerifyReport* report) {
      auto orphans = connection.QueryInt(sql);
      if (QueryFailed(orphans.status(), report, "orphans", subject)) return Status::Ok();
      AddCheck(report, "orphans", subject, *orphans == 0,
               fmt::format("{} rows whose {} row is missing", *orphans, parent_name));
      return Status::Ok();
    });
  }
}

void CheckDuplicates(const std::vector<TableSchema>& schemas, const std::vector<TableState>& tables,
                     const std::set<std::string>& present, Scans* scans) {
  for (const UniqueKey& key : UniqueKeysOf(schemas)) {
    const auto found = std::find_if(tables.begin(), tables.end(), [&](const TableState& t) {
      return t.exists && t.schema->name == key.table;
    });
    if (found == tables.end()) continue;
    std::string columns;
    std::string quoted_columns;
    for (const std::string& column : key.columns) {
      columns += columns.empty() ? "" : ", ";
      columns += column;
      quoted_columns += quoted_columns.empty() ? "" : ", ";
      quoted_columns += QuoteIdentifier(column);
    }
    const std::string subject = key.table + "(" + columns + ")";
    if (present.count(key.constraint) > 0) {
      const std::string constraint = key.constraint;
      scans->Add(0, [=](PgConnection&, VerifyReport* report) {
        AddCheck(report, "duplicates", subject, true, "0 (enforced by " + constraint + ")");
        return Status::Ok();
      });
      continue;
    }
    const std::string sql =
        "SELECT coalesce(sum(n - 1), 0)::bigint FROM (SELECT count(*) AS n FROM " +
        found->schema->table.QualifiedName() + " GROUP BY " + quoted_columns +
        " HAVING count(*) > 1) d";
    scans->Add(found->rows, [=](PgConnection& connection, VerifyReport* report) {
      auto duplicates = connection.QueryInt(sql);
      if (QueryFailed(duplicates.status(), report, "duplicates", subject)) return Status::Ok();
      AddCheck(report, "duplicates", subject, *duplicates == 0,
               fmt::format("{} duplicate rows", *duplicates));
      return Status::Ok();
    });
  }
}

// What verify compares against: the plan `seed` would make. The generated rows are hashed up to
// the target: rows of a larger earlier target, fixtures and rows an application inserted are
// outside the fingerprint.
struct VerifyPlan {
  std::vector<TableState> tables;
  std::vector<TableContents> contents;
  std::vector<int64_t> hashed;  // generated rows fingerprinted per table
  bool all_exist = true;
  bool foreign_rows = false;  // some table holds rows seedforge did not make
  std::shared_ptr<const GenerationModel> model;
  std::shared_ptr<const GenerationPlan> generation;
};

// Reads what every table holds, adds one "table" check per table and builds the generators'
// configuration (with the recorded history, so rows topped up after their parents grew are
// expected with the counts of their run).
StatusOr<VerifyPlan> PlanVerify(PgConnection& connection, const Profile& profile,
                                const DatabaseStats& stats, VerifyReport* report) {
  VerifyPlan plan;
  const std::vector<TableSchema>& schemas = profile.schemas();
  const size_t count = stats.tables.size();
  plan.contents.resize(count);
  plan.hashed.assign(count, 0);
  std::vector<int64_t> generated(count, 0);
  std::vector<int64_t> to_write(count, 0);
  for (size_t i = 0; i < count; ++i) {
    SF_ASSIGN_OR_RETURN(plan.contents[i], ReadTableContents(connection, schemas[i]));
    generated[i] = plan.contents[i].generated;
    // As seed plans it: rows of any origin (fixtures, the application's) count toward the target.
    to_write[i] = std::max<int64_t>(0, stats.tables[i].target - plan.contents[i].rows);
  }
  // A table whose count the model derives from its parents is expected at that count.
  std::vector<int64_t> final_counts;
  const std::vector<std::optional<int64_t>> derived =
      ApplyDerivedCounts(*profile.model, profile.seed, generated, &to_write, &final_counts);
  for (size_t i = 0; i < count; ++i) {
    TableStats table = stats.tables[i];
    table.target = derived[i].value_or(table.target);
    plan.tables.push_back(TableState{&schemas[i], table.exists, table.rows, table.target});
    const TableContents& contents = plan.contents[i];
    plan.hashed[i] = std::min(contents.generated, table.target);
    plan.foreign_rows = plan.foreign_rows || contents.rows != contents.generated;
    plan.all_exist = plan.all_exist && table.exists;
    if (!table.exists) {
      AddCheck(report, "table", table.table, false, "absent");
    } else if (table.rows < table.target) {
      AddCheck(report, "table", table.table, false,
               fmt::format("{} rows, below the target {}", table.rows, table.target));
    } else {
      AddCheck(report, "table", table.table, true,
               fmt::format("{} rows, target {}", table.rows, table.target));
    }
  }
  SF_RETURN_IF_ERROR(
      profile.model->CheckCounts(final_counts).WithContext("profile " + profile.name));
  auto generation = std::make_shared<GenerationPlan>(MakeGenerationPlan(profile, final_counts));
  ApplyHistory(plan.contents, /*planned=*/{}, generation.get());
  plan.generation = std::move(generation);
  plan.model = profile.model;
  return plan;
}

// The fingerprints the generators give for the plan's tables (absent tables stay empty).
void ComputeExpectedFingerprints(const VerifyPlan& plan, int threads,
                                 std::vector<Fingerprint>* expected) {
  const auto generators = plan.model->MakeGenerators(plan.generation);
  for (size_t i = 0; i < plan.tables.size(); ++i) {
    if (!plan.tables[i].exists) continue;
    (*expected)[i] = ExpectedFingerprint(*generators[i], plan.hashed[i], threads);
  }
}

}  // namespace

std::string ProfileCheckSql(const ProfileCheck& check, const Profile& profile) {
  std::string sql = check.sql;
  ReplaceAll(sql, "$WINDOW_START", TimestampLiteral(profile.window_start_micros));
  ReplaceAll(sql, "$WINDOW_END", TimestampLiteral(profile.window_end_micros));
  return sql;
}

namespace {

// The profile's own rules ("checks"): each query counts the rows that break it, in a read-only
// transaction (a check cannot change data, whoever wrote it). The rules hold for the rows
// seedforge generated: when other rows are present (fixtures, rows of the application),
// temporary views of the tables' names show the checks only generated rows (the session's
// temporary schema comes first in the search path), made before each check and dropped after it,
// so that the other scans of its connection see the tables.
Status CheckProfileRules(PgConnection& connection, const Profile& profile, const VerifyPlan& plan,
                         Scans* scans) {
  if (profile.checks.empty()) return Status::Ok();
  if (!plan.all_exist) {
    scans->Add(0, [](PgConnection&, VerifyReport* report) {
      AddCheck(report, "check", "all checks", false, "not run: a table is absent");
      return Status::Ok();
    });
    return Status::Ok();
  }
  std::string views;
  std::string drop;
  if (plan.foreign_rows) {
    SF_ASSIGN_OR_RETURN(const std::string schema, connection.QueryValue("SELECT current_schema()"));
    for (size_t i = 0; i < profile.schemas().size(); ++i) {
      const TableSchema& table = profile.schemas()[i];
      const std::string name = connection.QuoteIdentifier(table.name);
      views += "CREATE TEMPORARY VIEW " + name + " AS SELECT * FROM " +
               connection.QuoteIdentifier(schema) + "." + name + " WHERE " +
               GeneratedIdCondition(plan.contents[i], plan.contents[i].generated, table) + ";\n";
      drop += "DROP VIEW pg_temp." + name + ";\n";
    }
  }
  for (const ProfileCheck& check : profile.checks) {
    const std::string sql = "SELECT (" + ProfileCheckSql(check, profile) + ")::bigint";
    // Heaviest first: the largest table the query names.
    int64_t weight = 0;
    for (const TableState& table : plan.tables) {
      if (sql.find(table.schema->name) != std::string::npos) {
        weight = std::max(weight, table.rows);
      }
    }
    const std::string name = check.name;
    scans->Add(weight, [=](PgConnection& on, VerifyReport* report) {
      if (!views.empty()) SF_RETURN_IF_ERROR(on.Execute(views).WithContext("scoping the checks"));
      SF_RETURN_IF_ERROR(on.Execute("BEGIN TRANSACTION READ ONLY"));
      auto violations = on.QueryInt(sql);
      SF_RETURN_IF_ERROR(on.Execute("ROLLBACK"));
      if (!drop.empty()) SF_RETURN_IF_ERROR(on.Execute(drop));
      if (QueryFailed(violations.status(), report, "check", name)) return Status::Ok();
      AddCheck(report, "check", name, *violations == 0,
               fmt::format("{} rows break it", *violations));
      return Status::Ok();
    });
  }
  return Status::Ok();
}

// The fingerprints the server computes for the plan's tables, as scans that fill `found`: nullopt
// for an absent table or one whose query failed (that failure is a check of its own).
void ServerFingerprints(const VerifyPlan& plan, std::vector<std::optional<Fingerprint>>* found,
                        Scans* scans) {
  found->assign(plan.tables.size(), std::nullopt);
  for (size_t i = 0; i < plan.tables.size(); ++i) {
    const TableState& table = plan.tables[i];
    if (!table.exists) continue;
    const std::string condition =
        GeneratedIdCondition(plan.contents[i], plan.hashed[i], *table.schema);
    scans->Add(table.rows,
               [&plan, found, i, condition](PgConnection& connection, VerifyReport* report) {
                 const TableSchema& schema = *plan.tables[i].schema;
                 auto fingerprint = ServerFingerprint(connection, schema, condition);
                 if (QueryFailed(fingerprint.status(), report, "fingerprint", schema.name)) {
                   return Status::Ok();
                 }
                 (*found)[i] = *fingerprint;
                 return Status::Ok();
               });
  }
}

// The checks that run on the server: constraints (on `connections[0]`), then as scans on every
// connection at once orphans, duplicates, the profile's checks and, with `found`, the tables'
// fingerprints.
Status RunServerChecks(const std::vector<PgConnection*>& connections, const Profile& profile,
                       const VerifyPlan& plan, std::vector<std::optional<Fingerprint>>* found,
                       VerifyReport* report) {
  PgConnection& connection = *connections.front();
  std::set<std::string> present;
  SF_RETURN_IF_ERROR(CheckConstraints(connection, plan.tables, &present, report));
  Scans scans;
  CheckOrphans(profile.schemas(), plan.tables, &scans);
  CheckDuplicates(profile.schemas(), plan.tables, present, &scans);
  SF_RETURN_IF_ERROR(CheckProfileRules(connection, profile, plan, &scans));
  if (found != nullptr) ServerFingerprints(plan, found, &scans);
  return scans.Run(connections, report);
}

// One "fingerprint" check and one TableFingerprintResult per table the server fingerprinted.
void CompareFingerprints(const VerifyPlan& plan, const std::vector<Fingerprint>& expected,
                         const std::vector<std::optional<Fingerprint>>& found,
                         VerifyReport* report) {
  for (size_t i = 0; i < plan.tables.size(); ++i) {
    if (!found[i].has_value()) continue;
    TableFingerprintResult& result = report->fingerprints.emplace_back();
    result.table = plan.tables[i].schema->name;
    result.expected = expected[i];
    result.found = *found[i];
    result.compared = true;
    const bool match = result.expected == result.found;
    AddCheck(report, "fingerprint", result.table, match,
             match ? fmt::format("{} over {} rows", result.expected.HashHex(), result.expected.rows)
                   : fmt::format("expected {} over {} rows, found {} over {} rows",
                                 result.expected.HashHex(), result.expected.rows,
                                 result.found.HashHex(), result.found.rows));
  }
}

}  // namespace

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
  SF_ASSIGN_OR_RETURN(const VerifyPlan plan, PlanVerify(connection, profile, stats, &report));

  // The expected fingerprints, computed meanwhile on another thread: `expected` is written only by
  // it and read only after it was joined.
  std::vector<Fingerprint> expected(plan.tables.size());
  std::thread generating;
  if (options.fingerprints) {
    generating =
        std::thread([&] { ComputeExpectedFingerprints(plan, options.threads, &expected); });
  }
  struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_on_exit{generating};

  // The other connections; fewer when the server refuses more.
  std::vector<std::unique_ptr<PgConnection>> extra;
  std::vector<PgConnection*> connections = {&connection};
  for (int c = 1; c < options.connections && !options.conninfo.empty(); ++c) {
    auto opened = PgConnection::Connect(options.conninfo);
    if (!opened.ok() || !PrepareInspectSession(**opened).ok()) break;
    extra.push_back(std::move(opened).value());
    connections.push_back(extra.back().get());
  }
  std::vector<std::optional<Fingerprint>> found;
  SF_RETURN_IF_ERROR(RunServerChecks(connections, profile, plan,
                                     options.fingerprints ? &found : nullptr, &report));
  if (options.fingerprints) {
    generating.join();
    CompareFingerprints(plan, expected, found, &report);
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
