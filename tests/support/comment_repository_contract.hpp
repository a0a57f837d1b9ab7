#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/review/comment_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every CommentRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository(), AuditActions() (the audit actions appended
// so far, oldest first), and seeds what comments refer to but this port cannot create:
// SeedUser(UserId) and SeedAssessment(Assessment).
namespace coco::test {

template <typename Harness>
class CommentRepositoryContract : public ::testing::Test {
 protected:
  CommentRepositoryContract() {
    harness_.SeedUser(ContractAdminId());
    for (const int n : {11, 12}) harness_.SeedAssessment(Assessment(n));
  }

  Harness harness_;
  domain::CommentRepository& repository() { return harness_.repository(); }

  static domain::Assessment Assessment(int n) {
    return ContractAssessment(n, domain::SupplierId::Parse(NthUuid(101)),
                              domain::ServiceId::Parse(NthUuid(200 + n)));
  }
  static domain::CommentId Id(int n) { return domain::CommentId::Parse(NthUuid(n)); }

  // Comment n on `assessment`, written `seconds` after the fixed moment.
  domain::Comment Added(int n, int assessment, int seconds, const std::string& body,
                        bool internal = false) {
    const auto owner = Assessment(assessment);
    const domain::Comment comment{
        Id(n), owner.id, owner.supplier_id,      ContractAdminId(), domain::Role::kAssessor,
        body,  internal, ContractMoment(seconds)};
    repository().Add(
        comment, ContractAdmin(),
        ContractEntry("comment.create", "comment", comment.id.str(), comment.supplier_id));
    return comment;
  }

  domain::PageResult<domain::Comment> List(int assessment, bool include_internal,
                                           domain::PageRequest page = {50, std::nullopt}) {
    return repository().List(Assessment(assessment).id, include_internal, page);
  }
  static std::vector<std::string> Bodies(const domain::PageResult<domain::Comment>& page) {
    return Each(page, [](const domain::Comment& comment) { return comment.body; });
  }
};

TYPED_TEST_SUITE_P(CommentRepositoryContract);

TYPED_TEST_P(CommentRepositoryContract, AnAddedCommentIsListedAsWrittenWithItsAuditEvent) {
  const auto added = this->Added(1, 11, 7, "Please attach the pen test.", true);
  const auto page = this->List(11, true);
  ASSERT_EQ(page.items.size(), 1u);
  const auto& found = page.items[0];
  EXPECT_EQ(found.id, added.id);
  EXPECT_EQ(found.assessment_id, added.assessment_id);
  EXPECT_EQ(found.supplier_id, added.supplier_id);
  EXPECT_EQ(found.author_id, ContractAdminId());
  EXPECT_EQ(found.author_role, domain::Role::kAssessor);
  EXPECT_EQ(found.body, "Please attach the pen test.");
  EXPECT_TRUE(found.internal);
  EXPECT_EQ(found.created_at, ContractMoment(7));
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"comment.create"});
}

TYPED_TEST_P(CommentRepositoryContract, ListsAnAssessmentsCommentsOldestFirstAPageAtATime) {
  this->Added(3, 11, 30, "third");
  this->Added(1, 11, 10, "first");
  this->Added(9, 12, 15, "another assessment's");
  this->Added(2, 11, 20, "second");
  const auto all = this->List(11, false);
  EXPECT_EQ(this->Bodies(all), (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_FALSE(all.next.has_value());

  const auto first = this->List(11, false, {2, std::nullopt});
  EXPECT_EQ(this->Bodies(first), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->List(11, false, {2, first.next});
  EXPECT_EQ(this->Bodies(rest), std::vector<std::string>{"third"});
  EXPECT_FALSE(rest.next.has_value());
  EXPECT_EQ(this->Bodies(this->List(12, true)), std::vector<std::string>{"another assessment's"});
}

// Internal comments are for assessors: listed only when asked for, and then in their place.
TYPED_TEST_P(CommentRepositoryContract, InternalCommentsOnlyWhenIncluded) {
  this->Added(1, 11, 10, "public one");
  this->Added(2, 11, 20, "internal", true);
  this->Added(3, 11, 30, "public two");
  EXPECT_EQ(this->Bodies(this->List(11, false)),
            (std::vector<std::string>{"public one", "public two"}));
  EXPECT_EQ(this->Bodies(this->List(11, true)),
            (std::vector<std::string>{"public one", "internal", "public two"}));
  // Paging without internal comments skips them too.
  const auto first = this->List(11, false, {1, std::nullopt});
  EXPECT_EQ(this->Bodies(this->List(11, false, {1, first.next})),
            std::vector<std::string>{"public two"});
}

TYPED_TEST_P(CommentRepositoryContract, AddingATakenIdIsAlreadyExistsAndKeepsTheFirst) {
  this->Added(1, 11, 10, "original");
  EXPECT_EQ(ErrorKindOf([&] { this->Added(1, 11, 20, "twin"); }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(this->Bodies(this->List(11, true)), std::vector<std::string>{"original"});
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"comment.create"});
}

REGISTER_TYPED_TEST_SUITE_P(CommentRepositoryContract,
                            AnAddedCommentIsListedAsWrittenWithItsAuditEvent,
                            ListsAnAssessmentsCommentsOldestFirstAPageAtATime,
                            InternalCommentsOnlyWhenIncluded,
                            AddingATakenIdIsAlreadyExistsAndKeepsTheFirst);

}  // namespace coco::test
