// A growable byte buffer for encoded batches.
//
// Unlike std::string it never zero-fills on growth, and Reset() keeps the capacity, so a batch
// buffer that is reused across batches stops allocating once it has seen its largest batch.
// Not thread-safe: each pipeline token owns its own buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace seedforge {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  explicit ByteBuffer(size_t initial_capacity) { Reserve(initial_capacity); }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }

  // Empties the buffer; keeps the memory.
  void Reset() { size_ = 0; }
  // Drops the bytes after the first `size`. REQUIRES: size <= size().
  void Truncate(size_t size) { size_ = size; }

  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    size_t grown = capacity_ < 4096 ? 4096 : capacity_ * 2;
    if (grown < capacity) grown = capacity;
    std::unique_ptr<char[]> bigger(new char[grown]);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }

  // Returns a pointer to `n` writable bytes at the end; call Commit() with how many were written.
  char* Extend(size_t n) {
    if (size_ + n > capacity_) Reserve(size_ + n);
    return data_.get() + size_;
  }
  void Commit(size_t n) { size_ += n; }

  void Append(const void* bytes, size_t n) {
    std::memcpy(Extend(n), bytes, n);
    size_ += n;
  }
  void Append(std::string_view text) { Append(text.data(), text.size()); }
  void Push(char c) {
    if (size_ == capacity_) Reserve(size_ + 1);
    data_[size_++] = c;
  }
  void AppendBigEndian16(uint16_t v) {
    char* p = Extend(2);
    p[0] = static_cast<char>(v >> 8);
    p[1] = static_cast<char>(v);
    size_ += 2;
  }
  void AppendBigEndian32(uint32_t v) {
    char* p = Extend(4);
    for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (24 - 8 * i));
    size_ += 4;
  }
  // Overwrites the 4 bytes at `offset` (a length written before its contents were known).
  // REQUIRES: offset + 4 <= size().
  void PutBigEndian32At(size_t offset, uint32_t v) {
    for (int i = 0; i < 4; ++i) data_[offset + i] = static_cast<char>(v >> (24 - 8 * i));
  }
  void AppendBigEndian64(uint64_t v) {
    char* p = Extend(8);
    for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (56 - 8 * i));
    size_ += 8;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace seedforge
