#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/uuid.hpp"
#include "domain/identity/role.hpp"

namespace coco::domain {

// Who is calling: the user behind an authenticated token. Every audited action has one.
struct Principal {
  UserId user_id;
  std::string user_name;
  Role role;
  std::optional<SupplierId> supplier_id;  // set exactly when role == kSupplier
  std::vector<SupplierId> conflicts;      // declared conflicts of interest (assessor, risk owner)
  TokenId token_id;
  std::chrono::system_clock::time_point token_expires_at;
};

}  // namespace coco::domain
