#pragma once

#include <optional>
#include <string_view>

namespace coco::domain {

// The five roles of DESIGN.md §1. A supplier user belongs to exactly one supplier.
enum class Role { kAdmin, kAssessor, kRiskOwner, kProcurement, kSupplier };

// "admin", "assessor", "risk_owner", "procurement", "supplier"; anything else is
// kInvalidArgument with code "invalid_role".
Role ParseRole(std::string_view text);
std::optional<Role> TryParseRole(std::string_view text);
std::string_view ToString(Role role);

}  // namespace coco::domain
