#pragma once

#include "domain/evidence/evidence_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

namespace coco::persistence {

class PgEvidenceRepository final : public domain::EvidenceRepository {
 public:
  PgEvidenceRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  void Store(const domain::Evidence& evidence, std::string_view bytes, const domain::Actor& actor,
             const domain::AuditEntry& audit) override;
  std::optional<domain::Evidence> Find(const domain::EvidenceId& id) override;
  domain::PageResult<domain::Evidence> List(const domain::SupplierId& supplier,
                                            const domain::EvidenceFilter& filter,
                                            const domain::PageRequest& page) override;
  std::string ReadContent(const domain::Evidence& evidence) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
