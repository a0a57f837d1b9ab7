#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/common/json_text.hpp"
#include "domain/common/ports.hpp"
#include "domain/common/uuid.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/identity/principal.hpp"

namespace coco::domain {

// Who acts, and under which request: every mutation is attributed.
struct Actor {
  Principal principal;
  std::string request_id;
  // Set when the request carries an Idempotency-Key on a creating route: the write's audit
  // append claims the key in the same transaction.
  std::optional<IdempotencyClaim> idempotency = std::nullopt;
};

// The server acting on its own behalf (applying a newly imported catalogue at start or after an
// import): the nil user, with an admin's permissions, named "coco".
Actor SystemActor(std::string request_id);

// What a mutation records (DESIGN.md §2 AuditEvent, minus what the chain adds). `detail` lists
// the changed fields; it never holds secrets, evidence bytes or comment text.
struct AuditEntry {
  std::string action;  // "supplier.create", "service.update", "token.revoke"
  std::string entity;  // "supplier", "service", "user", "token", ...
  std::string entity_id;
  std::optional<SupplierId> supplier_id;  // the tenant the entity belongs to, if any
  JsonObject detail;
};

// One stored event of the chain.
struct AuditEvent {
  long long seq = 0;
  std::chrono::system_clock::time_point at;
  std::string actor_user_id;
  std::string actor_role;
  std::string action;
  std::string entity;
  std::string entity_id;
  std::optional<std::string> supplier_id;
  std::string request_id;
  std::string detail;  // canonical JSON text
  std::string prev_hash;
  std::string hash;
};

inline const std::string kGenesisHash(64, '0');

// hash = SHA-256(prev_hash || canonical JSON of every field but prev_hash and hash). The one
// definition, used to append and to verify.
std::string AuditHash(const Hasher& hasher, const AuditEvent& event);

// The event appending `entry` by `actor` at `at` makes, as number `seq` after the event whose
// hash is `prev_hash`, hashed. The one definition of what an event records.
AuditEvent ChainedEvent(const Hasher& hasher, long long seq,
                        std::chrono::system_clock::time_point at, const Actor& actor,
                        const AuditEntry& entry, std::string prev_hash);

}  // namespace coco::domain
