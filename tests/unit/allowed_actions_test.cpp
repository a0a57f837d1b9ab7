#include "domain/assessment/allowed_actions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "tests/support/assurance_contract.hpp"
#include "tests/support/memory_world.hpp"

// allowed_actions against the services themselves: in every state of the lifecycle, for every
// kind of caller, each action the list names is accepted by its service (or refused only for its
// request's content, 422), and each action it leaves out is refused (403, 404 or 409). The list
// is composed from the services' own rules; this proves the composition is complete.
namespace coco::test {
namespace {

using domain::AssessmentAction;
using domain::ResponseAction;

enum class Stage {
  kDraft,
  kWithdrawn,
  kSubmitted,
  kInReview,
  kChangesRequested,
  kRejected,
  kApproved,
  kSuspended
};

const Stage kStages[] = {Stage::kDraft,    Stage::kWithdrawn,        Stage::kSubmitted,
                         Stage::kInReview, Stage::kChangesRequested, Stage::kRejected,
                         Stage::kApproved, Stage::kSuspended};

std::string Name(Stage stage) {
  switch (stage) {
    case Stage::kDraft:
      return "draft";
    case Stage::kWithdrawn:
      return "withdrawn";
    case Stage::kSubmitted:
      return "submitted";
    case Stage::kInReview:
      return "in_review";
    case Stage::kChangesRequested:
      return "changes_requested";
    case Stage::kRejected:
      return "rejected";
    case Stage::kApproved:
      return "approved";
    case Stage::kSuspended:
      return "suspended";
  }
  return "?";
}

class AllowedActionsTest : public ::testing::Test {
 protected:
  MemoryWorld world_;
  domain::Supplier acme_ = world_.NewSupplier("Acme");
  domain::Supplier other_supplier_ = world_.NewSupplier("Other");
  domain::Actor supplier_ = world_.ActorOf(domain::Role::kSupplier, acme_.id);
  domain::Actor claimant_ = world_.ActorOf(domain::Role::kAssessor);

  struct Persona {
    std::string name;
    domain::Actor actor;
  };

  std::vector<Persona> Personas() {
    auto conflicted = world_.ActorOf(domain::Role::kAssessor);
    conflicted.principal.conflicts.push_back(acme_.id);
    auto conflicted_owner = world_.ActorOf(domain::Role::kRiskOwner);
    conflicted_owner.principal.conflicts.push_back(acme_.id);
    return {{"supplier", supplier_},
            {"other supplier", world_.ActorOf(domain::Role::kSupplier, other_supplier_.id)},
            {"claimant", claimant_},
            {"other assessor", world_.ActorOf(domain::Role::kAssessor)},
            {"conflicted assessor", conflicted},
            {"risk owner", world_.ActorOf(domain::Role::kRiskOwner)},
            {"conflicted risk owner", conflicted_owner},
            {"procurement", world_.ActorOf(domain::Role::kProcurement)},
            {"admin", world_.Admin()}};
  }

  // The requirement answered partially_met, with a plan: the one that needs cover, and the one
  // reopened in changes_requested. Empty in a draft.
  std::string shortfall_;

  // The response an assessment-level answer, review or reopen is tried on: the shortfall, the
  // one response open for changes in changes_requested.
  const domain::Response& Target(const domain::Assessment& assessment) const {
    const auto* found = assessment.FindResponse(shortfall_);
    return found != nullptr ? *found : assessment.responses.front();
  }

  // A fresh SUPPLIER assessment of a new service of Acme's, brought to `stage`.
  domain::Assessment Reach(Stage stage) {
    const auto service = world_.NewService(acme_, Connected());
    auto assessment =
        world_.assessments.Start(supplier_, service.id, domain::StandardKey::kSupplier);
    shortfall_.clear();
    if (stage == Stage::kDraft) return assessment;
    world_.AnswerEverythingMet(supplier_, assessment.id);
    const auto must = std::find_if(
        assessment.responses.begin(), assessment.responses.end(),
        [](const domain::Response& response) { return response.level == domain::Level::kMust; });
    shortfall_ = must->requirement_id;
    const auto met = world_.assessments.Get(supplier_, assessment.id);
    world_.assessments.Answer(
        supplier_, assessment.id, shortfall_,
        domain::ResponseUpdate{domain::Answer::kPartiallyMet, "half done",
                               met.FindResponse(shortfall_)->evidence_ids,
                               domain::Remediation{"finish it", world_.clock.Today().AddDays(60)}},
        std::nullopt);
    if (stage == Stage::kWithdrawn) {
      return world_.assessments.Withdraw(supplier_, assessment.id, std::nullopt);
    }
    assessment = world_.assessments.Submit(supplier_, assessment.id, std::nullopt);
    if (stage == Stage::kSubmitted) return assessment;
    assessment = world_.assessments.Claim(claimant_, assessment.id, std::nullopt);
    if (stage == Stage::kInReview) return assessment;
    if (stage == Stage::kChangesRequested) {
      world_.reviews.Review(claimant_, assessment.id, shortfall_,
                            domain::VerdictRequest{domain::Verdict::kQuery, "which part?"},
                            std::nullopt);
      return world_.reviews.RequestChanges(claimant_, assessment.id, std::string("see the query"),
                                           std::nullopt);
    }
    if (stage == Stage::kRejected) {
      return world_.reviews.Reject(claimant_, assessment.id, std::string("no"), std::nullopt);
    }
    for (const auto& response : assessment.responses) {
      world_.reviews.Review(claimant_, assessment.id, response.requirement_id,
                            domain::VerdictRequest{domain::Verdict::kAccepted, {}}, std::nullopt);
    }
    assessment = world_.reviews.Approve(
        claimant_, assessment.id,
        domain::ApprovalRequest{std::nullopt,
                                {{shortfall_, "finish it", world_.clock.Today().AddDays(30)}}},
        std::nullopt);
    if (stage == Stage::kApproved) return assessment;
    return world_.reviews.Suspend(claimant_, assessment.id, std::string("breach"), std::nullopt);
  }

  // The assessment the response-level attempts share until one is accepted.
  std::optional<domain::Assessment> current_;
  bool stale_ = false;

  // The last refusal's code, for the failure messages.
  std::string refusal_;

  // Runs `attempt`: true when the service took it, or refused only its request's content (422),
  // save for the 422 codes in `about_target`, which say the response itself cannot take it.
  bool Accepted(const std::function<void()>& attempt,
                const std::vector<std::string>& about_target = {}) {
    refusal_ = "accepted";
    try {
      attempt();
      return true;
    } catch (const domain::Error& error) {
      refusal_ = error.code();
      return error.kind() == domain::ErrorKind::kInvalidArgument &&
             std::find(about_target.begin(), about_target.end(), error.code()) ==
                 about_target.end();
    }
  }

  // What `actor` doing `action` to `assessment` does through the services.
  bool Try(const domain::Actor& actor, const domain::Assessment& assessment,
           AssessmentAction action) {
    const auto& id = assessment.id;
    switch (action) {
      case AssessmentAction::kSubmit:
        return Accepted([&] { world_.assessments.Submit(actor, id, std::nullopt); });
      case AssessmentAction::kWithdraw:
        return Accepted([&] { world_.assessments.Withdraw(actor, id, std::nullopt); });
      case AssessmentAction::kClaim:
        return Accepted([&] { world_.assessments.Claim(actor, id, std::nullopt); });
      case AssessmentAction::kRelease:
        return Accepted([&] { world_.assessments.Release(actor, id, std::nullopt); });
      case AssessmentAction::kRequestChanges:
        return Accepted(
            [&] { world_.reviews.RequestChanges(actor, id, std::string("fix it"), std::nullopt); });
      case AssessmentAction::kApprove:
        return Accepted(
            [&] { world_.reviews.Approve(actor, id, domain::ApprovalRequest{}, std::nullopt); });
      case AssessmentAction::kReject:
        return Accepted([&] { world_.reviews.Reject(actor, id, std::string("no"), std::nullopt); });
      case AssessmentAction::kSuspend:
        return Accepted(
            [&] { world_.reviews.Suspend(actor, id, std::string("breach"), std::nullopt); });
      case AssessmentAction::kLift:
        return Accepted([&] { world_.reviews.Lift(actor, id, std::nullopt); });
      case AssessmentAction::kAnswer:
        return TryOnResponse(actor, assessment, Target(assessment), ResponseAction::kAnswer);
      case AssessmentAction::kReview:
        return TryOnResponse(actor, assessment, Target(assessment), ResponseAction::kReview);
      case AssessmentAction::kReopen:
        return TryOnResponse(actor, assessment, Target(assessment), ResponseAction::kReopen);
      case AssessmentAction::kSupersede:
        return false;  // no endpoint: the system's own step
    }
    return false;
  }

  bool TryOnResponse(const domain::Actor& actor, const domain::Assessment& assessment,
                     const domain::Response& response, ResponseAction action) {
    const auto& id = assessment.id;
    const auto& requirement = response.requirement_id;
    switch (action) {
      case ResponseAction::kAnswer:
        return Accepted([&] {
          world_.assessments.Answer(
              actor, id, requirement,
              domain::ResponseUpdate{response.answer.value_or(domain::Answer::kMet),
                                     response.justification, response.evidence_ids,
                                     response.remediation},
              std::nullopt);
        });
      case ResponseAction::kReview:
        return Accepted([&] {
          world_.reviews.Review(actor, id, requirement,
                                domain::VerdictRequest{domain::Verdict::kAccepted, {}},
                                std::nullopt);
        });
      case ResponseAction::kReopen:
        return Accepted([&] { world_.reviews.Reopen(actor, id, requirement, std::nullopt); });
      case ResponseAction::kAddException:
        // The fake reads the assessment from its own copy, as the table's foreign key would.
        world_.exception_repository.AddAssessment(assessment);
        return Accepted(
            [&] {
              world_.exceptions.Add(actor, id,
                                    domain::NewRiskException{requirement, "accepted for now",
                                                             world_.clock.Today().AddDays(30)});
            },
            {"not_must", "not_fully_met"});
    }
    return false;
  }

  static bool Has(const std::vector<AssessmentAction>& list, AssessmentAction action) {
    return std::find(list.begin(), list.end(), action) != list.end();
  }
  static bool Has(const std::vector<ResponseAction>& list, ResponseAction action) {
    return std::find(list.begin(), list.end(), action) != list.end();
  }
};

TEST_F(AllowedActionsTest, EveryListedActionIsAcceptedAndEveryOtherRefused) {
  const AssessmentAction actions[] = {
      AssessmentAction::kAnswer,   AssessmentAction::kSubmit,         AssessmentAction::kWithdraw,
      AssessmentAction::kClaim,    AssessmentAction::kRelease,        AssessmentAction::kReview,
      AssessmentAction::kReopen,   AssessmentAction::kRequestChanges, AssessmentAction::kApprove,
      AssessmentAction::kReject,   AssessmentAction::kSuspend,        AssessmentAction::kLift,
      AssessmentAction::kSupersede};
  int offered = 0;
  for (const Stage stage : kStages) {
    for (const auto& persona : Personas()) {
      // A refused attempt changes nothing, so the next one may use the same assessment; after
      // an accepted one, a fresh assessment in the stage.
      auto assessment = Reach(stage);
      for (const AssessmentAction action : actions) {
        const auto allowed = domain::AllowedActionsFor(persona.actor.principal, assessment);
        // An assessment-level answer, review or reopen is tried on the response open to it.
        const bool listed = Has(allowed, action);
        offered += listed ? 1 : 0;
        const bool accepted = Try(persona.actor, assessment, action);
        EXPECT_EQ(accepted, listed)
            << Name(stage) << ", " << persona.name << ", " << domain::ToString(action)
            << (listed ? ": listed but refused, " : ": not listed but accepted, ") << refusal_;
        if (accepted) assessment = Reach(stage);
      }
    }
  }
  EXPECT_GE(offered, 12) << "the list must offer something in the open states";
}

TEST_F(AllowedActionsTest, EachResponseListsExactlyWhatItsServicesAccept) {
  const ResponseAction actions[] = {ResponseAction::kAnswer, ResponseAction::kReview,
                                    ResponseAction::kReopen, ResponseAction::kAddException};
  for (const Stage stage : kStages) {
    current_.reset();
    for (const auto& persona : Personas()) {
      for (const ResponseAction action : actions) {
        // The shortfall (a MUST partially met: the one exceptions cover, and the one reopened
        // in changes_requested) and a response met, which stays locked there.
        for (const bool shortfall : {true, false}) {
          if (!current_ || stale_) {
            current_ = Reach(stage);
            stale_ = false;
          }
          const auto& assessment = *current_;
          const auto& response =
              stage == Stage::kDraft
                  ? assessment.responses.at(shortfall ? 0 : 1)
                  : *std::find_if(assessment.responses.begin(), assessment.responses.end(),
                                  [&](const domain::Response& candidate) {
                                    return (candidate.requirement_id == shortfall_) == shortfall;
                                  });
          const bool listed =
              Has(domain::AllowedResponseActionsFor(persona.actor.principal, assessment, response),
                  action);
          const bool accepted = TryOnResponse(persona.actor, assessment, response, action);
          stale_ = accepted;  // a refused attempt changed nothing: the assessment serves on
          EXPECT_EQ(accepted, listed)
              << Name(stage) << ", " << persona.name << ", " << domain::ToString(action) << " on "
              << response.requirement_id
              << (listed ? ": listed but refused, " : ": not listed but accepted, ") << refusal_;
        }
      }
    }
  }
}

TEST_F(AllowedActionsTest, TheClaimantsStepsAreTheirsAlone) {
  const auto assessment = Reach(Stage::kInReview);
  const auto other = world_.ActorOf(domain::Role::kAssessor);
  EXPECT_TRUE(domain::HoldsClaim(claimant_.principal, assessment));
  EXPECT_FALSE(domain::HoldsClaim(other.principal, assessment));
  const auto mine = domain::AllowedActionsFor(claimant_.principal, assessment);
  EXPECT_EQ(mine, (std::vector<AssessmentAction>{
                      AssessmentAction::kRelease, AssessmentAction::kReview,
                      AssessmentAction::kReopen, AssessmentAction::kRequestChanges,
                      AssessmentAction::kApprove, AssessmentAction::kReject}));
  EXPECT_TRUE(domain::AllowedActionsFor(other.principal, assessment).empty());
  for (const auto action : mine) EXPECT_EQ(domain::NeedsClaim(action), true);
  EXPECT_FALSE(domain::NeedsClaim(AssessmentAction::kClaim));
  EXPECT_FALSE(domain::NeedsClaim(AssessmentAction::kSuspend));
}

TEST(ResponseActionNames, AreTheWireNames) {
  EXPECT_EQ(domain::ToString(ResponseAction::kAnswer), "answer");
  EXPECT_EQ(domain::ToString(ResponseAction::kReview), "review");
  EXPECT_EQ(domain::ToString(ResponseAction::kReopen), "reopen");
  EXPECT_EQ(domain::ToString(ResponseAction::kAddException), "add_exception");
}

}  // namespace
}  // namespace coco::test
