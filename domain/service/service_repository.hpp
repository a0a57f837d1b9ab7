#pragma once

#include <functional>
#include <optional>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/service/service.hpp"

namespace coco::domain {

class ServiceRepository {
 public:
  virtual ~ServiceRepository() = default;

  // Stores the service (kNotFound if its supplier does not exist) and appends `audit`.
  virtual void Insert(const Service& service, const Actor& actor, const AuditEntry& audit) = 0;
  virtual std::optional<Service> Find(const ServiceId& id) = 0;
  virtual PageResult<Service> ListBySupplier(const SupplierId& supplier, const PageRequest& page) = 0;

  // As SupplierRepository::Update. When the profile hash changes, the change is also recorded
  // in the service's profile history, in the same transaction.
  virtual Service Update(const ServiceId& id, std::optional<long long> expected_version,
                         const Actor& actor, const std::function<AuditEntry(Service&)>& change) = 0;
};

}  // namespace coco::domain
