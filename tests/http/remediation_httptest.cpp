// Remediation actions, risk exceptions and reassessment triggers over HTTP
// (docs/review-side.md). Every answer is also checked against the contract by the test client.
// Every refusal is checked to change nothing: no table gains or loses a row and the objects it
// aimed at read back exactly as before (state, version, ETag).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

nlohmann::json Json(const HttpResponse& response) { return nlohmann::json::parse(response.body); }

std::string Requirement(int n) {
  char id[8];
  std::snprintf(id, sizeof id, "SUP-%02d", n);
  return id;
}

std::set<std::string> NamedPointers(const nlohmann::json& problem) {
  std::set<std::string> named;
  for (const auto& error : problem.value("errors", nlohmann::json::array())) {
    if (error.contains("pointer")) named.insert(error.at("pointer").get<std::string>());
  }
  return named;
}

std::vector<std::string> IdsOf(const nlohmann::json& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.at("id"));
  return ids;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// One World for the suite (starting a server is the slow part); every test makes its own
// services and assessments, so tests do not depend on each other.
class RemediationHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    tokens_ = new std::map<std::string, std::string>();
    user_ids_ = new std::map<std::string, std::string>();
    // Users made over HTTP, so the tests know their ids.
    NewUser("assessor2", "assessor", {});
    NewUser("risk_owner2", "risk_owner", {});
    NewUser("supplier_a2", "supplier", {}, world_->supplier_a());
    // An assessor and a risk owner who declared a conflict of interest with supplier A.
    NewUser("conflicted", "assessor", {world_->supplier_a()});
    NewUser("conflicted_risk", "risk_owner", {world_->supplier_a()});
  }
  static void NewUser(const std::string& persona, const std::string& role,
                      const std::vector<std::string>& conflicts, const std::string& supplier = "") {
    auto client = world_->Client();
    nlohmann::json body = {{"name", persona}, {"email", persona + "@example.org"}, {"role", role}};
    if (!conflicts.empty()) body["conflicts"] = conflicts;
    if (!supplier.empty()) body["supplier_id"] = supplier;
    const auto user = client->Send("POST", "/users", world_->JsonAs("admin"), body.dump());
    if (user.status != 201) throw std::runtime_error("create " + persona + ": " + user.body);
    (*user_ids_)[persona] = Json(user).at("id");
    const auto token = client->Send(
        "POST", "/tokens", world_->JsonAs("admin"),
        nlohmann::json{{"user_id", Json(user).at("id")}, {"name", persona}}.dump());
    if (token.status != 201) throw std::runtime_error("token for " + persona + ": " + token.body);
    (*tokens_)[persona] = Json(token).at("secret");
  }
  static void TearDownTestSuite() {
    delete user_ids_;
    delete tokens_;
    delete world_;
  }

  static const std::string& UserId(const std::string& persona) { return user_ids_->at(persona); }

  HttpResponse As(const std::string& who, const std::string& method, const std::string& target,
                  const nlohmann::json& body = nullptr, const Headers& extra = {},
                  HttpClient* client = nullptr) {
    const std::string token = tokens_->contains(who) ? tokens_->at(who) : world_->Token(who);
    Headers headers = {{"Authorization", "Bearer " + token}};
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    headers.insert(headers.end(), extra.begin(), extra.end());
    return (client ? client : client_.get())
        ->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  // `first` and `second` send the same request at the same moment, on connections of their own.
  std::pair<HttpResponse, HttpResponse> Race(const std::string& first, const std::string& second,
                                             const std::string& method, const std::string& target,
                                             const nlohmann::json& body = nullptr) {
    auto one_client = world_->Client();
    auto two_client = world_->Client();
    std::barrier start(2);
    HttpResponse a, b;
    std::thread one([&] {
      start.arrive_and_wait();
      a = As(first, method, target, body, {}, one_client.get());
    });
    std::thread two([&] {
      start.arrive_and_wait();
      b = As(second, method, target, body, {}, two_client.get());
    });
    one.join();
    two.join();
    return {a, b};
  }

  // Of a race's two answers, exactly one is `ok` and the other a problem with `status` and
  // `code`; returns the index of the winner (0 or 1), or -1 after failing the test.
  static int OneWinner(const std::pair<HttpResponse, HttpResponse>& race, int ok, int status,
                       const std::string& code) {
    const auto& [a, b] = race;
    const int wins = (a.status == ok) + (b.status == ok);
    EXPECT_EQ(wins, 1) << a.status << " " << a.body << "\n" << b.status << " " << b.body;
    if (wins != 1) return -1;
    const HttpResponse& loser = a.status == ok ? b : a;
    EXPECT_EQ(loser.status, status) << loser.body;
    EXPECT_EQ(Json(loser).value("code", ""), code) << loser.body;
    return a.status == ok ? 0 : 1;
  }

  // Sends a request that must succeed with `status`; returns its body.
  nlohmann::json Ok(const std::string& who, const std::string& method, const std::string& target,
                    const nlohmann::json& body = nullptr, int status = 200, const Headers& extra = {}) {
    const auto response = As(who, method, target, body, extra);
    EXPECT_EQ(response.status, status) << who << " " << method << " " << target << "\n" << response.body;
    if (response.status != status || response.body.empty()) return nlohmann::json::object();
    return Json(response);
  }

  // What the admin reads at each of `targets`, with the ETag when there is one.
  std::vector<nlohmann::json> Snapshot(const std::vector<std::string>& targets) {
    std::vector<nlohmann::json> seen;
    for (const auto& target : targets) {
      const auto response = As("admin", "GET", target);
      seen.push_back({{"status", response.status},
                      {"etag", response.Header("etag").value_or("")},
                      {"body", response.body.empty() ? nlohmann::json() : Json(response)}});
    }
    return seen;
  }

  // Sends a request that must be refused with `status` and `code` (and an error pointing at
  // `pointer`, if given) and changes nothing: no table gains or loses a row (so no audit event
  // either) and every one of `watched` reads back exactly as before. Returns the problem.
  nlohmann::json Refused(const std::string& who, const std::string& method,
                         const std::string& target, const nlohmann::json& body, int status,
                         const std::string& code, const std::vector<std::string>& watched,
                         const Headers& extra = {}, const std::string& pointer = "") {
    const auto before = Snapshot(watched);
    const auto rows = world_->server().database().RowCounts();
    const auto response = As(who, method, target, body, extra);
    const std::string what = who + " " + method + " " + target + " " + (body.is_null() ? "" : body.dump());
    EXPECT_EQ(response.status, status) << what << "\n" << response.body;
    EXPECT_EQ(response.Header("content-type"), "application/problem+json") << what;
    EXPECT_EQ(world_->server().database().RowCounts(), rows) << what << ": a refused request wrote rows";
    EXPECT_EQ(Snapshot(watched), before) << what << ": a refused request changed something";
    nlohmann::json problem = nlohmann::json::object();
    try {
      problem = Json(response);
    } catch (const nlohmann::json::parse_error&) {
      ADD_FAILURE() << what << ": the answer is not JSON";
    }
    EXPECT_EQ(problem.value("code", ""), code) << what << "\n" << response.body;
    if (!pointer.empty()) {
      EXPECT_TRUE(NamedPointers(problem).contains(pointer))
          << what << ": no error points at " << pointer << ": " << response.body;
    }
    return problem;
  }

  const std::string& SupplierOf(const std::string& persona) {
    return persona == "supplier_b" ? world_->supplier_b() : world_->supplier_a();
  }

  // A story of the supplier `who` works for, told on this test's connection.
  Story Tell(const std::string& who = "supplier_a") {
    return Story(*world_, *client_).Supplier(who);
  }

  // An approval's body with one condition per entry of `conditions` (requirement -> due date).
  static nlohmann::json Conditions(
      const std::vector<std::pair<std::string, std::string>>& conditions) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [requirement, due] : conditions) {
      list.push_back(Condition(requirement, due, "fix " + requirement));
    }
    return {{"conditions", list}};
  }

  // An evidence file of the supplier `who` works for.
  std::string PolicyFile(const std::string& who = "supplier_a") {
    Headers headers = {{"Authorization", "Bearer " + world_->Token(who)},
                       {"Content-Type", "application/pdf"}};
    const auto response = client_->Send(
        "POST", "/suppliers/" + SupplierOf(who) + "/evidence?filename=policy.pdf&kind=policy",
        headers, "an information security policy of " + who);
    EXPECT_EQ(response.status, 201) << response.body;
    return Json(response).at("id");
  }

  // The actions of an assessment as the admin sees them, by due date.
  nlohmann::json ActionsOf(const std::string& assessment) {
    return Ok("admin", "GET", "/actions?limit=200&assessment=" + assessment).at("items");
  }

  // One action made by approving an assessment of `who`'s supplier, SUP-05 not met, with a
  // condition on SUP-05 due in 30 days.
  nlohmann::json NewAction(const std::string& who = "supplier_a") {
    const auto actions = ActionsOf(Tell(who)
                                       .Service()
                                       .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                       .Approve(Conditions({{"SUP-05", Day(30)}}))
                                       .id());
    EXPECT_EQ(actions.size(), 1u);
    return actions.empty() ? nlohmann::json::object() : actions[0];
  }

  // Every item of a list, following next_cursor with pages of `limit`.
  nlohmann::json AllPages(const std::string& who, const std::string& target, int limit) {
    nlohmann::json items = nlohmann::json::array();
    std::string cursor;
    const std::string joiner = target.find('?') == std::string::npos ? "?" : "&";
    for (int page = 0; page < 100; ++page) {
      const auto body = Ok(who, "GET", target + joiner + "limit=" + std::to_string(limit) +
                                           (cursor.empty() ? "" : "&cursor=" + cursor));
      for (const auto& item : body.at("items")) items.push_back(item);
      if (body.at("next_cursor").is_null()) return items;
      cursor = body.at("next_cursor");
    }
    ADD_FAILURE() << "too many pages of " << target;
    return items;
  }

  // The audit actions recorded on one entity, oldest first, as the admin sees them.
  std::vector<std::string> AuditActions(const std::string& entity, const std::string& id) {
    std::vector<std::string> actions;
    for (const auto& event : AllPages("admin", "/audit?entity=" + entity + "&entity_id=" + id, 200)) {
      actions.push_back(event.at("action"));
    }
    return actions;
  }

  static Headers IfMatch(const nlohmann::json& tag) {
    return {{"If-Match", tag.is_string() ? tag.get<std::string>() : tag.dump()}};
  }

  static World* world_;
  static std::map<std::string, std::string>* tokens_;
  static std::map<std::string, std::string>* user_ids_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* RemediationHttpTest::world_ = nullptr;
std::map<std::string, std::string>* RemediationHttpTest::tokens_ = nullptr;
std::map<std::string, std::string>* RemediationHttpTest::user_ids_ = nullptr;

// ============================================================================================
// Actions
// ============================================================================================

// An approval's conditions become open actions, listed by due date, with paging.
TEST_F(RemediationHttpTest, ConditionsBecomeOpenActionsListedByDueDate) {
  const std::string id =
      Tell()
          .Service()
          .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
          .Approve(Conditions({{"SUP-05", Day(40)}, {"SUP-01", Day(20)}, {"SUP-05", Day(30)}}))
          .id();
  const auto assessment = Ok("admin", "GET", "/assessments/" + id);
  const auto actions = ActionsOf(id);
  ASSERT_EQ(actions.size(), 3u) << actions.dump();
  std::vector<std::string> due, requirements;
  for (const auto& action : actions) {
    due.push_back(action.at("due_date"));
    requirements.push_back(action.at("requirement_id"));
    EXPECT_EQ(action.at("assessment_id"), id);
    EXPECT_EQ(action.at("supplier_id"), world_->supplier_a());
    EXPECT_EQ(action.at("service_id"), assessment.at("service_id"));
    EXPECT_EQ(action.at("standard"), "SUPPLIER");
    EXPECT_EQ(action.at("description"), "fix " + action.at("requirement_id").get<std::string>());
    EXPECT_EQ(action.at("state"), "open");
    EXPECT_EQ(action.at("overdue"), false);
    EXPECT_TRUE(action.at("completion").is_null());
    EXPECT_TRUE(action.at("verified_at").is_null());
    EXPECT_TRUE(action.at("verified_by").is_null());
    EXPECT_TRUE(action.at("reopen_reason").is_null());
  }
  EXPECT_EQ(due, (std::vector<std::string>{Day(20), Day(30), Day(40)}));
  EXPECT_EQ(requirements, (std::vector<std::string>{"SUP-01", "SUP-05", "SUP-05"}));

  // Pages of one walk the same list in the same order (the keyset is the due date).
  EXPECT_EQ(IdsOf(AllPages("assessor", "/actions?assessment=" + id, 1)), IdsOf(actions));
  EXPECT_EQ(IdsOf(AllPages("supplier_a", "/actions?assessment=" + id, 2)), IdsOf(actions));
}

TEST_F(RemediationHttpTest, ActionListsFilter) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const std::string assessment = action.at("assessment_id");
  const auto other = NewAction("supplier_b");
  const std::string b_id = other.at("id");
  const std::string by_assessment = "/actions?limit=200&assessment=" + assessment;

  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment).at("items")), std::vector<std::string>{id});
  // By supplier: A's includes the action and nothing of B's.
  const auto of_a = AllPages("admin", "/actions?supplier=" + world_->supplier_a(), 100);
  EXPECT_TRUE(Contains(IdsOf(of_a), id));
  EXPECT_FALSE(Contains(IdsOf(of_a), b_id));
  for (const auto& item : of_a) EXPECT_EQ(item.at("supplier_id"), world_->supplier_a());
  const auto of_b = AllPages("risk_owner", "/actions?supplier=" + world_->supplier_b(), 100);
  EXPECT_TRUE(Contains(IdsOf(of_b), b_id));
  EXPECT_FALSE(Contains(IdsOf(of_b), id));
  // By state.
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment + "&state=open").at("items")),
            std::vector<std::string>{id});
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&state=done").at("items").empty());
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&state=verified").at("items").empty());
  // By overdue: an open action due in 30 days is not overdue.
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment + "&overdue=false").at("items")),
            std::vector<std::string>{id});
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&overdue=true").at("items").empty());
  const auto overdue = AllPages("admin", "/actions?overdue=true", 100);
  EXPECT_FALSE(Contains(IdsOf(overdue), id));
  for (const auto& item : overdue) EXPECT_EQ(item.at("overdue"), true);
  const auto not_overdue = AllPages("admin", "/actions?overdue=false", 100);
  EXPECT_TRUE(Contains(IdsOf(not_overdue), id));
  EXPECT_TRUE(Contains(IdsOf(not_overdue), b_id));
  for (const auto& item : not_overdue) EXPECT_EQ(item.at("overdue"), false);
  // Filters combine.
  EXPECT_TRUE(Ok("admin", "GET", by_assessment + "&supplier=" + world_->supplier_b()).at("items").empty());

  // Bad queries.
  const std::vector<std::string> watched = {"/actions/" + id};
  Refused("assessor", "GET", "/actions?state=closed", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?state=OPEN", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?colour=red", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?overdue=maybe", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?supplier=not-a-uuid", nullptr, 422, "invalid_id", watched);
  Refused("assessor", "GET", "/actions?assessment=not-a-uuid", nullptr, 422, "invalid_id", watched);
}

TEST_F(RemediationHttpTest, WhoReadsActions) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const auto other = NewAction("supplier_b");
  const std::string b_id = other.at("id");

  for (const std::string who : {"supplier_a", "supplier_a2", "assessor", "risk_owner", "admin"}) {
    const auto response = As(who, "GET", "/actions/" + id);
    ASSERT_EQ(response.status, 200) << who << " " << response.body;
    EXPECT_EQ(Json(response), action) << who;
    EXPECT_EQ(response.Header("etag"), action.at("etag").get<std::string>()) << who;
  }
  const std::vector<std::string> watched = {"/actions/" + id};
  Refused("supplier_b", "GET", "/actions/" + id, nullptr, 404, "not_found", watched);
  Refused("procurement", "GET", "/actions/" + id, nullptr, 403, "forbidden", watched);
  Refused("procurement", "GET", "/actions", nullptr, 403, "forbidden", watched);
  Refused("admin", "GET", "/actions/00000000-0000-4000-8000-000000000000", nullptr, 404, "not_found",
          watched);

  // A supplier's list never holds another supplier's actions, whatever it asks for.
  const auto own = AllPages("supplier_a", "/actions", 100);
  EXPECT_TRUE(Contains(IdsOf(own), id));
  EXPECT_FALSE(Contains(IdsOf(own), b_id));
  for (const auto& item : own) EXPECT_EQ(item.at("supplier_id"), world_->supplier_a());
  EXPECT_TRUE(Ok("supplier_a", "GET", "/actions?supplier=" + world_->supplier_b()).at("items").empty());
  EXPECT_TRUE(Ok("supplier_a", "GET", "/actions?assessment=" + other.at("assessment_id").get<std::string>())
                  .at("items")
                  .empty());
  const auto of_b = AllPages("supplier_b", "/actions", 100);
  EXPECT_TRUE(Contains(IdsOf(of_b), b_id));
  EXPECT_FALSE(Contains(IdsOf(of_b), id));
  EXPECT_EQ(Ok("supplier_b", "GET", "/actions/" + b_id).at("id"), b_id);
}

// open -> done -> verified -> open -> done -> open, with every wrong move refused.
TEST_F(RemediationHttpTest, AnActionIsCompletedVerifiedAndReopened) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const std::string target = "/actions/" + id;
  const std::vector<std::string> watched = {target};
  const std::string own_file = PolicyFile("supplier_a");
  const std::string b_file = PolicyFile("supplier_b");
  const nlohmann::json completion = {{"note", "done it"}, {"evidence_ids", {own_file}}};

  // Who may not complete it.
  for (const std::string who : {"assessor", "risk_owner", "admin", "procurement"}) {
    Refused(who, "POST", target + "/complete", completion, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target + "/complete", completion, 404, "not_found", watched);
  // Evidence that is not the supplier's own, or does not exist, is named.
  Refused("supplier_a", "POST", target + "/complete", {{"note", "n"}, {"evidence_ids", {b_file}}},
          422, "invalid_body", watched, {}, "/evidence_ids/0");
  Refused("supplier_a", "POST", target + "/complete",
          {{"note", "n"}, {"evidence_ids", {"00000000-0000-4000-8000-000000000000"}}}, 422,
          "invalid_body", watched, {}, "/evidence_ids/0");
  const auto second = Refused("supplier_a", "POST", target + "/complete",
                              {{"note", "n"}, {"evidence_ids", {own_file, b_file}}}, 422,
                              "invalid_body", watched, {}, "/evidence_ids/1");
  EXPECT_FALSE(NamedPointers(second).contains("/evidence_ids/0")) << second.dump();
  std::string shouted = own_file;
  std::transform(shouted.begin(), shouted.end(), shouted.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  Refused("supplier_a", "POST", target + "/complete", {{"note", "n"}, {"evidence_ids", {own_file, shouted}}},
          422, "invalid_body", watched, {}, "/evidence_ids/1");
  // Bad bodies.
  Refused("supplier_a", "POST", target + "/complete", {{"note", ""}}, 422, "invalid_body", watched);
  Refused("supplier_a", "POST", target + "/complete", nlohmann::json::object(), 422, "invalid_body",
          watched);
  Refused("supplier_a", "POST", target + "/complete", {{"note", "n"}, {"colour", "red"}}, 422,
          "invalid_body", watched);
  // Not done yet: nothing to verify; open: nothing to reopen.
  const auto not_done = Refused("assessor", "POST", target + "/verify", nullptr, 409, "action_state", watched);
  EXPECT_EQ(not_done.value("current_state", ""), "open") << not_done.dump();
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 409, "action_state", watched);
  // A stale ETag.
  Refused("supplier_a", "POST", target + "/complete", completion, 412, "precondition_failed", watched,
          IfMatch("\"99\""));

  // Completed by a user of the supplier, with the current ETag.
  const auto completed_response =
      As("supplier_a2", "POST", target + "/complete", completion, IfMatch(action.at("etag")));
  ASSERT_EQ(completed_response.status, 200) << completed_response.body;
  const auto done = Json(completed_response);
  EXPECT_EQ(done.at("state"), "done");
  EXPECT_EQ(done.at("overdue"), false);
  EXPECT_EQ(done.at("completion").at("note"), "done it");
  EXPECT_EQ(done.at("completion").at("evidence_ids"), nlohmann::json::array({own_file}));
  EXPECT_EQ(done.at("completion").at("completed_by"), UserId("supplier_a2"));
  EXPECT_TRUE(done.at("verified_at").is_null());
  EXPECT_NE(done.at("etag"), action.at("etag"));
  EXPECT_EQ(completed_response.Header("etag"), done.at("etag").get<std::string>());
  EXPECT_EQ(Ok("admin", "GET", target), done);

  // Done: no second completion, and the old ETag is stale.
  const auto again = Refused("supplier_a", "POST", target + "/complete", completion, 409, "action_state", watched);
  EXPECT_EQ(again.value("current_state", ""), "done") << again.dump();
  Refused("assessor", "POST", target + "/verify", nullptr, 412, "precondition_failed", watched,
          IfMatch(action.at("etag")));
  // Who may not verify it.
  for (const std::string who : {"supplier_a", "risk_owner", "admin", "procurement"}) {
    Refused(who, "POST", target + "/verify", nullptr, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target + "/verify", nullptr, 404, "not_found", watched);
  Refused("conflicted", "POST", target + "/verify", nullptr, 403, "conflict_of_interest", watched);
  Refused("conflicted", "POST", target + "/reopen", {{"reason", "r"}}, 403, "conflict_of_interest",
          watched);
  Refused("supplier_a", "POST", target + "/reopen", {{"reason", "r"}}, 403, "forbidden", watched);

  // Verified by an assessor.
  const auto verified = Ok("assessor2", "POST", target + "/verify", nullptr, 200, IfMatch(done.at("etag")));
  EXPECT_EQ(verified.at("state"), "verified");
  EXPECT_EQ(verified.at("overdue"), false);
  EXPECT_EQ(verified.at("verified_by"), UserId("assessor2"));
  EXPECT_FALSE(verified.at("verified_at").is_null());
  EXPECT_EQ(verified.at("completion"), done.at("completion"));
  EXPECT_EQ(IdsOf(Ok("admin", "GET", "/actions?state=verified&assessment=" +
                                         action.at("assessment_id").get<std::string>())
                      .at("items")),
            std::vector<std::string>{id});
  Refused("assessor", "POST", target + "/verify", nullptr, 409, "action_state", watched);
  Refused("supplier_a", "POST", target + "/complete", completion, 409, "action_state", watched);

  // Reopened from verified: open again, the completion and verification cleared.
  Refused("assessor", "POST", target + "/reopen", nlohmann::json::object(), 422, "invalid_body", watched);
  Refused("assessor", "POST", target + "/reopen", {{"reason", ""}}, 422, "invalid_body", watched);
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 412, "precondition_failed", watched,
          IfMatch(done.at("etag")));
  const auto reopened =
      Ok("assessor", "POST", target + "/reopen", {{"reason", "the evidence is out of date"}}, 200,
         IfMatch(verified.at("etag")));
  EXPECT_EQ(reopened.at("state"), "open");
  EXPECT_TRUE(reopened.at("completion").is_null());
  EXPECT_TRUE(reopened.at("verified_at").is_null());
  EXPECT_TRUE(reopened.at("verified_by").is_null());
  EXPECT_EQ(reopened.at("reopen_reason"), "the evidence is out of date");
  EXPECT_EQ(Ok("supplier_a", "GET", target), reopened);
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 409, "action_state", watched);

  // Completed again, with two files in the order given, then reopened from done.
  const std::string newer_file = PolicyFile("supplier_a");
  const auto redone = Ok("supplier_a", "POST", target + "/complete",
                         {{"note", "second go"}, {"evidence_ids", {newer_file, own_file}}});
  EXPECT_EQ(redone.at("state"), "done");
  EXPECT_EQ(redone.at("completion").at("evidence_ids"), nlohmann::json::array({newer_file, own_file}));
  EXPECT_EQ(Ok("assessor", "GET", target), redone);
  EXPECT_EQ(redone.at("reopen_reason"), "the evidence is out of date");
  const auto back = Ok("assessor", "POST", target + "/reopen", {{"reason", "not enough"}});
  EXPECT_EQ(back.at("state"), "open");
  EXPECT_TRUE(back.at("completion").is_null());
  EXPECT_EQ(back.at("reopen_reason"), "not enough");

  EXPECT_EQ(AuditActions("action", id),
            (std::vector<std::string>{"action.complete", "action.verify", "action.reopen",
                                      "action.complete", "action.reopen"}));
}

// Overdue is judged as of today. The due dates are moved into the past behind the server's back
// (an approval only takes future ones).
TEST_F(RemediationHttpTest, AnActionIsOverdueFromTheDayAfterItsDueDateUntilVerified) {
  const std::string id =
      Tell()
          .Service()
          .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
          .Approve(Conditions(
              {{"SUP-01", Day(30)}, {"SUP-02", Day(31)}, {"SUP-03", Day(32)}, {"SUP-05", Day(33)}}))
          .id();
  const auto actions = ActionsOf(id);
  ASSERT_EQ(actions.size(), 4u);
  const std::string due_yesterday = actions[0].at("id");
  const std::string due_today = actions[1].at("id");
  const std::string verified = actions[2].at("id");
  const std::string done = actions[3].at("id");
  Ok("supplier_a", "POST", "/actions/" + verified + "/complete", {{"note", "n"}});
  Ok("assessor", "POST", "/actions/" + verified + "/verify");
  Ok("supplier_a", "POST", "/actions/" + done + "/complete", {{"note", "n"}});
  const auto& db = world_->server().database();
  const std::map<std::string, std::string> due = {
      {due_yesterday, Day(-1)}, {due_today, Day(0)}, {verified, Day(-2)}, {done, Day(-3)}};
  for (const auto& [action, date] : due) {
    db.Exec("UPDATE actions SET due_date = '" + date + "' WHERE id = '" + action + "'");
  }
  const std::map<std::string, bool> overdue = {
      {due_yesterday, true}, {due_today, false}, {verified, false}, {done, true}};
  for (const auto& [action, expected] : overdue) {
    EXPECT_EQ(Ok("supplier_a", "GET", "/actions/" + action).at("overdue"), expected) << action;
  }
  const std::string list = "/actions?limit=200&assessment=" + id;
  const auto items = Ok("assessor", "GET", list).at("items");
  EXPECT_EQ(IdsOf(items), (std::vector<std::string>{done, verified, due_yesterday, due_today}));
  for (const auto& item : items) EXPECT_EQ(item.at("overdue"), overdue.at(item.at("id").get<std::string>())) << item.dump();
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", list + "&overdue=true").at("items")),
            (std::vector<std::string>{done, due_yesterday}));
  EXPECT_EQ(IdsOf(Ok("supplier_a", "GET", list + "&overdue=false").at("items")),
            (std::vector<std::string>{verified, due_today}));
  EXPECT_EQ(IdsOf(Ok("risk_owner", "GET", list + "&overdue=true&state=open").at("items")),
            std::vector<std::string>{due_yesterday});
  const auto all_overdue = IdsOf(AllPages("admin", "/actions?overdue=true", 100));
  EXPECT_TRUE(Contains(all_overdue, done));
  EXPECT_TRUE(Contains(all_overdue, due_yesterday));
  EXPECT_FALSE(Contains(all_overdue, verified));
  EXPECT_FALSE(Contains(all_overdue, due_today));
  EXPECT_TRUE(Ok("supplier_b", "GET", "/actions?overdue=true&supplier=" + world_->supplier_a())
                  .at("items")
                  .empty());
  // Reopened, a verified action past its due date is overdue again.
  EXPECT_EQ(Ok("assessor", "POST", "/actions/" + verified + "/reopen", {{"reason", "r"}}).at("overdue"), true);
}

// "Actions of a superseded assessment can still be worked."
TEST_F(RemediationHttpTest, ActionsOfASupersededAssessmentCanStillBeWorked) {
  Story story = Tell().Service();
  const std::string first = story.Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                .Approve(Conditions({{"SUP-05", Day(30)}}))
                                .id();
  const std::string second = story.Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                 .Approve(Conditions({{"SUP-05", Day(60)}}))
                                 .id();
  EXPECT_EQ(Ok("admin", "GET", "/assessments/" + first).at("state"), "superseded");
  const auto old_actions = ActionsOf(first);
  ASSERT_EQ(old_actions.size(), 1u);
  const std::string action = old_actions[0].at("id");
  EXPECT_EQ(Ok("supplier_a", "POST", "/actions/" + action + "/complete", {{"note", "n"}}).at("state"), "done");
  EXPECT_EQ(Ok("assessor", "POST", "/actions/" + action + "/verify").at("state"), "verified");
  EXPECT_EQ(Ok("assessor", "POST", "/actions/" + action + "/reopen", {{"reason", "r"}}).at("state"), "open");
  EXPECT_EQ(ActionsOf(second).size(), 1u);
  // A superseded case takes no exception.
  Refused("risk_owner", "POST", "/assessments/" + first + "/exceptions",
          {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}}, 409,
          "illegal_transition", {"/assessments/" + first, "/assessments/" + first + "/exceptions"});
}

// Two users complete (then verify) the same action at the same moment, on separate
// connections: each time exactly one wins and the stored action is the winner's.
TEST_F(RemediationHttpTest, RacingMovesOnOneActionHaveExactlyOneWinner) {
  std::vector<std::pair<std::string, std::string>> conditions;
  for (int i = 1; i <= 12; ++i) conditions.emplace_back(Requirement(i), Day(30 + i));
  const auto actions = ActionsOf(Tell()
                                     .Service()
                                     .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                     .Approve(Conditions(conditions))
                                     .id());
  ASSERT_EQ(actions.size(), 12u);
  for (const auto& action : actions) {
    const std::string target = "/actions/" + action.at("id").get<std::string>();
    const auto completed = Race("supplier_a", "supplier_a2", "POST", target + "/complete", {{"note", "n"}});
    const int completer = OneWinner(completed, 200, 409, "action_state");
    ASSERT_GE(completer, 0);
    const auto stored = Ok("admin", "GET", target);
    EXPECT_EQ(stored.at("state"), "done");
    EXPECT_EQ(stored.at("etag"), Json(completer == 0 ? completed.first : completed.second).at("etag"));
    if (completer == 1) {
      EXPECT_EQ(stored.at("completion").at("completed_by"), UserId("supplier_a2"));
    }

    const auto verified = Race("assessor", "assessor2", "POST", target + "/verify");
    const int verifier = OneWinner(verified, 200, 409, "action_state");
    ASSERT_GE(verifier, 0);
    const auto after = Ok("admin", "GET", target);
    EXPECT_EQ(after.at("state"), "verified");
    if (verifier == 1) {
      EXPECT_EQ(after.at("verified_by"), UserId("assessor2"));
    }
    EXPECT_EQ(after.at("etag"), Json(verifier == 0 ? verified.first : verified.second).at("etag"));
  }
}

// ============================================================================================
// Exceptions
// ============================================================================================

TEST_F(RemediationHttpTest, ARiskOwnerAcceptsAMustNotMetUntilADate) {
  const std::string met_file = PolicyFile();
  const std::string id =
      Tell()
          .Service()
          .Assessment("SUPPLIER")
          .AnswerAll({{"SUP-01", Met({met_file})}, {"SUP-05", NotMet()}, {"SUP-06", NotMet()}})
          .Submit()
          .id();
  const std::string target = "/assessments/" + id + "/exceptions";
  const std::vector<std::string> watched = {"/assessments/" + id, target};
  const nlohmann::json good = {{"requirement_id", "SUP-05"}, {"reason", "accepted for now"},
                               {"expires_on", Day(30)}};

  // Who may not.
  for (const std::string who : {"assessor", "supplier_a", "procurement", "admin"}) {
    Refused(who, "POST", target, good, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target, good, 404, "not_found", watched);
  Refused("conflicted_risk", "POST", target, good, 403, "conflict_of_interest", watched);
  Refused("risk_owner", "POST", "/assessments/00000000-0000-4000-8000-000000000000/exceptions", good,
          404, "not_found", watched);

  // What may not be excepted.
  auto with = [&](const std::string& requirement, const std::string& expires) {
    return nlohmann::json{{"requirement_id", requirement}, {"reason", "r"}, {"expires_on", expires}};
  };
  Refused("risk_owner", "POST", target, with("SUP-01", Day(30)), 422, "not_fully_met", watched, {},
          "/requirement_id");
  Refused("risk_owner", "POST", target, with("SUP-02", Day(30)), 422, "not_fully_met", watched, {},
          "/requirement_id");
  Refused("risk_owner", "POST", target, with("SUP-99", Day(30)), 422, "unknown_requirement", watched,
          {}, "/requirement_id");
  Refused("risk_owner", "POST", target, with("COCO-01", Day(30)), 422, "unknown_requirement", watched);
  // Expiry after today and at most twelve months ahead.
  for (const std::string& expires :
       {Day(-1), Day(0), AddDays(MonthsLater(TodayUtc(), 12), 1), Day(800)}) {
    Refused("risk_owner", "POST", target, with("SUP-05", expires), 422, "invalid_expires_on", watched,
            {}, "/expires_on");
  }
  // Bad bodies.
  Refused("risk_owner", "POST", target, {{"requirement_id", "SUP-05"}, {"expires_on", Day(30)}}, 422,
          "invalid_body", watched);
  Refused("risk_owner", "POST", target, {{"requirement_id", "SUP-05"}, {"reason", ""}, {"expires_on", Day(30)}},
          422, "invalid_body", watched);
  Refused("risk_owner", "POST", target,
          {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", "tomorrow"}}, 422,
          "invalid_body", watched);
  Refused("risk_owner", "POST", target,
          {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}, {"colour", "red"}},
          422, "invalid_body", watched);

  // Added.
  const auto added = As("risk_owner2", "POST", target, good);
  ASSERT_EQ(added.status, 201) << added.body;
  const auto exception = Json(added);
  EXPECT_EQ(exception.at("assessment_id"), id);
  EXPECT_EQ(exception.at("supplier_id"), world_->supplier_a());
  EXPECT_EQ(exception.at("standard"), "SUPPLIER");
  EXPECT_EQ(exception.at("requirement_id"), "SUP-05");
  EXPECT_EQ(exception.at("reason"), "accepted for now");
  EXPECT_EQ(exception.at("approved_by"), UserId("risk_owner2"));
  EXPECT_EQ(exception.at("expires_on"), Day(30));
  EXPECT_TRUE(exception.at("revoked_at").is_null());
  EXPECT_TRUE(exception.at("revoked_by").is_null());
  EXPECT_EQ(exception.at("active"), true);
  EXPECT_EQ(added.Header("etag"), exception.at("etag").get<std::string>());
  EXPECT_EQ(added.Header("location"), target);
  // The assessment itself is unchanged by it.
  EXPECT_EQ(Ok("admin", "GET", "/assessments/" + id).at("state"), "submitted");

  // One active exception per requirement.
  const auto exists = Refused("risk_owner", "POST", target, good, 409, "exception_exists", watched);
  EXPECT_EQ(exists.value("exception_id", ""), exception.at("id")) << exists.dump();
  // The latest allowed expiry, on the other requirement.
  const auto longest =
      Ok("risk_owner", "POST", target, with("SUP-06", MonthsLater(TodayUtc(), 12)), 201);
  EXPECT_EQ(longest.at("expires_on"), MonthsLater(TodayUtc(), 12));

  // Read by the supplier, assessors, risk owners and admins, oldest first.
  for (const std::string who : {"supplier_a", "assessor", "risk_owner", "admin"}) {
    const auto items = Ok(who, "GET", target).at("items");
    ASSERT_EQ(items.size(), 2u) << who;
    EXPECT_EQ(items[0], exception) << who;
    EXPECT_EQ(items[1], longest) << who;
  }
  EXPECT_EQ(IdsOf(AllPages("supplier_a", target, 1)),
            (std::vector<std::string>{exception.at("id"), longest.at("id")}));
  Refused("procurement", "GET", target, nullptr, 403, "forbidden", watched);
  Refused("supplier_b", "GET", target, nullptr, 404, "not_found", watched);
  Refused("risk_owner", "GET", target + "?colour=red", nullptr, 422, "invalid_query", watched);

  EXPECT_EQ(AuditActions("exception", exception.at("id")), std::vector<std::string>{"exception.add"});
}

TEST_F(RemediationHttpTest, ExceptionsAreForSubmittedToApprovedCasesAndMustRequirements) {
  // A draft can still change.
  const std::string draft =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).id();
  const nlohmann::json body = {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}};
  const auto refused = Refused("risk_owner", "POST", "/assessments/" + draft + "/exceptions", body,
                               409, "illegal_transition", {"/assessments/" + draft});
  EXPECT_EQ(refused.value("current_state", ""), "draft") << refused.dump();

  // A rejected case is closed.
  const std::string rejected = Tell()
                                   .Service()
                                   .Assessment("SUPPLIER")
                                   .AnswerAll({{"SUP-05", NotMet()}})
                                   .Submit()
                                   .Claim()
                                   .Reject("no")
                                   .id();
  Refused("risk_owner", "POST", "/assessments/" + rejected + "/exceptions", body, 409,
          "illegal_transition", {"/assessments/" + rejected});

  // In review and approved are fine.
  const std::string in_review = Tell()
                                    .Service()
                                    .Assessment("SUPPLIER")
                                    .AnswerAll({{"SUP-05", NotMet()}})
                                    .Submit()
                                    .Claim()
                                    .id();
  EXPECT_EQ(Ok("risk_owner", "POST", "/assessments/" + in_review + "/exceptions", body, 201).at("active"),
            true);
  const std::string approved = Tell()
                                   .Service()
                                   .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                   .Approve(Conditions({{"SUP-05", Day(30)}}))
                                   .id();
  EXPECT_EQ(Ok("risk_owner", "POST", "/assessments/" + approved + "/exceptions", body, 201).at("active"),
            true);

  // A SHOULD needs no exception: a CRYPTOGRAPHY assessment with its MUSTs not applicable.
  Story story = Tell().Service().Assessment("CRYPTOGRAPHY");
  const std::string crypto = story.id();
  ASSERT_EQ(story.Requirements().size(), 16u) << story.last().dump();
  const std::vector<std::string> shoulds = story.Requirements("SHOULD");
  ASSERT_FALSE(shoulds.empty());
  std::map<std::string, nlohmann::json> answers;
  for (const auto& should : shoulds) answers[should] = NotMet();
  story.AnswerAll(answers).Submit();
  Refused("risk_owner", "POST", "/assessments/" + crypto + "/exceptions",
          {{"requirement_id", shoulds.front()}, {"reason", "r"}, {"expires_on", Day(30)}}, 422,
          "not_must", {"/assessments/" + crypto, "/assessments/" + crypto + "/exceptions"}, {},
          "/requirement_id");
}

TEST_F(RemediationHttpTest, AnExceptionIsRevokedOnce) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  const auto exception = Ok("risk_owner", "POST", list,
                            {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}}, 201);
  const std::string exception_id = exception.at("id");
  const std::string target = "/exceptions/" + exception_id + "/revoke";
  const std::vector<std::string> watched = {list, "/assessments/" + id};

  for (const std::string who : {"assessor", "supplier_a", "admin", "procurement"}) {
    Refused(who, "POST", target, nullptr, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target, nullptr, 404, "not_found", watched);
  Refused("conflicted_risk", "POST", target, nullptr, 403, "conflict_of_interest", watched);
  Refused("risk_owner", "POST", "/exceptions/00000000-0000-4000-8000-000000000000/revoke", nullptr, 404,
          "not_found", watched);
  Refused("risk_owner", "POST", target, nullptr, 412, "precondition_failed", watched, IfMatch("\"99\""));

  const auto response = As("risk_owner2", "POST", target, nullptr, IfMatch(exception.at("etag")));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto revoked = Json(response);
  EXPECT_EQ(revoked.at("id"), exception_id);
  EXPECT_FALSE(revoked.at("revoked_at").is_null());
  EXPECT_EQ(revoked.at("revoked_by"), UserId("risk_owner2"));
  EXPECT_EQ(revoked.at("active"), false);
  EXPECT_EQ(revoked.at("approved_by"), exception.at("approved_by"));
  EXPECT_EQ(revoked.at("expires_on"), exception.at("expires_on"));
  EXPECT_NE(revoked.at("etag"), exception.at("etag"));
  EXPECT_EQ(response.Header("etag"), revoked.at("etag").get<std::string>());
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items"), nlohmann::json::array({revoked}));

  // Once only; the old ETag is stale now.
  Refused("risk_owner", "POST", target, nullptr, 409, "already_revoked", watched);
  Refused("risk_owner", "POST", target, nullptr, 412, "precondition_failed", watched,
          IfMatch(exception.at("etag")));

  // A revoked exception no longer stands in the way of a new one.
  const auto renewed = Ok("risk_owner", "POST", list,
                          {{"requirement_id", "SUP-05"}, {"reason", "again"}, {"expires_on", Day(60)}}, 201);
  EXPECT_EQ(renewed.at("active"), true);
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", list).at("items")),
            (std::vector<std::string>{exception_id, renewed.at("id")}));

  EXPECT_EQ(AuditActions("exception", exception_id),
            (std::vector<std::string>{"exception.add", "exception.revoke"}));
}

// Active through its expiry date, inactive after. The date is moved behind the server's back
// (a new exception expires after today).
TEST_F(RemediationHttpTest, AnExceptionIsActiveThroughItsExpiryDate) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  const nlohmann::json body = {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}};
  const auto exception = Ok("risk_owner", "POST", list, body, 201);
  const std::string exception_id = exception.at("id");
  const auto& db = world_->server().database();

  db.Exec("UPDATE risk_exceptions SET expires_on = '" + Day(0) + "' WHERE id = '" + exception_id + "'");
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items").at(0).at("active"), true);
  Refused("risk_owner", "POST", list, body, 409, "exception_exists", {list, "/assessments/" + id});

  db.Exec("UPDATE risk_exceptions SET expires_on = '" + Day(-1) + "' WHERE id = '" + exception_id + "'");
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items").at(0).at("active"), false);
  const auto renewed = Ok("risk_owner", "POST", list, body, 201);
  EXPECT_EQ(renewed.at("active"), true);
  // An expired exception can still be revoked (it was never revoked).
  EXPECT_EQ(Ok("risk_owner", "POST", "/exceptions/" + exception_id + "/revoke").at("active"), false);
}

// Two risk owners add an exception for the same requirement at the same moment, then revoke the
// winner at the same moment: each time exactly one of each wins.
TEST_F(RemediationHttpTest, RacingExceptionsHaveExactlyOneWinner) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  std::vector<std::string> winners;
  for (int round = 0; round < 10; ++round) {
    const auto added = Race("risk_owner", "risk_owner2", "POST", list,
                            {{"requirement_id", "SUP-05"},
                             {"reason", "round " + std::to_string(round)},
                             {"expires_on", Day(30)}});
    const int adder = OneWinner(added, 201, 409, "exception_exists");
    ASSERT_GE(adder, 0) << "round " << round;
    const auto winner = Json(adder == 0 ? added.first : added.second);
    const auto loser = Json(adder == 0 ? added.second : added.first);
    EXPECT_EQ(loser.value("exception_id", ""), winner.at("id")) << loser.dump();
    winners.push_back(winner.at("id"));
    const auto revoked = Race("risk_owner", "risk_owner2", "POST",
                              "/exceptions/" + winner.at("id").get<std::string>() + "/revoke");
    ASSERT_GE(OneWinner(revoked, 200, 409, "already_revoked"), 0) << "round " << round;
  }
  const auto items = Ok("admin", "GET", list + "?limit=200").at("items");
  EXPECT_EQ(IdsOf(items), winners);
  for (const auto& item : items) {
    EXPECT_EQ(item.at("active"), false);
    EXPECT_FALSE(item.at("revoked_at").is_null());
  }
}

// ============================================================================================
// Triggers
// ============================================================================================

TEST_F(RemediationHttpTest, TriggersAreRecordedAndListedOldestFirst) {
  const std::string service = Tell().Service().service_id();
  const std::string target = "/services/" + service + "/triggers";
  const std::vector<std::string> watched = {target, "/services/" + service};

  const auto first = As("supplier_a", "POST", target,
                        {{"kind", "incident"}, {"occurred_on", Day(0)}, {"note", "a phishing incident"}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("location"), target);
  const auto by_supplier = Json(first);
  EXPECT_EQ(by_supplier.at("service_id"), service);
  EXPECT_EQ(by_supplier.at("supplier_id"), world_->supplier_a());
  EXPECT_EQ(by_supplier.at("kind"), "incident");
  EXPECT_EQ(by_supplier.at("occurred_on"), Day(0));
  EXPECT_EQ(by_supplier.at("note"), "a phishing incident");
  const auto by_assessor =
      Ok("assessor", "POST", target, {{"kind", "new_offshore_location"}, {"occurred_on", Day(-1)}}, 201);
  EXPECT_EQ(by_assessor.at("note"), "");
  EXPECT_EQ(by_assessor.at("kind"), "new_offshore_location");
  const auto by_admin = Ok("admin", "POST", target,
                           {{"kind", "certificate_revoked"}, {"occurred_on", Day(-400)}, {"note", ""}}, 201);
  const auto by_user = Ok("supplier_a2", "POST", target, {{"kind", "other"}, {"occurred_on", Day(-3)}}, 201);
  EXPECT_EQ(by_user.at("recorded_by"), UserId("supplier_a2"));
  const std::vector<std::string> order = {by_supplier.at("id"), by_assessor.at("id"), by_admin.at("id"),
                                          by_user.at("id")};

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
  Refused("supplier_a", "POST", target, {{"kind", "incident"}, {"occurred_on", Day(0)}, {"colour", "red"}},
          422, "invalid_body", watched);
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
}  // namespace coco::test
