#pragma once

#include "api/router.hpp"
#include "domain/review/remediation.hpp"
#include "domain/review/reviews.hpp"
#include "domain/review/risk_exceptions.hpp"
#include "domain/review/triggers.hpp"

namespace coco::api {

// The review side (docs/review-side.md): verdicts and reopening of responses, comments,
// request-changes/approve/reject/suspend/lift, reassessment triggers, remediation actions and
// risk exceptions.
void AddReviewRoutes(Router& router, domain::Reviews* reviews, domain::RemediationActions* actions,
                     domain::RiskExceptions* exceptions, domain::Triggers* triggers);

}  // namespace coco::api
