// core/redact.h: passwords in any text that looks like a connection string are masked, however
// malformed the string.
#include <gtest/gtest.h>

#include "core/redact.h"

namespace seedforge {
namespace {

struct Masking {
  std::string text;
  std::string masked;
};

class Redaction : public ::testing::TestWithParam<Masking> {};

TEST_P(Redaction, MasksThePasswordAndNothingElse) {
  EXPECT_EQ(RedactSecrets(GetParam().text), GetParam().masked);
}

INSTANTIATE_TEST_SUITE_P(
    AllForms, Redaction,
    ::testing::Values(
        Masking{"postgresql://app:S3cr3t@127.0.0.1:5432/adv",
                "postgresql://app:***@127.0.0.1:5432/adv"},
        Masking{"mysql://app:S3cr3t@h/adv", "mysql://app:***@h/adv"},
        Masking{"postgresq://app:S3cr3t@h/adv", "postgresq://app:***@h/adv"},
        Masking{"postgresql:/app:S3cr3t@h/adv", "postgresql:/app:***@h/adv"},
        Masking{"postgres//app:S3cr3t@h/adv", "postgres//app:***@h/adv"},
        Masking{"postgresql://app:p@ss:w/rd@h/adv", "postgresql://app:***@h/adv"},
        Masking{"missing \"=\" after \"mysql://app:S3cr3t@h:5432/adv\" in connection info string",
                "missing \"=\" after \"mysql://app:***@h:5432/adv\" in connection info string"},
        Masking{"host=h password=S3cr3t dbname=adv", "host=h password=*** dbname=adv"},
        Masking{"host=h PASSWORD = 'S3 cr\\'3t' dbname=adv", "host=h PASSWORD = *** dbname=adv"},
        Masking{"postgresql://h/adv?user=app&password=S3cr3t&sslmode=require",
                "postgresql://h/adv?user=app&password=***&sslmode=require"},
        Masking{"postgresql://app@h/adv", "postgresql://app@h/adv"},
        Masking{"mail admin@example.com: no", "mail admin@example.com: no"},
        Masking{"seedforge: error: no password here", "seedforge: error: no password here"}));

TEST(Redaction, KnownSecretsAreMaskedWhereverTheyAppear) {
  EXPECT_EQ(RedactSecrets("auth failed for S3cr3t!", {"S3cr3t"}), "auth failed for ***!");
  EXPECT_EQ(RedactSecrets("a b", {"a"}), "a b");  // too short to mask safely
}

TEST(Redaction, FindSecretsGivesRawAndPercentDecodedPasswords) {
  const std::vector<std::string> found = FindSecrets("postgresql://app:p%40ss@h/db");
  EXPECT_EQ(found, (std::vector<std::string>{"p@ss", "p%40ss"}));
}

}  // namespace
}  // namespace seedforge
