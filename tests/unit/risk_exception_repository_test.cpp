#include "tests/support/memory_risk_exception_repository.hpp"
#include "tests/support/risk_exception_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryHarness {
  InMemoryRiskExceptionRepository repo;
  domain::RiskExceptionRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  void SeedUser(const domain::UserId&) {}  // the fake keeps no users
  void SeedSupplier(const domain::SupplierId& supplier) { repo.AddSupplier(supplier); }
  void SeedAssessment(const domain::Assessment& assessment) { repo.AddAssessment(assessment); }
};

using Harnesses = ::testing::Types<InMemoryHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, RiskExceptionRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
