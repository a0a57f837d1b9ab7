#include "persistence/pg_review_repositories.hpp"
#include "persistence/transaction.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/remediation_action_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresRemediationActionHarness : PgContractHarness {
  persistence::PgRemediationActionRepository repo{*pool, *audit};
  domain::RemediationActionRepository& repository() { return repo; }
  // As an approval stores its actions (the statement the repository prepared).
  void SeedAction(const domain::RemediationAction& action) {
    persistence::WithTransaction(*pool,
                                 [&](pqxx::work& tx) { persistence::InsertAction(tx, action); });
  }
};

using RemediationActionHarnesses = ::testing::Types<PostgresRemediationActionHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, RemediationActionRepositoryContract,
                               RemediationActionHarnesses);

}  // namespace
}  // namespace coco::test
