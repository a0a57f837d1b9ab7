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
    return domain::Principal{user.id,         user.user.name,       user.user.role,
                             user.user.supplier_id, user.user.conflicts, stored.id,
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

void InMemoryIdentityRepository::Revoke(const domain::TokenId& token) {
  std::lock_guard lock(mutex_);
  tokens_.at(token.str()).revoked = true;
}

void InMemoryIdentityRepository::Disable(const domain::UserId& user) {
  std::lock_guard lock(mutex_);
  users_.at(user.str()).disabled = true;
}

}  // namespace coco::test
