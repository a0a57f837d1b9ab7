#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/expectations.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

nlohmann::json ProfileWith(bool connects = true, nlohmann::json offshore = nlohmann::json::array(),
                           bool hmg = false, bool pki = false) {
  return {{"classification", "OFFICIAL"},
          {"connects_to_network", connects},
          {"personal_data", true},
          {"offshore", std::move(offshore)},
          {"hmg_crypto", hmg},
          {"operates_pki", pki}};
}

class ServicesHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    auto client = world_->Client();
    const auto created = client->Send("POST", "/suppliers/" + world_->supplier_a() + "/services",
                                      world_->JsonAs("supplier_a"),
                                      nlohmann::json{{"name", "case management"},
                                                     {"contract_ref", "CM-2026-01"},
                                                     {"contract_start", "2027-01-01"},
                                                     {"contract_end", "2029-12-31"},
                                                     {"profile", ProfileWith()}}
                                          .dump());
    ASSERT_EQ(created.status, 201) << created.body;
    service_a_ = new std::string(BodyJson(created).at("id").get<std::string>());
  }
  static void TearDownTestSuite() {
    delete service_a_;
    delete world_;
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& persona, const nlohmann::json& body = nullptr) {
    return client_->Send(method, target,
                         body.is_null() ? world_->As(persona) : world_->JsonAs(persona),
                         body.is_null() ? "" : body.dump());
  }

  void ExpectRefusedUnchanged(const std::string& method, const std::string& target,
                              const std::string& persona, const std::string& body, int status,
                              const std::string& code, const std::string& pointer = "") {
    test::ExpectRefusedUnchanged(*client_, world_->server().database(), method, target,
                                 world_->JsonAs(persona), body, status, code, pointer);
  }

  std::map<std::string, nlohmann::json> Required(const std::string& service) {
    std::map<std::string, nlohmann::json> by_key;
    const auto body =
        BodyJson(Send("GET", "/services/" + service + "/required-standards", "admin"));
    for (const auto& item : body.at("items")) by_key[item.at("standard")] = item;
    return by_key;
  }

  static World* world_;
  static std::string* service_a_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* ServicesHttpTest::world_ = nullptr;
std::string* ServicesHttpTest::service_a_ = nullptr;

TEST_F(ServicesHttpTest, TheOwningSupplierAndAdminsCreateServicesNobodyElse) {
  const std::string target = "/suppliers/" + world_->supplier_a() + "/services";
  const std::string body = nlohmann::json{{"name", "portal"}, {"profile", ProfileWith()}}.dump();
  for (const std::string persona : {"assessor", "risk_owner", "procurement"}) {
    ExpectRefusedUnchanged("POST", target, persona, body, 403, "forbidden");
  }
  ExpectRefusedUnchanged("POST", target, "supplier_b", body, 404, "not_found");
  EXPECT_EQ(client_->Send("POST", target, world_->JsonAs("admin"), body).status, 201);
  EXPECT_EQ(client_->Send("POST", target, world_->JsonAs("supplier_a"), body).status, 201);
}

TEST_F(ServicesHttpTest, ReadingFollowsThePermissionTable) {
  const std::map<std::string, int> expected = {{"admin", 200},      {"assessor", 200},
                                               {"risk_owner", 200}, {"procurement", 200},
                                               {"supplier_a", 200}, {"supplier_b", 404}};
  for (const auto& [persona, status] : expected) {
    EXPECT_EQ(Send("GET", "/services/" + *service_a_, persona).status, status) << persona;
    EXPECT_EQ(Send("GET", "/suppliers/" + world_->supplier_a() + "/services", persona).status,
              status)
        << persona;
    EXPECT_EQ(Send("GET", "/services/" + *service_a_ + "/required-standards", persona).status,
              status)
        << persona;
  }
  const auto service = BodyJson(Send("GET", "/services/" + *service_a_, "supplier_a"));
  EXPECT_EQ(service.at("contract_start"), "2027-01-01");
  EXPECT_EQ(service.at("profile").at("classification"), "OFFICIAL");
  EXPECT_EQ(Send("GET", "/suppliers/00000000-0000-4000-8000-000000000000/services", "admin").status,
            404);
}

TEST_F(ServicesHttpTest, OnlyTheOwnerAndAdminsEditAndProfileChangesAreRecorded) {
  const std::string target = "/services/" + *service_a_;
  const std::string rename = nlohmann::json{{"name", "case management v2"}}.dump();
  for (const std::string persona : {"assessor", "risk_owner", "procurement"}) {
    ExpectRefusedUnchanged("PATCH", target, persona, rename, 403, "forbidden");
  }
  ExpectRefusedUnchanged("PATCH", target, "supplier_b", rename, 404, "not_found");

  const auto& db = world_->server().database();
  const auto changes = [&] {
    return db.QueryValue("SELECT count(*) FROM service_profile_changes WHERE service_id = '" +
                         *service_a_ + "'");
  };
  EXPECT_EQ(changes(), "1");  // the profile it was created with
  const auto renamed = Send("PATCH", target, "supplier_a", {{"name", "case management v2"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(changes(), "1");
  const std::string old_hash = BodyJson(renamed).at("profile_hash");
  // The same profile again is no change.
  EXPECT_EQ(BodyJson(Send("PATCH", target, "supplier_a", {{"profile", ProfileWith()}}))
                .at("profile_hash"),
            old_hash);
  EXPECT_EQ(changes(), "1");
  const auto moved =
      Send("PATCH", target, "admin",
           {{"profile", ProfileWith(true, {{{"country", "IN"}, {"activity", "hosting"}}})}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_NE(BodyJson(moved).at("profile_hash"), old_hash);
  EXPECT_EQ(changes(), "2");
  EXPECT_EQ(db.QueryValue("SELECT old_hash FROM service_profile_changes WHERE service_id = '" +
                          *service_a_ + "' ORDER BY changed_at DESC LIMIT 1"),
            old_hash);
  // Back to UK only for the other tests.
  ASSERT_EQ(Send("PATCH", target, "admin", {{"profile", ProfileWith()}}).status, 200);
}

TEST_F(ServicesHttpTest, RequiredStandardsFollowTheProfile) {
  const std::string target = "/suppliers/" + world_->supplier_a() + "/services";
  auto create = [&](const nlohmann::json& profile) {
    const auto response =
        Send("POST", target, "supplier_a", {{"name", "probe"}, {"profile", profile}});
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id").get<std::string>();
  };
  const auto uk = Required(create(ProfileWith()));
  EXPECT_TRUE(uk.at("COCO").at("required").get<bool>());
  EXPECT_FALSE(uk.at("OFFSHORING").at("required").get<bool>());
  EXPECT_EQ(uk.at("OFFSHORING").at("requirement_counts").at("total"), 0);
  EXPECT_NE(uk.at("OFFSHORING").at("reason").get<std::string>().find("offshore"),
            std::string::npos);
  EXPECT_EQ(uk.at("COCO").at("requirement_counts").at("total"), 37);
  EXPECT_EQ(uk.at("CRYPTOGRAPHY").at("requirement_counts").at("total"), 16);
  EXPECT_EQ(uk.at("SUPPLIER").at("requirement_counts").at("total"), 12);

  const auto hmg = Required(create(ProfileWith(true, nlohmann::json::array(), true, false)));
  EXPECT_EQ(hmg.at("CRYPTOGRAPHY").at("requirement_counts").at("total"), 16 + 13);

  const auto development =
      Required(create(ProfileWith(true, {{{"country", "IN"}, {"activity", "development"}}})));
  EXPECT_TRUE(development.at("OFFSHORING").at("required").get<bool>());
  EXPECT_EQ(development.at("OFFSHORING").at("requirement_counts").at("total"), 30);
  EXPECT_EQ(development.at("COCO").at("requirement_counts").at("total"), 36);

  const auto disconnected = Required(create(ProfileWith(false)));
  EXPECT_FALSE(disconnected.at("COCO").at("required").get<bool>());
}

TEST_F(ServicesHttpTest, BadServicesAreRefusedNamingTheFieldAndChangeNothing) {
  const std::string target = "/suppliers/" + world_->supplier_a() + "/services";
  auto with_profile = [](const nlohmann::json& profile) {
    return nlohmann::json{{"name", "x"}, {"profile", profile}}.dump();
  };
  auto profile = ProfileWith();
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      with_profile(ProfileWith(true, {{{"country", "XX"}, {"activity", "hosting"}}})), 422,
      "invalid_body", "/profile/offshore/0/country");
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      with_profile(ProfileWith(true, {{{"country", "gb"}, {"activity", "hosting"}}})), 422,
      "invalid_body", "/profile/offshore/0/country");
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      with_profile(ProfileWith(true, {{{"country", "GBR"}, {"activity", "hosting"}}})), 422,
      "invalid_body", "/profile/offshore/0/country");
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      with_profile(ProfileWith(true, {{{"country", "IN"}, {"activity", "mining"}}})), 422,
      "invalid_body", "/profile/offshore/0/activity");
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      with_profile(ProfileWith(true, {{{"country", "IN"}, {"activity", "hosting"}},
                                      {{"country", "IN"}, {"activity", "hosting"}}})),
      422, "invalid_body", "/profile/offshore/1");
  auto missing = ProfileWith();
  missing.erase("hmg_crypto");
  ExpectRefusedUnchanged("POST", target, "supplier_a", with_profile(missing), 422, "invalid_body",
                         "/profile/hmg_crypto");
  auto extra = ProfileWith();
  extra["secret_level"] = "TOP";
  ExpectRefusedUnchanged("POST", target, "supplier_a", with_profile(extra), 422, "invalid_body",
                         "/profile/secret_level");
  auto wrong_type = ProfileWith();
  wrong_type["connects_to_network"] = "yes";
  ExpectRefusedUnchanged("POST", target, "supplier_a", with_profile(wrong_type), 422,
                         "invalid_body", "/profile/connects_to_network");
  auto bad_class = ProfileWith();
  bad_class["classification"] = "SECRET";
  ExpectRefusedUnchanged("POST", target, "supplier_a", with_profile(bad_class), 422, "invalid_body",
                         "/profile/classification");
  ExpectRefusedUnchanged("POST", target, "supplier_a", R"({"name":"x"})", 422, "invalid_body",
                         "/profile");
  ExpectRefusedUnchanged(
      "POST", target, "supplier_a",
      nlohmann::json{{"name", "x"}, {"contract_start", "2027-02-30"}, {"profile", profile}}.dump(),
      422, "invalid_body", "/contract_start");
  ExpectRefusedUnchanged("POST", target, "supplier_a",
                         nlohmann::json{{"name", "x"},
                                        {"contract_start", "2027-06-01"},
                                        {"contract_end", "2027-05-31"},
                                        {"profile", profile}}
                             .dump(),
                         422, "invalid_body", "/contract_end");
  ExpectRefusedUnchanged("PATCH", "/services/" + *service_a_, "supplier_a",
                         R"({"contract_end":"01/02/2027"})", 422, "invalid_body", "/contract_end");
  ExpectRefusedUnchanged("GET", "/services/nope", "admin", "", 422, "invalid_id");
}

TEST_F(ServicesHttpTest, IfMatchGuardsServiceEdits) {
  const auto created = Send("POST", "/suppliers/" + world_->supplier_a() + "/services",
                            "supplier_a", {{"name", "etag"}, {"profile", ProfileWith()}});
  const std::string target = "/services/" + BodyJson(created).at("id").get<std::string>();
  auto headers = world_->JsonAs("supplier_a");
  headers.emplace_back("If-Match", *created.Header("etag"));
  EXPECT_EQ(client_->Send("PATCH", target, headers, R"({"name":"etag 2"})").status, 200);
  const auto before = world_->server().database().RowCounts();
  const auto stale = client_->Send("PATCH", target, headers, R"({"name":"etag 3"})");
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(BodyJson(stale).at("code"), "precondition_failed");
  EXPECT_EQ(world_->server().database().RowCounts(), before);
  EXPECT_EQ(BodyJson(Send("GET", target, "supplier_a")).at("name"), "etag 2");
}

TEST_F(ServicesHttpTest, AnOffboardedSupplierGetsNoNewServices) {
  const auto created = BodyJson(Send("POST", "/suppliers", "admin",
                                     {{"name", "golf"}, {"contact_email", "sec@golf.example"}}));
  const std::string id = created.at("id");
  ASSERT_EQ(Send("PATCH", "/suppliers/" + id, "admin", {{"state", "offboarded"}}).status, 200);
  ExpectRefusedUnchanged("POST", "/suppliers/" + id + "/services", "admin",
                         nlohmann::json{{"name", "late"}, {"profile", ProfileWith()}}.dump(), 409,
                         "supplier_offboarded");
}

}  // namespace
}  // namespace coco::test
