// A new version of a standard whose standard-level applies_when differs (issue #14 §1): which
// standards a service requires is evaluated once, by the domain, when the profile is written or
// a version is imported, and stored. After `coco catalogue import` of CRYPTOGRAPHY 1.1, required
// only when `connects_to_network || personal_data`, the required-standards listing, the status,
// the portfolio, its CSV and the attestation must all say the same. The suite has a server of
// its own: the import changes what every later test would see.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

class CatalogueVersionHttpTest : public StatusHttpTest {};

// The standard keys of a service in a status document, with their `required` flags.
std::map<std::string, bool> RequiredIn(const Json& document, const std::string& service) {
  std::map<std::string, bool> required;
  for (const auto& item : document.at("services")) {
    if (item.at("service_id") != service) continue;
    for (const auto& standard : item.at("standards")) {
      required[standard.at("standard")] = standard.at("required");
    }
  }
  return required;
}

TEST_F(CatalogueVersionHttpTest, ANewApplicabilityIsAgreedOnEverywhere) {
  const Tenant tenant = NewTenant();
  // Neither connected nor holding personal data: CRYPTOGRAPHY 1.1 no longer applies to it.
  const std::string plain = Of(tenant).Service().service_id();
  Json personal = Profile();
  personal["personal_data"] = true;
  const std::string holder = Of(tenant).Service(personal).service_id();
  const std::string bytes = "the cryptography policy";
  const auto policy = Upload(tenant, "policy", bytes);
  Of(tenant, plain)
      .Approved("CRYPTOGRAPHY", {{"CRYPTO-01", Met({policy.at("id").get<std::string>()})}});

  const auto required_of = [&](const std::string& service) {
    std::map<std::string, bool> required;
    const auto listing = Ok(T("admin"), "GET", "/services/" + service + "/required-standards");
    for (const auto& item : listing.at("items")) {
      required[item.at("standard")] = item.at("required");
    }
    return required;
  };
  const auto attestation = [&] {
    const auto response = Send(T("procurement"), "GET", "/suppliers/" + tenant.id + "/attestation");
    EXPECT_EQ(response.status, 200) << response.body;
    return Json::parse(Base64UrlDecode(Split(response.body, '.').at(1)));
  };
  ASSERT_TRUE(required_of(plain).at("CRYPTOGRAPHY"));
  ASSERT_TRUE(RequiredIn(Status(T("procurement"), tenant.id), plain).at("CRYPTOGRAPHY"));
  ASSERT_EQ(attestation().at("evidence_sha256"), Json::array({Sha256Hex(bytes)}));

  // CRYPTOGRAPHY 1.1 beside the shipped catalogue.
  const auto dir =
      std::filesystem::temp_directory_path() / ("coco-catalogue-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(COCO_SOURCE_DIR) + "/standards")) {
    if (entry.path().extension() == ".json") {
      std::filesystem::copy_file(entry.path(), dir / entry.path().filename());
    }
  }
  Json next = Json::parse(std::ifstream(dir / "cryptography-1.0.json"));
  next["version"] = "1.1";
  next["applies_when"] = "connects_to_network || personal_data";
  std::ofstream(dir / "cryptography-1.1.json") << next.dump(2);
  const auto imported = world_->server().RunCli({"catalogue", "import", dir.string()});
  std::filesystem::remove_all(dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.err.find("imported CRYPTOGRAPHY 1.1"), std::string::npos) << imported.err;
  EXPECT_NE(imported.err.find("re-evaluated for 1 services"), std::string::npos) << imported.err;

  // The listing of required standards.
  EXPECT_FALSE(required_of(plain).at("CRYPTOGRAPHY"));
  EXPECT_TRUE(required_of(holder).at("CRYPTOGRAPHY"));
  // The status document.
  const auto document = Status(T("procurement"), tenant.id);
  EXPECT_FALSE(RequiredIn(document, plain).at("CRYPTOGRAPHY"));
  EXPECT_TRUE(RequiredIn(document, holder).at("CRYPTOGRAPHY"));
  EXPECT_EQ(RequiredIn(document, plain).at("SUPPLIER"), true);
  // The portfolio, as JSON and as CSV: a row per required standard only.
  const std::set<std::string> expected = {Key(tenant.id, plain, "SUPPLIER"),
                                          Key(tenant.id, holder, "CRYPTOGRAPHY"),
                                          Key(tenant.id, holder, "SUPPLIER")};
  EXPECT_EQ(PortfolioKeys("", tenant.id), expected);
  const auto csv = Send(T("procurement"), "GET", "/status", nullptr, {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  std::set<std::string> csv_keys;
  for (const auto& record : ParseCsv(csv.body)) {
    if (record.size() > 7 && record[0] == tenant.id) {
      csv_keys.insert(record[0] + "/" + record[2] + "/" + record[7]);
    }
  }
  EXPECT_EQ(csv_keys, expected);
  // The attestation signs the same document, and relies on nothing of a standard no longer
  // required.
  auto payload = attestation();
  EXPECT_EQ(payload.at("evidence_sha256"), Json::array());
  for (const char* key : {"iss", "iat", "evidence_sha256"}) payload.erase(key);
  EXPECT_EQ(payload, Status(T("procurement"), tenant.id));
}

}  // namespace
}  // namespace coco::test::status_http
