#pragma once

#include "domain/service/service_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

namespace coco::persistence {

class PgServiceRepository final : public domain::ServiceRepository {
 public:
  PgServiceRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  void Insert(const domain::Service& service, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  std::optional<domain::Service> Find(const domain::ServiceId& id) override;
  domain::PageResult<domain::Service> ListBySupplier(const domain::SupplierId& supplier,
                                                     const domain::PageRequest& page) override;
  domain::Service Update(const domain::ServiceId& id, std::optional<long long> expected_version,
                         const domain::Actor& actor,
                         const std::function<domain::AuditEntry(domain::Service&)>& change,
                         const Rescope& rescope) override;
  std::vector<domain::ServiceId> ReviseRequiredStandards(
      const domain::Actor& actor,
      const std::function<std::optional<domain::AuditEntry>(domain::Service&)>& revise) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
