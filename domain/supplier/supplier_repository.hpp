#pragma once

#include <functional>
#include <optional>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/supplier/supplier.hpp"

namespace coco::domain {

class SupplierRepository {
 public:
  virtual ~SupplierRepository() = default;

  // Stores a new supplier and appends `audit`, in one transaction.
  virtual void Insert(const Supplier& supplier, const Actor& actor, const AuditEntry& audit) = 0;

  virtual std::optional<Supplier> Find(const SupplierId& id) = 0;

  // All suppliers, or only `only`, oldest first.
  virtual PageResult<Supplier> List(const std::optional<SupplierId>& only,
                                    const PageRequest& page) = 0;

  // Loads the supplier under a row lock, fails kVersionMismatch ("precondition_failed") if
  // `expected_version` is given and differs, lets `change` edit it and return the audit entry,
  // then saves it with version + 1 and appends the entry — one transaction. kNotFound if absent.
  virtual Supplier Update(const SupplierId& id, std::optional<long long> expected_version,
                          const Actor& actor,
                          const std::function<AuditEntry(Supplier&)>& change) = 0;
};

}  // namespace coco::domain
