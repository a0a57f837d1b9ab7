#include <gtest/gtest.h>

#include "domain/common/error.hpp"
#include "tests/support/assurance_contract.hpp"
#include "tests/support/memory_world.hpp"
#include "tests/support/repository_contract_support.hpp"

// The rules of ServiceService (domain/service), on in-memory repositories.
namespace coco::test {
namespace {

class ServiceServiceTest : public ::testing::Test {
 protected:
  MemoryWorld world_;
  domain::Supplier acme_ = world_.NewSupplier("Acme");
  domain::Actor acme_user_ = world_.ActorOf(domain::Role::kSupplier, acme_.id);

  template <typename T>
  static domain::Parsed<T> Unreadable() {
    return domain::Parsed<T>::Unreadable(
        std::make_exception_ptr(domain::InvalidArgument("the body is invalid", "invalid_body")));
  }

  domain::ServicePatch ProfilePatch(const domain::ScopeProfile& profile) {
    domain::ServicePatch patch;
    patch.profile = profile;
    return patch;
  }
};

TEST_F(ServiceServiceTest, OwnerCreatesAServiceHashedOnItsProfile) {
  const auto service = world_.services.Create(
      acme_user_, acme_.id,
      domain::NewService{"payroll", "CR-9", std::nullopt, std::nullopt, Connected()});
  EXPECT_EQ(service.supplier_id, acme_.id);
  EXPECT_EQ(service.profile_hash, world_.hasher.Sha256Hex(domain::CanonicalProfile(Connected())));
  EXPECT_EQ(world_.service_repository.Find(service.id)->name, "payroll");
  EXPECT_EQ(world_.database.AuditActions(), std::vector<std::string>{"service.create"});
}

TEST_F(ServiceServiceTest, OffboardedSupplierGetsNoNewService) {
  domain::SupplierPatch offboard;
  offboard.state = domain::SupplierState::kOffboarded;
  world_.suppliers.Patch(world_.Admin(), acme_.id, offboard, std::nullopt);
  EXPECT_EQ(CodeOf([&] { world_.NewService(acme_, Connected()); }), "supplier_offboarded");
  EXPECT_TRUE(world_.service_repository.ListBySupplier(acme_.id, {}).items.empty());
}

TEST_F(ServiceServiceTest, CallersWhoMayNotActAreRefusedBeforeTheirBodyIsJudged) {
  const auto other = world_.NewSupplier("Other");
  const auto service = world_.NewService(acme_, Connected());
  const auto other_user = world_.ActorOf(domain::Role::kSupplier, other.id);
  const auto procurement = world_.ActorOf(domain::Role::kProcurement);
  // Another supplier's user: the service does not exist for it, whatever it sent.
  EXPECT_EQ(ErrorKindOf([&] {
              world_.services.Patch(other_user, service.id, Unreadable<domain::ServicePatch>(),
                                    std::nullopt);
            }),
            domain::ErrorKind::kNotFound);
  // A role that may read but not edit: 403, not the 422 its body deserves.
  EXPECT_EQ(ErrorKindOf([&] {
              world_.services.Patch(procurement, service.id, Unreadable<domain::ServicePatch>(),
                                    std::nullopt);
            }),
            domain::ErrorKind::kPermissionDenied);
  EXPECT_EQ(ErrorKindOf([&] {
              world_.services.Create(other_user, acme_.id, Unreadable<domain::NewService>());
            }),
            domain::ErrorKind::kNotFound);
  // The owner hears about the body.
  EXPECT_EQ(ErrorKindOf([&] {
              world_.services.Patch(acme_user_, service.id, Unreadable<domain::ServicePatch>(),
                                    std::nullopt);
            }),
            domain::ErrorKind::kInvalidArgument);
  EXPECT_EQ(world_.service_repository.Find(service.id)->version, 1);
}

TEST_F(ServiceServiceTest, ContractEndBeforeStartIsRefusedAndChangesNothing) {
  const auto service = world_.NewService(acme_, Connected());
  domain::ServicePatch patch;
  patch.contract_start = domain::Date::Parse("2027-01-01");
  patch.contract_end = domain::Date::Parse("2026-12-31");
  EXPECT_EQ(
      ErrorKindOf([&] { world_.services.Patch(acme_user_, service.id, patch, std::nullopt); }),
      domain::ErrorKind::kInvalidArgument);
  const auto stored = *world_.service_repository.Find(service.id);
  EXPECT_FALSE(stored.contract_start.has_value());
  EXPECT_EQ(stored.version, 1);
}

TEST_F(ServiceServiceTest, NewProfileRescopesDraftsAndTheAuditSaysWhich) {
  const auto service = world_.NewService(acme_, Connected());
  const auto coco = world_.NewDraft(service, domain::StandardKey::kCoco);
  const auto supplier = world_.NewDraft(service, domain::StandardKey::kSupplier);
  const auto patched =
      world_.services.Patch(acme_user_, service.id, ProfilePatch(Connected(true)), std::nullopt);
  EXPECT_NE(patched.profile_hash, service.profile_hash);
  const auto rescoped = *world_.assessment_repository.Find(coco.id);
  EXPECT_EQ(rescoped.responses.size(), coco.responses.size() - 1);  // a UK-only requirement went
  EXPECT_EQ(rescoped.profile_hash, patched.profile_hash);
  EXPECT_EQ(world_.assessment_repository.Find(supplier.id)->responses.size(),
            supplier.responses.size());
  const auto& audit = world_.database.audit.back();
  EXPECT_EQ(audit.action, "service.update");
  EXPECT_NE(audit.detail.Text().find(coco.id.str()), std::string::npos);
  EXPECT_NE(audit.detail.Text().find("\"offshore\""), std::string::npos);
}

TEST_F(ServiceServiceTest, SameProfileWrittenAgainKeepsItsHash) {
  const auto service = world_.NewService(acme_, Connected());
  const auto patched =
      world_.services.Patch(acme_user_, service.id, ProfilePatch(Connected()), std::nullopt);
  EXPECT_EQ(patched.profile_hash, service.profile_hash);
  EXPECT_EQ(patched.version, 2);
}

TEST_F(ServiceServiceTest, RequiredStandardsSayWhyFromTheCatalogue) {
  const auto service = world_.NewService(acme_, Connected());
  const auto required = world_.services.RequiredStandards(acme_user_, service.id);
  std::map<domain::StandardKey, domain::RequiredStandard> by_key;
  for (const auto& standard : required) by_key.emplace(standard.key, standard);
  ASSERT_EQ(by_key.size(), 4u);
  EXPECT_TRUE(by_key.at(domain::StandardKey::kCoco).required);
  EXPECT_EQ(by_key.at(domain::StandardKey::kCoco).reason,
            "required because the profile satisfies: connects_to_network");
  EXPECT_FALSE(by_key.at(domain::StandardKey::kOffshoring).required);
  EXPECT_EQ(by_key.at(domain::StandardKey::kOffshoring).must_count, 0);
  EXPECT_EQ(by_key.at(domain::StandardKey::kSupplier).reason, "required for every service");
  // Another supplier's user cannot learn that the service exists.
  const auto other = world_.ActorOf(domain::Role::kSupplier, world_.NewSupplier("Other").id);
  EXPECT_EQ(ErrorKindOf([&] { world_.services.RequiredStandards(other, service.id); }),
            domain::ErrorKind::kNotFound);
}

// Which standards a service requires is the catalogue's applies_when, evaluated when the
// profile is written and when a version is imported, and stored on the service.
TEST_F(ServiceServiceTest, RequiredStandardsAreStoredFromTheCatalogueAndFollowANewVersion) {
  using K = domain::StandardKey;
  const domain::ScopeProfile plain;
  const auto create = [&](const std::string& name, const domain::ScopeProfile& profile) {
    return world_.services.Create(
        acme_user_, acme_.id,
        domain::NewService{name, std::nullopt, std::nullopt, std::nullopt, profile});
  };
  const auto site = create("site", plain);
  EXPECT_EQ(site.required_standards, (std::vector<K>{K::kCryptography, K::kSupplier}));
  const auto connected =
      world_.services.Patch(acme_user_, site.id, ProfilePatch(Connected()), std::nullopt);
  EXPECT_EQ(connected.required_standards,
            (std::vector<K>{K::kCoco, K::kCryptography, K::kSupplier}));
  const auto legacy = create("legacy", plain);
  EXPECT_EQ(world_.services.ApplyCatalogue(world_.Admin()), std::vector<domain::ServiceId>{});

  // CRYPTOGRAPHY 1.1 applies only to connected services and to personal data.
  auto next = *world_.catalogue.Latest(K::kCryptography);
  next.version = "1.1";
  next.applies_when = domain::AppliesWhen::Parse("connects_to_network || personal_data");
  world_.catalogue_repository.Import({next});
  EXPECT_EQ(create("new", plain).required_standards, std::vector<K>{K::kSupplier});
  // A service stored before the import keeps its standards until the catalogue is applied,
  // which only an admin (or the server itself) does.
  EXPECT_EQ(world_.service_repository.Find(legacy.id)->required_standards,
            (std::vector<K>{K::kCryptography, K::kSupplier}));
  EXPECT_THROW(world_.services.ApplyCatalogue(acme_user_), domain::Error);
  EXPECT_EQ(world_.services.ApplyCatalogue(world_.Admin()),
            std::vector<domain::ServiceId>{legacy.id});
  EXPECT_EQ(world_.service_repository.Find(legacy.id)->required_standards,
            std::vector<K>{K::kSupplier});
  EXPECT_EQ(world_.service_repository.Find(site.id)->required_standards,
            (std::vector<K>{K::kCoco, K::kCryptography, K::kSupplier}));
  EXPECT_EQ(world_.database.AuditActions().back(), "service.required_standards");
}

}  // namespace
}  // namespace coco::test
