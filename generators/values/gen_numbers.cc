// Numbers: ids from the row index, deterministic UUIDs, the keyed scramble, the distributions
// (uniform, normal, log-normal, exponential, Zipf), booleans and the random-walk series.
//
// Distributions are Boost.Random's on the row's CounterEngine (never std::'s, whose results
// differ between standard libraries). Bounds truncate: a draw outside [min, max] is drawn again
// up to 16 times and then clamped, so a normal with bounds keeps its shape inside them and a
// row's value never depends on anything but its own stream. Rounding goes to a step or to a
// decimal scale; the output kind follows from it (see README.md, "Numbers").
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <limits>

#include "core/civil_time.h"
#include "generators/values/permutation.h"
#include "generators/values/spec_reader.h"
#include "generators/values/uniform_int.h"

namespace seedforge::values::internal {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr int kMaxScale = 12;

double Uniform01(CounterEngine& engine) {
  // 53 random bits: the same double on every platform.
  return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

// How a drawn double becomes a value: bounds, rounding, and the output kind.
struct NumberShape {
  double min = -kInfinity;
  double max = kInfinity;
  double step = 0;  // 0: no rounding to a step
  int scale = -1;   // >= 0: a decimal with this many digits
  ValueKind kind = ValueKind::kFloat;
  double scale_factor = 1;

  // Reads min, max, step and scale and decides the kind.
  Status Read(Spec& spec, bool bounds_required) {
    if (bounds_required) {
      SF_RETURN_IF_ERROR(spec.Required("min"));
      SF_RETURN_IF_ERROR(spec.Required("max"));
    }
    SF_RETURN_IF_ERROR(spec.Double("min", &min));
    SF_RETURN_IF_ERROR(spec.Double("max", &max));
    if (min > max) return spec.Error("max", "must not be less than min");
    SF_RETURN_IF_ERROR(spec.Double("step", &step, 0, kInfinity));
    int64_t digits = -1;
    SF_RETURN_IF_ERROR(spec.Integer("scale", &digits, 0, kMaxScale));
    scale = static_cast<int>(digits);
    if (step < 0 || (spec.Has("step") && step == 0)) return spec.Error("step", "must be positive");
    if (scale >= 0) {
      kind = ValueKind::kDecimal;
      scale_factor = std::pow(10.0, scale);
      if (step == 0) step = 1 / scale_factor;
    } else if (step >= 1 && step == std::floor(step) &&
               (min == -kInfinity || min == std::floor(min))) {
      kind = ValueKind::kInteger;
    }
    if (kind != ValueKind::kFloat) {
      const double limit = 9.0e18 / scale_factor;
      if (std::fabs(min) > limit && std::isfinite(min)) return spec.Error("min", "out of range");
      if (std::fabs(max) > limit && std::isfinite(max)) return spec.Error("max", "out of range");
    }
    return Status::Ok();
  }

  void Describe(GeneratorInfo* info) const {
    info->kind = kind;
    info->scale = scale < 0 ? 0 : scale;
    if (!std::isfinite(min) || !std::isfinite(max)) return;
    info->has_range = true;
    info->min_float = min;
    info->max_float = max;
    if (kind == ValueKind::kInteger) {
      info->min = static_cast<int64_t>(std::ceil(min));
      info->max = static_cast<int64_t>(std::floor(max));
    } else if (kind == ValueKind::kDecimal) {
      info->min = static_cast<int64_t>(std::ceil(min * scale_factor - 1e-6));
      info->max = static_cast<int64_t>(std::floor(max * scale_factor + 1e-6));
    }
  }

  double Round(double x) const {
    if (step > 0) {
      const double anchor = std::isfinite(min) ? min : 0;
      x = anchor + std::round((x - anchor) / step) * step;
      if (x > max) x -= step;
      if (x < min) x += step;
    }
    return x;
  }

  void Emit(double x, Value* out) const {
    x = Round(x);
    switch (kind) {
      case ValueKind::kInteger:
        return out->SetInteger(std::llround(x));
      case ValueKind::kDecimal:
        return out->SetDecimal(std::llround(x * scale_factor), scale);
      default:
        return out->SetFloat(x);
    }
  }
};

template <typename Draw>
class DistributionGenerator final : public ColumnGenerator {
 public:
  DistributionGenerator(uint64_t key, NumberShape shape, Draw draw)
      : key_(key), shape_(shape), draw_(draw) {
    shape_.Describe(&info_);
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    double x = draw_(engine);
    for (int attempt = 0; attempt < 16 && (x < shape_.min || x > shape_.max); ++attempt) {
      x = draw_(engine);
    }
    shape_.Emit(std::clamp(x, shape_.min, shape_.max), out);
  }

 private:
  StreamKey key_;
  NumberShape shape_;
  Draw draw_;
};

template <typename Draw>
GeneratorPtr MakeDistribution(Spec& spec, NumberShape shape, Draw draw) {
  return std::make_unique<DistributionGenerator<Draw>>(spec.stream_key(), shape, draw);
}

// Integers uniform on [min, max] in steps: exact, without going through doubles.
class UniformIntegerGenerator final : public ColumnGenerator {
 public:
  UniformIntegerGenerator(uint64_t key, int64_t min, int64_t max, int64_t step)
      : key_(key),
        min_(min),
        step_(step),
        count_(static_cast<uint64_t>((max - min) / step)),
        pick_(0, count_) {
    info_.kind = ValueKind::kInteger;
    info_.has_range = true;
    info_.min = min;
    info_.max = min + static_cast<int64_t>(count_) * step;
    info_.min_float = static_cast<double>(info_.min);
    info_.max_float = static_cast<double>(info_.max);
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    out->SetInteger(min_ + static_cast<int64_t>(pick_(engine)) * step_);
  }

 private:
  StreamKey key_;
  int64_t min_;
  int64_t step_;
  uint64_t count_;
  UniformInt<uint64_t> pick_;  // [0, count_]
};

StatusOr<GeneratorPtr> MakeUniform(Spec& spec) {
  NumberShape shape;
  SF_RETURN_IF_ERROR(shape.Read(spec, true));
  if (shape.kind == ValueKind::kInteger) {
    return GeneratorPtr(std::make_unique<UniformIntegerGenerator>(
        spec.stream_key(), static_cast<int64_t>(shape.min), static_cast<int64_t>(shape.max),
        static_cast<int64_t>(shape.step)));
  }
  const double min = shape.min, max = shape.max;
  // A decimal's bounds are reachable: draw over [min - step/2, max + step/2) and round.
  const double widen = shape.kind == ValueKind::kDecimal ? shape.step / 2 : 0;
  // One value: Boost's uniform_real_distribution needs min < max (it draws again until the
  // value is below max).
  if (!(min - widen < max + widen)) {
    return MakeDistribution(spec, shape, [=](CounterEngine&) { return min; });
  }
  return MakeDistribution(spec, shape, [=](CounterEngine& engine) {
    boost::random::uniform_real_distribution<double> uniform(min - widen, max + widen);
    return std::clamp(uniform(engine), min, max);
  });
}

StatusOr<GeneratorPtr> MakeNormal(Spec& spec) {
  double mean = 0, stddev = 1;
  SF_RETURN_IF_ERROR(spec.Required("mean"));
  SF_RETURN_IF_ERROR(spec.Required("stddev"));
  SF_RETURN_IF_ERROR(spec.Double("mean", &mean));
  SF_RETURN_IF_ERROR(spec.Double("stddev", &stddev, 0, kInfinity));
  NumberShape shape;
  SF_RETURN_IF_ERROR(shape.Read(spec, false));
  return MakeDistribution(spec, shape, [=](CounterEngine& engine) {
    boost::random::normal_distribution<double> normal(mean, stddev);
    return normal(engine);
  });
}

StatusOr<GeneratorPtr> MakeLognormal(Spec& spec) {
  double median = 1, sigma = 1;
  SF_RETURN_IF_ERROR(spec.Required("median"));
  SF_RETURN_IF_ERROR(spec.Required("sigma"));
  SF_RETURN_IF_ERROR(spec.Double("median", &median));
  if (!(median > 0)) return spec.Error("median", "must be positive");
  SF_RETURN_IF_ERROR(spec.Double("sigma", &sigma, 0, kInfinity));
  NumberShape shape;
  SF_RETURN_IF_ERROR(shape.Read(spec, false));
  const double mu = std::log(median);
  return MakeDistribution(spec, shape, [=](CounterEngine& engine) {
    boost::random::lognormal_distribution<double> lognormal(mu, sigma);
    return lognormal(engine);
  });
}

StatusOr<GeneratorPtr> MakeExponential(Spec& spec) {
  double mean = 1;
  SF_RETURN_IF_ERROR(spec.Required("mean"));
  SF_RETURN_IF_ERROR(spec.Double("mean", &mean));
  if (!(mean > 0)) return spec.Error("mean", "must be positive");
  NumberShape shape;
  SF_RETURN_IF_ERROR(shape.Read(spec, false));
  return MakeDistribution(spec, shape, [=](CounterEngine& engine) {
    boost::random::exponential_distribution<double> exponential(1 / mean);
    return exponential(engine);
  });
}

// Zipf over ranks 1..n with P(k) proportional to k^-s, by rejection-inversion (Hörmann and
// Derflinger 1996): O(1) per draw and no table, whatever n.
class ZipfGenerator final : public ColumnGenerator {
 public:
  ZipfGenerator(uint64_t key, int64_t n, double s, int64_t start)
      : key_(key), n_(n), s_(s), start_(start) {
    h_integral_x1_ = H(1.5) - 1;
    h_integral_n_ = H(static_cast<double>(n) + 0.5);
    threshold_ = 2 - HInverse(H(2.5) - std::pow(2.0, -s));
    info_.kind = ValueKind::kInteger;
    info_.has_range = true;
    info_.min = start;
    info_.max = start + n - 1;
    info_.min_float = static_cast<double>(info_.min);
    info_.max_float = static_cast<double>(info_.max);
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    out->SetInteger(start_ + Sample(engine) - 1);
  }

 private:
  // H is an integral of h(x) = x^-s; HInverse its inverse.
  double H(double x) const {
    const double log_x = std::log(x);
    return std::fabs(1 - s_) < 1e-9 ? log_x : std::expm1((1 - s_) * log_x) / (1 - s_);
  }
  double HInverse(double y) const {
    if (std::fabs(1 - s_) < 1e-9) return std::exp(y);
    return std::exp(std::log1p(y * (1 - s_)) / (1 - s_));
  }

  int64_t Sample(CounterEngine& engine) const {
    while (true) {
      const double u = h_integral_n_ + Uniform01(engine) * (h_integral_x1_ - h_integral_n_);
      const double x = HInverse(u);
      int64_t k = static_cast<int64_t>(x + 0.5);
      k = std::clamp<int64_t>(k, 1, n_);
      const double kd = static_cast<double>(k);
      if (kd - x <= threshold_ || u >= H(kd + 0.5) - std::pow(kd, -s_)) return k;
    }
  }

  StreamKey key_;
  int64_t n_;
  double s_;
  int64_t start_;
  double h_integral_x1_, h_integral_n_, threshold_;
};

StatusOr<GeneratorPtr> MakeZipf(Spec& spec) {
  int64_t n = 0, start = 1;
  double s = 1;
  SF_RETURN_IF_ERROR(spec.Required("n"));
  SF_RETURN_IF_ERROR(spec.Integer("n", &n, 1, int64_t{1} << 52));
  SF_RETURN_IF_ERROR(spec.Double("s", &s, 0.01, 20));
  SF_RETURN_IF_ERROR(spec.Integer("start", &start, -(int64_t{1} << 60), int64_t{1} << 60));
  return GeneratorPtr(std::make_unique<ZipfGenerator>(spec.stream_key(), n, s, start));
}

class BoolGenerator final : public ColumnGenerator {
 public:
  BoolGenerator(uint64_t key, double rate)
      : key_(key),
        threshold_(rate >= 1 ? std::numeric_limits<uint64_t>::max()
                             : static_cast<uint64_t>(std::ldexp(rate, 64))),
        always_(rate >= 1) {
    info_.kind = ValueKind::kBool;
  }

  void Generate(const RowContext& context, Value* out) const override {
    CounterEngine engine = RowEngine(key_, context);
    out->SetBool(always_ || engine() < threshold_);
  }

 private:
  StreamKey key_;
  uint64_t threshold_;
  bool always_;
};

StatusOr<GeneratorPtr> MakeBool(Spec& spec) {
  double rate = 0.5;
  SF_RETURN_IF_ERROR(spec.Double("rate", &rate, 0, 1));
  return GeneratorPtr(std::make_unique<BoolGenerator>(spec.stream_key(), rate));
}

class IdGenerator final : public ColumnGenerator {
 public:
  IdGenerator(int64_t start, int64_t step) : start_(start), step_(step) {
    info_.kind = ValueKind::kInteger;
    info_.injective_rows = kInjectiveForAllRows;
  }
  void Generate(const RowContext& context, Value* out) const override {
    out->SetInteger(start_ + static_cast<int64_t>(context.row) * step_);
  }

 private:
  int64_t start_;
  int64_t step_;
};

StatusOr<GeneratorPtr> MakeId(Spec& spec) {
  int64_t start = 1, step = 1;
  constexpr int64_t kLimit = int64_t{1} << 62;
  SF_RETURN_IF_ERROR(spec.Integer("start", &start, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Integer("step", &step, -(int64_t{1} << 32), int64_t{1} << 32));
  if (step == 0) return spec.Error("step", "must not be 0 (ids must differ)");
  return GeneratorPtr(std::make_unique<IdGenerator>(start, step));
}

// Version-4-shaped UUIDs: 60 bits of the first half are a keyed permutation of the row (so two
// rows never share a UUID below 2^60 rows), the rest are random, and the version and variant
// bits are those of a random UUID.
class UuidGenerator final : public ColumnGenerator {
 public:
  explicit UuidGenerator(uint64_t key) : key_(key), permutation_(key, uint64_t{1} << 60) {
    info_.kind = ValueKind::kUuid;
    info_.injective_rows = uint64_t{1} << 60;
    info_.max_bytes = info_.max_chars = 36;
  }

  void Generate(const RowContext& context, Value* out) const override {
    const uint64_t unique = permutation_.Apply(context.row & ((uint64_t{1} << 60) - 1));
    CounterEngine engine = RowEngine(key_, context);
    const uint64_t random = engine();
    // High half: 48 bits, version nibble 4, 12 bits. Low half: variant 10, 62 bits.
    const uint64_t high = (unique >> 12) << 16 | 0x4000 | (unique & 0xfff);
    const uint64_t low = (random >> 2) | 0x8000000000000000ULL;
    uint8_t bytes[16];
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
      bytes[8 + i] = static_cast<uint8_t>(low >> (56 - 8 * i));
    }
    out->SetUuid(bytes);
  }

 private:
  StreamKey key_;
  Permutation permutation_;
};

StatusOr<GeneratorPtr> MakeUuid(Spec& spec) {
  return GeneratorPtr(std::make_unique<UuidGenerator>(spec.stream_key()));
}

// min + a keyed permutation of the row over [0, max - min + 1): distinct for that many rows.
class ScrambleGenerator final : public ColumnGenerator {
 public:
  ScrambleGenerator(uint64_t key, int64_t min, int64_t max)
      : min_(min), permutation_(key, static_cast<uint64_t>(max - min) + 1) {
    info_.kind = ValueKind::kInteger;
    info_.injective_rows = permutation_.size();
    info_.has_range = true;
    info_.min = min;
    info_.max = max;
    info_.min_float = static_cast<double>(min);
    info_.max_float = static_cast<double>(max);
  }

  void Generate(const RowContext& context, Value* out) const override {
    // Rows past the capacity wrap around (the compiler refuses targets over capacity).
    const uint64_t x = permutation_.Apply(context.row % permutation_.size());
    out->SetInteger(min_ + static_cast<int64_t>(x));
  }

 private:
  int64_t min_;
  Permutation permutation_;
};

StatusOr<GeneratorPtr> MakeScramble(Spec& spec) {
  int64_t min = 0, max = 0;
  constexpr int64_t kLimit = int64_t{1} << 62;
  SF_RETURN_IF_ERROR(spec.Required("min"));
  SF_RETURN_IF_ERROR(spec.Required("max"));
  SF_RETURN_IF_ERROR(spec.Integer("min", &min, -kLimit, kLimit));
  SF_RETURN_IF_ERROR(spec.Integer("max", &max, -kLimit, kLimit));
  if (max < min) return spec.Error("max", "must not be less than min");
  return GeneratorPtr(std::make_unique<ScrambleGenerator>(spec.stream_key(), min, max));
}

// A geometric random walk per series: value = start * exp(drift * t + volatility * W(t)), W a
// standard Brownian motion sampled at integer steps t. W is built top-down as a dyadic Brownian
// bridge over blocks of 2^levels steps: the block's end point is drawn, then each midpoint given
// its interval's ends, descending only towards t. So any W(t) costs O(levels) draws, with no
// dependence on other rows, and consecutive steps move by N(0, 1) increments exactly.
class WalkGenerator final : public ColumnGenerator {
 public:
  WalkGenerator(uint64_t key, int series, int along, int64_t from, int64_t every, double start,
                int start_column, double volatility, double drift, NumberShape shape,
                std::string path, std::string along_name, std::string start_name)
      : path_(std::move(path)),
        along_name_(std::move(along_name)),
        start_name_(std::move(start_name)),
        key_(key),
        series_(series),
        along_(along),
        from_(from),
        every_(every),
        start_(start),
        start_column_(start_column),
        volatility_(volatility),
        drift_(drift),
        shape_(shape) {
    shape_.Describe(&info_);
  }

  Status Link(std::span<const GeneratorInfo* const> columns) override {
    const ValueKind along = columns[along_]->kind;
    if (along != ValueKind::kTimestamp && along != ValueKind::kDate &&
        along != ValueKind::kInteger) {
      return InvalidArgument(path_ + ".along: column '" + along_name_ + "' produces " +
                             std::string(ValueKindName(along)) +
                             ", not a timestamp, date or integer step");
    }
    if (start_column_ < 0) return Status::Ok();
    const ValueKind start = columns[start_column_]->kind;
    if (start != ValueKind::kInteger && start != ValueKind::kFloat &&
        start != ValueKind::kDecimal) {
      return InvalidArgument(path_ + ".start: column '" + start_name_ + "' produces " +
                             std::string(ValueKindName(start)) + ", not a number");
    }
    return Status::Ok();
  }

  void Generate(const RowContext& context, Value* out) const override {
    uint64_t series_key = key_.value();
    if (series_ >= 0) {
      const Value& series = context.columns[series_];
      const ValueKind kind = series.kind();
      series_key = kind == ValueKind::kText || kind == ValueKind::kJson || kind == ValueKind::kBytes
                       ? HashName(key_.value(), series.text())
                       : Mix64(key_.value() ^ static_cast<uint64_t>(series.integer_value()));
    }
    const Value& along = context.columns[along_];
    int64_t t = along.integer_value();
    if (along.kind() == ValueKind::kTimestamp || along.kind() == ValueKind::kDate) {
      t = FloorDiv(t - from_, every_);
    }
    if (t < 0) t = 0;
    const double start = start_column_ >= 0 ? context.columns[start_column_].AsDouble() : start_;
    const double w = Brownian(series_key, static_cast<uint64_t>(t));
    const double x = start * std::exp(drift_ * static_cast<double>(t) + volatility_ * w);
    shape_.Emit(std::clamp(x, shape_.min, shape_.max), out);
  }

 private:
  static constexpr int kLevels = 20;
  static constexpr uint64_t kBlock = uint64_t{1} << kLevels;

  static double Normal(uint64_t key, uint64_t node, uint64_t block) {
    CounterEngine engine = CounterEngine::ForStream(key, node, block);
    boost::random::normal_distribution<double> normal;
    return normal(engine);
  }

  double Brownian(uint64_t series_key, uint64_t t) const {
    const uint64_t block = t / kBlock;
    double low_value = 0;
    const double block_scale = std::sqrt(static_cast<double>(kBlock));
    for (uint64_t b = 0; b < block; ++b) low_value += block_scale * Normal(series_key, 0, b + 1);
    double high_value = low_value + block_scale * Normal(series_key, 0, block + 1);
    uint64_t low = 0, high = kBlock, offset = t % kBlock;
    while (true) {
      if (offset == low) return low_value;
      if (offset == high) return high_value;
      const uint64_t mid = (low + high) / 2;
      const double spread = std::sqrt(static_cast<double>(high - low) / 4);
      const double mid_value =
          (low_value + high_value) / 2 + spread * Normal(series_key, mid, block + 1);
      if (offset < mid) {
        high = mid, high_value = mid_value;
      } else {
        low = mid, low_value = mid_value;
      }
    }
  }

  std::string path_, along_name_, start_name_;  // for messages
  StreamKey key_;
  int series_;
  int along_;
  int64_t from_;
  int64_t every_;
  double start_;
  int start_column_;
  double volatility_;
  double drift_;
  NumberShape shape_;
};

StatusOr<GeneratorPtr> MakeWalk(Spec& spec) {
  int series = -1, along = -1, start_column = -1;
  if (spec.Has("series")) SF_RETURN_IF_ERROR(spec.Column("series", &series));
  SF_RETURN_IF_ERROR(spec.Column("along", &along));
  int64_t from = spec.options().window_start_micros, every = kMicrosPerHour;
  SF_RETURN_IF_ERROR(spec.Time("from", &from));
  SF_RETURN_IF_ERROR(spec.Duration("every", &every));
  if (every <= 0) return spec.Error("every", "must be positive");
  double start = 100, volatility = 0.01, drift = 0;
  SF_RETURN_IF_ERROR(spec.Required("start"));
  dom::element start_element;
  SF_RETURN_IF_ERROR(spec.Element("start", &start_element));
  if (start_element.is_string()) {
    SF_RETURN_IF_ERROR(spec.Column("start", &start_column));
  } else {
    SF_RETURN_IF_ERROR(spec.Double("start", &start));
    if (!(start > 0)) return spec.Error("start", "must be positive (or name a column)");
  }
  SF_RETURN_IF_ERROR(spec.Double("volatility", &volatility, 0, 10));
  SF_RETURN_IF_ERROR(spec.Double("drift", &drift, -1, 1));
  NumberShape shape;
  SF_RETURN_IF_ERROR(shape.Read(spec, false));
  return GeneratorPtr(std::make_unique<WalkGenerator>(
      spec.stream_key(), series, along, from, every, start, start_column, volatility, drift, shape,
      spec.path(), spec.column_name(along),
      start_column >= 0 ? spec.column_name(start_column) : std::string()));
}

constexpr GeneratorFactory kFactories[] = {
    {"id", MakeId},
    {"uuid", MakeUuid},
    {"scramble", MakeScramble},
    {"uniform", MakeUniform},
    {"normal", MakeNormal},
    {"lognormal", MakeLognormal},
    {"exponential", MakeExponential},
    {"zipf", MakeZipf},
    {"bool", MakeBool},
    {"walk", MakeWalk},
};

}  // namespace

std::span<const GeneratorFactory> NumberFactories() { return kFactories; }

}  // namespace seedforge::values::internal
