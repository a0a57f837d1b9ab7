#include "tests/support/memory_supplier_repository.hpp"

#include <algorithm>

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

void InMemorySupplierRepository::Insert(const domain::Supplier& supplier, const domain::Actor&,
                                        const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (!suppliers_.emplace(supplier.id.str(), supplier).second) {
    throw domain::AlreadyExists("a supplier with this id exists");
  }
  audit_.push_back(audit);
}

std::optional<domain::Supplier> InMemorySupplierRepository::Find(const domain::SupplierId& id) {
  std::lock_guard lock(mutex_);
  const auto found = suppliers_.find(id.str());
  if (found == suppliers_.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::Supplier> InMemorySupplierRepository::List(
    const std::optional<domain::SupplierId>& only, const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  std::vector<domain::Supplier> all;
  for (const auto& [id, supplier] : suppliers_) {
    if (!only || supplier.id == *only) all.push_back(supplier);
  }
  return KeysetPageOf(std::move(all), page,
                      [](const domain::Supplier& supplier) { return supplier.created_at; });
}

domain::Supplier InMemorySupplierRepository::Update(
    const domain::SupplierId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::Supplier&)>& change) {
  std::lock_guard lock(mutex_);
  const auto found = suppliers_.find(id.str());
  if (found == suppliers_.end()) throw domain::NotFound("no such supplier");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  domain::Supplier changed = found->second;  // a change that throws leaves the stored one alone
  const domain::AuditEntry audit = change(changed);
  ++changed.version;
  found->second = changed;
  audit_.push_back(audit);
  return changed;
}

std::vector<std::string> InMemorySupplierRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
