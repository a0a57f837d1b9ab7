#include "tests/support/memory_supplier_repository.hpp"
#include "tests/support/supplier_repository_contract.hpp"

namespace coco::test {
namespace {

struct InMemoryHarness {
  InMemorySupplierRepository repo;
  domain::SupplierRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
};

using Harnesses = ::testing::Types<InMemoryHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, SupplierRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
