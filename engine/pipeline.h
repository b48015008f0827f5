// The generation pipeline for one table.
//
//   input (serial)          : cuts [begin, end) into batches of `batch_rows` rows
//   generate (parallel)     : the table generator writes each batch through a RowWriter into the
//                             batch's reusable buffer
//   sink (serial, in order) : hands each buffer to the sink, then returns it to the pool
//
// At most `tokens` batches exist at once, so memory is bounded by tokens x batch size whatever
// the row count. Rows are a pure function of their index, so neither the thread count nor the
// batch size changes a byte of the output.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "core/status.h"
#include "generators/table_generator.h"
#include "sinks/encoding.h"
#include "sinks/sink.h"

namespace seedforge {

struct PipelineOptions {
  int threads = 0;             // worker threads; 0 = one per core
  int64_t batch_rows = 10000;  // rows per batch (the commit unit when appending to PostgreSQL)
  int tokens = 0;              // batches in flight; 0 = 2 x threads + 2
  // Set (e.g. by a signal handler) to stop after the batch being written (batches still in flight
  // are dropped); RunPipeline then returns kCancelled. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // Set by the engine when another table of the same run failed; stops like `cancel`.
  const std::atomic<bool>* abort = nullptr;
  // Called from the sink stage after each batch with the rows written so far in this call.
  std::function<void(int64_t rows_done)> on_progress;

  // Returns InvalidArgument naming the bad field ("--threads", "--batch-size").
  Status Validate() const;
};

// Generates rows [begin, end) of `generator`, encodes them with `encoding` and writes them to
// `sink` in row order. REQUIRES: sink.BeginTable() was called; the caller calls EndTable() or
// AbortTable(). Returns the first error of the sink, or kCancelled.
Status RunPipeline(const TableGenerator& generator, const Encoding& encoding, int64_t begin,
                   int64_t end, Sink& sink, const PipelineOptions& options);

// The most threads any command takes (--threads): oneTBB limits its pool to about this many
// workers on small machines and prints a raw warning when asked for more.
inline constexpr int kMaxThreads = 256;
// InvalidArgument "--threads must be between 1 and 256 (or 0 for one per core), got N" unless
// 0 <= threads <= kMaxThreads. Every command that takes --threads checks it with this.
Status ValidateThreads(int threads);

// The thread count `options.threads` resolves to.
int ResolveThreads(int threads);

}  // namespace seedforge
