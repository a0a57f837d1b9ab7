#include "tests/support/memory_remediation_action_repository.hpp"
#include "tests/support/remediation_action_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryRemediationActionHarness {
  InMemoryRemediationActionRepository repo;
  domain::RemediationActionRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  // The fake keeps no users, assessments or files: an action's references are its creator's.
  void SeedUser(const domain::UserId&) {}
  void SeedAssessment(const domain::Assessment&) {}
  void SeedEvidence(const domain::EvidenceId&, const domain::SupplierId&) {}
  void SeedAction(const domain::RemediationAction& action) { repo.AddAction(action); }
};

using RemediationActionHarnesses = ::testing::Types<InMemoryRemediationActionHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, RemediationActionRepositoryContract,
                               RemediationActionHarnesses);

}  // namespace
}  // namespace coco::test
