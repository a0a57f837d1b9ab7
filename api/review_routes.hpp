#pragma once

#include "api/router.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/trigger/trigger_service.hpp"

namespace coco::api {

// The review side (docs/review-side.md): verdicts and reopening of responses, comments,
// request-changes/approve/reject/suspend/lift, reassessment triggers, remediation actions and
// risk exceptions.
void AddReviewRoutes(Router& router, domain::ReviewService* reviews,
                     domain::RemediationService* actions, domain::RiskExceptionService* exceptions,
                     domain::TriggerService* triggers);

}  // namespace coco::api
