#pragma once

#include "domain/supplier/supplier_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

namespace coco::persistence {

class PgSupplierRepository final : public domain::SupplierRepository {
 public:
  PgSupplierRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  void Insert(const domain::Supplier& supplier, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  std::optional<domain::Supplier> Find(const domain::SupplierId& id) override;
  domain::PageResult<domain::Supplier> List(const std::optional<domain::SupplierId>& only,
                                            const domain::PageRequest& page) override;
  domain::Supplier Update(
      const domain::SupplierId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::Supplier&)>& change) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
