#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/common/error.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/identity/identity_repository.hpp"
#include "domain/supplier/supplier_repository.hpp"

namespace coco::domain {

struct NewUserRequest {
  std::string name;
  std::string email;
  Role role;
  std::optional<SupplierId> supplier_id;
  std::vector<SupplierId> conflicts;
};

struct NewTokenRequest {
  UserId user_id;
  std::string name;
  std::optional<std::chrono::system_clock::time_point> expires_at;
};

struct IssuedTokenInfo {
  TokenInfo token;
  std::string secret;  // shown once
};

// The caller as it sees itself (GET /me): its user and the token it called with.
struct CallerInfo {
  User user;
  TokenId token_id;
  std::chrono::system_clock::time_point token_expires_at;
};

// Users and their API tokens over the API (DESIGN.md §4): admins manage users and anyone's
// tokens; every user may read itself and manage its own tokens. A token a user makes for itself
// never outlives the token that made it; disabling a user revokes its tokens at once.
class UserService {
 public:
  UserService(IdentityRepository& identity, SupplierRepository& suppliers, const Hasher& hasher,
              TokenGenerator& tokens, IdGenerator& ids, const Clock& clock)
      : identity_(identity),
        suppliers_(suppliers),
        hasher_(hasher),
        tokens_(tokens),
        ids_(ids),
        clock_(clock) {}

  User Create(const Actor& actor, const Parsed<NewUserRequest>& request);
  User Get(const Actor& actor, const UserId& id);
  PageResult<User> List(const Actor& actor, const PageRequest& page);
  // An admin changes any user; a user may change only their own notifications, judged on the
  // fields `named` before their values. A change that changes nothing writes nothing.
  User Patch(const Actor& actor, const Parsed<UserId>& id, const UserPatchFields& named,
             const Parsed<UserPatch>& patch, std::optional<long long> expected_version);
  User Disable(const Actor& actor, const UserId& id);
  // Any authenticated caller, whatever its role.
  CallerInfo Me(const Actor& actor);

  IssuedTokenInfo CreateToken(const Actor& actor, NewTokenRequest request);
  // Admins see every token (or one user's); others only their own.
  PageResult<TokenInfo> ListTokens(const Actor& actor, const std::optional<UserId>& user,
                                   const PageRequest& page);
  void RevokeToken(const Actor& actor, const TokenId& id);

 private:
  void CheckConflicts(const Role& role, const std::vector<SupplierId>& conflicts,
                      std::vector<ErrorDetail>& problems);
  // One "unknown_supplier" problem, at `field`[i], for each of `ids` that names no supplier.
  void CheckSuppliersExist(const std::string& field, const std::vector<SupplierId>& ids,
                           std::vector<ErrorDetail>& problems);
  // The mail kinds named (into `mail_kinds`) must be of the role; only procurement follows
  // suppliers, which must exist.
  void CheckNotifications(const Role& role, const NotificationsPatch& patch,
                          std::optional<std::vector<MailKind>>& mail_kinds,
                          std::vector<ErrorDetail>& problems);

  IdentityRepository& identity_;
  SupplierRepository& suppliers_;
  const Hasher& hasher_;
  TokenGenerator& tokens_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
