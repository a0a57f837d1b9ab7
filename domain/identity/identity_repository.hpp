#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/common/uuid.hpp"
#include "domain/identity/principal.hpp"
#include "domain/identity/role.hpp"
#include "domain/identity/user.hpp"

namespace coco::domain {

struct NewUser {
  std::string name;
  std::optional<std::string> email;
  Role role;
  std::optional<SupplierId> supplier_id;
  std::vector<SupplierId> conflicts;
};

struct NewToken {
  std::string name;
  std::string secret_sha256;  // hex; the secret itself is never stored
  std::chrono::system_clock::time_point expires_at;
};

struct CreatedToken {
  UserId user_id;
  TokenId token_id;
};

// Users and their tokens. Implemented on PostgreSQL in persistence/, in memory in tests/.
class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;

  // The principal owning the token with this secret hash, if the token is unrevoked, unexpired at
  // `now`, and its user is active. One round trip.
  virtual std::optional<Principal> FindPrincipalByTokenHash(
      std::string_view secret_sha256, std::chrono::system_clock::time_point now) = 0;

  // Creates the user and its first token in one transaction (the CLI's bootstrap path).
  virtual CreatedToken CreateUserWithToken(const NewUser& user, const NewToken& token) = 0;

  // --- the users and tokens API (each write appends its audit entry in the same transaction) ---
  // kNotFound if a referenced supplier does not exist.
  virtual void InsertUser(const User& user, const Actor& actor, const AuditEntry& audit) = 0;
  virtual std::optional<User> FindUser(const UserId& id) = 0;
  virtual PageResult<User> ListUsers(const PageRequest& page) = 0;
  // As SupplierRepository::Update. When the change disables the user, every token of the user
  // is revoked in the same transaction.
  virtual User UpdateUser(const UserId& id, std::optional<long long> expected_version,
                          const Actor& actor, const std::function<AuditEntry(User&)>& change) = 0;

  virtual void InsertToken(const TokenInfo& token, const std::string& secret_sha256,
                           const Actor& actor, const AuditEntry& audit) = 0;
  virtual std::optional<TokenInfo> FindToken(const TokenId& id) = 0;
  // All tokens, or only those of `user`, oldest first.
  virtual PageResult<TokenInfo> ListTokens(const std::optional<UserId>& user,
                                           const PageRequest& page) = 0;
  // Sets revoked_at if not yet revoked; appends `audit` either way.
  virtual void RevokeToken(const TokenId& id, std::chrono::system_clock::time_point at,
                           const Actor& actor, const AuditEntry& audit) = 0;
};

}  // namespace coco::domain
