#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/supplier/supplier_repository.hpp"

namespace coco::test {

// SupplierRepository in memory, keeping the same contract as PgSupplierRepository
// (tests/support/supplier_repository_contract.hpp): for unit tests of the rules that use it.
class InMemorySupplierRepository final : public domain::SupplierRepository {
 public:
  void Insert(const domain::Supplier& supplier, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  std::optional<domain::Supplier> Find(const domain::SupplierId& id) override;
  domain::PageResult<domain::Supplier> List(const std::optional<domain::SupplierId>& only,
                                            const domain::PageRequest& page) override;
  domain::Supplier Update(
      const domain::SupplierId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::Supplier&)>& change) override;

  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, domain::Supplier> suppliers_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
