#include "persistence/pg_review_repositories.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/risk_exception_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresRiskExceptionHarness : PgContractHarness {
  persistence::PgRiskExceptionRepository repo{*pool, *audit};
  domain::RiskExceptionRepository& repository() { return repo; }
};

using RiskExceptionHarnesses = ::testing::Types<PostgresRiskExceptionHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, RiskExceptionRepositoryContract, RiskExceptionHarnesses);

}  // namespace
}  // namespace coco::test
