#include "domain/supplier/supplier_service.hpp"

#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

Supplier SupplierService::Create(const Actor& actor, const Parsed<NewSupplier>& request) {
  Authorize(actor.principal, Permission::kAdminister);
  NewSupplier fields = request.Value();
  ValidateNewSupplier(fields);
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  Supplier supplier{SupplierId(ids_.NewId()),
                    std::move(fields.name),
                    std::move(fields.companies_house_number),
                    std::move(fields.contact_email),
                    SupplierState::kActive,
                    now,
                    now,
                    1};
  AuditEntry audit{"supplier.create", "supplier", supplier.id.str(), supplier.id, {}};
  audit.detail.Set("name", supplier.name)
      .Set("companies_house_number", supplier.companies_house_number)
      .Set("contact_email", supplier.contact_email)
      .Set("state", ToString(supplier.state));
  repository_.Insert(supplier, actor, audit);
  return supplier;
}

Supplier SupplierService::Get(const Actor& actor, const SupplierId& id) {
  // Authorise against the id first, so another supplier's id is 404 whether or not it exists.
  Authorize(actor.principal, Permission::kReadSupplier, id);
  auto supplier = repository_.Find(id);
  if (!supplier) throw NotFound("no such supplier");
  return *supplier;
}

PageResult<Supplier> SupplierService::List(const Actor& actor, const PageRequest& page) {
  Authorize(actor.principal, Permission::kReadSupplier);
  std::optional<SupplierId> only;
  if (!NarrowToOwnSupplier(actor.principal, only)) return {};
  return repository_.List(only, page);
}

Supplier SupplierService::Patch(const Actor& actor, const SupplierId& id,
                                const Parsed<SupplierPatch>& request,
                                std::optional<long long> expected_version) {
  Authorize(actor.principal, Permission::kReadSupplier, id);  // 404 for another supplier's user
  Authorize(actor.principal, Permission::kAdminister);
  const SupplierPatch& patch = request.Value();
  ValidateSupplierPatch(patch);
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  return repository_.Update(id, expected_version, actor, [&](Supplier& supplier) {
    AuditEntry audit{"supplier.update", "supplier", supplier.id.str(), supplier.id, {}};
    if (patch.name && *patch.name != supplier.name) {
      supplier.name = *patch.name;
      audit.detail.Set("name", supplier.name);
    }
    if (patch.companies_house_number &&
        *patch.companies_house_number != supplier.companies_house_number) {
      supplier.companies_house_number = *patch.companies_house_number;
      audit.detail.Set("companies_house_number", supplier.companies_house_number);
    }
    if (patch.contact_email && *patch.contact_email != supplier.contact_email) {
      supplier.contact_email = *patch.contact_email;
      audit.detail.Set("contact_email", supplier.contact_email);
    }
    if (patch.state && *patch.state != supplier.state) {
      supplier.state = *patch.state;
      audit.detail.Set("state", ToString(supplier.state));
    }
    supplier.updated_at = now;
    return audit;
  });
}

}  // namespace coco::domain
