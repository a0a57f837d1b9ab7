#include "api/audit_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/query.hpp"
#include "domain/common/date.hpp"
#include "domain/common/error.hpp"

namespace coco::api {
namespace {

constexpr const char* kNoId = "00000000-0000-0000-0000-000000000000";

nlohmann::json EventJson(const domain::AuditEvent& event) {
  return {{"seq", event.seq},
          {"at", domain::FormatTimestamp(event.at)},
          {"actor_user_id", event.actor_user_id},
          {"actor_role", event.actor_role},
          {"action", event.action},
          {"entity", event.entity},
          {"entity_id", event.entity_id},
          {"request_id", event.request_id},
          {"detail", nlohmann::json::parse(event.detail)},
          {"prev_hash", event.prev_hash},
          {"hash", event.hash}};
}

}  // namespace

void AddAuditRoutes(Router& router, domain::AuditLog* audit) {
  router.Add(
      Method::kGet, "/audit", Access::kAuthenticated, Body::kNone, [audit](Request& request) {
        RejectUnknownQuery(request, {"entity", "entity_id", "actor", "since", "limit", "cursor"});
        const auto page = json::PageFromQuery(request);
        domain::AuditFilter filter;
        filter.entity = request.Query("entity");
        filter.entity_id = request.Query("entity_id");
        if (auto actor = request.Query("actor"))
          filter.actor_user_id = domain::UserId::Parse(*actor).str();
        if (auto since = QueryDate(request, "since"))
          filter.since = std::chrono::sys_days(since->days());
        // The cursor carries the last sequence number seen.
        if (page.after) filter.after_seq = page.after->created_micros;
        filter.limit = page.limit;
        auto events = audit->List(ActorOf(request), filter);
        std::optional<domain::PagePosition> next;
        if (static_cast<int>(events.size()) > page.limit) {
          events.resize(static_cast<std::size_t>(page.limit));
          next = domain::PagePosition{events.back().seq, kNoId};
        }
        nlohmann::json items = nlohmann::json::array();
        for (const auto& event : events) items.push_back(EventJson(event));
        return json::Ok(json::PageJson(std::move(items), next));
      });

  router.Add(Method::kGet, "/audit/verify", Access::kAuthenticated, Body::kNone,
             [audit](Request& request) {
               RejectUnknownQuery(request, {"full"});
               const bool full = QueryBool(request, "full").value_or(false);
               const auto result = audit->Verify(ActorOf(request), full);
               nlohmann::json body = {{"ok", result.ok},
                                      {"events_checked", result.events_checked},
                                      {"from_seq", result.from_seq}};
               if (result.first_broken_seq) {
                 body["first_broken_seq"] = *result.first_broken_seq;
                 body["problem"] = result.problem;
               }
               return json::Ok(body);
             });
}

}  // namespace coco::api
