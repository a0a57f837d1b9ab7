#include "domain/audit/audit.hpp"

#include <utility>

#include "domain/common/date.hpp"
#include "domain/identity/role.hpp"

namespace coco::domain {

Actor SystemActor(std::string request_id) {
  constexpr std::string_view kNil = "00000000-0000-0000-0000-000000000000";
  return Actor{Principal{UserId::Parse(kNil),
                         "coco",
                         Role::kAdmin,
                         std::nullopt,
                         {},
                         TokenId::Parse(kNil),
                         std::chrono::system_clock::time_point::max()},
               std::move(request_id)};
}

std::string AuditHash(const Hasher& hasher, const AuditEvent& event) {
  JsonObject body;
  body.Set("seq", event.seq)
      .Set("at", FormatTimestamp(event.at))
      .Set("actor_user_id", event.actor_user_id)
      .Set("actor_role", event.actor_role)
      .Set("action", event.action)
      .Set("entity", event.entity)
      .Set("entity_id", event.entity_id)
      .Set("supplier_id", event.supplier_id)
      .Set("request_id", event.request_id)
      .SetRaw("detail", event.detail);
  return hasher.Sha256Hex(event.prev_hash + body.Text());
}

AuditEvent ChainedEvent(const Hasher& hasher, long long seq,
                        std::chrono::system_clock::time_point at, const Actor& actor,
                        const AuditEntry& entry, std::string prev_hash) {
  AuditEvent event;
  event.seq = seq;
  event.at = std::chrono::floor<std::chrono::microseconds>(at);
  event.actor_user_id = actor.principal.user_id.str();
  event.actor_role = std::string(ToString(actor.principal.role));
  event.action = entry.action;
  event.entity = entry.entity;
  event.entity_id = entry.entity_id;
  if (entry.supplier_id) event.supplier_id = entry.supplier_id->str();
  event.request_id = actor.request_id;
  event.detail = entry.detail.Text();
  event.prev_hash = std::move(prev_hash);
  event.hash = AuditHash(hasher, event);
  return event;
}

}  // namespace coco::domain
