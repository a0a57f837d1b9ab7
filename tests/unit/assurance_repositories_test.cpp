#include "tests/support/assessment_repository_contract.hpp"
#include "tests/support/memory_world.hpp"
#include "tests/support/service_repository_contract.hpp"

namespace coco::test {
namespace {

// The in-memory service and assessment repositories as MemoryWorld wires them: over one
// MemoryDatabase, with the supplier and evidence fakes behind their lookups.
struct InMemoryAssuranceHarness {
  MemoryWorld world;

  domain::ServiceRepository& services() { return world.service_repository; }
  domain::AssessmentRepository& assessments() { return world.assessment_repository; }
  domain::SupplierId AddSupplier() { return world.NewSupplier("supplier").id; }
  domain::EvidenceId AddEvidence(const domain::SupplierId& supplier) {
    return world.Upload(supplier, domain::EvidenceKind::kPolicy);
  }
  std::vector<std::string> AuditActions() { return world.database.AuditActions(); }
};

using AssuranceHarnesses = ::testing::Types<InMemoryAssuranceHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, ServiceRepositoryContract, AssuranceHarnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, AssessmentRepositoryContract, AssuranceHarnesses);

}  // namespace
}  // namespace coco::test
