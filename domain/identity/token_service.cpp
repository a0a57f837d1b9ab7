#include "domain/identity/token_service.hpp"

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {
namespace {

void ValidateName(std::string_view name, std::string_view what) {
  if (name.empty() || CharacterCount(name) > 200) {
    throw InvalidArgument(std::string(what) + " must be 1 to 200 characters", "invalid_name");
  }
}

}  // namespace

std::chrono::days TokenLifetime(std::optional<int> requested_days) {
  if (!requested_days) return std::chrono::days(kDefaultTokenLifetimeDays);
  if (*requested_days < 1 || *requested_days > kMaxTokenLifetimeDays) {
    throw InvalidArgument("a token lives between 1 and 365 days", "invalid_expiry");
  }
  return std::chrono::days(*requested_days);
}

void ValidateNewUser(const NewUser& user) {
  ValidateName(user.name, "user name");
  if (user.role == Role::kSupplier && !user.supplier_id) {
    throw InvalidArgument("a supplier user needs a supplier_id", "supplier_required");
  }
  if (user.role != Role::kSupplier && user.supplier_id) {
    throw InvalidArgument("only a supplier user belongs to a supplier", "supplier_not_allowed");
  }
}

TokenService::TokenService(IdentityRepository& repository, const Hasher& hasher,
                           TokenGenerator& generator, const Clock& clock)
    : repository_(repository), hasher_(hasher), generator_(generator), clock_(clock) {}

Principal TokenService::Authenticate(std::string_view secret) const {
  // Bounded before hashing so a huge header costs nothing; real secrets are 48 characters.
  if (secret.empty() || secret.size() > 200) {
    throw Unauthenticated("a valid bearer token is required");
  }
  auto principal = repository_.FindPrincipalByTokenHash(hasher_.Sha256Hex(secret), clock_.Now());
  if (!principal) throw Unauthenticated("a valid bearer token is required");
  return *principal;
}

IssuedToken TokenService::CreateUserWithToken(NewUser user, std::string token_name,
                                              std::optional<int> lifetime_days) {
  ValidateNewUser(user);
  ValidateName(token_name, "token name");
  const auto expires_at = clock_.Now() + TokenLifetime(lifetime_days);
  std::string secret = generator_.NewSecret();
  const CreatedToken created = repository_.CreateUserWithToken(
      user, NewToken{std::move(token_name), hasher_.Sha256Hex(secret), expires_at});
  return IssuedToken{created.user_id, created.token_id, std::move(secret), expires_at};
}

}  // namespace coco::domain
