// One table's data file in a snapshot: the table's COPY stream, zstd-compressed.
//
// The writer takes the raw COPY bytes in chunks of any size, and counts and hashes (SHA-256)
// them as it compresses; the reader streams them back in chunks, hashing again, and fails on a
// file that is corrupt or ends early. Memory is bounded by the buffers (about 1 MiB each plus
// zstd's window), whatever the table's size. zstd types stay in the .cc.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace seedforge {

struct SnapshotFileStats {
  int64_t raw_bytes = 0;         // uncompressed bytes (the COPY stream)
  int64_t compressed_bytes = 0;  // bytes in the file
  std::string sha256;            // hex SHA-256 of the raw bytes
};

class SnapshotFileWriter {
 public:
  // Creates `path` (which must not exist). `level` is the zstd level (1..19); `workers` > 0
  // compresses on that many background threads while the caller keeps feeding input. When
  // `cancel` (may be null; must outlive the writer) becomes true, Append and Finish return
  // kCancelled ("interrupted"): with workers == 0 they compress in steps of at most 64 KiB of
  // input and check it between steps, so even level 19 notices it within a fraction of a second.
  static StatusOr<std::unique_ptr<SnapshotFileWriter>> Create(
      const std::string& path, int level, int workers, const std::atomic<bool>* cancel = nullptr);
  virtual ~SnapshotFileWriter() = default;

  // Adds raw bytes. Not thread-safe.
  virtual Status Append(std::string_view bytes) = 0;
  // Ends the zstd frame, writes the rest, fsyncs and closes the file. Call once.
  virtual StatusOr<SnapshotFileStats> Finish() = 0;
};

// Decompresses `path` and calls `consume` with the raw bytes in order, in chunks of at most
// 1 MiB; stops at the first error `consume` returns. Fails with kFailedPrecondition naming the
// file when it is corrupt or truncated. Returns the raw size, the file's size and the SHA-256.
StatusOr<SnapshotFileStats> ReadSnapshotFile(
    const std::string& path, const std::function<Status(std::string_view)>& consume);

}  // namespace seedforge
