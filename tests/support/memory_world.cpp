#include "tests/support/memory_world.hpp"

#include <filesystem>

#include "app/catalogue_files.hpp"
#include "security/openssl_hasher.hpp"

namespace coco::test {

MemoryWorld::MemoryWorld() {
  security::OpensslHasher sha256;  // the catalogue's content hashes are real ones
  catalogue_repository.Import(
      app::LoadCatalogueDirectory(std::filesystem::path(COCO_SOURCE_DIR) / "standards", sha256));
  database.supplier_exists = [this](const domain::SupplierId& id) {
    return supplier_repository.Find(id).has_value();
  };
}

domain::Actor MemoryWorld::ActorOf(domain::Role role, std::optional<domain::SupplierId> supplier) {
  const int n = ++next_user_;
  return domain::Actor{domain::Principal{domain::UserId::Parse(NthUuid(n)),
                                         std::string(domain::ToString(role)),
                                         role,
                                         std::move(supplier),
                                         {},
                                         domain::TokenId::Parse(NthUuid(n + 50000)),
                                         clock.Now() + std::chrono::hours(24)},
                       "unit-request-" + std::to_string(n)};
}

domain::Supplier MemoryWorld::NewSupplier(const std::string& name) {
  return suppliers.Create(Admin(), domain::NewSupplier{name, std::nullopt, "security@example.org"});
}

domain::Service MemoryWorld::NewService(const domain::Supplier& supplier,
                                        const domain::ScopeProfile& profile) {
  return services.Create(
      Admin(), supplier.id,
      domain::NewService{"payroll", std::nullopt, std::nullopt, std::nullopt, profile});
}

domain::Assessment MemoryWorld::NewDraft(const domain::Service& service, domain::StandardKey key) {
  const auto standard = catalogue.Latest(key);
  domain::Assessment draft{domain::AssessmentId(ids.NewId()),
                           service.id,
                           service.supplier_id,
                           key,
                           standard->version,
                           domain::AssessmentState::kDraft,
                           service.profile_hash,
                           Admin().principal.user_id,
                           clock.Now(),
                           std::nullopt,
                           1,
                           domain::ScopedResponses(*standard, service.profile)};
  assessment_repository.Create(
      draft, Admin(),
      domain::AuditEntry{
          "assessment.start", "assessment", draft.id.str(), service.supplier_id, {}});
  return draft;
}

}  // namespace coco::test
