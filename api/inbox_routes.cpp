#include "api/inbox_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/nullable.hpp"
#include "api/query.hpp"

namespace coco::api {
namespace {

// Where the item is acted on: the API path of its subject.
std::string LinkOf(const domain::InboxItem& item) {
  const std::string& id = item.entity_id;
  if (item.entity == "assessment") return "/assessments/" + id;
  if (item.entity == "response") return "/assessments/" + item.assessment_id.value_or("");
  if (item.entity == "exception") {
    return "/assessments/" + item.assessment_id.value_or("") + "/exceptions";
  }
  if (item.entity == "action") return "/actions/" + id;
  if (item.entity == "evidence") return "/evidence/" + id;
  if (item.entity == "supplier") return "/suppliers/" + id + "/status";
  if (item.entity == "service") {
    // The supplier's status on the day the contract starts.
    std::string link = "/suppliers/" + item.supplier_id.value_or("") + "/status";
    if (item.due_on) link += "?as_of=" + item.due_on->ToString();
    return link;
  }
  return "/webhooks/" + id;
}

nlohmann::json ItemJson(const domain::InboxItem& item) {
  return {{"link", LinkOf(item)},
          {"due_on", json::DateOrNull(item.due_on)},
          {"since", json::TimeOrNull(item.since)},
          {"supplier_id", json::TextOrNull(item.supplier_id)},
          {"subject", {{"entity", item.entity}, {"id", item.entity_id}}},
          {"summary", item.summary}};
}

}  // namespace

void AddInboxRoutes(Router& router, domain::InboxService* inbox) {
  router.Add(Method::kGet, "/me/inbox", Access::kAuthenticated, Body::kNone,
             [inbox](Request& request) {
               RejectUnknownQuery(request, {});
               const domain::Inbox found = inbox->For(ActorOf(request));
               nlohmann::json sections = nlohmann::json::array();
               for (const auto& section : found.sections) {
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& item : section.items) items.push_back(ItemJson(item));
                 sections.push_back({{"kind", domain::ToString(section.kind)},
                                     {"items", std::move(items)},
                                     {"more", section.more}});
               }
               Response response =
                   json::Ok({{"as_of", found.as_of.ToString()}, {"sections", std::move(sections)}});
               response.WithHeader("Cache-Control", "no-store");
               return response;
             });
}

}  // namespace coco::api
