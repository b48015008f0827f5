// `seedforge init --db URL` (or `--ddl FILE...`): reads a schema and writes a profile that
// declares it (tools/infer_profile.h does the inference). With --db it only reads and never
// creates or starts the embedded cluster; with --ddl the files are applied to a scratch database
// that is dropped afterwards (tools/ddl_schema.h). The profile goes to --out through an atomic
// file (or to stdout), so a failure leaves nothing written.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>
#include <memory>

#include "cli/cli.h"
#include "core/atomic_output_file.h"
#include "sinks/postgres/catalog.h"
#include "sinks/postgres/connection.h"
#include "tools/ddl_schema.h"
#include "tools/infer_profile.h"

namespace seedforge::cli {
namespace {

struct InitOptions {
  std::string db;
  std::string home = ".seedforge";
  std::vector<std::string> schemas;
  std::vector<std::string> tables;
  std::vector<std::string> exclude;
  std::vector<std::string> ddl;  // --ddl: SQL files or folders instead of a live database
  int64_t rows = 1000;
  std::string out;
  bool quiet = false;
};

// The schemas init reads: --schema, else those of the connection's search_path (but
// seedforge's). The sink finds existing tables through the search_path, so a schema outside it
// is refused, saying how to add it.
StatusOr<std::vector<std::string>> SchemasToRead(PgConnection& connection,
                                                 const std::vector<std::string>& given) {
  SF_ASSIGN_OR_RETURN(
      QueryResult result,
      connection.Query("SELECT s FROM unnest(pg_catalog.current_schemas(false)) s WHERE s <> "
                       "'seedforge'"));
  std::vector<std::string> on_path;
  std::string path;
  for (const auto& row : result.rows) {
    on_path.push_back(*row[0]);
    path += (path.empty() ? "" : ",") + *row[0];
  }
  if (given.empty()) return on_path;
  for (const std::string& schema : given) {
    if (std::find(on_path.begin(), on_path.end(), schema) != on_path.end()) continue;
    SF_ASSIGN_OR_RETURN(QueryResult exists,
                        connection.QueryOne("SELECT 1 FROM pg_catalog.pg_namespace WHERE "
                                            "nspname = $1",
                                            {schema}));
    if (exists.rows.empty()) {
      return InvalidArgument("--schema " + schema + ": the database has no such schema");
    }
    return InvalidArgument("--schema " + schema +
                           ": the schema is not on the connection's search_path (" + path +
                           "), through which seedforge finds existing tables; add it, e.g. "
                           "options=-csearch_path%3D" +
                           (path.empty() ? "" : path + ",") + schema + " in the --db URI");
  }
  return given;
}

// Every enum type's labels in sort order, by its name as format_type() prints it with
// search_path = pg_catalog (as the catalog reader prints column types).
StatusOr<std::map<std::string, std::vector<std::string>>> EnumLabels(PgConnection& connection) {
  SF_ASSIGN_OR_RETURN(std::string previous,
                      connection.QueryValue("SELECT pg_catalog.current_setting('search_path')"));
  SF_RETURN_IF_ERROR(connection.Execute("SET search_path = pg_catalog"));
  auto result = connection.Query(
      "SELECT format_type(t.oid, NULL), e.enumlabel FROM pg_type t JOIN pg_enum e ON "
      "e.enumtypid = t.oid ORDER BY t.oid, e.enumsortorder");
  SF_RETURN_IF_ERROR(connection.Execute(
      "SELECT pg_catalog.set_config('search_path', " +
      connection.QuoteLiteral(previous.empty() ? "\"\"" : previous) + ", false)"));
  if (!result.ok()) return result.status();
  std::map<std::string, std::vector<std::string>> labels;
  for (const auto& row : result->rows) labels[*row[0]].push_back(*row[1]);
  return labels;
}

// The views, materialized views and foreign tables of `schemas` that the patterns select: init
// declares tables only, and the summary says which relations it passed over.
StatusOr<std::string> SkippedRelations(PgConnection& connection,
                                       const std::vector<std::string>& schemas,
                                       const InferOptions& options) {
  std::string array;
  for (const std::string& schema : schemas) {
    array += (array.empty() ? "" : ",") + std::string("\"");
    for (const char c : schema)
      array += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    array += "\"";
  }
  SF_ASSIGN_OR_RETURN(
      QueryResult result,
      connection.QueryOne("SELECT n.nspname, c.relname, CASE c.relkind WHEN 'v' THEN 'view' WHEN "
                          "'m' THEN 'materialized view' ELSE 'foreign table' END FROM "
                          "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                          "c.relnamespace WHERE c.relkind IN ('v', 'm', 'f') AND n.nspname = ANY "
                          "($1::text[]) ORDER BY 1, 2",
                          {"{" + array + "}"}));
  std::string skipped;
  for (const auto& row : result.rows) {
    TableDef relation;
    relation.schema = *row[0];
    relation.name = *row[1];
    bool selected = options.tables.empty();
    for (const std::string& pattern : options.tables) {
      selected = selected || TableMatches(pattern, relation);
    }
    for (const std::string& pattern : options.exclude) {
      selected = selected && !TableMatches(pattern, relation);
    }
    if (selected) {
      skipped += (skipped.empty() ? "" : ", ") + relation.QualifiedName() + " (" + *row[2] + ")";
    }
  }
  return skipped;
}

struct Inferred {
  InferredProfile profile;
  std::string skipped;  // the relations init passed over, for the summary
};

// Reads the schema behind `db` and infers the profile (`infer.source` set by the caller).
StatusOr<Inferred> InferFrom(PgConnection& db, const InitOptions& options,
                             const InferOptions& infer) {
  SF_ASSIGN_OR_RETURN(const std::vector<std::string> schemas, SchemasToRead(db, options.schemas));
  SF_ASSIGN_OR_RETURN(const std::vector<TableDef> tables,
                      ReadTables(db, schemas, TableKinds::kOrdinaryAndPartitioned));
  SF_ASSIGN_OR_RETURN(const auto labels, EnumLabels(db));
  Inferred inferred;
  SF_ASSIGN_OR_RETURN(inferred.profile, InferProfile(tables, labels, infer));
  SF_ASSIGN_OR_RETURN(inferred.skipped, SkippedRelations(db, schemas, infer));
  return inferred;
}

}  // namespace

StatusOr<Profile> InferDatabaseProfile(PgConnection& connection, int64_t rows) {
  InitOptions options;
  InferOptions infer;
  infer.rows = rows;
  infer.name = "from-schema";
  SF_ASSIGN_OR_RETURN(const std::string database,
                      connection.QueryValue("SELECT current_database()"));
  infer.source = "the schema of database " + database;
  SF_RETURN_IF_ERROR(infer.Validate());
  SF_ASSIGN_OR_RETURN(const Inferred inferred, InferFrom(connection, options, infer));
  SF_ASSIGN_OR_RETURN(
      Profile profile,
      ParseProfile(inferred.profile.json, "the profile inferred from " + infer.source, ""));
  profile.source = kFromSchemaSource;
  return profile;
}

namespace {

int RunInit(const InitOptions& options) {
  InferOptions infer;
  infer.rows = options.rows;
  infer.tables = options.tables;
  infer.exclude = options.exclude;
  if (!options.out.empty()) {
    std::string stem = options.out.substr(options.out.find_last_of('/') + 1);
    if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".json") stem.resize(stem.size() - 5);
    if (!stem.empty()) infer.name = stem;
  }
  if (Status valid = infer.Validate(); !valid.ok()) return Fail(valid);
  if (!options.out.empty()) {
    if (Status writable = AtomicOutputFile::CheckWritable(options.out); !writable.ok()) {
      return Fail(writable);
    }
  }
  Inferred inferred;
  std::string read_from;  // the summary's first line
  if (!options.ddl.empty()) {
    auto files = ReadDdlFiles(options.ddl);
    if (!files.ok()) return Fail(files.status());
    std::string names;
    for (const DdlFile& file : *files) {
      const std::string name = file.path.substr(file.path.find_last_of('/') + 1);
      names += (names.empty() ? "" : ", ") + name;
    }
    infer.source = (files->size() == 1 ? "schema file " : "schema files ") + names;
    read_from = infer.source;
    // A scratch database is written: the embedded cluster may be started for it.
    std::optional<ClusterInfo> embedded;
    auto url = ResolveDatabase(options.db, options.home, options.quiet, &embedded);
    if (!url.ok()) return Fail(url.status());
    Status status = WithDdlDatabase(*url, *files, [&](PgConnection& db) -> Status {
      SF_ASSIGN_OR_RETURN(inferred, InferFrom(db, options, infer));
      return Status::Ok();
    });
    if (!status.ok()) return Fail(status);
  } else {
    auto url = ResolveRunningDatabase(options.db, options.home, "init");
    if (!url.ok()) return Fail(url.status());
    auto connection = PgConnection::Connect(*url);
    if (!connection.ok()) {
      return Fail(connection.status().WithContext(RedactConnectionString(*url)));
    }
    auto database = (*connection)->QueryValue("SELECT current_database()");
    if (!database.ok()) return Fail(database.status());
    infer.source = "the schema of database " + *database;
    read_from = "database " + *database;
    auto result = InferFrom(**connection, options, infer);
    if (!result.ok()) return Fail(result.status());
    inferred = std::move(*result);
  }
  const InferredProfile& profile = inferred.profile;
  if (options.out.empty()) {
    std::fputs(profile.json.c_str(), stdout);
    if (Status flushed = FlushStdout(); !flushed.ok()) return Fail(flushed);
  } else if (Status written = WriteFileAtomically(options.out, profile.json); !written.ok()) {
    return Fail(written);
  }
  if (!options.quiet) {
    std::string summary;
    for (const std::string& line : profile.summary) summary += "  " + line + "\n";
    if (!inferred.skipped.empty()) {
      summary += "  not declared (init declares tables only): " + inferred.skipped + "\n";
    }
    const std::string written = options.out.empty() ? "" : ", profile written to " + options.out;
    std::fprintf(stderr, "seedforge: init: %s%s\n%s", Redact(read_from).c_str(),
                 Redact(written).c_str(), Redact(summary).c_str());
  }
  return 0;
}

}  // namespace

void AddInitCommands(CLI::App& app, std::vector<Command>* commands) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* init = app.add_subcommand(
      "init", "Read a database's schema and write a profile that declares its tables");
  AddConnectionOptions(init, &options->db, &options->home);
  init->add_option("--schema", options->schemas,
                   "Read only this schema (repeatable; default: the schemas of the "
                   "connection's search_path)")
      ->take_all();
  init->add_option("--table", options->tables,
                   "Declare only tables matching this name or glob, also as schema.name "
                   "(repeatable)")
      ->take_all();
  init->add_option("--exclude", options->exclude,
                   "Leave out tables matching this name or glob (repeatable)")
      ->take_all();
  init->add_option("--ddl", options->ddl,
                   "Read the schema from these SQL files or folders of migrations (*.sql in "
                   "name order), applied to a scratch database on the --db server (default: "
                   "DATABASE_URL, then the embedded cluster) and dropped")
      ->take_all();
  init->add_option("--rows", options->rows,
                   "Target rows of the tables that are no table's children")
      ->capture_default_str();
  init->add_option("--out", options->out, "Write the profile to this file (default: stdout)");
  init->add_flag("--quiet,-q", options->quiet, "Print no summary");
  commands->push_back({init, [options] { return RunInit(*options); }});
}

}  // namespace seedforge::cli
