// Snapshot data files and manifests without a database: the bytes written come back exactly
// with the SHA-256 of what was written, a cut or damaged file is refused naming it, and a
// manifest survives JSON and back while a damaged one is refused naming the file and JSON path.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/test_support.h"
#include "tools/snapshot.h"
#include "tools/snapshot_file.h"

namespace seedforge {
namespace {

using testing::MakeTempDir;
using testing::ReadFile;
using testing::RemoveTree;

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// About 5 MB of rows of varying length, so the writer's buffer fills several times.
std::string SampleStream() {
  std::string data;
  for (int i = 0; i < 100000; ++i) {
    data += "row " + std::to_string(i) + "\t" + std::string(static_cast<size_t>(i % 61), 'x') +
            "\t" + std::to_string(i * 7919 % 100003) + "\n";
  }
  return data;
}

class SnapshotFileTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("snapshot-file"); }
  void TearDown() override { RemoveTree(dir_); }

  // Writes `data` in chunks of `chunk` bytes; returns the stats.
  SnapshotFileStats Write(const std::string& path, const std::string& data, size_t chunk,
                          int workers) {
    auto writer = SnapshotFileWriter::Create(path, 3, workers);
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    for (size_t at = 0; at < data.size(); at += chunk) {
      EXPECT_TRUE((*writer)->Append(std::string_view(data).substr(at, chunk)).ok());
    }
    auto stats = (*writer)->Finish();
    EXPECT_TRUE(stats.ok()) << stats.status().message();
    return *stats;
  }

  StatusOr<SnapshotFileStats> Read(const std::string& path, std::string* out) {
    return ReadSnapshotFile(path, [out](std::string_view chunk) {
      out->append(chunk);
      return Status::Ok();
    });
  }

  std::string dir_;
};

TEST_F(SnapshotFileTest, WhatIsWrittenComesBackWithTheSameSha256) {
  const std::string data = SampleStream();
  for (const int workers : {0, 1}) {
    for (const size_t chunk : {size_t{17}, size_t{1} << 22}) {
      const std::string path = dir_ + "/t" + std::to_string(workers) + "-" + std::to_string(chunk);
      const SnapshotFileStats written = Write(path, data, chunk, workers);
      EXPECT_EQ(written.raw_bytes, static_cast<int64_t>(data.size()));
      EXPECT_EQ(written.sha256, Sha256Hex(data));
      EXPECT_EQ(written.compressed_bytes, static_cast<int64_t>(std::filesystem::file_size(path)));
      EXPECT_LT(written.compressed_bytes, written.raw_bytes / 4);
      std::string back;
      auto read = Read(path, &back);
      ASSERT_TRUE(read.ok()) << read.status().message();
      EXPECT_TRUE(back == data);
      EXPECT_EQ(read->sha256, written.sha256);
      EXPECT_EQ(read->raw_bytes, written.raw_bytes);
      EXPECT_EQ(read->compressed_bytes, written.compressed_bytes);
    }
  }
  // An empty table is an empty stream.
  const SnapshotFileStats empty = Write(dir_ + "/empty", "", 1, 1);
  EXPECT_EQ(empty.raw_bytes, 0);
  EXPECT_EQ(empty.sha256, Sha256Hex(""));
  std::string back;
  auto read = Read(dir_ + "/empty", &back);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(back, "");
}

TEST_F(SnapshotFileTest, CutOrDamagedFilesAreRefusedNamingTheFile) {
  const std::string path = dir_ + "/t";
  Write(path, SampleStream(), 4096, 1);
  const std::string bytes = ReadFile(path);

  const std::string cut = dir_ + "/cut";
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string ignored;
  auto read = Read(cut, &ignored);
  EXPECT_EQ(read.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(read.status().message(),
            cut + " is truncated (it ends in the middle of its compressed data)");

  const std::string damaged = dir_ + "/damaged";
  std::string flipped = bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x40);
  std::ofstream(damaged, std::ios::binary) << flipped;
  read = Read(damaged, &ignored);
  EXPECT_EQ(read.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(read.status().message().rfind(damaged + " is corrupt (zstd: ", 0), 0u)
      << read.status().message();

  const std::string empty = dir_ + "/zero";
  std::ofstream(empty, std::ios::binary).flush();
  read = Read(empty, &ignored);
  EXPECT_EQ(read.status().message(),
            empty + " is truncated (it ends in the middle of its compressed data)");

  // A consumer's error stops the read and is returned as it is.
  read = ReadSnapshotFile(path, [](std::string_view) { return Cancelled("stop"); });
  EXPECT_EQ(read.status().code(), StatusCode::kCancelled);
}

SnapshotManifest SampleManifest() {
  SnapshotManifest m;
  m.id = "0123abcd";
  m.name = "base";
  m.created_at = "2026-01-22T14:30:22.5Z";
  m.profile = "large";
  m.seed = std::nullopt;
  m.seedforge_version = "0.1.0";
  m.server_version = "15.20";
  m.database = "app \"db\"";
  m.compression_level = 3;
  m.template_database = "seedforge_tpl_base";
  m.pg_dump_version = "15.20";
  m.schemas = {"Sales", "public", "seedforge"};
  m.exclude_schemas = {"scratch"};
  m.schema_files = {{"pre-data", "pre-data.sql", 1200, std::string(64, 'b')},
                    {"post-data", "post-data.sql", 300, std::string(64, 'c')}};
  m.partitioned_tables = {"\"Sales\".orders"};
  m.materialized_views = {"public.monthly"};
  m.sequences.push_back({"public.users_id_seq", 1000, true, 1, 9223372036854775807});
  SnapshotTable& t = m.tables.emplace_back();
  t.definition.schema = "public";
  t.definition.name = "users";
  t.definition.columns.emplace_back().name = "id";
  t.definition.columns.emplace_back().name = "Name";
  t.file = "001-public.users.pgcopy.zst";
  t.rows = 1000;
  t.raw_bytes = 123456;
  t.compressed_bytes = 23456;
  t.sha256 = std::string(64, 'a');
  SnapshotTable& partition = m.tables.emplace_back();
  partition.definition.schema = "Sales";
  partition.definition.name = "orders_2025";
  partition.partition_of = "\"Sales\".orders";
  partition.file = "002-Sales.orders_2025.pgcopy.zst";
  SnapshotTable& segments = m.tables.emplace_back();
  segments.definition.schema = "seedforge";
  segments.definition.name = "segments";
  segments.file = "003-seedforge.segments.pgcopy.zst";
  return m;
}

TEST(SnapshotManifest, SurvivesJsonAndBack) {
  const SnapshotManifest m = SampleManifest();
  const std::string json = ManifestToJson(m);
  auto back = ParseManifest(json, "manifest.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ManifestToJson(*back), json);
  EXPECT_EQ(back->profile, std::optional<std::string>("large"));
  EXPECT_EQ(back->seed, std::nullopt);
  EXPECT_EQ(back->database, "app \"db\"");
  EXPECT_EQ(back->schemas, m.schemas);
  EXPECT_EQ(back->exclude_schemas, m.exclude_schemas);
  EXPECT_EQ(back->schema_files[1].sha256, std::string(64, 'c'));
  EXPECT_EQ(back->partitioned_tables, m.partitioned_tables);
  EXPECT_EQ(back->materialized_views, m.materialized_views);
  ASSERT_EQ(back->tables.size(), 3u);
  const SnapshotTable& t = back->tables[0];
  EXPECT_EQ(t.definition.columns[1].name, "Name");
  EXPECT_EQ(back->tables[1].partition_of, "\"Sales\".orders");
  EXPECT_EQ(back->sequences[0].last_value, 1000);
  EXPECT_TRUE(back->sequences[0].is_called);
  EXPECT_EQ(back->total_rows(), 1000);
  EXPECT_EQ(back->compressed_bytes(), 23456);
  EXPECT_NE(json.find("\"total_rows\": 1000,"), std::string::npos);
}

TEST(SnapshotManifest, DamagedManifestsAreRefusedNamingFileAndPath) {
  const std::string json = ManifestToJson(SampleManifest());
  const auto error = [](const std::string& text) {
    return ParseManifest(text, "backups/base/manifest.json").status().message();
  };
  EXPECT_EQ(error(json.substr(0, json.size() / 2))
                .rfind("backups/base/manifest.json: $: malformed JSON (", 0),
            0u);
  std::string changed = json;
  changed.replace(changed.find("\"rows\": 1000"), 12, "\"rows\": \"many\"");
  EXPECT_EQ(error(changed), "backups/base/manifest.json: $.tables[0].rows: expected an integer");
  changed = json;
  changed.replace(changed.find("\"sha256\": \"aaa"), 8, "\"sha257\"");
  EXPECT_EQ(error(changed), "backups/base/manifest.json: $.tables[0]: missing key \"sha256\"");
  changed = json;
  changed.replace(changed.find("\"format_version\": 2"), 19, "\"format_version\": 1");
  EXPECT_EQ(error(changed).rfind("backups/base/manifest.json: $.format_version: unsupported "
                                 "version 1 (written by an older seedforge",
                                 0),
            0u);
  changed = json;
  changed.replace(changed.find("001-public"), 10, "../../etc/");
  EXPECT_EQ(error(changed).rfind("backups/base/manifest.json: $.tables[0].file: not a plain", 0),
            0u);
  // Names seedforge puts into statements must be names, in the forms quote_ident writes.
  changed = json;
  changed.replace(changed.find("\"public.monthly\""), 16,
                  "\"public.monthly; CREATE TABLE public.pwned_by_manifest(x int); --\"");
  EXPECT_EQ(error(changed).rfind("backups/base/manifest.json: $.materialized_views[0]: ", 0), 0u)
      << error(changed);
  changed = json;
  changed.replace(changed.find("\"total_rows\": 1000"), 18, "\"total_rows\": 1001");
  EXPECT_EQ(error(changed),
            "backups/base/manifest.json: $.total_rows: 1001 is not the sum of the "
            "tables' rows (1000)");
  changed = json;
  changed.replace(changed.find("\"last_value\": 1000"), 18, "\"last_value\": -5");
  EXPECT_EQ(error(changed),
            "backups/base/manifest.json: $.sequences[0].last_value: sequence "
            "public.users_id_seq cannot hold -5 (its bounds are "
            "1..9223372036854775807)");
}

TEST_F(SnapshotFileTest, ACancelFlagStopsTheWriterEvenAtLevel19WithoutWorkers) {
  std::atomic<bool> cancel{false};
  auto writer = SnapshotFileWriter::Create(dir_ + "/slow.zst", 19, 0, &cancel);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  std::string data;
  for (int i = 0; data.size() < (size_t{3} << 20); ++i)
    data += fmt::format("row {} {}\n", i, i * 7);
  ASSERT_TRUE((*writer)->Append(std::string_view(data).substr(0, 1000)).ok());
  cancel.store(true);
  const Status appended = (*writer)->Append(data);
  EXPECT_EQ(appended.code(), StatusCode::kCancelled);
  EXPECT_EQ(appended.message(), "interrupted");
  const auto finished = (*writer)->Finish();
  EXPECT_EQ(finished.status().code(), StatusCode::kCancelled);
}

TEST(ConninfoWithoutPassword, LeavesAConnectionStringWithoutOneAsItIsAndDropsAPassword) {
  EXPECT_EQ(*ConninfoWithoutPassword("postgresql://app@db.example/appdb?sslmode=require"),
            "postgresql://app@db.example/appdb?sslmode=require");
  EXPECT_EQ(*ConninfoWithoutPassword("postgresql://app:S3cr3t@db.example:5433/appdb"),
            "user='app' dbname='appdb' host='db.example' port='5433'");
  EXPECT_EQ(*ConninfoWithoutPassword("host=db password=secret user=app"), "user='app' host='db'");
}

TEST(SnapshotNames, AreCheckedAndDefaultToTheUtcTime) {
  EXPECT_TRUE(ValidateSnapshotName("before-migration_2.1").ok());
  EXPECT_TRUE(ValidateSnapshotName(DefaultSnapshotName()).ok());
  EXPECT_EQ(DefaultSnapshotName().size(), std::string("snapshot-20260122-143022").size());
  for (const char* bad : {"", ".hidden", "-x", "a/b", "a b", "é"}) {
    EXPECT_EQ(ValidateSnapshotName(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ValidateSnapshotName(std::string(49, 'a')).message(),
            "snapshot name '" + std::string(49, 'a') +
                "': use 1 to 48 letters, digits, '.', '_' or '-', starting with a letter or digit");
}

}  // namespace
}  // namespace seedforge
