#include "domain/service/service.hpp"

#include <algorithm>

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/service/countries.hpp"

namespace coco::domain {

void ValidateService(const std::string& name, const std::optional<std::string>& contract_ref,
                     const std::optional<Date>& start, const std::optional<Date>& end,
                     const ScopeProfile& profile) {
  std::vector<ErrorDetail> problems;
  if (name.empty() || CharacterCount(name) > 200) {
    problems.push_back({"name", "invalid_length", "name must be 1 to 200 characters"});
  }
  if (contract_ref && (contract_ref->empty() || CharacterCount(*contract_ref) > 100)) {
    problems.push_back(
        {"contract_ref", "invalid_length", "contract_ref must be 1 to 100 characters"});
  }
  if (start && end && *end < *start) {
    problems.push_back({"contract_end", "invalid_range", "contract_end is before contract_start"});
  }
  for (std::size_t i = 0; i < profile.offshore.size(); ++i) {
    const auto& entry = profile.offshore[i];
    const std::string field = "profile.offshore[" + std::to_string(i) + "]";
    if (!IsIsoCountryCode(entry.country)) {
      problems.push_back({field + ".country", "invalid_country",
                          "country must be an ISO 3166-1 alpha-2 code such as IN or US"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (profile.offshore[j] == entry) {
        problems.push_back({field, "duplicate", "the same country and activity are listed twice"});
      }
    }
  }
  if (!problems.empty()) {
    throw InvalidArgument("the service is invalid: " + problems.front().detail, "invalid_body")
        .WithDetails(std::move(problems));
  }
}

std::string CanonicalProfile(const ScopeProfile& profile) {
  auto entries = profile.offshore;
  std::sort(entries.begin(), entries.end(), [](const OffshoreEntry& a, const OffshoreEntry& b) {
    return std::pair(a.country, static_cast<int>(a.activity)) <
           std::pair(b.country, static_cast<int>(b.activity));
  });
  std::string offshore = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) offshore += ",";
    offshore += JsonObject()
                    .Set("country", entries[i].country)
                    .Set("activity", ToString(entries[i].activity))
                    .Text();
  }
  offshore += "]";
  return JsonObject()
      .Set("classification", ToString(profile.classification))
      .Set("connects_to_network", profile.connects_to_network)
      .Set("personal_data", profile.personal_data)
      .SetRaw("offshore", offshore)
      .Set("hmg_crypto", profile.hmg_crypto)
      .Set("operates_pki", profile.operates_pki)
      .Text();
}

std::string ProfileHash(const Hasher& hasher, const ScopeProfile& profile) {
  return hasher.Sha256Hex(CanonicalProfile(profile));
}

}  // namespace coco::domain
