#include "tests/support/fakes.hpp"
#include "tests/support/identity_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryIdentityHarness {
  InMemoryIdentityRepository repo;
  domain::IdentityRepository& repository() { return repo; }
  void Revoke(const domain::TokenId& token) { repo.Revoke(token); }
  void Disable(const domain::UserId& user) { repo.Disable(user); }
};

using IdentityHarnesses = ::testing::Types<InMemoryIdentityHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, IdentityRepositoryContract, IdentityHarnesses);

}  // namespace
}  // namespace coco::test
