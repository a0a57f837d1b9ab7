#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/world.hpp"

namespace coco::test {
namespace {

class UsersHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& persona_or_token, const nlohmann::json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers;
    const bool persona = persona_or_token.rfind("coco_", 0) != 0;
    headers.emplace_back("Authorization", "Bearer " + (persona ? world_->Token(persona_or_token)
                                                               : persona_or_token));
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  std::string CreateUser(const nlohmann::json& body) {
    const auto response = Send("POST", "/users", "admin", body);
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id").get<std::string>();
  }

  // A user of `role` and a token for it, made over the API by the admin.
  std::pair<std::string, std::string> UserWithToken(const std::string& role,
                                                    const std::string& supplier = "") {
    nlohmann::json body = {
        {"name", role + " user"}, {"email", role + "@example.org"}, {"role", role}};
    if (!supplier.empty()) body["supplier_id"] = supplier;
    const std::string id = CreateUser(body);
    const auto token = Send("POST", "/tokens", "admin", {{"user_id", id}, {"name", "t"}});
    EXPECT_EQ(token.status, 201) << token.body;
    return {id, BodyJson(token).at("secret").get<std::string>()};
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* UsersHttpTest::world_ = nullptr;

TEST_F(UsersHttpTest, AnAdminCreatesUsersOfEveryRole) {
  for (const std::string role : {"admin", "assessor", "risk_owner", "procurement"}) {
    const auto [id, token] = UserWithToken(role);
    const auto self = Send("GET", "/users/" + id, token);
    ASSERT_EQ(self.status, 200) << role;
    EXPECT_EQ(BodyJson(self).at("role"), role);
  }
  const auto [id, token] = UserWithToken("supplier", world_->supplier_a());
  EXPECT_EQ(BodyJson(Send("GET", "/users/" + id, token)).at("supplier_id"), world_->supplier_a());
  // The new supplier user sees its own supplier and not the other.
  EXPECT_EQ(Send("GET", "/suppliers/" + world_->supplier_a(), token).status, 200);
  EXPECT_EQ(Send("GET", "/suppliers/" + world_->supplier_b(), token).status, 404);
}

TEST_F(UsersHttpTest, UserRulesAreEnforced) {
  const auto before = world_->server().database().RowCounts();
  const std::vector<std::pair<nlohmann::json, std::string>> bad = {
      {{{"name", "s"}, {"email", "s@example.org"}, {"role", "supplier"}}, "/supplier_id"},
      {{{"name", "a"},
        {"email", "a@example.org"},
        {"role", "assessor"},
        {"supplier_id", world_->supplier_a()}},
       "/supplier_id"},
      {{{"name", "s"},
        {"email", "s@example.org"},
        {"role", "supplier"},
        {"supplier_id", "00000000-0000-4000-8000-000000000000"}},
       "/supplier_id"},
      {{{"name", "p"},
        {"email", "p@example.org"},
        {"role", "procurement"},
        {"conflicts", {world_->supplier_a()}}},
       "/conflicts"},
      {{{"name", "a"},
        {"email", "a@example.org"},
        {"role", "assessor"},
        {"conflicts", {"00000000-0000-4000-8000-000000000000"}}},
       "/conflicts/0"},
      {{{"name", "a"}, {"email", "a@example.org"}, {"role", "assessor"}, {"conflicts", {"x"}}},
       "/conflicts/0"},
      {{{"name", "x"}, {"email", "nope"}, {"role", "assessor"}}, "/email"},
      {{{"name", "x"}, {"email", "x@example.org"}, {"role", "root"}}, "/role"},
      {{{"name", "x"}, {"email", "x@example.org"}, {"role", "admin"}, {"password", "hunter2"}},
       "/password"},
  };
  for (const auto& [body, pointer] : bad) {
    const auto response = Send("POST", "/users", "admin", body);
    EXPECT_EQ(response.status, 422) << body.dump() << "\n" << response.body;
    bool named = false;
    for (const auto& error : BodyJson(response).value("errors", nlohmann::json::array())) {
      named = named || error.at("pointer") == pointer;
    }
    EXPECT_TRUE(named) << pointer << " not named in " << response.body;
  }
  EXPECT_EQ(world_->server().database().RowCounts(), before);
}

TEST_F(UsersHttpTest, OnlyAdminsManageUsersButEveryoneReadsThemselves) {
  const auto [id, token] = UserWithToken("assessor");
  const nlohmann::json body = {{"name", "n"}, {"email", "n@example.org"}, {"role", "admin"}};
  for (const std::string persona : {"assessor", "risk_owner", "procurement", "supplier_a"}) {
    EXPECT_EQ(Send("POST", "/users", persona, body).status, 403) << persona;
    EXPECT_EQ(Send("GET", "/users", persona).status, 403) << persona;
    EXPECT_EQ(Send("GET", "/users/" + id, persona).status, 403) << persona;
    EXPECT_EQ(Send("PATCH", "/users/" + id, persona, {{"name", "x"}}).status, 403) << persona;
    EXPECT_EQ(Send("POST", "/users/" + id + "/disable", persona).status, 403) << persona;
  }
  EXPECT_EQ(Send("GET", "/users/" + id, token).status, 200);
  EXPECT_EQ(Send("GET", "/users", "admin").status, 200);
  const auto patched = Send("PATCH", "/users/" + id, "admin",
                            {{"conflicts", {world_->supplier_b()}}, {"name", "renamed"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(BodyJson(patched).at("conflicts"), nlohmann::json::array({world_->supplier_b()}));
}

TEST_F(UsersHttpTest, IfMatchGuardsUserEdits) {
  const auto [id, token] = UserWithToken("assessor");
  const auto first = Send("GET", "/users/" + id, "admin");
  auto headers = world_->JsonAs("admin");
  headers.emplace_back("If-Match", *first.Header("etag"));
  EXPECT_EQ(client_->Send("PATCH", "/users/" + id, headers, R"({"name":"one"})").status, 200);
  EXPECT_EQ(client_->Send("PATCH", "/users/" + id, headers, R"({"name":"two"})").status, 412);
  EXPECT_EQ(BodyJson(Send("GET", "/users/" + id, "admin")).at("name"), "one");
}

TEST_F(UsersHttpTest, DisablingAUserStopsItsTokensAtOnce) {
  const auto [id, token] = UserWithToken("procurement");
  EXPECT_EQ(Send("GET", "/suppliers", token).status, 200);
  const auto disabled = Send("POST", "/users/" + id + "/disable", "admin");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(BodyJson(disabled).at("state"), "disabled");
  EXPECT_EQ(Send("GET", "/suppliers", token).status, 401);
  EXPECT_EQ(world_->server().database().QueryValue("SELECT count(*) FROM tokens WHERE user_id = '" +
                                                   id + "' AND revoked_at IS NULL"),
            "0");
  // No new tokens for a disabled user either.
  EXPECT_EQ(Send("POST", "/tokens", "admin", {{"user_id", id}, {"name", "again"}}).status, 409);
}

TEST_F(UsersHttpTest, AnAdminCannotDisableItself) {
  const auto self = BodyJson(Send("GET", "/tokens", "admin")).at("items")[0].at("user_id");
  EXPECT_EQ(Send("POST", "/users/" + self.get<std::string>() + "/disable", "admin").status, 409);
}

TEST_F(UsersHttpTest, AUserMakesTokensForItselfThatNeverOutliveTheirParent) {
  const auto [id, token] = UserWithToken("assessor");
  // The admin's token for this user expires in 90 days.
  const auto own = Send("POST", "/tokens", token, {{"user_id", id}, {"name", "laptop"}});
  ASSERT_EQ(own.status, 201) << own.body;
  const auto parent = BodyJson(Send("GET", "/tokens", token)).at("items")[0];
  EXPECT_LE(BodyJson(own).at("expires_at").get<std::string>(),
            parent.at("expires_at").get<std::string>());
  const auto too_long =
      Send("POST", "/tokens", token,
           {{"user_id", id}, {"name", "forever"}, {"expires_at", "2030-01-01T00:00:00Z"}});
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  // Nor for somebody else.
  const auto [other, other_token] = UserWithToken("assessor");
  EXPECT_EQ(Send("POST", "/tokens", token, {{"user_id", other}, {"name", "x"}}).status, 403);
  // Admin limits: at most a year, in the future.
  EXPECT_EQ(Send("POST", "/tokens", "admin",
                 {{"user_id", id}, {"name", "x"}, {"expires_at", "2099-01-01T00:00:00Z"}})
                .status,
            422);
  EXPECT_EQ(Send("POST", "/tokens", "admin",
                 {{"user_id", id}, {"name", "x"}, {"expires_at", "2020-01-01T00:00:00Z"}})
                .status,
            422);
  EXPECT_EQ(Send("POST", "/tokens", "admin",
                 {{"user_id", id}, {"name", "x"}, {"expires_at", "next tuesday"}})
                .status,
            422);
}

TEST_F(UsersHttpTest, RevokingATokenRevokesTheTokensMadeWithIt) {
  const auto [id, parent] = UserWithToken("assessor");
  const auto child = Send("POST", "/tokens", parent, {{"user_id", id}, {"name", "child"}});
  ASSERT_EQ(child.status, 201);
  const std::string secret = BodyJson(child).at("secret");
  const auto grandchild =
      Send("POST", "/tokens", secret, {{"user_id", id}, {"name", "grandchild"}});
  ASSERT_EQ(grandchild.status, 201);
  const std::string parent_id = BodyJson(Send("GET", "/tokens", parent)).at("items")[0].at("id");
  EXPECT_EQ(Send("DELETE", "/tokens/" + parent_id, "admin").status, 204);
  EXPECT_EQ(Send("GET", "/suppliers", secret).status, 401);
  EXPECT_EQ(Send("GET", "/suppliers", BodyJson(grandchild).at("secret").get<std::string>()).status,
            401);
}

// Token families never span users (the ordering of token inserts and revocations relies on it):
// a token an admin makes for someone else is not the admin's token's child, so revoking the
// admin's token leaves it working.
TEST_F(UsersHttpTest, ATokenAnAdminMakesForSomeoneElseOutlivesTheAdminsToken) {
  const auto [admin_id, admin_token] = UserWithToken("admin");
  const std::string id = UserWithToken("assessor").first;
  const auto made =
      Send("POST", "/tokens", admin_token, {{"user_id", id}, {"name", "handed over"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string made_id = BodyJson(made).at("id");
  EXPECT_EQ(world_->server().database().QueryValue(
                "SELECT created_by_token IS NULL FROM tokens WHERE id = '" + made_id + "'"),
            "t");
  // An admin lists everyone's tokens: ask for its own.
  const std::string admin_token_id =
      BodyJson(Send("GET", "/tokens?user_id=" + admin_id, admin_token)).at("items")[0].at("id");
  EXPECT_EQ(Send("DELETE", "/tokens/" + admin_token_id, "admin").status, 204);
  EXPECT_EQ(Send("GET", "/suppliers", admin_token).status, 401);
  EXPECT_EQ(Send("GET", "/suppliers", BodyJson(made).at("secret").get<std::string>()).status, 200);
}

TEST_F(UsersHttpTest, TokensAreListedWithoutSecretsAndScopedToTheirOwner) {
  const auto [id, token] = UserWithToken("risk_owner");
  const auto mine = Send("GET", "/tokens", token);
  ASSERT_EQ(mine.status, 200);
  const auto listed = BodyJson(mine);
  for (const auto& item : listed.at("items")) EXPECT_EQ(item.at("user_id"), id);
  EXPECT_EQ(mine.body.find("secret"), std::string::npos);
  EXPECT_EQ(mine.body.find(token), std::string::npos);
  EXPECT_EQ(Send("GET", "/tokens?user_id=" + world_->supplier_a(), token).status, 403);
  const auto all = BodyJson(Send("GET", "/tokens?limit=200", "admin"));
  EXPECT_GT(all.at("items").size(), 1u);
  EXPECT_EQ(
      world_->server().database().QueryValue(
          "SELECT count(*) FROM audit_events WHERE detail LIKE '%" + token.substr(5, 12) + "%'"),
      "0");
}

TEST_F(UsersHttpTest, RevokingATokenStopsItAtOnce) {
  const auto [id, token] = UserWithToken("procurement");
  const auto [other, other_token] = UserWithToken("procurement");
  const std::string token_id = BodyJson(Send("GET", "/tokens", token)).at("items")[0].at("id");
  const std::string other_token_id =
      BodyJson(Send("GET", "/tokens", other_token)).at("items")[0].at("id");
  // Someone else's token is not even revealed to a non-admin.
  EXPECT_EQ(Send("DELETE", "/tokens/" + other_token_id, token).status, 404);
  EXPECT_EQ(Send("DELETE", "/tokens/" + token_id, token).status, 204);
  EXPECT_EQ(Send("GET", "/suppliers", token).status, 401);
  EXPECT_EQ(Send("DELETE", "/tokens/" + other_token_id, "admin").status, 204);
  EXPECT_EQ(Send("GET", "/suppliers", other_token).status, 401);
  EXPECT_EQ(Send("DELETE", "/tokens/00000000-0000-4000-8000-000000000000", "admin").status, 404);
}

}  // namespace
}  // namespace coco::test
