#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/dates.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// A problem without its request id, to compare two refusals.
nlohmann::json Problem(const HttpResponse& response) {
  nlohmann::json body = BodyJson(response);
  body.erase("request_id");
  return body;
}

class MeHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  HttpResponse Send(const std::string& method, const std::string& target, const std::string& token,
                    const nlohmann::json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  HttpResponse Me(const std::string& token) { return Send("GET", "/me", token); }

  // The only token of a user made by World::NewHttpUser, as GET /tokens lists it (an admin's
  // listing holds everyone's, so ask for the user's own).
  nlohmann::json OnlyToken(const World::HttpUser& user) {
    const auto listed = BodyJson(Send("GET", "/tokens?user_id=" + user.id, user.token));
    EXPECT_EQ(listed.at("items").size(), 1u) << listed.dump();
    return listed.at("items").at(0);
  }

  // Asserts that GET /me with `token` is refused exactly as another authenticated route is.
  void ExpectRefusedLikeEverywhere(const std::string& token, const std::string& why) {
    const auto me = Me(token);
    const auto other = Send("GET", "/tokens", token);
    EXPECT_EQ(me.status, 401) << why << ": " << me.body;
    EXPECT_EQ(other.status, 401) << why;
    EXPECT_EQ(me.Header("content-type"), "application/problem+json") << why;
    EXPECT_EQ(me.Header("www-authenticate"), other.Header("www-authenticate")) << why;
    EXPECT_EQ(Problem(me), Problem(other)) << why;
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* MeHttpTest::world_ = nullptr;

TEST_F(MeHttpTest, EveryRoleGetsItsOwnUserAndToken) {
  struct Caller {
    std::string name;
    std::string role;
    std::string supplier;
  };
  const std::vector<Caller> callers = {{"me_admin", "admin", ""},
                                       {"me_assessor", "assessor", ""},
                                       {"me_risk_owner", "risk_owner", ""},
                                       {"me_procurement", "procurement", ""},
                                       {"me_supplier_a", "supplier", world_->supplier_a()},
                                       {"me_supplier_b", "supplier", world_->supplier_b()}};
  for (const auto& [name, role, supplier] : callers) {
    const auto user = world_->NewHttpUser(name, role, {}, supplier);
    const auto me = Me(user.token);
    ASSERT_EQ(me.status, 200) << name << " " << me.body;
    EXPECT_EQ(me.Header("cache-control"), "no-store") << name;
    const auto body = BodyJson(me);
    // The same user object GET /users/{id} gives, for the caller.
    const auto self = Send("GET", "/users/" + user.id, user.token);
    ASSERT_EQ(self.status, 200) << name << " " << self.body;
    EXPECT_EQ(body.at("user"), BodyJson(self)) << name;
    EXPECT_EQ(body.at("user").at("id"), user.id) << name;
    EXPECT_EQ(body.at("user").at("role"), role) << name;
    EXPECT_EQ(body.at("user").at("state"), "active") << name;
    if (supplier.empty()) {
      EXPECT_TRUE(body.at("user").at("supplier_id").is_null()) << name;
    } else {
      EXPECT_EQ(body.at("user").at("supplier_id"), supplier) << name;
    }
    // The token behind the request.
    const auto token = OnlyToken(user);
    EXPECT_EQ(body.at("token"),
              nlohmann::json({{"id", token.at("id")}, {"expires_at", token.at("expires_at")}}))
        << name;
  }
  // The world's cast, made by the CLI, each sees its own role (and supplier).
  for (const auto& persona : World::Personas()) {
    const auto me = Me(world_->Token(persona));
    ASSERT_EQ(me.status, 200) << persona << " " << me.body;
    const auto user = BodyJson(me).at("user");
    const std::string role = persona.rfind("supplier_", 0) == 0 ? "supplier" : persona;
    EXPECT_EQ(user.at("role"), role) << persona;
    if (persona == "supplier_a") {
      EXPECT_EQ(user.at("supplier_id"), world_->supplier_a());
    } else if (persona == "supplier_b") {
      EXPECT_EQ(user.at("supplier_id"), world_->supplier_b());
    } else {
      EXPECT_TRUE(user.at("supplier_id").is_null()) << persona;
    }
  }
}

TEST_F(MeHttpTest, TheTokenReturnedIsTheOneUsed) {
  const auto user = world_->NewHttpUser("me_two_tokens", "assessor");
  const std::string first_id = OnlyToken(user).at("id");
  // A second token, made by the user for itself, with an expiry of its own.
  const std::string expires_on = Day(30);
  const auto made =
      Send("POST", "/tokens", user.token,
           {{"user_id", user.id}, {"name", "laptop"}, {"expires_at", expires_on + "T12:00:00Z"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string second_secret = BodyJson(made).at("secret");
  const std::string second_id = BodyJson(made).at("id");
  ASSERT_NE(first_id, second_id);

  const auto by_first = BodyJson(Me(user.token));
  const auto by_second = BodyJson(Me(second_secret));
  EXPECT_EQ(by_first.at("token").at("id"), first_id);
  EXPECT_EQ(by_second.at("token").at("id"), second_id);
  EXPECT_EQ(by_second.at("token").at("expires_at"), BodyJson(made).at("expires_at"));
  EXPECT_EQ(by_second.at("token").at("expires_at").get<std::string>().rfind(expires_on, 0), 0u);
  EXPECT_NE(by_first.at("token").at("expires_at"), by_second.at("token").at("expires_at"));
  EXPECT_EQ(by_first.at("user"), by_second.at("user"));
  // The secret itself never comes back.
  EXPECT_EQ(Me(second_secret).body.find(second_secret), std::string::npos);
}

TEST_F(MeHttpTest, ARevokedTokenIsRefused) {
  const auto user = world_->NewHttpUser("me_revoked", "procurement");
  ASSERT_EQ(Me(user.token).status, 200);
  const std::string token_id = BodyJson(Me(user.token)).at("token").at("id");
  EXPECT_EQ(Send("DELETE", "/tokens/" + token_id, user.token).status, 204);
  ExpectRefusedLikeEverywhere(user.token, "revoked");
}

TEST_F(MeHttpTest, ADisabledUsersTokenIsRefused) {
  const auto user = world_->NewHttpUser("me_disabled", "risk_owner");
  ASSERT_EQ(Me(user.token).status, 200);
  const auto disabled = Send("POST", "/users/" + user.id + "/disable", world_->Token("admin"));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  ExpectRefusedLikeEverywhere(user.token, "disabled");
}

TEST_F(MeHttpTest, NoTokenOrABadTokenIsRefused) {
  const auto none = Me("");
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(Problem(none), Problem(Send("GET", "/tokens", ""))) << none.body;
  ExpectRefusedLikeEverywhere("coco_not-a-real-token", "unknown token");
}

TEST_F(MeHttpTest, QueryParametersAreRefused) {
  const auto token = world_->Token("supplier_a");
  for (const std::string& query :
       std::vector<std::string>{"?user_id=" + world_->supplier_a(), "?limit=1", "?x="}) {
    const auto response = Send("GET", "/me" + query, token);
    EXPECT_EQ(response.status, 422) << query << " " << response.body;
    const auto errors = BodyJson(response).value("errors", nlohmann::json::array());
    ASSERT_FALSE(errors.empty()) << response.body;
    EXPECT_EQ(errors.at(0).at("pointer").get<std::string>().rfind("query/", 0), 0u)
        << response.body;
  }
  // Without a token, the 401 comes first.
  EXPECT_EQ(Send("GET", "/me?x=1", "").status, 401);
}

}  // namespace
}  // namespace coco::test
