#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/risk_exception/risk_exception_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every RiskExceptionRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository(), AuditActions() (the audit actions appended
// so far, oldest first), and seeds what exceptions refer to but this port cannot create:
// SeedUser(UserId), SeedSupplier(SupplierId) and SeedAssessment(Assessment) (with its supplier,
// service and responses).
namespace coco::test {

template <typename Harness>
class RiskExceptionRepositoryContract : public ::testing::Test {
 protected:
  // Assessments 11 and 12 belong to supplier 1, 21 to supplier 2; supplier 3 has none.
  RiskExceptionRepositoryContract() {
    harness_.SeedUser(ContractAdminId());
    for (const int n : {11, 12, 21}) harness_.SeedAssessment(Assessment(n));
    harness_.SeedSupplier(Supplier(3));
  }

  Harness harness_;
  domain::RiskExceptionRepository& repository() { return harness_.repository(); }

  static domain::SupplierId Supplier(int n) { return domain::SupplierId::Parse(NthUuid(100 + n)); }
  static domain::AssessmentId AssessmentId(int n) {
    return domain::AssessmentId::Parse(NthUuid(n));
  }
  static domain::ExceptionId Id(int n) { return domain::ExceptionId::Parse(NthUuid(n)); }
  // Assessment n of supplier n / 10, on a service of its own (one open assessment per service).
  static domain::Assessment Assessment(int n) {
    return ContractAssessment(n, Supplier(n / 10), domain::ServiceId::Parse(NthUuid(200 + n)));
  }

  // Exception n on assessment `assessment`, created `seconds` after the fixed moment.
  static domain::RiskException Make(int n, int assessment, int seconds,
                                    const std::string& requirement = "COCO-01") {
    const auto owner = Assessment(assessment);
    return domain::RiskException{Id(n),
                                 owner.id,
                                 owner.supplier_id,
                                 owner.service_id,
                                 domain::StandardKey::kCoco,
                                 requirement,
                                 "reason " + std::to_string(n),
                                 ContractAdminId(),
                                 ContractMoment(seconds),
                                 domain::Date::FromYmd(2027, 6, 30)};
  }

  // Make(n, assessment, seconds), expiring `days` after 2027-01-01.
  static domain::RiskException Expiring(int n, int assessment, int days, int seconds = 0) {
    domain::RiskException exception = Make(n, assessment, seconds);
    exception.expires_on = domain::Date::FromYmd(2027, 1, 1).AddDays(days);
    return exception;
  }

  // Adds `exception` through a maker that accepts whatever it is shown.
  domain::RiskException Added(const domain::RiskException& exception) {
    return repository().Add(exception.assessment_id, ContractAdmin(),
                            [&](const domain::Assessment&, const auto&) {
                              return std::pair(exception, Entry("exception.create", exception));
                            });
  }
  domain::RiskException Added(int n, int assessment, int seconds) {
    return Added(Make(n, assessment, seconds));
  }

  static domain::AuditEntry Entry(const std::string& action,
                                  const domain::RiskException& exception) {
    return ContractEntry(action, "exception", exception.id.str(), exception.supplier_id);
  }

  static std::vector<std::string> Reasons(const std::vector<domain::RiskException>& exceptions) {
    std::vector<std::string> reasons;
    for (const auto& exception : exceptions) reasons.push_back(exception.reason);
    return reasons;
  }
  static std::vector<std::string> Reasons(const domain::PageResult<domain::RiskException>& page) {
    return Reasons(page.items);
  }

  // Revokes at the moment `seconds`, as the admin.
  static std::function<domain::AuditEntry(domain::RiskException&)> Revoke(int seconds) {
    return [seconds](domain::RiskException& exception) {
      exception.revoked_at = ContractMoment(seconds);
      exception.revoked_by = ContractAdminId();
      return Entry("exception.revoke", exception);
    };
  }
};

TYPED_TEST_SUITE_P(RiskExceptionRepositoryContract);

TYPED_TEST_P(RiskExceptionRepositoryContract, AnAddedExceptionIsFoundAsMadeWithItsAuditEvent) {
  std::vector<std::string> shown;
  const auto made = this->Make(1, 11, 7, "COCO-02");
  const auto added =
      this->repository().Add(this->AssessmentId(11), ContractAdmin(),
                             [&](const domain::Assessment& assessment,
                                 const std::vector<domain::RiskException>& existing) {
                               shown.push_back(assessment.id.str());
                               for (const auto& response : assessment.responses)
                                 shown.push_back(response.requirement_id);
                               shown.push_back(std::to_string(existing.size()));
                               return std::pair(made, this->Entry("exception.create", made));
                             });
  EXPECT_EQ(shown, (std::vector<std::string>{NthUuid(11), "COCO-01", "COCO-02", "0"}));
  EXPECT_EQ(added.id, made.id);

  const auto found = this->repository().Find(made.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->assessment_id, this->AssessmentId(11));
  EXPECT_EQ(found->supplier_id, this->Supplier(1));
  EXPECT_EQ(found->service_id, made.service_id);
  EXPECT_EQ(found->standard, domain::StandardKey::kCoco);
  EXPECT_EQ(found->requirement_id, "COCO-02");
  EXPECT_EQ(found->reason, "reason 1");
  EXPECT_EQ(found->approved_by, ContractAdminId());
  EXPECT_EQ(found->created_at, ContractMoment(7));
  EXPECT_EQ(found->expires_on, domain::Date::FromYmd(2027, 6, 30));
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_FALSE(found->revoked_by.has_value());
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"exception.create"});
  EXPECT_FALSE(this->repository().Find(this->Id(2)).has_value());
}

TYPED_TEST_P(RiskExceptionRepositoryContract, TheMakerSeesTheAssessmentsExceptionsOldestFirst) {
  this->Added(2, 11, 20);
  this->Added(1, 11, 10);
  this->Added(3, 12, 5);  // another assessment's
  std::vector<std::string> seen;
  this->repository().Add(this->AssessmentId(11), ContractAdmin(),
                         [&](const domain::Assessment&, const auto& existing) {
                           seen = this->Reasons(existing);
                           const auto made = this->Make(4, 11, 30);
                           return std::pair(made, this->Entry("exception.create", made));
                         });
  EXPECT_EQ(seen, (std::vector<std::string>{"reason 1", "reason 2"}));
}

TYPED_TEST_P(RiskExceptionRepositoryContract, AddingToAMissingAssessmentIsNotFound) {
  bool called = false;
  EXPECT_EQ(ErrorKindOf([&] {
              this->repository().Add(this->AssessmentId(99), ContractAdmin(),
                                     [&](const domain::Assessment&, const auto&) {
                                       called = true;
                                       const auto made = this->Make(1, 11, 0);
                                       return std::pair(made,
                                                        this->Entry("exception.create", made));
                                     });
            }),
            domain::ErrorKind::kNotFound);
  EXPECT_FALSE(called);
  EXPECT_TRUE(this->harness_.AuditActions().empty());
}

TYPED_TEST_P(RiskExceptionRepositoryContract, AMakerThatRefusesStoresNothing) {
  const auto error = ErrorOf([&] {
    this->repository().Add(this->AssessmentId(11), ContractAdmin(),
                           [](const domain::Assessment&,
                              const auto&) -> std::pair<domain::RiskException, domain::AuditEntry> {
                             throw domain::FailedPrecondition("covered already",
                                                              "exception_exists");
                           });
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), "exception_exists");
  EXPECT_TRUE(this->repository().AllOf(this->AssessmentId(11)).empty());
  EXPECT_TRUE(this->harness_.AuditActions().empty());
}

// An exception names a response of its assessment: one for a requirement the assessment does
// not have, or a second with the same id, is refused and leaves nothing behind.
TYPED_TEST_P(RiskExceptionRepositoryContract, AnUnknownRequirementOrATakenIdIsRefused) {
  EXPECT_EQ(ErrorKindOf([&] { this->Added(this->Make(1, 11, 0, "COCO-99")); }),
            domain::ErrorKind::kNotFound);
  this->Added(2, 11, 0);
  EXPECT_EQ(ErrorKindOf([&] { this->Added(this->Make(2, 12, 5)); }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(this->Reasons(this->repository().AllOf(this->AssessmentId(11))),
            std::vector<std::string>{"reason 2"});
  EXPECT_TRUE(this->repository().AllOf(this->AssessmentId(12)).empty());
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"exception.create"});
}

TYPED_TEST_P(RiskExceptionRepositoryContract, ListsAnAssessmentsExceptionsOldestFirstAPageAtATime) {
  this->Added(3, 11, 30);
  this->Added(1, 11, 10);
  this->Added(9, 12, 15);
  this->Added(2, 11, 20);
  const auto assessment = this->AssessmentId(11);
  const auto all = this->repository().List(assessment, {50, std::nullopt});
  EXPECT_EQ(this->Reasons(all), (std::vector<std::string>{"reason 1", "reason 2", "reason 3"}));
  EXPECT_FALSE(all.next.has_value());
  EXPECT_EQ(this->Reasons(this->repository().AllOf(assessment)), this->Reasons(all));

  const auto first = this->repository().List(assessment, {2, std::nullopt});
  EXPECT_EQ(this->Reasons(first), (std::vector<std::string>{"reason 1", "reason 2"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->repository().List(assessment, {2, first.next});
  EXPECT_EQ(this->Reasons(rest), std::vector<std::string>{"reason 3"});
  EXPECT_FALSE(rest.next.has_value());
  EXPECT_TRUE(this->repository().List(this->AssessmentId(21), {50, std::nullopt}).items.empty());
}

// A supplier's exceptions over all its assessments, and no one else's; an unknown supplier is
// nullopt, a known one without exceptions an empty page.
TYPED_TEST_P(RiskExceptionRepositoryContract, ListsASuppliersExceptionsOverAllItsAssessments) {
  this->Added(1, 11, 10);
  this->Added(2, 21, 15);
  this->Added(3, 12, 20);
  this->Added(4, 11, 30);
  const auto first = this->repository().ListBySupplier(this->Supplier(1), {2, std::nullopt});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(this->Reasons(*first), (std::vector<std::string>{"reason 1", "reason 3"}));
  ASSERT_TRUE(first->next.has_value());
  const auto rest = this->repository().ListBySupplier(this->Supplier(1), {2, first->next});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(this->Reasons(*rest), std::vector<std::string>{"reason 4"});
  EXPECT_FALSE(rest->next.has_value());

  const auto other = this->repository().ListBySupplier(this->Supplier(2), {50, std::nullopt});
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(this->Reasons(*other), std::vector<std::string>{"reason 2"});
  const auto none = this->repository().ListBySupplier(this->Supplier(3), {50, std::nullopt});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(none->next.has_value());
  EXPECT_FALSE(
      this->repository().ListBySupplier(this->Supplier(9), {50, std::nullopt}).has_value());
}

// Across suppliers by expires_on, then id (the creation time does not matter); `supplier` and
// `expires_before` (exclusive) narrow it; pages follow the cursor.
TYPED_TEST_P(RiskExceptionRepositoryContract, ListsByExpiryThenIdAcrossSuppliers) {
  this->Added(this->Expiring(5, 11, 30, 1));
  this->Added(this->Expiring(4, 21, 10, 2));
  this->Added(this->Expiring(3, 12, 30, 3));  // the same day as 5: id 3 comes first
  this->Added(this->Expiring(2, 11, 20, 4));
  this->Added(this->Expiring(1, 21, 40, 5));
  auto list = [&](const domain::ExceptionQuery& query, int limit,
                  std::optional<domain::PagePosition> after = std::nullopt) {
    return this->repository().ListByExpiry(query, {limit, std::move(after)});
  };
  const auto all = list({}, 50);
  EXPECT_EQ(this->Reasons(all),
            (std::vector<std::string>{"reason 4", "reason 2", "reason 3", "reason 5", "reason 1"}));
  EXPECT_FALSE(all.next.has_value());

  // Two at a time: a page boundary between the two of one day too.
  std::vector<std::string> paged;
  std::optional<domain::PagePosition> after;
  for (int page = 0; page < 5; ++page) {
    const auto got = list({}, 2, after);
    for (const auto& reason : this->Reasons(got)) paged.push_back(reason);
    after = got.next;
    if (!after) break;
  }
  EXPECT_EQ(paged, this->Reasons(all));
  const auto first = list({}, 3);
  ASSERT_TRUE(first.next.has_value());
  EXPECT_EQ(this->Reasons(list({}, 3, first.next)),
            (std::vector<std::string>{"reason 5", "reason 1"}));

  EXPECT_EQ(this->Reasons(list({this->Supplier(1), std::nullopt, {}}, 50)),
            (std::vector<std::string>{"reason 2", "reason 3", "reason 5"}));
  EXPECT_EQ(this->Reasons(list({this->Supplier(2), std::nullopt, {}}, 50)),
            (std::vector<std::string>{"reason 4", "reason 1"}));
  EXPECT_TRUE(list({this->Supplier(3), std::nullopt, {}}, 50).items.empty());
  EXPECT_TRUE(list({this->Supplier(9), std::nullopt, {}}, 50).items.empty());
  // Before the day, not on it.
  const auto day30 = domain::Date::FromYmd(2027, 1, 1).AddDays(30);
  EXPECT_EQ(this->Reasons(list({std::nullopt, day30, {}}, 50)),
            (std::vector<std::string>{"reason 4", "reason 2"}));
  EXPECT_EQ(this->Reasons(list({std::nullopt, day30.AddDays(1), {}}, 50)),
            (std::vector<std::string>{"reason 4", "reason 2", "reason 3", "reason 5"}));
  EXPECT_EQ(this->Reasons(list({this->Supplier(1), day30.AddDays(1), {}}, 1)),
            std::vector<std::string>{"reason 2"});
}

// `keep` chooses before the page is cut: each page holds `limit` kept exceptions (not fewer
// because rows in between were passed over), also when more than a page's worth (200) of rows
// lie between two kept ones, and `next` is set only when another kept one follows.
TYPED_TEST_P(RiskExceptionRepositoryContract, KeepChoosesBeforeThePageIsCut) {
  const std::set<int> kept = {3, 150, 215, 229};
  for (int n = 1; n <= 230; ++n) this->Added(this->Expiring(n, 11 + (n % 2), n));
  const domain::ExceptionQuery query{std::nullopt, std::nullopt,
                                     [&kept](const domain::RiskException& exception) {
                                       return kept.contains(std::stoi(exception.reason.substr(7)));
                                     }};
  const auto first = this->repository().ListByExpiry(query, {2, std::nullopt});
  EXPECT_EQ(this->Reasons(first), (std::vector<std::string>{"reason 3", "reason 150"}));
  ASSERT_TRUE(first.next.has_value());
  const auto second = this->repository().ListByExpiry(query, {2, first.next});
  EXPECT_EQ(this->Reasons(second), (std::vector<std::string>{"reason 215", "reason 229"}));
  EXPECT_FALSE(second.next.has_value());
  const auto whole = this->repository().ListByExpiry(query, {4, std::nullopt});
  EXPECT_EQ(whole.items.size(), 4u);
  EXPECT_FALSE(whole.next.has_value());
  const auto none = this->repository().ListByExpiry(
      {std::nullopt, std::nullopt, [](const domain::RiskException&) { return false; }},
      {50, std::nullopt});
  EXPECT_TRUE(none.items.empty());
  EXPECT_FALSE(none.next.has_value());
  // With a supplier and a date as well.
  const auto narrowed = this->repository().ListByExpiry(
      {this->Supplier(1), domain::Date::FromYmd(2027, 1, 1).AddDays(229), query.keep},
      {50, std::nullopt});
  EXPECT_EQ(this->Reasons(narrowed),
            (std::vector<std::string>{"reason 3", "reason 150", "reason 215"}));
}

// The list pages by expiry date: a cursor of a list ordered by time is not one of its positions.
TYPED_TEST_P(RiskExceptionRepositoryContract, AnExpiryCursorIsNotATimeCursor) {
  this->Added(this->Expiring(1, 11, 10));
  const auto listed = this->repository().List(this->AssessmentId(11), {50, std::nullopt});
  ASSERT_EQ(listed.items.size(), 1u);
  const domain::PagePosition time_cursor{EpochMicros(listed.items[0].created_at), NthUuid(1)};
  const auto error = ErrorOf([&] { this->repository().ListByExpiry({}, {50, time_cursor}); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), "invalid_query");
}

TYPED_TEST_P(RiskExceptionRepositoryContract, AnUpdateSavesTheRevocationWithTheNextVersion) {
  const auto added = this->Added(1, 11, 0);
  const auto updated = this->repository().Update(added.id, 1, ContractAdmin(), this->Revoke(40));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.revoked_at, ContractMoment(40));
  const auto found = this->repository().Find(added.id);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->revoked_at, ContractMoment(40));
  EXPECT_EQ(found->revoked_by, ContractAdminId());
  EXPECT_EQ(
      this->repository().Update(added.id, std::nullopt, ContractAdmin(), this->Revoke(50)).version,
      3);
  EXPECT_EQ(this->harness_.AuditActions(),
            (std::vector<std::string>{"exception.create", "exception.revoke", "exception.revoke"}));
}

TYPED_TEST_P(RiskExceptionRepositoryContract, AStaleVersionOrAFailingChangeChangesNothing) {
  const auto added = this->Added(1, 11, 0);
  const auto stale =
      ErrorOf([&] { this->repository().Update(added.id, 7, ContractAdmin(), this->Revoke(40)); });
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->kind(), domain::ErrorKind::kVersionMismatch);
  EXPECT_EQ(stale->code(), "precondition_failed");
  const auto refused = ErrorOf([&] {
    this->repository().Update(added.id, std::nullopt, ContractAdmin(),
                              [](domain::RiskException& exception) -> domain::AuditEntry {
                                exception.revoked_at = ContractMoment(1);
                                exception.revoked_by = ContractAdminId();
                                throw domain::FailedPrecondition("no", "already_revoked");
                              });
  });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code(), "already_revoked");
  const auto found = this->repository().Find(added.id);
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"exception.create"});
}

TYPED_TEST_P(RiskExceptionRepositoryContract, UpdatingAMissingExceptionIsNotFound) {
  EXPECT_EQ(ErrorKindOf([&] {
              this->repository().Update(this->Id(5), std::nullopt, ContractAdmin(),
                                        this->Revoke(1));
            }),
            domain::ErrorKind::kNotFound);
}

REGISTER_TYPED_TEST_SUITE_P(
    RiskExceptionRepositoryContract, AnAddedExceptionIsFoundAsMadeWithItsAuditEvent,
    TheMakerSeesTheAssessmentsExceptionsOldestFirst, AddingToAMissingAssessmentIsNotFound,
    AMakerThatRefusesStoresNothing, AnUnknownRequirementOrATakenIdIsRefused,
    ListsAnAssessmentsExceptionsOldestFirstAPageAtATime,
    ListsASuppliersExceptionsOverAllItsAssessments, ListsByExpiryThenIdAcrossSuppliers,
    KeepChoosesBeforeThePageIsCut, AnExpiryCursorIsNotATimeCursor,
    AnUpdateSavesTheRevocationWithTheNextVersion, AStaleVersionOrAFailingChangeChangesNothing,
    UpdatingAMissingExceptionIsNotFound);

}  // namespace coco::test
