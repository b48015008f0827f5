// Times: uniform or weekday/hour-weighted in a window, monotone with the row, after other
// columns by a distribution of durations, dates, times of day and intervals.
//
// Weighted times choose one of the 168 (weekday, hour) cells of the week with a weight of
// weekly[day] * hourly[hour] * (how many such hours the window holds), then one of those hours
// uniformly, then a moment inside it: exact for any window, O(1) per row, with a table of 168
// entries instead of one per hour of the window. Monotone times place row r at
// from + (r / per) * every (+ jitter inside the step), independent of the table's target, so a
// top-up continues the sequence without moving the rows already written.
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <optional>

#include "core/civil_time.h"
#include "generators/values/alias_table.h"
#include "generators/values/spec_reader.h"
#include "generators/values/uniform_int.h"

namespace seedforge::values::internal {
namespace {

int64_t UniformMicros(CounterEngine& engine, int64_t from, int64_t to) {
  boost::random::uniform_int_distribution<int64_t> pick(from, to - 1);
  return pick(engine);
}

Status ReadWeights(Spec& spec, std::string_view key, size_t count, std::vector<double>* out) {
  if (!spec.Has(key)) return Status::Ok();
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Element(key, &element));
  dom::array array;
  if (element.get_array().get(array) || array.size() != count) {
    return spec.Error(key, "expected an array of " + std::to_string(count) + " weights");
  }
  double total = 0;
  for (dom::element item : array) {
    double weight = 0;
    if (item.get_double().get(weight) || !(weight >= 0) || !std::isfinite(weight)) {
      return spec.Error(key, "weights must be numbers >= 0");
    }
    out->push_back(weight);
    total += weight;
  }
  if (!(total > 0)) return spec.Error(key, "weights must not all be 0");
  return Status::Ok();
}

Status ReadWindow(Spec& spec, int64_t* from, int64_t* to) {
  *from = spec.options().window_start_micros;
  *to = spec.options().window_end_micros;
  SF_RETURN_IF_ERROR(spec.Time("from", from));
  SF_RETURN_IF_ERROR(spec.Time("to", to));
  if (*to <= *from) return spec.Error("to", "must be after from");
  return Status::Ok();
}

// Links the time columns a generator reads (`after` of a timestamp, `of` of after): each must be
// a timestamp or date, and a NULL in any makes the generator's value nullable.
Status LinkTimeColumns(std::span<const GeneratorInfo* const> columns, const std::vector<int>& read,
                       const std::vector<std::string>& names, const std::string& path,
                       GeneratorInfo* info) {
  for (size_t i = 0; i < read.size(); ++i) {
    const GeneratorInfo& column = *columns[read[i]];
    info->can_be_null = info->can_be_null || column.can_be_null;
    if (column.kind != ValueKind::kTimestamp && column.kind != ValueKind::kDate &&
        column.kind != ValueKind::kNull) {
      return InvalidArgument(path + ": column '" + names[i] + "' produces " +
                             std::string(ValueKindName(column.kind)) + ", not a timestamp or date");
    }
  }
  return Status::Ok();
}

// The latest non-NULL value of `read` in this row; false when all are NULL.
bool LatestOf(const RowContext& context, const std::vector<int>& read, int64_t* latest) {
  bool any = false;
  for (int column : read) {
    const Value& value = context.columns[column];
    if (value.is_null()) continue;
    *latest = any ? std::max(*latest, value.integer_value()) : value.integer_value();
    any = true;
  }
  return any;
}

// A moment inside an hour, in microseconds.
const UniformInt<int64_t> kMicrosInHour(0, kMicrosPerHour - 1);
const UniformInt<int64_t> kMicrosInDay(0, kMicrosPerDay - 1);

// Hours since the epoch start on a Thursday: cell = (hour + 72) % 168 with Monday 00:00 as 0.
constexpr int64_t kHoursPerWeek = 168;
constexpr int64_t kEpochWeekOffset = 72;  // 1970-01-01 00:00 is Thursday, 72 h after Monday

class TimestampGenerator final : public ColumnGenerator {
 public:
  TimestampGenerator(uint64_t key, int64_t from, int64_t to, const std::vector<double>& weekly,
                     const std::vector<double>& hourly, ValueKind kind, std::vector<int> after = {},
                     std::vector<std::string> after_names = {}, std::string path = {})
      : key_(key),
        from_(from),
        to_(to),
        kind_(kind),
        after_(std::move(after)),
        after_names_(std::move(after_names)),
        path_(std::move(path)),
        window_(from, to - 1) {
    info_.kind = kind;
    info_.has_range = true;
    info_.min = from;
    info_.max = to - 1;
    if (weekly.empty() && hourly.empty()) return;
    first_hour_ = FloorDiv(from, kMicrosPerHour);
    const int64_t last_hour = FloorDiv(to - 1, kMicrosPerHour);
    std::vector<double> weights(kHoursPerWeek);
    for (int64_t cell = 0; cell < kHoursPerWeek; ++cell) {
      // The first hour of the window in this cell, and how many the window holds.
      const int64_t first_cell =
          ((first_hour_ + kEpochWeekOffset) % kHoursPerWeek + kHoursPerWeek) % kHoursPerWeek;
      const int64_t offset = ((cell - first_cell) % kHoursPerWeek + kHoursPerWeek) % kHoursPerWeek;
      const int64_t first = first_hour_ + offset;
      counts_[cell] = first > last_hour ? 0 : (last_hour - first) / kHoursPerWeek + 1;
      offsets_[cell] = offset;
      const double day = weekly.empty() ? 1 : weekly[cell / 24];
      const double hour = hourly.empty() ? 1 : hourly[cell % 24];
      weights[cell] = day * hour * static_cast<double>(counts_[cell]);
    }
    double total = 0;
    for (double w : weights) total += w;
    if (total > 0) cells_.emplace(weights);
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    return LinkTimeColumns(columns, after_, after_names_, path_ + ".after", &info_);
  }

  void Generate(const RowContext& context, Value* out) const override {
    // With `after`, the time is strictly after the latest of those columns (NULLs skipped; all
    // NULL gives NULL), and at the window's last microsecond when that leaves no room.
    int64_t from = from_;
    if (!after_.empty()) {
      int64_t latest = 0;
      if (!LatestOf(context, after_, &latest)) return out->SetNull();
      from = std::clamp(latest + 1, from_, to_ - 1);
    }
    CounterEngine engine = RowEngine(key_, context);
    int64_t t = 0;
    if (!cells_.has_value()) {
      t = after_.empty() ? window_(engine) : UniformMicros(engine, from, to_);
    } else {
      // Draws before `from` (only with `after`) are drawn again: the weekly shape is kept for
      // whatever part of the window is left. After 16 misses the time is uniform in it.
      bool found = false;
      const int64_t first_week =
          std::max<int64_t>(0, (FloorDiv(from, kMicrosPerHour) - first_hour_) / kHoursPerWeek - 1);
      for (int attempt = 0; attempt < 16 && !found; ++attempt) {
        const size_t cell = cells_->Draw(engine);
        const int64_t low = std::min(first_week, counts_[cell] - 1);
        boost::random::uniform_int_distribution<int64_t> week(low, counts_[cell] - 1);
        const int64_t hour = first_hour_ + offsets_[cell] + week(engine) * kHoursPerWeek;
        t = hour * kMicrosPerHour + kMicrosInHour(engine);
        found = t >= from && t < to_;  // the window's first and last hours may be partial
      }
      if (!found)
        t = after_.empty() ? std::clamp(t, from, to_ - 1) : UniformMicros(engine, from, to_);
    }
    if (kind_ == ValueKind::kDate) return out->SetDate(FloorDiv(t, kMicrosPerDay) * kMicrosPerDay);
    out->SetTimestamp(t);
  }

 private:
  StreamKey key_;
  int64_t from_, to_;
  ValueKind kind_;
  int64_t first_hour_ = 0;
  int64_t counts_[kHoursPerWeek] = {};
  int64_t offsets_[kHoursPerWeek] = {};
  std::optional<AliasTable> cells_;
  std::vector<int> after_;
  std::vector<std::string> after_names_;
  std::string path_;
  UniformInt<int64_t> window_;  // [from_, to_)
};

Status ReadColumns(Spec& spec, std::string_view key, std::vector<int>* columns);

StatusOr<GeneratorPtr> MakeTimestamp(Spec& spec) {
  int64_t from = 0, to = 0;
  SF_RETURN_IF_ERROR(ReadWindow(spec, &from, &to));
  std::vector<double> weekly, hourly;
  SF_RETURN_IF_ERROR(ReadWeights(spec, "weekly", 7, &weekly));
  SF_RETURN_IF_ERROR(ReadWeights(spec, "hourly", 24, &hourly));
  std::vector<int> after;
  std::vector<std::string> names;
  if (spec.Has("after")) {
    SF_RETURN_IF_ERROR(ReadColumns(spec, "after", &after));
    for (int column : after) names.push_back(spec.column_name(column));
  }
  auto generator = std::make_unique<TimestampGenerator>(spec.stream_key(), from, to, weekly, hourly,
                                                        ValueKind::kTimestamp, std::move(after),
                                                        std::move(names), spec.path());
  return GeneratorPtr(std::move(generator));
}

StatusOr<GeneratorPtr> MakeDate(Spec& spec) {
  int64_t from = 0, to = 0;
  SF_RETURN_IF_ERROR(ReadWindow(spec, &from, &to));
  std::vector<double> weekly;
  SF_RETURN_IF_ERROR(ReadWeights(spec, "weekly", 7, &weekly));
  from = FloorDiv(from, kMicrosPerDay) * kMicrosPerDay;
  auto generator = std::make_unique<TimestampGenerator>(spec.stream_key(), from, to, weekly,
                                                        std::vector<double>{}, ValueKind::kDate);
  return GeneratorPtr(std::move(generator));
}

class MonotoneTimeGenerator final : public ColumnGenerator {
 public:
  MonotoneTimeGenerator(uint64_t key, int64_t from, int64_t every, int64_t per, bool jitter)
      : key_(key), from_(from), every_(every), per_(per), jitter_(jitter), step_(0, every - 1) {
    info_.kind = ValueKind::kTimestamp;
    // One row per step and no jitter: from + row * every, strictly increasing in the row.
    if (per == 1 && !jitter) info_.injective_rows = kInjectiveForAllRows;
  }

  void Generate(const RowContext& context, Value* out) const override {
    int64_t t = from_ + static_cast<int64_t>(context.row / per_) * every_;
    if (jitter_ && every_ > 1) {
      CounterEngine engine = RowEngine(key_, context);
      t += step_(engine);
    }
    out->SetTimestamp(t);
  }

 private:
  StreamKey key_;
  int64_t from_, every_;
  uint64_t per_;
  bool jitter_;
  UniformInt<int64_t> step_;  // [0, every_)
};

StatusOr<GeneratorPtr> MakeMonotoneTime(Spec& spec) {
  int64_t from = spec.options().window_start_micros, every = 0, per = 1;
  bool jitter = true;
  SF_RETURN_IF_ERROR(spec.Time("from", &from));
  SF_RETURN_IF_ERROR(spec.Required("every"));
  SF_RETURN_IF_ERROR(spec.Duration("every", &every));
  if (every <= 0) return spec.Error("every", "must be positive");
  SF_RETURN_IF_ERROR(spec.Integer("per", &per, 1, int64_t{1} << 40));
  SF_RETURN_IF_ERROR(spec.Bool("jitter", &jitter));
  return GeneratorPtr(
      std::make_unique<MonotoneTimeGenerator>(spec.stream_key(), from, every, per, jitter));
}

// The latest of the `of` columns (NULLs skipped; all NULL gives NULL) plus a drawn duration.
class AfterGenerator final : public ColumnGenerator {
 public:
  AfterGenerator(std::vector<int> of, std::vector<std::string> names, GeneratorPtr by,
                 std::string path, std::optional<int64_t> until)
      : of_(std::move(of)),
        names_(std::move(names)),
        by_(std::move(by)),
        path_(std::move(path)),
        until_(until) {
    info_.kind = ValueKind::kTimestamp;
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    SF_RETURN_IF_ERROR(by_->Link(columns));
    info_.can_be_null = by_->info().can_be_null;
    return LinkTimeColumns(columns, of_, names_, path_ + ".of", &info_);
  }

  void Generate(const RowContext& context, Value* out) const override {
    int64_t latest = 0;
    if (!LatestOf(context, of_, &latest)) return out->SetNull();
    // The duration's own value lives in the output until it is replaced by the time.
    by_->Generate(context, out);
    if (out->is_null()) return;
    const double seconds = std::max(0.0, out->AsDouble());
    int64_t t = latest + std::llround(seconds * kMicrosPerSecond);
    if (until_.has_value()) t = std::max(latest, std::min(t, *until_ - 1));
    out->SetTimestamp(t);
  }

 private:
  std::vector<int> of_;
  std::vector<std::string> names_;
  GeneratorPtr by_;
  std::string path_;
  std::optional<int64_t> until_;  // exclusive: later times are set to its last microsecond
};

Status ReadColumns(Spec& spec, std::string_view key, std::vector<int>* columns) {
  SF_RETURN_IF_ERROR(spec.Required(key));
  dom::element element;
  SF_RETURN_IF_ERROR(spec.Element(key, &element));
  if (element.is_string()) {
    int column = -1;
    SF_RETURN_IF_ERROR(spec.Column(key, &column));
    columns->push_back(column);
    return Status::Ok();
  }
  dom::array array;
  if (element.get_array().get(array) || array.size() == 0) {
    return spec.Error(key, "expected a column name or an array of them");
  }
  for (dom::element item : array) {
    std::string_view name;
    if (item.get_string().get(name)) return spec.Error(key, "expected column names");
    int column = -1;
    SF_RETURN_IF_ERROR(spec.ColumnNamed(key, name, &column));
    columns->push_back(column);
  }
  return Status::Ok();
}

StatusOr<GeneratorPtr> MakeAfter(Spec& spec) {
  std::vector<int> of;
  SF_RETURN_IF_ERROR(ReadColumns(spec, "of", &of));
  GeneratorPtr by;
  SF_RETURN_IF_ERROR(spec.NestedDuration("by", &by));
  std::vector<std::string> names;
  for (int column : of) names.push_back(spec.column_name(column));
  std::optional<int64_t> until;
  if (spec.Has("until")) {
    std::string text;
    SF_RETURN_IF_ERROR(spec.String("until", &text));
    int64_t micros = spec.options().window_end_micros;  // "end": the profile's window end
    if (text != "end") SF_RETURN_IF_ERROR(spec.Time("until", &micros));
    until = micros;
  }
  return GeneratorPtr(std::make_unique<AfterGenerator>(std::move(of), std::move(names),
                                                       std::move(by), spec.path(), until));
}

// An interval of a drawn duration (microseconds; no days or months, which PostgreSQL would
// keep apart).
class IntervalGenerator final : public ColumnGenerator {
 public:
  explicit IntervalGenerator(GeneratorPtr by) : by_(std::move(by)) {
    info_.kind = ValueKind::kInterval;
  }
  Status Link(std::span<const GeneratorInfo* const> columns) override {
    SF_RETURN_IF_ERROR(by_->Link(columns));
    info_.can_be_null = by_->info().can_be_null;
    return Status::Ok();
  }
  void Generate(const RowContext& context, Value* out) const override {
    by_->Generate(context, out);
    if (out->is_null()) return;
    const double seconds = std::max(0.0, out->AsDouble());
    out->SetInterval(Interval{0, 0, std::llround(seconds * kMicrosPerSecond)});
  }

 private:
  GeneratorPtr by_;
};

StatusOr<GeneratorPtr> MakeInterval(Spec& spec) {
  GeneratorPtr by;
  SF_RETURN_IF_ERROR(spec.NestedDuration("by", &by));
  return GeneratorPtr(std::make_unique<IntervalGenerator>(std::move(by)));
}

class TimeOfDayGenerator final : public ColumnGenerator {
 public:
  TimeOfDayGenerator(uint64_t key, const std::vector<double>& hourly) : key_(key) {
    info_.kind = ValueKind::kTime;
    info_.has_range = true;
    info_.min = 0;
    info_.max = kMicrosPerDay - 1;
    if (!hourly.empty()) hours_.emplace(hourly);
  }
  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    if (!hours_.has_value()) return out->SetTime(kMicrosInDay(engine));
    const auto hour = static_cast<int64_t>(hours_->Draw(engine));
    out->SetTime(hour * kMicrosPerHour + kMicrosInHour(engine));
  }

 private:
  StreamKey key_;
  std::optional<AliasTable> hours_;
};

StatusOr<GeneratorPtr> MakeTimeOfDay(Spec& spec) {
  std::vector<double> hourly;
  SF_RETURN_IF_ERROR(ReadWeights(spec, "hourly", 24, &hourly));
  return GeneratorPtr(std::make_unique<TimeOfDayGenerator>(spec.stream_key(), hourly));
}

constexpr GeneratorFactory kFactories[] = {
    {"timestamp", MakeTimestamp}, {"date", MakeDate},         {"monotone_time", MakeMonotoneTime},
    {"after", MakeAfter},         {"interval", MakeInterval}, {"time_of_day", MakeTimeOfDay},
};

}  // namespace

std::span<const GeneratorFactory> TimeFactories() { return kFactories; }

}  // namespace seedforge::values::internal
