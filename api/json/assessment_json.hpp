#pragma once

#include <nlohmann/json.hpp>

#include "domain/assessment/assessment.hpp"
#include "domain/identity/principal.hpp"
#include "domain/remediation/remediation_action.hpp"
#include "domain/review/comment.hpp"
#include "domain/risk_exception/risk_exception.hpp"
#include "domain/trigger/trigger.hpp"

// The JSON bodies of assessments and of what the review side adds around them
// (openapi/openapi.yaml: Assessment, AssessmentSummary, AssessmentResponse, Comment, Trigger,
// Action, Exception).
namespace coco::api::json {

// A response as its own write returns it; inside an assessment it also carries `allowed_actions`.
nlohmann::json ResponseJson(const domain::Response& response);
nlohmann::json AssessmentSummaryJson(const domain::Assessment& assessment);
// With `allowed_actions`, on the assessment and on each response, for `reader`.
nlohmann::json AssessmentJson(const domain::Assessment& assessment,
                              const domain::Principal& reader);
nlohmann::json CommentJson(const domain::Comment& comment);
nlohmann::json TriggerJson(const domain::Trigger& trigger);
// `today` decides `overdue` / `active`.
nlohmann::json ActionJson(const domain::RemediationAction& action, domain::Date today);
nlohmann::json ExceptionJson(const domain::RiskException& exception, domain::Date today);

}  // namespace coco::api::json
