#include "tests/support/memory_signing_key_repository.hpp"
#include "tests/support/signing_key_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemorySigningKeyHarness {
  InMemorySigningKeyRepository repo;
  domain::SigningKeyRepository& repository() { return repo; }
};

using SigningKeyHarnesses = ::testing::Types<InMemorySigningKeyHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, SigningKeyRepositoryContract, SigningKeyHarnesses);

}  // namespace
}  // namespace coco::test
