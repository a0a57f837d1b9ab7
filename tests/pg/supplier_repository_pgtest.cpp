#include <memory>
#include <sstream>

#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/supplier_repository_contract.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {
namespace {

struct PostgresHarness {
  TestDatabase database;
  security::OpensslHasher hasher;  // the audit chain checks its hashes
  FakeClock clock;
  std::unique_ptr<persistence::ConnectionPool> pool;
  std::unique_ptr<persistence::PgAuditLog> audit;
  std::unique_ptr<persistence::PgSupplierRepository> repo;

  PostgresHarness() {
    database.Migrate();
    pool =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database.url(), 2});
    audit = std::make_unique<persistence::PgAuditLog>(hasher, clock);
    repo = std::make_unique<persistence::PgSupplierRepository>(*pool, *audit);
  }
  domain::SupplierRepository& repository() { return *repo; }
  std::vector<std::string> AuditActions() const {
    std::vector<std::string> actions;
    std::istringstream lines(
        database.QueryValue("SELECT coalesce(string_agg(action, E'\\n' ORDER BY seq), '') FROM "
                            "audit_events"));
    for (std::string line; std::getline(lines, line);) actions.push_back(line);
    return actions;
  }
};

using Harnesses = ::testing::Types<PostgresHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, SupplierRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
