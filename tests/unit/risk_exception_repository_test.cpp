#include "tests/support/memory_risk_exception_repository.hpp"
#include "tests/support/risk_exception_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryRiskExceptionHarness {
  InMemoryRiskExceptionRepository repo;
  domain::RiskExceptionRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  void SeedUser(const domain::UserId&) {}  // the fake keeps no users
  void SeedSupplier(const domain::SupplierId& supplier) { repo.AddSupplier(supplier); }
  void SeedAssessment(const domain::Assessment& assessment) { repo.AddAssessment(assessment); }
};

using RiskExceptionHarnesses = ::testing::Types<InMemoryRiskExceptionHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, RiskExceptionRepositoryContract, RiskExceptionHarnesses);

}  // namespace
}  // namespace coco::test
