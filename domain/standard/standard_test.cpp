#include "domain/standard/standard.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

Requirement Req(std::string id, Level level = Level::kMust,
                std::vector<EvidenceKind> kinds = {EvidenceKind::kPolicy},
                std::string applies_when = "") {
  Requirement requirement;
  requirement.id = std::move(id);
  requirement.title = "title of " + requirement.id;
  requirement.text = "text of " + requirement.id;
  requirement.level = level;
  requirement.evidence_kinds = std::move(kinds);
  requirement.source = {"Some standard", "", "May 2015"};
  requirement.thresholds_json = "{}";
  if (!applies_when.empty()) requirement.applies_when = AppliesWhen::Parse(applies_when);
  return requirement;
}

Standard Std(StandardKey key, std::vector<Requirement> requirements,
             std::string applies_when = "") {
  Standard standard;
  standard.key = key;
  standard.version = "1.0";
  standard.title = "A standard";
  standard.source = {"Some standard", "", "May 2015"};
  standard.requirements = std::move(requirements);
  if (!applies_when.empty()) standard.applies_when = AppliesWhen::Parse(applies_when);
  return standard;
}

std::vector<std::string> Ids(const std::vector<const Requirement*>& requirements) {
  std::vector<std::string> ids;
  for (const Requirement* requirement : requirements) ids.push_back(requirement->id);
  return ids;
}

ScopeProfile OffshoreDevelopment() {
  ScopeProfile profile;
  profile.connects_to_network = true;
  profile.offshore = {{"IN", OffshoreActivity::kDevelopment}};
  return profile;
}

TEST(ApplicableRequirementsTest, NoneWhenTheStandardItselfDoesNotApply) {
  const Standard standard =
      Std(StandardKey::kOffshoring, {Req("OFF-01"), Req("OFF-02")}, "offshore");
  EXPECT_TRUE(ApplicableRequirements(standard, ScopeProfile{}).empty());
  EXPECT_FALSE(standard.AppliesTo(ScopeProfile{}));
  EXPECT_TRUE(standard.AppliesTo(OffshoreDevelopment()));
  EXPECT_EQ(Ids(ApplicableRequirements(standard, OffshoreDevelopment())),
            (std::vector<std::string>{"OFF-01", "OFF-02"}));
}

TEST(ApplicableRequirementsTest, FiltersEachRequirementAndKeepsCatalogueOrder) {
  const Standard standard =
      Std(StandardKey::kCryptography,
          {Req("CRYPTO-01"), Req("CRYPTO-02", Level::kMust, {EvidenceKind::kPolicy}, "hmg_crypto"),
           Req("CRYPTO-03"), Req("CRYPTO-04", Level::kShould, {}, "operates_pki"),
           Req("CRYPTO-05", Level::kMust, {EvidenceKind::kPolicy}, "hmg_crypto || operates_pki"),
           Req("CRYPTO-06")});
  struct Case {
    bool hmg_crypto;
    bool operates_pki;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {false, false, {"CRYPTO-01", "CRYPTO-03", "CRYPTO-06"}},
      {true, false, {"CRYPTO-01", "CRYPTO-02", "CRYPTO-03", "CRYPTO-05", "CRYPTO-06"}},
      {false, true, {"CRYPTO-01", "CRYPTO-03", "CRYPTO-04", "CRYPTO-05", "CRYPTO-06"}},
      {true, true, {"CRYPTO-01", "CRYPTO-02", "CRYPTO-03", "CRYPTO-04", "CRYPTO-05", "CRYPTO-06"}},
  };
  for (const auto& c : cases) {
    ScopeProfile profile;
    profile.hmg_crypto = c.hmg_crypto;
    profile.operates_pki = c.operates_pki;
    EXPECT_EQ(Ids(ApplicableRequirements(standard, profile)), c.expected)
        << "hmg_crypto=" << c.hmg_crypto << " operates_pki=" << c.operates_pki;
  }
}

TEST(ApplicableRequirementsTest, PointsIntoTheStandard) {
  const Standard standard =
      Std(StandardKey::kCoco,
          {Req("COCO-01"), Req("COCO-02", Level::kMust, {EvidenceKind::kPolicy}, "!offshore")},
          "connects_to_network");
  ScopeProfile profile;
  profile.connects_to_network = true;
  const auto applicable = ApplicableRequirements(standard, profile);
  ASSERT_EQ(applicable.size(), 2u);
  EXPECT_EQ(applicable[0], &standard.requirements[0]);
  EXPECT_EQ(applicable[1], &standard.requirements[1]);
  EXPECT_EQ(Ids(ApplicableRequirements(standard, OffshoreDevelopment())),
            (std::vector<std::string>{"COCO-01"}));
}

TEST(StandardTest, FindsRequirementsById) {
  const Standard standard = Std(StandardKey::kSupplier, {Req("SUP-01"), Req("SUP-02")});
  ASSERT_NE(standard.Find("SUP-02"), nullptr);
  EXPECT_EQ(standard.Find("SUP-02"), &standard.requirements[1]);
  EXPECT_EQ(standard.Find("SUP-03"), nullptr);
  EXPECT_EQ(standard.Find("sup-01"), nullptr);
  EXPECT_EQ(standard.Find(""), nullptr);
}

// The details of the error ValidateStandard throws, as "pointer code" lines; empty if it accepts.
std::vector<std::string> Problems(const Standard& standard) {
  try {
    ValidateStandard(standard);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(error.code(), "invalid_catalogue");
    EXPECT_FALSE(error.details().empty());
    std::vector<std::string> lines;
    for (const auto& detail : error.details()) {
      EXPECT_FALSE(detail.detail.empty()) << detail.field;
      lines.push_back(detail.field + " " + detail.code);
    }
    return lines;
  }
  return {};
}

TEST(ValidateStandardTest, AcceptsAWellFormedStandard) {
  const Standard standard = Std(
      StandardKey::kCoco,
      {Req("COCO-01"),
       Req("COCO-02", Level::kMust, {EvidenceKind::kSignedCodeOfConnection, EvidenceKind::kOther}),
       Req("COCO-03", Level::kShould, {}), Req("COCO-04", Level::kShould, {EvidenceKind::kOther})});
  EXPECT_NO_THROW(ValidateStandard(standard));
}

TEST(ValidateStandardTest, CatchesEachRuleOnItsOwn) {
  struct Case {
    const char* name;
    Standard standard;
    std::vector<std::string> expected;
  };
  Standard zero_interval = Std(StandardKey::kSupplier, {Req("SUP-01")});
  zero_interval.review_interval_months = 0;
  const std::vector<Case> cases = {
      {"wrong prefix",
       Std(StandardKey::kCoco, {Req("COCO-01"), Req("OFF-02")}),
       {"OFF-02 wrong_prefix"}},
      {"prefix without dash",
       Std(StandardKey::kCryptography, {Req("CRYPTO01")}),
       {"CRYPTO01 wrong_prefix"}},
      {"longer prefix", Std(StandardKey::kCoco, {Req("COCOA-01")}), {"COCOA-01 wrong_prefix"}},
      {"offshoring uses OFF",
       Std(StandardKey::kOffshoring, {Req("OFFSHORING-01")}),
       {"OFFSHORING-01 wrong_prefix"}},
      {"duplicate id",
       Std(StandardKey::kSupplier, {Req("SUP-01"), Req("SUP-02"), Req("SUP-01")}),
       {"SUP-01 duplicate_id"}},
      {"MUST without evidence",
       Std(StandardKey::kSupplier, {Req("SUP-01", Level::kMust, {})}),
       {"SUP-01 evidence_required"}},
      {"MUST with only other",
       Std(StandardKey::kSupplier, {Req("SUP-01", Level::kMust, {EvidenceKind::kOther})}),
       {"SUP-01 other_alone"}},
      {"review interval", zero_interval, {"review_interval_months invalid"}},
      {"no requirements", Std(StandardKey::kSupplier, {}), {"requirements empty"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Problems(c.standard), c.expected) << c.name;
  }
}

TEST(ValidateStandardTest, AcceptsShouldWithoutEvidenceOrWithOnlyOther) {
  EXPECT_NO_THROW(
      ValidateStandard(Std(StandardKey::kSupplier, {Req("SUP-01", Level::kShould, {})})));
  EXPECT_NO_THROW(ValidateStandard(
      Std(StandardKey::kSupplier, {Req("SUP-01", Level::kShould, {EvidenceKind::kOther})})));
}

TEST(ValidateStandardTest, ListsEveryProblemAtOnce) {
  Standard standard =
      Std(StandardKey::kOffshoring,
          {Req("OFF-01"), Req("COCO-02"), Req("OFF-01"), Req("OFF-03", Level::kMust, {}),
           Req("OFF-04", Level::kMust, {EvidenceKind::kOther}), Req("OFF-05", Level::kShould, {})});
  standard.review_interval_months = -1;
  try {
    ValidateStandard(standard);
    ADD_FAILURE() << "accepted a standard with five problems";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "invalid_catalogue");
    EXPECT_EQ(error.message(), "OFFSHORING 1.0 breaks the catalogue rules");
    ASSERT_EQ(error.details().size(), 5u);
    std::set<std::string> lines;
    for (const auto& detail : error.details()) lines.insert(detail.field + " " + detail.code);
    EXPECT_EQ(lines, (std::set<std::string>{"review_interval_months invalid",
                                            "COCO-02 wrong_prefix", "OFF-01 duplicate_id",
                                            "OFF-03 evidence_required", "OFF-04 other_alone"}));
  }
}

TEST(CompareVersionsTest, ComparesNumericallyComponentByComponent) {
  struct Case {
    const char* a;
    const char* b;
    int expected;
  };
  const std::vector<Case> cases = {
      {"1.9", "1.10", -1}, {"1.10", "1.9", 1}, {"2.0", "1.99", 1},
      {"1.99", "2.0", -1}, {"1.0", "1.0", 0},  {"10.0", "9.9", 1},
      {"1.0", "1.1", -1},  {"0.9", "1.0", -1}, {"12.34", "12.34", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CompareVersions(c.a, c.b), c.expected) << c.a << " vs " << c.b;
  }
}

TEST(StandardNamesTest, StandardKeysRoundTrip) {
  const std::vector<std::pair<StandardKey, std::string>> keys = {
      {StandardKey::kCoco, "COCO"},
      {StandardKey::kOffshoring, "OFFSHORING"},
      {StandardKey::kCryptography, "CRYPTOGRAPHY"},
      {StandardKey::kSupplier, "SUPPLIER"},
  };
  for (const auto& [key, name] : keys) {
    EXPECT_EQ(ToString(key), name);
    EXPECT_EQ(TryParseStandardKey(name), key) << name;
  }
  for (const char* bad : {"", "coco", "OFF", "CRYPTO", "SUP", "COCO "}) {
    EXPECT_FALSE(TryParseStandardKey(bad).has_value()) << bad;
  }
}

TEST(StandardNamesTest, RequirementPrefixes) {
  EXPECT_EQ(RequirementPrefix(StandardKey::kCoco), "COCO");
  EXPECT_EQ(RequirementPrefix(StandardKey::kOffshoring), "OFF");
  EXPECT_EQ(RequirementPrefix(StandardKey::kCryptography), "CRYPTO");
  EXPECT_EQ(RequirementPrefix(StandardKey::kSupplier), "SUP");
}

TEST(StandardNamesTest, LevelsRoundTrip) {
  for (Level level : {Level::kMust, Level::kShould}) {
    EXPECT_EQ(TryParseLevel(ToString(level)), level);
  }
  EXPECT_EQ(ToString(Level::kMust), "MUST");
  EXPECT_EQ(ToString(Level::kShould), "SHOULD");
  for (const char* bad : {"", "must", "MAY", "MAYBE", "SHALL"}) {
    EXPECT_FALSE(TryParseLevel(bad).has_value()) << bad;
  }
}

TEST(StandardNamesTest, EvidenceKindsAreTheTwelveSchemaIds) {
  const std::vector<std::pair<EvidenceKind, std::string>> kinds = {
      {EvidenceKind::kPenTestReport, "pen_test_report"},
      {EvidenceKind::kItHealthCheck, "it_health_check"},
      {EvidenceKind::kIso27001Certificate, "iso27001_certificate"},
      {EvidenceKind::kCyberEssentialsCertificate, "cyber_essentials_certificate"},
      {EvidenceKind::kCyberEssentialsPlusCertificate, "cyber_essentials_plus_certificate"},
      {EvidenceKind::kPolicy, "policy"},
      {EvidenceKind::kNetworkDiagram, "network_diagram"},
      {EvidenceKind::kTlsScan, "tls_scan"},
      {EvidenceKind::kSignedCodeOfConnection, "signed_code_of_connection"},
      {EvidenceKind::kSiroApproval, "siro_approval"},
      {EvidenceKind::kDpia, "dpia"},
      {EvidenceKind::kOther, "other"},
  };
  std::set<std::string> names;
  for (const auto& [kind, name] : kinds) {
    EXPECT_EQ(ToString(kind), name);
    EXPECT_EQ(TryParseEvidenceKind(name), kind) << name;
    names.insert(std::string(ToString(kind)));
  }
  EXPECT_EQ(names.size(), 12u);
  for (const char* bad : {"", "Policy", "pen-test-report", "iso_27001_certificate", "dpia "}) {
    EXPECT_FALSE(TryParseEvidenceKind(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace coco::domain
