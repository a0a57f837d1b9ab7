#include "domain/assessment/assessment_service.hpp"

#include <map>

#include "domain/assessment/allowed_actions.hpp"
#include "domain/assessment/lifecycle.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

Assessment AssessmentService::Start(const Actor& actor, const ServiceId& service_id,
                                    const Parsed<StandardKey>& standard_key) {
  const auto service = services_.Find(service_id);
  if (!service) throw NotFound("no such service");
  AuthorizeFound(actor.principal, Permission::kWriteAssessment, service->supplier_id,
                 "no such service");
  const StandardKey key = standard_key.Value();
  const auto standard = catalogue_.Latest(key);
  if (!standard->AppliesTo(service->profile)) {
    throw InvalidArgument(std::string(ToString(key)) +
                              " does not apply to this service's profile (" +
                              standard->applies_when.text() + ")",
                          "standard_not_applicable");
  }
  const auto now = clock_.NowMicros();
  Assessment assessment{AssessmentId(ids_.NewId()),
                        service->id,
                        service->supplier_id,
                        key,
                        standard->version,
                        AssessmentState::kDraft,
                        service->profile_hash,
                        actor.principal.user_id,
                        now,
                        std::nullopt,
                        1,
                        ScopedResponses(*standard, service->profile)};
  for (auto& response : assessment.responses) response.updated_at = now;
  AuditEntry audit{"assessment.start", "assessment", assessment.id.str(), service->supplier_id, {}};
  audit.detail.Set("service_id", service->id.str())
      .Set("standard", ToString(key))
      .Set("version", standard->version)
      .Set("responses", static_cast<long long>(assessment.responses.size()));
  assessments_.Create(assessment, actor, audit);
  return assessment;
}

Assessment AssessmentService::Get(const Actor& actor, const AssessmentId& id) {
  return VisibleAssessment(assessments_, actor, id);
}

Assessment VisibleAssessment(AssessmentRepository& assessments, const Actor& actor,
                             const AssessmentId& id, Permission action) {
  auto assessment = assessments.Find(id);
  if (!assessment) throw NotFound("no such assessment");
  AuthorizeFound(actor.principal, action, assessment->supplier_id, "no such assessment");
  return *assessment;
}

PageResult<Assessment> AssessmentService::List(const Actor& actor, AssessmentFilter filter,
                                               const PageRequest& page) {
  Authorize(actor.principal, Permission::kReadAssessment);
  if (!NarrowToOwnSupplier(actor.principal, filter.supplier)) return {};
  return assessments_.List(filter, page);
}

Response AssessmentService::Answer(const Actor& actor, const AssessmentId& id,
                                   const std::string& requirement_id,
                                   const Parsed<ResponseUpdate>& parsed,
                                   std::optional<long long> expected_response_version) {
  const auto now = clock_.NowMicros();
  ResponseWrite write;
  write.admit = [&](const Assessment& assessment, const EvidenceLookup& find_evidence) {
    AuthorizeFound(actor.principal, Permission::kReadAssessment, assessment.supplier_id,
                   "no such assessment");
    Authorize(actor.principal, Permission::kWriteAssessment, assessment.supplier_id);
    const ResponseUpdate& update = parsed.Value();
    if (!assessment.FindResponse(requirement_id)) {
      throw NotFound("this assessment has no response for " + requirement_id.substr(0, 20) +
                         " (it does not apply to the service, or does not exist)",
                     "response_not_found");
    }
    // Attached files must be evidence of the same supplier.
    std::vector<ErrorDetail> problems =
        ForeignEvidence(find_evidence, assessment.supplier_id, update.evidence_ids);
    if (CharacterCount(update.justification) > 10000) {
      problems.push_back(
          {"justification", "invalid_length", "justification is at most 10000 characters"});
    }
    if (!problems.empty()) {
      throw InvalidArgument("the response is invalid: " + problems.front().detail, "invalid_body")
          .WithDetails(std::move(problems));
    }
  };
  write.change = [&](const Assessment& assessment, Response& response) {
    if (!NextState(assessment.state, false, AssessmentAction::kAnswer)) {
      throw IllegalTransition(assessment, "answer");
    }
    if (!OpenForAnswer(assessment, response)) {
      throw FailedPrecondition(
          "the assessor did not ask for changes to this response; it stays as reviewed",
          "response_locked")
          .WithField("requirement_id", response.requirement_id);
    }
    const ResponseUpdate& update = parsed.Value();
    response.answer = update.answer;
    response.justification = update.justification;
    response.evidence_ids = update.evidence_ids;
    response.remediation = update.remediation;
    response.updated_at = now;
    AuditEntry audit{
        "response.answer", "assessment", assessment.id.str(), assessment.supplier_id, {}};
    std::vector<std::string> files;
    for (const auto& file : response.evidence_ids) files.push_back(file.str());
    audit.detail.Set("requirement_id", response.requirement_id)
        .Set("answer", ToString(update.answer))
        .Set("evidence_ids", files)
        .Set("remediation_due",
             response.remediation
                 ? std::optional<std::string>(response.remediation->due_date.ToString())
                 : std::nullopt);
    return audit;
  };
  return assessments_.UpdateResponse(id, requirement_id, expected_response_version, actor, write);
}

Assessment AssessmentService::Submit(const Actor& actor, const AssessmentId& id,
                                     std::optional<long long> expected_version) {
  const Assessment current = Get(actor, id);
  Authorize(actor.principal, Permission::kWriteAssessment, current.supplier_id);
  const auto standard = catalogue_.Get(current.standard, current.standard_version);
  const Date today = clock_.Today();
  const auto now = clock_.NowMicros();
  // The attached files' kinds are read before the transaction: reading them inside it would
  // take a second pooled connection while holding the assessment's lock.
  std::map<std::string, EvidenceKind> kinds;
  for (const auto& response : current.responses) {
    for (const auto& file : response.evidence_ids) {
      if (auto found = evidence_.Find(file)) kinds.emplace(file.str(), found->kind);
    }
  }
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    if (!NextState(assessment.state, false, AssessmentAction::kSubmit)) {
      throw IllegalTransition(assessment, "submit");
    }
    for (const auto& response : assessment.responses) {
      for (const auto& file : response.evidence_ids) {
        if (!kinds.contains(file.str())) {
          throw Conflict("the assessment changed while it was being submitted; submit again",
                         "concurrent_update");
        }
      }
    }
    const auto problems =
        SubmissionProblems(assessment, *standard, today, [&](const EvidenceId& file) {
          const auto found = kinds.find(file.str());
          return found == kinds.end() ? std::nullopt : std::optional<EvidenceKind>(found->second);
        });
    if (!problems.empty()) {
      std::vector<ErrorDetail> details;
      for (const auto& problem : problems) {
        details.push_back({"", problem.code, problem.detail, problem.requirement_id});
      }
      throw InvalidArgument("the assessment cannot be submitted yet: " +
                                std::to_string(problems.size()) + " problem(s)",
                            "assessment_incomplete")
          .WithDetails(std::move(details));
    }
    // A resubmission: what the supplier was asked to change goes back for a fresh verdict (the
    // history keeps the old one); accepted responses keep theirs.
    const bool resubmission = assessment.state == AssessmentState::kChangesRequested;
    for (auto& response : assessment.responses) {
      if (response.open_for_changes) response.review.reset();
      response.open_for_changes = false;
      response.reopened = false;
    }
    assessment.state = AssessmentState::kSubmitted;
    assessment.submitted_at = now;
    AuditEntry audit{
        "assessment.submit", "assessment", assessment.id.str(), assessment.supplier_id, {}};
    audit.detail.Set("state", ToString(assessment.state));
    if (resubmission) audit.detail.Set("resubmission", true);
    return audit;
  });
}

Assessment AssessmentService::Withdraw(const Actor& actor, const AssessmentId& id,
                                       std::optional<long long> expected_version) {
  const Assessment current = Get(actor, id);
  Authorize(actor.principal, Permission::kWriteAssessment, current.supplier_id);
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    const auto next = NextState(assessment.state, false, AssessmentAction::kWithdraw);
    if (!next) throw IllegalTransition(assessment, "withdraw");
    assessment.state = *next;
    AuditEntry audit{
        "assessment.withdraw", "assessment", assessment.id.str(), assessment.supplier_id, {}};
    audit.detail.Set("state", ToString(assessment.state));
    return audit;
  });
}

PageResult<QueueItem> AssessmentService::ReviewQueue(const Actor& actor, const QueueFilter& filter,
                                                     const PageRequest& page) {
  Authorize(actor.principal, Permission::kReadReviewQueue);
  if (filter.state && *filter.state != AssessmentState::kSubmitted &&
      *filter.state != AssessmentState::kInReview) {
    throw InvalidArgument("the queue holds submitted and in_review assessments only",
                          "invalid_query")
        .WithDetail({"state", "invalid_enum", "state is submitted or in_review"});
  }
  return assessments_.ReviewQueue(filter, page);
}

Assessment AssessmentService::Claim(const Actor& actor, const AssessmentId& id,
                                    std::optional<long long> expected_version) {
  const Assessment current = Get(actor, id);
  Authorize(actor.principal, Permission::kReview, current.supplier_id);
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    if (assessment.state == AssessmentState::kInReview && assessment.claimed_by) {
      throw Conflict("another assessor claimed this assessment first", "already_claimed")
          .WithField("claimed_by", assessment.claimed_by->str());
    }
    const auto next = NextState(assessment.state, false, AssessmentAction::kClaim);
    if (!next) throw IllegalTransition(assessment, "claim");
    assessment.state = *next;
    assessment.claimed_by = actor.principal.user_id;
    AuditEntry audit{
        "assessment.claim", "assessment", assessment.id.str(), assessment.supplier_id, {}};
    audit.detail.Set("state", ToString(assessment.state))
        .Set("claimed_by", assessment.claimed_by->str());
    return audit;
  });
}

Assessment AssessmentService::Release(const Actor& actor, const AssessmentId& id,
                                      std::optional<long long> expected_version) {
  const Assessment current = Get(actor, id);
  Authorize(actor.principal, Permission::kReview, current.supplier_id);
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    const auto next = NextState(assessment.state, false, AssessmentAction::kRelease);
    if (!next) throw IllegalTransition(assessment, "release");
    if (!HoldsClaim(actor.principal, assessment)) {
      throw PermissionDenied("only the assessor who claimed it may release it", "not_claimant");
    }
    assessment.state = *next;
    assessment.claimed_by.reset();
    AuditEntry audit{
        "assessment.release", "assessment", assessment.id.str(), assessment.supplier_id, {}};
    audit.detail.Set("state", ToString(assessment.state));
    return audit;
  });
}

}  // namespace coco::domain
