#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/standard/applies_when.hpp"
#include "domain/standard/scope_profile.hpp"

namespace coco::domain {

enum class StandardKey { kCoco, kOffshoring, kCryptography, kSupplier };
enum class Level { kMust, kShould };
// DESIGN.md §2's evidence kinds, exact ids.
enum class EvidenceKind {
  kPenTestReport,
  kItHealthCheck,
  kIso27001Certificate,
  kCyberEssentialsCertificate,
  kCyberEssentialsPlusCertificate,
  kPolicy,
  kNetworkDiagram,
  kTlsScan,
  kSignedCodeOfConnection,
  kSiroApproval,
  kDpia,
  kOther,
};

std::optional<StandardKey> TryParseStandardKey(std::string_view text);
std::string_view ToString(StandardKey key);
// The requirement id prefix of a standard: COCO, OFF, CRYPTO, SUP.
std::string_view RequirementPrefix(StandardKey key);
std::optional<Level> TryParseLevel(std::string_view text);
std::string_view ToString(Level level);
std::optional<EvidenceKind> TryParseEvidenceKind(std::string_view text);
std::string_view ToString(EvidenceKind kind);

struct SourceReference {
  std::string document;
  std::string clause;  // "" when the reference gives none
  std::string date;

  friend bool operator==(const SourceReference&, const SourceReference&) = default;
};

struct Requirement {
  std::string id;  // "COCO-08"
  std::string title;
  std::string text;
  Level level = Level::kMust;
  std::vector<EvidenceKind> evidence_kinds;  // any of these satisfies the requirement
  SourceReference source;
  bool legacy = false;
  std::string thresholds_json;  // a JSON object of named limits, "{}" when none
  std::string notes;
  AppliesWhen applies_when = AppliesWhen::Always();
};

// One immutable published version of a standard.
struct Standard {
  StandardKey key;
  std::string version;  // "1.0"
  std::string title;
  std::string description;
  SourceReference source;
  bool legacy = false;
  int review_interval_months = 12;
  AppliesWhen applies_when = AppliesWhen::Always();
  std::vector<Requirement> requirements;
  // SHA-256 of the canonical content, so re-importing a version can tell "same" from "changed".
  std::string content_sha256;

  bool AppliesTo(const ScopeProfile& profile) const { return applies_when.Evaluate(profile); }
  const Requirement* Find(std::string_view requirement_id) const;
};

// The requirements of `standard` that apply to `profile`, in catalogue order: none when the
// standard itself does not apply.
std::vector<const Requirement*> ApplicableRequirements(const Standard& standard,
                                                       const ScopeProfile& profile);

// The catalogue rules a standard must keep beyond the file schema: ids carry the standard's
// prefix and are unique; every MUST names at least one evidence kind and never `other` alone;
// review interval positive. Throws kInvalidArgument ("invalid_catalogue") listing every problem.
void ValidateStandard(const Standard& standard);

// Compares versions numerically component by component ("1.10" > "1.9").
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace coco::domain
