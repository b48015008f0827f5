// Golden fingerprints: the data every built-in profile generates on a fresh seed, pinned per
// table. Same profile, seed and starting state give the same rows on every machine and in every
// release; a change that alters generated data must be deliberate. When this test fails after
// such a change, update the numbers below and say in README.md's changelog ("Data changes")
// which profiles changed and why.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/builtin_profiles.h"
#include "engine/profile.h"
#include "tools/fingerprint.h"
#include "tools/preview.h"

namespace seedforge {
namespace {

// "table rows hash" per table in load order, for a fresh seed (fixtures excluded).
std::string Fingerprints(const std::string& name, int threads) {
  auto profile = LoadProfile(name);
  EXPECT_TRUE(profile.ok()) << profile.status().message();
  auto made = MakeFreshSeedGenerators(*profile);
  EXPECT_TRUE(made.ok()) << made.status().message();
  std::string out;
  for (size_t t = 0; t < made->generators.size(); ++t) {
    const Fingerprint fingerprint =
        ExpectedFingerprint(*made->generators[t], made->fresh.generated[t], threads);
    out += profile->schemas()[t].name + " " + std::to_string(fingerprint.rows) + " " +
           fingerprint.HashHex() + "\n";
  }
  return out;
}

// --- The golden numbers (see the top of this file before changing them). ---
const std::map<std::string, std::string>& Golden() {
  static const std::map<std::string, std::string> golden = {
      {"default",
       "users 5 761f845bcea48465\n"
       "applications 10 d134f2fbe05de3ca\n"
       "assets 100 47e4ff2fd6431210\n"
       "deployments 20 b5ec0c9fd368f68e\n"
       "events 100 e8761988edaf4d8d\n"},
      {"large",
       "users 1000 3f578c603cdce77a\n"
       "applications 5000 1707975d44c229f9\n"
       "assets 50000 5514b0c9c8a9e631\n"
       "deployments 10000 529ae6886ff125d2\n"
       "events 100000 cb5dcd1ad0c608a7\n"},
      {"storefront",
       "tenants 8 8011bbd25adabd39\n"
       "units 6 54f2cdbc01dc950f\n"
       "users 35 99b299d89c95740c\n"
       "categories 61 55953c6d8dfdd473\n"
       "products 230 0bfa9526886eed53\n"
       "sales 838 ae8d2ccfaea87938\n"
       "sale_lines 3319 3e601ed6897e6f02\n"},
      {"theatre",
       "userTable 49 44278b31970c96d2\n"
       "venues 5 1098128e4aebb565\n"
       "departments 8 614275c0e1dd3967\n"
       "shows 20 5f0a8fbe65e3336d\n"
       "scripts 30 92be984ab31581f5\n"
       "scriptElementsTable 2927 8f1e384ce82d9454\n"
       "crew_relationships 300 926bbd3ee049bd16\n"
       "crew_assignments 120 e8932fcfb136ffb2\n"
       "script_shares 60 0c14f21e4020539e\n"},
      {"theatre-large",
       "userTable 4999 155704807a600024\n"
       "venues 40 0fe72414fdc2ea86\n"
       "departments 8 614275c0e1dd3967\n"
       "shows 1000 b658087de960c31f\n"
       "scripts 3000 f416902b1a00b88c\n"
       "scriptElementsTable 311284 600296c5fd83f61a\n"
       "crew_relationships 50000 a37ff295c4ffbed2\n"
       "crew_assignments 20000 0902f06aeed43255\n"
       "script_shares 10000 a5e9457a4e1ab16e\n"},
      {"trading",
       "users 49 5d452487841a2431\n"
       "trading_algorithms 120 96f8bbfe16ae5998\n"
       "agent_sessions 400 b10d546c3bcaff91\n"
       "price_history 8640 9486d08150d88223\n"},
      {"travelers",
       "travelers 197 b65a9f26c08c93c9\n"
       "routing_steps 1267 21ce74c1278aef4b\n"},
      {"travelers-large",
       "travelers 19997 1d7b884dfd8bccf0\n"
       "routing_steps 129722 278f9436b94fa017\n"},
  };
  return golden;
}

TEST(GoldenFingerprints, EveryBuiltinProfileButXlGeneratesItsPinnedData) {
  for (const BuiltinProfile& builtin : BuiltinProfiles()) {
    const std::string name(builtin.name);
    if (name == "xl") continue;  // the same generators as large, ten times the rows
    const auto golden = Golden().find(name);
    ASSERT_NE(golden, Golden().end()) << "no golden fingerprints for built-in profile " << name;
    EXPECT_EQ(Fingerprints(name, 0), golden->second) << name;
  }
}

TEST(GoldenFingerprints, TheThreadCountChangesNoByte) {
  EXPECT_EQ(Fingerprints("travelers", 1), Fingerprints("travelers", 3));
  EXPECT_EQ(Fingerprints("trading", 1), Fingerprints("trading", 2));
}

}  // namespace
}  // namespace seedforge
