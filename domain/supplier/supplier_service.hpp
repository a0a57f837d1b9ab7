#pragma once

#include "domain/common/error.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/supplier/supplier_repository.hpp"

namespace coco::domain {

// Use cases on suppliers; each authorises the actor first (DESIGN.md §4).
class SupplierService {
 public:
  SupplierService(SupplierRepository& repository, IdGenerator& ids, const Clock& clock)
      : repository_(repository), ids_(ids), clock_(clock) {}

  Supplier Create(const Actor& actor, const Parsed<NewSupplier>& supplier);
  // kNotFound for a supplier user asking for another supplier.
  Supplier Get(const Actor& actor, const SupplierId& id);
  // A supplier user sees only its own supplier.
  PageResult<Supplier> List(const Actor& actor, const PageRequest& page);
  Supplier Patch(const Actor& actor, const SupplierId& id, const Parsed<SupplierPatch>& patch,
                 std::optional<long long> expected_version);

 private:
  SupplierRepository& repository_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
