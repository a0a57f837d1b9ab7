// Signed attestations over HTTP (issue #6): a status document signed with Ed25519, checked
// here with openssl against the public key set. Shared helpers: status_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

TEST_F(StatusHttpTest, AnAttestationIsASignedStatusDocument) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string policy_bytes = "attested policy";
  const std::string ce_bytes = "attested cyber essentials certificate";
  const std::string ignored_bytes = "a policy SUP-09 does not accept";
  const auto policy = Upload(tenant, "policy", policy_bytes);
  const auto ce = Upload(tenant, "cyber_essentials_certificate", ce_bytes, "", Day(200));
  const auto ignored = Upload(tenant, "policy", ignored_bytes);
  Of(tenant, service)
      .Approved(
          "SUPPLIER",
          {{"SUP-01", Met({policy.at("id").get<std::string>()})},
           {"SUP-02", Met({policy.at("id").get<std::string>()})},
           {"SUP-09", Met({ce.at("id").get<std::string>(), ignored.at("id").get<std::string>()})}});
  const std::string policy_sha = Sha256Hex(policy_bytes);
  const std::string ce_sha = Sha256Hex(ce_bytes);
  EXPECT_EQ(policy.at("sha256"), policy_sha);
  EXPECT_EQ(ce.at("sha256"), ce_sha);

  const auto keys = Parse(client_->Send("GET", "/.well-known/jwks.json")).at("keys");
  const std::string kid = keys[0].at("kid");
  const std::string pem = Ed25519PublicPem(Base64UrlDecode(keys[0].at("x")));

  for (const std::string& as_of : std::vector<std::string>{std::string(), Day(300)}) {
    const std::string query = as_of.empty() ? "" : "?as_of=" + as_of;
    const auto document = Status(T("procurement"), tenant.id, as_of);
    const auto before = std::chrono::system_clock::now();
    const auto response =
        Send(T("procurement"), "GET", "/suppliers/" + tenant.id + "/attestation" + query);
    const auto after = std::chrono::system_clock::now();
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type").value_or(""), "application/jose");
    const auto parts = Split(response.body, '.');
    ASSERT_EQ(parts.size(), 3u) << response.body;

    const auto header = Json::parse(Base64UrlDecode(parts[0]));
    EXPECT_EQ(header.at("alg"), "EdDSA");
    EXPECT_EQ(header.at("kid"), kid);
    const std::string payload_text = Base64UrlDecode(parts[1]);
    auto payload = Json::parse(payload_text);
    EXPECT_EQ(payload.at("iss"), "coco");
    const long long iat = payload.at("iat");
    const auto seconds = [](auto point) {
      return std::chrono::duration_cast<std::chrono::seconds>(point.time_since_epoch()).count();
    };
    EXPECT_GE(iat, seconds(before) - 300);
    EXPECT_LE(iat, seconds(after) + 300);
    std::vector<std::string> relied = {policy_sha, ce_sha};
    std::sort(relied.begin(), relied.end());
    EXPECT_EQ(payload.at("evidence_sha256"), Json(relied)) << "the ignored policy is not relied on";
    // The rest is the status document.
    payload.erase("iss");
    payload.erase("iat");
    payload.erase("evidence_sha256");
    EXPECT_EQ(payload, document) << as_of;
    EXPECT_EQ(payload.at("as_of"), as_of.empty() ? Day(0) : as_of);

    // The signature verifies against the published key...
    const std::string signature = Base64UrlDecode(parts[2]);
    EXPECT_EQ(signature.size(), 64u);
    const auto verified = VerifyEd25519(pem, parts[0] + "." + parts[1], signature);
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("Signature Verified Successfully"), std::string::npos)
        << verified.out;

    // ...and not once the payload is changed by one character.
    std::string tampered = payload_text;
    const auto name_at = tampered.find(tenant.name);
    ASSERT_NE(name_at, std::string::npos);
    tampered[name_at] = tampered[name_at] == 'X' ? 'Y' : 'X';
    const auto forged = VerifyEd25519(pem, parts[0] + "." + Base64UrlEncode(tampered), signature);
    EXPECT_NE(forged.exit_code, 0) << forged.out;
    EXPECT_EQ(forged.out.find("Signature Verified Successfully"), std::string::npos) << forged.out;
  }

  // A supplier without approvals relies on no evidence.
  const Tenant bare = NewTenant();
  const auto response = Send(bare.token, "GET", "/suppliers/" + bare.id + "/attestation");
  ASSERT_EQ(response.status, 200);
  const auto payload = Json::parse(Base64UrlDecode(Split(response.body, '.').at(1)));
  EXPECT_EQ(payload.at("evidence_sha256"), Json::array());
  EXPECT_EQ(payload.at("status"), "not_assessed");
}

// A verified action's evidence is relied on too.
TEST_F(StatusHttpTest, AnAttestationListsTheEvidenceOfVerifiedActions) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string id = Of(tenant, service)
                             .Approved("SUPPLIER", {},
                                       {{"conditions",
                                         {{{"requirement_id", "SUP-03"},
                                           {"description", "sign the DPA"},
                                           {"due_date", Day(30)}}}}})
                             .id();
  const std::string action =
      Ok(T("assessor"), "GET", "/actions?assessment=" + id).at("items").at(0).at("id");
  const std::string bytes = "the signed DPA";
  const auto dpia = Upload(tenant, "dpia", bytes);
  Ok(tenant.token, "POST", "/actions/" + action + "/complete",
     {{"note", "done"}, {"evidence_ids", {dpia.at("id")}}});
  auto attested = [&] {
    const auto response = Send(T("risk_owner"), "GET", "/suppliers/" + tenant.id + "/attestation");
    EXPECT_EQ(response.status, 200) << response.body;
    return Json::parse(Base64UrlDecode(Split(response.body, '.').at(1))).at("evidence_sha256");
  };
  EXPECT_EQ(attested(), Json::array()) << "not verified yet";
  Ok(T("assessor"), "POST", "/actions/" + action + "/verify");
  EXPECT_EQ(attested(), Json::array({Sha256Hex(bytes)}));
}

}  // namespace
}  // namespace coco::test::status_http
