#include <memory>

#include "persistence/pg_supplier_repository.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/supplier_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresSupplierHarness : PgContractHarness {
  std::unique_ptr<persistence::PgSupplierRepository> repo =
      std::make_unique<persistence::PgSupplierRepository>(*pool, *audit);
  domain::SupplierRepository& repository() { return *repo; }
};

using SupplierHarnesses = ::testing::Types<PostgresSupplierHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, SupplierRepositoryContract, SupplierHarnesses);

}  // namespace
}  // namespace coco::test
