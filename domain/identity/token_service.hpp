#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/common/ports.hpp"
#include "domain/identity/identity_repository.hpp"

namespace coco::domain {

// Token lifetime rules of DESIGN.md §4: 90 days unless asked otherwise, never more than a year.
inline constexpr int kDefaultTokenLifetimeDays = 90;
inline constexpr int kMaxTokenLifetimeDays = 365;

// The lifetime of a new token; `requested_days` outside 1..365 is kInvalidArgument.
std::chrono::days TokenLifetime(std::optional<int> requested_days);

struct IssuedToken {
  UserId user_id;
  TokenId token_id;
  std::string secret;  // shown once to the caller, never stored or logged
  std::chrono::system_clock::time_point expires_at;
};

class TokenService {
 public:
  TokenService(IdentityRepository& repository, const Hasher& hasher, TokenGenerator& generator,
               const Clock& clock);

  // The principal behind a bearer secret; kUnauthenticated when it is unknown, expired, revoked
  // or its user is disabled (the caller cannot tell which, on purpose).
  Principal Authenticate(std::string_view secret) const;

  // Creates a user and a token for it (the CLI's `coco token create`).
  IssuedToken CreateUserWithToken(NewUser user, std::string token_name,
                                  std::optional<int> lifetime_days);

 private:
  IdentityRepository& repository_;
  const Hasher& hasher_;
  TokenGenerator& generator_;
  const Clock& clock_;
};

// Validation shared by every way a user is created: name 1..200 characters, a supplier user has a
// supplier and nobody else has one.
void ValidateNewUser(const NewUser& user);

}  // namespace coco::domain
