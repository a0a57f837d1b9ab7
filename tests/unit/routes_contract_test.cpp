#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/routes.hpp"
#include "domain/events/event.hpp"
#include "domain/inbox/inbox.hpp"
#include "domain/mail/mail.hpp"
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

// The event types, inbox kinds and mail kinds the contract lists are the ones the server names,
// in the same order.
TEST(RoutesContractTest, EventTypesInboxKindsAndMailKindsAreTheContracts) {
  const auto& schemas = test::ContractValidator::Load().document().at("components").at("schemas");
  EXPECT_EQ(schemas.at("EventType").at("enum").get<std::vector<std::string>>(),
            domain::EventTypeNames());
  const auto& section = schemas.at("Inbox").at("properties").at("sections").at("items");
  EXPECT_EQ(section.at("properties").at("kind").at("enum").get<std::vector<std::string>>(),
            domain::InboxKindNames());
  EXPECT_EQ(schemas.at("MailKind").at("enum").get<std::vector<std::string>>(),
            domain::MailKindNames());
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
  EXPECT_EQ(creating, 10);
}

}  // namespace
}  // namespace coco

namespace coco::test {
namespace {

HttpResponse SupplierResponse(const std::string& created_at) {
  HttpResponse response;
  response.status = 200;
  response.headers = {{"content-type", "application/json"}};
  response.body = nlohmann::json{
      {"id", "0b5c2a9e-6f1d-4c3b-9a8e-1d2c3b4a5f60"},
      {"name", "Acme"},
      {"companies_house_number", nullptr},
      {"contact_email", "a@acme.example"},
      {"state", "active"},
      {"created_at", created_at},
      {"updated_at", "2026-12-03T09:30:00.123456Z"},
      {"version", 1}}.dump();
  return response;
}

// The contract check compiles each schema once and checks dates by pattern (valijson's own date
// checks compiled a regex per string): it must still refuse what is not an RFC 3339 date-time,
// every time it is asked.
TEST(ContractValidatorTest, DateTimesAreCheckedOnEveryResponse) {
  const auto& contract = ContractValidator::Load();
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(
        contract.Check("GET", "/suppliers/x", SupplierResponse("2026-12-03T09:30:00Z")).empty());
    EXPECT_TRUE(contract.Check("GET", "/suppliers/x", SupplierResponse("2026-12-03T09:30:00+01:00"))
                    .empty());
    for (const std::string bad : {"yesterday", "2026-12-03", "2026-13-03T09:30:00Z",
                                  "2026-12-03 09:30:00Z", "2026-12-03T09:30:00"}) {
      EXPECT_FALSE(contract.Check("GET", "/suppliers/x", SupplierResponse(bad)).empty()) << bad;
    }
  }
}

}  // namespace
}  // namespace coco::test
