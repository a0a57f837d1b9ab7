#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/catalogue_files.hpp"
#include "domain/common/error.hpp"
#include "domain/standard/standard.hpp"
#include "security/openssl_hasher.hpp"

namespace coco::app {
namespace {

using domain::Error;
using domain::EvidenceKind;
using domain::Level;
using domain::OffshoreActivity;
using domain::ScopeProfile;
using domain::Standard;
using domain::StandardKey;

std::filesystem::path ShippedFolder() {
  return std::filesystem::path(COCO_SOURCE_DIR) / "standards";
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped catalogue, loaded once for the data tests.
const std::vector<Standard>& Shipped() {
  static const std::vector<Standard> kStandards =
      LoadCatalogueDirectory(ShippedFolder(), security::OpensslHasher());
  return kStandards;
}

const Standard& ShippedStandard(StandardKey key) {
  for (const auto& standard : Shipped()) {
    if (standard.key == key) return standard;
  }
  throw std::runtime_error("the shipped catalogue has no " + std::string(domain::ToString(key)));
}

const std::vector<StandardKey> kKeys = {StandardKey::kCoco, StandardKey::kOffshoring,
                                        StandardKey::kCryptography, StandardKey::kSupplier};

TEST(CatalogueDataTest, ShipsVersionOneOfEachStandard) {
  ASSERT_EQ(Shipped().size(), 4u);
  std::set<StandardKey> keys;
  for (const auto& standard : Shipped()) {
    keys.insert(standard.key);
    EXPECT_EQ(standard.version, "1.0") << domain::ToString(standard.key);
    EXPECT_FALSE(standard.title.empty());
    EXPECT_GE(standard.review_interval_months, 1);
  }
  EXPECT_EQ(keys.size(), 4u);
}

TEST(CatalogueDataTest, RequirementCountsPerStandardAndLevel) {
  struct Expected {
    StandardKey key;
    std::size_t total;
    std::size_t must;
    std::size_t should;
  };
  const std::vector<Expected> table = {
      {StandardKey::kCoco, 37, 24, 13},
      {StandardKey::kOffshoring, 30, 28, 2},
      {StandardKey::kCryptography, 35, 32, 3},
      {StandardKey::kSupplier, 12, 12, 0},
  };
  std::size_t total = 0;
  for (const auto& row : table) {
    const Standard& standard = ShippedStandard(row.key);
    std::size_t must = 0;
    std::size_t should = 0;
    for (const auto& requirement : standard.requirements) {
      (requirement.level == Level::kMust ? must : should)++;
    }
    EXPECT_EQ(standard.requirements.size(), row.total) << domain::ToString(row.key);
    EXPECT_EQ(must, row.must) << domain::ToString(row.key);
    EXPECT_EQ(should, row.should) << domain::ToString(row.key);
    total += standard.requirements.size();
  }
  EXPECT_EQ(total, 114u);
}

TEST(CatalogueDataTest, IdsAreUniqueAcrossTheCatalogueAndInOrderWithinEachFile) {
  std::set<std::string> all;
  for (const auto& standard : Shipped()) {
    const std::string prefix = std::string(domain::RequirementPrefix(standard.key)) + "-";
    std::string previous;
    for (const auto& requirement : standard.requirements) {
      EXPECT_TRUE(all.insert(requirement.id).second) << requirement.id << " appears twice";
      EXPECT_EQ(requirement.id.rfind(prefix, 0), 0u) << requirement.id;
      EXPECT_LT(previous, requirement.id) << requirement.id << " is out of order";
      previous = requirement.id;
    }
  }
  EXPECT_EQ(all.size(), 114u);
}

TEST(CatalogueDataTest, EveryMustNamesRealEvidence) {
  for (const auto& standard : Shipped()) {
    for (const auto& requirement : standard.requirements) {
      if (requirement.level != Level::kMust) continue;
      EXPECT_FALSE(requirement.evidence_kinds.empty()) << requirement.id;
      bool has_specific = false;
      for (EvidenceKind kind : requirement.evidence_kinds) {
        has_specific = has_specific || kind != EvidenceKind::kOther;
      }
      EXPECT_TRUE(has_specific) << requirement.id << " has only 'other'";
    }
  }
}

TEST(CatalogueDataTest, EveryStandardAndRequirementCitesADatedSource) {
  for (const auto& standard : Shipped()) {
    EXPECT_FALSE(standard.source.document.empty()) << domain::ToString(standard.key);
    EXPECT_FALSE(standard.source.date.empty()) << domain::ToString(standard.key);
    for (const auto& requirement : standard.requirements) {
      EXPECT_FALSE(requirement.source.document.empty()) << requirement.id;
      EXPECT_FALSE(requirement.source.date.empty()) << requirement.id;
      EXPECT_FALSE(requirement.title.empty()) << requirement.id;
      EXPECT_FALSE(requirement.text.empty()) << requirement.id;
    }
  }
}

TEST(CatalogueDataTest, OnlyTheAgreedStandardsAndRequirementsHaveAnAppliesWhen) {
  const std::map<StandardKey, std::string> standard_level = {
      {StandardKey::kCoco, "connects_to_network"},
      {StandardKey::kOffshoring, "offshore"},
      {StandardKey::kCryptography, ""},
      {StandardKey::kSupplier, ""},
  };
  std::map<std::string, std::string> expected = {
      {"COCO-23", "!offshore"},
      {"OFF-20", "offshore_activity(development)"},
      {"OFF-21", "offshore_activity(development)"},
  };
  for (int n = 17; n <= 29; ++n) expected["CRYPTO-" + std::to_string(n)] = "hmg_crypto";
  for (int n = 30; n <= 35; ++n) expected["CRYPTO-" + std::to_string(n)] = "operates_pki";

  std::map<std::string, std::string> actual;
  for (const auto& standard : Shipped()) {
    EXPECT_EQ(standard.applies_when.text(), standard_level.at(standard.key))
        << domain::ToString(standard.key);
    for (const auto& requirement : standard.requirements) {
      if (!requirement.applies_when.text().empty()) {
        actual[requirement.id] = requirement.applies_when.text();
      }
    }
  }
  EXPECT_EQ(actual, expected);
}

ScopeProfile Profile(bool connects, std::vector<OffshoreActivity> offshore, bool hmg_crypto,
                     bool operates_pki) {
  ScopeProfile profile;
  profile.connects_to_network = connects;
  for (OffshoreActivity activity : offshore) profile.offshore.push_back({"IN", activity});
  profile.hmg_crypto = hmg_crypto;
  profile.operates_pki = operates_pki;
  return profile;
}

TEST(CatalogueDataTest, ApplicabilityProfilesGiveTheAgreedCounts) {
  struct Case {
    const char* name;
    ScopeProfile profile;
    std::map<StandardKey, std::size_t> expected;
  };
  const std::vector<Case> cases = {
      {"UK only, connects, no HMG crypto, no PKI",
       Profile(true, {}, false, false),
       {{StandardKey::kCoco, 37},
        {StandardKey::kOffshoring, 0},
        {StandardKey::kCryptography, 16},
        {StandardKey::kSupplier, 12}}},
      {"offshore hosting (IN), connects",
       Profile(true, {OffshoreActivity::kHosting}, false, false),
       {{StandardKey::kCoco, 36},
        {StandardKey::kOffshoring, 28},
        {StandardKey::kCryptography, 16},
        {StandardKey::kSupplier, 12}}},
      {"offshore development (IN), connects",
       Profile(true, {OffshoreActivity::kDevelopment}, false, false),
       {{StandardKey::kCoco, 36},
        {StandardKey::kOffshoring, 30},
        {StandardKey::kCryptography, 16},
        {StandardKey::kSupplier, 12}}},
      {"UK only, connects, HMG crypto and PKI",
       Profile(true, {}, true, true),
       {{StandardKey::kCoco, 37},
        {StandardKey::kOffshoring, 0},
        {StandardKey::kCryptography, 35},
        {StandardKey::kSupplier, 12}}},
      {"UK only, does not connect",
       Profile(false, {}, false, false),
       {{StandardKey::kCoco, 0},
        {StandardKey::kOffshoring, 0},
        {StandardKey::kCryptography, 16},
        {StandardKey::kSupplier, 12}}},
  };
  for (const auto& c : cases) {
    std::map<StandardKey, std::size_t> actual;
    for (const auto& standard : Shipped()) {
      actual[standard.key] = domain::ApplicableRequirements(standard, c.profile).size();
    }
    EXPECT_EQ(actual, c.expected) << c.name;
  }
}

TEST(CatalogueDataTest, ReloadingGivesTheSameHashesAndEachFileHasItsOwn) {
  const std::vector<Standard> again =
      LoadCatalogueDirectory(ShippedFolder(), security::OpensslHasher());
  ASSERT_EQ(again.size(), Shipped().size());
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].key, Shipped()[i].key);
    EXPECT_EQ(again[i].content_sha256, Shipped()[i].content_sha256);
    EXPECT_EQ(again[i].content_sha256.size(), 64u);
    EXPECT_EQ(again[i].content_sha256.find_first_not_of("0123456789abcdef"), std::string::npos);
    hashes.insert(again[i].content_sha256);
  }
  EXPECT_EQ(hashes.size(), again.size());
}

TEST(CatalogueDataTest, ReindentingAShippedFileKeepsItsHash) {
  const std::filesystem::path path = ShippedFolder() / "coco-1.0.json";
  const std::string reindented = nlohmann::json::parse(ReadText(path)).dump(7);
  const Standard standard =
      ParseCatalogueFile("coco-1.0.json", reindented, security::OpensslHasher());
  EXPECT_EQ(standard.content_sha256, ShippedStandard(StandardKey::kCoco).content_sha256);
}

// A small valid catalogue file.
nlohmann::json MinimalFile() {
  return nlohmann::json::parse(R"({
    "key": "SUPPLIER",
    "version": "1.0",
    "title": "Supplier policy",
    "source": {"document": "Policy", "date": "2020"},
    "review_interval_months": 12,
    "requirements": [
      {"id": "SUP-01", "title": "One", "text": "Do one.", "level": "MUST",
       "evidence_kinds": ["policy"], "source": {"document": "Policy", "clause": "1", "date": "2020"}},
      {"id": "SUP-02", "title": "Two", "text": "Do two.", "level": "SHOULD",
       "evidence_kinds": [], "source": {"document": "Policy", "date": "2020"}}
    ]
  })");
}

// The error ParseCatalogueFile throws for `text`; fails the test if it accepts it.
Error ParseError(const std::string& name, const std::string& text) {
  try {
    ParseCatalogueFile(name, text, security::OpensslHasher());
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "accepted " << name;
  return domain::Internal("accepted");
}

std::string DetailLines(const Error& error) {
  std::string lines;
  for (const auto& detail : error.details()) {
    lines += detail.field + " | " + detail.code + " | " + detail.detail + "\n";
  }
  return lines;
}

void ExpectCatalogueError(const Error& error) {
  EXPECT_EQ(error.kind(), domain::ErrorKind::kInvalidArgument);
  EXPECT_EQ(error.code(), "invalid_catalogue");
}

TEST(CatalogueFilesTest, ParsesAMinimalFile) {
  const Standard standard =
      ParseCatalogueFile("minimal.json", MinimalFile().dump(), security::OpensslHasher());
  EXPECT_EQ(standard.key, StandardKey::kSupplier);
  EXPECT_EQ(standard.version, "1.0");
  ASSERT_EQ(standard.requirements.size(), 2u);
  EXPECT_EQ(standard.requirements[0].id, "SUP-01");
  EXPECT_EQ(standard.requirements[0].source.clause, "1");
  EXPECT_EQ(standard.requirements[1].source.clause, "");
  EXPECT_EQ(standard.requirements[1].level, Level::kShould);
  EXPECT_EQ(standard.requirements[0].thresholds_json, "{}");
  EXPECT_EQ(standard.applies_when.text(), "");
}

TEST(CatalogueFilesTest, MalformedJsonNamesTheFileAndBytePosition) {
  // The parser stops at the second string, which ends at byte 24.
  const Error error = ParseError("broken.json", R"({"key": "COCO" "version": "1.0"})");
  ExpectCatalogueError(error);
  ASSERT_EQ(error.details().size(), 1u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].field, "broken.json");
  EXPECT_EQ(error.details()[0].code, "malformed_json");
  EXPECT_EQ(error.details()[0].detail, "not valid JSON at byte 24");
  EXPECT_NE(error.message().find("broken.json"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("byte 24"), std::string::npos) << error.message();

  const Error empty = ParseError("empty.json", "");
  ExpectCatalogueError(empty);
  ASSERT_EQ(empty.details().size(), 1u);
  EXPECT_EQ(empty.details()[0].code, "malformed_json");
}

// Found by fuzz/catalogue_fuzzer: nlohmann throws out_of_range, not parse_error, for "1e400".
TEST(CatalogueFilesTest, ANumberOutOfRangeIsMalformedJson) {
  const Error error = ParseError("huge.json", R"({"review_interval_months": 1e400})");
  ExpectCatalogueError(error);
  ASSERT_EQ(error.details().size(), 1u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].code, "malformed_json");
}

TEST(CatalogueFilesTest, SchemaViolationNamesTheFileAndRequirement) {
  nlohmann::json document = nlohmann::json::parse(ReadText(ShippedFolder() / "coco-1.0.json"));
  ASSERT_EQ(document["requirements"][4]["id"], "COCO-05");
  document["requirements"][4]["level"] = "MAYBE";
  const Error error = ParseError("coco-1.0.json", document.dump(2));
  ExpectCatalogueError(error);
  ASSERT_FALSE(error.details().empty());
  for (const auto& detail : error.details()) EXPECT_EQ(detail.code, "schema_violation");
  // Only the offending value is reported, not every object that encloses it.
  EXPECT_EQ(error.details().size(), 1u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].field, "coco-1.0.json: COCO-05 level") << DetailLines(error);
  EXPECT_EQ(error.details()[0].detail.rfind("/requirements/4/level: ", 0), 0u)
      << DetailLines(error);
  EXPECT_NE(error.message().find("coco-1.0.json: COCO-05 level"), std::string::npos)
      << error.message();
}

TEST(CatalogueFilesTest, UnknownPropertiesAreRefused) {
  nlohmann::json top = MinimalFile();
  top["colour"] = "red";
  const Error top_error = ParseError("top.json", top.dump());
  ExpectCatalogueError(top_error);
  ASSERT_EQ(top_error.details().size(), 1u) << DetailLines(top_error);
  EXPECT_EQ(top_error.details()[0].field, "top.json: /");
  EXPECT_EQ(top_error.details()[0].code, "schema_violation");
  EXPECT_NE(top_error.details()[0].detail.find("'colour'"), std::string::npos)
      << DetailLines(top_error);

  nlohmann::json inner = MinimalFile();
  inner["requirements"][1]["severity"] = "high";
  const Error inner_error = ParseError("inner.json", inner.dump());
  ExpectCatalogueError(inner_error);
  ASSERT_FALSE(inner_error.details().empty());
  EXPECT_EQ(inner_error.details()[0].field, "inner.json: SUP-02") << DetailLines(inner_error);
  EXPECT_EQ(inner_error.details()[0].code, "schema_violation");
  EXPECT_NE(inner_error.details()[0].detail.find("'severity'"), std::string::npos)
      << DetailLines(inner_error);
}

TEST(CatalogueFilesTest, BadExpressionNamesFileRequirementAndPosition) {
  nlohmann::json document = MinimalFile();
  document["requirements"][1]["applies_when"] = "!offshor";
  const Error error = ParseError("supplier-9.0.json", document.dump());
  ExpectCatalogueError(error);
  ASSERT_EQ(error.details().size(), 1u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].field, "supplier-9.0.json: SUP-02 applies_when");
  EXPECT_EQ(error.details()[0].code, "invalid_expression");
  EXPECT_EQ(error.details()[0].detail, "at position 2: unknown field 'offshor'");
  EXPECT_NE(error.message().find("SUP-02"), std::string::npos) << error.message();

  nlohmann::json standard_level = MinimalFile();
  standard_level["applies_when"] = "offshore &&";
  const Error standard_error = ParseError("s.json", standard_level.dump());
  ExpectCatalogueError(standard_error);
  ASSERT_EQ(standard_error.details().size(), 1u) << DetailLines(standard_error);
  EXPECT_EQ(standard_error.details()[0].field, "s.json: applies_when");
  EXPECT_NE(standard_error.details()[0].detail.find("at position 12"), std::string::npos);
}

TEST(CatalogueFilesTest, ReportsEveryBadExpressionInAFile) {
  nlohmann::json document = MinimalFile();
  document["applies_when"] = "$";
  document["requirements"][0]["applies_when"] = "classification == SECRET";
  document["requirements"][1]["applies_when"] = "offshore_activity(mining)";
  const Error error = ParseError("many.json", document.dump());
  ExpectCatalogueError(error);
  EXPECT_EQ(error.details().size(), 3u) << DetailLines(error);
  EXPECT_NE(error.message().find("(and 2 more)"), std::string::npos) << error.message();
}

TEST(CatalogueFilesTest, CatalogueRulesAreApplied) {
  struct Case {
    const char* name;
    nlohmann::json document;
    std::string pointer;
    std::string code;
  };
  nlohmann::json only_other = MinimalFile();
  only_other["requirements"][0]["evidence_kinds"] = {"other"};
  nlohmann::json no_evidence = MinimalFile();
  no_evidence["requirements"][0]["evidence_kinds"] = nlohmann::json::array();
  nlohmann::json wrong_prefix = MinimalFile();
  wrong_prefix["requirements"][1]["id"] = "COCO-02";
  nlohmann::json duplicate = MinimalFile();
  duplicate["requirements"][1]["id"] = "SUP-01";
  const std::vector<Case> cases = {
      {"only other", only_other, "f.json: SUP-01", "other_alone"},
      {"no evidence", no_evidence, "f.json: SUP-01", "evidence_required"},
      {"wrong prefix", wrong_prefix, "f.json: COCO-02", "wrong_prefix"},
      {"duplicate id", duplicate, "f.json: SUP-01", "duplicate_id"},
  };
  for (const auto& c : cases) {
    const Error error = ParseError("f.json", c.document.dump());
    ExpectCatalogueError(error);
    ASSERT_EQ(error.details().size(), 1u) << c.name << "\n" << DetailLines(error);
    EXPECT_EQ(error.details()[0].field, c.pointer) << c.name;
    EXPECT_EQ(error.details()[0].code, c.code) << c.name;
  }
}

TEST(CatalogueFilesTest, FormattingDoesNotChangeTheHashButContentDoes) {
  const security::OpensslHasher hasher;
  const nlohmann::json document = MinimalFile();
  const std::string compact = ParseCatalogueFile("a.json", document.dump(), hasher).content_sha256;
  EXPECT_EQ(ParseCatalogueFile("a.json", document.dump(4), hasher).content_sha256, compact);
  EXPECT_EQ(
      ParseCatalogueFile("b.json", "\n\n" + document.dump(1, '\t') + "\n", hasher).content_sha256,
      compact);

  nlohmann::json with_schema = document;
  with_schema["$schema"] = "./schema.json";
  EXPECT_EQ(ParseCatalogueFile("a.json", with_schema.dump(2), hasher).content_sha256, compact);

  nlohmann::json retitled = document;
  retitled["title"] = "Supplier policy, revised";
  EXPECT_NE(ParseCatalogueFile("a.json", retitled.dump(), hasher).content_sha256, compact);

  nlohmann::json reworded = document;
  reworded["requirements"][1]["text"] = "Do two, carefully.";
  EXPECT_NE(ParseCatalogueFile("a.json", reworded.dump(), hasher).content_sha256, compact);
}

// A folder under the system temp directory, removed with everything in it at the end of the test.
class TempFolder {
 public:
  TempFolder() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("coco_catalogue_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream out(path_ / name, std::ios::binary);
    out << text;
  }

 private:
  std::filesystem::path path_;
};

Error LoadError(const std::filesystem::path& dir) {
  try {
    LoadCatalogueDirectory(dir, security::OpensslHasher());
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "loaded " << dir;
  return domain::Internal("loaded");
}

TEST(CatalogueDirectoryTest, LoadsJsonFilesOnlyAndSkipsTheSchema) {
  TempFolder folder;
  folder.Write("supplier-1.0.json", MinimalFile().dump());
  folder.Write("schema.json", "{ this is not a catalogue file");
  folder.Write("README.md", "not json");
  folder.Write("notes.json.bak", "{");
  const auto standards = LoadCatalogueDirectory(folder.path(), security::OpensslHasher());
  ASSERT_EQ(standards.size(), 1u);
  EXPECT_EQ(standards[0].key, StandardKey::kSupplier);
}

TEST(CatalogueDirectoryTest, TwoFilesForTheSameKeyAndVersionAreRefused) {
  TempFolder folder;
  folder.Write("a.json", MinimalFile().dump());
  nlohmann::json same_version = MinimalFile();
  same_version["title"] = "Another title";
  folder.Write("b.json", same_version.dump());
  nlohmann::json other_version = MinimalFile();
  other_version["version"] = "1.1";
  folder.Write("c.json", other_version.dump());

  const Error error = LoadError(folder.path());
  ExpectCatalogueError(error);
  ASSERT_EQ(error.details().size(), 1u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].code, "duplicate_version");
  EXPECT_EQ(error.details()[0].field, (folder.path() / "b.json").string());
  EXPECT_NE(error.details()[0].detail.find("SUPPLIER 1.0"), std::string::npos);
  EXPECT_NE(error.details()[0].detail.find((folder.path() / "a.json").string()), std::string::npos)
      << DetailLines(error);
}

TEST(CatalogueDirectoryTest, ReportsProblemsFromEveryFileAtOnce) {
  TempFolder folder;
  folder.Write("a.json", "{");
  folder.Write("b.json", MinimalFile().dump());
  nlohmann::json bad = MinimalFile();
  bad["version"] = "2.0";
  bad["requirements"][0]["applies_when"] = "offshored";
  folder.Write("c.json", bad.dump());

  const Error error = LoadError(folder.path());
  ExpectCatalogueError(error);
  ASSERT_EQ(error.details().size(), 2u) << DetailLines(error);
  EXPECT_EQ(error.details()[0].field, (folder.path() / "a.json").string());
  EXPECT_EQ(error.details()[0].code, "malformed_json");
  EXPECT_EQ(error.details()[1].field,
            (folder.path() / "c.json").string() + ": SUP-01 applies_when");
  EXPECT_EQ(error.details()[1].detail, "at position 1: unknown field 'offshored'");
}

TEST(CatalogueDirectoryTest, AnEmptyFolderIsRefused) {
  TempFolder folder;
  ExpectCatalogueError(LoadError(folder.path()));
  folder.Write("schema.json", ReadText(ShippedFolder() / "schema.json"));
  folder.Write("notes.txt", "nothing here");
  const Error error = LoadError(folder.path());
  ExpectCatalogueError(error);
  EXPECT_NE(error.message().find("no catalogue files"), std::string::npos) << error.message();
  ASSERT_EQ(error.details().size(), 1u);
  EXPECT_EQ(error.details()[0].code, "empty");
}

TEST(CatalogueDirectoryTest, AMissingFolderIsRefused) {
  std::filesystem::path missing;
  {
    TempFolder folder;
    missing = folder.path() / "does-not-exist";
  }
  const Error error = LoadError(missing);
  ExpectCatalogueError(error);
  EXPECT_NE(error.message().find("is not a folder"), std::string::npos) << error.message();
  ASSERT_EQ(error.details().size(), 1u);
  EXPECT_EQ(error.details()[0].code, "not_a_folder");

  TempFolder folder;
  folder.Write("file.json", MinimalFile().dump());
  ExpectCatalogueError(LoadError(folder.path() / "file.json"));
}

}  // namespace
}  // namespace coco::app
