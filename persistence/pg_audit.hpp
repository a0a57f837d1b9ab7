#pragma once

#include <pqxx/pqxx>

#include "domain/audit/audit.hpp"
#include "domain/common/ports.hpp"

namespace coco::persistence {

// Appends audit events to the chain inside the caller's transaction. Call Append as the last
// statement before commit: it locks the chain head, so concurrent writers queue only for the
// append itself, never for their own (possibly large) work.
class PgAuditLog {
 public:
  PgAuditLog(const domain::Hasher& hasher, const domain::Clock& clock)
      : hasher_(hasher), clock_(clock) {}

  static void Prepare(pqxx::connection& connection);

  // Returns the new event's sequence number. When the actor carries an idempotency claim, the
  // claim is inserted in the same transaction first; a claim held by another request throws
  // kConflict "idempotency_key_in_use", which rolls the whole write back.
  long long Append(pqxx::work& tx, const domain::Actor& actor,
                   const domain::AuditEntry& entry) const;

 private:
  void Claim(pqxx::work& tx, const domain::IdempotencyClaim& claim,
             const domain::AuditEntry& entry) const;

  const domain::Hasher& hasher_;
  const domain::Clock& clock_;
};

}  // namespace coco::persistence
