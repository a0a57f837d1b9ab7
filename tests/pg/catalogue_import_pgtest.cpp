#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/catalogue_files.hpp"
#include "domain/common/error.hpp"
#include "domain/standard/catalogue.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/shipped.hpp"
#include "tests/support/test_database.hpp"

namespace coco::persistence {
namespace {

nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

class CatalogueImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Migrate();
    pool_ = std::make_unique<ConnectionPool>(PoolOptions{database_.url(), 2});
    repository_ = std::make_unique<PgCatalogueRepository>(*pool_);
  }

  std::vector<domain::Standard> Shipped() const {
    return app::LoadCatalogueDirectory(test::ShippedStandards(), hasher_);
  }
  domain::Standard FromJson(const nlohmann::json& document) const {
    return app::ParseCatalogueFile("test.json", document.dump(2), hasher_);
  }
  std::string Count(const std::string& table) const {
    return database_.QueryValue("SELECT count(*) FROM " + table);
  }
  std::string Snapshot() const {
    return database_.QueryValue(
               "SELECT md5(string_agg(s::text, ',' ORDER BY key, version)) FROM standards s") +
           database_.QueryValue(
               "SELECT md5(string_agg(r::text, ',' ORDER BY standard_key, standard_version, id)) "
               "FROM requirements r");
  }

  security::OpensslHasher hasher_;
  test::TestDatabase database_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<PgCatalogueRepository> repository_;
};

TEST_F(CatalogueImportTest, ImportsTheShippedCatalogue) {
  const auto report = repository_->Import(Shipped());
  EXPECT_EQ(report.added.size(), 4u);
  EXPECT_TRUE(report.unchanged.empty());
  EXPECT_EQ(Count("standards"), "4");
  EXPECT_EQ(Count("requirements"), "114");
}

TEST_F(CatalogueImportTest, ReimportingTheSameVersionChangesNothing) {
  repository_->Import(Shipped());
  const std::string before = Snapshot();
  const auto report = repository_->Import(Shipped());
  EXPECT_TRUE(report.added.empty());
  EXPECT_EQ(report.unchanged.size(), 4u);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(CatalogueImportTest, ANewVersionIsAddedBesideTheOld) {
  repository_->Import(Shipped());
  auto document = ReadJson(test::ShippedStandards() / "coco-1.0.json");
  document["version"] = "1.1";
  document["requirements"][0]["title"] = "A signed Code of Connection exists (revised)";
  repository_->Import({FromJson(document)});

  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM standards WHERE key = 'COCO'"), "2");
  domain::Catalogue catalogue(*repository_);
  EXPECT_EQ(catalogue.Latest(domain::StandardKey::kCoco)->version, "1.1");
  EXPECT_EQ(catalogue.Get(domain::StandardKey::kCoco, "1.0")->requirements[0].title,
            ReadJson(test::ShippedStandards() / "coco-1.0.json")["requirements"][0]["title"]);
  EXPECT_EQ(catalogue.Get(domain::StandardKey::kCoco, "1.1")->requirements[0].title,
            "A signed Code of Connection exists (revised)");
  EXPECT_EQ(catalogue.Versions(domain::StandardKey::kCoco).size(), 2u);
}

TEST_F(CatalogueImportTest, AChangedFileUnderAnImportedVersionIsRefusedAndNothingIsWritten) {
  repository_->Import(Shipped());
  const std::string before = Snapshot();

  auto tampered = ReadJson(test::ShippedStandards() / "supplier-1.0.json");
  tampered["requirements"][3]["level"] = "SHOULD";
  auto brand_new = ReadJson(test::ShippedStandards() / "coco-1.0.json");
  brand_new["version"] = "2.0";
  try {
    // The new version comes first: it must be rolled back with the rest.
    repository_->Import({FromJson(brand_new), FromJson(tampered)});
    FAIL() << "a changed published version was accepted";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), "catalogue_version_changed");
    EXPECT_NE(error.message().find("SUPPLIER 1.0"), std::string::npos) << error.message();
  }
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM standards WHERE version = '2.0'"), "0");
}

TEST_F(CatalogueImportTest, LoadsBackWhatWasImported) {
  const auto shipped = Shipped();
  repository_->Import(shipped);
  for (const auto& original : shipped) {
    const auto loaded = repository_->Load(original.key, original.version);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->title, original.title);
    EXPECT_EQ(loaded->content_sha256, original.content_sha256);
    EXPECT_EQ(loaded->applies_when.text(), original.applies_when.text());
    EXPECT_EQ(loaded->source, original.source);
    ASSERT_EQ(loaded->requirements.size(), original.requirements.size());
    for (std::size_t i = 0; i < original.requirements.size(); ++i) {
      const auto& a = original.requirements[i];
      const auto& b = loaded->requirements[i];
      EXPECT_EQ(b.id, a.id);
      EXPECT_EQ(b.text, a.text);
      EXPECT_EQ(b.level, a.level);
      EXPECT_EQ(b.evidence_kinds, a.evidence_kinds);
      EXPECT_EQ(b.source, a.source);
      EXPECT_EQ(b.legacy, a.legacy);
      EXPECT_EQ(nlohmann::json::parse(b.thresholds_json), nlohmann::json::parse(a.thresholds_json));
      EXPECT_EQ(b.applies_when.text(), a.applies_when.text());
      EXPECT_EQ(b.notes, a.notes);
    }
  }
  EXPECT_FALSE(repository_->Load(domain::StandardKey::kCoco, "9.9").has_value());
}

TEST_F(CatalogueImportTest, ListsVersionsWithCountsByLevel) {
  repository_->Import(Shipped());
  domain::Catalogue catalogue(*repository_);
  int total = 0;
  for (const auto& info : catalogue.Versions()) {
    total += info.must_count + info.should_count;
    EXPECT_FALSE(info.imported_at.empty());
  }
  EXPECT_EQ(total, 114);
  try {
    catalogue.Get(domain::StandardKey::kOffshoring, "7.0");
    FAIL();
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), "version_not_found");
  }
}

}  // namespace
}  // namespace coco::persistence
