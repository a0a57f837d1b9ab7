#include "persistence/pg_idempotency_store.hpp"
#include "persistence/transaction.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/idempotency_store_contract.hpp"

namespace coco::test {
namespace {

struct PostgresIdempotencyStoreHarness : PgContractHarness {
  persistence::PgIdempotencyStore pg_store{*pool, clock};
  domain::IdempotencyStore& store() { return pg_store; }
  // A write guarded by `claim`: its audit append takes the key in the same transaction.
  void Claim(const domain::IdempotencyClaim& claim, const std::string& entity,
             const std::string& entity_id) {
    auto actor = ContractAdmin();
    actor.idempotency = claim;
    persistence::WithTransaction(*pool, [&](pqxx::work& tx) {
      audit->Append(tx, actor, domain::AuditEntry{"thing.create", entity, entity_id, {}, {}});
    });
  }
  void Advance(std::chrono::system_clock::duration by) { clock.Advance(by); }
  std::chrono::system_clock::time_point Now() const { return clock.Now(); }
};

using IdempotencyStoreHarnesses = ::testing::Types<PostgresIdempotencyStoreHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, IdempotencyStoreContract, IdempotencyStoreHarnesses);

}  // namespace
}  // namespace coco::test
