#include <gtest/gtest.h>

#include "domain/common/error.hpp"
#include "tests/support/assurance_contract.hpp"
#include "tests/support/memory_world.hpp"
#include "tests/support/repository_contract_support.hpp"

// The rules of ReviewService (domain/review), on in-memory repositories.
namespace coco::test {
namespace {

class ReviewServiceTest : public ::testing::Test {
 protected:
  MemoryWorld world_;
  domain::Supplier acme_ = world_.NewSupplier("Acme");
  domain::Actor acme_user_ = world_.ActorOf(domain::Role::kSupplier, acme_.id);
  domain::Service service_ = world_.NewService(acme_, Connected());
  domain::Actor assessor_ = world_.ActorOf(domain::Role::kAssessor);
  domain::Assessment case_ = world_.InReview(acme_user_, service_.id, assessor_);

  std::string Requirement(int i) const { return case_.responses.at(i).requirement_id; }
  domain::Response Verdict(int i, domain::Verdict verdict,
                           std::optional<std::string> comment = std::nullopt) {
    return world_.reviews.Review(assessor_, case_.id, Requirement(i),
                                 domain::VerdictRequest{verdict, std::move(comment)}, std::nullopt);
  }
  void AcceptAll() {
    for (std::size_t i = 0; i < case_.responses.size(); ++i) {
      Verdict(static_cast<int>(i), domain::Verdict::kAccepted);
    }
  }
};

TEST_F(ReviewServiceTest, OnlyTheClaimantGivesVerdicts) {
  const auto other = world_.ActorOf(domain::Role::kAssessor);
  EXPECT_EQ(CodeOf([&] {
              world_.reviews.Review(other, case_.id, Requirement(0),
                                    domain::VerdictRequest{domain::Verdict::kAccepted, {}},
                                    std::nullopt);
            }),
            "not_claimant");
  EXPECT_FALSE(world_.assessment_repository.Find(case_.id)->responses[0].review.has_value());
  const auto reviewed = Verdict(0, domain::Verdict::kAccepted);
  ASSERT_TRUE(reviewed.review.has_value());
  EXPECT_EQ(reviewed.review->reviewed_by, assessor_.principal.user_id);
}

TEST_F(ReviewServiceTest, AVerdictOtherThanAcceptedNeedsAComment) {
  const auto error = ErrorOf([&] { Verdict(0, domain::Verdict::kQuery); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), "comment_required");
  ASSERT_EQ(error->details().size(), 1u);
  EXPECT_EQ(error->details()[0].field, "comment");
  EXPECT_EQ(Verdict(0, domain::Verdict::kQuery, "which policy?").review->comment, "which policy?");
}

TEST_F(ReviewServiceTest, CallersWhoMayNotReviewAreRefusedBeforeTheirBodyIsJudged) {
  const auto unreadable = domain::Parsed<domain::VerdictRequest>::Unreadable(
      std::make_exception_ptr(domain::InvalidArgument("bad body", "invalid_body")));
  const auto stranger = world_.ActorOf(domain::Role::kSupplier, world_.NewSupplier("Other").id);
  EXPECT_EQ(ErrorKindOf(
                [&] { world_.reviews.Review(stranger, case_.id, Requirement(0), unreadable, 99); }),
            domain::ErrorKind::kNotFound);
  EXPECT_EQ(ErrorKindOf([&] {
              world_.reviews.Review(acme_user_, case_.id, Requirement(0), unreadable, 99);
            }),
            domain::ErrorKind::kPermissionDenied);
  EXPECT_EQ(
      CodeOf([&] { world_.reviews.Review(assessor_, case_.id, Requirement(0), unreadable, 99); }),
      "invalid_body");
}

TEST_F(ReviewServiceTest, ChangesAreRequestedOnlyForQueriedResponsesWhichAloneReopen) {
  EXPECT_EQ(CodeOf([&] {
              world_.reviews.RequestChanges(assessor_, case_.id, std::string("fix"), std::nullopt);
            }),
            "nothing_to_change");
  Verdict(1, domain::Verdict::kQuery, "which policy?");
  const auto returned =
      world_.reviews.RequestChanges(assessor_, case_.id, std::string("see SUP-02"), std::nullopt);
  EXPECT_EQ(returned.state, domain::AssessmentState::kChangesRequested);
  EXPECT_FALSE(returned.claimed_by.has_value());
  EXPECT_EQ(returned.previous_assessor, assessor_.principal.user_id);
  // The supplier may change the queried response, and only that one.
  auto answer = [&](int i) {
    world_.assessments.Answer(
        acme_user_, case_.id, Requirement(i),
        domain::ResponseUpdate{domain::Answer::kMet, "", case_.responses[i].evidence_ids, {}},
        std::nullopt);
  };
  EXPECT_EQ(CodeOf([&] { answer(0); }), "response_locked");
  answer(1);
}

TEST_F(ReviewServiceTest, ApprovalNeedsEveryResponseReviewed) {
  Verdict(0, domain::Verdict::kAccepted);
  const auto error = ErrorOf([&] {
    world_.reviews.Approve(assessor_, case_.id, domain::ApprovalRequest{}, std::nullopt);
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind(), domain::ErrorKind::kInvalidArgument);
  EXPECT_EQ(world_.assessment_repository.Find(case_.id)->state, domain::AssessmentState::kInReview);
}

TEST_F(ReviewServiceTest, ApprovalWithConditionsCreatesTheirActions) {
  AcceptAll();
  const auto due = world_.clock.Today().AddDays(30);
  const auto approved = world_.reviews.Approve(
      assessor_, case_.id,
      domain::ApprovalRequest{std::nullopt, {{Requirement(2), "renew the policy", due}}},
      std::nullopt);
  EXPECT_EQ(approved.state, domain::AssessmentState::kApproved);
  EXPECT_EQ(approved.decided_by, assessor_.principal.user_id);
  ASSERT_TRUE(approved.valid_until.has_value());
  ASSERT_EQ(world_.database.actions.size(), 1u);
  EXPECT_EQ(world_.database.actions[0].requirement_id, Requirement(2));
  EXPECT_EQ(world_.database.actions[0].due_date, due);
  EXPECT_EQ(world_.database.AuditActions().back(), "assessment.approve");
}

TEST_F(ReviewServiceTest, ProfileChangedSinceScopingBlocksApproval) {
  AcceptAll();
  domain::ServicePatch patch;
  patch.profile = Connected(true);
  world_.services.Patch(acme_user_, service_.id, patch, std::nullopt);
  EXPECT_EQ(CodeOf([&] {
              world_.reviews.Approve(assessor_, case_.id, domain::ApprovalRequest{}, std::nullopt);
            }),
            "scope_changed");
}

TEST_F(ReviewServiceTest, InternalCommentsAreAssessorsAndHiddenFromTheSupplier) {
  EXPECT_EQ(CodeOf([&] {
              world_.reviews.AddComment(acme_user_, case_.id, domain::NewComment{"psst", true});
            }),
            "internal_not_allowed");
  world_.reviews.AddComment(assessor_, case_.id, domain::NewComment{"internal note", true});
  world_.reviews.AddComment(assessor_, case_.id, domain::NewComment{"please clarify", false});
  const auto supplier_view = world_.reviews.Comments(acme_user_, case_.id, domain::PageRequest{});
  ASSERT_EQ(supplier_view.items.size(), 1u);
  EXPECT_EQ(supplier_view.items[0].body, "please clarify");
  EXPECT_EQ(world_.reviews.Comments(assessor_, case_.id, domain::PageRequest{}).items.size(), 2u);
}

}  // namespace
}  // namespace coco::test
