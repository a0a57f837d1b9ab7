#include "domain/audit/audit.hpp"

#include "domain/common/date.hpp"

namespace coco::domain {

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

}  // namespace coco::domain
