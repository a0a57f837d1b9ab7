#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/common/date.hpp"
#include "domain/common/uuid.hpp"

// The domain's ports to the outside world that are not repositories. The OpenSSL and system
// implementations live in security/; tests use fakes.
namespace coco::domain {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  Date Today() const { return Date::Of(Now()); }
  // Now at the precision PostgreSQL stores (microseconds), so what is returned equals what is
  // read back.
  std::chrono::system_clock::time_point NowMicros() const {
    return std::chrono::floor<std::chrono::microseconds>(Now());
  }
};

class Hasher {
 public:
  virtual ~Hasher() = default;
  // SHA-256 of `bytes`, as 64 lowercase hex characters.
  virtual std::string Sha256Hex(std::string_view bytes) const = 0;
};

class TokenGenerator {
 public:
  virtual ~TokenGenerator() = default;
  // A new bearer-token secret carrying 256 bits from a cryptographic random source.
  virtual std::string NewSecret() = 0;
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new random (version 4) UUID.
  virtual Uuid NewId() = 0;
};

class Signer {
 public:
  virtual ~Signer() = default;
  // The key id published with the public key.
  virtual std::string KeyId() const = 0;
  // The JWS "alg" value of the signatures ("EdDSA").
  virtual std::string Algorithm() const = 0;
  // Raw signature bytes over `message`.
  virtual std::string Sign(std::string_view message) const = 0;
  // The raw public key bytes (32 bytes for Ed25519).
  virtual std::string PublicKey() const = 0;
};

}  // namespace coco::domain
