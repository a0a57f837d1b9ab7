#include "domain/service/service_service.hpp"

#include <algorithm>
#include <memory>

#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {
namespace {

JsonObject ProfileDetail(const std::string& canonical) {
  JsonObject detail;
  detail.SetRaw("profile", canonical);
  return detail;
}

std::optional<std::string> DateText(const std::optional<Date>& date) {
  return date ? std::optional<std::string>(date->ToString()) : std::nullopt;
}

std::vector<std::string> KeyNames(const std::vector<StandardKey>& keys) {
  std::vector<std::string> names;
  for (const auto key : keys) names.emplace_back(ToString(key));
  return names;
}

}  // namespace

RequiredStandard Required(const Standard& standard, const ScopeProfile& profile) {
  RequiredStandard result{
      standard.key, standard.version, standard.title, standard.AppliesTo(profile), "", 0, 0};
  const std::string& expression = standard.applies_when.text();
  if (expression.empty()) {
    result.reason = "required for every service";
  } else if (result.required) {
    result.reason = "required because the profile satisfies: " + expression;
  } else {
    result.reason = "not required because the profile does not satisfy: " + expression;
  }
  for (const Requirement* requirement : ApplicableRequirements(standard, profile)) {
    (requirement->level == Level::kMust ? result.must_count : result.should_count)++;
  }
  return result;
}

Service ServiceService::Create(const Actor& actor, const SupplierId& supplier,
                               const Parsed<NewService>& request) {
  Authorize(actor.principal, Permission::kEditService, supplier);
  NewService fields = request.Value();
  ValidateService(fields.name, fields.contract_ref, fields.contract_start, fields.contract_end,
                  fields.profile);
  const auto owner = suppliers_.Find(supplier);
  if (!owner) throw NotFound("no such supplier");
  if (owner->state != SupplierState::kActive) {
    throw FailedPrecondition("the supplier is offboarded; it can have no new services",
                             "supplier_offboarded");
  }
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  const std::string canonical = CanonicalProfile(fields.profile);
  auto required = RequiredKeys(fields.profile);
  Service service{ServiceId(ids_.NewId()),
                  supplier,
                  std::move(fields.name),
                  std::move(fields.contract_ref),
                  fields.contract_start,
                  fields.contract_end,
                  std::move(fields.profile),
                  hasher_.Sha256Hex(canonical),
                  now,
                  now,
                  1,
                  std::move(required)};
  AuditEntry audit{"service.create", "service", service.id.str(), supplier,
                   ProfileDetail(canonical)};
  audit.detail.Set("name", service.name)
      .Set("contract_ref", service.contract_ref)
      .Set("contract_start", DateText(service.contract_start))
      .Set("contract_end", DateText(service.contract_end));
  services_.Insert(service, actor, audit);
  return service;
}

Service ServiceService::Get(const Actor& actor, const ServiceId& id) {
  auto service = services_.Find(id);
  if (!service) throw NotFound("no such service");
  AuthorizeFound(actor.principal, Permission::kReadSupplier, service->supplier_id,
                 "no such service");
  return *service;
}

PageResult<Service> ServiceService::List(const Actor& actor, const SupplierId& supplier,
                                         const PageRequest& page) {
  Authorize(actor.principal, Permission::kReadSupplier, supplier);
  if (!suppliers_.Find(supplier)) throw NotFound("no such supplier");
  return services_.ListBySupplier(supplier, page);
}

Service ServiceService::Patch(const Actor& actor, const ServiceId& id,
                              const Parsed<ServicePatch>& request,
                              std::optional<long long> expected_version) {
  const Service current = Get(actor, id);  // 404 for another supplier's user
  Authorize(actor.principal, Permission::kEditService, current.supplier_id);
  const ServicePatch& patch = request.Value();
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  std::vector<StandardKey> required;
  if (patch.profile) {
    // Load every standard version now, so re-scoping inside the update's transaction reads only
    // the catalogue's cache and never takes a second pooled connection.
    for (const auto& info : catalogue_.Versions()) catalogue_.Get(info.key, info.version);
    required = RequiredKeys(*patch.profile);
  }
  return services_.Update(
      id, expected_version, actor,
      [&](Service& service) {
        AuditEntry audit{"service.update", "service", service.id.str(), service.supplier_id, {}};
        if (patch.name) service.name = *patch.name;
        if (patch.contract_ref) service.contract_ref = *patch.contract_ref;
        if (patch.contract_start) service.contract_start = *patch.contract_start;
        if (patch.contract_end) service.contract_end = *patch.contract_end;
        if (patch.profile) service.profile = *patch.profile;
        ValidateService(service.name, service.contract_ref, service.contract_start,
                        service.contract_end, service.profile);
        if (patch.name) audit.detail.Set("name", service.name);
        if (patch.contract_ref) audit.detail.Set("contract_ref", service.contract_ref);
        if (patch.contract_start)
          audit.detail.Set("contract_start", DateText(service.contract_start));
        if (patch.contract_end) audit.detail.Set("contract_end", DateText(service.contract_end));
        if (patch.profile) {
          const std::string canonical = CanonicalProfile(service.profile);
          const std::string hash = hasher_.Sha256Hex(canonical);
          if (hash != service.profile_hash) {
            audit.detail.SetRaw("profile", canonical);
            service.profile_hash = hash;
          }
          if (required != service.required_standards) {
            audit.detail.Set("required_standards", KeyNames(required));
            service.required_standards = required;
          }
        }
        service.updated_at = now;
        return audit;
      },
      [this](StandardKey key, const std::string& version, const ScopeProfile& profile) {
        return ScopedResponses(*catalogue_.Get(key, version), profile);
      });
}

namespace {

std::vector<std::shared_ptr<const Standard>> LatestStandards(Catalogue& catalogue) {
  // Versions() is sorted by key, then version: the last entry of each key is its latest.
  const auto versions = catalogue.Versions();
  std::vector<std::shared_ptr<const Standard>> latest;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i + 1 < versions.size() && versions[i + 1].key == versions[i].key) continue;
    latest.push_back(catalogue.Get(versions[i].key, versions[i].version));
  }
  return latest;
}

// The one evaluation of which standards a profile requires (DESIGN.md §2: each standard's
// applies_when over the profile); what it returns is stored on the service.
std::vector<StandardKey> RequiredKeysOf(const std::vector<std::shared_ptr<const Standard>>& latest,
                                        const ScopeProfile& profile) {
  std::vector<StandardKey> keys;
  for (const auto& standard : latest) {
    if (standard->AppliesTo(profile)) keys.push_back(standard->key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

std::vector<StandardKey> ServiceService::RequiredKeys(const ScopeProfile& profile) {
  return RequiredKeysOf(LatestStandards(catalogue_), profile);
}

std::vector<RequiredStandard> ServiceService::RequiredStandards(const Actor& actor,
                                                                const ServiceId& id) {
  const Service service = Get(actor, id);
  std::vector<RequiredStandard> result;
  for (const auto& standard : LatestStandards(catalogue_)) {
    result.push_back(Required(*standard, service.profile));
  }
  return result;
}

std::vector<ServiceId> ServiceService::ApplyCatalogue(const Actor& actor) {
  Authorize(actor.principal, Permission::kAdminister);
  const auto latest = LatestStandards(catalogue_);
  return services_.ReviseRequiredStandards(
      actor, [&](Service& service) -> std::optional<AuditEntry> {
        auto required = RequiredKeysOf(latest, service.profile);
        if (required == service.required_standards) return std::nullopt;
        AuditEntry audit{
            "service.required_standards", "service", service.id.str(), service.supplier_id, {}};
        audit.detail.Set("before", KeyNames(service.required_standards))
            .Set("after", KeyNames(required));
        service.required_standards = std::move(required);
        return audit;
      });
}

}  // namespace coco::domain
