#include "persistence/pg_audit.hpp"

#include "persistence/pg_types.hpp"

namespace coco::persistence {

void PgAuditLog::Prepare(pqxx::connection& connection) {
  connection.prepare("audit_lock_head", "SELECT seq, hash FROM audit_head WHERE id FOR UPDATE");
  connection.prepare(
      "audit_insert",
      "INSERT INTO audit_events (seq, at, actor_user_id, actor_role, action, entity, entity_id,"
      " supplier_id, request_id, detail, prev_hash, hash)"
      " VALUES ($1, 'epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3, $4, $5, $6,"
      " $7, $8::uuid, $9, $10, $11, $12)");
  connection.prepare("audit_move_head", "UPDATE audit_head SET seq = $1, hash = $2 WHERE id");
}

long long PgAuditLog::Append(pqxx::work& tx, const domain::Actor& actor,
                             const domain::AuditEntry& entry) const {
  const pqxx::row head = tx.exec_prepared("audit_lock_head")[0];
  domain::AuditEvent event;
  event.seq = head[0].as<long long>() + 1;
  event.at = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  event.actor_user_id = actor.principal.user_id.str();
  event.actor_role = std::string(domain::ToString(actor.principal.role));
  event.action = entry.action;
  event.entity = entry.entity;
  event.entity_id = entry.entity_id;
  if (entry.supplier_id) event.supplier_id = entry.supplier_id->str();
  event.request_id = actor.request_id;
  event.detail = entry.detail.Text();
  event.prev_hash = head[1].as<std::string>();
  event.hash = domain::AuditHash(hasher_, event);
  tx.exec_prepared("audit_insert", event.seq, ToEpochMicros(event.at), event.actor_user_id,
                   event.actor_role, event.action, event.entity, event.entity_id,
                   event.supplier_id, event.request_id, event.detail, event.prev_hash, event.hash);
  tx.exec_prepared("audit_move_head", event.seq, event.hash);
  return event.seq;
}

}  // namespace coco::persistence
