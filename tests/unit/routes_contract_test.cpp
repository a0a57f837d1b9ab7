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
    EXPECT_EQ(unsecured, route.access == api::Access::kPublic) << route.pattern << " " << method;
  }
}

// Every POST whose success is 201 Created is a creating route (Creates::kYes), and the creating
// routes are exactly the operations that take the Idempotency-Key parameter.
TEST(RoutesContractTest, CreatingRoutesTakeIdempotencyKeysInCodeAndContract) {
  api::Router router;
  api::AddAllRoutes(router, api::ApiServices{});
  const auto& paths = test::ContractValidator::Load().document().at("paths");
  int creating = 0;
  for (const auto& route : router.routes()) {
    std::string method(api::ToString(route.method));
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    const auto& operation = paths.at(route.pattern).at(method);
    bool takes_key = false;
    if (operation.contains("parameters")) {
      for (const auto& parameter : operation.at("parameters")) {
        if (parameter.contains("$ref") &&
            parameter.at("$ref") == "#/components/parameters/IdempotencyKey") {
          takes_key = true;
        }
      }
    }
    const bool creates = route.creates == api::Creates::kYes;
    EXPECT_EQ(takes_key, creates) << route.pattern << " " << method;
    if (route.method == api::Method::kPost && operation.at("responses").contains("201")) {
      EXPECT_TRUE(creates) << route.pattern << " answers 201 but is not marked Creates::kYes";
    }
    if (creates) {
      ++creating;
      EXPECT_EQ(route.method, api::Method::kPost) << route.pattern;
      for (const char* status : {"400", "409", "422", "429"}) {
        EXPECT_TRUE(operation.at("responses").contains(status))
            << route.pattern << " does not document " << status;
      }
    }
  }
  EXPECT_EQ(creating, 9);
}

}  // namespace
}  // namespace coco
