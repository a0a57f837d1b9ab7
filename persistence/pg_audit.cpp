#include "persistence/pg_audit.hpp"

#include "domain/common/error.hpp"
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
  // Also notes the transaction's first appended seq (coco.first_audit_seq, transaction-local),
  // which the status journal names as the cause of the changes the transaction made.
  connection.prepare(
      "audit_move_head",
      "UPDATE audit_head SET seq = $1::bigint, hash = $2 WHERE id AND set_config("
      " 'coco.first_audit_seq', COALESCE(NULLIF(current_setting('coco.first_audit_seq', true),"
      " ''), $1::bigint::text), true)"
      " IS NOT NULL");
  // Takes (user, key) unless an unexpired claim holds it. A concurrent uncommitted claim makes
  // this wait for its transaction, so of two racing requests exactly one commits a claim.
  connection.prepare(
      "idempotency_claim",
      "INSERT INTO idempotency_keys (user_id, key, fingerprint, claim_id, created_at, expires_at,"
      " entity, entity_id)"
      " VALUES ($1, $2, $3, $4, 'epoch'::timestamptz + $5::bigint * interval '1 microsecond',"
      " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7, $8)"
      " ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
      " claim_id = EXCLUDED.claim_id, created_at = EXCLUDED.created_at,"
      " expires_at = EXCLUDED.expires_at, entity = EXCLUDED.entity,"
      " entity_id = EXCLUDED.entity_id, response_status = NULL, response_kept = false,"
      " content_type = NULL, response_headers = NULL, response_body = NULL"
      " WHERE idempotency_keys.expires_at <= EXCLUDED.created_at"
      " RETURNING claim_id");
  connection.prepare("idempotency_claim_holder",
                     "SELECT claim_id FROM idempotency_keys WHERE user_id = $1 AND key = $2");
}

void PgAuditLog::Claim(pqxx::work& tx, const domain::IdempotencyClaim& claim,
                       const domain::AuditEntry& entry) const {
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  const auto claimed = tx.exec_prepared("idempotency_claim", claim.user_id.str(), claim.key,
                                        claim.fingerprint, claim.claim_id, ToEpochMicros(now),
                                        ToEpochMicros(now + domain::kIdempotencyKeyLifetime),
                                        entry.entity, entry.entity_id);
  if (!claimed.empty()) return;
  // Held already: by this request (a second event of the same write, or a second transaction of
  // the same request), or by another request that won.
  const auto holder = tx.exec_prepared("idempotency_claim_holder", claim.user_id.str(), claim.key);
  if (!holder.empty() && holder[0][0].as<std::string>() == claim.claim_id) return;
  throw domain::Conflict(
      "another request with this Idempotency-Key is being handled or has just been; retry shortly "
      "to receive its response",
      "idempotency_key_in_use");
}

long long PgAuditLog::Append(pqxx::work& tx, const domain::Actor& actor,
                             const domain::AuditEntry& entry) const {
  // Before the chain head: a request that lost the key fails without queueing for the head.
  if (actor.idempotency) Claim(tx, *actor.idempotency, entry);
  const pqxx::row head = tx.exec_prepared("audit_lock_head")[0];
  const domain::AuditEvent event = domain::ChainedEvent(
      hasher_, head[0].as<long long>() + 1, clock_.Now(), actor, entry, head[1].as<std::string>());
  tx.exec_prepared("audit_insert", event.seq, ToEpochMicros(event.at), event.actor_user_id,
                   event.actor_role, event.action, event.entity, event.entity_id, event.supplier_id,
                   event.request_id, event.detail, event.prev_hash, event.hash);
  tx.exec_prepared("audit_move_head", event.seq, event.hash);
  return event.seq;
}

}  // namespace coco::persistence
