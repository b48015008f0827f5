// See atomic_output_file.h. The temporary name is fixed ("<path>.partial") rather than random so
// that what a killed run leaves behind is recognisable and the next run replaces it; it is
// created with O_EXCL | O_NOFOLLOW, so a symbolic link planted under that name is refused rather
// than followed.
#include "core/atomic_output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace seedforge {
namespace {

constexpr std::string_view kPartialSuffix = ".partial";

std::string ErrnoText(int error) { return std::strerror(error); }

// What a non-regular file is, for messages; nullptr for a regular file.
const char* KindOf(mode_t mode) {
  if (S_ISREG(mode)) return nullptr;
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a fifo";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

Status Refuse(const std::string& path, const char* kind) {
  return IoError("cannot write " + path + ": it is " + std::string(kind) +
                 "; refusing to replace it (give the path of a regular file or a new one)");
}

}  // namespace

Status AtomicOutputFile::CheckTarget(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return IoError("cannot write " + path + ": " + ErrnoText(errno));
  }
  if (const char* kind = KindOf(info.st_mode)) return Refuse(path, kind);
  return Status::Ok();
}

Status AtomicOutputFile::CheckWritable(const std::string& path) {
  AtomicOutputFile probe;
  return probe.Open(path);  // the destructor removes the temporary file
}

Status AtomicOutputFile::Open(const std::string& path) {
  SF_RETURN_IF_ERROR(CheckTarget(path));
  const std::string temporary = path + std::string(kPartialSuffix);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(temporary.c_str(), kFlags, 0644);
  if (fd < 0 && errno == EEXIST) {
    struct stat info {};
    if (::lstat(temporary.c_str(), &info) == 0) {
      if (const char* kind = KindOf(info.st_mode)) return Refuse(temporary, kind);
      if (::unlink(temporary.c_str()) != 0 && errno != ENOENT) {
        return IoError("cannot write " + temporary + ": " + ErrnoText(errno));
      }
    }
    fd = ::open(temporary.c_str(), kFlags, 0644);
  }
  if (fd < 0) return IoError("cannot write " + path + ": " + ErrnoText(errno));
  path_ = path;
  temporary_path_ = temporary;
  fd_ = fd;
  return Status::Ok();
}

Status AtomicOutputFile::Write(std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot write " + temporary_path_ + ": " + ErrnoText(errno));
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status AtomicOutputFile::Commit() {
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    return IoError("cannot write " + temporary_path_ + ": " + ErrnoText(error));
  }
  if (::close(fd) != 0) return IoError("cannot write " + temporary_path_ + ": " + ErrnoText(errno));
  // Something may have been put at the path while the file was written.
  SF_RETURN_IF_ERROR(CheckTarget(path_));
  if (std::rename(temporary_path_.c_str(), path_.c_str()) != 0) {
    return IoError("cannot rename " + temporary_path_ + " to " + path_ + ": " + ErrnoText(errno));
  }
  temporary_path_.clear();
  return Status::Ok();
}

void AtomicOutputFile::Abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_path_.empty()) ::unlink(temporary_path_.c_str());
  temporary_path_.clear();
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  AtomicOutputFile file;
  SF_RETURN_IF_ERROR(file.Open(path));
  SF_RETURN_IF_ERROR(file.Write(contents));
  return file.Commit();
}

}  // namespace seedforge
