#pragma once

#include "tests/support/assurance_contract.hpp"

// The contract every ServiceRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg); the Harness is AssuranceContract's.
namespace coco::test {

template <typename Harness>
class ServiceRepositoryContract : public AssuranceContract<Harness> {
 protected:
  // Re-scopes as ServiceService does: to the requirements of the standard that apply.
  static domain::ServiceRepository::Rescope ShippedRescope() {
    return [](domain::StandardKey key, const std::string&, const domain::ScopeProfile& profile) {
      return domain::ScopedResponses(ShippedStandard(key), profile);
    };
  }

  domain::Service ChangeProfile(const domain::Service& service,
                                const domain::ScopeProfile& profile) {
    return this->services().Update(
        service.id, std::nullopt, ContractAdmin(),
        [&](domain::Service& changed) {
          changed.profile = profile;
          changed.profile_hash = domain::ProfileHash(this->hasher_, profile);
          changed.updated_at = this->At(500);
          return domain::AuditEntry{
              "service.update", "service", changed.id.str(), changed.supplier_id, {}};
        },
        ShippedRescope());
  }
};

TYPED_TEST_SUITE_P(ServiceRepositoryContract);

TYPED_TEST_P(ServiceRepositoryContract, InsertedServiceIsFoundAsStored) {
  const auto supplier = this->harness_.AddSupplier();
  auto wanted = this->NewService(supplier, 1, Connected(true), "payroll");
  wanted.contract_ref = "CR-1";
  wanted.contract_start = domain::Date::Parse("2026-01-01");
  this->services().Insert(
      wanted, ContractAdmin(),
      domain::AuditEntry{"service.create", "service", wanted.id.str(), supplier, {}});
  const auto found = this->services().Find(wanted.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "payroll");
  EXPECT_EQ(found->supplier_id, supplier);
  EXPECT_EQ(found->contract_ref, "CR-1");
  EXPECT_EQ(found->contract_start, domain::Date::Parse("2026-01-01"));
  EXPECT_EQ(found->profile, Connected(true));
  EXPECT_EQ(found->profile_hash, wanted.profile_hash);
  EXPECT_EQ(found->created_at, wanted.created_at);
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"service.create"});
}

TYPED_TEST_P(ServiceRepositoryContract, UnknownServiceIsNotFound) {
  EXPECT_FALSE(this->services().Find(domain::ServiceId::Parse(NthUuid(7777))).has_value());
  ExpectError(
      [&] { this->ChangeProfile(this->NewService(this->harness_.AddSupplier(), 1, {}, "x"), {}); },
      domain::ErrorKind::kNotFound);
}

TYPED_TEST_P(ServiceRepositoryContract, ServiceOfAnUnknownSupplierIsNotFoundAndNotStored) {
  const auto service = this->NewService(domain::SupplierId::Parse(NthUuid(8888)), 1, {}, "x");
  ExpectError(
      [&] {
        this->services().Insert(
            service, ContractAdmin(),
            domain::AuditEntry{"service.create", "service", service.id.str(), std::nullopt, {}});
      },
      domain::ErrorKind::kNotFound);
  EXPECT_FALSE(this->services().Find(service.id).has_value());
  EXPECT_TRUE(this->harness_.AuditActions().empty());
}

TYPED_TEST_P(ServiceRepositoryContract, ListsOnlyTheSuppliersServicesOldestFirstInPages) {
  const auto mine = this->harness_.AddSupplier();
  const auto theirs = this->harness_.AddSupplier();
  this->AddService(mine, 3, {}, "third");
  this->AddService(theirs, 2, {}, "not mine");
  this->AddService(mine, 1, {}, "first");
  this->AddService(mine, 2, {}, "second");
  auto names = [](const domain::PageResult<domain::Service>& page) {
    std::vector<std::string> all;
    for (const auto& service : page.items) all.push_back(service.name);
    return all;
  };
  const auto first = this->services().ListBySupplier(mine, domain::PageRequest{2, std::nullopt});
  EXPECT_EQ(names(first), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->services().ListBySupplier(mine, domain::PageRequest{2, first.next});
  EXPECT_EQ(names(rest), std::vector<std::string>{"third"});
  EXPECT_FALSE(rest.next.has_value());
}

TYPED_TEST_P(ServiceRepositoryContract, StaleVersionChangesNothing) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1);
  ExpectError(
      [&] {
        this->services().Update(
            service.id, 7, ContractAdmin(),
            [](domain::Service& changed) {
              changed.name = "renamed";
              return domain::AuditEntry{
                  "service.update", "service", changed.id.str(), changed.supplier_id, {}};
            },
            this->ShippedRescope());
      },
      domain::ErrorKind::kVersionMismatch, "precondition_failed");
  EXPECT_EQ(this->services().Find(service.id)->name, "payroll");
  EXPECT_EQ(this->services().Find(service.id)->version, 1);
}

TYPED_TEST_P(ServiceRepositoryContract, RefusedChangeChangesNothing) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1);
  ExpectError(
      [&] {
        this->services().Update(
            service.id, 1, ContractAdmin(),
            [](domain::Service& changed) -> domain::AuditEntry {
              changed.name = "renamed";
              throw domain::InvalidArgument("no", "invalid_body");
            },
            this->ShippedRescope());
      },
      domain::ErrorKind::kInvalidArgument, "invalid_body");
  EXPECT_EQ(this->services().Find(service.id)->name, "payroll");
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"service.create"});
}

TYPED_TEST_P(ServiceRepositoryContract, ChangeWithTheSameProfileLeavesDraftsAlone) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1);
  const auto draft = this->AddDraft(service);
  bool rescoped = false;
  const auto updated = this->services().Update(
      service.id, 1, ContractAdmin(),
      [](domain::Service& changed) {
        changed.name = "renamed";
        return domain::AuditEntry{
            "service.update", "service", changed.id.str(), changed.supplier_id, {}};
      },
      [&](domain::StandardKey, const std::string&, const domain::ScopeProfile&) {
        rescoped = true;
        return std::vector<domain::Response>{};
      });
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(this->services().Find(service.id)->name, "renamed");
  EXPECT_FALSE(rescoped);
  EXPECT_EQ(this->assessments().Find(draft.id)->version, draft.version);
}

TYPED_TEST_P(ServiceRepositoryContract, ProfileChangeRescopesDraftsKeepingAnswersThatStillApply) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1, Connected());
  const auto draft = this->AddDraft(service);
  ASSERT_EQ(draft.responses.size(), 37u);
  const std::string kept = draft.responses.front().requirement_id;
  this->assessments().UpdateResponse(draft.id, kept, std::nullopt, ContractAdmin(),
                                     this->Answering());
  const auto updated = this->ChangeProfile(service, Connected(true));
  EXPECT_EQ(updated.profile, Connected(true));
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_EQ(after.state, domain::AssessmentState::kDraft);
  EXPECT_EQ(after.profile_hash, updated.profile_hash);
  EXPECT_GT(after.version, draft.version);
  EXPECT_EQ(after.responses.size(), 36u);  // the one requirement of UK-only services went
  ASSERT_NE(after.FindResponse(kept), nullptr);
  EXPECT_EQ(after.FindResponse(kept)->answer, domain::Answer::kMet);
  for (std::size_t i = 1; i < after.responses.size(); ++i) {
    EXPECT_LT(after.responses[i - 1].position, after.responses[i].position);
  }
}

TYPED_TEST_P(ServiceRepositoryContract, ProfileChangeAddsNewRequirementsEmpty) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1, Connected());
  const auto draft = this->AddDraft(service, domain::StandardKey::kCryptography);
  auto crypto = Connected();
  crypto.hmg_crypto = true;
  this->ChangeProfile(service, crypto);
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_GT(after.responses.size(), draft.responses.size());
  for (const auto& response : after.responses) EXPECT_FALSE(response.answer.has_value());
}

TYPED_TEST_P(ServiceRepositoryContract, ProfileChangeWithdrawsDraftsOfStandardsNoLongerRequired) {
  const auto service = this->AddService(this->harness_.AddSupplier(), 1, Connected());
  const auto coco = this->AddDraft(service, domain::StandardKey::kCoco, 10);
  const auto supplier_draft = this->AddDraft(service, domain::StandardKey::kSupplier, 11);
  const auto submitted = this->AddInState(service, domain::StandardKey::kCryptography,
                                          domain::AssessmentState::kSubmitted, 20);
  this->ChangeProfile(service, domain::ScopeProfile{});  // not connected: CoCo no longer applies
  EXPECT_EQ(this->assessments().Find(coco.id)->state, domain::AssessmentState::kWithdrawn);
  EXPECT_EQ(this->assessments().Find(supplier_draft.id)->state, domain::AssessmentState::kDraft);
  const auto untouched = *this->assessments().Find(submitted.id);
  EXPECT_EQ(untouched.version, submitted.version);  // only drafts are re-scoped
  EXPECT_EQ(untouched.profile_hash, service.profile_hash);
  EXPECT_EQ(this->harness_.AuditActions().back(), "service.update");
}

REGISTER_TYPED_TEST_SUITE_P(ServiceRepositoryContract, InsertedServiceIsFoundAsStored,
                            UnknownServiceIsNotFound,
                            ServiceOfAnUnknownSupplierIsNotFoundAndNotStored,
                            ListsOnlyTheSuppliersServicesOldestFirstInPages,
                            StaleVersionChangesNothing, RefusedChangeChangesNothing,
                            ChangeWithTheSameProfileLeavesDraftsAlone,
                            ProfileChangeRescopesDraftsKeepingAnswersThatStillApply,
                            ProfileChangeAddsNewRequirementsEmpty,
                            ProfileChangeWithdrawsDraftsOfStandardsNoLongerRequired);

}  // namespace coco::test
