// parallel_pipeline over a fixed pool of batches.
//
// Each batch owns its ByteBuffer and RowWriter; buffers keep their capacity between uses, so after
// the first few batches nothing is allocated. The pool is a concurrent queue because the serial
// input stage (which takes a batch) and the serial sink stage (which returns one) may run at the
// same time on different threads; it is touched once per batch, never per row. Errors never
// cross TBB as exceptions: the first failure (of the sink stage, or of the input stage) is
// recorded under a mutex (FirstFailure) and the input stage stops.
#include "engine/pipeline.h"

#include <tbb/concurrent_queue.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/byte_buffer.h"

namespace seedforge {
namespace {

struct Batch {
  ByteBuffer buffer;
  std::unique_ptr<RowWriter> writer;
  int64_t begin = 0;
  int64_t end = 0;
};

// The first failure of a pipeline. The input stage and the sink stage are both serial, but they
// are different filters and may run at the same time on different threads, and either may fail:
// the status is written under a mutex, and `failed()` is an atomic the stages poll per batch.
class FirstFailure {
 public:
  // Keeps `status` unless a failure was already recorded.
  void Record(Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_.load(std::memory_order_relaxed)) return;
    status_ = std::move(status);
    failed_.store(true, std::memory_order_release);
  }
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // The recorded failure. REQUIRES: failed(), and no stage still running.
  Status status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> failed_{false};  // set once, under mutex_; read without it
  Status status_;                    // guarded by mutex_
};

}  // namespace

Status ValidateThreads(int threads) {
  if (threads < 0 || threads > kMaxThreads) {
    return InvalidArgument("--threads must be between 1 and " + std::to_string(kMaxThreads) +
                           " (or 0 for one per core), got " + std::to_string(threads));
  }
  return Status::Ok();
}

Status PipelineOptions::Validate() const {
  SF_RETURN_IF_ERROR(ValidateThreads(threads));
  if (batch_rows < 1 || batch_rows > 10'000'000) {
    return InvalidArgument("--batch-size must be between 1 and 10000000 rows, got " +
                           std::to_string(batch_rows));
  }
  if (tokens < 0) return InvalidArgument("tokens must be >= 0");
  return Status::Ok();
}

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

Status RunPipeline(const TableGenerator& generator, const Encoding& encoding, int64_t begin,
                   int64_t end, Sink& sink, const PipelineOptions& options) {
  SF_RETURN_IF_ERROR(options.Validate());
  if (begin >= end) return Status::Ok();
  const int threads = ResolveThreads(options.threads);
  const int tokens = options.tokens > 0 ? options.tokens : 2 * threads + 2;

  std::vector<std::unique_ptr<Batch>> pool(static_cast<size_t>(tokens));
  tbb::concurrent_queue<Batch*> free_batches;
  for (auto& batch : pool) {
    batch = std::make_unique<Batch>();
    batch->writer = encoding.NewRowWriter(&batch->buffer);
    free_batches.push(batch.get());
  }

  // `next` is the input stage's and `done` the sink stage's own (each stage is serial).
  int64_t next = begin;
  int64_t done = 0;
  FirstFailure failure;

  auto input = [&](tbb::flow_control& control) -> Batch* {
    if (next >= end || failure.failed() ||
        (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) ||
        (options.abort != nullptr && options.abort->load(std::memory_order_relaxed))) {
      control.stop();
      return nullptr;
    }
    Batch* batch = nullptr;
    if (!free_batches.try_pop(batch)) {  // cannot happen: tokens bound the batches in flight
      failure.Record(Internal("pipeline ran out of batch buffers"));
      control.stop();
      return nullptr;
    }
    batch->begin = next;
    batch->end = std::min(end, next + options.batch_rows);
    next = batch->end;
    return batch;
  };
  auto generate = [&](Batch* batch) -> Batch* {
    batch->buffer.Reset();
    if (!failure.failed()) {
      generator.WriteRows(batch->begin, batch->end, *batch->writer);
    }
    return batch;
  };
  // An interrupt stops at the batch being written: batches still in flight are dropped, so what
  // is committed is exactly what was written before the signal.
  auto write = [&](Batch* batch) {
    const bool cancelled =
        options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
    if (!failure.failed() && !cancelled) {
      Status status = sink.WriteBatch(batch->buffer.view(), batch->end - batch->begin);
      if (status.ok()) {
        done += batch->end - batch->begin;
        if (options.on_progress) options.on_progress(done);
      } else {
        failure.Record(std::move(status));
      }
    }
    free_batches.push(batch);
  };

  try {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_pipeline(
          static_cast<size_t>(tokens),
          tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order, input) &
              tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, generate) &
              tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, write));
    });
  } catch (const std::exception& error) {
    return Internal(std::string("generation failed: ") + error.what());
  }
  if (failure.failed()) return failure.status();
  if (done < end - begin) return Cancelled("interrupted");
  return Status::Ok();
}

}  // namespace seedforge
