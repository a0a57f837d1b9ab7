#include <memory>

#include "persistence/pg_evidence_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/evidence_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresEvidenceHarness : PgContractHarness {
  persistence::PgEvidenceRepository repo{*pool, *audit};
  domain::EvidenceRepository& repository() { return repo; }
};

using EvidenceHarnesses = ::testing::Types<PostgresEvidenceHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, EvidenceRepositoryContract, EvidenceHarnesses);

}  // namespace
}  // namespace coco::test
