#include "persistence/pg_signing_key_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/signing_key_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresSigningKeyHarness : PgContractHarness {
  persistence::PgSigningKeyRepository repo{*pool};
  domain::SigningKeyRepository& repository() { return repo; }
};

using SigningKeyHarnesses = ::testing::Types<PostgresSigningKeyHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, SigningKeyRepositoryContract, SigningKeyHarnesses);

}  // namespace
}  // namespace coco::test
