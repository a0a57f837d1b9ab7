#include "tests/support/memory_trigger_repository.hpp"
#include "tests/support/trigger_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryTriggerHarness {
  InMemoryTriggerRepository repo;
  domain::TriggerRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  // The fake keeps no users or services: a trigger's references are the caller's to check.
  void SeedUser(const domain::UserId&) {}
  void SeedService(const domain::ServiceId&, const domain::SupplierId&) {}
};

using TriggerHarnesses = ::testing::Types<InMemoryTriggerHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, TriggerRepositoryContract, TriggerHarnesses);

}  // namespace
}  // namespace coco::test
