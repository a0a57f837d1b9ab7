#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/uuid.hpp"
#include "domain/identity/principal.hpp"
#include "domain/identity/role.hpp"

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

  // Creates the user and its first token in one transaction.
  virtual CreatedToken CreateUserWithToken(const NewUser& user, const NewToken& token) = 0;
};

}  // namespace coco::domain
