#include "tests/support/fakes.hpp"

#include <cstdio>

#include "domain/common/error.hpp"

namespace coco::test {

std::string NthUuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
  return text;
}

std::optional<domain::Principal> InMemoryIdentityRepository::FindPrincipalByTokenHash(
    std::string_view secret_sha256, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, stored] : tokens_) {
    if (stored.token.secret_sha256 != secret_sha256) continue;
    if (stored.revoked || stored.token.expires_at <= now) return std::nullopt;
    const StoredUser& user = users_.at(stored.user.str());
    if (user.disabled) return std::nullopt;
    return domain::Principal{user.id,
                             user.user.name,
                             user.user.role,
                             user.user.supplier_id,
                             user.user.conflicts,
                             stored.id,
                             stored.token.expires_at};
  }
  return std::nullopt;
}

domain::CreatedToken InMemoryIdentityRepository::CreateUserWithToken(
    const domain::NewUser& user, const domain::NewToken& token) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, stored] : tokens_) {
    if (stored.token.secret_sha256 == token.secret_sha256) {
      throw domain::AlreadyExists("an object with the same key already exists");
    }
  }
  const domain::UserId user_id = domain::UserId::Parse(NthUuid(next_id_++));
  const domain::TokenId token_id = domain::TokenId::Parse(NthUuid(next_id_++));
  users_.emplace(user_id.str(), StoredUser{user_id, user, false});
  tokens_.emplace(token_id.str(), StoredToken{token_id, user_id, token, false});
  return domain::CreatedToken{user_id, token_id};
}

void InMemoryIdentityRepository::InsertUser(const domain::User& user, const domain::Actor&,
                                            const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  api_users_.emplace(user.id.str(), user);
  users_.emplace(user.id.str(), StoredUser{user.id,
                                           domain::NewUser{user.name, user.email, user.role,
                                                           user.supplier_id, user.conflicts},
                                           false});
  audit_.push_back(audit);
}

std::optional<domain::User> InMemoryIdentityRepository::FindUser(const domain::UserId& id) {
  std::lock_guard lock(mutex_);
  auto found = api_users_.find(id.str());
  if (found == api_users_.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::User> InMemoryIdentityRepository::ListUsers(
    const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  domain::PageResult<domain::User> result;
  for (const auto& [id, user] : api_users_) {
    if (static_cast<int>(result.items.size()) < page.limit) result.items.push_back(user);
  }
  return result;
}

domain::User InMemoryIdentityRepository::UpdateUser(
    const domain::UserId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::User&)>& change) {
  std::lock_guard lock(mutex_);
  auto found = api_users_.find(id.str());
  if (found == api_users_.end()) throw domain::NotFound("no such user");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  domain::User user = found->second;
  audit_.push_back(change(user));
  ++user.version;
  if (user.state == domain::UserState::kDisabled) users_.at(id.str()).disabled = true;
  found->second = user;
  return user;
}

void InMemoryIdentityRepository::InsertToken(const domain::TokenInfo& token,
                                             const std::string& secret_sha256, const domain::Actor&,
                                             const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  tokens_.emplace(
      token.id.str(),
      StoredToken{token.id, token.user_id,
                  domain::NewToken{token.name, secret_sha256, token.expires_at}, false});
  audit_.push_back(audit);
}

std::optional<domain::TokenInfo> InMemoryIdentityRepository::FindToken(const domain::TokenId& id) {
  std::lock_guard lock(mutex_);
  auto found = tokens_.find(id.str());
  if (found == tokens_.end()) return std::nullopt;
  const auto& stored = found->second;
  return domain::TokenInfo{
      stored.id,    stored.user, stored.token.name, {}, stored.token.expires_at,
      std::nullopt, std::nullopt};
}

domain::PageResult<domain::TokenInfo> InMemoryIdentityRepository::ListTokens(
    const std::optional<domain::UserId>& user, const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  domain::PageResult<domain::TokenInfo> result;
  for (const auto& [id, stored] : tokens_) {
    if (user && stored.user != *user) continue;
    if (static_cast<int>(result.items.size()) == page.limit) break;
    result.items.push_back(domain::TokenInfo{stored.id,
                                             stored.user,
                                             stored.token.name,
                                             {},
                                             stored.token.expires_at,
                                             std::nullopt,
                                             std::nullopt});
  }
  return result;
}

void InMemoryIdentityRepository::RevokeToken(const domain::TokenId& id,
                                             std::chrono::system_clock::time_point,
                                             const domain::Actor&,
                                             const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  tokens_.at(id.str()).revoked = true;
  audit_.push_back(audit);
}

void InMemoryIdentityRepository::Revoke(const domain::TokenId& token) {
  std::lock_guard lock(mutex_);
  tokens_.at(token.str()).revoked = true;
}

void InMemoryIdentityRepository::Disable(const domain::UserId& user) {
  std::lock_guard lock(mutex_);
  users_.at(user.str()).disabled = true;
}

domain::Principal FixedAdmin() {
  return domain::Principal{domain::UserId::Parse("00000000-0000-4000-8000-000000000001"),
                           "ops",
                           domain::Role::kAdmin,
                           std::nullopt,
                           {},
                           domain::TokenId::Parse("00000000-0000-4000-8000-000000000002"),
                           {}};
}

}  // namespace coco::test
