#pragma once

#include <string>
#include <vector>

#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/service/service_repository.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_repository.hpp"

namespace coco::domain {

// Why a standard is or is not required for a service.
struct RequiredStandard {
  StandardKey key;
  std::string version;
  std::string title;
  bool required;
  std::string reason;
  int must_count = 0;    // applicable MUST requirements (0 when not required)
  int should_count = 0;  // applicable SHOULD requirements
};

// Use cases on services (DESIGN.md §4: the owning supplier and admins create and edit them;
// every staff role reads them).
class ServiceService {
 public:
  ServiceService(ServiceRepository& services, SupplierRepository& suppliers, Catalogue& catalogue,
                 IdGenerator& ids, const Hasher& hasher, const Clock& clock)
      : services_(services),
        suppliers_(suppliers),
        catalogue_(catalogue),
        ids_(ids),
        hasher_(hasher),
        clock_(clock) {}

  Service Create(const Actor& actor, const SupplierId& supplier, const Parsed<NewService>& service);
  Service Get(const Actor& actor, const ServiceId& id);
  PageResult<Service> List(const Actor& actor, const SupplierId& supplier, const PageRequest& page);
  Service Patch(const Actor& actor, const ServiceId& id, const Parsed<ServicePatch>& patch,
                std::optional<long long> expected_version);
  // Every standard of the catalogue (latest versions), whether the profile requires it and why,
  // with the counts of the requirements that apply.
  std::vector<RequiredStandard> RequiredStandards(const Actor& actor, const ServiceId& id);
  // After a standard version is imported: every service whose required standards the latest
  // versions' applies_when now answer differently gets them stored, audited as
  // "service.required_standards". Admins only. Returns the services changed.
  std::vector<ServiceId> ApplyCatalogue(const Actor& actor);

 private:
  // The keys of the standards `profile` requires, by the latest version of each standard.
  std::vector<StandardKey> RequiredKeys(const ScopeProfile& profile);

  ServiceRepository& services_;
  SupplierRepository& suppliers_;
  Catalogue& catalogue_;
  IdGenerator& ids_;
  const Hasher& hasher_;
  const Clock& clock_;
};

// The same answer as ServiceService::RequiredStandards for a profile and a set of standards; pure.
RequiredStandard Required(const Standard& standard, const ScopeProfile& profile);

}  // namespace coco::domain
