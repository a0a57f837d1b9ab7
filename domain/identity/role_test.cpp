#include "domain/identity/role.hpp"

#include <gtest/gtest.h>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

TEST(RoleTest, RoundTripsEveryRole) {
  for (Role role :
       {Role::kAdmin, Role::kAssessor, Role::kRiskOwner, Role::kProcurement, Role::kSupplier}) {
    EXPECT_EQ(ParseRole(ToString(role)), role);
  }
  EXPECT_EQ(ToString(Role::kRiskOwner), "risk_owner");
}

TEST(RoleTest, RejectsUnknownRoles) {
  for (const char* bad : {"", "Admin", "root", "risk-owner", "admin "}) {
    EXPECT_FALSE(TryParseRole(bad).has_value()) << bad;
    try {
      ParseRole(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), "invalid_role");
    }
  }
}

}  // namespace
}  // namespace coco::domain
