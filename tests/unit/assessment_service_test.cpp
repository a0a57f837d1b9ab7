#include <gtest/gtest.h>

#include "domain/common/error.hpp"
#include "tests/support/assurance_contract.hpp"
#include "tests/support/memory_world.hpp"
#include "tests/support/repository_contract_support.hpp"

// The rules of AssessmentService (domain/assessment), on in-memory repositories.
namespace coco::test {
namespace {

class AssessmentServiceTest : public ::testing::Test {
 protected:
  MemoryWorld world_;
  domain::Supplier acme_ = world_.NewSupplier("Acme");
  domain::Actor acme_user_ = world_.ActorOf(domain::Role::kSupplier, acme_.id);
  domain::Service service_ = world_.NewService(acme_, Connected());

  domain::Assessment Start(domain::StandardKey key = domain::StandardKey::kSupplier) {
    return world_.assessments.Start(acme_user_, service_.id, key);
  }
  domain::Response Answer(const domain::Assessment& assessment, const std::string& requirement,
                          std::vector<domain::EvidenceId> files = {},
                          std::string justification = "") {
    return world_.assessments.Answer(
        acme_user_, assessment.id, requirement,
        domain::ResponseUpdate{domain::Answer::kMet, std::move(justification), std::move(files),
                               std::nullopt},
        std::nullopt);
  }
};

TEST_F(AssessmentServiceTest, StartScopesTheLatestVersionOnTheServiceProfile) {
  const auto draft = Start(domain::StandardKey::kCoco);
  EXPECT_EQ(draft.state, domain::AssessmentState::kDraft);
  EXPECT_EQ(draft.responses.size(), 37u);
  EXPECT_EQ(draft.profile_hash, service_.profile_hash);
  EXPECT_EQ(CodeOf([&] { Start(domain::StandardKey::kCoco); }), "assessment_open");
  EXPECT_EQ(CodeOf([&] { Start(domain::StandardKey::kOffshoring); }), "standard_not_applicable");
}

TEST_F(AssessmentServiceTest, AnsweringOneResponseReadsTheAssessmentOnce) {
  const auto draft = Start();
  const int before = world_.assessment_repository.reads();
  const auto saved = Answer(draft, draft.responses.front().requirement_id);
  EXPECT_EQ(world_.assessment_repository.reads() - before, 1);
  EXPECT_EQ(saved.answer, domain::Answer::kMet);
  EXPECT_EQ(saved.version, 2);
}

TEST_F(AssessmentServiceTest, AnotherSuppliersFileCannotBeAttached) {
  const auto draft = Start();
  const auto other = world_.NewSupplier("Other");
  const auto theirs = world_.Upload(other.id, domain::EvidenceKind::kPolicy);
  const auto mine = world_.Upload(acme_.id, domain::EvidenceKind::kPolicy);
  const auto error = ErrorOf([&] {
    Answer(draft, draft.responses.front().requirement_id, {mine, theirs});
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), "invalid_body");
  ASSERT_EQ(error->details().size(), 1u);
  EXPECT_EQ(error->details()[0].field, "evidence_ids[1]");
  EXPECT_EQ(error->details()[0].code, "unknown_evidence");
  EXPECT_FALSE(world_.assessment_repository.Find(draft.id)->responses.front().answer);
}

TEST_F(AssessmentServiceTest, CallersWhoMayNotAnswerAreRefusedBeforeTheirBodyIsJudged) {
  const auto draft = Start();
  const auto unreadable = domain::Parsed<domain::ResponseUpdate>::Unreadable(
      std::make_exception_ptr(domain::InvalidArgument("bad body", "invalid_body")));
  const auto other = world_.ActorOf(domain::Role::kSupplier, world_.NewSupplier("Other").id);
  const auto requirement = draft.responses.front().requirement_id;
  EXPECT_EQ(
      ErrorKindOf([&] { world_.assessments.Answer(other, draft.id, requirement, unreadable, 99); }),
      domain::ErrorKind::kNotFound);
  EXPECT_EQ(ErrorKindOf([&] {
              world_.assessments.Answer(world_.ActorOf(domain::Role::kAssessor), draft.id,
                                        requirement, unreadable, 99);
            }),
            domain::ErrorKind::kPermissionDenied);
  // The owner hears about its body before its stale version.
  EXPECT_EQ(
      CodeOf([&] { world_.assessments.Answer(acme_user_, draft.id, requirement, unreadable, 99); }),
      "invalid_body");
  EXPECT_EQ(CodeOf([&] { Answer(draft, "SUP-99"); }), "response_not_found");
}

TEST_F(AssessmentServiceTest, JustificationIsAtMostTenThousandCharacters) {
  const auto draft = Start();
  const auto error = ErrorOf(
      [&] { Answer(draft, draft.responses.front().requirement_id, {}, std::string(10001, 'x')); });
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->details().size(), 1u);
  EXPECT_EQ(error->details()[0].field, "justification");
  EXPECT_EQ(error->details()[0].code, "invalid_length");
  Answer(draft, draft.responses.front().requirement_id, {}, std::string(10000, 'x'));
}

TEST_F(AssessmentServiceTest, SubmitListsEveryProblemAndChangesNothing) {
  const auto draft = Start();
  Answer(draft, draft.responses.front().requirement_id);  // met, but without its evidence
  const auto error = ErrorOf([&] { world_.assessments.Submit(acme_user_, draft.id, 2); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), "assessment_incomplete");
  ASSERT_EQ(error->details().size(), draft.responses.size());  // one missing file, 11 unanswered
  EXPECT_EQ(error->details()[0].code, "evidence_required");
  for (std::size_t i = 1; i < error->details().size(); ++i) {
    EXPECT_EQ(error->details()[i].code, "unanswered");
  }
  const auto stored = *world_.assessment_repository.Find(draft.id);
  EXPECT_EQ(stored.state, domain::AssessmentState::kDraft);
  EXPECT_EQ(stored.version, 2);
}

TEST_F(AssessmentServiceTest, CompleteDraftIsSubmittedAndQueued) {
  const auto draft = Start();
  world_.AnswerEverythingMet(acme_user_, draft.id);
  const auto submitted = world_.assessments.Submit(acme_user_, draft.id, std::nullopt);
  EXPECT_EQ(submitted.state, domain::AssessmentState::kSubmitted);
  EXPECT_TRUE(submitted.submitted_at.has_value());
  const auto queue = world_.assessments.ReviewQueue(world_.ActorOf(domain::Role::kAssessor), {},
                                                    domain::PageRequest{});
  ASSERT_EQ(queue.items.size(), 1u);
  EXPECT_EQ(queue.items[0].assessment.id, draft.id);
  EXPECT_EQ(queue.items[0].must_answered, 12);  // every SUPPLIER requirement is a MUST
  EXPECT_EQ(queue.items[0].must_not_met, 0);
}

TEST_F(AssessmentServiceTest, ConflictedAssessorCannotClaimAndTwoClaimsHaveOneWinner) {
  const auto draft = Start();
  world_.AnswerEverythingMet(acme_user_, draft.id);
  world_.assessments.Submit(acme_user_, draft.id, std::nullopt);
  auto conflicted = world_.ActorOf(domain::Role::kAssessor);
  conflicted.principal.conflicts.push_back(acme_.id);
  EXPECT_EQ(CodeOf([&] { world_.assessments.Claim(conflicted, draft.id, std::nullopt); }),
            "conflict_of_interest");
  const auto first = world_.ActorOf(domain::Role::kAssessor);
  const auto claimed = world_.assessments.Claim(first, draft.id, std::nullopt);
  EXPECT_EQ(claimed.claimed_by, first.principal.user_id);
  EXPECT_EQ(CodeOf([&] {
              world_.assessments.Claim(world_.ActorOf(domain::Role::kAssessor), draft.id,
                                       std::nullopt);
            }),
            "already_claimed");
}

}  // namespace
}  // namespace coco::test
