#pragma once

#include <pqxx/pqxx>

#include "domain/common/ports.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

// Idempotency records in PostgreSQL (migrations/0011). The claim itself is inserted by
// PgAuditLog::Append inside the guarded write; this reads records and stores responses.
class PgIdempotencyStore final : public domain::IdempotencyStore {
 public:
  PgIdempotencyStore(ConnectionPool& pool, const domain::Clock& clock)
      : pool_(pool), clock_(clock) {
    pool_.Use(&Prepare);
  }

  std::optional<domain::IdempotencyRecord> Find(const domain::UserId& user,
                                                std::string_view key) override;
  void Complete(const domain::IdempotencyClaim& claim, const domain::StoredResponse& response,
                bool keep) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const domain::Clock& clock_;
};

}  // namespace coco::persistence
