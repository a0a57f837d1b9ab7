#include "persistence/pg_audit_repository.hpp"
#include "persistence/transaction.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/audit_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresAuditHarness : PgContractHarness {
  persistence::PgAuditRepository repo{*pool};
  domain::AuditRepository& repository() { return repo; }
  // As a write appends, in a transaction of its own.
  long long Append(const domain::Actor& actor, const domain::AuditEntry& entry) {
    return persistence::WithTransaction(
        *pool, [&](pqxx::work& tx) { return audit->Append(tx, actor, entry); });
  }
  void Advance(std::chrono::system_clock::duration by) { clock.Advance(by); }
  std::chrono::system_clock::time_point Now() const { return clock.Now(); }
  void TamperDetail(long long seq, const std::string& detail) {
    database.Exec("UPDATE audit_events SET detail = '" + detail +
                  "' WHERE seq = " + std::to_string(seq));
  }
};

using AuditHarnesses = ::testing::Types<PostgresAuditHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, AuditRepositoryContract, AuditHarnesses);

}  // namespace
}  // namespace coco::test
