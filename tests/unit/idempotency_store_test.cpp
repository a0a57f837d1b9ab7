#include "tests/support/idempotency_store_contract.hpp"
#include "tests/support/memory_idempotency_store.hpp"

namespace coco::test {
namespace {

struct InMemoryIdempotencyStoreHarness {
  FakeClock clock;
  InMemoryIdempotencyStore memory{clock};
  domain::IdempotencyStore& store() { return memory; }
  void Claim(const domain::IdempotencyClaim& claim, const std::string& entity,
             const std::string& entity_id) {
    ASSERT_TRUE(memory.Claim(claim, entity, entity_id));
  }
  void Advance(std::chrono::system_clock::duration by) { clock.Advance(by); }
  std::chrono::system_clock::time_point Now() const { return clock.Now(); }
};

using IdempotencyStoreHarnesses = ::testing::Types<InMemoryIdempotencyStoreHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, IdempotencyStoreContract, IdempotencyStoreHarnesses);

}  // namespace
}  // namespace coco::test
