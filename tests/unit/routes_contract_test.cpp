#include <gtest/gtest.h>

#include <set>

#include "api/routes.hpp"
#include "tests/support/contract.hpp"

namespace coco {
namespace {

// The routes the server registers and the operations of openapi/openapi.yaml are the same set,
// so the contract cannot drift from the code.
TEST(RoutesContractTest, RegisteredRoutesEqualTheContractsOperations) {
  api::Router router;
  api::AddAllRoutes(router, api::ApiServices{});
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& route : router.routes()) {
    registered.emplace(std::string(api::ToString(route.method)), route.pattern);
  }
  const auto documented = test::ContractValidator::Load().Operations();
  for (const auto& operation : registered) {
    EXPECT_TRUE(documented.contains(operation))
        << operation.first << " " << operation.second << " is served but not in the contract";
  }
  for (const auto& operation : documented) {
    EXPECT_TRUE(registered.contains(operation))
        << operation.first << " " << operation.second << " is in the contract but not served";
  }
  EXPECT_FALSE(registered.empty());
}

// Public routes are exactly those the contract marks `security: []`.
TEST(RoutesContractTest, PublicRoutesAreTheContractsUnsecuredOperations) {
  api::Router router;
  api::AddAllRoutes(router, api::ApiServices{});
  const auto& paths = test::ContractValidator::Load().document().at("paths");
  for (const auto& route : router.routes()) {
    std::string method(api::ToString(route.method));
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    const auto& operation = paths.at(route.pattern).at(method);
    const bool unsecured = operation.contains("security") && operation.at("security").empty();
    EXPECT_EQ(unsecured, route.access == api::Access::kPublic)
        << route.pattern << " " << method;
  }
}

}  // namespace
}  // namespace coco
