#include "domain/assessment/allowed_actions.hpp"

#include <array>
#include <optional>
#include <utility>

#include "domain/common/names.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/review/decision.hpp"
#include "domain/risk_exception/risk_exception.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<ResponseAction, std::string_view>, 4> kResponseActions{{
    {ResponseAction::kAnswer, "answer"},
    {ResponseAction::kReview, "review"},
    {ResponseAction::kReopen, "reopen"},
    {ResponseAction::kAddException, "add_exception"},
}};

// The permission each step needs (DESIGN.md §4); superseding is the system's, no caller's.
std::optional<Permission> PermissionFor(AssessmentAction action) {
  switch (action) {
    case AssessmentAction::kAnswer:
    case AssessmentAction::kSubmit:
    case AssessmentAction::kWithdraw:
      return Permission::kWriteAssessment;
    case AssessmentAction::kSupersede:
      return std::nullopt;
    default:
      return Permission::kReview;
  }
}

bool MayTake(const Principal& principal, const Assessment& assessment, AssessmentAction action) {
  const auto permission = PermissionFor(action);
  if (!permission || !IsAllowed(principal, *permission, assessment.supplier_id)) return false;
  if (!NextState(assessment.state, assessment.suspension.has_value(), action)) return false;
  return !NeedsClaim(action) || HoldsClaim(principal, assessment);
}

}  // namespace

std::string_view ToString(ResponseAction action) { return NameIn(kResponseActions, action); }

bool HoldsClaim(const Principal& principal, const Assessment& assessment) {
  return assessment.claimed_by == principal.user_id;
}

bool NeedsClaim(AssessmentAction action) {
  return action == AssessmentAction::kRelease || action == AssessmentAction::kReview ||
         action == AssessmentAction::kReopen || action == AssessmentAction::kRequestChanges ||
         action == AssessmentAction::kApprove || action == AssessmentAction::kReject;
}

std::vector<AssessmentAction> AllowedActionsFor(const Principal& principal,
                                                const Assessment& assessment) {
  std::vector<AssessmentAction> allowed =
      AllowedActions(assessment.state, assessment.suspension.has_value());
  std::erase_if(allowed,
                [&](AssessmentAction action) { return !MayTake(principal, assessment, action); });
  return allowed;
}

std::vector<ResponseAction> AllowedResponseActionsFor(const Principal& principal,
                                                      const Assessment& assessment,
                                                      const Response& response) {
  std::vector<ResponseAction> allowed;
  if (MayTake(principal, assessment, AssessmentAction::kAnswer) &&
      OpenForAnswer(assessment, response)) {
    allowed.push_back(ResponseAction::kAnswer);
  }
  if (MayTake(principal, assessment, AssessmentAction::kReview)) {
    allowed.push_back(ResponseAction::kReview);
  }
  if (MayTake(principal, assessment, AssessmentAction::kReopen)) {
    allowed.push_back(ResponseAction::kReopen);
  }
  if (IsAllowed(principal, Permission::kManageExceptions, assessment.supplier_id) &&
      AcceptsExceptions(assessment.state) && NeedsCover(response)) {
    allowed.push_back(ResponseAction::kAddException);
  }
  return allowed;
}

}  // namespace coco::domain
