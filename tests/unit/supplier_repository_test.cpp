#include "tests/support/memory_supplier_repository.hpp"
#include "tests/support/supplier_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemorySupplierHarness {
  InMemorySupplierRepository repo;
  domain::SupplierRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
};

using SupplierHarnesses = ::testing::Types<InMemorySupplierHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, SupplierRepositoryContract, SupplierHarnesses);

}  // namespace
}  // namespace coco::test
