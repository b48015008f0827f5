// Inferring a profile from catalog tables (see infer_profile.h).
//
// The work runs in passes over the selected tables, each able to stop with one line naming the
// table: the shape (one integer primary key, besides a partitioned table's key columns), the
// partitions (whose bounds limit the key like CHECKs), the foreign keys (which
// become references, which are left NULL because the engine cannot follow them, and which
// cycles are broken through a nullable edge), the load order and the parent of each child
// table, the CHECKs (parsed into per-column bounds), then one spec per column. A column's spec
// comes from the first rule of kNameRules whose name pattern and type class match, narrowed by
// its bounds, else from its type; a unique column gets an injective generator. Text generators
// are sized by compiling them (generators/values RowProgram reports the longest text), so a
// varchar(n) gets only what fits. The result is compiled as a whole with
// CompileDeclaredTables before it is returned: a profile InferProfile gives always loads.
//
// The output is built from the catalog's order alone (ReadTables sorts by schema and name), so
// the same schema always gives the same bytes.
#include "tools/infer_profile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "core/civil_time.h"
#include "core/sql_type.h"
#include "engine/json_text.h"
#include "generators/declared/declared_tables.h"
#include "generators/values/row_program.h"
#include "tools/check_forms.h"

namespace seedforge {
namespace {

// --- Small text helpers ------------------------------------------------------------------------

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool Glob(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// True when `name` matches one of the '|'-separated globs of `patterns`.
bool MatchesAny(std::string_view patterns, std::string_view name) {
  size_t start = 0;
  while (start <= patterns.size()) {
    size_t end = patterns.find('|', start);
    if (end == std::string_view::npos) end = patterns.size();
    if (Glob(patterns.substr(start, end - start), name)) return true;
    start = end + 1;
  }
  return false;
}

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

// `unscaled` / 10^scale as decimal text: (9999999999, 2) is "99999999.99".
std::string DecimalText(int64_t unscaled, int scale) {
  std::string digits = std::to_string(unscaled < 0 ? -unscaled : unscaled);
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale) {
      digits.insert(0, static_cast<size_t>(scale + 1) - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (unscaled < 0 ? "-" : "") + digits;
}

int64_t PowerOfTen(int exponent) {
  int64_t value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

// The type as a profile spells it: format_type()'s text with the short names (varchar(80),
// timestamptz) and without "public." (the tables of schema public are declared without one).
std::string ProfileType(std::string text) {
  auto replace = [&](std::string_view from, std::string_view to) {
    const size_t at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
  };
  if (text.rfind("public.", 0) == 0) text.erase(0, 7);
  replace("character varying", "varchar");
  if (text.rfind("character", 0) == 0) text.replace(0, 9, "char");
  if (text.rfind("timestamp", 0) == 0 && text.find(" with time zone") != std::string::npos) {
    replace(" with time zone", "");
    text.replace(0, 9, "timestamptz");
  }
  replace(" without time zone", "");
  return text;
}

// --- The name rules ---------------------------------------------------------------------------

// Which column types a rule applies to.
enum class TypeClass { kText, kNumber, kInteger, kTime, kBool };

enum class RuleKind {
  kEmail,
  kFirstName,
  kLastName,
  kFullName,
  kUsername,
  kPhone,
  kUrl,
  kStreet,
  kCity,
  kCountry,
  kPostalCode,
  kCompany,
  kTitle,
  kDescription,
  kName,
  kMoney,
  kQuantity,
  kCount,
  kCreatedTime,
  kLaterTime,
  kFlagMostlyTrue,
  kFlagMostlyFalse,
  kFlag,
  kStatus,
  kKind,
  kRole,
  kPriority,
};

struct NameRule {
  std::string_view patterns;  // globs on the lower-case column name, '|'-separated
  TypeClass type;
  RuleKind kind;
};

// The one table of name rules: the first match wins. README.md ("seedforge init") lists it.
constexpr NameRule kNameRules[] = {
    {"email|e_mail|*_email|email_address", TypeClass::kText, RuleKind::kEmail},
    {"first_name|firstname|given_name|forename|fname", TypeClass::kText, RuleKind::kFirstName},
    {"last_name|lastname|surname|family_name|lname", TypeClass::kText, RuleKind::kLastName},
    {"full_name|fullname|display_name|displayname|contact_name|author_name|customer_name|"
     "owner_name|*_full_name",
     TypeClass::kText, RuleKind::kFullName},
    {"username|user_name|login|handle|nickname", TypeClass::kText, RuleKind::kUsername},
    {"phone|*_phone|phone_*|mobile|telephone|fax", TypeClass::kText, RuleKind::kPhone},
    {"url|*_url|website|homepage|link", TypeClass::kText, RuleKind::kUrl},
    {"address|street|street_address|address_line*|address1|address2|billing_address|"
     "shipping_address",
     TypeClass::kText, RuleKind::kStreet},
    {"city|town", TypeClass::kText, RuleKind::kCity},
    {"country|country_name", TypeClass::kText, RuleKind::kCountry},
    {"postal_code|postcode|zip|zip_code|zipcode", TypeClass::kText, RuleKind::kPostalCode},
    {"company|company_name|organization|organisation|employer|publisher|manufacturer|vendor|"
     "supplier",
     TypeClass::kText, RuleKind::kCompany},
    {"title|subject|headline|heading", TypeClass::kText, RuleKind::kTitle},
    {"description|body|content|comment|comments|note|notes|bio|summary|message|details|remarks",
     TypeClass::kText, RuleKind::kDescription},
    {"name", TypeClass::kText, RuleKind::kName},
    {"price|*_price|amount|*_amount|amount_*|cost|*_cost|total|*_total|subtotal|fee|*_fee|balance|"
     "salary",
     TypeClass::kNumber, RuleKind::kMoney},
    {"quantity|qty|*_quantity|*_qty|units|stock", TypeClass::kNumber, RuleKind::kQuantity},
    {"count|*_count|num_*", TypeClass::kInteger, RuleKind::kCount},
    {"created_at|created|created_on|inserted_at|creation_date|date_created", TypeClass::kTime,
     RuleKind::kCreatedTime},
    {"*_at|*_date|*_on|*_time", TypeClass::kTime, RuleKind::kLaterTime},
    {"is_active|active|enabled|is_enabled|verified|is_verified|published|is_published|visible|"
     "is_visible",
     TypeClass::kBool, RuleKind::kFlagMostlyTrue},
    {"is_deleted|deleted|archived|is_archived|blocked|is_blocked", TypeClass::kBool,
     RuleKind::kFlagMostlyFalse},
    {"is_*|has_*|can_*|*_flag", TypeClass::kBool, RuleKind::kFlag},
    {"status|*_status|state", TypeClass::kText, RuleKind::kStatus},
    {"type|*_type|kind|category", TypeClass::kText, RuleKind::kKind},
    {"role|*_role", TypeClass::kText, RuleKind::kRole},
    {"priority|level|severity", TypeClass::kText, RuleKind::kPriority},
};

// The patterns of the rule of `kind`.
std::string_view PatternsOf(RuleKind kind) {
  for (const NameRule& rule : kNameRules) {
    if (rule.kind == kind) return rule.patterns;
  }
  return "";
}

bool InClass(const SqlType& type, TypeClass type_class) {
  if (type.array) return false;
  switch (type_class) {
    case TypeClass::kText:
      return type.kind == SqlTypeKind::kText || type.kind == SqlTypeKind::kVarchar ||
             type.kind == SqlTypeKind::kChar;
    case TypeClass::kNumber:
      return IntegerRangeOf(type).has_value() || type.kind == SqlTypeKind::kNumeric ||
             type.kind == SqlTypeKind::kReal || type.kind == SqlTypeKind::kDoublePrecision;
    case TypeClass::kInteger:
      return IntegerRangeOf(type).has_value();
    case TypeClass::kTime:
      return type.kind == SqlTypeKind::kTimestamp || type.kind == SqlTypeKind::kTimestampTz ||
             type.kind == SqlTypeKind::kDate;
    case TypeClass::kBool:
      return type.kind == SqlTypeKind::kBoolean;
  }
  return false;
}

bool IsTimestamp(const SqlType& type) {
  return !type.array &&
         (type.kind == SqlTypeKind::kTimestamp || type.kind == SqlTypeKind::kTimestampTz);
}

// --- Per-table plans --------------------------------------------------------------------------

// A column of the profile: its spec's members after "type" and what the summary says.
struct Candidate {
  std::string members;  // "\"gen\": \"email\"" ...
  std::string what;     // "e-mail (name)"
  bool injective = false;
  bool fallback = false;
};

struct ColumnPlan {
  std::string name;
  std::string type;     // as the profile spells it
  std::string members;  // "" when left to the server
  std::string what;
  bool fallback = false;
};

// A foreign key of a selected table.
struct Edge {
  const ConstraintDef* constraint = nullptr;
  // The column that holds the reference: the key's one column, or of a composite key the one
  // that refers to the target's id (the others are `lookups`).
  std::string column;
  // A composite key (tenant_id, product_id) -> products (tenant_id, id): the other columns,
  // each copied from the referenced row's column, as (column, target column).
  std::vector<std::pair<std::string, std::string>> lookups;
  int target = -1;   // selected table index
  bool live = true;  // a reference; false: its columns are left NULL (`why`)
  std::string why;
  bool nullable = false;
  bool deferrable = false;
  // A live NOT NULL DEFERRABLE reference that breaks a cycle: its table loads before the one it
  // refers to, and the key waits for the end of the load.
  bool forward = false;
  std::string cycle;  // of a forward edge that is not DEFERRABLE: the cycle it breaks
  std::string on_delete;
};

struct TablePlan {
  const TableDef* def = nullptr;
  std::string key;       // the table as the profile names it
  std::string id;        // the primary key column
  bool uuid_id = false;  // the id is a uuid (core/uuid_id.h)
  // No id: the primary key is not one integer or uuid column (or there is none); the profile
  // declares it as "primary_key" (primary_key_columns, empty for none).
  bool no_id = false;
  std::vector<std::string> primary_key_columns;
  // Columns a composite foreign key copies from its referenced row: column -> (the reference
  // column, the referenced table's column).
  std::map<std::string, std::pair<std::string, std::string>> copied;
  // A constraint made by construction: a unique key, or the primary key of a table without id.
  bool IsKey(const ConstraintDef& constraint) const {
    return constraint.type == 'u' || constraint.type == 'i' || (constraint.type == 'p' && no_id);
  }
  // Composite unique indexes of plain columns that no constraint owns, as keys of type 'i' (the
  // index enforces them; the profile does not declare them as constraints).
  std::vector<ConstraintDef> index_keys;
  // Every key made by construction: IsKey constraints, then index_keys.
  std::vector<const ConstraintDef*> Keys() const {
    std::vector<const ConstraintDef*> keys;
    for (const ConstraintDef& constraint : def->constraints) {
      if (IsKey(constraint)) keys.push_back(&constraint);
    }
    for (const ConstraintDef& index_key : index_keys) keys.push_back(&index_key);
    return keys;
  }
  std::vector<Edge> edges;
  int parent_edge = -1;  // per-parent on this edge
  // A unique key of two references to one other table: a `pair` (first < second).
  std::string pair_first, pair_second;
  std::string index_column;
  std::string distinct_column;  // a ref distinct under the parent (a key (parent, it))
  int64_t per_min = 1, per_max = 3;
  double row_bound = 0;  // most rows a seed of the profile gives the table
  // Columns left to the server for a reason ReadChecks found (a domain CHECK init cannot
  // satisfy, on a nullable or defaulted column): column -> the reason.
  std::map<std::string, std::string> left_to_server;
  std::map<std::string, ColumnBounds> bounds;
  std::vector<ColumnOrder> orders;
  std::set<std::string> unique_columns;  // single-column unique constraints
  std::set<std::string> unique_indexed;  // single-column unique indexes (not constraints)
  std::vector<std::vector<std::string>> unique_keys;  // composite unique constraints
  std::vector<ColumnPlan> columns;
  // A range-partitioned table's time key: the column and [from, to) of the partitions its rows
  // land in (Unix microseconds).
  std::string partition_time;
  int64_t partition_from = 0, partition_to = 0;
};

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& column : columns) out += (out.empty() ? "" : ", ") + column;
  return out;
}

class Inference {
 public:
  Inference(const std::map<std::string, std::vector<std::string>>& enum_labels,
            const InferOptions& options)
      : enum_labels_(enum_labels), options_(options) {}

  StatusOr<InferredProfile> Run(const std::vector<TableDef>& tables);

 private:
  Status Fail(const TablePlan& table, const std::string& reason) const {
    const bool sentence = reason.rfind("is ", 0) == 0 || reason.rfind("has ", 0) == 0;
    return InvalidArgument("table " + table.def->QualifiedName() + (sentence ? " " : ": ") +
                           reason + " (exclude the table with --exclude " + table.def->name + ")");
  }
  // The user triggers of the selected tables: the tables their functions insert into are taken
  // out of `tables` (a trigger fills them), the columns they UPDATE are kept for PlanColumns,
  // and what they do goes into trigger_lines_ for the summary.
  void ReadTriggers(const std::vector<TableDef>& defs, std::vector<TablePlan>* tables);
  Status ReadShape(TablePlan* table);
  Status ReadForeignKeys(std::vector<TablePlan>* tables);
  Status BreakCycles(std::vector<TablePlan>* tables);
  std::vector<int> LoadOrder(const std::vector<TablePlan>& tables) const;
  Status ChooseParent(TablePlan* table, const std::vector<TablePlan>& tables);
  Status ReadChecks(TablePlan* table);
  // A partitioned table's bounds: a list key's values and a numeric range key's bounds go into
  // the column's bounds as CHECKs would, a time range key into partition_time; the summary
  // names the partitions that take rows.
  Status ReadPartitions(TablePlan* table);
  // A partition's own constraints: a CHECK bounds the table's column, a nullable foreign key
  // leaves its columns NULL; other keys are refused.
  Status ReadPartitionConstraints(TablePlan* table, const PartitionDef& partition);
  // The time key of a range-partitioned table drawn inside its partitions' range.
  void PlanPartitionTime(TablePlan* table);
  Status PlanColumns(TablePlan* table, const std::vector<TablePlan>& tables);
  Status PlanCompositeKeys(TablePlan* table);
  StatusOr<Candidate> ValueSpec(const TablePlan& table, const ColumnDef& column,
                                const SqlType& type, bool unique, bool declared_unique);
  std::optional<Candidate> NameRuleSpec(const TablePlan& table, const ColumnDef& column,
                                        const SqlType& type, const NameRule& rule);
  std::optional<Candidate> TypeSpec(const TablePlan& table, const ColumnDef& column,
                                    const SqlType& type, bool unique, bool declared_unique);
  std::optional<Candidate> InjectiveText(const TablePlan& table, const ColumnDef& column,
                                         const SqlType& type, bool declared_unique);
  // True when every value of `members` (a spec of column `column`) fits `type`'s length and
  // the column's length bounds. Compiles the spec with the table's columns planned so far.
  bool TextFits(const TablePlan& table, const std::string& column, const std::string& members,
                const SqlType& type);
  Status ApplyOrders(TablePlan* table);
  std::string EmitProfile(const std::vector<TablePlan>& tables, const std::vector<int>& order,
                          std::string* tables_json, std::string* types_json) const;

  const std::map<std::string, std::vector<std::string>>& enum_labels_;
  const InferOptions& options_;
  std::set<std::string> used_enums_;  // format_type names of the enums the profile declares
  // (table, column) that a trigger on another table UPDATEs: "trigger T on S".
  std::map<std::pair<const TableDef*, std::string>, std::string> maintained_;
  std::vector<std::string> trigger_lines_;    // the summary's lines on triggers
  std::vector<std::string> partition_lines_;  // the summary's lines on partitioned tables
};

// The table of `defs` a trigger function names `name` ("t" or "s.t", unquoted parts): a
// qualified name exactly, else the table of that name in the trigger's table's schema, else the
// first of that name; nullptr when none (a table init does not read).
const TableDef* NamedTable(const std::vector<TableDef>& defs, const std::string& name,
                           const TableDef& on) {
  const size_t dot = name.find('.');
  if (dot != std::string::npos) {
    for (const TableDef& def : defs) {
      if (def.schema == name.substr(0, dot) && def.name == name.substr(dot + 1)) return &def;
    }
    return nullptr;
  }
  const TableDef* any = nullptr;
  for (const TableDef& def : defs) {
    if (def.name != name) continue;
    if (def.schema == on.schema) return &def;
    if (any == nullptr) any = &def;
  }
  return any;
}

void Inference::ReadTriggers(const std::vector<TableDef>& defs, std::vector<TablePlan>* tables) {
  std::map<const TableDef*, std::string> filled;  // table -> the trigger that inserts its rows
  for (const TablePlan& table : *tables) {
    const TableDef& def = *table.def;
    for (const TriggerDef& trigger : def.triggers) {
      const std::string who = "trigger " + QuoteIdentifier(trigger.name) + " on " + table.key;
      if (!trigger.on_insert) continue;  // a seed only inserts
      if (trigger.language != "plpgsql") {
        trigger_lines_.push_back(who + ": fires on every row a seed writes; its function " +
                                 trigger.function + " is in " + trigger.language +
                                 ", which init cannot read");
        continue;
      }
      std::string does;
      for (const std::string& column : trigger.source.assigns) {
        if (!trigger.before || !trigger.row) continue;
        does += (does.empty() ? "sets " : ", ") + QuoteIdentifier(column);
      }
      for (const TriggerWrite& write : trigger.source.writes) {
        const TableDef* target = NamedTable(defs, write.table, def);
        const std::string name = target == nullptr ? write.table : QuoteIdentifier(target->name);
        does += (does.empty() ? "" : "; ") + write.statement + "s " + name;
        if (target == nullptr || target == &def) continue;
        if (write.statement == "insert" && !filled.count(target)) filled[target] = who;
        for (const std::string& column : write.columns) {
          maintained_.emplace(std::make_pair(target, column), who);
        }
      }
      if (trigger.source.dynamic) {
        does += std::string(does.empty() ? "" : "; ") + "runs SQL text (EXECUTE) init cannot read";
      }
      trigger_lines_.push_back(who + ": fires on every row a seed writes" +
                               (does.empty() ? "" : " (" + does + ")"));
    }
  }
  for (auto it = tables->begin(); it != tables->end();) {
    const auto found = filled.find(it->def);
    if (found == filled.end()) {
      ++it;
      continue;
    }
    trigger_lines_.push_back(it->key + ": not declared: " + found->second + " inserts its rows");
    it = tables->erase(it);
  }
}

// The text of a spec's numeric bound for a column of `type` (scale digits for numeric).
struct NumericRange {
  int64_t min = 0, max = 0;  // unscaled by 10^scale
  int scale = 0;
};

// [min, max] narrowed by `bounds` (x > k, x <= k ...), in units of 10^-scale. False when
// nothing is left.
bool Narrow(const ColumnBounds& bounds, NumericRange* range) {
  const double unit = std::pow(10.0, -range->scale);
  if (bounds.min) {
    double low = std::ceil(*bounds.min / unit - 1e-9);
    if (bounds.min_strict && std::fabs(low * unit - *bounds.min) < unit / 2) low += 1;
    range->min = std::max(range->min, static_cast<int64_t>(low));
  }
  if (bounds.max) {
    double high = std::floor(*bounds.max / unit + 1e-9);
    if (bounds.max_strict && std::fabs(high * unit - *bounds.max) < unit / 2) high -= 1;
    range->max = std::min(range->max, static_cast<int64_t>(high));
  }
  return range->min <= range->max;
}

// The unscaled range a numeric(p,s), integer or float column holds, capped at 12 integer digits.
NumericRange TypeRange(const SqlType& type) {
  NumericRange range;
  if (const auto integers = IntegerRangeOf(type)) {
    range.min = integers->min;
    range.max = integers->max;
    return range;
  }
  if (type.kind == SqlTypeKind::kNumeric && type.precision > 0) {
    range.scale = std::max(0, type.scale);
    // The unscaled values are int64: at most 18 digits in all.
    const int integer_digits = std::min({12, type.precision - range.scale, 18 - range.scale});
    range.max = PowerOfTen(integer_digits + range.scale) - 1;
    range.min = -range.max;
    return range;
  }
  range.scale = type.kind == SqlTypeKind::kNumeric ? 2 : 0;
  range.max = PowerOfTen(12 + range.scale) - 1;
  range.min = -range.max;
  return range;
}

std::string SpecBounds(const NumericRange& range) {
  return "\"min\": " + DecimalText(range.min, range.scale) +
         ", \"max\": " + DecimalText(range.max, range.scale);
}

bool IsFloat(const SqlType& type) {
  return type.kind == SqlTypeKind::kReal || type.kind == SqlTypeKind::kDoublePrecision;
}

// A uniform number spec over `range` for a column of `type`.
std::string UniformSpec(const SqlType& type, const NumericRange& range) {
  std::string spec = "\"gen\": \"uniform\", " + SpecBounds(range);
  if (IsFloat(type)) return spec;
  return spec + (range.scale > 0 ? ", \"scale\": " + std::to_string(range.scale) : ", \"step\": 1");
}

// "0..99999999.99", as the summary shows a range (a zero without its decimals).
std::string RangeText(const NumericRange& range) {
  return (range.min == 0 ? std::string("0") : DecimalText(range.min, range.scale)) + ".." +
         DecimalText(range.max, range.scale);
}

bool TextFitsLength(size_t max_chars, const SqlType& type, const ColumnBounds* bounds) {
  if (max_chars == 0) return false;
  if (MaxCharacters(type) >= 0 && !FitsCharacters(type, static_cast<int64_t>(max_chars))) {
    return false;
  }
  return bounds == nullptr || bounds->max_length < 0 ||
         static_cast<int64_t>(max_chars) <= bounds->max_length;
}

bool Inference::TextFits(const TablePlan& table, const std::string& column,
                         const std::string& members, const SqlType& type) {
  std::string json = "{";
  // The columns the spec reads (a template's {first_name}, an after's "of"), as planned.
  for (const ColumnPlan& planned : table.columns) {
    if (planned.members.empty() || planned.name == column) continue;
    if (members.find("{" + planned.name + "}") == std::string::npos &&
        members.find(Json(planned.name)) == std::string::npos) {
      continue;
    }
    json += Json(planned.name) + ": {" + planned.members + "}, ";
  }
  json += Json(column) + ": {" + members + "}}";
  values::CompileOptions compile;
  auto program = values::RowProgram::Compile("t", json, compile);
  if (!program.ok()) return false;
  const auto found = table.bounds.find(column);
  const values::GeneratorInfo& info =
      program->info(static_cast<size_t>(program->FindColumn(column)));
  const size_t longest = info.kind == values::ValueKind::kArray && info.element != nullptr
                             ? info.element->max_chars
                             : info.max_chars;
  return TextFitsLength(longest, type, found == table.bounds.end() ? nullptr : &found->second);
}

// The key columns of a unique index of plain columns, empty for any other index. A partial one
// (WHERE deleted_at IS NULL) counts as on its columns: it holds when they are unique over every
// row, which is how init makes them.
std::vector<std::string> UniqueIndexColumns(const IndexDef& index) {
  if (index.definition.rfind("CREATE UNIQUE INDEX", 0) != 0) return {};
  std::string_view whole = index.definition;
  if (const size_t where = whole.find(") WHERE "); where != std::string_view::npos) {
    whole = whole.substr(0, where + 1);
  }
  return IndexColumns(whole);
}

Status Inference::ReadShape(TablePlan* table) {
  const TableDef& def = *table->def;
  for (const IndexDef& index : def.indexes) {
    std::vector<std::string> columns = UniqueIndexColumns(index);
    if (columns.size() < 2) continue;
    ConstraintDef key;
    key.name = index.name;
    key.type = 'i';
    key.columns = std::move(columns);
    table->index_keys.push_back(std::move(key));
  }
  const ConstraintDef* primary = nullptr;
  for (const ConstraintDef& constraint : def.constraints) {
    if (constraint.type == 'p') primary = &constraint;
    if (constraint.type == 'x') {
      return Fail(*table, "exclusion constraint " + constraint.name +
                              " cannot be satisfied by construction");
    }
  }
  // A table whose key is not one integer or uuid column has no id: its primary key (if any) is
  // made by construction like a unique key.
  auto without_id = [&]() {
    table->no_id = true;
    if (primary != nullptr) table->primary_key_columns = primary->columns;
    return Status::Ok();
  };
  if (primary == nullptr) {
    if (def.partitioned) {
      return Fail(*table,
                  "has no primary key; a partitioned table needs one integer or uuid id "
                  "column");
    }
    return without_id();
  }
  // A partitioned table's keys hold its partition key's columns: the id is the one other column.
  std::vector<std::string> id_columns;
  for (const std::string& column : primary->columns) {
    if (std::find(def.partition_key.begin(), def.partition_key.end(), column) ==
        def.partition_key.end()) {
      id_columns.push_back(column);
    }
  }
  if (id_columns.empty() && primary->columns.size() == 1) id_columns = primary->columns;
  if (id_columns.size() != 1 && def.partitioned) {
    return Fail(*table, "primary key (" + ColumnList(primary->columns) + ") has " +
                            std::to_string(id_columns.size()) +
                            " columns besides the partition key; the engine needs one integer or "
                            "uuid id column");
  }
  if (id_columns.size() != 1) return without_id();
  const ColumnDef* id = FindColumn(def, id_columns[0]);
  auto type = ParseSqlType(id->type);
  if (!type.ok() || type->array ||
      (!IntegerRangeOf(*type).has_value() && type->kind != SqlTypeKind::kUuid)) {
    if (def.partitioned) {
      return Fail(*table, "primary key " + id_columns[0] + " is " + id->type +
                              "; a partitioned table needs an integer or uuid id column");
    }
    return without_id();
  }
  table->id = id_columns[0];
  table->uuid_id = type->kind == SqlTypeKind::kUuid;
  if (id->generated != 0) {
    return Fail(*table, "primary key " + table->id + " is a generated column");
  }
  if (const TriggerDef* trigger = def.FillingTrigger(table->id)) {
    return Fail(*table, "primary key " + table->id + " is set by trigger " + trigger->name +
                            "; the engine generates ids itself");
  }
  return Status::Ok();
}

Status Inference::ReadForeignKeys(std::vector<TablePlan>* tables) {
  for (TablePlan& table : *tables) {
    std::set<std::string> referencing;
    for (const ConstraintDef& constraint : table.def->constraints) {
      if (constraint.type != 'f') continue;
      // A key a BEFORE trigger fills is the trigger's: no reference to generate.
      if (std::any_of(constraint.columns.begin(), constraint.columns.end(),
                      [&](const std::string& column) {
                        return table.def->FillingTrigger(column) != nullptr;
                      })) {
        continue;
      }
      Edge edge;
      edge.constraint = &constraint;
      edge.column = constraint.columns[0];
      edge.nullable = true;
      for (size_t t = 0; t < tables->size(); ++t) {
        if ((*tables)[t].def->QualifiedName() == constraint.referenced_table) {
          edge.target = static_cast<int>(t);
        }
      }
      // A composite key through the target's id: a ref in that column, the others copied.
      if (constraint.columns.size() > 1 && edge.target >= 0 && !(*tables)[edge.target].no_id) {
        const auto& referenced = constraint.referenced_columns;
        const auto id = std::find(referenced.begin(), referenced.end(), (*tables)[edge.target].id);
        for (size_t i = 0; id != referenced.end() && i < referenced.size(); ++i) {
          if (referenced.begin() + static_cast<std::ptrdiff_t>(i) == id) {
            edge.column = constraint.columns[i];
          } else {
            edge.lookups.emplace_back(constraint.columns[i], referenced[i]);
          }
        }
      }
      for (const std::string& column : constraint.columns) {
        edge.nullable = edge.nullable && !FindColumn(*table.def, column)->not_null;
        if (column == table.id) {
          return Fail(table, "primary key " + table.id + " is also a foreign key (" +
                                 constraint.name + "); the engine generates ids itself");
        }
        const bool copied = std::any_of(edge.lookups.begin(), edge.lookups.end(),
                                        [&](const auto& lookup) { return lookup.first == column; });
        if (!copied && !referencing.insert(column).second) {
          return Fail(table, "column " + column + " is in two foreign keys");
        }
      }
      edge.deferrable = constraint.definition.find(" DEFERRABLE") != std::string::npos;
      for (const auto& [text, option] :
           {std::pair<const char*, const char*>{"ON DELETE CASCADE", "cascade"},
            {"ON DELETE SET NULL", "set null"},
            {"ON DELETE RESTRICT", "restrict"}}) {
        if (constraint.definition.find(text) != std::string::npos) edge.on_delete = option;
      }
      std::string problem;
      if (constraint.columns.size() != 1 && edge.lookups.empty()) {
        problem = "composite foreign key " + constraint.name + " (" +
                  ColumnList(constraint.columns) + ")";
      } else if (edge.target < 0) {
        problem = "foreign key " + constraint.name + " refers to " + constraint.referenced_table +
                  ", which init does not declare (not selected, or not a table it can fill)";
      } else if (edge.lookups.empty() &&
                 (constraint.referenced_columns.size() != 1 ||
                  constraint.referenced_columns[0] != (*tables)[edge.target].id)) {
        problem = "foreign key " + constraint.name + " refers to " + constraint.referenced_table +
                  " (" + ColumnList(constraint.referenced_columns) +
                  "), not its id; the engine refers to ids only";
      }
      if (!problem.empty()) {
        if (!edge.nullable) return Fail(table, problem + ", and is NOT NULL");
        edge.live = false;
        edge.why = problem;
      } else if (edge.target == static_cast<int>(&table - tables->data()) && !edge.nullable &&
                 !edge.deferrable) {
        return Fail(table, "column " + constraint.columns[0] +
                               " is a NOT NULL reference to the table itself that is not "
                               "DEFERRABLE; the engine cannot fill the first row");
      }
      table.edges.push_back(std::move(edge));
    }
    // A column copied by a composite key may have a key of its own (sale_lines.tenant_id ->
    // tenants): the copy satisfies it when the referenced row's column has that same key
    // (products.tenant_id -> tenants).
    for (const Edge& edge : table.edges) {
      if (!edge.live) continue;
      for (const auto& lookup : edge.lookups) {
        const std::string& column = lookup.first;  // not structured bindings: lambdas read them
        const std::string& target_column = lookup.second;
        table.copied[column] = {edge.column, target_column};
        for (Edge& other : table.edges) {
          if (&other == &edge || other.column != column) continue;
          const TableDef& target = *(*tables)[edge.target].def;
          const bool same_key = std::any_of(
              target.constraints.begin(), target.constraints.end(), [&](const ConstraintDef& c) {
                return c.type == 'f' && c.columns == std::vector<std::string>{target_column} &&
                       c.referenced_table == other.constraint->referenced_table;
              });
          if (!same_key || !other.lookups.empty()) {
            return Fail(table, "column " + column + " is in two foreign keys");
          }
          other.live = false;
          other.why = "copied from the row of " + edge.column + " (" + edge.constraint->name + ")";
        }
      }
    }
  }
  return Status::Ok();
}

Status Inference::BreakCycles(std::vector<TablePlan>* tables) {
  const size_t n = tables->size();
  while (true) {
    std::vector<bool> done(n, false);
    size_t finished = 0;
    bool progressed = true;
    while (progressed) {
      progressed = false;
      for (size_t t = 0; t < n; ++t) {
        if (done[t]) continue;
        bool ready = true;
        for (const Edge& edge : (*tables)[t].edges) {
          if (edge.live && !edge.forward && edge.target != static_cast<int>(t) &&
              !done[edge.target]) {
            ready = false;
          }
        }
        if (ready) done[t] = true, ++finished, progressed = true;
      }
    }
    if (finished == n) return Status::Ok();
    // Walk from the first table left along references to tables left, until one repeats.
    std::vector<int> path, position(n, -1);
    std::vector<Edge*> walked;
    int table = static_cast<int>(std::find(done.begin(), done.end(), false) - done.begin());
    while (position[table] < 0) {
      position[table] = static_cast<int>(path.size());
      path.push_back(table);
      for (Edge& edge : (*tables)[table].edges) {
        if (edge.live && !edge.forward && edge.target != table && !done[edge.target]) {
          walked.push_back(&edge);
          table = edge.target;
          break;
        }
      }
    }
    std::string cycle;
    Edge* broken = nullptr;
    Edge* deferred = nullptr;
    for (size_t i = static_cast<size_t>(position[table]); i < path.size(); ++i) {
      const TablePlan& from = (*tables)[path[i]];
      cycle += from.def->QualifiedName() + "." + walked[i]->column + " -> ";
      // A composite key's copies read the row it refers to, which must load first.
      const bool breakable = walked[i]->lookups.empty();
      if (broken == nullptr && breakable && walked[i]->nullable) broken = walked[i];
      if (deferred == nullptr && breakable && walked[i]->deferrable) deferred = walked[i];
    }
    cycle += (*tables)[table].def->QualifiedName();
    if (broken != nullptr) {
      broken->live = false;
      broken->why = "left NULL to break the cycle " + cycle;
    } else {
      // Any row of the later table; the key is checked once that table has loaded (taken down
      // and put back when it is not DEFERRABLE).
      Edge* edge = deferred != nullptr ? deferred : walked[static_cast<size_t>(position[table])];
      edge->forward = true;
      edge->cycle = cycle;
    }
  }
}

std::vector<int> Inference::LoadOrder(const std::vector<TablePlan>& tables) const {
  std::vector<int> order;
  std::vector<bool> done(tables.size(), false);
  while (order.size() < tables.size()) {
    for (size_t t = 0; t < tables.size(); ++t) {
      if (done[t]) continue;
      bool ready = true;
      for (const Edge& edge : tables[t].edges) {
        if (edge.live && !edge.forward && edge.target != static_cast<int>(t) &&
            !done[edge.target]) {
          ready = false;
        }
      }
      if (!ready) continue;
      done[t] = true;
      order.push_back(static_cast<int>(t));
      break;
    }
  }
  return order;
}

Status Inference::ChooseParent(TablePlan* table, const std::vector<TablePlan>& tables) {
  const int self = static_cast<int>(table - tables.data());
  // UNIQUE (a, b) of two NOT NULL references to one other table: distinct pairs of its rows
  // (friendships, crew pairs), `a` the first unless a CHECK orders them the other way.
  auto edge_on = [&](const std::string& column) -> const Edge* {
    for (const Edge& edge : table->edges) {
      if (edge.column == column) return &edge;
    }
    return nullptr;
  };
  for (const ConstraintDef* key : table->Keys()) {
    const ConstraintDef& constraint = *key;
    if (constraint.columns.size() != 2 || !table->pair_first.empty()) {
      continue;
    }
    const Edge* a = edge_on(constraint.columns[0]);
    const Edge* b = edge_on(constraint.columns[1]);
    if (a == nullptr || b == nullptr || !a->live || !b->live || a->nullable || b->nullable ||
        a->forward || b->forward || a->target != b->target || a->target == self) {
      continue;
    }
    table->pair_first = constraint.columns[0];
    table->pair_second = constraint.columns[1];
    for (const ColumnOrder& order : table->orders) {
      if (order.lower == table->pair_second && order.upper == table->pair_first) {
        std::swap(table->pair_first, table->pair_second);
      }
    }
  }
  auto candidate = [&](const Edge& edge) {
    const std::string& column = edge.column;
    return edge.live && !edge.nullable && !edge.forward && edge.target != self &&
           column != table->pair_first && column != table->pair_second;
  };
  // (parent, position) unique keys: the position becomes index_in_parent.
  for (const ConstraintDef* key : table->Keys()) {
    const ConstraintDef& constraint = *key;
    if (constraint.columns.size() != 2 || table->parent_edge >= 0) {
      continue;
    }
    for (size_t e = 0; e < table->edges.size() && table->parent_edge < 0; ++e) {
      const Edge& edge = table->edges[e];
      if (!candidate(edge)) continue;
      const std::string& fk = edge.column;
      const auto at = std::find(constraint.columns.begin(), constraint.columns.end(), fk);
      if (at == constraint.columns.end()) continue;
      const std::string& other = constraint.columns[at == constraint.columns.begin() ? 1 : 0];
      const bool is_reference = std::any_of(table->edges.begin(), table->edges.end(),
                                            [&](const Edge& x) { return x.column == other; });
      auto type = ParseSqlType(FindColumn(*table->def, other)->type);
      if (!is_reference && other != table->id && type.ok() && !type->array &&
          IntegerRangeOf(*type).has_value()) {
        table->parent_edge = static_cast<int>(e);
        table->index_column = other;
      }
    }
  }
  // (a, b) unique keys of two NOT NULL references to different tables (a post's tags, Django's
  // many-to-many tables): a is the parent, b a ref distinct under it.
  for (const ConstraintDef* key : table->Keys()) {
    const ConstraintDef& constraint = *key;
    if (constraint.columns.size() != 2 || table->parent_edge >= 0) {
      continue;
    }
    const Edge* a = edge_on(constraint.columns[0]);
    const Edge* b = edge_on(constraint.columns[1]);
    if (a == nullptr || b == nullptr || !candidate(*a) || !candidate(*b) ||
        a->target == b->target) {
      continue;
    }
    table->parent_edge = static_cast<int>(a - table->edges.data());
    table->distinct_column = constraint.columns[1];
  }
  // A unique reference (one row per parent) must be the parent to be injective; a nullable one
  // that cannot be is left NULL.
  auto unique = [&](const std::string& column) {
    if (table->unique_columns.count(column)) return true;
    for (const IndexDef& index : table->def->indexes) {
      if (UniqueIndexColumns(index) == std::vector<std::string>{column}) {
        return true;
      }
    }
    return false;
  };
  for (size_t e = 0; e < table->edges.size(); ++e) {
    Edge& edge = table->edges[e];
    if (!edge.live || !unique(edge.column)) continue;
    if (!candidate(edge) ||
        (table->parent_edge >= 0 && table->parent_edge != static_cast<int>(e))) {
      if (edge.nullable) {
        edge.live = false;
        edge.why =
            "left NULL: a unique reference, which the engine makes only through the "
            "parent column";
        continue;
      }
      return Fail(*table, "column " + edge.column +
                              " is a unique reference; the engine makes one unique reference "
                              "per table, through a NOT NULL column");
    }
    table->parent_edge = static_cast<int>(e);
    table->per_min = 1;
    table->per_max = 1;
  }
  for (size_t e = 0; e < table->edges.size() && table->parent_edge < 0; ++e) {
    if (candidate(table->edges[e])) table->parent_edge = static_cast<int>(e);
  }
  if (table->parent_edge < 0) {
    table->row_bound = static_cast<double>(options_.rows);
  } else {
    table->row_bound = tables[table->edges[table->parent_edge].target].row_bound *
                       static_cast<double>(table->per_max);
  }
  return Status::Ok();
}

// A domain's CHECK as a CHECK on `column`: every VALUE outside string literals becomes the
// column's (quoted) name.
std::string DomainCheckOn(const std::string& check, const std::string& column) {
  auto word = [&](size_t at) {  // an identifier character at `at`
    return at < check.size() &&
           (std::isalnum(static_cast<unsigned char>(check[at])) || check[at] == '_');
  };
  std::string out;
  bool in_literal = false;
  for (size_t i = 0; i < check.size(); ++i) {
    const char c = check[i];
    if (c == '\'') in_literal = !in_literal;
    if (!in_literal && check.compare(i, 5, "VALUE") == 0 && (i == 0 || !word(i - 1)) &&
        !word(i + 5)) {
      out += QuoteIdentifier(column);
      i += 4;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

Status Inference::ReadChecks(TablePlan* table) {
  static constexpr const char* kForms =
      " is not a form init can satisfy (x > k, x BETWEEN a AND b, x IN (...), length(x) <= n, a "
      "< b)";
  for (const ConstraintDef& constraint : table->def->constraints) {
    if (constraint.type != 'c') continue;
    if (!ReadCheck(constraint.definition, &table->bounds, &table->orders)) {
      return Fail(*table, "CHECK " + constraint.name + " " +
                              CheckExpression(constraint.definition) + kForms);
    }
  }
  for (const ColumnDef& column : table->def->columns) {
    // A domain over a type init does not generate is the type's problem (PlanColumns).
    const StatusOr<SqlType> type = ParseSqlType(column.type);
    if (!type.ok() || (type->kind == SqlTypeKind::kEnum && !enum_labels_.count(column.type))) {
      continue;
    }
    for (const std::string& check : column.domain_checks) {
      if (ReadCheck(DomainCheckOn(check, column.name), &table->bounds, &table->orders)) continue;
      const std::string problem =
          "its domain " + column.base_type + "'s CHECK " + CheckExpression(check) + kForms;
      // Nullable or defaulted: the server fills it, as for a type init does not generate.
      if (!column.not_null || !column.default_expr.empty()) {
        table->left_to_server[column.name] = problem;
        break;
      }
      return Fail(*table, "column " + column.name + ": " + problem);
    }
  }
  for (const auto& [name, bounds] : table->bounds) {
    (void)bounds;
    if (FindColumn(*table->def, name) == nullptr) {
      return Fail(*table, "a CHECK names column " + name + ", which the table does not have");
    }
  }
  return Status::Ok();
}

// A bound of a time partition key as Unix microseconds: `text` as the server prints a timestamptz
// ("2024-01-01 00:00:00+00", "... +05:30"), a timestamp ("2024-01-01 00:00:00", read as UTC,
// as seedforge writes them) or a date. False for 'infinity' and what is not such a time.
bool PartitionTime(std::string text, int64_t* micros) {
  if (text.size() == 10) text += " 00:00:00";
  const size_t zone = text.find_first_of("+-", 19);
  if (zone == std::string::npos) {
    text += "Z";
  } else if (text.size() - zone == 3) {
    text += ":00";  // "+00" -> "+00:00"
  }
  return ParseIso8601(text, micros);
}

std::string TimeText(int64_t micros, bool date) {
  char buffer[kMaxTimestampChars];
  std::string text(buffer, FormatTimestamp(micros, TimestampStyle::kIso8601, buffer));
  return date ? text.substr(0, 10) : text;
}

Status Inference::ReadPartitions(TablePlan* table) {
  const TableDef& def = *table->def;
  if (!def.partitioned) return Status::Ok();
  const std::string strategy = def.partition_strategy == 'r'   ? "range"
                               : def.partition_strategy == 'l' ? "list"
                                                               : "hash";
  std::string line =
      table->key + ": partitioned by " + strategy + " (" + ColumnList(def.partition_key) + "), ";
  if (def.partitions.empty()) {
    return Fail(*table, "is partitioned and has no partitions: its rows would have nowhere to go");
  }
  std::vector<std::pair<const PartitionDef*, PartitionBound>> bounds;
  bool any_value = def.partition_strategy == 'h';  // every value lands somewhere
  for (const PartitionDef& partition : def.partitions) {
    if (partition.partitioned) {
      return Fail(*table, "partition " + partition.name +
                              " is itself partitioned; init reads one level of partitions");
    }
    std::optional<PartitionBound> bound = ReadPartitionBound(partition.bound);
    if (bound && bound->kind == PartitionBound::Kind::kDefault) any_value = true;
    if (bound) bounds.emplace_back(&partition, std::move(*bound));
    SF_RETURN_IF_ERROR(ReadPartitionConstraints(table, partition));
  }
  std::string names;
  for (const PartitionDef& partition : def.partitions) {
    names += (names.empty() ? "" : ", ") + partition.name;
  }
  if (any_value) {
    partition_lines_.push_back(line + "rows land in any of its partitions (" + names + ")");
    return Status::Ok();
  }
  if (def.partition_key.size() != 1 || def.partition_key[0].empty() ||
      bounds.size() != def.partitions.size()) {
    return Fail(*table, "is partitioned by " + strategy +
                            " on an expression or several columns, without a DEFAULT "
                            "partition; init draws the key of one column only");
  }
  const std::string& column = def.partition_key[0];
  if (column == table->id) {
    return Fail(*table, "is partitioned by " + strategy + " on its id " + column +
                            ", without a DEFAULT partition; the engine numbers ids from 1 "
                            "whatever the partitions hold");
  }
  auto type = ParseSqlType(FindColumn(def, column)->type);
  if (!type.ok()) return Fail(*table, "partition key " + column + ": " + type.status().message());
  if (def.partition_strategy == 'l') {
    ColumnBounds& column_bounds = table->bounds[column];
    std::vector<std::string> values;
    for (const auto& [partition, bound] : bounds) {
      for (const std::string& value : bound.values) {
        if (column_bounds.values.empty() ||
            std::find(column_bounds.values.begin(), column_bounds.values.end(), value) !=
                column_bounds.values.end()) {
          values.push_back(value);
        }
      }
      column_bounds.numeric_values = column_bounds.numeric_values || bound.numeric_values;
    }
    if (values.empty()) {
      return Fail(*table, "no value of partition key " + column +
                              " is both in a partition and "
                              "allowed by its CHECKs");
    }
    column_bounds.values = std::move(values);
    column_bounds.partition_values = true;
    partition_lines_.push_back(line + "rows land in " + names + " (a choice over their values)");
    return Status::Ok();
  }
  // Range: the longest run of partitions that meet end to start; the key is drawn inside it.
  const bool time = IsTimestamp(*type) || type->kind == SqlTypeKind::kDate;
  struct Span {
    double from, to;  // microseconds for times
    const PartitionDef* partition;
  };
  std::vector<Span> spans;
  for (const auto& [partition, bound] : bounds) {
    Span span{-HUGE_VAL, HUGE_VAL, partition};
    for (const auto& [text, value] :
         {std::pair{&bound.from, &span.from}, std::pair{&bound.to, &span.to}}) {
      if (!text->has_value()) continue;
      const std::string& literal = **text;
      bool read = false;
      if (time) {
        int64_t micros = 0;
        read = PartitionTime(literal, &micros);
        *value = static_cast<double>(micros);
      } else {
        char* end = nullptr;
        *value = std::strtod(literal.c_str(), &end);
        read = end != literal.c_str() && *end == '\0';
      }
      if (!read) {
        return Fail(*table, "partition " + partition->name + " has a bound (" + partition->bound +
                                ") init cannot read for a " + FindColumn(def, column)->type +
                                " key");
      }
    }
    spans.push_back(span);
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.from < b.from; });
  size_t best_start = 0, best_size = 0;
  for (size_t start = 0; start < spans.size();) {
    size_t end = start + 1;
    while (end < spans.size() && spans[end].from == spans[end - 1].to) ++end;
    if (end - start > best_size) best_start = start, best_size = end - start;
    start = end;
  }
  double from = spans[best_start].from, to = spans[best_start + best_size - 1].to;
  std::string taken, left;
  for (size_t i = 0; i < spans.size(); ++i) {
    std::string& list = i >= best_start && i < best_start + best_size ? taken : left;
    list += (list.empty() ? "" : ", ") + spans[i].partition->name;
  }
  if (time) {
    // An open end: a year from the other one (both open: the profile's window).
    constexpr double kYear = 365.0 * kMicrosPerDay;
    if (std::isinf(from) && std::isinf(to)) {
      partition_lines_.push_back(line + "rows land in " + names);
      return Status::Ok();
    }
    if (std::isinf(from)) from = to - kYear;
    if (std::isinf(to)) to = from + kYear;
    table->partition_time = column;
    table->partition_from = static_cast<int64_t>(from);
    table->partition_to = static_cast<int64_t>(to);
    line += "rows land in " + taken + ", " + column + " in [" +
            TimeText(table->partition_from, type->kind == SqlTypeKind::kDate) + ", " +
            TimeText(table->partition_to, type->kind == SqlTypeKind::kDate) + ")";
  } else {
    ColumnBounds& column_bounds = table->bounds[column];
    if (!std::isinf(from) && (!column_bounds.min || *column_bounds.min < from)) {
      column_bounds.min = from;
      column_bounds.min_strict = false;
    }
    if (!std::isinf(to) && (!column_bounds.max || *column_bounds.max >= to)) {
      column_bounds.max = to;
      column_bounds.max_strict = true;
    }
    line += "rows land in " + taken;
  }
  if (!left.empty()) line += "; " + left + " (not next to them) get none";
  partition_lines_.push_back(line);
  return Status::Ok();
}

Status Inference::ReadPartitionConstraints(TablePlan* table, const PartitionDef& partition) {
  for (const ConstraintDef& constraint : partition.constraints) {
    const std::string what = "partition " + partition.name + " has its own ";
    if (constraint.type == 'c') {
      // Held by every row, so by the partition's.
      if (!ReadCheck(constraint.definition, &table->bounds, &table->orders)) {
        return Fail(*table, what + "CHECK " + constraint.name + " " +
                                CheckExpression(constraint.definition) +
                                ", not a form init can satisfy");
      }
      continue;
    }
    if (constraint.type != 'f') {
      return Fail(*table,
                  what + (constraint.type == 'u' ? "unique key " : "exclusion constraint ") +
                      constraint.name + "; init keeps the keys of the partitioned table only");
    }
    Edge edge;
    edge.constraint = &constraint;
    edge.live = false;
    edge.why = "partition " + partition.name + "'s own foreign key " + constraint.name +
               " (init follows the partitioned table's only)";
    for (const std::string& column : constraint.columns) {
      if (FindColumn(*table->def, column)->not_null) {
        return Fail(*table, what + "foreign key " + constraint.name + " (" +
                                ColumnList(constraint.columns) +
                                "), NOT NULL; init follows the partitioned table's only");
      }
    }
    table->edges.push_back(std::move(edge));
  }
  return Status::Ok();
}

void Inference::PlanPartitionTime(TablePlan* table) {
  if (table->partition_time.empty()) return;
  for (ColumnPlan& plan : table->columns) {
    if (plan.name != table->partition_time) continue;
    const bool date =
        ParseSqlType(FindColumn(*table->def, plan.name)->type)->kind == SqlTypeKind::kDate;
    const std::string from = Json(TimeText(table->partition_from, date));
    const std::string to = Json(TimeText(table->partition_to, date));
    if (plan.members.find("\"monotone_time\"") != std::string::npos) {
      // A key's time, one per row, a step apart: the range holds a hundred times the most rows
      // a seed of the profile gives (a --scale 100 top-up still lands in the partitions).
      constexpr double kHeadroom = 100;
      const double every = std::max(1.0, std::floor((static_cast<double>(table->partition_to) -
                                                     static_cast<double>(table->partition_from)) /
                                                    (kHeadroom * std::max(1.0, table->row_bound))));
      plan.members = "\"gen\": \"monotone_time\", \"from\": " + from +
                     ", \"every\": " + DecimalText(static_cast<int64_t>(every), 6) +
                     ", \"jitter\": false";
      plan.what = "one time per row from " + TimeText(table->partition_from, date) +
                  ", inside its partitions (key, partition)";
    } else {
      plan.members = std::string("\"gen\": \"") + (date ? "date" : "timestamp") +
                     "\", \"from\": " + from + ", \"to\": " + to;
      plan.what = (date ? "date in [" : "time in [") + TimeText(table->partition_from, date) +
                  ", " + TimeText(table->partition_to, date) + ") (partition)";
    }
    plan.fallback = false;
  }
}

std::optional<Candidate> Inference::InjectiveText(const TablePlan& table, const ColumnDef& column,
                                                  const SqlType& type, bool declared_unique) {
  std::string prefix;
  for (const char c : Lower(column.name)) {
    if (c >= 'a' && c <= 'z') prefix.push_back(c);
  }
  if (prefix.empty()) prefix = "v";
  prefix = prefix.substr(0, 8);
  // "sku-{n}", else "s{n}" where the column is short ({n} counts as 20 digits).
  for (const std::string& start : {prefix + "-", prefix.substr(0, 1)}) {
    const std::string template_spec = "\"gen\": \"template\", \"format\": " + Json(start + "{n}");
    if (TextFits(table, column.name, template_spec, type)) {
      return Candidate{template_spec, "unique text " + start + "1, " + start + "2... (key)", true,
                       false};
    }
  }
  if (!declared_unique) return std::nullopt;
  // A pattern of as many digits as fit (up to 12), unique by a keyed permutation of the row. The
  // spec depends on the column alone, not on --rows: a profile inferred again with more rows has
  // the same generation settings, so seeding it tops the tables up.
  const auto found = table.bounds.find(column.name);
  int digits = MaxCharacters(type) < 0 ? 12 : std::min(12, MaxCharacters(type));
  if (found != table.bounds.end() && found->second.max_length >= 0) {
    digits = std::min(digits, found->second.max_length);
  }
  if (digits < 1 || std::pow(10.0, digits) < table.row_bound * 100) return std::nullopt;
  const std::string pattern_spec =
      "\"gen\": \"pattern\", \"format\": " + Json(std::string(static_cast<size_t>(digits), '#'));
  if (!TextFits(table, column.name, pattern_spec, type)) return std::nullopt;
  return Candidate{pattern_spec, "unique " + std::to_string(digits) + "-digit code (key)", true,
                   false};
}

std::optional<Candidate> Inference::NameRuleSpec(const TablePlan& table, const ColumnDef& column,
                                                 const SqlType& type, const NameRule& rule) {
  const auto found = table.bounds.find(column.name);
  const ColumnBounds empty_bounds;
  const ColumnBounds& bounds = found == table.bounds.end() ? empty_bounds : found->second;
  // The NOT NULL text column of the table matching a rule kind, for templates.
  auto column_of = [&](RuleKind kind) -> std::string {
    for (const ColumnPlan& planned : table.columns) {
      if (planned.members.empty() || planned.name == column.name) continue;
      const ColumnDef* def = FindColumn(*table.def, planned.name);
      auto planned_type = ParseSqlType(def->type);
      if (!def->not_null || !planned_type.ok() || !InClass(*planned_type, TypeClass::kText)) {
        continue;
      }
      for (const NameRule& other : kNameRules) {
        if (MatchesAny(other.patterns, Lower(planned.name))) {
          if (other.kind == kind) return planned.name;
          break;
        }
      }
    }
    return "";
  };
  auto text = [&](const std::string& members, const std::string& what,
                  bool injective = false) -> std::optional<Candidate> {
    if (!TextFits(table, column.name, members, type)) return std::nullopt;
    return Candidate{members, what + " (name)", injective, false};
  };
  auto catalog = [&](const char* gen, const std::string& what) {
    return text(std::string("\"gen\": \"") + gen + "\"", what);
  };
  auto choice = [&](std::vector<std::string> values,
                    const std::string& what) -> std::optional<Candidate> {
    std::string list;
    for (const std::string& value : values) {
      if (MaxCharacters(type) >= 0 && static_cast<int>(value.size()) > MaxCharacters(type)) {
        continue;
      }
      if (bounds.max_length >= 0 && static_cast<int>(value.size()) > bounds.max_length) continue;
      list += (list.empty() ? "" : ", ") + Json(value);
    }
    if (list.empty()) return std::nullopt;
    return Candidate{"\"gen\": \"choice\", \"values\": [" + list + "]", what + " (name)", false,
                     false};
  };
  const std::string first = column_of(RuleKind::kFirstName);
  const std::string last = column_of(RuleKind::kLastName);
  const std::string table_name = Lower(table.def->name);
  switch (rule.kind) {
    case RuleKind::kEmail: {
      if (!first.empty() && !last.empty()) {
        if (auto named = text("\"gen\": \"template\", \"format\": " +
                                  Json("{" + first + "}.{" + last + "}{n}@example.com") +
                                  ", \"lower\": true",
                              "e-mail", true)) {
          return named;
        }
      }
      return text("\"gen\": \"template\", \"format\": \"user{n}@example.com\"", "e-mail", true);
    }
    case RuleKind::kUsername:
      if (!first.empty() && !last.empty()) {
        if (auto named = text("\"gen\": \"template\", \"format\": " +
                                  Json("{" + first + "}{" + last + "}{n}") + ", \"lower\": true",
                              "user name", true)) {
          return named;
        }
      }
      return text("\"gen\": \"template\", \"format\": \"user{n}\"", "user name", true);
    case RuleKind::kFirstName:
      return catalog("first_name", "first name");
    case RuleKind::kLastName:
      return catalog("last_name", "last name");
    case RuleKind::kFullName:
      return catalog("full_name", "full name");
    case RuleKind::kPhone:
      return catalog("phone", "phone number");
    case RuleKind::kUrl:
      return catalog("url", "URL");
    case RuleKind::kStreet:
      return catalog("street_address", "street address");
    case RuleKind::kCity:
      return catalog("city", "city");
    case RuleKind::kCountry:
      return catalog("country", "country");
    case RuleKind::kPostalCode:
      return catalog("postal_code", "postal code");
    case RuleKind::kCompany:
      return catalog("company", "company");
    case RuleKind::kTitle:
      return text("\"gen\": \"sentence\", \"min_words\": 2, \"max_words\": 6", "title");
    case RuleKind::kDescription:
      if (auto long_text =
              text("\"gen\": \"sentence\", \"min_words\": 6, \"max_words\": 20", "text")) {
        return long_text;
      }
      return text("\"gen\": \"sentence\", \"min_words\": 2, \"max_words\": 5", "text");
    case RuleKind::kName:
      if (MatchesAny("*user*|*customer*|*employee*|*person*|*people*|*member*|*author*|*contact*|"
                     "*staff*|*student*|*patient*|*client*|*owner*|*player*|*teacher*",
                     table_name)) {
        return catalog("full_name", "full name");
      }
      if (MatchesAny("*product*|*item*|*article*|*good*", table_name)) {
        return catalog("product_name", "product name");
      }
      if (MatchesAny("*compan*|*supplier*|*vendor*|*organi*|*brand*|*publisher*|*manufacturer*|"
                     "*merchant*|*partner*|*tenant*|*store*|*shop*",
                     table_name)) {
        return catalog("company", "company");
      }
      if (MatchesAny("*cit*|*town*", table_name)) return catalog("city", "city");
      if (MatchesAny("*countr*", table_name)) return catalog("country", "country");
      return catalog("word", "word");
    case RuleKind::kMoney:
    case RuleKind::kQuantity:
    case RuleKind::kCount: {
      NumericRange range = TypeRange(type);
      const bool money = rule.kind == RuleKind::kMoney;
      // numeric(p,s) keeps its own scale: values written with fewer decimals than the column
      // prints would not match verify's fingerprint of the column's text.
      if (IsFloat(type) && money) range.scale = 2;
      const int64_t unit = 1;
      NumericRange wanted = range;
      wanted.min = rule.kind == RuleKind::kCount ? 0 : unit;
      wanted.max = money ? std::min(range.max, 100000 * PowerOfTen(range.scale) - 1)
                         : std::min(range.max, (rule.kind == RuleKind::kCount ? 1000 : 100) *
                                                   PowerOfTen(range.scale));
      NumericRange narrowed = wanted;
      if (!Narrow(bounds, &narrowed)) {
        narrowed = range;
        if (!Narrow(bounds, &narrowed)) return std::nullopt;
        narrowed.max = std::min(narrowed.max, narrowed.min + 1000 * PowerOfTen(range.scale));
        narrowed.min = std::max(narrowed.min, narrowed.max - 1000 * PowerOfTen(range.scale));
      }
      const std::string what = (money                           ? "money "
                                : rule.kind == RuleKind::kCount ? "count "
                                                                : "quantity ") +
                               RangeText(narrowed) + " (name)";
      if (money && narrowed.min > 0) {
        std::string spec = "\"gen\": \"lognormal\", \"median\": " +
                           DecimalText(std::clamp<int64_t>(40 * PowerOfTen(narrowed.scale),
                                                           narrowed.min, narrowed.max),
                                       narrowed.scale) +
                           ", \"sigma\": 1, " + SpecBounds(narrowed);
        if (!IsFloat(type)) {
          spec += narrowed.scale > 0 ? ", \"scale\": " + std::to_string(narrowed.scale)
                                     : ", \"step\": 1";
        } else {
          spec += ", \"scale\": 2";
        }
        return Candidate{spec, what, false, false};
      }
      return Candidate{UniformSpec(type, narrowed), what, false, false};
    }
    case RuleKind::kCreatedTime:
      if (type.kind == SqlTypeKind::kDate) {
        return Candidate{"\"gen\": \"date\"", "date in the time window (name)", false, false};
      }
      return Candidate{"\"gen\": \"timestamp\"", "time in the time window (name)", false, false};
    case RuleKind::kLaterTime: {
      if (type.kind == SqlTypeKind::kDate) {
        return Candidate{"\"gen\": \"date\"", "date in the time window (name)", false, false};
      }
      for (const ColumnPlan& planned : table.columns) {
        if (planned.members.empty()) continue;
        const ColumnDef* def = FindColumn(*table.def, planned.name);
        auto planned_type = ParseSqlType(def->type);
        if (!planned_type.ok() || !IsTimestamp(*planned_type)) continue;
        if (!MatchesAny(PatternsOf(RuleKind::kCreatedTime), Lower(planned.name))) continue;
        if (!def->not_null && column.not_null) continue;
        return Candidate{"\"gen\": \"after\", \"of\": " + Json(planned.name) +
                             ", \"by\": { \"gen\": \"exponential\", \"mean\": \"3d\" }, "
                             "\"until\": \"end\"",
                         "time after " + planned.name + " (name)", false, false};
      }
      return Candidate{"\"gen\": \"timestamp\"", "time in the time window (name)", false, false};
    }
    case RuleKind::kFlagMostlyTrue:
      return Candidate{"\"gen\": \"bool\", \"rate\": 0.8", "flag, mostly true (name)", false,
                       false};
    case RuleKind::kFlagMostlyFalse:
      return Candidate{"\"gen\": \"bool\", \"rate\": 0.1", "flag, mostly false (name)", false,
                       false};
    case RuleKind::kFlag:
      return Candidate{"\"gen\": \"bool\"", "flag (name)", false, false};
    case RuleKind::kStatus:
      return choice({"active", "pending", "inactive", "archived"}, "status");
    case RuleKind::kKind:
      return choice({"standard", "premium", "basic"}, "kind");
    case RuleKind::kRole:
      return choice({"admin", "member", "viewer"}, "role");
    case RuleKind::kPriority:
      return choice({"low", "medium", "high"}, "level");
  }
  return std::nullopt;
}

// The text column a tsvector column of `table` is built from: the first of title, name,
// subject, body, content, description, text that is text or varchar and that seedforge writes
// (no identity, generated or defaulted column), else the first such column; "" when none.
std::string TsVectorSource(const TableDef& table) {
  std::vector<std::string> candidates;
  for (const ColumnDef& other : table.columns) {
    const StatusOr<SqlType> type =
        ParseSqlType(other.base_type.empty() ? other.type : other.base_type);
    if (!type.ok() || type->array ||
        (type->kind != SqlTypeKind::kText && type->kind != SqlTypeKind::kVarchar)) {
      continue;
    }
    if (other.identity != 0 || other.generated != 0 || !other.default_expr.empty()) continue;
    candidates.push_back(other.name);
  }
  for (const char* preferred :
       {"title", "name", "subject", "body", "content", "description", "text"}) {
    for (const std::string& name : candidates) {
      if (name == preferred) return name;
    }
  }
  return candidates.empty() ? "" : candidates.front();
}

// The generator of a column of xml, tsvector, point or a range type, and what it writes (for
// the summary); nullopt when there is none (a tsvector without a text column beside it).
std::optional<std::pair<std::string, std::string>> RichTypeSpec(const TableDef& table,
                                                                const ColumnDef& column,
                                                                const SqlType& type) {
  (void)column;
  const std::string type_text = FormatSqlType(type);
  auto range = [&](const std::string& lower, const std::string& length, const std::string& what) {
    return std::make_pair(
        "\"gen\": \"range\", \"lower\": { " + lower + " }, \"length\": { " + length + " }",
        type_text + " " + what);
  };
  switch (type.kind) {
    case SqlTypeKind::kXml:
      return std::make_pair(std::string("\"gen\": \"xml\", \"of\": { \"gen\": \"word\" }"),
                            std::string("XML document of 1 to 3 words"));
    case SqlTypeKind::kTsVector: {
      const std::string source = TsVectorSource(table);
      if (source.empty()) return std::nullopt;
      return std::make_pair("\"gen\": \"tsvector\", \"of\": " + Json(source),
                            "lexemes of " + source + ", as to_tsvector('simple', " + source + ")");
    }
    case SqlTypeKind::kPoint:
      return std::make_pair(std::string("\"gen\": \"point\""),
                            std::string("point in -180..180, -90..90"));
    case SqlTypeKind::kInt4Range:
    case SqlTypeKind::kInt8Range:
      return range("\"gen\": \"uniform\", \"min\": 0, \"max\": 1000, \"step\": 1",
                   "\"gen\": \"uniform\", \"min\": 1, \"max\": 100, \"step\": 1",
                   "[0..1000, +1..100)");
    case SqlTypeKind::kNumRange:
      return range("\"gen\": \"uniform\", \"min\": 0, \"max\": 1000, \"scale\": 2",
                   "\"gen\": \"uniform\", \"min\": 1, \"max\": 100, \"scale\": 2",
                   "[0..1000, +1..100)");
    case SqlTypeKind::kDateRange:
      return range("\"gen\": \"date\"",
                   "\"gen\": \"uniform\", \"min\": \"1d\", \"max\": \"30d\", \"step\": \"1d\"",
                   "[date in the time window, +1..30 days)");
    case SqlTypeKind::kTsRange:
    case SqlTypeKind::kTsTzRange:
      return range("\"gen\": \"timestamp\"",
                   "\"gen\": \"uniform\", \"min\": \"1h\", \"max\": \"7d\", \"step\": \"1h\"",
                   "[time in the time window, +1h..7d)");
    default:
      return std::nullopt;
  }
}

std::optional<Candidate> Inference::TypeSpec(const TablePlan& table, const ColumnDef& column,
                                             const SqlType& type, bool unique,
                                             bool declared_unique) {
  const std::string type_text = ProfileType(column.type);
  const auto found = table.bounds.find(column.name);
  const ColumnBounds empty_bounds;
  const ColumnBounds& bounds = found == table.bounds.end() ? empty_bounds : found->second;
  auto plain = [&](std::string members, std::string what, bool injective = false) {
    return Candidate{std::move(members), std::move(what) + " (type)", injective, true};
  };
  if (type.array) {
    const SqlType element = ElementType(type);
    ColumnDef element_column = column;
    element_column.type = FormatSqlType(element);
    // Elements are words, numbers...: what the element type's own fallback writes.
    std::optional<Candidate> of;
    if (InClass(element, TypeClass::kText)) {
      of = Candidate{"\"gen\": \"word\"", "", false, true};
      if (!TextFits(table, column.name,
                    "\"gen\": \"array\", \"min\": 0, \"max\": 3, \"of\": { \"gen\": \"word\" }",
                    type)) {
        of = Candidate{"\"gen\": \"pattern\", \"format\": \"?\"", "", false, true};
      }
    } else if (element.kind == SqlTypeKind::kEnum) {
      of = Candidate{"\"gen\": \"choice\"", "", false, true};
    } else {
      TablePlan without_bounds = table;
      without_bounds.bounds.clear();
      of = TypeSpec(without_bounds, element_column, element, false, false);
    }
    if (!of) return std::nullopt;
    return plain("\"gen\": \"array\", \"min\": 0, \"max\": 3, \"of\": { " + of->members + " }",
                 "array of 0 to 3 elements");
  }
  switch (type.kind) {
    case SqlTypeKind::kSmallint:
    case SqlTypeKind::kInteger:
    case SqlTypeKind::kBigint:
    case SqlTypeKind::kNumeric:
    case SqlTypeKind::kReal:
    case SqlTypeKind::kDoublePrecision: {
      if (type.kind == SqlTypeKind::kNumeric && type.scale < 0) return std::nullopt;
      NumericRange range = TypeRange(type);
      if (unique) {
        if (IsFloat(type) || !Narrow(bounds, &range)) return std::nullopt;
        range.min = std::max<int64_t>(range.min, 1);
        const int64_t unit = PowerOfTen(range.scale);
        if (static_cast<double>(range.max / unit - (range.min + unit - 1) / unit) <
            table.row_bound * 100) {
          return std::nullopt;
        }
        return plain(
            "\"gen\": \"scramble\", \"min\": " + std::to_string((range.min + unit - 1) / unit) +
                ", \"max\": " + std::to_string(range.max / unit),
            "unique " + type_text + " (scramble)", true);
      }
      NumericRange wanted = range;
      wanted.min = 0;
      if (type.kind == SqlTypeKind::kSmallint) wanted.max = 1000;
      if (type.kind == SqlTypeKind::kInteger) wanted.max = 100000;
      if (type.kind == SqlTypeKind::kBigint) wanted.max = 1000000;
      if (type.precision < 0 && !IntegerRangeOf(type)) wanted.max = 1000 * PowerOfTen(range.scale);
      NumericRange narrowed = wanted;
      if (!Narrow(bounds, &narrowed)) {
        narrowed = range;
        if (!Narrow(bounds, &narrowed)) return std::nullopt;
        narrowed.max = std::min(narrowed.max, narrowed.min + 1000 * PowerOfTen(range.scale));
        narrowed.min = std::max(narrowed.min, narrowed.max - 1000 * PowerOfTen(range.scale));
      }
      return plain(UniformSpec(type, narrowed), type_text + " " + RangeText(narrowed));
    }
    case SqlTypeKind::kBoolean:
      if (unique) return std::nullopt;
      return plain("\"gen\": \"bool\"", "boolean");
    case SqlTypeKind::kText:
    case SqlTypeKind::kVarchar:
    case SqlTypeKind::kChar: {
      if (unique) {
        auto injective = InjectiveText(table, column, type, declared_unique);
        if (injective) injective->what.replace(injective->what.size() - 5, 5, "(type)");
        if (injective) injective->fallback = true;
        return injective;
      }
      const int length = std::min(MaxCharacters(type) < 0 ? 1 << 30 : MaxCharacters(type),
                                  bounds.max_length < 0 ? 1 << 30 : bounds.max_length);
      if (type.kind == SqlTypeKind::kChar && length <= 8) {
        return plain("\"gen\": \"pattern\", \"format\": " +
                         Json(std::string(static_cast<size_t>(length), '?')),
                     std::to_string(length) + " letters");
      }
      if (bounds.min_length <= 1) {
        for (const char* spec : {"\"gen\": \"sentence\"", "\"gen\": \"word\""}) {
          if (TextFits(table, column.name, spec, type)) {
            return plain(spec, std::string(spec).find("word") != std::string::npos ? "a word"
                                                                                   : "a sentence");
          }
        }
      }
      const int letters = std::max(1, std::min(length, std::max(bounds.min_length, 8)));
      if (letters < bounds.min_length) return std::nullopt;
      return plain("\"gen\": \"pattern\", \"format\": " +
                       Json(std::string(static_cast<size_t>(letters), '?')),
                   std::to_string(letters) + " letters");
    }
    case SqlTypeKind::kDate:
      if (unique) return std::nullopt;
      return plain("\"gen\": \"date\"", "date in the time window");
    case SqlTypeKind::kTimestamp:
    case SqlTypeKind::kTimestampTz:
      if (unique) return std::nullopt;
      return plain("\"gen\": \"timestamp\"", "time in the time window");
    case SqlTypeKind::kTime:
      if (unique) return std::nullopt;
      return plain("\"gen\": \"time_of_day\"", "time of day");
    case SqlTypeKind::kInterval:
      if (unique) return std::nullopt;
      return plain(
          "\"gen\": \"interval\", \"by\": { \"gen\": \"uniform\", \"min\": \"1h\", \"max\": "
          "\"30d\", \"step\": \"1h\" }",
          "interval 1h..30d");
    case SqlTypeKind::kUuid:
      return plain("\"gen\": \"uuid\"", "UUID", true);
    case SqlTypeKind::kInet:
    case SqlTypeKind::kCidr:
      if (unique && !declared_unique) return std::nullopt;
      return plain("\"gen\": \"ipv4\"", "IPv4 address in 10.0.0.0/8", unique);
    case SqlTypeKind::kMacAddr:
      if (unique && !declared_unique) return std::nullopt;
      return plain("\"gen\": \"mac\"", "MAC address", unique);
    case SqlTypeKind::kJson:
    case SqlTypeKind::kJsonb:
      if (unique) return std::nullopt;
      return plain("\"gen\": \"json\", \"fields\": { \"value\": { \"gen\": \"word\" } }",
                   "JSON object");
    case SqlTypeKind::kBytea:
    case SqlTypeKind::kMoney:  // PlanColumns draws it as a numeric(12,2)
    case SqlTypeKind::kEnum:
      return std::nullopt;
    case SqlTypeKind::kXml:
    case SqlTypeKind::kTsVector:
    case SqlTypeKind::kPoint:
    case SqlTypeKind::kInt4Range:
    case SqlTypeKind::kInt8Range:
    case SqlTypeKind::kNumRange:
    case SqlTypeKind::kDateRange:
    case SqlTypeKind::kTsRange:
    case SqlTypeKind::kTsTzRange: {
      if (unique) return std::nullopt;
      std::optional<std::pair<std::string, std::string>> spec =
          RichTypeSpec(*table.def, column, type);
      if (!spec) return std::nullopt;
      return plain(std::move(spec->first), std::move(spec->second));
    }
  }
  return std::nullopt;
}

StatusOr<Candidate> Inference::ValueSpec(const TablePlan& table, const ColumnDef& column,
                                         const SqlType& type, bool unique, bool declared_unique) {
  const auto found = table.bounds.find(column.name);
  const std::string type_text = ProfileType(column.type);
  auto cannot = [&](const std::string& what) {
    return Fail(table, "column " + column.name + " (" + column.type + ") " + what);
  };
  if (found != table.bounds.end() && !found->second.values.empty()) {
    if (unique) return cannot("is unique and limited to a CHECK's list of values");
    std::string list;
    for (const std::string& value : found->second.values) {
      list += (list.empty() ? "" : ", ") + (found->second.numeric_values ? value : Json(value));
    }
    return Candidate{"\"gen\": \"choice\", \"values\": [" + list + "]",
                     found->second.partition_values ? "one of its partitions' values (partition)"
                                                    : "one of the CHECK's values (check)",
                     false, false};
  }
  if (type.kind == SqlTypeKind::kEnum) {
    const std::string element = type.array ? FormatSqlType(ElementType(type)) : FormatSqlType(type);
    std::string qualified = column.type;
    if (type.array) qualified.resize(qualified.size() - 2);
    if (!enum_labels_.count(qualified)) {
      return cannot(
          "is of a type init cannot generate (not an enum: a domain, a composite or an "
          "extension's type)");
    }
    if (unique) return cannot("is a unique enum column");
    used_enums_.insert(qualified);
    if (type.array) {
      return Candidate{
          "\"gen\": \"array\", \"min\": 0, \"max\": 3, \"of\": { \"gen\": \"choice\" }",
          "array of enum " + ProfileType(qualified), false, false};
    }
    return Candidate{"\"gen\": \"choice\"", "enum " + ProfileType(qualified), false, false};
  }
  const std::string lower = Lower(column.name);
  for (const NameRule& rule : kNameRules) {
    if (!MatchesAny(rule.patterns, lower)) continue;
    if (!InClass(type, rule.type)) continue;
    std::optional<Candidate> candidate = NameRuleSpec(table, column, type, rule);
    if (candidate && (!unique || candidate->injective)) return *candidate;
    break;
  }
  std::optional<Candidate> candidate = TypeSpec(table, column, type, unique, declared_unique);
  if (!candidate) {
    if (unique) return cannot("is unique and init has no injective generator that fits it");
    return cannot("has no generator whose values fit it and its CHECKs");
  }
  return *candidate;
}

Status Inference::ApplyOrders(TablePlan* table) {
  for (const ColumnOrder& order : table->orders) {
    ColumnPlan* lower = nullptr;
    ColumnPlan* upper = nullptr;
    for (ColumnPlan& column : table->columns) {
      if (column.name == order.lower) lower = &column;
      if (column.name == order.upper) upper = &column;
    }
    const std::string pair = order.lower + (order.strict ? " < " : " <= ") + order.upper;
    if (lower == nullptr || upper == nullptr || lower->members.empty() || upper->members.empty()) {
      return Fail(*table, "CHECK " + pair + " reads a column the server fills");
    }
    // Ids and references keep their generators: a pair's first is below its second, an earlier
    // row's id below the row's own; any other order of them is beyond init.
    auto generator = [](const ColumnPlan& column) {
      const size_t start = column.members.find("\"gen\": \"") + 8;
      return column.members.substr(start, column.members.find('"', start) - start);
    };
    const std::string lower_gen = generator(*lower), upper_gen = generator(*upper);
    const bool keyed = lower_gen == "id" || lower_gen == "ref" || lower_gen == "parent" ||
                       lower_gen == "pair" || lower_gen == "index_in_parent" || upper_gen == "id" ||
                       upper_gen == "ref" || upper_gen == "parent" || upper_gen == "pair" ||
                       upper_gen == "index_in_parent";
    if (keyed) {
      const bool pair_order = order.lower == table->pair_first && order.upper == table->pair_second;
      const bool earlier_row =
          order.upper == table->id && lower->members.find("\"earlier\": true") != std::string::npos;
      if (pair_order || earlier_row) continue;
      return Fail(*table, "CHECK " + pair + " orders ids or references in a way init cannot keep");
    }
    const ColumnDef* lower_def = FindColumn(*table->def, order.lower);
    const ColumnDef* upper_def = FindColumn(*table->def, order.upper);
    auto lower_type = ParseSqlType(lower_def->type);
    auto upper_type = ParseSqlType(upper_def->type);
    if (!lower_type.ok() || !upper_type.ok()) return Fail(*table, "CHECK " + pair);
    if (IsTimestamp(*lower_type) && IsTimestamp(*upper_type) &&
        (lower_def->not_null || !upper_def->not_null)) {
      upper->members = "\"gen\": \"after\", \"of\": " + Json(order.lower) +
                       ", \"by\": { \"gen\": \"exponential\", \"mean\": \"3d\"" +
                       (order.strict ? ", \"min\": \"1s\"" : "") + " }";
      upper->what = "time after " + order.lower + " (check)";
      upper->fallback = false;
      continue;
    }
    if (lower_type->kind == SqlTypeKind::kDate && upper_type->kind == SqlTypeKind::kDate &&
        !lower_type->array && !upper_type->array) {
      lower->members = "\"gen\": \"date\", \"to\": \"2025-01-01\"";
      lower->what = "date in 2024, before " + order.upper + " (check)";
      upper->members = "\"gen\": \"date\", \"from\": \"2025-01-01\"";
      upper->what = "date in 2025, after " + order.lower + " (check)";
      lower->fallback = upper->fallback = false;
      continue;
    }
    if (InClass(*lower_type, TypeClass::kNumber) && InClass(*upper_type, TypeClass::kNumber) &&
        !table->bounds.count(order.lower) && !table->bounds.count(order.upper) &&
        !IsFloat(*lower_type) && !IsFloat(*upper_type)) {
      NumericRange low = TypeRange(*lower_type), high = TypeRange(*upper_type);
      low.min = 0;
      low.max = 499 * PowerOfTen(low.scale);
      high.min = 500 * PowerOfTen(high.scale);
      high.max = 1000 * PowerOfTen(high.scale);
      lower->members = UniformSpec(*lower_type, low);
      lower->what = RangeText(low) + ", below " + order.upper + " (check)";
      upper->members = UniformSpec(*upper_type, high);
      upper->what = RangeText(high) + ", above " + order.lower + " (check)";
      lower->fallback = upper->fallback = false;
      continue;
    }
    return Fail(*table, "CHECK " + pair + " compares columns init cannot order (" +
                            lower_def->type + ", " + upper_def->type + ")");
  }
  return Status::Ok();
}

Status Inference::PlanColumns(TablePlan* table, const std::vector<TablePlan>& tables) {
  const TableDef& def = *table->def;
  for (const ConstraintDef& constraint : def.constraints) {
    if (table->IsKey(constraint) && constraint.columns.size() == 1) {
      table->unique_columns.insert(constraint.columns[0]);
    }
  }
  for (const IndexDef& index : def.indexes) {
    if (index.definition.rfind("CREATE UNIQUE INDEX", 0) != 0) continue;
    const std::vector<std::string> columns = UniqueIndexColumns(index);
    if (columns.empty()) {
      return Fail(*table, "unique index " + index.name +
                              " is on an expression; init cannot prove it holds");
    }
    if (columns.size() == 1) table->unique_indexed.insert(columns[0]);
  }
  auto edge_of = [&](const std::string& column) -> const Edge* {
    for (const Edge& edge : table->edges) {
      if (std::find(edge.constraint->columns.begin(), edge.constraint->columns.end(), column) !=
          edge.constraint->columns.end()) {
        return &edge;
      }
    }
    return nullptr;
  };
  // The id first, then every other column in the table's order; name-dependent templates
  // (e-mail, user name) after the columns they read.
  std::vector<const ColumnDef*> ordered;
  if (!table->no_id) ordered.push_back(FindColumn(def, table->id));
  for (const ColumnDef& column : def.columns) {
    if (column.name != table->id) ordered.push_back(&column);
  }
  std::vector<const ColumnDef*> second_pass;
  auto plan_column = [&](const ColumnDef& column, ColumnPlan* plan) -> Status {
    plan->name = column.name;
    plan->type = ProfileType(column.type);
    if (column.name == table->id) {
      plan->members = "\"gen\": \"id\"";
      plan->what = table->uuid_id ? "id 1, 2, 3... as time-ordered UUIDs (primary key)"
                                  : "id 1, 2, 3... (primary key)";
      return Status::Ok();
    }
    if (column.generated != 0) {
      plan->what = "left to the server (generated column)";
      return Status::Ok();
    }
    if (column.identity != 0) {
      plan->what = "left to the server (identity)";
      return Status::Ok();
    }
    if (const auto left = table->left_to_server.find(column.name);
        left != table->left_to_server.end()) {
      plan->what = "left to the server (" + left->second + "; " +
                   (column.not_null ? "it has a default)" : "NULL)");
      return Status::Ok();
    }
    if (const TriggerDef* trigger = def.FillingTrigger(column.name)) {
      plan->what = "left to the server (set by trigger " + QuoteIdentifier(trigger->name) + ")";
      return Status::Ok();
    }
    if (const auto found = maintained_.find({&def, column.name}); found != maintained_.end()) {
      if (column.not_null && column.default_expr.empty()) {
        return Fail(*table, "column " + column.name + " is NOT NULL without a default, and " +
                                found->second +
                                " updates it: the values a seed writes would not stay as "
                                "generated");
      }
      plan->what = "left to the server (" + found->second + " updates it)";
      return Status::Ok();
    }
    if (column.default_expr.rfind("nextval(", 0) == 0) {
      if (table->unique_columns.count(column.name) || table->unique_indexed.count(column.name)) {
        plan->what = "left to the server (its sequence; unique)";
      } else {
        plan->what = "left to the server (its sequence)";
      }
      return Status::Ok();
    }
    if (const auto copy = table->copied.find(column.name); copy != table->copied.end()) {
      const auto via = std::find_if(table->edges.begin(), table->edges.end(), [&](const Edge& e) {
        return e.live && e.column == copy->second.first && !e.lookups.empty();
      });
      if (via != table->edges.end()) {
        const TablePlan& target = tables[via->target];
        const auto source =
            std::find_if(target.columns.begin(), target.columns.end(),
                         [&](const ColumnPlan& c) { return c.name == copy->second.second; });
        if (via->forward || source == target.columns.end() || source->members.empty()) {
          return Fail(*table, "column " + column.name + " copies " + target.key + "." +
                                  copy->second.second + " (composite foreign key " +
                                  via->constraint->name + "), which init does not generate" +
                                  (via->forward ? " before this table" : ""));
        }
        plan->members = "\"gen\": \"lookup\", \"via\": " + Json(via->column) +
                        ", \"column\": " + Json(copy->second.second);
        plan->what = "the " + copy->second.second + " of its " + via->column +
                     " row (composite foreign key " + via->constraint->name + ")";
        return Status::Ok();
      }
    }
    if (const Edge* edge = edge_of(column.name)) {
      if (!edge->live) {
        plan->members = "\"gen\": \"null\"";
        plan->what = "NULL: " + edge->why;
        return Status::Ok();
      }
      std::string options;
      if (!edge->on_delete.empty()) options += ", \"on_delete\": " + Json(edge->on_delete);
      if (!edge->lookups.empty()) {
        std::string pairs;
        for (size_t i = 0; i < edge->constraint->columns.size(); ++i) {
          pairs += (i == 0 ? "" : ", ") + Json(edge->constraint->columns[i]) + ": " +
                   Json(edge->constraint->referenced_columns[i]);
        }
        options += ", \"foreign_key\": {" + pairs + "}";
      }
      const TablePlan& target = tables[edge->target];
      const bool self = &target == table;
      if (table->parent_edge >= 0 && &table->edges[table->parent_edge] == edge) {
        if (edge->deferrable) options += ", \"deferrable\": true";
        plan->members = "\"gen\": \"parent\"" + options;
        plan->what = "parent row of " + target.key + " (foreign key)";
        return Status::Ok();
      }
      if (column.name == table->pair_first || column.name == table->pair_second) {
        if (edge->deferrable) options += ", \"deferrable\": true";
        const bool first = column.name == table->pair_first;
        plan->members = "\"gen\": \"pair\", \"of\": " + Json(target.key) +
                        ", \"part\": " + (first ? "\"first\"" : "\"second\"") + options;
        plan->what = std::string(first ? "the first" : "the second") + " of a distinct pair of " +
                     target.key + " rows (unique key)";
        return Status::Ok();
      }
      if (self) {
        if (edge->nullable) {
          plan->members = "\"gen\": \"ref\", \"to\": " + Json(target.key) + ", \"earlier\": true" +
                          (edge->deferrable ? ", \"deferrable\": true" : "") + options;
          plan->what = "an earlier row of " + target.key + ", NULL in the first (foreign key)";
        } else {
          plan->members =
              "\"gen\": \"ref\", \"to\": " + Json(target.key) + options + ", \"deferrable\": true";
          plan->what = "any row of " + target.key + " (deferrable foreign key)";
        }
        return Status::Ok();
      }
      if (column.name == table->distinct_column) {
        plan->members = "\"gen\": \"ref\", \"to\": " + Json(target.key) + ", \"distinct\": true" +
                        (edge->deferrable ? ", \"deferrable\": true" : "") + options;
        plan->what = "a row of " + target.key + ", distinct under its " +
                     table->edges[table->parent_edge].column + " (unique key)";
        return Status::Ok();
      }
      if (edge->deferrable) options += ", \"deferrable\": true";
      if (edge->forward && !edge->deferrable) options += ", \"breaks_cycle\": true";
      plan->members = "\"gen\": \"ref\", \"to\": " + Json(target.key) +
                      (edge->nullable ? ", \"null_rate\": 0.1" : "") + options;
      plan->what = "a row of " + target.key;
      if (edge->nullable) {
        plan->what += " or NULL (foreign key)";
      } else if (edge->forward && edge->deferrable) {
        plan->what +=
            " (deferrable foreign key: " + target.key + " loads after this table to break a cycle)";
      } else if (edge->forward) {
        plan->what += " (foreign key taken down during the load and put back: " + target.key +
                      " loads after this table to break the cycle " + edge->cycle + ")";
      } else {
        plan->what += " (foreign key)";
      }
      return Status::Ok();
    }
    if (column.name == table->index_column) {
      plan->members = "\"gen\": \"index_in_parent\"";
      plan->what =
          "1, 2... within its " + table->edges[table->parent_edge].column + " (unique key)";
      return Status::Ok();
    }
    auto type = ParseSqlType(column.type);
    const bool unique =
        table->unique_columns.count(column.name) || table->unique_indexed.count(column.name);
    const bool declared_unique = table->unique_columns.count(column.name) > 0;
    // numeric(p,s) with s = p holds only fractions, which the compiler's digit count refuses;
    // more than 8 decimals do not fit the generators' 64-bit unscaled values with room to spare.
    if (!type.ok() || type->kind == SqlTypeKind::kBytea ||
        (type->kind == SqlTypeKind::kNumeric && type->precision > 0 &&
         (type->precision - type->scale < 1 || type->scale > 8)) ||
        (type->kind == SqlTypeKind::kEnum &&
         !enum_labels_.count(type->array ? column.type.substr(0, column.type.size() - 2)
                                         : column.type))) {
      const std::string type_text = column.base_type.empty()
                                        ? column.type
                                        : column.base_type + " (a domain over " + column.type + ")";
      if (!column.not_null || !column.default_expr.empty()) {
        plan->what = "left to the server (type " + type_text + " is not one init generates; " +
                     (column.not_null ? "it has a default)" : "NULL)");
        return Status::Ok();
      }
      return Fail(*table, "column " + column.name + " is " + type_text +
                              ", which init cannot generate, NOT NULL without a default");
    }
    // money: drawn as a numeric(12,2) (amounts up to 9,999,999,999.99), written in cents.
    SqlType drawn = *type;
    if (drawn.kind == SqlTypeKind::kMoney) {
      drawn.kind = SqlTypeKind::kNumeric;
      drawn.precision = 12;
      drawn.scale = 2;
    }
    SF_ASSIGN_OR_RETURN(Candidate candidate,
                        ValueSpec(*table, column, drawn, unique, declared_unique));
    plan->members = candidate.members + (declared_unique ? ", \"unique\": true" : "");
    plan->what = candidate.what;
    if (!column.base_type.empty()) plan->what += " [domain " + column.base_type + "]";
    plan->fallback = candidate.fallback;
    return Status::Ok();
  };
  auto depends_on_names = [](const ColumnDef& column) {
    const std::string lower = Lower(column.name);
    return MatchesAny(PatternsOf(RuleKind::kEmail), lower) ||
           MatchesAny(PatternsOf(RuleKind::kUsername), lower);
  };
  table->columns.resize(ordered.size());
  std::vector<size_t> later;
  for (size_t i = 0; i < ordered.size(); ++i) {
    if (depends_on_names(*ordered[i])) {
      later.push_back(i);
      table->columns[i].name = ordered[i]->name;
      continue;
    }
    SF_RETURN_IF_ERROR(plan_column(*ordered[i], &table->columns[i]));
  }
  for (const size_t i : later) SF_RETURN_IF_ERROR(plan_column(*ordered[i], &table->columns[i]));
  // A CHECK's bounds must be met by the column's generator: the value generators take them; ids,
  // references and positions start at 1 and grow with the rows; the server's own values (a
  // generated column, a sequence) are out of init's hands. NULL meets every bound.
  for (const auto& [name, bounds] : table->bounds) {
    const ColumnDef* column = FindColumn(def, name);
    const ColumnPlan* plan = nullptr;
    for (const ColumnPlan& candidate : table->columns) {
      if (candidate.name == name) plan = &candidate;
    }
    const bool left_null = plan->members.empty() && !column->not_null &&
                           column->default_expr.empty() && column->generated == 0 &&
                           column->identity == 0;
    const bool counts_from_one = plan->members.find("\"gen\": \"id\"") == 0 ||
                                 plan->members.find("\"gen\": \"ref\"") == 0 ||
                                 plan->members.find("\"gen\": \"parent\"") == 0 ||
                                 plan->members.find("\"gen\": \"index_in_parent\"") == 0;
    const bool only_low_bound =
        !bounds.max && bounds.values.empty() && bounds.max_length < 0 && bounds.min_length == 0 &&
        (!bounds.min || *bounds.min < 1 || (*bounds.min == 1 && !bounds.min_strict));
    // What a trigger fills is the application's to keep within its CHECKs (the server checks
    // every row the trigger filled).
    const bool by_trigger =
        def.FillingTrigger(name) != nullptr || maintained_.count({&def, name}) != 0;
    if (left_null || by_trigger || plan->members == "\"gen\": \"null\"" ||
        (counts_from_one && only_low_bound)) {
      continue;
    }
    if (plan->members.empty() || counts_from_one) {
      return Fail(*table, "a CHECK bounds column " + name + ", whose values " +
                              (plan->members.empty() ? "the server fills"
                                                     : "are ids or positions counted from 1") +
                              "; init cannot make it hold");
    }
  }
  return ApplyOrders(table);
}

Status Inference::PlanCompositeKeys(TablePlan* table) {
  for (const ConstraintDef* key_def : table->Keys()) {
    const ConstraintDef& constraint = *key_def;
    if (constraint.columns.size() < 2) continue;
    const std::vector<std::string>& key = constraint.columns;
    bool holds = false;
    for (const std::string& column : key) {
      if (column == table->id || table->unique_columns.count(column)) holds = true;
    }
    if (key.size() == 2 && !table->pair_first.empty() &&
        std::find(key.begin(), key.end(), table->pair_first) != key.end() &&
        std::find(key.begin(), key.end(), table->pair_second) != key.end()) {
      holds = true;
    }
    if (table->parent_edge >= 0 && key.size() == 2) {
      const std::string& parent = table->edges[table->parent_edge].column;
      for (const std::string* other : {&table->index_column, &table->distinct_column}) {
        if (!other->empty() && std::find(key.begin(), key.end(), parent) != key.end() &&
            std::find(key.begin(), key.end(), *other) != key.end()) {
          holds = true;
        }
      }
    }
    // Else make a text column of the key injective: a template with the row number.
    for (const std::string& column : key) {
      if (holds) break;
      for (ColumnPlan& plan : table->columns) {
        if (plan.name != column || plan.members.empty()) continue;
        const ColumnDef* def = FindColumn(*table->def, column);
        auto type = ParseSqlType(def->type);
        if (!type.ok() || !InClass(*type, TypeClass::kText) ||
            plan.members.find("\"gen\": \"ref\"") != std::string::npos ||
            plan.members.find("\"gen\": \"parent\"") != std::string::npos) {
          continue;
        }
        if (plan.members.find("{n}") != std::string::npos) {
          holds = true;
          break;
        }
        if (auto injective = InjectiveText(*table, *def, *type, false)) {
          plan.members = injective->members;
          plan.what = injective->what;
          plan.fallback = false;
          holds = true;
          break;
        }
      }
    }
    // Else a timestamp of the key, one row per hour from the window's start (a time series'
    // (symbol, observed_at)), unless a CHECK orders or bounds it.
    for (const std::string& column : key) {
      if (holds) break;
      const bool ordered = std::any_of(
          table->orders.begin(), table->orders.end(),
          [&](const ColumnOrder& order) { return order.lower == column || order.upper == column; });
      if (ordered || table->bounds.count(column)) continue;
      for (ColumnPlan& plan : table->columns) {
        if (plan.name != column || plan.members.empty()) continue;
        auto type = ParseSqlType(FindColumn(*table->def, column)->type);
        if (!type.ok() || !IsTimestamp(*type)) continue;
        plan.members = "\"gen\": \"monotone_time\", \"every\": \"1h\", \"jitter\": false";
        plan.what = "one time per row, an hour apart (key)";
        plan.fallback = false;
        holds = true;
      }
    }
    if (!holds) {
      return Fail(*table, std::string(constraint.type == 'p'   ? "primary key "
                                      : constraint.type == 'i' ? "unique index "
                                                               : "unique key ") +
                              constraint.name + " (" + ColumnList(key) +
                              ") has no column init can make injective (an id, a text column, "
                              "a timestamp, or a position within the parent row)");
    }
    if (constraint.type == 'u') table->unique_keys.push_back(key);
  }
  return Status::Ok();
}

std::string Inference::EmitProfile(const std::vector<TablePlan>& tables,
                                   const std::vector<int>& order, std::string* tables_json,
                                   std::string* types_json) const {
  std::string types;
  for (const std::string& type : used_enums_) {
    std::string labels;
    for (const std::string& label : enum_labels_.at(type)) {
      labels += (labels.empty() ? "" : ", ") + Json(label);
    }
    types += std::string(types.empty() ? "" : ",\n") + "    " + Json(ProfileType(type)) +
             ": { \"enum\": [" + labels + "] }";
  }
  std::string body;
  for (const int t : order) {
    const TablePlan& table = tables[t];
    std::string text = "    " + Json(table.key) + ": {\n";
    if (table.def->schema != "public")
      text += "      \"schema\": " + Json(table.def->schema) + ",\n";
    if (table.parent_edge >= 0) {
      text +=
          "      \"rows\": { \"per\": " + Json(tables[table.edges[table.parent_edge].target].key) +
          ", \"min\": " + std::to_string(table.per_min) +
          ", \"max\": " + std::to_string(table.per_max) + " },\n";
    } else {
      text += "      \"rows\": " + std::to_string(options_.rows) + ",\n";
    }
    if (table.no_id) {
      std::string names;
      for (const std::string& name : table.primary_key_columns) {
        names += (names.empty() ? "" : ", ") + Json(name);
      }
      text += "      \"primary_key\": [" + names + "],\n";
    }
    text += "      \"columns\": {\n";
    bool first = true;
    for (const ColumnPlan& column : table.columns) {
      if (column.members.empty()) continue;
      text += std::string(first ? "" : ",\n") + "        " + Json(column.name) +
              ": { \"type\": " + Json(column.type) + ", " + column.members + " }";
      first = false;
    }
    text += "\n      }";
    auto lists = [](const std::vector<std::vector<std::string>>& keys) {
      std::string out;
      for (const std::vector<std::string>& key : keys) {
        std::string names;
        for (const std::string& name : key) names += (names.empty() ? "" : ", ") + Json(name);
        out += (out.empty() ? "" : ", ") + ("[" + names + "]");
      }
      return out;
    };
    if (!table.unique_keys.empty())
      text += ",\n      \"unique\": [" + lists(table.unique_keys) + "]";
    std::vector<std::vector<std::string>> indexes;
    for (const IndexDef& index : table.def->indexes) {
      std::vector<std::string> columns = IndexColumns(index.definition);
      const bool all_written =
          !columns.empty() &&
          std::all_of(columns.begin(), columns.end(), [&](const std::string& c) {
            return std::any_of(
                table.columns.begin(), table.columns.end(),
                [&](const ColumnPlan& p) { return p.name == c && !p.members.empty(); });
          });
      if (all_written && std::find(indexes.begin(), indexes.end(), columns) == indexes.end()) {
        indexes.push_back(std::move(columns));
      }
    }
    if (!indexes.empty()) text += ",\n      \"indexes\": [" + lists(indexes) + "]";
    std::string checks;
    for (const ConstraintDef& constraint : table.def->constraints) {
      if (constraint.type != 'c') continue;
      checks += std::string(checks.empty() ? "" : ",\n") + "        " + Json(constraint.name) +
                ": " + Json(CheckExpression(constraint.definition));
    }
    if (!checks.empty()) text += ",\n      \"checks\": {\n" + checks + "\n      }";
    text += "\n    }";
    body += (body.empty() ? "" : ",\n") + text;
  }
  *tables_json = "{\n" + body + "\n  }";
  *types_json = types.empty() ? "" : "{\n" + types + "\n  }";
  std::string profile = "{\n  \"name\": " + Json(options_.name) + ",\n";
  profile += "  \"description\": " +
             Json("Inferred by seedforge init from " +
                  (options_.source.empty() ? std::string("a schema") : options_.source)) +
             ",\n";
  profile += "  \"seed\": 42,\n";
  if (!types.empty()) profile += "  \"types\": " + *types_json + ",\n";
  profile += "  \"tables\": " + *tables_json + "\n}\n";
  return profile;
}

StatusOr<InferredProfile> Inference::Run(const std::vector<TableDef>& defs) {
  std::vector<TablePlan> tables;
  for (const TableDef& def : defs) {
    if (def.schema == "seedforge") continue;  // seedforge's own history
    bool selected = options_.tables.empty();
    for (const std::string& pattern : options_.tables)
      selected = selected || TableMatches(pattern, def);
    for (const std::string& pattern : options_.exclude)
      selected = selected && !TableMatches(pattern, def);
    if (!selected) continue;
    TablePlan table;
    table.def = &def;
    table.key = QuoteIdentifier(def.name);
    for (const TablePlan& other : tables) {
      if (other.def->name == def.name) {
        return Fail(table, "has the name of table " + other.def->QualifiedName() +
                               "; a profile names tables without their schema");
      }
    }
    tables.push_back(std::move(table));
  }
  ReadTriggers(defs, &tables);
  if (tables.empty()) {
    return InvalidArgument(
        "no table to declare (the database has none in the schemas read, or "
        "--table and --exclude left none)");
  }
  for (TablePlan& table : tables) SF_RETURN_IF_ERROR(ReadShape(&table));
  SF_RETURN_IF_ERROR(ReadForeignKeys(&tables));
  SF_RETURN_IF_ERROR(BreakCycles(&tables));
  const std::vector<int> order = LoadOrder(tables);
  for (const int t : order) {
    TablePlan& table = tables[t];
    for (const ConstraintDef& constraint : table.def->constraints) {
      if (table.IsKey(constraint) && constraint.columns.size() == 1) {
        table.unique_columns.insert(constraint.columns[0]);
      }
    }
    SF_RETURN_IF_ERROR(ReadChecks(&table));
    SF_RETURN_IF_ERROR(ReadPartitions(&table));
    SF_RETURN_IF_ERROR(ChooseParent(&table, tables));
    SF_RETURN_IF_ERROR(PlanColumns(&table, tables));
    SF_RETURN_IF_ERROR(PlanCompositeKeys(&table));
    PlanPartitionTime(&table);
  }

  InferredProfile out;
  std::string tables_json, types_json;
  out.json = EmitProfile(tables, order, &tables_json, &types_json);
  // What init writes must load: compile it as `seed` will.
  DeclareOptions declare;
  declare.origin = "the inferred profile";
  declare.types_json = types_json;
  auto compiled = CompileDeclaredTables(tables_json, declare);
  if (!compiled.ok()) {
    return Internal("init inferred a profile that does not compile (a bug in init): " +
                    compiled.status().message());
  }

  std::vector<std::string> typed, fallback;
  int columns = 0;
  for (const int t : order) {
    const TablePlan& table = tables[t];
    if (table.parent_edge >= 0) {
      const Edge& edge = table.edges[table.parent_edge];
      out.summary.push_back(
          table.key + ": " +
          (table.per_min == table.per_max
               ? std::to_string(table.per_min)
               : std::to_string(table.per_min) + " to " + std::to_string(table.per_max)) +
          (table.per_max == 1 ? " row" : " rows") + " per row of " + tables[edge.target].key +
          " (through " + edge.column + ")");
    } else {
      out.summary.push_back(table.key + ": " + std::to_string(options_.rows) + " rows (--rows)");
    }
    if (table.no_id) {
      out.summary.back() +=
          table.primary_key_columns.empty()
              ? "; no primary key: no id, every row it holds counts as generated"
              : "; primary key (" + ColumnList(table.primary_key_columns) +
                    "), made by construction: no id, every row it holds counts as generated";
    }
    for (const ColumnPlan& column : table.columns) {
      if (!column.members.empty()) ++columns;
      const std::string line = table.key + "." + QuoteIdentifier(column.name) + ": " + column.what;
      (column.fallback ? fallback : typed).push_back(line);
    }
  }
  out.tables = static_cast<int>(tables.size());
  out.columns = columns;
  out.summary.insert(out.summary.begin(), std::to_string(out.tables) + " tables, " +
                                              std::to_string(columns) + " generated columns (" +
                                              std::to_string(fallback.size()) +
                                              " from their type alone, listed last)");
  out.summary.insert(out.summary.end(), partition_lines_.begin(), partition_lines_.end());
  out.summary.insert(out.summary.end(), trigger_lines_.begin(), trigger_lines_.end());
  out.summary.insert(out.summary.end(), typed.begin(), typed.end());
  out.summary.insert(out.summary.end(), fallback.begin(), fallback.end());
  return out;
}

}  // namespace

Status InferOptions::Validate() const {
  if (rows < 1 || rows > 1'000'000'000) {
    return InvalidArgument("--rows must be between 1 and 1000000000, got " + std::to_string(rows));
  }
  for (const std::string& pattern : tables) {
    if (pattern.empty()) return InvalidArgument("--table needs a table name or pattern");
  }
  for (const std::string& pattern : exclude) {
    if (pattern.empty()) return InvalidArgument("--exclude needs a table name or pattern");
  }
  return Status::Ok();
}

bool TableMatches(const std::string& pattern, const TableDef& table) {
  return Glob(pattern, table.name) || Glob(pattern, table.schema + "." + table.name);
}

StatusOr<InferredProfile> InferProfile(
    const std::vector<TableDef>& tables,
    const std::map<std::string, std::vector<std::string>>& enum_labels,
    const InferOptions& options) {
  SF_RETURN_IF_ERROR(options.Validate());
  // A domain column is declared with the domain's base type (which the table takes), and the
  // domain's CHECKs bound its generator as the table's own do (ReadChecks).
  std::vector<TableDef> resolved = tables;
  for (TableDef& table : resolved) {
    for (ColumnDef& column : table.columns) {
      if (!column.base_type.empty()) std::swap(column.type, column.base_type);
    }
  }
  Inference inference(enum_labels, options);
  return inference.Run(resolved);
}

}  // namespace seedforge
