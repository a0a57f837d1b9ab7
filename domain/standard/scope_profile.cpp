#include "domain/standard/scope_profile.hpp"

#include <algorithm>

namespace coco::domain {

std::optional<Classification> TryParseClassification(std::string_view text) {
  if (text == "OFFICIAL") return Classification::kOfficial;
  if (text == "OFFICIAL_SENSITIVE") return Classification::kOfficialSensitive;
  return std::nullopt;
}

std::string_view ToString(Classification classification) {
  return classification == Classification::kOfficial ? "OFFICIAL" : "OFFICIAL_SENSITIVE";
}

std::optional<OffshoreActivity> TryParseOffshoreActivity(std::string_view text) {
  if (text == "hosting") return OffshoreActivity::kHosting;
  if (text == "support") return OffshoreActivity::kSupport;
  if (text == "development") return OffshoreActivity::kDevelopment;
  if (text == "processing") return OffshoreActivity::kProcessing;
  return std::nullopt;
}

std::string_view ToString(OffshoreActivity activity) {
  switch (activity) {
    case OffshoreActivity::kHosting:
      return "hosting";
    case OffshoreActivity::kSupport:
      return "support";
    case OffshoreActivity::kDevelopment:
      return "development";
    case OffshoreActivity::kProcessing:
      return "processing";
  }
  return "hosting";
}

bool ScopeProfile::HasOffshoreActivity(OffshoreActivity activity) const {
  return std::any_of(offshore.begin(), offshore.end(),
                     [activity](const OffshoreEntry& entry) { return entry.activity == activity; });
}

}  // namespace coco::domain
