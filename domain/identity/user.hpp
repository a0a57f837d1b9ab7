#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/uuid.hpp"
#include "domain/identity/role.hpp"

namespace coco::domain {

enum class UserState { kActive, kDisabled };
std::string_view ToString(UserState state);

struct User {
  UserId id;
  std::string name;
  std::optional<std::string> email;
  Role role;
  std::optional<SupplierId> supplier_id;
  std::vector<SupplierId> conflicts;
  UserState state = UserState::kActive;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  long long version = 1;
};

// A token as listed: never the secret.
struct TokenInfo {
  TokenId id;
  UserId user_id;
  std::string name;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point expires_at;
  std::optional<std::chrono::system_clock::time_point> revoked_at;
  std::optional<TokenId> created_by_token;
};

struct UserPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> email;
  std::optional<std::vector<SupplierId>> conflicts;
};

}  // namespace coco::domain
