// Assurance status over HTTP (DESIGN.md §4): who may read a status, the portfolio, an
// attestation and the key set, and in which order refusals come. Shared helpers:
// status_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

TEST_F(StatusHttpTest, WhoMayReadAStatusOrAnAttestation) {
  const std::string a = world_->supplier_a();
  for (const auto& persona : World::Personas()) {
    const int expected = persona == "supplier_b" ? 404 : 200;
    for (const std::string& path : std::vector<std::string>{"/suppliers/" + a + "/status",
                                                            "/suppliers/" + a + "/attestation"}) {
      EXPECT_EQ(Send(T(persona), "GET", path).status, expected) << persona << " " << path;
    }
  }
  // The other way round, and an unknown supplier.
  const std::string b = world_->supplier_b();
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/suppliers/" + b + "/status").status, 404);
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/suppliers/" + b + "/attestation").status, 404);
  const std::string nobody = "6f1c2a4e-0000-4000-8000-000000000001";
  EXPECT_EQ(Send(T("admin"), "GET", "/suppliers/" + nobody + "/status").status, 404);
  EXPECT_EQ(Send(T("admin"), "GET", "/suppliers/" + nobody + "/attestation").status, 404);
  // Another supplier's id answers 404 before anything about the query is looked at.
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + a + "/status?as_of=" + Day(-1)).status,
            404);
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + a + "/status?bogus=1").status, 404);
  // Ids are not case-sensitive: the supplier's own id in capitals is still its own.
  std::string upper = a;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto own = Send(T("supplier_a"), "GET", "/suppliers/" + upper + "/status");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Parse(own).at("supplier_id"), a);
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + upper + "/status").status, 404);
}

TEST_F(StatusHttpTest, NoValidTokenIs401BeforeAnythingElse) {
  const std::string a = world_->supplier_a();
  const std::string nobody = "6f1c2a4e-0000-4000-8000-000000000002";
  const std::vector<std::string> targets = {
      "/suppliers/" + a + "/status",
      "/suppliers/" + nobody + "/status",
      "/suppliers/" + a + "/status?as_of=" + Day(-1),
      "/suppliers/" + a + "/status?as_of=garbage",
      "/suppliers/" + nobody + "/status?as_of=garbage",
      "/suppliers/" + a + "/status?bogus=1",
      "/suppliers/not-a-uuid/status",
      "/suppliers/" + a + "/attestation",
      "/suppliers/" + nobody + "/attestation?as_of=garbage",
      "/status",
      "/status?limit=0",
      "/status?as_of=" + Day(-1),
  };
  const std::vector<std::pair<std::string, Headers>> callers = {
      {"no token", {}},
      {"bad token", {{"Authorization", "Bearer not-a-token-at-all"}}},
      {"empty bearer", {{"Authorization", "Bearer "}}},
      {"basic", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}},
      {"huge token", {{"Authorization", "Bearer " + std::string(300, 'x')}}},
  };
  for (const auto& target : targets) {
    for (const auto& [who, headers] : callers) {
      const auto response = client_->Send("GET", target, headers);
      EXPECT_EQ(response.status, 401) << who << " " << target << "\n" << response.body;
    }
  }
}

// The status read authenticates in its own statement: a revoked token and a disabled user are
// refused there as everywhere else.
TEST_F(StatusHttpTest, RevokedTokensAndDisabledUsersAreRefused) {
  const std::string a = world_->supplier_a();
  const auto user =
      Ok(T("admin"), "POST", "/users",
         {{"name", "status reader"}, {"email", "reader@status.example"}, {"role", "procurement"}},
         201);
  const std::string user_id = user.at("id");
  const auto first =
      Ok(T("admin"), "POST", "/tokens", {{"user_id", user_id}, {"name", "one"}}, 201);
  const auto second =
      Ok(T("admin"), "POST", "/tokens", {{"user_id", user_id}, {"name", "two"}}, 201);
  const std::string path = "/suppliers/" + a + "/status";
  EXPECT_EQ(Send(first.at("secret"), "GET", path).status, 200);
  EXPECT_EQ(Send(T("admin"), "DELETE", "/tokens/" + first.at("id").get<std::string>()).status, 204);
  EXPECT_EQ(Send(first.at("secret"), "GET", path).status, 401);
  EXPECT_EQ(Send(first.at("secret"), "GET", "/suppliers/" + a + "/attestation").status, 401);
  EXPECT_EQ(Send(second.at("secret"), "GET", path).status, 200);
  Ok(T("admin"), "POST", "/users/" + user_id + "/disable");
  EXPECT_EQ(Send(second.at("secret"), "GET", path).status, 401);
  EXPECT_EQ(Send(second.at("secret"), "GET", "/status").status, 401);
}

TEST_F(StatusHttpTest, ThePortfolioIsForStaffOnly) {
  for (const auto& persona : World::Personas()) {
    const bool supplier = persona.rfind("supplier", 0) == 0;
    EXPECT_EQ(Send(T(persona), "GET", "/status").status, supplier ? 403 : 200) << persona;
    EXPECT_EQ(Send(T(persona), "GET", "/status", nullptr, {{"Accept", "text/csv"}}).status,
              supplier ? 403 : 200)
        << persona;
  }
}

TEST_F(StatusHttpTest, RefusalsComeBeforeQueryValidation) {
  // Who may not read a list is told so whatever it asked: 403, not a 422 about its query.
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/status?status=nonsense&limit=0").status, 403);
  EXPECT_EQ(Send(T("procurement"), "GET", "/actions?supplier=not-a-uuid&cursor=x").status, 403);
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/status?standard=NOPE", nullptr, {{"Accept", "text/csv"}})
                .status,
            403);
}

TEST_F(StatusHttpTest, ACursorOnlyWorksOnTheListThatGaveIt) {
  // Two rows at least, so the portfolio's first page of one has a cursor.
  const Json page = Ok(T("admin"), "GET", "/status?limit=1");
  ASSERT_TRUE(page.at("next_cursor").is_string()) << page.dump();
  const std::string portfolio_cursor = page.at("next_cursor");
  for (const std::string list : {"/assessments", "/actions", "/suppliers", "/review-queue"}) {
    const auto response = Send(T("admin"), "GET", list + "?cursor=" + portfolio_cursor);
    EXPECT_EQ(response.status, 422) << list << ": " << response.body;
  }
  // ... and a cursor of a list keyed by time is not the portfolio's, nor the action list's.
  const Json suppliers = Ok(T("admin"), "GET", "/suppliers?limit=1");
  ASSERT_TRUE(suppliers.at("next_cursor").is_string()) << suppliers.dump();
  const std::string time_cursor = suppliers.at("next_cursor");
  EXPECT_EQ(Send(T("admin"), "GET", "/status?cursor=" + time_cursor).status, 422);
  EXPECT_EQ(Send(T("admin"), "GET", "/actions?cursor=" + time_cursor).status, 422);
}

TEST_F(StatusHttpTest, TheKeySetIsPublic) {
  const auto response = client_->Send("GET", "/.well-known/jwks.json");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type").value_or("").rfind("application/jwk-set+json", 0), 0u);
  const auto keys = Parse(response).at("keys");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("kty"), "OKP");
  EXPECT_EQ(keys[0].at("crv"), "Ed25519");
  EXPECT_EQ(keys[0].at("alg"), "EdDSA");
  EXPECT_EQ(keys[0].at("use"), "sig");
  EXPECT_EQ(Base64UrlDecode(keys[0].at("x")).size(), 32u);
  EXPECT_FALSE(keys[0].at("kid").get<std::string>().empty());
  // With a token it is the same document.
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/.well-known/jwks.json").body, response.body);
  // The published key is the public half of the server's signing key.
  const auto derived =
      RunTool({"openssl", "pkey", "-in", world_->server().signing_key_path(), "-pubout"});
  ASSERT_EQ(derived.exit_code, 0) << derived.err;
  EXPECT_EQ(derived.out, Ed25519PublicPem(Base64UrlDecode(keys[0].at("x"))));
}

// The key set takes no parameters; whatever it answers to one must be in the contract.
TEST_F(StatusHttpTest, TheKeySetAnswersAnUnknownParameterAsDocumented) {
  const auto response = client_->Send("GET", "/.well-known/jwks.json?x=1");
  EXPECT_TRUE(response.status == 200 || response.status == 422)
      << response.status << " " << response.body;
}

}  // namespace
}  // namespace coco::test::status_http
