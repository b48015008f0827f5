// File and null sinks.
//
// The file sink writes DIR/<table>.<ext> through "<name>.partial" and renames it when the table is
// complete, so an interrupted run never leaves a file that looks finished. Batches are already
// large (hundreds of kilobytes), so each is one write(2) call with no extra buffering.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "core/byte_buffer.h"
#include "sinks/sink.h"

namespace seedforge {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

class FileSink final : public Sink {
 public:
  FileSink(std::string directory, Format format)
      : directory_(std::move(directory)), format_(format) {}
  ~FileSink() override { AbortTable(); }

  Status CreateSchema(const std::vector<const TableSchema*>&) override { return Status::Ok(); }
  StatusOr<std::unique_ptr<Sink>> OpenWorker() override {
    return std::unique_ptr<Sink>(new FileSink(directory_, format_));
  }
  Status Prepare() override {
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    if (error) return IoError("cannot create folder " + directory_ + ": " + error.message());
    return Status::Ok();
  }

  StatusOr<int64_t> ExistingRows(const TableSchema&) override { return int64_t{0}; }

  Status BeginTable(const TableWrite& write) override {
    path_ = (std::filesystem::path(directory_) /
             (write.schema->name + "." + std::string(FileExtension(format_))))
                .string();
    partial_path_ = path_ + ".partial";
    fd_ = ::open(partial_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return IoError("cannot create " + partial_path_ + ": " + ErrnoText());
    bytes_ = 0;
    epilogue_.Reset();
    write.encoding->WriteEpilogue(epilogue_);
    ByteBuffer prologue;
    write.encoding->WritePrologue(prologue);
    return WriteAll(prologue.view());
  }

  Status WriteBatch(std::string_view bytes, int64_t) override { return WriteAll(bytes); }

  Status EndTable() override {
    SF_RETURN_IF_ERROR(WriteAll(epilogue_.view()));
    if (::close(fd_) != 0) {
      fd_ = -1;
      return IoError("cannot write " + partial_path_ + ": " + ErrnoText());
    }
    fd_ = -1;
    if (std::rename(partial_path_.c_str(), path_.c_str()) != 0) {
      return IoError("cannot rename " + partial_path_ + " to " + path_ + ": " + ErrnoText());
    }
    return Status::Ok();
  }

  void AbortTable() override {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    ::unlink(partial_path_.c_str());
  }

  int64_t bytes_written() const override { return bytes_; }
  std::string method() const override { return "file"; }
  std::string description() const override { return "files in " + directory_; }

 private:
  Status WriteAll(std::string_view bytes) {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("cannot write " + partial_path_ + ": " + ErrnoText());
      p += n;
      left -= static_cast<size_t>(n);
    }
    bytes_ += static_cast<int64_t>(bytes.size());
    return Status::Ok();
  }

  std::string directory_;
  Format format_;
  std::string path_;
  std::string partial_path_;
  ByteBuffer epilogue_;
  int fd_ = -1;
  int64_t bytes_ = 0;
};

class NullSink final : public Sink {
 public:
  Status CreateSchema(const std::vector<const TableSchema*>&) override { return Status::Ok(); }
  StatusOr<std::unique_ptr<Sink>> OpenWorker() override {
    return std::unique_ptr<Sink>(new NullSink());
  }
  Status Prepare() override { return Status::Ok(); }
  StatusOr<int64_t> ExistingRows(const TableSchema&) override { return int64_t{0}; }
  Status BeginTable(const TableWrite&) override {
    bytes_ = 0;
    return Status::Ok();
  }
  Status WriteBatch(std::string_view bytes, int64_t) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    return Status::Ok();
  }
  Status EndTable() override { return Status::Ok(); }
  void AbortTable() override {}
  int64_t bytes_written() const override { return bytes_; }
  std::string method() const override { return "null"; }
  std::string description() const override { return "null (discarded)"; }

 private:
  int64_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<Sink> MakeFileSink(std::string directory, Format format) {
  return std::make_unique<FileSink>(std::move(directory), format);
}

std::unique_ptr<Sink> MakeNullSink() { return std::make_unique<NullSink>(); }

}  // namespace seedforge
