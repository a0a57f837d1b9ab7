#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// Shared by the fuzz targets: a property check that stops the run (libFuzzer saves the input as
// a crash artifact), and a small reader of fuzzer bytes.
namespace coco::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
  std::abort();
}

// Reads the fuzzer's bytes front to back: small numbers first, then the rest as text.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  std::uint8_t Byte() {
    if (next_ >= size_) return 0;
    return static_cast<std::uint8_t>(data_[next_++]);
  }
  std::string_view Take(std::size_t n) {
    if (n > size_ - next_) n = size_ - next_;
    std::string_view out(data_ + next_, n);
    next_ += n;
    return out;
  }
  std::string_view Rest() { return Take(size_ - next_); }
  std::size_t left() const { return size_ - next_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t next_ = 0;
};

}  // namespace coco::fuzz

#define FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::coco::fuzz::Fail(__FILE__, __LINE__, #condition))
