// zstd streaming and SHA-256 for snapshot data files (see snapshot_file.h).
//
// COPY TO hands over one row per callback, so the writer gathers rows into a 1 MiB buffer and
// gives zstd (and the hash) whole buffers: per-row calls into either would cost more than the
// compression itself. With workers > 0, ZSTD_compressStream2 only copies the input into zstd's
// job queue and returns, so compression overlaps with reading the next rows from the server.
// Frames carry zstd's own checksum, so a flipped bit is reported as corruption by the decoder
// before the SHA-256 comparison would catch it.
//
// SHA-256 (OpenSSL libcrypto, already linked for verify) rather than XXH3: it needs no new
// package, runs at about 1.1 GB/s on this hardware with the SHA extensions, and a snapshot that
// is shared between people deserves a hash nobody can forge a collision for.
#include "tools/snapshot_file.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/failpoint.h"

namespace seedforge {
namespace {

constexpr size_t kBufferBytes = size_t{1} << 20;
// Input handed to zstd per call: without workers each call compresses what it is given (at level
// 19 about 64 KiB in a few tens of milliseconds), and the cancel flag is checked between calls.
constexpr size_t kStepBytes = size_t{64} << 10;

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return IoError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("writing", path);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return Status::Ok();
}

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(context_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(context_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size) { EVP_DigestUpdate(context_, data, size); }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
      hex += kHex[digest[i] >> 4];
      hex += kHex[digest[i] & 15];
    }
    return hex;
  }

 private:
  EVP_MD_CTX* context_;
};

class ZstdFileWriter final : public SnapshotFileWriter {
 public:
  ZstdFileWriter(std::string path, int fd, ZSTD_CCtx* context, const std::atomic<bool>* cancel)
      : path_(std::move(path)), fd_(fd), context_(context), cancel_(cancel), output_(kBufferBytes) {
    input_.reserve(kBufferBytes);
  }
  ~ZstdFileWriter() override {
    if (fd_ >= 0) ::close(fd_);
    ZSTD_freeCCtx(context_);
  }

  Status Append(std::string_view bytes) override {
    if (input_.size() + bytes.size() > kBufferBytes) {
      SF_RETURN_IF_ERROR(Compress(input_, ZSTD_e_continue));
      input_.clear();
    }
    if (bytes.size() >= kBufferBytes) return Compress(bytes, ZSTD_e_continue);
    input_.append(bytes);
    return Status::Ok();
  }

  StatusOr<SnapshotFileStats> Finish() override {
    SF_RETURN_IF_ERROR(Compress(input_, ZSTD_e_end));
    input_.clear();
    if (::fsync(fd_) != 0) return ErrnoStatus("syncing", path_);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoStatus("closing", path_);
    stats_.sha256 = hash_.HexDigest();
    return stats_;
  }

 private:
  Status Compress(std::string_view bytes, ZSTD_EndDirective mode) {
    hash_.Update(bytes.data(), bytes.size());
    stats_.raw_bytes += static_cast<int64_t>(bytes.size());
    // zstd is given the input a step at a time: ZSTD_e_end only with the last step.
    for (size_t offset = 0;;) {
      if (cancel_ != nullptr && cancel_->load()) return Cancelled("interrupted");
      const size_t step = std::min(kStepBytes, bytes.size() - offset);
      const bool last = offset + step == bytes.size();
      SF_RETURN_IF_ERROR(CompressStep(bytes.substr(offset, step), last ? mode : ZSTD_e_continue));
      offset += step;
      if (last) return Status::Ok();
      SF_FAILPOINT("snapshot.compress_step", "");
    }
  }

  Status CompressStep(std::string_view bytes, ZSTD_EndDirective mode) {
    ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
    for (;;) {
      if (cancel_ != nullptr && cancel_->load()) return Cancelled("interrupted");
      ZSTD_outBuffer output{output_.data(), output_.size(), 0};
      const size_t remaining = ZSTD_compressStream2(context_, &output, &input, mode);
      if (ZSTD_isError(remaining)) {
        return Internal("compressing " + path_ + ": " + ZSTD_getErrorName(remaining));
      }
      SF_RETURN_IF_ERROR(WriteAll(fd_, output_.data(), output.pos, path_));
      stats_.compressed_bytes += static_cast<int64_t>(output.pos);
      const bool done = mode == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
      if (done) return Status::Ok();
    }
  }

  std::string path_;
  int fd_;
  ZSTD_CCtx* context_;
  const std::atomic<bool>* cancel_;
  std::string input_;
  std::vector<char> output_;
  Sha256 hash_;
  SnapshotFileStats stats_;
};

}  // namespace

StatusOr<std::unique_ptr<SnapshotFileWriter>> SnapshotFileWriter::Create(
    const std::string& path, int level, int workers, const std::atomic<bool>* cancel) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  if (context == nullptr) return Internal("out of memory creating a zstd context");
  ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  // Fails harmlessly (single-threaded) on a libzstd built without threads.
  if (workers > 0) ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, workers);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    ZSTD_freeCCtx(context);
    return ErrnoStatus("creating", path);
  }
  return std::unique_ptr<SnapshotFileWriter>(new ZstdFileWriter(path, fd, context, cancel));
}

StatusOr<SnapshotFileStats> ReadSnapshotFile(
    const std::string& path, const std::function<Status(std::string_view)>& consume) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("opening", path);
  ZSTD_DCtx* context = ZSTD_createDCtx();
  struct Cleanup {
    int fd;
    ZSTD_DCtx* context;
    ~Cleanup() {
      ::close(fd);
      ZSTD_freeDCtx(context);
    }
  } cleanup{fd, context};
  if (context == nullptr) return Internal("out of memory creating a zstd context");
  std::vector<char> in(kBufferBytes);
  std::vector<char> out(kBufferBytes);
  Sha256 hash;
  SnapshotFileStats stats;
  size_t pending = 1;  // zstd's hint: 0 exactly when the last frame is complete
  for (;;) {
    const ssize_t got = ::read(fd, in.data(), in.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("reading", path);
    }
    if (got == 0) break;
    stats.compressed_bytes += got;
    ZSTD_inBuffer input{in.data(), static_cast<size_t>(got), 0};
    while (input.pos < input.size) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      pending = ZSTD_decompressStream(context, &output, &input);
      if (ZSTD_isError(pending)) {
        return FailedPrecondition(path + " is corrupt (zstd: " + ZSTD_getErrorName(pending) + ")");
      }
      if (output.pos == 0) continue;
      hash.Update(out.data(), output.pos);
      stats.raw_bytes += static_cast<int64_t>(output.pos);
      SF_RETURN_IF_ERROR(consume(std::string_view(out.data(), output.pos)));
    }
  }
  if (pending != 0) {
    return FailedPrecondition(path +
                              " is truncated (it ends in the middle of its compressed data)");
  }
  stats.sha256 = hash.HexDigest();
  return stats;
}

}  // namespace seedforge
