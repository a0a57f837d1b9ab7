#include "api/json/assessment_json.hpp"

#include "api/context.hpp"
#include "api/json/nullable.hpp"
#include "domain/assessment/allowed_actions.hpp"

namespace coco::api::json {
namespace {

nlohmann::json ReviewJson(const domain::Review& review) {
  return {{"verdict", domain::ToString(review.verdict)},
          {"comment", TextOrNull(review.comment)},
          {"reviewed_by", review.reviewed_by.str()},
          {"reviewed_at", domain::FormatTimestamp(review.reviewed_at)}};
}

}  // namespace

nlohmann::json ResponseJson(const domain::Response& response) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& review : response.review_history) history.push_back(ReviewJson(review));
  return {{"requirement_id", response.requirement_id},
          {"level", domain::ToString(response.level)},
          {"answer", OrNull(response.answer, [](auto answer) { return domain::ToString(answer); })},
          {"justification", response.justification},
          {"evidence_ids", IdList(response.evidence_ids)},
          {"remediation", OrNull(response.remediation,
                                 [](const domain::Remediation& remediation) {
                                   return nlohmann::json{
                                       {"plan", remediation.plan},
                                       {"due_date", remediation.due_date.ToString()}};
                                 })},
          {"review", OrNull(response.review, ReviewJson)},
          {"review_history", std::move(history)},
          {"open_for_changes", response.open_for_changes},
          {"reopened", response.reopened},
          {"etag", EntityTag(response.version)},
          {"updated_at", domain::FormatTimestamp(response.updated_at)}};
}

nlohmann::json AssessmentSummaryJson(const domain::Assessment& assessment) {
  return {{"id", assessment.id.str()},
          {"service_id", assessment.service_id.str()},
          {"supplier_id", assessment.supplier_id.str()},
          {"standard", domain::ToString(assessment.standard)},
          {"standard_version", assessment.standard_version},
          {"state", domain::ToString(assessment.state)},
          {"profile_hash", assessment.profile_hash},
          {"created_at", domain::FormatTimestamp(assessment.created_at)},
          {"submitted_at", TimeOrNull(assessment.submitted_at)},
          {"claimed_by", IdOrNull(assessment.claimed_by)},
          {"previous_assessor", IdOrNull(assessment.previous_assessor)},
          {"changes_summary", TextOrNull(assessment.changes_summary)},
          {"decided_at", TimeOrNull(assessment.decided_at)},
          {"decided_by", IdOrNull(assessment.decided_by)},
          {"valid_until", DateOrNull(assessment.valid_until)},
          {"decision_reason", TextOrNull(assessment.decision_reason)},
          {"suspended", assessment.suspension.has_value()},
          {"suspension", OrNull(assessment.suspension,
                                [](const domain::Suspension& suspension) {
                                  return nlohmann::json{
                                      {"reason", suspension.reason},
                                      {"suspended_at",
                                       domain::FormatTimestamp(suspension.suspended_at)},
                                      {"suspended_by", suspension.suspended_by.str()}};
                                })},
          {"version", assessment.version}};
}

nlohmann::json AssessmentJson(const domain::Assessment& assessment,
                              const domain::Principal& reader) {
  nlohmann::json body = AssessmentSummaryJson(assessment);
  nlohmann::json allowed = nlohmann::json::array();
  for (const auto action : domain::AllowedActionsFor(reader, assessment)) {
    allowed.push_back(domain::ToString(action));
  }
  body["allowed_actions"] = std::move(allowed);
  const auto progress = domain::ProgressOf(assessment);
  body["progress"] = {{"answered", progress.answered},
                      {"total", progress.total},
                      {"must_answered", progress.must_answered},
                      {"must_total", progress.must_total}};
  nlohmann::json responses = nlohmann::json::array();
  for (const auto& response : assessment.responses) {
    nlohmann::json item = ResponseJson(response);
    nlohmann::json actions = nlohmann::json::array();
    for (const auto action : domain::AllowedResponseActionsFor(reader, assessment, response)) {
      actions.push_back(domain::ToString(action));
    }
    item["allowed_actions"] = std::move(actions);
    responses.push_back(std::move(item));
  }
  body["responses"] = std::move(responses);
  return body;
}

nlohmann::json CommentJson(const domain::Comment& comment) {
  return {{"id", comment.id.str()},
          {"assessment_id", comment.assessment_id.str()},
          {"author_id", comment.author_id.str()},
          {"author_role", domain::ToString(comment.author_role)},
          {"body", comment.body},
          {"internal", comment.internal},
          {"created_at", domain::FormatTimestamp(comment.created_at)}};
}

nlohmann::json TriggerJson(const domain::Trigger& trigger) {
  return {{"id", trigger.id.str()},
          {"service_id", trigger.service_id.str()},
          {"supplier_id", trigger.supplier_id.str()},
          {"kind", domain::ToString(trigger.kind)},
          {"occurred_on", trigger.occurred_on.ToString()},
          {"note", trigger.note},
          {"recorded_by", trigger.recorded_by.str()},
          {"recorded_at", domain::FormatTimestamp(trigger.recorded_at)}};
}

nlohmann::json ActionJson(const domain::RemediationAction& action, domain::Date today) {
  return {{"id", action.id.str()},
          {"assessment_id", action.assessment_id.str()},
          {"supplier_id", action.supplier_id.str()},
          {"service_id", action.service_id.str()},
          {"standard", domain::ToString(action.standard)},
          {"requirement_id", action.requirement_id},
          {"description", action.description},
          {"due_date", action.due_date.ToString()},
          {"state", domain::ToString(action.state)},
          {"overdue", action.OverdueOn(today)},
          {"completion", OrNull(action.completion,
                                [](const domain::ActionCompletion& completion) {
                                  return nlohmann::json{
                                      {"note", completion.note},
                                      {"evidence_ids", IdList(completion.evidence_ids)},
                                      {"completed_at",
                                       domain::FormatTimestamp(completion.completed_at)},
                                      {"completed_by", completion.completed_by.str()}};
                                })},
          {"verified_at", TimeOrNull(action.verified_at)},
          {"verified_by", IdOrNull(action.verified_by)},
          {"reopen_reason", TextOrNull(action.reopen_reason)},
          {"created_at", domain::FormatTimestamp(action.created_at)},
          {"etag", EntityTag(action.version)}};
}

nlohmann::json ExceptionJson(const domain::RiskException& exception, domain::Date today) {
  return {{"id", exception.id.str()},
          {"assessment_id", exception.assessment_id.str()},
          {"supplier_id", exception.supplier_id.str()},
          {"service_id", exception.service_id.str()},
          {"standard", domain::ToString(exception.standard)},
          {"requirement_id", exception.requirement_id},
          {"reason", exception.reason},
          {"approved_by", exception.approved_by.str()},
          {"created_at", domain::FormatTimestamp(exception.created_at)},
          {"expires_on", exception.expires_on.ToString()},
          {"revoked_at", TimeOrNull(exception.revoked_at)},
          {"revoked_by", IdOrNull(exception.revoked_by)},
          {"active", exception.ActiveOn(today)},
          {"state", domain::ToString(exception.StateOn(today))},
          {"etag", EntityTag(exception.version)}};
}

}  // namespace coco::api::json
