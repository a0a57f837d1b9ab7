#pragma once

#include "domain/audit/audit_repository.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

class PgAuditRepository final : public domain::AuditRepository {
 public:
  explicit PgAuditRepository(ConnectionPool& pool) : pool_(pool) { pool_.Use(&Prepare); }

  std::vector<domain::AuditEvent> List(const domain::AuditFilter& filter) override;
  std::vector<domain::AuditEvent> ReadChain(long long after_seq, int limit) override;
  std::optional<domain::AuditEvent> Find(long long seq) override;
  std::optional<domain::AuditCheckpoint> LatestCheckpoint() override;
  domain::AuditCheckpoint Head() override;
  void SaveCheckpoint(const domain::AuditCheckpoint& checkpoint) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
};

}  // namespace coco::persistence
