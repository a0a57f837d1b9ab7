#include "api/json/service_json.hpp"

#include "api/json/body.hpp"
#include "api/json/nullable.hpp"
#include "api/json/standard_json.hpp"

namespace coco::api::json {
namespace {

// Reads the scope profile object at `pointer`; every field is required so a profile is always
// stated in full.
std::optional<domain::ScopeProfile> ReadProfile(ObjectReader& parent, const std::string& name) {
  const nlohmann::json* object = parent.Raw(name, true, nlohmann::json::value_t::object);
  if (object == nullptr) return std::nullopt;
  std::vector<domain::ErrorDetail> problems;
  ObjectReader reader(*object, parent.Pointer(name), &problems);
  domain::ScopeProfile profile;
  if (auto value = reader.Enum("classification", true, {"OFFICIAL", "OFFICIAL_SENSITIVE"})) {
    profile.classification = *domain::TryParseClassification(*value);
  }
  profile.connects_to_network = reader.Bool("connects_to_network", true).value_or(false);
  profile.personal_data = reader.Bool("personal_data", true).value_or(false);
  profile.hmg_crypto = reader.Bool("hmg_crypto", true).value_or(false);
  profile.operates_pki = reader.Bool("operates_pki", true).value_or(false);
  if (const nlohmann::json* offshore =
          reader.Raw("offshore", true, nlohmann::json::value_t::array)) {
    if (offshore->size() > 50) {
      reader.Problem(reader.Pointer("offshore"), "too_many_items", "at most 50 offshore entries");
    } else {
      for (std::size_t i = 0; i < offshore->size(); ++i) {
        const std::string pointer = reader.Pointer("offshore") + "/" + std::to_string(i);
        if (!(*offshore)[i].is_object()) {
          reader.Problem(pointer, "invalid_type", "each offshore entry is an object");
          continue;
        }
        ObjectReader entry((*offshore)[i], pointer, &problems);
        auto country = entry.String("country", true, 2, 2);
        auto activity =
            entry.Enum("activity", true, {"hosting", "support", "development", "processing"});
        entry.Finish();
        if (country && activity) {
          profile.offshore.push_back({*country, *domain::TryParseOffshoreActivity(*activity)});
        }
      }
    }
  }
  reader.Finish();
  for (auto& problem : problems) parent.Problem(problem.field, problem.code, problem.detail);
  if (!problems.empty()) return std::nullopt;
  return profile;
}

}  // namespace

nlohmann::json ServiceJson(const domain::Service& service) {
  return {{"id", service.id.str()},
          {"supplier_id", service.supplier_id.str()},
          {"name", service.name},
          {"contract_ref", TextOrNull(service.contract_ref)},
          {"contract_start", DateOrNull(service.contract_start)},
          {"contract_end", DateOrNull(service.contract_end)},
          {"profile", ProfileJson(service.profile)},
          {"profile_hash", service.profile_hash},
          {"created_at", domain::FormatTimestamp(service.created_at)},
          {"updated_at", domain::FormatTimestamp(service.updated_at)},
          {"version", service.version}};
}

nlohmann::json RequiredStandardJson(const domain::RequiredStandard& required) {
  return {{"standard", domain::ToString(required.key)},
          {"version", required.version},
          {"title", required.title},
          {"required", required.required},
          {"reason", required.reason},
          {"requirement_counts", CountsJson(required.must_count, required.should_count)}};
}

domain::NewService ReadNewService(const Request& request) {
  ObjectReader body(request);
  domain::NewService service;
  auto name = body.String("name", true, 200);
  service.contract_ref = body.String("contract_ref", false, 100);
  service.contract_start = body.Date("contract_start", false);
  service.contract_end = body.Date("contract_end", false);
  auto profile = ReadProfile(body, "profile");
  body.Finish();
  service.name = *name;
  service.profile = *profile;
  return service;
}

domain::ServicePatch ReadServicePatch(const Request& request) {
  ObjectReader body(request);
  domain::ServicePatch patch;
  patch.name = body.String("name", false, 200);
  const bool has_ref = body.Has("contract_ref");
  auto ref = body.String("contract_ref", false, 100);
  if (has_ref) patch.contract_ref = ref;
  const bool has_start = body.Has("contract_start");
  auto start = body.Date("contract_start", false);
  if (has_start) patch.contract_start = start;
  const bool has_end = body.Has("contract_end");
  auto end = body.Date("contract_end", false);
  if (has_end) patch.contract_end = end;
  if (body.Has("profile")) {
    patch.profile = ReadProfile(body, "profile");
  }
  body.Finish();
  return patch;
}

}  // namespace coco::api::json
