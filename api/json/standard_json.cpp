#include "api/json/standard_json.hpp"

namespace coco::api::json {

nlohmann::json SourceJson(const domain::SourceReference& source) {
  nlohmann::json out = {{"document", source.document}, {"date", source.date}};
  if (!source.clause.empty()) out["clause"] = source.clause;
  return out;
}

nlohmann::json RequirementJson(const domain::Requirement& requirement) {
  nlohmann::json kinds = nlohmann::json::array();
  for (auto kind : requirement.evidence_kinds) kinds.push_back(domain::ToString(kind));
  nlohmann::json out = {
      {"id", requirement.id},
      {"title", requirement.title},
      {"text", requirement.text},
      {"level", domain::ToString(requirement.level)},
      {"evidence_kinds", std::move(kinds)},
      {"source", SourceJson(requirement.source)},
      {"legacy", requirement.legacy},
      {"thresholds", nlohmann::json::parse(requirement.thresholds_json)},
      {"applies_when", requirement.applies_when.text().empty()
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(requirement.applies_when.text())},
  };
  if (!requirement.notes.empty()) out["notes"] = requirement.notes;
  return out;
}

nlohmann::json CountsJson(int must, int should) {
  return {{"MUST", must}, {"SHOULD", should}, {"total", must + should}};
}

nlohmann::json ProfileJson(const domain::ScopeProfile& profile) {
  nlohmann::json offshore = nlohmann::json::array();
  for (const auto& entry : profile.offshore) {
    nlohmann::json item = {{"activity", domain::ToString(entry.activity)}};
    if (!entry.country.empty()) item["country"] = entry.country;
    offshore.push_back(std::move(item));
  }
  return {{"classification", domain::ToString(profile.classification)},
          {"connects_to_network", profile.connects_to_network},
          {"personal_data", profile.personal_data},
          {"offshore", std::move(offshore)},
          {"hmg_crypto", profile.hmg_crypto},
          {"operates_pki", profile.operates_pki}};
}

}  // namespace coco::api::json
