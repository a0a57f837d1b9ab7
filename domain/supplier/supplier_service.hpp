#pragma once

#include "domain/common/error.hpp"
#include "domain/common/ports.hpp"
#include "domain/supplier/supplier_repository.hpp"

namespace coco::domain {

// Use cases on suppliers; each authorises the actor first (DESIGN.md §4).
class SupplierService {
 public:
  SupplierService(SupplierRepository& repository, IdGenerator& ids, const Clock& clock)
      : repository_(repository), ids_(ids), clock_(clock) {}

  // The authorisation each use case starts with, for handlers that must refuse a caller before
  // reading the body it sent (so a forbidden caller never learns more than "forbidden").
  void CheckMayCreate(const Actor& actor) const;
  void CheckMayPatch(const Actor& actor, const SupplierId& id) const;

  Supplier Create(const Actor& actor, NewSupplier supplier);
  // kNotFound for a supplier user asking for another supplier.
  Supplier Get(const Actor& actor, const SupplierId& id);
  // A supplier user sees only its own supplier.
  PageResult<Supplier> List(const Actor& actor, const PageRequest& page);
  Supplier Patch(const Actor& actor, const SupplierId& id, const SupplierPatch& patch,
                 std::optional<long long> expected_version);

 private:
  SupplierRepository& repository_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
