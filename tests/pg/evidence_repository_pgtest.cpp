#include <memory>

#include "persistence/pg_evidence_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/evidence_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresHarness : PgContractHarness {
  persistence::PgEvidenceRepository repo{*pool, *audit};
  domain::EvidenceRepository& repository() { return repo; }
};

using Harnesses = ::testing::Types<PostgresHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, EvidenceRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
