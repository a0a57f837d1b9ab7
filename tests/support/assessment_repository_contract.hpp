#pragma once

#include "tests/support/assurance_contract.hpp"

// The contract every AssessmentRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg); the Harness is AssuranceContract's.
namespace coco::test {

template <typename Harness>
class AssessmentRepositoryContract : public AssuranceContract<Harness> {
 protected:
  std::optional<domain::Service> service_;
  void SetUp() override { service_ = this->AddService(this->harness_.AddSupplier(), 1); }
  const domain::Service& service() const { return *service_; }

  std::string First(const domain::Assessment& assessment) {
    return assessment.responses.front().requirement_id;
  }
};

TYPED_TEST_SUITE_P(AssessmentRepositoryContract);

TYPED_TEST_P(AssessmentRepositoryContract, CreatedAssessmentIsFoundWithItsResponsesInOrder) {
  const auto draft = this->AddDraft(this->service());
  const auto found = this->assessments().Find(draft.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, domain::AssessmentState::kDraft);
  EXPECT_EQ(found->service_id, this->service().id);
  EXPECT_EQ(found->supplier_id, this->service().supplier_id);
  EXPECT_EQ(found->profile_hash, this->service().profile_hash);
  EXPECT_EQ(found->version, 1);
  ASSERT_EQ(found->responses.size(), draft.responses.size());
  for (std::size_t i = 0; i < draft.responses.size(); ++i) {
    EXPECT_EQ(found->responses[i].requirement_id, draft.responses[i].requirement_id);
    EXPECT_EQ(found->responses[i].level, draft.responses[i].level);
    EXPECT_EQ(found->responses[i].version, 1);
    EXPECT_FALSE(found->responses[i].answer.has_value());
  }
  EXPECT_FALSE(this->assessments().Find(domain::AssessmentId::Parse(NthUuid(9999))).has_value());
  EXPECT_EQ(this->harness_.AuditActions().back(), "assessment.start");
}

TYPED_TEST_P(AssessmentRepositoryContract, SecondOpenAssessmentOfAStandardIsAlreadyExists) {
  this->AddDraft(this->service(), domain::StandardKey::kCoco, 10);
  const auto second = this->NewDraft(this->service(), domain::StandardKey::kCoco, 11);
  ExpectError(
      [&] {
        this->assessments().Create(second, ContractAdmin(),
                                   this->Entry("assessment.start", second));
      },
      domain::ErrorKind::kAlreadyExists, "assessment_open");
  EXPECT_FALSE(this->assessments().Find(second.id).has_value());
  // Another standard of the same service is its own slot.
  this->AddDraft(this->service(), domain::StandardKey::kSupplier, 12);
}

TYPED_TEST_P(AssessmentRepositoryContract, AssessmentScopedOnAnOldProfileIsAConflict) {
  auto stale = this->NewDraft(this->service(), domain::StandardKey::kCoco, 10);
  stale.profile_hash = std::string(64, 'a');
  ExpectError(
      [&] {
        this->assessments().Create(stale, ContractAdmin(), this->Entry("assessment.start", stale));
      },
      domain::ErrorKind::kConflict, "concurrent_update");
  EXPECT_FALSE(this->assessments().Find(stale.id).has_value());
}

TYPED_TEST_P(AssessmentRepositoryContract, ListFiltersAndPagesOldestFirstWithoutResponses) {
  const auto other = this->AddService(this->harness_.AddSupplier(), 2, Connected(), "other");
  const auto a = this->AddDraft(this->service(), domain::StandardKey::kSupplier, 30);
  const auto b = this->AddDraft(this->service(), domain::StandardKey::kCoco, 20);
  this->AddDraft(other, domain::StandardKey::kCoco, 10);
  domain::AssessmentFilter mine;
  mine.supplier = this->service().supplier_id;
  const auto first = this->assessments().List(mine, domain::PageRequest{1, std::nullopt});
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].id, b.id);
  EXPECT_TRUE(first.items[0].responses.empty());
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->assessments().List(mine, domain::PageRequest{5, first.next});
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].id, a.id);
  EXPECT_FALSE(rest.next.has_value());

  domain::AssessmentFilter coco;
  coco.standard = domain::StandardKey::kCoco;
  coco.state = domain::AssessmentState::kDraft;
  EXPECT_EQ(this->assessments().List(coco, domain::PageRequest{}).items.size(), 2u);
  domain::AssessmentFilter submitted;
  submitted.state = domain::AssessmentState::kSubmitted;
  EXPECT_TRUE(this->assessments().List(submitted, domain::PageRequest{}).items.empty());
}

TYPED_TEST_P(AssessmentRepositoryContract, ReviewQueueHoldsWaitingCasesOldestSubmissionFirst) {
  const auto later = this->AddInState(this->service(), domain::StandardKey::kCoco,
                                      domain::AssessmentState::kSubmitted, 50);
  const auto earlier = this->AddInState(this->service(), domain::StandardKey::kSupplier,
                                        domain::AssessmentState::kInReview, 40);
  this->AddDraft(this->service(), domain::StandardKey::kCryptography, 30);
  const auto queue = this->assessments().ReviewQueue({}, domain::PageRequest{});
  ASSERT_EQ(queue.items.size(), 2u);
  EXPECT_EQ(queue.items[0].assessment.id, earlier.id);
  EXPECT_EQ(queue.items[1].assessment.id, later.id);
  domain::QueueFilter submitted;
  submitted.state = domain::AssessmentState::kSubmitted;
  const auto only = this->assessments().ReviewQueue(submitted, domain::PageRequest{});
  ASSERT_EQ(only.items.size(), 1u);
  EXPECT_EQ(only.items[0].assessment.id, later.id);
}

TYPED_TEST_P(AssessmentRepositoryContract, ReviewQueueCountsAnsweredAndNotMetMusts) {
  const auto draft = this->AddDraft(this->service(), domain::StandardKey::kCoco, 10);
  std::vector<std::string> musts;
  for (const auto& response : draft.responses) {
    if (response.level == domain::Level::kMust) musts.push_back(response.requirement_id);
  }
  ASSERT_GE(musts.size(), 3u);
  auto answer = [&](const std::string& requirement, domain::Answer value) {
    auto write = this->Answering();
    write.change = [&](const domain::Assessment& assessment, domain::Response& response) {
      response.answer = value;
      return this->Entry("response.answer", assessment);
    };
    this->assessments().UpdateResponse(draft.id, requirement, std::nullopt, ContractAdmin(), write);
  };
  answer(musts[0], domain::Answer::kMet);
  answer(musts[1], domain::Answer::kNotMet);
  answer(musts[2], domain::Answer::kNotMet);
  this->assessments().Transition(draft.id, std::nullopt, ContractAdmin(),
                                 [&](domain::Assessment& assessment) {
                                   assessment.state = domain::AssessmentState::kSubmitted;
                                   assessment.submitted_at = this->At(60);
                                   return this->Entry("assessment.submit", assessment);
                                 });
  const auto queue = this->assessments().ReviewQueue({}, domain::PageRequest{});
  ASSERT_EQ(queue.items.size(), 1u);
  EXPECT_EQ(queue.items[0].must_answered, 3);
  EXPECT_EQ(queue.items[0].must_not_met, 2);
}

TYPED_TEST_P(AssessmentRepositoryContract, ResponseWriteSavesTheAnswerAndMovesBothVersions) {
  const auto draft = this->AddDraft(this->service());
  const auto file = this->harness_.AddEvidence(this->service().supplier_id);
  const auto saved = this->assessments().UpdateResponse(draft.id, this->First(draft), 1,
                                                        ContractAdmin(), this->Answering({file}));
  EXPECT_EQ(saved.version, 2);
  EXPECT_EQ(saved.answer, domain::Answer::kMet);
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_EQ(after.version, 2);  // a changed answer changes the assessment's ETag
  const auto* response = after.FindResponse(this->First(draft));
  EXPECT_EQ(response->answer, domain::Answer::kMet);
  EXPECT_EQ(response->justification, "done");
  EXPECT_EQ(response->evidence_ids, std::vector<domain::EvidenceId>{file});
  EXPECT_EQ(response->version, 2);
  EXPECT_EQ(after.responses[1].version, 1);
  EXPECT_EQ(this->harness_.AuditActions().back(), "response.answer");
}

TYPED_TEST_P(AssessmentRepositoryContract, ResponseWriteAdmitsBeforeItChecksTheVersion) {
  const auto draft = this->AddDraft(this->service());
  auto write = this->Answering();
  std::optional<domain::Evidence> seen;
  const auto file = this->harness_.AddEvidence(this->service().supplier_id);
  write.admit = [&](const domain::Assessment& assessment, const domain::EvidenceLookup& find) {
    EXPECT_EQ(assessment.id, draft.id);
    seen = find(file);
    throw domain::PermissionDenied("no", "forbidden");
  };
  ExpectError(
      [&] {
        this->assessments().UpdateResponse(draft.id, this->First(draft), 99, ContractAdmin(),
                                           write);
      },
      domain::ErrorKind::kPermissionDenied, "forbidden");
  ASSERT_TRUE(seen.has_value());  // the lookup reads the evidence of the same database
  EXPECT_EQ(seen->supplier_id, this->service().supplier_id);
  EXPECT_EQ(this->assessments().Find(draft.id)->version, 1);
}

TYPED_TEST_P(AssessmentRepositoryContract, ResponseWriteRefusesAStaleVersionOrAMissingResponse) {
  const auto draft = this->AddDraft(this->service());
  const auto before = this->harness_.AuditActions().size();
  ExpectError(
      [&] {
        this->assessments().UpdateResponse(draft.id, this->First(draft), 2, ContractAdmin(),
                                           this->Answering());
      },
      domain::ErrorKind::kVersionMismatch, "precondition_failed");
  ExpectError(
      [&] {
        this->assessments().UpdateResponse(draft.id, "NO.SUCH", std::nullopt, ContractAdmin(),
                                           this->Answering());
      },
      domain::ErrorKind::kNotFound, "response_not_found");
  ExpectError(
      [&] {
        this->assessments().UpdateResponse(domain::AssessmentId::Parse(NthUuid(9999)), "X",
                                           std::nullopt, ContractAdmin(), this->Answering());
      },
      domain::ErrorKind::kNotFound);
  EXPECT_FALSE(this->assessments().Find(draft.id)->responses.front().answer.has_value());
  EXPECT_EQ(this->harness_.AuditActions().size(), before);
}

TYPED_TEST_P(AssessmentRepositoryContract, ResponseWriteRefusedHalfWayChangesNothing) {
  const auto draft = this->AddDraft(this->service());
  const auto before = this->harness_.AuditActions().size();
  auto write = this->Answering();
  write.change = [](const domain::Assessment&, domain::Response& response) -> domain::AuditEntry {
    response.answer = domain::Answer::kNotMet;
    response.justification = "half written";
    throw domain::FailedPrecondition("no", "response_locked");
  };
  ExpectError(
      [&] {
        this->assessments().UpdateResponse(draft.id, this->First(draft), 1, ContractAdmin(), write);
      },
      domain::ErrorKind::kFailedPrecondition, "response_locked");
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_EQ(after.version, 1);
  EXPECT_FALSE(after.responses.front().answer.has_value());
  EXPECT_EQ(after.responses.front().justification, "");
  EXPECT_EQ(after.responses.front().version, 1);
  EXPECT_EQ(this->harness_.AuditActions().size(), before);
}

TYPED_TEST_P(AssessmentRepositoryContract, ResponseWriteKeepsEveryVerdictInItsHistory) {
  const auto draft = this->AddDraft(this->service());
  const auto reviewer = ContractAdminId();
  for (const auto verdict : {domain::Verdict::kQuery, domain::Verdict::kAccepted}) {
    domain::ResponseWrite write;
    write.admit = [](const domain::Assessment&, const domain::EvidenceLookup&) {};
    write.change = [&](const domain::Assessment& assessment, domain::Response& response) {
      response.review = domain::Review{verdict, "why", reviewer, this->At(100)};
      response.review_history.push_back(*response.review);
      return this->Entry("response.review", assessment);
    };
    this->assessments().UpdateResponse(draft.id, this->First(draft), std::nullopt, ContractAdmin(),
                                       write);
  }
  const auto after = *this->assessments().Find(draft.id);
  const auto* response = after.FindResponse(this->First(draft));
  ASSERT_TRUE(response->review.has_value());
  EXPECT_EQ(response->review->verdict, domain::Verdict::kAccepted);
  ASSERT_EQ(response->review_history.size(), 2u);
  EXPECT_EQ(response->review_history[0].verdict, domain::Verdict::kQuery);
  EXPECT_EQ(response->review_history[0].comment, "why");
}

TYPED_TEST_P(AssessmentRepositoryContract, TransitionSavesStateAndMovesChangedResponsesOnly) {
  const auto draft = this->AddDraft(this->service());
  const auto moved = this->assessments().Transition(
      draft.id, 1, ContractAdmin(), [&](domain::Assessment& assessment) {
        assessment.state = domain::AssessmentState::kChangesRequested;
        assessment.changes_summary = "fix one";
        assessment.responses.front().open_for_changes = true;
        return this->Entry("assessment.request_changes", assessment);
      });
  EXPECT_EQ(moved.version, 2);
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_EQ(after.state, domain::AssessmentState::kChangesRequested);
  EXPECT_EQ(after.changes_summary, "fix one");
  EXPECT_TRUE(after.responses.front().open_for_changes);
  EXPECT_EQ(after.responses.front().version, 2);
  EXPECT_EQ(after.responses[1].version, 1);
  EXPECT_EQ(this->harness_.AuditActions().back(), "assessment.request_changes");
}

TYPED_TEST_P(AssessmentRepositoryContract, RefusedOrStaleTransitionChangesNothing) {
  const auto draft = this->AddDraft(this->service());
  const auto before = this->harness_.AuditActions().size();
  auto refuse = [&](domain::Assessment& assessment) -> domain::AuditEntry {
    assessment.state = domain::AssessmentState::kWithdrawn;
    throw domain::FailedPrecondition("no", "illegal_transition");
  };
  ExpectError([&] { this->assessments().Transition(draft.id, 1, ContractAdmin(), refuse); },
              domain::ErrorKind::kFailedPrecondition, "illegal_transition");
  ExpectError([&] { this->assessments().Transition(draft.id, 5, ContractAdmin(), refuse); },
              domain::ErrorKind::kVersionMismatch, "precondition_failed");
  const auto after = *this->assessments().Find(draft.id);
  EXPECT_EQ(after.state, domain::AssessmentState::kDraft);
  EXPECT_EQ(after.version, 1);
  EXPECT_EQ(this->harness_.AuditActions().size(), before);
}

TYPED_TEST_P(AssessmentRepositoryContract, ApprovalReadsItsFactsAndSupersedesThePrevious) {
  auto approve = [&](const domain::Assessment& assessment,
                     std::optional<domain::AssessmentId>* previous) {
    return this->assessments().Approve(
        assessment.id, std::nullopt, ContractAdmin(),
        [&](domain::Assessment& approving, const domain::ApprovalFacts& facts) {
          EXPECT_EQ(facts.current_profile_hash, this->service().profile_hash);
          EXPECT_TRUE(facts.exceptions.empty());
          *previous = facts.previous_approval;
          approving.state = domain::AssessmentState::kApproved;
          approving.claimed_by.reset();
          approving.decided_at = this->At(100);
          approving.decided_by = ContractAdminId();
          approving.valid_until = domain::Date::Parse("2027-11-01");
          return domain::ApprovalRecord{this->Entry("assessment.approve", approving), {}};
        });
  };
  const auto first = this->AddInState(this->service(), domain::StandardKey::kCoco,
                                      domain::AssessmentState::kInReview, 40);
  std::optional<domain::AssessmentId> previous;
  const auto approved = approve(first, &previous);
  EXPECT_FALSE(previous.has_value());
  EXPECT_EQ(approved.state, domain::AssessmentState::kApproved);
  EXPECT_EQ(approved.valid_until, domain::Date::Parse("2027-11-01"));

  const auto second = this->AddInState(this->service(), domain::StandardKey::kCoco,
                                       domain::AssessmentState::kInReview, 80);
  approve(second, &previous);
  EXPECT_EQ(previous, first.id);
  const auto old = *this->assessments().Find(first.id);
  EXPECT_EQ(old.state, domain::AssessmentState::kSuperseded);
  EXPECT_GT(old.version, approved.version);
  EXPECT_EQ(this->assessments().Find(second.id)->state, domain::AssessmentState::kApproved);
  EXPECT_EQ(this->harness_.AuditActions().back(), "assessment.approve");
}

TYPED_TEST_P(AssessmentRepositoryContract, InReviewExactlyWhenClaimed) {
  const auto draft = this->AddDraft(this->service());
  ExpectError(
      [&] {
        this->assessments().Transition(draft.id, 1, ContractAdmin(),
                                       [&](domain::Assessment& assessment) {
                                         assessment.state = domain::AssessmentState::kInReview;
                                         return this->Entry("assessment.claim", assessment);
                                       });
      },
      domain::ErrorKind::kInternal);
  EXPECT_EQ(this->assessments().Find(draft.id)->state, domain::AssessmentState::kDraft);
}

REGISTER_TYPED_TEST_SUITE_P(
    AssessmentRepositoryContract, InReviewExactlyWhenClaimed,
    CreatedAssessmentIsFoundWithItsResponsesInOrder, SecondOpenAssessmentOfAStandardIsAlreadyExists,
    AssessmentScopedOnAnOldProfileIsAConflict, ListFiltersAndPagesOldestFirstWithoutResponses,
    ReviewQueueHoldsWaitingCasesOldestSubmissionFirst, ReviewQueueCountsAnsweredAndNotMetMusts,
    ResponseWriteSavesTheAnswerAndMovesBothVersions, ResponseWriteAdmitsBeforeItChecksTheVersion,
    ResponseWriteRefusesAStaleVersionOrAMissingResponse, ResponseWriteRefusedHalfWayChangesNothing,
    ResponseWriteKeepsEveryVerdictInItsHistory, TransitionSavesStateAndMovesChangedResponsesOnly,
    RefusedOrStaleTransitionChangesNothing, ApprovalReadsItsFactsAndSupersedesThePrevious);

}  // namespace coco::test
