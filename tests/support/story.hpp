#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/world.hpp"

namespace coco::test {

// What a service does, as the profile of a service (DESIGN.md §2): SUPPLIER and CRYPTOGRAPHY
// apply to every service, COCO when it connects to the network, OFFSHORING when it is offshore.
struct ServiceProfile {
  bool connects_to_network = false;
  bool offshore = false;  // support from India
  bool personal_data = false;
};
nlohmann::json Profile(const ServiceProfile& profile = {});

// Request bodies of the supplier's answers and the assessor's conditions.
nlohmann::json NotApplicable(const std::string& justification = "n/a");
// not_met, with a plan due in 60 days.
nlohmann::json NotMet();
nlohmann::json Met(const std::vector<std::string>& evidence_ids);
// A condition of an approval: `requirement` to be fixed by `due_date`.
nlohmann::json Condition(const std::string& requirement, const std::string& due_date,
                         const std::string& description);

// One assessment's story told over HTTP against the running server, in the manner of
// zero2prod's TestApp: each step sends the request a user would send, checks that it succeeded
// (else the test fails and stops, with the request and the answer), and returns the story for
// the next step. A copy of a story goes on from where the original was.
//
//   Story(world).Supplier().Service(Profile({.connects_to_network = true}))
//       .Assessment("COCO").AnswerAll().Submit().Claim().AcceptAll().Approve();
//
// The cast is the world's unless told otherwise: supplier A and its user "supplier_a", the
// world's "assessor" (who claims, reviews and decides) and "risk_owner" (who grants exceptions).
class Story {
 public:
  // On a connection of its own, whose answers are checked against the contract.
  explicit Story(World& world);
  // On `client` (for example one that skips the contract check for set-up requests).
  Story(World& world, HttpClient& client);
  // Without a World (a server of a test's own): on `client`, for the supplier `supplier_id`
  // acted for by `supplier_token`; the review side needs Assessor() and RiskOwner() first.
  Story(HttpClient& client, const std::string& supplier_id, const std::string& supplier_token);

  // --- the cast ---
  // A supplier of the world by its user's persona: "supplier_a" or "supplier_b".
  Story& Supplier(const std::string& persona = "supplier_a");
  // Any supplier, acted for by the user whose bearer token is `token`.
  Story& Supplier(const std::string& id, const std::string& token);
  Story& Assessor(const std::string& token);
  Story& RiskOwner(const std::string& token);

  // --- the service ---
  // A new service of the supplier; `fields` adds to or overrides the body (name, contract_ref...).
  Story& Service(const nlohmann::json& profile = Profile(),
                 const nlohmann::json& fields = nlohmann::json::object());
  // An existing service of the supplier.
  Story& OnService(const std::string& id);

  // --- the supplier's side ---
  // Starts an assessment of the service against `standard` (a draft).
  Story& Assessment(const std::string& standard);
  Story& Answer(const std::string& requirement, const nlohmann::json& answer);
  // Every response answered once, in the assessment's order: `answers` where given, else
  // `otherwise` (by default NotApplicable(): a justification is all any requirement then needs).
  Story& AnswerAll(const std::map<std::string, nlohmann::json>& answers = {},
                   const nlohmann::json& otherwise = NotApplicable());
  Story& Submit();
  Story& Withdraw();

  // --- the review side ---
  Story& Claim();
  Story& Verdict(const std::string& requirement, const std::string& verdict,
                 const std::string& comment = "");
  Story& Query(const std::string& requirement, const std::string& comment) {
    return Verdict(requirement, "query", comment);
  }
  // Every response accepted, in the assessment's order, except those in `except`.
  Story& AcceptAll(const std::set<std::string>& except = {});
  Story& RequestChanges(const std::string& summary);
  // A risk exception for `requirement` by the risk owner.
  Story& Exception(const std::string& requirement, const std::string& expires_on,
                   const std::string& reason = "accepted risk for now");
  // An approval; `approval` is the request body (conditions, valid_until).
  Story& Approve(const nlohmann::json& approval = nlohmann::json::object());
  Story& Reject(const std::string& reason = "not good enough");

  // --- shorthands for the common stories ---
  // Assessment(standard), AnswerAll(answers), Submit(), Claim(), AcceptAll().
  Story& Reviewed(const std::string& standard,
                  const std::map<std::string, nlohmann::json>& answers = {});
  // Reviewed(standard, answers), then Approve(approval).
  Story& Approved(const std::string& standard,
                  const std::map<std::string, nlohmann::json>& answers = {},
                  const nlohmann::json& approval = nlohmann::json::object());

  // --- what the story made ---
  std::string supplier_id() const { return supplier_id_; }
  std::string service_id() const { return service_id_; }
  // The assessment's id.
  std::string id() const { return assessment_id_; }
  // The requirement ids of the assessment in its order; only those of `level` ("MUST",
  // "SHOULD") when given.
  std::vector<std::string> Requirements(const std::string& level = "") const;
  // The body of the last step's answer.
  const nlohmann::json& last() const { return last_; }

 private:
  // Sends a request as `token` that must answer `status`; its body, also kept as last().
  const nlohmann::json& Expect(const std::string& token, const std::string& method,
                               const std::string& target, const nlohmann::json& body, int status);
  // Fails the test and stops it when the last answer's state is not `state`.
  void ExpectState(const std::string& step, const std::string& state);
  const std::string& Need(const std::string& value, const std::string& what) const;

  World* world_ = nullptr;                  // none for a server of a test's own
  std::shared_ptr<HttpClient> own_client_;  // shared by copies of the story
  HttpClient* client_;
  std::string supplier_id_;
  std::string supplier_token_;
  std::string assessor_token_;
  std::string risk_owner_token_;
  std::string service_id_;
  std::string assessment_id_;
  nlohmann::json responses_ = nlohmann::json::array();  // requirement_id, level
  nlohmann::json last_;
};

}  // namespace coco::test
