#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "domain/assessment/assessment.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/common/date.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/standard/standard.hpp"
#include "domain/trigger/trigger.hpp"
#include "domain/trigger/trigger_service.hpp"

// The request bodies of assessments and of the review side (openapi/openapi.yaml), read with
// ObjectReader: every problem is one entry of a 422 "invalid_body", a body that is not JSON a 400.
// Named functions rather than code inside the route lambdas, so the fuzzer runs exactly the
// validation the server runs.
namespace coco::api::json {

// POST /services/{id}/assessments: {"standard"}.
domain::StandardKey ReadNewAssessment(const Request& request);
// PUT /assessments/{id}/responses/{requirement_id}.
domain::ResponseUpdate ReadResponseUpdate(const Request& request);

// PUT /assessments/{id}/responses/{requirement_id}/review.
domain::VerdictRequest ReadReview(const Request& request);

// A body of one required text field ({"summary": ...}, {"reason": ...}), at most 5000 characters.
std::string ReadText(const Request& request, const std::string& name);

// POST /assessments/{id}/approve: {"valid_until", "conditions"}.
domain::ApprovalRequest ReadApproval(const Request& request);

// POST /assessments/{id}/comments.
domain::NewComment ReadComment(const Request& request);

// POST /services/{id}/triggers.
domain::NewTrigger ReadTrigger(const Request& request);

// POST /actions/{id}/complete.
domain::CompletionRequest ReadCompletion(const Request& request);

// POST /assessments/{id}/exceptions.
domain::NewRiskException ReadException(const Request& request);

}  // namespace coco::api::json
