#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"

namespace coco::domain {

// Everything that can happen to an assessment (DESIGN.md §2 lifecycle).
enum class AssessmentAction {
  kAnswer,          // supplier edits a response
  kSubmit,          // supplier: draft/changes_requested -> submitted
  kWithdraw,        // supplier: draft/changes_requested -> withdrawn
  kClaim,           // assessor: submitted -> in_review
  kRelease,         // assessor: in_review -> submitted
  kReview,          // assessor gives a verdict on a response (stays in_review)
  kReopen,          // assessor reopens a response for the supplier (stays in_review)
  kRequestChanges,  // assessor: in_review -> changes_requested
  kApprove,         // assessor: in_review -> approved
  kReject,          // assessor: in_review -> rejected
  kSuspend,         // assessor: approved (not suspended) -> approved, suspended
  kLift,            // assessor: approved (suspended) -> approved
  kSupersede,       // a newer approval of the same service and standard: approved -> superseded
};

std::string_view ToString(AssessmentAction action);
std::optional<AssessmentAction> TryParseAssessmentAction(std::string_view text);

// The state `action` leads to from `state` (with the suspension flag for approved ones), or
// nullopt when the lifecycle does not allow it. Actions that keep the state return it.
std::optional<AssessmentState> NextState(AssessmentState state, bool suspended,
                                         AssessmentAction action);

// Every action allowed from `state`, in declaration order (what a 409 lists).
std::vector<AssessmentAction> AllowedActions(AssessmentState state, bool suspended);

// True when the supplier may change `response` while `assessment` is in its state: every
// response of a draft, and in changes_requested only those the assessor opened for changes.
bool OpenForAnswer(const Assessment& assessment, const Response& response);

// True for approved, rejected, withdrawn and superseded: their responses never change again.
bool IsDecided(AssessmentState state);

}  // namespace coco::domain
