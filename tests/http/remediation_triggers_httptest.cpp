// Reassessment triggers over HTTP (docs/review-side.md): recorded, validated, listed oldest
// first and audited.
// Every answer is also checked against the contract by the test client. Shared helpers:
// remediation_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/remediation_http.hpp"

namespace coco::test::remediation_http {
namespace {

TEST_F(RemediationHttpTest, TriggersAreRecordedAndListedOldestFirst) {
  const std::string service = Tell().Service().service_id();
  const std::string target = "/services/" + service + "/triggers";
  const std::vector<std::string> watched = {target, "/services/" + service};

  const auto first =
      As("supplier_a", "POST", target,
         {{"kind", "incident"}, {"occurred_on", Day(0)}, {"note", "a phishing incident"}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("location"), target);
  const auto by_supplier = BodyJson(first);
  EXPECT_EQ(by_supplier.at("service_id"), service);
  EXPECT_EQ(by_supplier.at("supplier_id"), world_->supplier_a());
  EXPECT_EQ(by_supplier.at("kind"), "incident");
  EXPECT_EQ(by_supplier.at("occurred_on"), Day(0));
  EXPECT_EQ(by_supplier.at("note"), "a phishing incident");
  const auto by_assessor = Ok("assessor", "POST", target,
                              {{"kind", "new_offshore_location"}, {"occurred_on", Day(-1)}}, 201);
  EXPECT_EQ(by_assessor.at("note"), "");
  EXPECT_EQ(by_assessor.at("kind"), "new_offshore_location");
  const auto by_admin =
      Ok("admin", "POST", target,
         {{"kind", "certificate_revoked"}, {"occurred_on", Day(-400)}, {"note", ""}}, 201);
  const auto by_user =
      Ok("supplier_a2", "POST", target, {{"kind", "other"}, {"occurred_on", Day(-3)}}, 201);
  EXPECT_EQ(by_user.at("recorded_by"), UserId("supplier_a2"));
  const std::vector<std::string> order = {by_supplier.at("id"), by_assessor.at("id"),
                                          by_admin.at("id"), by_user.at("id")};

  // Who may not record one.
  const nlohmann::json good = {{"kind", "major_change"}, {"occurred_on", Day(0)}};
  Refused("risk_owner", "POST", target, good, 403, "forbidden", watched);
  Refused("procurement", "POST", target, good, 403, "forbidden", watched);
  Refused("supplier_b", "POST", target, good, 404, "not_found", watched);
  Refused("admin", "POST", "/services/00000000-0000-4000-8000-000000000000/triggers", good, 404,
          "not_found", watched);
  // What may not be recorded.
  Refused("supplier_a", "POST", target, {{"kind", "incident"}, {"occurred_on", Day(1)}}, 422,
          "invalid_occurred_on", watched, {}, "/occurred_on");
  Refused("assessor", "POST", target, {{"kind", "incident"}, {"occurred_on", Day(365)}}, 422,
          "invalid_occurred_on", watched, {}, "/occurred_on");
  Refused("supplier_a", "POST", target, {{"kind", "breach"}, {"occurred_on", Day(0)}}, 422,
          "invalid_body", watched, {}, "/kind");
  Refused("supplier_a", "POST", target, {{"occurred_on", Day(0)}}, 422, "invalid_body", watched, {},
          "/kind");
  Refused("supplier_a", "POST", target, {{"kind", "incident"}}, 422, "invalid_body", watched, {},
          "/occurred_on");
  Refused("supplier_a", "POST", target, {{"kind", "incident"}, {"occurred_on", "yesterday"}}, 422,
          "invalid_body", watched, {}, "/occurred_on");
  Refused("supplier_a", "POST", target,
          {{"kind", "incident"}, {"occurred_on", Day(0)}, {"colour", "red"}}, 422, "invalid_body",
          watched);
  Refused("supplier_a", "POST", target,
          {{"kind", "incident"}, {"occurred_on", Day(0)}, {"note", std::string(5001, 'x')}}, 422,
          "invalid_body", watched, {}, "/note");

  // Read, oldest recorded first, by everyone who reads the service.
  for (const std::string who :
       {"supplier_a", "supplier_a2", "assessor", "risk_owner", "procurement", "admin"}) {
    const auto items = Ok(who, "GET", target).at("items");
    EXPECT_EQ(IdsOf(items), order) << who;
    if (items.size() == order.size()) {
      EXPECT_EQ(items[0], by_supplier) << who;
    }
  }
  EXPECT_EQ(IdsOf(AllPages("procurement", target, 1)), order);
  Refused("supplier_b", "GET", target, nullptr, 404, "not_found", watched);
  Refused("assessor", "GET", target + "?kind=incident", nullptr, 422, "invalid_query", watched);
  // Another service's list does not hold them.
  EXPECT_TRUE(Ok("admin", "GET", "/services/" + Tell().Service().service_id() + "/triggers")
                  .at("items")
                  .empty());

  // One audit event per trigger, on the service.
  std::vector<std::string> audited;
  for (const auto& event : AllPages("admin", "/audit?entity=service&entity_id=" + service, 200)) {
    if (event.at("action") != "trigger.record") continue;
    audited.push_back(event.at("detail").at("trigger_id"));
  }
  EXPECT_EQ(audited, order);
}

}  // namespace
}  // namespace coco::test::remediation_http
