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

  // The named statements this repository runs; registered with the pool by the constructor, and
  // by any repository that reads evidence with FindIn.
  static void Prepare(pqxx::connection& connection);
  // Find, inside a transaction the caller holds.
  static std::optional<domain::Evidence> FindIn(pqxx::transaction_base& tx,
                                                const domain::EvidenceId& id);

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
