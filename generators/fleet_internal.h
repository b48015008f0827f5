// Internal vocabulary of the fleet generators (not part of the public generators API).
//
// FleetModel is what the five table generators share: the config, the weighted choices that more
// than one table needs, and the "attribute" functions a child calls to recompute the few parent
// attributes it must stay coherent with (a user's created_at, an asset's owner...). Each
// attribute is drawn from its own RNG stream of the parent row, so recomputing it costs a few
// draws and never the whole parent row; the parent's generator uses the same functions, so the
// values always agree.
//
// Also here: the draw helpers over Boost.Random, a fixed-capacity stack string and a tiny JSON
// object builder, so that no generator allocates per row. This header includes Boost.Random;
// it is included only by generators/*.cc.
#pragma once

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <array>
#include <cassert>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "generators/catalog_hardware.h"
#include "generators/counter_engine.h"
#include "generators/fleet.h"

namespace seedforge::fleet {

// ---------------------------------------------------------------------------------------------
// RNG streams. Row r of table t draws its values from CounterEngine(seed, TableConstant(t), r,
// stream). kRowStream holds whatever only the row itself needs; the others hold the attributes
// that children recompute. Changing any of these numbers changes every generated database.
enum Stream : uint32_t {
  kRowStream = 0,
  kUserCreatedAtStream = 1,      // users.created_at jitter
  kUserNameStream = 2,           // first and last name (asset hostnames use them)
  kApplicationOriginStream = 3,  // applications.created_by and created_at
  kAssetCoreStream = 4,          // asset_type, owner_id, created_at
  kAssetPlatformStream = 5,      // hardware model and operating system
  kDeploymentCoreStream = 6,     // everything but the ring
};

constexpr uint32_t TableConstant(TableId table) {
  return 0x7ab1e000u + static_cast<uint32_t>(table);
}

// ---------------------------------------------------------------------------------------------
// Draw helpers. Boost's distributions give the same results on every standard library; these
// are cheap to construct (no allocation), so building one per draw is fine.

// Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
inline int64_t UniformInt(CounterEngine& engine, int64_t lo, int64_t hi) {
  return boost::random::uniform_int_distribution<int64_t>(lo, hi)(engine);
}
// Uniform index into a table of `size` entries. REQUIRES: size > 0.
inline int UniformIndex(CounterEngine& engine, size_t size) {
  return boost::random::uniform_int_distribution<int>(0, static_cast<int>(size) - 1)(engine);
}
// A uniform entry of a table. Flattened so that Boost's bucket size, a constant for a given N,
// is folded at compile time instead of costing two integer divisions per draw. Same values.
template <typename T, size_t N>
[[gnu::flatten]] inline const T& Pick(CounterEngine& engine, const T (&table)[N]) {
  return table[boost::random::uniform_int_distribution<int>(0, static_cast<int>(N) - 1)(engine)];
}
// Uniform double in [0, 1).
inline double Uniform01(CounterEngine& engine) {
  return boost::random::uniform_real_distribution<double>(0.0, 1.0)(engine);
}
// True with probability p. REQUIRES: 0 <= p <= 1.
inline bool Chance(CounterEngine& engine, double p) {
  return boost::random::bernoulli_distribution<double>(p)(engine);
}

// A weighted choice of an index. Build once (it allocates); operator() is const and thread-safe.
using WeightedChoice = boost::random::discrete_distribution<int, double>;

// ---------------------------------------------------------------------------------------------
// Bijective scrambles: unique values by construction, without sets or retries.

// A bijection on 32 bits (xor, odd multiplications and xor-shifts are each invertible).
constexpr uint32_t Scramble32(uint32_t x, uint32_t key) {
  x ^= key;
  x *= 0x9e3779b1u;
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

// A bijection on 24 bits (arithmetic modulo 2^24).
constexpr uint32_t Scramble24(uint32_t x, uint32_t key) {
  constexpr uint32_t kMask = 0xffffff;
  x = (x ^ key) & kMask;
  x = (x * 0x9e3779u) & kMask;  // odd, hence invertible modulo 2^24
  x ^= x >> 12;
  x = (x * 0xc2b2afu) & kMask;
  x ^= x >> 11;
  return x;
}

// ---------------------------------------------------------------------------------------------
// Allocation-free text.

// A string in a fixed stack buffer. Appends that do not fit are cut at the capacity; callers
// size the buffer for their longest possible value, so that never happens in practice.
template <size_t kCapacity>
class StackString {
 public:
  std::string_view view() const { return std::string_view(data_, size_); }
  size_t size() const { return size_; }
  void Clear() { size_ = 0; }

  void Append(std::string_view text) {
    const size_t n = text.size() < kCapacity - size_ ? text.size() : kCapacity - size_;
    std::memcpy(data_ + size_, text.data(), n);
    size_ += n;
  }
  void Push(char c) {
    if (size_ < kCapacity) data_[size_++] = c;
  }
  void AppendInt(int64_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    Append(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
  }
  // Decimal digits of `value`, left-padded with zeros to at least `width` digits.
  void AppendPadded(uint64_t value, int width) {
    char digits[24];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    for (int i = n; i < width; ++i) Push('0');
    while (n > 0) Push(digits[--n]);
  }
  // Exactly `width` hexadecimal digits of the low bits of `value`.
  void AppendHex(uint64_t value, int width, bool upper) {
    const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (int i = width - 1; i >= 0; --i) Push(alphabet[(value >> (4 * i)) & 0xf]);
  }
  // Exactly `width` base-36 digits (0-9, A-Z) of `value`. REQUIRES: value < 36^width.
  void AppendBase36(uint64_t value, int width) {
    char digits[16];
    for (int i = width - 1; i >= 0; --i) {
      digits[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[value % 36];
      value /= 36;
    }
    Append(std::string_view(digits, static_cast<size_t>(width)));
  }
  // `scaled` / 10^fraction_digits written with exactly that many fraction digits: (935, 1) gives
  // "93.5". Floating point is never formatted, so text is identical everywhere.
  void AppendDecimal(int64_t scaled, int fraction_digits) {
    if (scaled < 0) {
      Push('-');
      scaled = -scaled;
    }
    int64_t unit = 1;
    for (int i = 0; i < fraction_digits; ++i) unit *= 10;
    AppendInt(scaled / unit);
    if (fraction_digits == 0) return;
    Push('.');
    AppendPadded(static_cast<uint64_t>(scaled % unit), fraction_digits);
  }
  void AppendLower(std::string_view text) {
    for (char c : text) Push(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  void AppendUpper(std::string_view text) {
    for (char c : text) Push(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }

 private:
  char data_[kCapacity];
  size_t size_ = 0;
};

// Builds one flat JSON object in a stack buffer, in PostgreSQL's canonical jsonb text: keys
// ordered by length, then bytewise; ", " between members and ": " after keys; strings escaped as
// jsonb prints them (\" \\ \b \f \n \r \t, other control bytes as \u00xx). So the generated
// text is byte for byte what `payload::text` returns once stored, which the verify fingerprint
// relies on (tools/verify.h). Members are buffered as added and ordered once in Finish().
class JsonObject {
 public:
  static constexpr int kMaxMembers = 12;

  void String(std::string_view key, std::string_view value) {
    const size_t start = Key(key);
    Quoted(value);
    Close(start);
  }
  void Int(std::string_view key, int64_t value) {
    const size_t start = Key(key);
    values_.AppendInt(value);
    Close(start);
  }
  // A JSON number with `fraction_digits` decimals: Decimal("cpu_pct", 935, 1) gives 93.5.
  void Decimal(std::string_view key, int64_t scaled, int fraction_digits) {
    const size_t start = Key(key);
    values_.AppendDecimal(scaled, fraction_digits);
    Close(start);
  }
  void Bool(std::string_view key, bool value) {
    const size_t start = Key(key);
    values_.Append(value ? "true" : "false");
    Close(start);
  }
  // Orders the members, closes the object and returns its text, valid while the builder lives.
  // Call once. REQUIRES: no key was added twice.
  std::string_view Finish() {
    // Insertion sort: at most kMaxMembers members, usually 2 to 5.
    for (int i = 1; i < count_; ++i) {
      const Member member = members_[i];
      int j = i;
      for (; j > 0 && KeyLess(member, members_[j - 1]); --j) members_[j] = members_[j - 1];
      members_[j] = member;
    }
    text_.Push('{');
    const std::string_view values = values_.view();
    for (int i = 0; i < count_; ++i) {
      if (i > 0) text_.Append(", ");
      const Member& member = members_[i];
      text_.Append(values.substr(member.start, member.key_end - member.start));
      text_.Append(": ");
      text_.Append(values.substr(member.key_end, member.end - member.key_end));
    }
    text_.Push('}');
    return text_.view();
  }

 private:
  // A member's bytes in values_: the quoted key in [start, key_end), the value up to end.
  struct Member {
    size_t start;
    size_t key_end;
    size_t end;
  };

  bool KeyLess(const Member& a, const Member& b) const {
    const std::string_view values = values_.view();
    const std::string_view key_a = values.substr(a.start, a.key_end - a.start);
    const std::string_view key_b = values.substr(b.start, b.key_end - b.start);
    if (key_a.size() != key_b.size()) return key_a.size() < key_b.size();
    return key_a < key_b;
  }

  // Keys are identifiers written by the generators: nothing to escape.
  size_t Key(std::string_view key) {
    const size_t start = values_.size();
    values_.Push('"');
    values_.Append(key);
    values_.Push('"');
    key_end_ = values_.size();
    return start;
  }
  void Close(size_t start) {
    assert(count_ < kMaxMembers);
    if (count_ < kMaxMembers) members_[count_++] = Member{start, key_end_, values_.size()};
  }
  void Quoted(std::string_view value) {
    values_.Push('"');
    if (!NeedsEscape(value)) {
      values_.Append(value);
      values_.Push('"');
      return;
    }
    for (char c : value) {
      switch (c) {
        case '"':
          values_.Append("\\\"");
          break;
        case '\\':
          values_.Append("\\\\");
          break;
        case '\b':
          values_.Append("\\b");
          break;
        case '\f':
          values_.Append("\\f");
          break;
        case '\n':
          values_.Append("\\n");
          break;
        case '\r':
          values_.Append("\\r");
          break;
        case '\t':
          values_.Append("\\t");
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            values_.Append("\\u00");
            values_.AppendHex(static_cast<unsigned char>(c), 2, false);
          } else {
            values_.Push(c);
          }
      }
    }
    values_.Push('"');
  }

  static bool NeedsEscape(std::string_view value) {
    for (char c : value) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return true;
    }
    return false;
  }

  StackString<1024> values_;  // members in the order added
  StackString<1024> text_;    // the finished object
  Member members_[kMaxMembers];
  int count_ = 0;
  size_t key_end_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Parent attributes.

struct UserName {
  int first;  // index into catalog::kFirstNames
  int last;   // index into catalog::kLastNames
};

struct ApplicationOrigin {
  int64_t created_by;  // users.id
  int64_t created_at;
};

struct AssetCore {
  catalog::AssetType type;
  int64_t owner_id;  // users.id, or 0 for no owner (NULL)
  int64_t created_at;
};

struct AssetPlatform {
  int model;  // index into catalog::kHardwareModels
  int os;     // index into catalog::kOperatingSystems
};

enum class DeploymentStatus : uint8_t { kSucceeded, kFailed, kRolledBack, kPending, kRunning };
inline constexpr std::string_view kDeploymentStatusNames[] = {"succeeded", "failed", "rolled_back",
                                                              "pending", "running"};

struct DeploymentCore {
  int64_t application_id;
  int64_t asset_id;
  AssetCore asset;       // the asset's own attributes, which events about the deployment need
  int64_t initiated_by;  // users.id
  DeploymentStatus status;
  int64_t started_at;
  int64_t finished_at;  // meaningful only when finished()
  int error_code;       // index into catalog::kDeploymentErrorCodes, or -1 (NULL)

  // Terminal statuses have a finished_at.
  bool finished() const {
    return status == DeploymentStatus::kSucceeded || status == DeploymentStatus::kFailed ||
           status == DeploymentStatus::kRolledBack;
  }
};

// The shared state of one set of fleet generators. Immutable after construction; all methods
// are const and thread-safe. Indices are row indices (id - 1).
class FleetModel {
 public:
  // REQUIRES: config.Validate().ok().
  explicit FleetModel(const FleetConfig& config);

  const FleetConfig& config() const { return config_; }
  int64_t row_count(TableId table) const { return config_.row_counts[static_cast<int>(table)]; }
  // The row count of `parent` that row `row` of `table` draws its foreign keys from (the counts
  // of the run that generated that row; see FleetConfig::history).
  int64_t ParentCount(TableId table, int64_t row, TableId parent) const {
    return config_.CountsFor(table, row)[static_cast<int>(parent)];
  }
  int64_t window_start() const { return config_.window_start_micros; }
  int64_t window_end() const { return config_.window_end_micros; }
  CounterEngine Engine(TableId table, int64_t row, Stream stream) const {
    return CounterEngine(config_.seed, TableConstant(table), static_cast<uint64_t>(row), stream);
  }

  // users.created_at of user row `index`: strictly increasing with the index. (users.cc)
  int64_t UserCreatedAt(int64_t index) const {
    return index < static_cast<int64_t>(user_created_at_.size()) ? user_created_at_[index]
                                                                 : ComputeUserCreatedAt(index);
  }
  // The same value without the cache (fills it; used beyond its size). (users.cc)
  int64_t ComputeUserCreatedAt(int64_t index) const;
  // First and last name of user row `index`. (users.cc)
  UserName UserNameOf(int64_t index) const;
  // applications.created_by and created_at. REQUIRES: row_count(kUsers) > 0. (applications.cc)
  ApplicationOrigin ApplicationOriginOf(int64_t index) const;
  // asset_type, owner_id and created_at of asset row `index`. (assets.cc)
  AssetCore AssetCoreOf(int64_t index) const;
  // Hardware model and operating system; `type` is AssetCoreOf(index).type.
  AssetPlatform AssetPlatformOf(int64_t index, catalog::AssetType type) const;
  // Everything of deployment row `index` but its ring. REQUIRES: the three parents are not
  // empty. (deployments.cc)
  DeploymentCore DeploymentCoreOf(int64_t index) const;

  // A uniform draw u in [0, 1) below retired_below() means 'retired', below in_repair_below()
  // 'in_repair'.
  double retired_below() const { return retired_below_; }
  double in_repair_below() const { return in_repair_below_; }

 private:
  FleetConfig config_;
  // Cumulative thresholds of the asset status and deployment status draws.
  double retired_below_ = 0;
  double in_repair_below_ = 0;
  std::array<double, 4> deployment_status_below_{};
  WeightedChoice asset_type_;
  // Per asset type: every (hardware model, operating system) pair the type allows, and one
  // weighted choice over them (model weight times the OS's share in the model's profile), so
  // that a platform costs one draw.
  std::array<std::vector<AssetPlatform>, catalog::kAssetTypeCount> platforms_of_type_;
  std::vector<WeightedChoice> platform_choice_;
  // users.created_at of the first users, computed once: children look it up often.
  std::vector<int64_t> user_created_at_;
};

// ---------------------------------------------------------------------------------------------
// The table generators, one per .cc file. REQUIRES: model != nullptr.
std::unique_ptr<TableGenerator> MakeUsersGenerator(std::shared_ptr<const FleetModel> model);
std::unique_ptr<TableGenerator> MakeApplicationsGenerator(std::shared_ptr<const FleetModel> model);
std::unique_ptr<TableGenerator> MakeAssetsGenerator(std::shared_ptr<const FleetModel> model);
std::unique_ptr<TableGenerator> MakeDeploymentsGenerator(std::shared_ptr<const FleetModel> model);
std::unique_ptr<TableGenerator> MakeEventsGenerator(std::shared_ptr<const FleetModel> model);

// Time limits of the realism rules (SQL checks of the generated data rely on them).
inline constexpr int64_t kActiveSeenWithin = 7 * kMicrosPerDay;  // last_seen_at of active assets
inline constexpr int64_t kOpenDeploymentsWithin = 2 * kMicrosPerDay;  // pending/running started_at

}  // namespace seedforge::fleet
