#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/audit/audit.hpp"
#include "domain/common/date.hpp"
#include "domain/common/ports.hpp"
#include "domain/identity/identity_repository.hpp"

// In-memory stand-ins for the domain's ports, for unit tests without I/O.
namespace coco::test {

class FakeClock final : public domain::Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point now =
                         std::chrono::sys_days(std::chrono::year(2026) / 11 / 22) +
                         std::chrono::hours(12))
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

// The actions of `entries`, in order: what a fake's AuditActions() answers.
inline std::vector<std::string> ActionsOf(const std::vector<domain::AuditEntry>& entries) {
  std::vector<std::string> actions;
  for (const auto& entry : entries) actions.push_back(entry.action);
  return actions;
}

// Ids as deterministic UUIDs: 00000000-0000-4000-8000-<12-digit counter>.
std::string NthUuid(int n);

// NthUuid(first), NthUuid(first + 1), ...: ids a test can predict.
class SequentialIds final : public domain::IdGenerator {
 public:
  explicit SequentialIds(int first = 1) : next_(first) {}
  domain::Uuid NewId() override { return domain::Uuid::Parse(NthUuid(next_++)); }

 private:
  int next_;
};

class InMemoryIdentityRepository final : public domain::IdentityRepository {
 public:
  std::optional<domain::Principal> FindPrincipalByTokenHash(
      std::string_view secret_sha256, std::chrono::system_clock::time_point now) override;
  domain::CreatedToken CreateUserWithToken(const domain::NewUser& user,
                                           const domain::NewToken& token) override;

  void InsertUser(const domain::User& user, const domain::Actor& actor,
                  const domain::AuditEntry& audit) override;
  std::optional<domain::User> FindUser(const domain::UserId& id) override;
  domain::PageResult<domain::User> ListUsers(const domain::PageRequest& page) override;
  domain::User UpdateUser(const domain::UserId& id, std::optional<long long> expected_version,
                          const domain::Actor& actor,
                          const std::function<domain::AuditEntry(domain::User&)>& change) override;
  void InsertToken(const domain::TokenInfo& token, const std::string& secret_sha256,
                   const domain::Actor& actor, const domain::AuditEntry& audit) override;
  std::optional<domain::TokenInfo> FindToken(const domain::TokenId& id) override;
  domain::PageResult<domain::TokenInfo> ListTokens(const std::optional<domain::UserId>& user,
                                                   const domain::PageRequest& page) override;
  void RevokeToken(const domain::TokenId& id, std::chrono::system_clock::time_point at,
                   const domain::Actor& actor, const domain::AuditEntry& audit) override;

  // Test controls.
  void Revoke(const domain::TokenId& token);
  void Disable(const domain::UserId& user);
  // Audit entries the fake was asked to append, in order.
  const std::vector<domain::AuditEntry>& audit() const { return audit_; }

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
  std::map<std::string, domain::User> api_users_;
  std::vector<domain::AuditEntry> audit_;
};

// An admin principal with fixed ids, for tests that authenticate without a repository.
domain::Principal FixedAdmin();

}  // namespace coco::test
