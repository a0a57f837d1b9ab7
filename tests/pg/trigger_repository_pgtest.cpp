#include "persistence/pg_review_repositories.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/trigger_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresTriggerHarness : PgContractHarness {
  persistence::PgTriggerRepository repo{*pool, *audit};
  domain::TriggerRepository& repository() { return repo; }
};

using TriggerHarnesses = ::testing::Types<PostgresTriggerHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, TriggerRepositoryContract, TriggerHarnesses);

}  // namespace
}  // namespace coco::test
