#include "persistence/pg_signing_key_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/signing_key_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresHarness : PgContractHarness {
  persistence::PgSigningKeyRepository repo{*pool};
  domain::SigningKeyRepository& repository() { return repo; }
};

using Harnesses = ::testing::Types<PostgresHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, SigningKeyRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
