#include "tests/support/evidence_repository_contract.hpp"
#include "tests/support/memory_evidence_repository.hpp"

namespace coco::test {
namespace {

struct InMemoryEvidenceHarness {
  InMemoryEvidenceRepository repo;
  domain::EvidenceRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  // The fake keeps no suppliers or users: a file's references are the caller's to check.
  void SeedSupplier(const domain::SupplierId&) {}
  void SeedUser(const domain::UserId&) {}
};

using EvidenceHarnesses = ::testing::Types<InMemoryEvidenceHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, EvidenceRepositoryContract, EvidenceHarnesses);

}  // namespace
}  // namespace coco::test
