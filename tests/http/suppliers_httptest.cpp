#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/expectations.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

class SuppliersHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& persona, const nlohmann::json& body = nullptr,
                    std::vector<std::pair<std::string, std::string>> extra = {}) {
    auto headers = body.is_null() ? world_->As(persona) : world_->JsonAs(persona);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  void ExpectRefusedUnchanged(const std::string& method, const std::string& target,
                              const Headers& headers, const std::string& body, int status,
                              const std::string& code, const std::string& pointer = "") {
    test::ExpectRefusedUnchanged(*client_, world_->server().database(), method, target, headers,
                                 body, status, code, pointer);
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* SuppliersHttpTest::world_ = nullptr;

TEST_F(SuppliersHttpTest, ReadingASupplierFollowsThePermissionTable) {
  const std::map<std::string, int> expected = {{"admin", 200},      {"assessor", 200},
                                               {"risk_owner", 200}, {"procurement", 200},
                                               {"supplier_a", 200}, {"supplier_b", 404}};
  for (const auto& [persona, status] : expected) {
    const auto response = Send("GET", "/suppliers/" + world_->supplier_a(), persona);
    EXPECT_EQ(response.status, status) << persona;
    if (status == 200) {
      EXPECT_EQ(BodyJson(response).at("name"), "alpha");
      EXPECT_TRUE(response.Header("etag").has_value());
    } else {
      EXPECT_EQ(response.body.find("alpha"), std::string::npos) << "another supplier's data leaked";
    }
  }
  // A supplier user cannot tell an existing foreign supplier from a missing one.
  const auto missing = Send("GET", "/suppliers/00000000-0000-4000-8000-000000000000", "supplier_b");
  const auto foreign = Send("GET", "/suppliers/" + world_->supplier_a(), "supplier_b");
  EXPECT_EQ(missing.status, foreign.status);
  EXPECT_EQ(BodyJson(missing).at("code"), BodyJson(foreign).at("code"));
  EXPECT_EQ(BodyJson(missing).at("detail"), BodyJson(foreign).at("detail"));
}

TEST_F(SuppliersHttpTest, OnlyAnAdminCreatesSuppliers) {
  const nlohmann::json body = {{"name", "charlie"}, {"contact_email", "sec@charlie.example"}};
  for (const std::string persona : {"assessor", "risk_owner", "procurement", "supplier_a"}) {
    ExpectRefusedUnchanged("POST", "/suppliers", world_->JsonAs(persona), body.dump(), 403,
                           "forbidden");
  }
  const auto created = Send("POST", "/suppliers", "admin",
                            {{"name", "charlie"},
                             {"companies_house_number", "SC123456"},
                             {"contact_email", "sec@charlie.example"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto supplier = BodyJson(created);
  EXPECT_EQ(supplier.at("state"), "active");
  EXPECT_EQ(supplier.at("companies_house_number"), "SC123456");
  EXPECT_EQ(created.Header("location"), "/suppliers/" + supplier.at("id").get<std::string>());
  EXPECT_EQ(created.Header("etag"), "\"1\"");
}

TEST_F(SuppliersHttpTest, ASupplierUserListsOnlyItsOwnSupplier) {
  const auto own = BodyJson(Send("GET", "/suppliers?limit=200", "supplier_a"));
  ASSERT_EQ(own.at("items").size(), 1u);
  EXPECT_EQ(own.at("items")[0].at("id"), world_->supplier_a());
  for (const std::string persona : {"admin", "assessor", "risk_owner", "procurement"}) {
    std::set<std::string> ids;
    const auto page = BodyJson(Send("GET", "/suppliers?limit=200", persona));
    for (const auto& item : page.at("items")) ids.insert(item.at("id").get<std::string>());
    EXPECT_TRUE(ids.contains(world_->supplier_a()) && ids.contains(world_->supplier_b()))
        << persona;
  }
}

TEST_F(SuppliersHttpTest, OnlyAnAdminChangesASupplierAndOtherSuppliersSeeNothing) {
  const std::string target = "/suppliers/" + world_->supplier_b();
  const nlohmann::json body = {{"contact_email", "new@bravo.example"}};
  for (const std::string persona : {"assessor", "risk_owner", "procurement", "supplier_b"}) {
    ExpectRefusedUnchanged("PATCH", target, world_->JsonAs(persona), body.dump(), 403, "forbidden");
  }
  ExpectRefusedUnchanged("PATCH", target, world_->JsonAs("supplier_a"), body.dump(), 404,
                         "not_found");
  const auto changed = Send("PATCH", target, "admin", body);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(BodyJson(changed).at("contact_email"), "new@bravo.example");
}

TEST_F(SuppliersHttpTest, IfMatchGuardsAgainstLostUpdates) {
  const auto created = BodyJson(Send("POST", "/suppliers", "admin",
                                     {{"name", "delta"}, {"contact_email", "sec@delta.example"}}));
  const std::string target = "/suppliers/" + created.at("id").get<std::string>();
  const auto first =
      Send("PATCH", target, "admin", {{"name", "delta one"}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("etag"), "\"2\"");
  // A second writer still holding version 1 loses, and nothing changes.
  ExpectRefusedUnchanged(
      "PATCH", target,
      [&] {
        auto headers = world_->JsonAs("admin");
        headers.emplace_back("If-Match", "\"1\"");
        return headers;
      }(),
      nlohmann::json{{"name", "delta two"}}.dump(), 412, "precondition_failed");
  EXPECT_EQ(BodyJson(Send("GET", target, "admin")).at("name"), "delta one");
}

TEST_F(SuppliersHttpTest, OffboardingIsAStateChange) {
  const auto created = BodyJson(Send("POST", "/suppliers", "admin",
                                     {{"name", "echo"}, {"contact_email", "sec@echo.example"}}));
  const std::string target = "/suppliers/" + created.at("id").get<std::string>();
  const auto offboarded = Send("PATCH", target, "admin", {{"state", "offboarded"}});
  ASSERT_EQ(offboarded.status, 200);
  EXPECT_EQ(BodyJson(offboarded).at("state"), "offboarded");
  EXPECT_TRUE(BodyJson(Send("PATCH", target, "admin", {{"companies_house_number", nullptr}}))
                  .at("companies_house_number")
                  .is_null());
}

TEST_F(SuppliersHttpTest, BadInputIsAProblemThatNamesTheFieldAndChangesNothing) {
  const auto json = world_->JsonAs("admin");
  ExpectRefusedUnchanged("POST", "/suppliers", json, "{\"name\": ", 400, "malformed_json");
  ExpectRefusedUnchanged("POST", "/suppliers", json, "[1, 2]", 422, "invalid_body", "/");
  ExpectRefusedUnchanged("POST", "/suppliers", world_->As("admin"),
                         R"({"name":"x","contact_email":"a@b.example"})", 415,
                         "unsupported_media_type");
  ExpectRefusedUnchanged(
      "POST", "/suppliers",
      {{"Authorization", "Bearer " + world_->Token("admin")}, {"Content-Type", "text/plain"}},
      R"({"name":"x","contact_email":"a@b.example"})", 415, "unsupported_media_type");
  ExpectRefusedUnchanged("POST", "/suppliers", json, R"({"contact_email":"a@b.example"})", 422,
                         "invalid_body", "/name");
  ExpectRefusedUnchanged("POST", "/suppliers", json,
                         R"({"name":"x","contact_email":"a@b.example","colour":"red"})", 422,
                         "invalid_body", "/colour");
  ExpectRefusedUnchanged("POST", "/suppliers", json, R"({"name":42,"contact_email":"a@b.example"})",
                         422, "invalid_body", "/name");
  ExpectRefusedUnchanged(
      "POST", "/suppliers", json,
      nlohmann::json{{"name", std::string(201, 'n')}, {"contact_email", "a@b.example"}}.dump(), 422,
      "invalid_body", "/name");
  ExpectRefusedUnchanged("POST", "/suppliers", json,
                         R"({"name":"x","contact_email":"not-an-email"})", 422, "invalid_body",
                         "/contact_email");
  ExpectRefusedUnchanged(
      "POST", "/suppliers", json,
      R"({"name":"x","contact_email":"a@b.example","companies_house_number":"12-34"})", 422,
      "invalid_body", "/companies_house_number");
  ExpectRefusedUnchanged(
      "POST", "/suppliers", json,
      R"({"name":"x","contact_email":"a@b.example","companies_house_number":"ab123456"})", 422,
      "invalid_body", "/companies_house_number");
  ExpectRefusedUnchanged("POST", "/suppliers", json,
                         nlohmann::json{{"name", std::string((1 << 20) + 1, 'n')}}.dump(), 413,
                         "payload_too_large");
  ExpectRefusedUnchanged("PATCH", "/suppliers/" + world_->supplier_a(), json,
                         R"({"state":"deleted"})", 422, "invalid_body", "/state");
  ExpectRefusedUnchanged("GET", "/suppliers/not-a-uuid", world_->As("admin"), "", 422,
                         "invalid_id");
  ExpectRefusedUnchanged("PATCH", "/suppliers/not-a-uuid", json, R"({"name":"x"})", 422,
                         "invalid_id");
  ExpectRefusedUnchanged("PATCH", "/suppliers/00000000-0000-4000-8000-000000000000", json,
                         R"({"name":"x"})", 404, "not_found");
}

TEST_F(SuppliersHttpTest, LengthLimitsCountCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xc3\xa9";  // 200 characters, 400 bytes
  const auto created =
      Send("POST", "/suppliers", "admin", {{"name", name}, {"contact_email", "e@accent.example"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(BodyJson(created).at("name"), name);
}

TEST_F(SuppliersHttpTest, PagesWithAnOpaqueCursor) {
  for (int i = 0; i < 5; ++i) {
    Send("POST", "/suppliers", "admin",
         {{"name", "page " + std::to_string(i)}, {"contact_email", "p@page.example"}});
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto response =
        Send("GET", "/suppliers?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), "admin");
    ASSERT_EQ(response.status, 200) << response.body;
    const auto page = BodyJson(response);
    EXPECT_LE(page.at("items").size(), 2u);
    for (const auto& item : page.at("items")) {
      EXPECT_TRUE(seen.insert(item.at("id").get<std::string>()).second) << "an item came twice";
    }
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 100);
  EXPECT_EQ(seen.size(), BodyJson(Send("GET", "/suppliers?limit=200", "admin")).at("items").size());
  EXPECT_GE(pages, 3);
  ExpectRefusedUnchanged("GET", "/suppliers?cursor=garbage!", world_->As("admin"), "", 422,
                         "invalid_query", "query/cursor");
  ExpectRefusedUnchanged("GET", "/suppliers?limit=0", world_->As("admin"), "", 422, "invalid_query",
                         "query/limit");
  ExpectRefusedUnchanged("GET", "/suppliers?limit=201", world_->As("admin"), "", 422,
                         "invalid_query", "query/limit");
}

TEST_F(SuppliersHttpTest, EveryChangeAppendsOneAuditEventWithTheRequestId) {
  const auto& db = world_->server().database();
  const long long before = std::stoll(db.QueryValue("SELECT count(*) FROM audit_events"));
  auto headers = world_->JsonAs("admin");
  headers.emplace_back("X-Request-Id", "audit-supplier-create");
  const auto created = client_->Send(
      "POST", "/suppliers", headers,
      nlohmann::json{{"name", "foxtrot"}, {"contact_email", "sec@foxtrot.example"}}.dump());
  ASSERT_EQ(created.status, 201);
  const std::string id = BodyJson(created).at("id");
  EXPECT_EQ(std::stoll(db.QueryValue("SELECT count(*) FROM audit_events")), before + 1);
  EXPECT_EQ(db.QueryValue("SELECT action || ' ' || entity || ' ' || entity_id || ' ' || request_id "
                          "FROM audit_events ORDER BY seq DESC LIMIT 1"),
            "supplier.create supplier " + id + " audit-supplier-create");
  EXPECT_EQ(db.QueryValue("SELECT (SELECT hash FROM audit_head) = "
                          "(SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)"),
            "t");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM audit_events e JOIN audit_events p "
                          "ON p.seq = e.seq - 1 WHERE e.prev_hash <> p.hash"),
            "0");
}

}  // namespace
}  // namespace coco::test
