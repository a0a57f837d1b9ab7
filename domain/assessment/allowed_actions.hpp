#pragma once

#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "domain/assessment/lifecycle.hpp"
#include "domain/identity/principal.hpp"

// What a caller may do next with an assessment, so a client offers exactly what the API would
// accept (docs/review-side.md). Composed from the rules the services apply, never restated: the
// permission table (IsAllowed), the lifecycle (NextState), the claim (HoldsClaim), the lock on a
// response not reopened (OpenForAnswer) and what an exception may cover (Exceptable).
namespace coco::domain {

// What can be done to one response of an assessment.
enum class ResponseAction {
  kAnswer,        // the supplier changes it
  kReview,        // the claimant gives a verdict
  kReopen,        // the claimant opens it for the supplier
  kAddException,  // a risk owner covers it with an exception
};

std::string_view ToString(ResponseAction action);

// True when `principal` holds the claim on `assessment`: only that assessor may release it,
// review, reopen, request changes, approve or reject.
bool HoldsClaim(const Principal& principal, const Assessment& assessment);

// True for the actions only the claimant may take.
bool NeedsClaim(AssessmentAction action);

// The assessment-level actions `principal` may take now, in lifecycle order. Checks that need
// the request's content (a complete submission, every response reviewed before approval) are
// the action's own and stay out of this list.
std::vector<AssessmentAction> AllowedActionsFor(const Principal& principal,
                                                const Assessment& assessment);

// The actions `principal` may take on `response` of `assessment` now. An exception already
// covering the requirement is not looked up: adding a second answers 409 "exception_exists".
std::vector<ResponseAction> AllowedResponseActionsFor(const Principal& principal,
                                                      const Assessment& assessment,
                                                      const Response& response);

}  // namespace coco::domain
