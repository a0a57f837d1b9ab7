#include "domain/identity/role.hpp"

#include <array>
#include <string>
#include <utility>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kAssessor, "assessor"},
    {Role::kRiskOwner, "risk_owner"},
    {Role::kProcurement, "procurement"},
    {Role::kSupplier, "supplier"},
}};

}  // namespace

std::optional<Role> TryParseRole(std::string_view text) {
  for (const auto& [role, name] : kRoles) {
    if (name == text) return role;
  }
  return std::nullopt;
}

Role ParseRole(std::string_view text) {
  if (auto role = TryParseRole(text)) return *role;
  throw InvalidArgument("role must be one of admin, assessor, risk_owner, procurement, supplier",
                        "invalid_role");
}

std::string_view ToString(Role role) {
  for (const auto& [candidate, name] : kRoles) {
    if (candidate == role) return name;
  }
  return "unknown";
}

}  // namespace coco::domain
