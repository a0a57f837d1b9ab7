#include "domain/assessment/lifecycle.hpp"

#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<AssessmentAction, std::string_view>, 13> kActions{{
    {AssessmentAction::kAnswer, "answer"},
    {AssessmentAction::kSubmit, "submit"},
    {AssessmentAction::kWithdraw, "withdraw"},
    {AssessmentAction::kClaim, "claim"},
    {AssessmentAction::kRelease, "release"},
    {AssessmentAction::kReview, "review"},
    {AssessmentAction::kReopen, "reopen"},
    {AssessmentAction::kRequestChanges, "request_changes"},
    {AssessmentAction::kApprove, "approve"},
    {AssessmentAction::kReject, "reject"},
    {AssessmentAction::kSuspend, "suspend"},
    {AssessmentAction::kLift, "lift"},
    {AssessmentAction::kSupersede, "supersede"},
}};

}  // namespace

std::string_view ToString(AssessmentAction action) { return NameIn(kActions, action); }

std::optional<AssessmentAction> TryParseAssessmentAction(std::string_view text) {
  return ValueIn<AssessmentAction>(kActions, text);
}

std::optional<AssessmentState> NextState(AssessmentState state, bool suspended,
                                         AssessmentAction action) {
  using S = AssessmentState;
  using A = AssessmentAction;
  switch (state) {
    case S::kDraft:
    case S::kChangesRequested:
      if (action == A::kAnswer) return state;
      if (action == A::kSubmit) return S::kSubmitted;
      if (action == A::kWithdraw) return S::kWithdrawn;
      return std::nullopt;
    case S::kSubmitted:
      if (action == A::kClaim) return S::kInReview;
      return std::nullopt;
    case S::kInReview:
      if (action == A::kRelease) return S::kSubmitted;
      if (action == A::kReview || action == A::kReopen) return S::kInReview;
      if (action == A::kRequestChanges) return S::kChangesRequested;
      if (action == A::kApprove) return S::kApproved;
      if (action == A::kReject) return S::kRejected;
      return std::nullopt;
    case S::kApproved:
      if (action == A::kSuspend && !suspended) return S::kApproved;
      if (action == A::kLift && suspended) return S::kApproved;
      if (action == A::kSupersede) return S::kSuperseded;
      return std::nullopt;
    case S::kRejected:
    case S::kWithdrawn:
    case S::kSuperseded:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<AssessmentAction> AllowedActions(AssessmentState state, bool suspended) {
  std::vector<AssessmentAction> allowed;
  for (const auto& [action, name] : kActions) {
    if (NextState(state, suspended, action)) allowed.push_back(action);
  }
  return allowed;
}

bool OpenForAnswer(const Assessment& assessment, const Response& response) {
  if (!NextState(assessment.state, false, AssessmentAction::kAnswer)) return false;
  return assessment.state != AssessmentState::kChangesRequested || response.open_for_changes;
}

bool IsDecided(AssessmentState state) {
  return state == AssessmentState::kApproved || state == AssessmentState::kRejected ||
         state == AssessmentState::kWithdrawn || state == AssessmentState::kSuperseded;
}

}  // namespace coco::domain
