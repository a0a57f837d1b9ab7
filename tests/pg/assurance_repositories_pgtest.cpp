#include <filesystem>
#include <memory>

#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_service_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/assessment_repository_contract.hpp"
#include "tests/support/service_repository_contract.hpp"

namespace coco::test {
namespace {

// The PostgreSQL service and assessment repositories on the contract harness's database, with
// the shipped catalogue imported (assessments and responses refer to it); suppliers and files
// are seeded with SQL, so they append nothing to the audit chain.
struct PostgresAssuranceHarness : PgContractHarness {
  std::unique_ptr<persistence::PgServiceRepository> service_repository;
  std::unique_ptr<persistence::PgAssessmentRepository> assessment_repository;
  int next_id = 5000;

  PostgresAssuranceHarness() {
    service_repository = std::make_unique<persistence::PgServiceRepository>(*pool, *audit);
    assessment_repository = std::make_unique<persistence::PgAssessmentRepository>(*pool, *audit);
    persistence::PgCatalogueRepository catalogue(*pool);
    catalogue.Import(
        app::LoadCatalogueDirectory(std::filesystem::path(COCO_SOURCE_DIR) / "standards", sha256));
    SeedUser(ContractAdminId());
  }

  domain::ServiceRepository& services() { return *service_repository; }
  domain::AssessmentRepository& assessments() { return *assessment_repository; }
  domain::SupplierId AddSupplier() {
    const auto id = domain::SupplierId::Parse(NthUuid(++next_id));
    SeedSupplier(id);
    return id;
  }
  domain::EvidenceId AddEvidence(const domain::SupplierId& supplier) {
    const auto id = domain::EvidenceId::Parse(NthUuid(++next_id));
    SeedEvidence(id, supplier);
    return id;
  }
};

using AssuranceHarnesses = ::testing::Types<PostgresAssuranceHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, ServiceRepositoryContract, AssuranceHarnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, AssessmentRepositoryContract, AssuranceHarnesses);

}  // namespace
}  // namespace coco::test
