#include "api/standard_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/json/standard_json.hpp"
#include "api/query.hpp"
#include "domain/common/error.hpp"

namespace coco::api {
namespace {

Response Json(const nlohmann::json& body) {
  return Response{200, "application/json", body.dump(), {}};
}

nlohmann::json VersionJson(const domain::StandardVersionInfo& info) {
  return {{"version", info.version},
          {"title", info.title},
          {"review_interval_months", info.review_interval_months},
          {"imported_at", info.imported_at},
          {"requirement_counts", json::CountsJson(info.must_count, info.should_count)}};
}

// The profile described by the query, when any profile parameter is present: unspecified
// booleans are false, classification OFFICIAL, no offshore entries.
std::optional<domain::ScopeProfile> ProfileFromQuery(const Request& request) {
  static constexpr const char* kProfileParameters[] = {"classification", "connects_to_network",
                                                       "personal_data",  "hmg_crypto",
                                                       "operates_pki",   "offshore_activity"};
  bool any = false;
  for (const char* name : kProfileParameters) any = any || request.Query(name).has_value();
  if (!any) return std::nullopt;

  domain::ScopeProfile profile;
  std::vector<domain::ErrorDetail> problems;
  if (auto text = request.Query("classification")) {
    if (auto classification = domain::TryParseClassification(*text)) {
      profile.classification = *classification;
    } else {
      problems.push_back({"query/classification", "invalid_enum",
                          "classification is OFFICIAL or OFFICIAL_SENSITIVE"});
    }
  }
  auto flag = [&](const std::string& name, bool& target) {
    try {
      target = QueryBool(request, name).value_or(false);
    } catch (const domain::Error& error) {
      for (const auto& detail : error.details()) problems.push_back(detail);
    }
  };
  flag("connects_to_network", profile.connects_to_network);
  flag("personal_data", profile.personal_data);
  flag("hmg_crypto", profile.hmg_crypto);
  flag("operates_pki", profile.operates_pki);
  if (auto list = request.Query("offshore_activity"); list && !list->empty()) {
    std::size_t start = 0;
    while (start <= list->size()) {
      const std::size_t end = list->find(',', start);
      const std::string item =
          list->substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (auto activity = domain::TryParseOffshoreActivity(item)) {
        profile.offshore.push_back(domain::OffshoreEntry{"", *activity});
      } else {
        problems.push_back({"query/offshore_activity", "invalid_enum",
                            "offshore_activity lists hosting, support, development or "
                            "processing, comma-separated"});
        break;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  if (!problems.empty()) {
    throw domain::InvalidArgument("the profile parameters are invalid", "invalid_query")
        .WithDetails(std::move(problems));
  }
  return profile;
}

}  // namespace

void AddStandardRoutes(Router& router, domain::Catalogue* catalogue) {
  router.Add(Method::kGet, "/standards", Access::kAuthenticated, Body::kNone,
             [catalogue](Request& request) {
               RejectUnknownQuery(request, {});
               nlohmann::json items = nlohmann::json::array();
               std::optional<domain::StandardKey> current;
               for (const auto& info : catalogue->Versions()) {
                 // Versions are sorted by key, then version: the last of each key is latest.
                 if (!current || *current != info.key) {
                   items.push_back({{"key", domain::ToString(info.key)},
                                    {"versions", nlohmann::json::array()}});
                   current = info.key;
                 }
                 auto& item = items.back();
                 item["title"] = info.title;
                 item["latest_version"] = info.version;
                 item["review_interval_months"] = info.review_interval_months;
                 item["requirement_counts"] = json::CountsJson(info.must_count, info.should_count);
                 item["versions"].push_back(info.version);
               }
               return Json({{"items", std::move(items)}});
             });

  router.Add(Method::kGet, "/standards/{key}", Access::kAuthenticated, Body::kNone,
             [catalogue](Request& request) {
               RejectUnknownQuery(request, {});
               const auto key = domain::ParseStandardKeyOrNotFound(request.PathParam("key"));
               const auto infos = catalogue->Versions(key);
               const auto latest = catalogue->Latest(key, infos);
               nlohmann::json versions = nlohmann::json::array();
               for (const auto& info : infos) versions.push_back(VersionJson(info));
               nlohmann::json body = {
                   {"key", domain::ToString(key)},
                   {"title", latest->title},
                   {"latest_version", latest->version},
                   {"description", latest->description},
                   {"source", json::SourceJson(latest->source)},
                   {"legacy", latest->legacy},
                   {"review_interval_months", latest->review_interval_months},
                   {"applies_when", latest->applies_when.text().empty()
                                        ? nlohmann::json(nullptr)
                                        : nlohmann::json(latest->applies_when.text())},
                   {"versions", std::move(versions)},
               };
               return Json(body);
             });

  router.Add(Method::kGet, "/standards/{key}/requirements", Access::kAuthenticated, Body::kNone,
             [catalogue](Request& request) {
               RejectUnknownQuery(
                   request, {"version", "level", "classification", "connects_to_network",
                             "personal_data", "hmg_crypto", "operates_pki", "offshore_activity"});
               const auto key = domain::ParseStandardKeyOrNotFound(request.PathParam("key"));
               std::optional<domain::Level> level;
               if (auto text = request.Query("level")) {
                 level = domain::TryParseLevel(*text);
                 if (!level) {
                   throw domain::InvalidArgument("level is MUST or SHOULD", "invalid_query")
                       .WithDetail({"query/level", "invalid_enum", "level is MUST or SHOULD"});
                 }
               }
               const auto profile = ProfileFromQuery(request);
               const auto version = request.Query("version");
               const auto standard =
                   version ? catalogue->Get(key, *version) : catalogue->Latest(key);

               std::vector<const domain::Requirement*> selected;
               if (profile) {
                 selected = domain::ApplicableRequirements(*standard, *profile);
               } else {
                 for (const auto& requirement : standard->requirements)
                   selected.push_back(&requirement);
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto* requirement : selected) {
                 if (level && requirement->level != *level) continue;
                 items.push_back(json::RequirementJson(*requirement));
               }
               nlohmann::json body = {
                   {"standard", domain::ToString(key)},
                   {"version", standard->version},
                   {"standard_applies", profile ? standard->AppliesTo(*profile) : true},
                   {"profile", profile ? json::ProfileJson(*profile) : nlohmann::json(nullptr)},
                   {"count", items.size()},
                   {"items", std::move(items)},
               };
               return Json(body);
             });
}

}  // namespace coco::api
