// What the two ways of loading a table share: the COPY statement, the encoding's prologue and
// epilogue, the byte count, and moving the identity sequence past the largest id afterwards.
// append_load.h and bulk_load.h each make a TableLoad for one table of a run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/byte_buffer.h"
#include "core/status.h"
#include "sinks/sink.h"

namespace seedforge {

class PgConnection;

// Loads one table: WriteBatch for each batch in row order, then Finish; or, on any error, the
// loader is destroyed (which abandons what is not committed: see each path).
class TableLoad {
 public:
  virtual ~TableLoad() = default;
  // Sends `bytes`, encoded rows without prologue or epilogue.
  virtual Status WriteBatch(std::string_view bytes) = 0;
  // Makes the rows permanent and the table whole (indexes, constraints, identity sequence).
  virtual Status Finish() = 0;
  // "append" or "bulk".
  virtual const char* method() const = 0;
  // Bytes sent for the table so far, prologues and epilogues included.
  int64_t bytes_written() const { return bytes_; }

 protected:
  // `connection` (not owned) and `write` (copied) for one table; `format` is kCopyText or
  // kCopyBinary. `copy_options` go into the WITH list after the format ("", ", FREEZE").
  TableLoad(PgConnection& connection, const TableWrite& write, Format format,
            std::string_view copy_options);

  // `status` with the table named.
  Status Where(Status status) const;
  // Tells the engine what a long step after the rows is doing.
  void Phase(std::string_view phase) const;
  // Moves the table's identity (or serial) sequence past the largest id, so that the
  // application's own inserts never collide with generated rows.
  Status MoveIdentityPastLargestId();

  // One COPY for the whole load (the bulk and one-transaction paths): OpenCopy starts it and
  // sends the prologue, CloseCopy sends the epilogue and ends it (errors name the table). A
  // derived destructor calls AbandonCopy before its transaction rolls back.
  Status OpenCopy();
  Status CloseCopy();
  void AbandonCopy();

  PgConnection& connection_;
  const TableWrite write_;
  const std::string quoted_table_;
  const std::string copy_sql_;  // COPY table (columns) FROM STDIN WITH (FORMAT ...)
  ByteBuffer prologue_;
  ByteBuffer epilogue_;
  int64_t bytes_ = 0;
  bool in_copy_ = false;  // between OpenCopy and CloseCopy
};

}  // namespace seedforge
