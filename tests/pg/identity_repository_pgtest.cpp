#include <memory>

#include "persistence/connection_pool.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "tests/support/identity_repository_contract.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {
namespace {

struct PostgresIdentityHarness {
  TestDatabase database;
  std::unique_ptr<persistence::ConnectionPool> pool;
  std::unique_ptr<persistence::PgIdentityRepository> repo;

  PostgresIdentityHarness() {
    database.Migrate();
    pool =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database.url(), 2});
    repo = std::make_unique<persistence::PgIdentityRepository>(*pool);
  }
  domain::IdentityRepository& repository() { return *repo; }
  void Revoke(const domain::TokenId& token) {
    database.Exec("UPDATE tokens SET revoked_at = now() WHERE id = '" + token.str() + "'");
  }
  void Disable(const domain::UserId& user) {
    database.Exec("UPDATE users SET state = 'disabled' WHERE id = '" + user.str() + "'");
  }
};

using IdentityHarnesses = ::testing::Types<PostgresIdentityHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, IdentityRepositoryContract, IdentityHarnesses);

}  // namespace
}  // namespace coco::test
