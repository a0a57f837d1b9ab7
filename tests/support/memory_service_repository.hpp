#pragma once

#include "domain/service/service_repository.hpp"
#include "tests/support/memory_database.hpp"

namespace coco::test {

// ServiceRepository in memory, keeping the same contract as PgServiceRepository
// (tests/support/service_repository_contract.hpp); a profile change re-scopes the drafts held
// by the InMemoryAssessmentRepository over the same MemoryDatabase.
class InMemoryServiceRepository final : public domain::ServiceRepository {
 public:
  explicit InMemoryServiceRepository(MemoryDatabase& database) : database_(database) {}

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
  // Re-scopes or withdraws the drafts of `service` after its profile changed; in `audit`'s
  // detail, the ids of each.
  void RescopeDrafts(const domain::Service& service, const Rescope& rescope,
                     domain::AuditEntry& audit);

  MemoryDatabase& database_;
};

}  // namespace coco::test
