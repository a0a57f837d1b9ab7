#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/remediation/remediation_action_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every RemediationActionRepository keeps, run against the in-memory fake (unit)
// and PostgreSQL (pg). A Harness provides repository(), AuditActions() (the audit actions
// appended so far, oldest first), and seeds what this port cannot create: SeedUser(UserId),
// SeedAssessment(Assessment) (with its supplier, service and responses), SeedEvidence(EvidenceId,
// SupplierId) (a file a completion may attach) and SeedAction(RemediationAction) (an open action,
// as an approval stores it).
namespace coco::test {

template <typename Harness>
class RemediationActionRepositoryContract : public ::testing::Test {
 protected:
  // Assessments 11 and 12 belong to supplier 1, 21 to supplier 2.
  RemediationActionRepositoryContract() {
    harness_.SeedUser(ContractAdminId());
    for (const int n : {11, 12, 21}) harness_.SeedAssessment(Assessment(n));
  }

  Harness harness_;
  domain::RemediationActionRepository& repository() { return harness_.repository(); }

  static domain::SupplierId Supplier(int n) { return domain::SupplierId::Parse(NthUuid(100 + n)); }
  static domain::ActionId Id(int n) { return domain::ActionId::Parse(NthUuid(n)); }
  static domain::EvidenceId File(int n) { return domain::EvidenceId::Parse(NthUuid(300 + n)); }
  static domain::Assessment Assessment(int n) {
    return ContractAssessment(n, Supplier(n / 10), domain::ServiceId::Parse(NthUuid(200 + n)));
  }
  static domain::Date Day(int day_of_december) {
    return domain::Date::FromYmd(2026, 12, static_cast<unsigned>(day_of_december));
  }

  // Open action n of `assessment`, due on `due` December 2026, described as `description`.
  domain::RemediationAction Seeded(int n, int assessment, int due, const std::string& description) {
    const auto owner = Assessment(assessment);
    domain::RemediationAction action{Id(n),
                                     owner.id,
                                     owner.supplier_id,
                                     owner.service_id,
                                     domain::StandardKey::kCoco,
                                     n % 2 == 0 ? "COCO-02" : "COCO-01",
                                     description,
                                     Day(due)};
    action.created_at = ContractMoment(n);
    harness_.SeedAction(action);
    return action;
  }

  domain::PageResult<domain::RemediationAction> List(domain::ActionFilter filter,
                                                     domain::PageRequest page = {50,
                                                                                 std::nullopt}) {
    return repository().List(filter, page);
  }
  static std::vector<std::string> Descriptions(
      const domain::PageResult<domain::RemediationAction>& page) {
    return Each(page, [](const domain::RemediationAction& action) { return action.description; });
  }

  static domain::AuditEntry Entry(const std::string& action_name,
                                  const domain::RemediationAction& action) {
    return ContractEntry(action_name, "action", action.id.str(), action.supplier_id);
  }
  static std::function<domain::AuditEntry(domain::RemediationAction&)> Complete(
      std::vector<domain::EvidenceId> files) {
    return [files](domain::RemediationAction& action) {
      action.state = domain::ActionState::kDone;
      action.completion =
          domain::ActionCompletion{"patched", files, ContractMoment(60), ContractAdminId()};
      return Entry("action.complete", action);
    };
  }
  static domain::AuditEntry Verify(domain::RemediationAction& action) {
    action.state = domain::ActionState::kVerified;
    action.verified_at = ContractMoment(70);
    action.verified_by = ContractAdminId();
    return Entry("action.verify", action);
  }
};

TYPED_TEST_SUITE_P(RemediationActionRepositoryContract);

TYPED_TEST_P(RemediationActionRepositoryContract, ASeededActionIsFoundAsStored) {
  const auto seeded = this->Seeded(2, 11, 15, "rotate keys");
  const auto found = this->repository().Find(seeded.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->assessment_id, seeded.assessment_id);
  EXPECT_EQ(found->supplier_id, this->Supplier(1));
  EXPECT_EQ(found->service_id, seeded.service_id);
  EXPECT_EQ(found->standard, domain::StandardKey::kCoco);
  EXPECT_EQ(found->requirement_id, "COCO-02");
  EXPECT_EQ(found->description, "rotate keys");
  EXPECT_EQ(found->due_date, this->Day(15));
  EXPECT_EQ(found->state, domain::ActionState::kOpen);
  EXPECT_FALSE(found->completion.has_value());
  EXPECT_FALSE(found->verified_at.has_value());
  EXPECT_FALSE(found->reopen_reason.has_value());
  EXPECT_EQ(found->created_at, ContractMoment(2));
  EXPECT_EQ(found->version, 1);
  EXPECT_FALSE(this->repository().Find(this->Id(9)).has_value());
}

// Ordered by due date, then id (not by creation), a page at a time.
TYPED_TEST_P(RemediationActionRepositoryContract, ListsByDueDateThenIdAPageAtATime) {
  this->Seeded(1, 11, 20, "due 20, id 1");
  this->Seeded(4, 12, 10, "due 10, id 4");
  this->Seeded(3, 21, 20, "due 20, id 3");
  this->Seeded(2, 11, 5, "due 5, id 2");
  const auto all = this->List({});
  EXPECT_EQ(this->Descriptions(all), (std::vector<std::string>{"due 5, id 2", "due 10, id 4",
                                                               "due 20, id 1", "due 20, id 3"}));
  EXPECT_FALSE(all.next.has_value());

  const auto first = this->List({}, {3, std::nullopt});
  EXPECT_EQ(this->Descriptions(first),
            (std::vector<std::string>{"due 5, id 2", "due 10, id 4", "due 20, id 1"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->List({}, {3, first.next});
  EXPECT_EQ(this->Descriptions(rest), std::vector<std::string>{"due 20, id 3"});
  EXPECT_FALSE(rest.next.has_value());
}

TYPED_TEST_P(RemediationActionRepositoryContract, FiltersBySupplierAssessmentAndState) {
  this->Seeded(1, 11, 1, "one");
  this->Seeded(2, 12, 2, "two");
  this->Seeded(3, 21, 3, "three");
  this->repository().Update(this->Id(2), std::nullopt, ContractAdmin(), this->Complete({}));

  domain::ActionFilter filter;
  filter.supplier = this->Supplier(1);
  EXPECT_EQ(this->Descriptions(this->List(filter)), (std::vector<std::string>{"one", "two"}));
  filter.assessment = this->Assessment(12).id;
  EXPECT_EQ(this->Descriptions(this->List(filter)), std::vector<std::string>{"two"});
  filter = {};
  filter.state = domain::ActionState::kOpen;
  EXPECT_EQ(this->Descriptions(this->List(filter)), (std::vector<std::string>{"one", "three"}));
  filter.supplier = this->Supplier(2);
  EXPECT_EQ(this->Descriptions(this->List(filter)), std::vector<std::string>{"three"});
  filter.state = domain::ActionState::kVerified;
  EXPECT_TRUE(this->List(filter).items.empty());
}

// Overdue as of `today`: not verified, and due before today (a done one counts; one due today
// does not).
TYPED_TEST_P(RemediationActionRepositoryContract, FiltersOverdueAsOfToday) {
  this->Seeded(1, 11, 9, "open, due yesterday");
  this->Seeded(2, 11, 10, "open, due today");
  this->Seeded(3, 11, 5, "done, due before");
  this->Seeded(4, 11, 5, "verified, due before");
  this->repository().Update(this->Id(3), std::nullopt, ContractAdmin(), this->Complete({}));
  this->repository().Update(this->Id(4), std::nullopt, ContractAdmin(), this->Complete({}));
  this->repository().Update(this->Id(4), std::nullopt, ContractAdmin(),
                            [this](auto& action) { return this->Verify(action); });

  domain::ActionFilter filter;
  filter.today = this->Day(10);
  filter.overdue = true;
  EXPECT_EQ(this->Descriptions(this->List(filter)),
            (std::vector<std::string>{"done, due before", "open, due yesterday"}));
  filter.overdue = false;
  EXPECT_EQ(this->Descriptions(this->List(filter)),
            (std::vector<std::string>{"verified, due before", "open, due today"}));
}

TYPED_TEST_P(RemediationActionRepositoryContract, AnUpdateSavesTheCompletionWithTheNextVersion) {
  const auto seeded = this->Seeded(1, 11, 15, "rotate keys");
  for (const int n : {1, 2}) this->harness_.SeedEvidence(this->File(n), this->Supplier(1));
  // The files in the order given, not by id.
  const auto done = this->repository().Update(seeded.id, 1, ContractAdmin(),
                                              this->Complete({this->File(2), this->File(1)}));
  EXPECT_EQ(done.version, 2);
  EXPECT_EQ(done.state, domain::ActionState::kDone);
  const auto found = this->repository().Find(seeded.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->state, domain::ActionState::kDone);
  ASSERT_TRUE(found->completion.has_value());
  EXPECT_EQ(found->completion->note, "patched");
  EXPECT_EQ(found->completion->evidence_ids,
            (std::vector<domain::EvidenceId>{this->File(2), this->File(1)}));
  EXPECT_EQ(found->completion->completed_at, ContractMoment(60));
  EXPECT_EQ(found->completion->completed_by, ContractAdminId());
  EXPECT_EQ(found->description, "rotate keys");
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"action.complete"});
}

// Verifying keeps the completion; reopening clears it and its files, keeping the reason.
TYPED_TEST_P(RemediationActionRepositoryContract, VerificationAndReopeningAreSaved) {
  const auto seeded = this->Seeded(1, 11, 15, "rotate keys");
  this->harness_.SeedEvidence(this->File(1), this->Supplier(1));
  this->repository().Update(seeded.id, 1, ContractAdmin(), this->Complete({this->File(1)}));
  this->repository().Update(seeded.id, 2, ContractAdmin(),
                            [this](auto& action) { return this->Verify(action); });
  auto found = this->repository().Find(seeded.id);
  EXPECT_EQ(found->state, domain::ActionState::kVerified);
  EXPECT_EQ(found->verified_at, ContractMoment(70));
  EXPECT_EQ(found->verified_by, ContractAdminId());
  ASSERT_TRUE(found->completion.has_value());
  EXPECT_EQ(found->completion->evidence_ids, std::vector<domain::EvidenceId>{this->File(1)});

  const auto reopened = this->repository().Update(seeded.id, 3, ContractAdmin(),
                                                  [this](domain::RemediationAction& action) {
                                                    action.state = domain::ActionState::kOpen;
                                                    action.completion.reset();
                                                    action.verified_at.reset();
                                                    action.verified_by.reset();
                                                    action.reopen_reason = "not fixed";
                                                    return this->Entry("action.reopen", action);
                                                  });
  EXPECT_EQ(reopened.version, 4);
  found = this->repository().Find(seeded.id);
  EXPECT_EQ(found->state, domain::ActionState::kOpen);
  EXPECT_FALSE(found->completion.has_value());
  EXPECT_FALSE(found->verified_at.has_value());
  EXPECT_FALSE(found->verified_by.has_value());
  EXPECT_EQ(found->reopen_reason, "not fixed");
  EXPECT_EQ(found->version, 4);
  EXPECT_EQ(this->harness_.AuditActions(),
            (std::vector<std::string>{"action.complete", "action.verify", "action.reopen"}));
}

TYPED_TEST_P(RemediationActionRepositoryContract, AStaleVersionOrAFailingChangeChangesNothing) {
  const auto seeded = this->Seeded(1, 11, 15, "rotate keys");
  const auto stale = ErrorOf(
      [&] { this->repository().Update(seeded.id, 2, ContractAdmin(), this->Complete({})); });
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->kind(), domain::ErrorKind::kVersionMismatch);
  EXPECT_EQ(stale->code(), "precondition_failed");
  const auto refused = ErrorOf([&] {
    this->repository().Update(seeded.id, std::nullopt, ContractAdmin(),
                              [](domain::RemediationAction& action) -> domain::AuditEntry {
                                action.state = domain::ActionState::kDone;
                                throw domain::FailedPrecondition("no", "illegal_transition");
                              });
  });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code(), "illegal_transition");
  const auto found = this->repository().Find(seeded.id);
  EXPECT_EQ(found->state, domain::ActionState::kOpen);
  EXPECT_EQ(found->version, 1);
  EXPECT_TRUE(this->harness_.AuditActions().empty());
}

TYPED_TEST_P(RemediationActionRepositoryContract, UpdatingAMissingActionIsNotFound) {
  EXPECT_EQ(ErrorKindOf([&] {
              this->repository().Update(this->Id(5), std::nullopt, ContractAdmin(),
                                        this->Complete({}));
            }),
            domain::ErrorKind::kNotFound);
}

// The list pages by due date: a cursor of a list ordered by time is not one of its positions.
TYPED_TEST_P(RemediationActionRepositoryContract, ACursorOfATimeOrderedListIsRefused) {
  this->Seeded(1, 11, 15, "rotate keys");
  const domain::PagePosition elsewhere{1790000000000000, NthUuid(1)};
  const auto error = ErrorOf([&] { this->List({}, {10, elsewhere}); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind(), domain::ErrorKind::kInvalidArgument);
  EXPECT_EQ(error->code(), "invalid_query");
}

REGISTER_TYPED_TEST_SUITE_P(RemediationActionRepositoryContract, ASeededActionIsFoundAsStored,
                            ListsByDueDateThenIdAPageAtATime, FiltersBySupplierAssessmentAndState,
                            FiltersOverdueAsOfToday, AnUpdateSavesTheCompletionWithTheNextVersion,
                            VerificationAndReopeningAreSaved,
                            AStaleVersionOrAFailingChangeChangesNothing,
                            UpdatingAMissingActionIsNotFound, ACursorOfATimeOrderedListIsRefused);

}  // namespace coco::test
