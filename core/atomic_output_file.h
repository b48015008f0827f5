// A file that appears at its path complete or not at all, and never replaces anything but a
// regular file.
//
// The bytes go to "<path>.partial" in the target's own folder (so the final rename stays on one
// file system and is atomic), which is flushed to disk and renamed over the target by Commit().
// The target must be a regular file or absent: a symbolic link is never followed and a device
// node, fifo, socket or folder is never replaced (as root, replacing /dev/null would break the
// machine). The check is made when the file is opened and again just before the rename. A file
// that is destroyed without a successful Commit() removes its temporary file, so a failed or
// interrupted write leaves whatever was at the path as it was. Not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace seedforge {

class AtomicOutputFile {
 public:
  AtomicOutputFile() = default;
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  ~AtomicOutputFile() { Abandon(); }

  // Checks, without creating anything, that `path` is absent or a regular file (lstat: a symbolic
  // link counts as a link, whatever it points to). kIoError "cannot write PATH: it is a symbolic
  // link; refusing to replace it ..." (or a device, fifo, socket, folder) otherwise.
  static Status CheckTarget(const std::string& path);

  // Checks that `path` could be written now: CheckTarget, then creates and removes the temporary
  // file (which proves the folder exists and is writable). kIoError naming the path and the
  // reason ("cannot write /proc/nope/r.json: No such file or directory") otherwise.
  static Status CheckWritable(const std::string& path);

  // CheckTarget, then creates "<path>.partial" (exclusively, not through a symbolic link; a
  // regular file of that name, left by a killed run, is replaced). REQUIRES: not open.
  Status Open(const std::string& path);

  // Appends `bytes` (retrying short writes). REQUIRES: Open() succeeded.
  Status Write(std::string_view bytes);

  // Flushes the file to disk, closes it, checks the target again and renames the temporary file
  // over it. After it, the object holds nothing. REQUIRES: Open() succeeded.
  Status Commit();

  // Closes and removes the temporary file, if any; the target is left as it was.
  void Abandon();

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  // "<path>.partial" while open, for messages.
  const std::string& temporary_path() const { return temporary_path_; }

 private:
  std::string path_;
  std::string temporary_path_;
  int fd_ = -1;
};

// Writes `contents` to `path` through an AtomicOutputFile.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace seedforge
