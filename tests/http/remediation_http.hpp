#pragma once

// What the remediation tests over HTTP (remediation*_httptest.cpp) share: one suite,
// RemediationHttpTest, whose tests are spread over several files by behaviour and share one
// World. Every refusal is checked to change nothing: no table gains or loses a row and the
// objects it aimed at read back exactly as before (state, version, ETag).
#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test::remediation_http {

inline std::string Requirement(int n) {
  char id[8];
  std::snprintf(id, sizeof id, "SUP-%02d", n);
  return id;
}

inline std::set<std::string> NamedPointers(const nlohmann::json& problem) {
  std::set<std::string> named;
  for (const auto& error : problem.value("errors", nlohmann::json::array())) {
    if (error.contains("pointer")) named.insert(error.at("pointer").get<std::string>());
  }
  return named;
}

inline std::vector<std::string> IdsOf(const nlohmann::json& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.at("id"));
  return ids;
}

inline bool Contains(const std::vector<std::string>& ids, const std::string& id) {
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
    const auto user = world_->NewHttpUser(persona, role, conflicts, supplier);
    (*user_ids_)[persona] = user.id;
    (*tokens_)[persona] = user.token;
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
    EXPECT_EQ(BodyJson(loser).value("code", ""), code) << loser.body;
    return a.status == ok ? 0 : 1;
  }

  // Sends a request that must succeed with `status`; returns its body.
  nlohmann::json Ok(const std::string& who, const std::string& method, const std::string& target,
                    const nlohmann::json& body = nullptr, int status = 200,
                    const Headers& extra = {}) {
    const auto response = As(who, method, target, body, extra);
    EXPECT_EQ(response.status, status) << who << " " << method << " " << target << "\n"
                                       << response.body;
    if (response.status != status || response.body.empty()) return nlohmann::json::object();
    return BodyJson(response);
  }

  // What the admin reads at each of `targets`, with the ETag when there is one.
  std::vector<nlohmann::json> Snapshot(const std::vector<std::string>& targets) {
    std::vector<nlohmann::json> seen;
    for (const auto& target : targets) {
      const auto response = As("admin", "GET", target);
      seen.push_back({{"status", response.status},
                      {"etag", response.Header("etag").value_or("")},
                      {"body", response.body.empty() ? nlohmann::json() : BodyJson(response)}});
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
    const std::string what =
        who + " " + method + " " + target + " " + (body.is_null() ? "" : body.dump());
    EXPECT_EQ(response.status, status) << what << "\n" << response.body;
    EXPECT_EQ(response.Header("content-type"), "application/problem+json") << what;
    EXPECT_EQ(world_->server().database().RowCounts(), rows)
        << what << ": a refused request wrote rows";
    EXPECT_EQ(Snapshot(watched), before) << what << ": a refused request changed something";
    nlohmann::json problem = nlohmann::json::object();
    try {
      problem = BodyJson(response);
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
    return BodyJson(response).at("id");
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
      const auto body = Ok(who, "GET",
                           target + joiner + "limit=" + std::to_string(limit) +
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
    for (const auto& event :
         AllPages("admin", "/audit?entity=" + entity + "&entity_id=" + id, 200)) {
      actions.push_back(event.at("action"));
    }
    return actions;
  }

  static Headers IfMatch(const nlohmann::json& tag) {
    return {{"If-Match", tag.is_string() ? tag.get<std::string>() : tag.dump()}};
  }

  inline static World* world_ = nullptr;
  inline static std::map<std::string, std::string>* tokens_ = nullptr;
  inline static std::map<std::string, std::string>* user_ids_ = nullptr;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

}  // namespace coco::test::remediation_http
