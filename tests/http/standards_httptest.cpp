#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

class StandardsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new CocoServer();
    const auto imported =
        server_->RunCli({"catalogue", "import", std::string(COCO_SOURCE_DIR) + "/standards"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    token_ = new std::string(server_->CreateAdminToken());
  }
  static void TearDownTestSuite() {
    delete token_;
    delete server_;
  }
  HttpResponse Get(const std::string& target) {
    return client_->Send("GET", target, {{"Authorization", "Bearer " + *token_}});
  }
  int Count(const std::string& key, const std::string& query) {
    const auto response = Get("/standards/" + key + "/requirements?" + query);
    EXPECT_EQ(response.status, 200) << response.body;
    return BodyJson(response).at("count").get<int>();
  }

  static CocoServer* server_;
  static std::string* token_;
  std::unique_ptr<HttpClient> client_ = server_->Client();
};

CocoServer* StandardsHttpTest::server_ = nullptr;
std::string* StandardsHttpTest::token_ = nullptr;

TEST_F(StandardsHttpTest, ListsTheFourStandardsWithCounts) {
  const auto body = BodyJson(Get("/standards"));
  const auto& items = body.at("items");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("key"), "COCO");
  EXPECT_EQ(items[0].at("latest_version"), "1.0");
  EXPECT_EQ(items[0].at("requirement_counts").at("total"), 37);
  EXPECT_EQ(items[1].at("key"), "OFFSHORING");
  EXPECT_EQ(items[1].at("requirement_counts").at("total"), 30);
  EXPECT_EQ(items[2].at("key"), "CRYPTOGRAPHY");
  EXPECT_EQ(items[2].at("requirement_counts").at("total"), 35);
  EXPECT_EQ(items[3].at("key"), "SUPPLIER");
  EXPECT_EQ(items[3].at("requirement_counts").at("total"), 12);
  int must = 0;
  for (const auto& item : items) must += item.at("requirement_counts").at("MUST").get<int>();
  EXPECT_EQ(must, 24 + 28 + 32 + 12);
}

TEST_F(StandardsHttpTest, ShowsOneStandardWithItsVersions) {
  const auto body = BodyJson(Get("/standards/OFFSHORING"));
  EXPECT_EQ(body.at("title"), "Offshoring");
  EXPECT_EQ(body.at("applies_when"), "offshore");
  ASSERT_EQ(body.at("versions").size(), 1u);
  EXPECT_EQ(body.at("versions")[0].at("version"), "1.0");
  EXPECT_TRUE(BodyJson(Get("/standards/SUPPLIER")).at("applies_when").is_null());
}

TEST_F(StandardsHttpTest, UnknownStandardOrVersionIs404Problem) {
  for (const std::string target :
       {"/standards/NOPE", "/standards/coco", "/standards/NOPE/requirements",
        "/standards/COCO/requirements?version=9.9"}) {
    const auto response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(BodyJson(Get("/standards/COCO/requirements?version=9.9")).at("code"),
            "version_not_found");
}

TEST_F(StandardsHttpTest, FiltersByLevel) {
  EXPECT_EQ(Count("COCO", "level=MUST"), 24);
  EXPECT_EQ(Count("COCO", "level=SHOULD"), 13);
  EXPECT_EQ(Count("COCO", "version=1.0"), 37);
  const auto items = BodyJson(Get("/standards/COCO/requirements?level=SHOULD")).at("items");
  for (const auto& item : items) EXPECT_EQ(item.at("level"), "SHOULD");
}

// DESIGN.md / issue table: (COCO, OFFSHORING, CRYPTOGRAPHY, SUPPLIER) per profile.
TEST_F(StandardsHttpTest, TheFiveProfilesGiveTheCountsOfTheTable) {
  const std::vector<std::pair<std::string, std::array<int, 4>>> table = {
      {"connects_to_network=true", {37, 0, 16, 12}},
      {"connects_to_network=true&offshore_activity=hosting", {36, 28, 16, 12}},
      {"connects_to_network=true&offshore_activity=development", {36, 30, 16, 12}},
      {"connects_to_network=true&hmg_crypto=true&operates_pki=true", {37, 0, 35, 12}},
      {"connects_to_network=false", {0, 0, 16, 12}},
  };
  const std::array<std::string, 4> keys = {"COCO", "OFFSHORING", "CRYPTOGRAPHY", "SUPPLIER"};
  for (const auto& [query, counts] : table) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      EXPECT_EQ(Count(keys[i], query), counts[i]) << keys[i] << " with " << query;
    }
  }
}

TEST_F(StandardsHttpTest, AStandardThatDoesNotApplySaysSo) {
  const auto body = BodyJson(Get("/standards/OFFSHORING/requirements?connects_to_network=true"));
  EXPECT_FALSE(body.at("standard_applies").get<bool>());
  EXPECT_TRUE(body.at("items").empty());
  EXPECT_EQ(body.at("profile").at("offshore").size(), 0u);
  const auto unfiltered = BodyJson(Get("/standards/OFFSHORING/requirements"));
  EXPECT_TRUE(unfiltered.at("profile").is_null());
  EXPECT_TRUE(unfiltered.at("standard_applies").get<bool>());
}

TEST_F(StandardsHttpTest, RequirementsCarryTheCatalogueFields) {
  const auto items = BodyJson(Get("/standards/CRYPTOGRAPHY/requirements")).at("items");
  const auto tls = std::find_if(items.begin(), items.end(),
                                [](const auto& item) { return item.at("id") == "CRYPTO-03"; });
  ASSERT_NE(tls, items.end());
  EXPECT_EQ(tls->at("level"), "MUST");
  EXPECT_EQ(tls->at("thresholds").at("tls_min_version"), "1.2");
  EXPECT_FALSE(tls->at("evidence_kinds").empty());
  const auto pki = std::find_if(items.begin(), items.end(),
                                [](const auto& item) { return item.at("id") == "CRYPTO-31"; });
  ASSERT_NE(pki, items.end());
  EXPECT_EQ(pki->at("applies_when"), "operates_pki");
}

TEST_F(StandardsHttpTest, BadQueriesAre422ProblemsNamingTheParameter) {
  for (const std::string query : {"level=MAYBE", "hmg_crypto=yes", "classification=SECRET",
                                  "offshore_activity=mining", "colour=blue"}) {
    const auto response = Get("/standards/COCO/requirements?" + query);
    EXPECT_EQ(response.status, 422) << query;
    const auto body = BodyJson(response);
    EXPECT_EQ(body.at("code"), "invalid_query");
    const std::string name = query.substr(0, query.find('='));
    EXPECT_EQ(body.at("errors")[0].at("pointer"), "query/" + name) << query;
  }
}

TEST_F(StandardsHttpTest, NeedsAToken) {
  for (const std::string target :
       {"/standards", "/standards/COCO", "/standards/COCO/requirements"}) {
    EXPECT_EQ(client_->Send("GET", target).status, 401) << target;
  }
}

// The CLI import refuses a bad catalogue folder with a message naming the place, writes nothing.
class CatalogueCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coco-catalogue-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(COCO_SOURCE_DIR) + "/standards")) {
      if (entry.path().extension() == ".json") std::filesystem::copy(entry.path(), dir_);
    }
    ASSERT_EQ(RunProgram({CocoBinary(), "migrate"}, Env()).exit_code, 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::map<std::string, std::string> Env() const { return {{"COCO_DATABASE_URL", db_.url()}}; }
  CocoServer::RunResult Import() const {
    return RunProgram({CocoBinary(), "catalogue", "import", dir_.string()}, Env());
  }
  void Write(const std::string& file, const std::string& text) const {
    std::ofstream(dir_ / file) << text;
  }
  nlohmann::json Read(const std::string& file) const {
    std::ifstream in(dir_ / file);
    return nlohmann::json::parse(in);
  }
  std::string Standards() const { return db_.QueryValue("SELECT count(*) FROM standards"); }

  TestDatabase db_;
  std::filesystem::path dir_;
};

TEST_F(CatalogueCliTest, ImportIsIdempotent) {
  const auto first = Import();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("imported COCO 1.0"), std::string::npos);
  const auto second = Import();
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.err.find("unchanged COCO 1.0"), std::string::npos);
  EXPECT_EQ(Standards(), "4");
}

TEST_F(CatalogueCliTest, MalformedJsonIsRefusedNamingTheFile) {
  Write("offshoring-1.0.json", "{\"key\": \"OFFSHORING\", ");
  const auto result = Import();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("offshoring-1.0.json"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("byte"), std::string::npos) << result.err;
  EXPECT_EQ(Standards(), "0");
}

TEST_F(CatalogueCliTest, ASchemaViolationIsRefusedNamingTheRequirement) {
  auto document = Read("coco-1.0.json");
  document["requirements"][4]["level"] = "MAYBE";
  Write("coco-1.0.json", document.dump(2));
  const auto result = Import();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("coco-1.0.json: COCO-05"), std::string::npos) << result.err;
  EXPECT_EQ(Standards(), "0");
}

TEST_F(CatalogueCliTest, ABadExpressionIsRefusedNamingRequirementAndPosition) {
  auto document = Read("cryptography-1.0.json");
  document["requirements"][20]["applies_when"] = "hmg_crypto && offshored";
  Write("cryptography-1.0.json", document.dump(2));
  const auto result = Import();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("CRYPTO-21 applies_when: at position 15: unknown field 'offshored'"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(Standards(), "0");
}

TEST_F(CatalogueCliTest, ATamperedPublishedVersionIsRefusedNamingIt) {
  ASSERT_EQ(Import().exit_code, 0);
  const std::string before = db_.QueryValue(
      "SELECT md5(string_agg(r::text, ',' ORDER BY standard_key, id)) FROM requirements r");
  auto document = Read("supplier-1.0.json");
  document["requirements"][0]["text"] = "Quietly reworded.";
  Write("supplier-1.0.json", document.dump(2));
  const auto result = Import();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("SUPPLIER 1.0"), std::string::npos) << result.err;
  EXPECT_EQ(
      db_.QueryValue(
          "SELECT md5(string_agg(r::text, ',' ORDER BY standard_key, id)) FROM requirements r"),
      before);
}

}  // namespace
}  // namespace coco::test
