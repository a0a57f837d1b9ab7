#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "domain/standard/catalogue_repository.hpp"
#include "domain/standard/standard.hpp"

// Wire form of the catalogue (snake_case JSON), separate from the domain types.
namespace coco::api::json {

nlohmann::json SourceJson(const domain::SourceReference& source);
nlohmann::json RequirementJson(const domain::Requirement& requirement);
nlohmann::json CountsJson(int must, int should);
nlohmann::json ProfileJson(const domain::ScopeProfile& profile);

}  // namespace coco::api::json
