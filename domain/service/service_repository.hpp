#pragma once

#include <functional>
#include <optional>

#include "domain/assessment/assessment.hpp"
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
  virtual PageResult<Service> ListBySupplier(const SupplierId& supplier,
                                             const PageRequest& page) = 0;

  // The requirements (id, level, position) an assessment of `standard`@`version` holds for
  // `profile`: what a draft is re-scoped to when the profile changes.
  using Rescope = std::function<std::vector<Response>(
      StandardKey standard, const std::string& version, const ScopeProfile& profile)>;

  // As SupplierRepository::Update. When the profile hash changes, in the same transaction: the
  // change is recorded in the service's profile history, and every draft assessment of the
  // service is re-scoped with `rescope` (responses that no longer apply are removed, new ones
  // added empty, answers to requirements that still apply kept) and takes the new profile hash;
  // the audit entry then lists the re-scoped assessments.
  virtual Service Update(const ServiceId& id, std::optional<long long> expected_version,
                         const Actor& actor, const std::function<AuditEntry(Service&)>& change,
                         const Rescope& rescope) = 0;

  // Offers every service to `revise`, in one transaction; for a service it returns an audit
  // entry for, the required_standards it set are stored and the entry appended (nothing else
  // it changed is). Returns the services changed.
  virtual std::vector<ServiceId> ReviseRequiredStandards(
      const Actor& actor, const std::function<std::optional<AuditEntry>(Service&)>& revise) = 0;
};

}  // namespace coco::domain
