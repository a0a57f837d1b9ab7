#pragma once

#include "domain/common/ports.hpp"

namespace coco::security {

// SHA-256 through OpenSSL's EVP interface.
class OpensslHasher final : public domain::Hasher {
 public:
  std::string Sha256Hex(std::string_view bytes) const override;
};

// Incremental SHA-256, for bodies hashed as they stream.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view bytes);
  // 32 raw bytes; the stream cannot be updated afterwards.
  std::string FinishRaw();

 private:
  struct Impl;
  Impl* impl_;
};

std::string ToHex(std::string_view raw);

}  // namespace coco::security
