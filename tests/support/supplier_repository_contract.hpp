#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/supplier/supplier_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every SupplierRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository() and AuditActions(): the audit actions
// appended so far, oldest first.
namespace coco::test {

template <typename Harness>
class SupplierRepositoryContract : public ::testing::Test {
 protected:
  Harness harness_;
  domain::SupplierRepository& repository() { return harness_.repository(); }

  // A supplier created `seconds` after a fixed moment, with the n-th id.
  static domain::Supplier Make(int n, int seconds, const std::string& name) {
    const auto at = ContractMoment(seconds);
    return domain::Supplier{
        domain::SupplierId::Parse(NthUuid(n)), name, std::nullopt, name + "@example.org",
        domain::SupplierState::kActive,        at,   at,           1};
  }

  domain::Supplier Inserted(int n, int seconds, const std::string& name) {
    auto supplier = Make(n, seconds, name);
    repository().Insert(
        supplier, ContractAdmin(),
        domain::AuditEntry{"supplier.create", "supplier", supplier.id.str(), supplier.id, {}});
    return supplier;
  }

  static std::vector<std::string> Names(const domain::PageResult<domain::Supplier>& page) {
    std::vector<std::string> names;
    for (const auto& supplier : page.items) names.push_back(supplier.name);
    return names;
  }
};

TYPED_TEST_SUITE_P(SupplierRepositoryContract);

TYPED_TEST_P(SupplierRepositoryContract, AnInsertedSupplierIsFoundAsStoredWithItsAuditEvent) {
  const auto stored = this->Inserted(1, 0, "Acme");
  const auto found = this->repository().Find(stored.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Acme");
  EXPECT_EQ(found->contact_email, "Acme@example.org");
  EXPECT_EQ(found->state, domain::SupplierState::kActive);
  EXPECT_EQ(found->created_at, stored.created_at);
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"supplier.create"});
  EXPECT_FALSE(this->repository().Find(domain::SupplierId::Parse(NthUuid(2))).has_value());
}

TYPED_TEST_P(SupplierRepositoryContract, ListsOldestFirstAPageAtATime) {
  this->Inserted(3, 30, "third");
  this->Inserted(1, 10, "first");
  this->Inserted(2, 20, "second");
  const auto all = this->repository().List(std::nullopt, domain::PageRequest{50, std::nullopt});
  EXPECT_EQ(this->Names(all), (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_FALSE(all.next.has_value());

  const auto first = this->repository().List(std::nullopt, domain::PageRequest{2, std::nullopt});
  EXPECT_EQ(this->Names(first), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->repository().List(std::nullopt, domain::PageRequest{2, first.next});
  EXPECT_EQ(this->Names(rest), std::vector<std::string>{"third"});
  EXPECT_FALSE(rest.next.has_value());

  const auto only = this->repository().List(domain::SupplierId::Parse(NthUuid(2)),
                                            domain::PageRequest{50, std::nullopt});
  EXPECT_EQ(this->Names(only), std::vector<std::string>{"second"});
}

TYPED_TEST_P(SupplierRepositoryContract, AnUpdateSavesTheChangeWithTheNextVersion) {
  const auto stored = this->Inserted(1, 0, "Acme");
  const auto updated =
      this->repository().Update(stored.id, 1, ContractAdmin(), [](domain::Supplier& supplier) {
        supplier.name = "Acme Ltd";
        return domain::AuditEntry{
            "supplier.update", "supplier", supplier.id.str(), supplier.id, {}};
      });
  EXPECT_EQ(updated.name, "Acme Ltd");
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(this->repository().Find(stored.id)->name, "Acme Ltd");
  EXPECT_EQ(this->repository().Find(stored.id)->version, 2);
  EXPECT_EQ(this->harness_.AuditActions(),
            (std::vector<std::string>{"supplier.create", "supplier.update"}));
}

TYPED_TEST_P(SupplierRepositoryContract, AStaleVersionOrAFailingChangeChangesNothing) {
  const auto stored = this->Inserted(1, 0, "Acme");
  auto rename = [](domain::Supplier& supplier) {
    supplier.name = "changed";
    return domain::AuditEntry{"supplier.update", "supplier", supplier.id.str(), supplier.id, {}};
  };
  try {
    this->repository().Update(stored.id, 7, ContractAdmin(), rename);
    FAIL() << "a stale version was accepted";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kVersionMismatch);
    EXPECT_EQ(error.code(), "precondition_failed");
  }
  try {
    this->repository().Update(stored.id, std::nullopt, ContractAdmin(),
                              [](domain::Supplier& supplier) -> domain::AuditEntry {
                                supplier.name = "half-changed";
                                throw domain::InvalidArgument("no", "refused");
                              });
    FAIL() << "the change's error was swallowed";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), "refused");
  }
  const auto found = this->repository().Find(stored.id);
  EXPECT_EQ(found->name, "Acme");
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"supplier.create"});
}

TYPED_TEST_P(SupplierRepositoryContract, UpdatingAMissingSupplierIsNotFound) {
  try {
    this->repository().Update(
        domain::SupplierId::Parse(NthUuid(5)), std::nullopt, ContractAdmin(),
        [](domain::Supplier& supplier) {
          return domain::AuditEntry{
              "supplier.update", "supplier", supplier.id.str(), supplier.id, {}};
        });
    FAIL() << "a missing supplier was updated";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kNotFound);
  }
}

REGISTER_TYPED_TEST_SUITE_P(SupplierRepositoryContract,
                            AnInsertedSupplierIsFoundAsStoredWithItsAuditEvent,
                            ListsOldestFirstAPageAtATime, AnUpdateSavesTheChangeWithTheNextVersion,
                            AStaleVersionOrAFailingChangeChangesNothing,
                            UpdatingAMissingSupplierIsNotFound);

}  // namespace coco::test
