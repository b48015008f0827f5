// The append path (see append_load.h): each batch is a whole COPY (prologue, rows, epilogue) and
// commits on its own, so there is nothing to roll back between batches; destroying the load
// abandons only a COPY left in flight.
#include "sinks/postgres/append_load.h"

#include "core/failpoint.h"
#include "sinks/postgres/connection.h"
#include "sinks/postgres/segments.h"

namespace seedforge {
namespace {

class AppendLoad final : public TableLoad {
 public:
  AppendLoad(PgConnection& connection, const TableWrite& write, Format format)
      : TableLoad(connection, write, format, "") {}

  ~AppendLoad() override {
    if (in_copy_) connection_.CopyAbort();
  }

  Status WriteBatch(std::string_view bytes) override {
    bytes_ += static_cast<int64_t>(bytes.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyBegin(copy_sql_)));
    in_copy_ = true;
    Status status = connection_.CopyPut(prologue_.view());
    if (status.ok()) status = connection_.CopyPut(bytes);
    if (status.ok()) status = connection_.CopyPut(epilogue_.view());
    if (!status.ok()) {
      connection_.CopyAbort();
      in_copy_ = false;
      return Where(status);
    }
    in_copy_ = false;
    bytes_ += static_cast<int64_t>(prologue_.size() + epilogue_.size());
    SF_RETURN_IF_ERROR(Where(connection_.CopyEnd()));
    SF_FAILPOINT("sink.batch_committed", write_.schema->name);
    return Status::Ok();
  }

  Status Finish() override { return MoveIdentityPastLargestId(); }

  const char* method() const override { return "append"; }

 private:
  bool in_copy_ = false;  // between CopyBegin and CopyEnd of one batch
};

}  // namespace

StatusOr<std::unique_ptr<TableLoad>> StartAppend(PgConnection& connection, const TableWrite& write,
                                                 Format format, bool record_history) {
  if (record_history) SF_RETURN_IF_ERROR(RecordSegment(connection, write));
  return std::unique_ptr<TableLoad>(std::make_unique<AppendLoad>(connection, write, format));
}

}  // namespace seedforge
