// What an adversarial user found (issue 8), as the user meets it: files that must not be replaced
// or followed, a report checked before the seed, damaged profiles that crashed the reader,
// passwords in messages, output that could not be written, and the smaller inconsistencies. Each
// test failed before its fix.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "simdjson.h"
#include "tests/support/seed_checks.h"
#include "tests/support/test_support.h"

namespace seedforge {
namespace {

using testing::CountLines;
using testing::ProcessResult;
using testing::PublicTables;
using testing::ReadFile;
using testing::RunSeedforge;
using testing::RunSeedforgeWithStdout;
using testing::TestCluster;

// A temporary folder, removed at the end of the test.
class Folder {
 public:
  explicit Folder(const char* prefix) : path_(testing::MakeTempDir(prefix)) {}
  ~Folder() { testing::RemoveTree(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  std::string Write(const std::string& name, const std::string& contents) const {
    std::ofstream(File(name), std::ios::binary) << contents;
    return File(name);
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool IsFifo(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
}

// ---- Item 3: --report and export --out never replace or follow anything but a regular file.

TEST(OutputFiles, ExportRefusesASymlinkAndLeavesItAndItsTargetAsTheyWere) {
  const std::string url = testing::SeededDatabase("export_symlink");
  Folder folder("out-symlink");
  const std::string target = folder.Write("target.txt", "keep me\n");
  const std::string link = folder.File("fleet.json");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  const ProcessResult result = RunSeedforge({"export", "--out", link, "--db", url, "--quiet"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: cannot write " + link +
                            ": it is a symbolic link; refusing to replace it (give the path of a "
                            "regular file or a new one)\n");
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(std::filesystem::read_symlink(link).string(), target);
  EXPECT_EQ(ReadFile(target), "keep me\n");
  EXPECT_EQ(folder.Names(), (std::vector<std::string>{"fleet.json", "target.txt"}));
}

TEST(OutputFiles, ExportRefusesAFifoAndLeavesIt) {
  const std::string url = testing::SeededDatabase("export_fifo");
  Folder folder("out-fifo");
  const std::string fifo = folder.File("fleet.sql");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const ProcessResult result =
      RunSeedforge({"export", "--format", "sql", "--out", fifo, "--db", url, "--quiet"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: cannot write " + fifo +
                            ": it is a fifo; refusing to replace it (give the path of a regular "
                            "file or a new one)\n");
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_EQ(folder.Names(), std::vector<std::string>{"fleet.sql"});
}

TEST(OutputFiles, ExportToStdoutStillWorks) {
  const std::string url = testing::SeededDatabase("export_stdout");
  const ProcessResult result = RunSeedforge({"export", "--out", "-", "--db", url, "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  ASSERT_EQ(parser.parse(result.out).get(document), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(document["users"]).size(), 5u);
}

TEST(OutputFiles, ReportRefusesASymlinkBeforeSeedingAndLeavesIt) {
  const std::string url = TestCluster::Get().CreateDatabase("report_symlink");
  Folder folder("report-symlink");
  const std::string target = folder.Write("target.txt", "keep me\n");
  const std::string link = folder.File("run.json");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--quiet", "--report", link});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: --report: cannot write " + link +
                            ": it is a symbolic link; refusing to replace it (give the path of a "
                            "regular file or a new one)\n");
  EXPECT_EQ(PublicTables(url), 0);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(ReadFile(target), "keep me\n");
  EXPECT_EQ(folder.Names(), (std::vector<std::string>{"run.json", "target.txt"}));
}

TEST(OutputFiles, ReportRefusesAFifoBeforeSeedingAndLeavesIt) {
  const std::string url = TestCluster::Get().CreateDatabase("report_fifo");
  Folder folder("report-fifo");
  const std::string fifo = folder.File("run.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const ProcessResult result = RunSeedforge({"seed", "--db", url, "--quiet", "--report", fifo});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: --report: cannot write " + fifo +
                            ": it is a fifo; refusing to replace it (give the path of a regular "
                            "file or a new one)\n");
  EXPECT_EQ(PublicTables(url), 0);
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_EQ(folder.Names(), std::vector<std::string>{"run.json"});
}

TEST(OutputFiles, ReportReplacesARegularFileAndLeavesNoTemporaryFile) {
  Folder folder("report-regular");
  const std::string path = folder.Write("run.json", "old\n");
  const ProcessResult result =
      RunSeedforge({"generate", "--format", "null", "--quiet", "--report", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(ReadFile(path).find("\"command\""), std::string::npos);
  EXPECT_EQ(folder.Names(), std::vector<std::string>{"run.json"});
}

// ---- Item 4: --report is checked before anything is changed.

TEST(OutputFiles, UnwritableReportFolderFailsBeforeTheSeedSayingWhy) {
  const std::string url = TestCluster::Get().CreateDatabase("report_nofolder");
  const ProcessResult result =
      RunSeedforge({"seed", "--db", url, "--quiet", "--report", "/proc/nope/r.json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: --report: cannot write /proc/nope/r.json: No such file or "
            "directory\n");
  EXPECT_EQ(PublicTables(url), 0);
}

TEST(OutputFiles, ReportIntoAFolderThatIsAFileFailsBeforeTheSeed) {
  const std::string url = TestCluster::Get().CreateDatabase("report_notdir");
  Folder folder("report-notdir");
  const std::string file = folder.Write("plain", "x");
  const ProcessResult result =
      RunSeedforge({"auto", "--db", url, "--quiet", "--report", file + "/r.json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err,
            "seedforge: error: --report: cannot write " + file + "/r.json: Not a directory\n");
  EXPECT_EQ(PublicTables(url), 0);
}

// ---- Item 7: damaged profile files end with one line, never a crash.

struct DamagedProfile {
  std::string contents;
  std::string message;  // after "seedforge: error: FILE"
};

class DamagedProfileFile : public ::testing::TestWithParam<DamagedProfile> {};

TEST_P(DamagedProfileFile, EndsWithOneLineNamingTheFileAndWhatIsWrong) {
  Folder folder("damaged-profile");
  const std::string path = folder.Write("p.json", GetParam().contents);
  const ProcessResult result = RunSeedforge({"generate", "--format", "null", "--profile", path});
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + path + GetParam().message + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Cli, DamagedProfileFile,
    ::testing::Values(
        DamagedProfile{"", ": empty file (a profile is a JSON object)"},
        DamagedProfile{" \n\t \r\n", ": only blanks (a profile is a JSON object)"},
        DamagedProfile{std::string("{\"seed\": 1}\0", 12),
                       ":1:12: a NUL byte at byte offset 11 (a profile is UTF-8 JSON text)"},
        DamagedProfile{std::string("\0\0\0", 3),
                       ":1:1: a NUL byte at byte offset 0 (a profile is UTF-8 JSON text)"},
        DamagedProfile{"{\"name\": \"\xff\"}",
                       ":1:11: invalid UTF-8 at byte offset 10 (a profile is UTF-8 JSON text)"},
        DamagedProfile{"{\"seed\": 1}\n}",
                       ":2:1: trailing content after the JSON object at byte offset 12"},
        DamagedProfile{"{\"seed\": 1} x",
                       ":1:13: trailing content after the JSON object at byte offset 12"}));

TEST(DamagedProfileFile, AByteOrderMarkIsAccepted) {
  Folder folder("bom-profile");
  const std::string path = folder.Write("bom.json", "\xEF\xBB\xBF{\"seed\": 3}");
  const ProcessResult result = RunSeedforge({"generate", "--format", "null", "--profile", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

// ---- Item 8: no password in any message, whoever wrote it.

class PasswordInMessages : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(PasswordInMessages, NeverAppearsOnStdoutOrStderr) {
  const ProcessResult result = RunSeedforge(GetParam());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(CountLines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.find("S3cr3t"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("S3cr3t"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("***"), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cli, PasswordInMessages,
    ::testing::Values(
        std::vector<std::string>{"seed", "--db", "mysql://app:S3cr3t@127.0.0.1:5432/adv"},
        std::vector<std::string>{"seed", "--db", "postgresq://app:S3cr3t@127.0.0.1:5432/adv"},
        std::vector<std::string>{"seed", "--db", "postgresql:/app:S3cr3t@127.0.0.1:5432/adv"},
        std::vector<std::string>{"seed", "--db", "postgres//app:S3cr3t@127.0.0.1:5432/adv"},
        std::vector<std::string>{"seed", "--db", "postgresql://app:S3cr3t@127.0.0.1:1/adv"},
        std::vector<std::string>{"seed", "--db", "host=127.0.0.1 port=1 password=S3cr3t dbname=a"},
        std::vector<std::string>{"seed", "--db",
                                 "host=127.0.0.1 port=1 password = 'S3cr3t and more' dbname=a"},
        std::vector<std::string>{"stats", "--db", "host=127.0.0.1 port=1 password=S3cr3t bogus"},
        std::vector<std::string>{"seed", "postgresql://app:S3cr3t@host/db"},
        std::vector<std::string>{"export", "--out", "-", "--db",
                                 "postgresql://app:S3cr3t@127.0.0.1:5432/adv?sslmode=bogus"}));

TEST(PasswordInMessages, AForgottenDbFlagPointsAtTheSubcommandHelpWithoutThePassword) {
  const ProcessResult result = RunSeedforge({"seed", "postgresql://app:PW@host/db"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: The following argument was not expected: "
            "postgresql://app:***@host/db (see 'seedforge seed --help')\n");
}

// ---- Item 9: output that could not be written is an error.

class OutputToAFullDevice : public ::testing::Test {
 protected:
  static void ExpectOneLineAboutStdout(const ProcessResult& result) {
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(result.err, "seedforge: error: cannot write to stdout: No space left on device\n");
  }
};

TEST_F(OutputToAFullDevice, StatsVerifyAndProfilesFail) {
  const std::string url = testing::SeededDatabase("full_stdout");
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout({"stats", "--json", "--db", url}, "/dev/full"));
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout({"stats", "--db", url}, "/dev/full"));
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout({"verify", "--db", url}, "/dev/full"));
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout({"profiles"}, "/dev/full"));
}

TEST_F(OutputToAFullDevice, SeedFailsBeforeWritingAnything) {
  const std::string url = TestCluster::Get().CreateDatabase("full_stdout_seed");
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout({"seed", "--db", url}, "/dev/full"));
  EXPECT_EQ(PublicTables(url), 0);
}

TEST_F(OutputToAFullDevice, SnapshotListAndShowFail) {
  const std::string url = testing::SeededDatabase("full_stdout_snapshot");
  Folder folder("full-snapshots");
  ASSERT_EQ(RunSeedforge({"snapshot", "create", "one", "--db", url, "-q", "--dir", folder.path()})
                .exit_code,
            0);
  ExpectOneLineAboutStdout(
      RunSeedforgeWithStdout({"snapshot", "list", "--dir", folder.path()}, "/dev/full"));
  ExpectOneLineAboutStdout(RunSeedforgeWithStdout(
      {"snapshot", "show", "one", "--json", "--dir", folder.path()}, "/dev/full"));
}

// ---- Smaller inconsistencies.

struct BadSeedFlag {
  std::vector<std::string> args;
  std::string message;  // the whole stderr line after "seedforge: error: "
};

class BadSeedFlags : public ::testing::TestWithParam<BadSeedFlag> {};

TEST_P(BadSeedFlags, AreRefusedWithOneLineAndTheDatabaseUnchanged) {
  const std::string url = TestCluster::Get().CreateDatabase("badflag");
  std::vector<std::string> args = {"seed", "--db", url};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  const ProcessResult result = RunSeedforge(args);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err, "seedforge: error: " + GetParam().message + "\n");
  EXPECT_EQ(PublicTables(url), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadSeedFlags,
    ::testing::Values(
        BadSeedFlag{{"--lock-timeout", "-1"},
                    "--lock-timeout must be between 0 and 86400 seconds (0 = wait forever), got "
                    "-1"},
        BadSeedFlag{{"--threads", "5000"},
                    "--threads must be between 1 and 256 (or 0 for one per core), got 5000"},
        BadSeedFlag{{"--rows", "users=5", "--rows", "users=8"},
                    "--rows: users is given twice (users=5, then users=8)"},
        BadSeedFlag{{"--seed", "9223372036854775808"},
                    "--seed: out of range (expected 0 to 9223372036854775807), got "
                    "'9223372036854775808'"},
        BadSeedFlag{{"--rows", "events=99999999999999999999"},
                    "--rows: events: out of range (expected 0 to 9223372036854775807), got "
                    "'99999999999999999999'"}));

TEST(SmallerInconsistencies, VerifyBoundsThreadsLikeSeed) {
  const std::string url = testing::SeededDatabase("verify_threads");
  const ProcessResult result = RunSeedforge({"verify", "--threads", "5000", "--db", url});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "seedforge: error: --threads must be between 1 and 256 (or 0 for one per core), got "
            "5000\n");
}

TEST(SmallerInconsistencies, DuplicateProfileKeyIsRefusedNamingItsPath) {
  Folder folder("dup-profile");
  const std::string path =
      folder.Write("dup.json", R"({"rows": {"users": 5, "assets": 7, "users": 8}})");
  const ProcessResult result = RunSeedforge({"generate", "--format", "null", "--profile", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "seedforge: error: " + path +
                            ": $.rows.users: duplicate key (given twice in the same object)\n");
}

TEST(SmallerInconsistencies, AFileProfileWithoutANameIsCalledByItsFileName) {
  Folder folder("unnamed-profile");
  const std::string path = folder.Write("mine.json", R"({"extends": "default", "seed": 9})");
  const std::string report = folder.File("run.json");
  const ProcessResult result = RunSeedforge(
      {"generate", "--format", "null", "--quiet", "--profile", path, "--report", report});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  ASSERT_EQ(parser.parse(ReadFile(report)).get(document), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(document["profile"]), "mine");
}

TEST(SmallerInconsistencies, ErrorsOfASubcommandPointAtItsOwnHelp) {
  const ProcessResult seed = RunSeedforge({"seed", "--bogus"});
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_EQ(seed.err,
            "seedforge: error: The following argument was not expected: --bogus (see 'seedforge "
            "seed --help')\n");
  const ProcessResult list = RunSeedforge({"snapshot", "list", "--bogus"});
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_EQ(list.err,
            "seedforge: error: The following argument was not expected: --bogus (see 'seedforge "
            "snapshot list --help')\n");
}

}  // namespace
}  // namespace seedforge

namespace seedforge {
namespace {

TEST(SmallerInconsistencies, ARoleWithoutGrantsIsToldWhichStepNeededWhat) {
  const std::string url = testing::SeededDatabase("no_grants");
  testing::Execute(url,
                   "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nogrants') "
                   "THEN CREATE ROLE nogrants LOGIN; END IF; END $$");
  const std::string as_role =
      url + (url.find('?') == std::string::npos ? "?" : "&") + "user=nogrants";
  for (const char* command : {"stats", "verify"}) {
    const ProcessResult result = RunSeedforge({command, "--db", as_role});
    EXPECT_EQ(result.exit_code, 1) << command << ": " << result.err;
    EXPECT_EQ(result.err,
              "seedforge: error: counting rows of users: permission denied for table users (the "
              "role needs SELECT on it)\n")
        << command;
  }
}

}  // namespace
}  // namespace seedforge

namespace seedforge {
namespace {

TEST(SmallerInconsistencies, SnapshotRefusesANegativeLockTimeoutLikeSeed) {
  const std::string url = testing::SeededDatabase("snapshot_lock_timeout");
  Folder folder("lock-timeout-snapshots");
  const std::string expected =
      "seedforge: error: --lock-timeout must be between 0 and 86400 seconds (0 = wait forever), "
      "got -1\n";
  const ProcessResult create = RunSeedforge(
      {"snapshot", "create", "one", "--db", url, "--dir", folder.path(), "--lock-timeout", "-1"});
  EXPECT_EQ(create.exit_code, 2);
  EXPECT_EQ(create.err, expected);
  EXPECT_TRUE(folder.Names().empty());
  ASSERT_EQ(RunSeedforge({"snapshot", "create", "one", "--db", url, "-q", "--dir", folder.path()})
                .exit_code,
            0);
  const ProcessResult restore = RunSeedforge({"snapshot", "restore", "one", "--db", url, "--dir",
                                              folder.path(), "--yes", "--lock-timeout", "-1"});
  EXPECT_EQ(restore.exit_code, 2);
  EXPECT_EQ(restore.err, expected);
}

}  // namespace
}  // namespace seedforge
