#include "domain/standard/standard.hpp"

#include <array>
#include <charconv>
#include <set>
#include <utility>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<StandardKey, std::string_view>, 4> kKeys{{
    {StandardKey::kCoco, "COCO"},
    {StandardKey::kOffshoring, "OFFSHORING"},
    {StandardKey::kCryptography, "CRYPTOGRAPHY"},
    {StandardKey::kSupplier, "SUPPLIER"},
}};

constexpr std::array<std::pair<EvidenceKind, std::string_view>, 12> kEvidenceKinds{{
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
}};

template <typename Enum, std::size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view Name(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "";
}

}  // namespace

std::optional<StandardKey> TryParseStandardKey(std::string_view text) {
  return Lookup(kKeys, text);
}
std::string_view ToString(StandardKey key) { return Name(kKeys, key); }

std::string_view RequirementPrefix(StandardKey key) {
  switch (key) {
    case StandardKey::kCoco:
      return "COCO";
    case StandardKey::kOffshoring:
      return "OFF";
    case StandardKey::kCryptography:
      return "CRYPTO";
    case StandardKey::kSupplier:
      return "SUP";
  }
  return "";
}

std::optional<Level> TryParseLevel(std::string_view text) {
  if (text == "MUST") return Level::kMust;
  if (text == "SHOULD") return Level::kShould;
  return std::nullopt;
}
std::string_view ToString(Level level) { return level == Level::kMust ? "MUST" : "SHOULD"; }

std::optional<EvidenceKind> TryParseEvidenceKind(std::string_view text) {
  return Lookup(kEvidenceKinds, text);
}
std::string_view ToString(EvidenceKind kind) { return Name(kEvidenceKinds, kind); }

const Requirement* Standard::Find(std::string_view requirement_id) const {
  for (const auto& requirement : requirements) {
    if (requirement.id == requirement_id) return &requirement;
  }
  return nullptr;
}

std::vector<const Requirement*> ApplicableRequirements(const Standard& standard,
                                                       const ScopeProfile& profile) {
  std::vector<const Requirement*> applicable;
  if (!standard.AppliesTo(profile)) return applicable;
  for (const auto& requirement : standard.requirements) {
    if (requirement.applies_when.Evaluate(profile)) applicable.push_back(&requirement);
  }
  return applicable;
}

void ValidateStandard(const Standard& standard) {
  std::vector<ErrorDetail> problems;
  const std::string prefix = std::string(RequirementPrefix(standard.key)) + "-";
  std::set<std::string> seen;
  if (standard.review_interval_months < 1) {
    problems.push_back({"review_interval_months", "invalid", "must be at least one month"});
  }
  if (standard.requirements.empty()) {
    problems.push_back({"requirements", "empty", "a standard needs requirements"});
  }
  for (const auto& requirement : standard.requirements) {
    if (requirement.id.rfind(prefix, 0) != 0) {
      problems.push_back(
          {requirement.id, "wrong_prefix",
           "requirement ids of " + std::string(ToString(standard.key)) + " start with " + prefix});
    }
    if (!seen.insert(requirement.id).second) {
      problems.push_back({requirement.id, "duplicate_id", "the id appears twice"});
    }
    if (requirement.level == Level::kMust) {
      if (requirement.evidence_kinds.empty()) {
        problems.push_back({requirement.id, "evidence_required",
                            "a MUST requirement names at least one evidence kind"});
      } else if (requirement.evidence_kinds.size() == 1 &&
                 requirement.evidence_kinds.front() == EvidenceKind::kOther) {
        problems.push_back({requirement.id, "other_alone",
                            "'other' is never a MUST requirement's only evidence kind"});
      }
    }
  }
  if (!problems.empty()) {
    throw InvalidArgument(std::string(ToString(standard.key)) + " " + standard.version +
                              " breaks the catalogue rules",
                          "invalid_catalogue")
        .WithDetails(std::move(problems));
  }
}

int CompareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    auto take = [](std::string_view& text) {
      const auto dot = text.find('.');
      const std::string_view part = text.substr(0, dot);
      text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
      long value = 0;
      std::from_chars(part.data(), part.data() + part.size(), value);
      return value;
    };
    const long left = take(a);
    const long right = take(b);
    if (left != right) return left < right ? -1 : 1;
  }
  return 0;
}

}  // namespace coco::domain
