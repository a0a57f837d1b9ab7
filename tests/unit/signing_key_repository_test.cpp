#include "tests/support/memory_signing_key_repository.hpp"
#include "tests/support/signing_key_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryHarness {
  InMemorySigningKeyRepository repo;
  domain::SigningKeyRepository& repository() { return repo; }
};

using Harnesses = ::testing::Types<InMemoryHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, SigningKeyRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
