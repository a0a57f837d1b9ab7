#pragma once

#include <memory>
#include <string>

#include "domain/assessment/assessment_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_assessment_repository.hpp"
#include "tests/support/memory_catalogue_repository.hpp"
#include "tests/support/memory_service_repository.hpp"
#include "tests/support/memory_supplier_repository.hpp"

// The domain's use cases over in-memory repositories, with the shipped catalogue: for unit tests
// of their rules without a database. Tests/http holds the same stories over HTTP.
namespace coco::test {

class MemoryWorld {
 public:
  MemoryWorld();

  // A principal of `role` (and of `supplier`, for a supplier user), as authentication makes it.
  domain::Actor ActorOf(domain::Role role,
                        std::optional<domain::SupplierId> supplier = std::nullopt);
  domain::Actor Admin() { return ActorOf(domain::Role::kAdmin); }

  domain::Supplier NewSupplier(const std::string& name);
  domain::Service NewService(const domain::Supplier& supplier, const domain::ScopeProfile& profile);
  // A draft of the latest version of `key`, scoped on the service's profile.
  domain::Assessment NewDraft(const domain::Service& service, domain::StandardKey key);

  FakeClock clock;
  FakeHasher hasher;
  SequentialIds ids{1000};
  MemoryDatabase database;
  InMemorySupplierRepository supplier_repository;
  InMemoryServiceRepository service_repository{database};
  InMemoryAssessmentRepository assessment_repository{database};
  InMemoryCatalogueRepository catalogue_repository;
  domain::Catalogue catalogue{catalogue_repository};
  domain::SupplierService suppliers{supplier_repository, ids, clock};
  domain::ServiceService services{
      service_repository, supplier_repository, catalogue, ids, hasher, clock};

 private:
  int next_user_ = 100;
};

}  // namespace coco::test
