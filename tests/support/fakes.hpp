#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "domain/common/date.hpp"
#include "domain/common/ports.hpp"
#include "domain/identity/identity_repository.hpp"

// In-memory stand-ins for the domain's ports, for unit tests without I/O.
namespace coco::test {

class FakeClock final : public domain::Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point now = std::chrono::sys_days(
                         std::chrono::year(2026) / 11 / 22) + std::chrono::hours(12))
      : now_(now) {}
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void Advance(std::chrono::system_clock::duration by) { now_ += by; }
  void Set(std::chrono::system_clock::time_point now) { now_ = now; }

 private:
  std::chrono::system_clock::time_point now_;
};

// Not a hash at all: makes secrets readable in test failures. The real one is tested on its own.
class FakeHasher final : public domain::Hasher {
 public:
  std::string Sha256Hex(std::string_view bytes) const override {
    std::string hex = "h(" + std::string(bytes) + ")";
    return hex;
  }
};

class FakeTokenGenerator final : public domain::TokenGenerator {
 public:
  std::string NewSecret() override { return "coco_secret_" + std::to_string(++count_); }

 private:
  int count_ = 0;
};

// Ids as deterministic UUIDs: 00000000-0000-4000-8000-<12-digit counter>.
std::string NthUuid(int n);

class InMemoryIdentityRepository final : public domain::IdentityRepository {
 public:
  std::optional<domain::Principal> FindPrincipalByTokenHash(
      std::string_view secret_sha256, std::chrono::system_clock::time_point now) override;
  domain::CreatedToken CreateUserWithToken(const domain::NewUser& user,
                                           const domain::NewToken& token) override;

  // Test controls that the API will later expose (revoke, disable).
  void Revoke(const domain::TokenId& token);
  void Disable(const domain::UserId& user);

 private:
  struct StoredToken {
    domain::TokenId id;
    domain::UserId user;
    domain::NewToken token;
    bool revoked = false;
  };
  struct StoredUser {
    domain::UserId id;
    domain::NewUser user;
    bool disabled = false;
  };
  std::mutex mutex_;
  int next_id_ = 1;
  std::map<std::string, StoredUser> users_;
  std::map<std::string, StoredToken> tokens_;
};

}  // namespace coco::test
