#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// Every JSON endpoint of the supplier side, fed the same kinds of bad input: each answer is a
// problem with a stable code (and the field named where there is one), and no row of any table
// changes — audit events and evidence included.
class BadInputHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    auto client = world_->Client();
    auto post = [&](const std::string& path, const std::string& persona,
                    const nlohmann::json& body) {
      const auto response = client->Send("POST", path, world_->JsonAs(persona), body.dump());
      if (response.status != 201) throw std::runtime_error(path + ": " + response.body);
      return nlohmann::json::parse(response.body).at("id").get<std::string>();
    };
    const nlohmann::json profile = {
        {"classification", "OFFICIAL"}, {"connects_to_network", true},
        {"personal_data", false},       {"offshore", nlohmann::json::array()},
        {"hmg_crypto", false},          {"operates_pki", false}};
    service_ = new std::string(post("/suppliers/" + world_->supplier_a() + "/services",
                                    "supplier_a", {{"name", "s"}, {"profile", profile}}));
    assessment_ = new std::string(
        post("/services/" + *service_ + "/assessments", "supplier_a", {{"standard", "SUPPLIER"}}));
    user_ = new std::string(
        post("/users", "admin", {{"name", "u"}, {"email", "u@example.org"}, {"role", "assessor"}}));
  }
  static void TearDownTestSuite() {
    delete service_;
    delete assessment_;
    delete user_;
    delete world_;
  }

  struct Endpoint {
    std::string method;
    std::string path;
    std::string persona;
  };
  std::vector<Endpoint> Endpoints() const {
    return {{"POST", "/suppliers", "admin"},
            {"PATCH", "/suppliers/" + world_->supplier_a(), "admin"},
            {"POST", "/suppliers/" + world_->supplier_a() + "/services", "supplier_a"},
            {"PATCH", "/services/" + *service_, "supplier_a"},
            {"POST", "/services/" + *service_ + "/assessments", "supplier_a"},
            {"PUT", "/assessments/" + *assessment_ + "/responses/SUP-01", "supplier_a"},
            {"POST", "/users", "admin"},
            {"PATCH", "/users/" + *user_, "admin"},
            {"POST", "/tokens", "admin"}};
  }

  void Expect(const Endpoint& endpoint, const std::string& content_type, const std::string& body,
              int status, const std::string& code, const std::string& pointer = "") {
    const auto before = world_->server().database().RowCounts();
    auto headers = world_->As(endpoint.persona);
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    const auto response = client_->Send(endpoint.method, endpoint.path, headers, body);
    const std::string what = endpoint.method + " " + endpoint.path + " with " + body.substr(0, 80);
    EXPECT_EQ(response.status, status) << what << "\n" << response.body.substr(0, 300);
    EXPECT_EQ(response.Header("content-type"), "application/problem+json") << what;
    const auto problem = BodyJson(response);
    EXPECT_EQ(problem.at("code"), code) << what;
    if (!pointer.empty()) {
      bool named = false;
      for (const auto& error : problem.value("errors", nlohmann::json::array())) {
        named = named || error.value("pointer", "") == pointer;
      }
      EXPECT_TRUE(named) << what << " does not name " << pointer << ": " << response.body;
    }
    EXPECT_EQ(world_->server().database().RowCounts(), before) << what << " wrote rows";
  }

  static World* world_;
  static std::string* service_;
  static std::string* assessment_;
  static std::string* user_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* BadInputHttpTest::world_ = nullptr;
std::string* BadInputHttpTest::service_ = nullptr;
std::string* BadInputHttpTest::assessment_ = nullptr;
std::string* BadInputHttpTest::user_ = nullptr;

TEST_F(BadInputHttpTest, MalformedJsonIs400) {
  for (const auto& endpoint : Endpoints()) {
    Expect(endpoint, "application/json", "{\"name\": \"x\",", 400, "malformed_json");
    Expect(endpoint, "application/json", "", 400, "malformed_json");
  }
}

TEST_F(BadInputHttpTest, AnythingButJsonIs415) {
  for (const auto& endpoint : Endpoints()) {
    Expect(endpoint, "text/plain", "{}", 415, "unsupported_media_type");
    Expect(endpoint, "application/x-www-form-urlencoded", "name=x", 415, "unsupported_media_type");
    Expect(endpoint, "", "{}", 415, "unsupported_media_type");
  }
}

TEST_F(BadInputHttpTest, JsonOverTheCapIs413) {
  const std::string big = "{\"name\":\"" + std::string((1 << 20) + 16, 'x') + "\"}";
  for (const auto& endpoint : Endpoints()) {
    Expect(endpoint, "application/json", big, 413, "payload_too_large");
  }
}

TEST_F(BadInputHttpTest, NotAnObjectAndUnknownFieldsAre422NamingTheField) {
  for (const auto& endpoint : Endpoints()) {
    Expect(endpoint, "application/json", "[]", 422, "invalid_body", "/");
    Expect(endpoint, "application/json", "\"text\"", 422, "invalid_body", "/");
    Expect(endpoint, "application/json", R"({"surprise": 1})", 422, "invalid_body", "/surprise");
  }
}

TEST_F(BadInputHttpTest, WrongTypesAndMissingFieldsAre422NamingTheField) {
  const auto endpoints = Endpoints();
  Expect(endpoints[0], "application/json", R"({"name": 1, "contact_email": "a@b.example"})", 422,
         "invalid_body", "/name");
  Expect(endpoints[2], "application/json", R"({"name": "n", "profile": []})", 422, "invalid_body",
         "/profile");
  Expect(endpoints[4], "application/json", R"({"standard": "ISO"})", 422, "invalid_body",
         "/standard");
  Expect(endpoints[4], "application/json", R"({})", 422, "invalid_body", "/standard");
  Expect(endpoints[5], "application/json", R"({"answer": true})", 422, "invalid_body", "/answer");
  Expect(endpoints[6], "application/json",
         R"({"name": "n", "email": "n@example.org", "role": "admin", "supplier_id": "123"})", 422,
         "invalid_body", "/supplier_id");
  Expect(endpoints[8], "application/json", R"({"user_id": "not-a-uuid", "name": "t"})", 422,
         "invalid_body", "/user_id");
  Expect(endpoints[3], "application/json", R"({"contract_start": "2027-02-29"})", 422,
         "invalid_body", "/contract_start");
  Expect(
      endpoints[6], "application/json",
      nlohmann::json{{"name", std::string(201, 'n')}, {"email", "n@example.org"}, {"role", "admin"}}
          .dump(),
      422, "invalid_body", "/name");
}

TEST_F(BadInputHttpTest, ControlCharactersAndBrokenTextAreRefused) {
  const auto endpoints = Endpoints();
  Expect(endpoints[0], "application/json",
         R"({"name": "a\u0000b", "contact_email": "a@b.example"})", 422, "invalid_body", "/name");
  for (const std::string target :
       {"/suppliers?limit=%00", "/suppliers?%FF=1", "/audit?entity_id=%FF%FE"}) {
    const auto before = world_->server().database().RowCounts();
    const auto response = client_->Send("GET", target, world_->As("admin"));
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(BodyJson(response).at("code"), "malformed_request") << target;
    EXPECT_EQ(world_->server().database().RowCounts(), before);
  }
  // A cursor whose number would overflow is refused, not a 500.
  const std::string huge =
      "OTk5OTk5OTk5OTk5OTk5OTk5fDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA";
  EXPECT_EQ(client_->Send("GET", "/suppliers?cursor=" + huge, world_->As("admin")).status, 422);
}

TEST_F(BadInputHttpTest, BadIdsInPathsAre422) {
  for (const std::string path : {"/suppliers/x", "/services/x", "/assessments/x", "/users/x",
                                 "/evidence/x", "/services/x/required-standards"}) {
    const auto before = world_->server().database().RowCounts();
    const auto response = client_->Send("GET", path, world_->As("admin"));
    EXPECT_EQ(response.status, 422) << path;
    EXPECT_EQ(BodyJson(response).at("code"), "invalid_id") << path;
    EXPECT_EQ(world_->server().database().RowCounts(), before);
  }
}

// Past the transport cap Pistache itself answers (plain text, before coco sees the request).
TEST(TransportCapHttpTest, BodiesOverTheTransportCapAreRefusedBeforeTheApp) {
  CocoServer server(std::map<std::string, std::string>{{"COCO_MAX_BODY_BYTES", "65536"},
                                                       {"COCO_MAX_JSON_BYTES", "4096"}});
  const std::string admin = server.CreateAdminToken();
  HttpClient client(server.port());  // no contract check: this answer is Pistache's, not coco's
  const auto before = server.database().RowCounts();
  const auto response = client.Send(
      "POST", "/suppliers/00000000-0000-4000-8000-000000000000/evidence?filename=a&kind=other",
      {{"Authorization", "Bearer " + admin}}, std::string(100000, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(server.database().RowCounts(), before);
}

}  // namespace
}  // namespace coco::test
