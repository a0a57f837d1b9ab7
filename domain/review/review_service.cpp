#include "domain/review/review_service.hpp"

#include "domain/assessment/allowed_actions.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/assessment/lifecycle.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {
namespace {

AuditEntry EntryFor(const Assessment& assessment, std::string action) {
  AuditEntry audit{
      std::move(action), "assessment", assessment.id.str(), assessment.supplier_id, {}};
  audit.detail.Set("state", ToString(assessment.state));
  return audit;
}

// What approving and rejecting record alike: the decision, who took it and when; the claim and
// the review round end.
void RecordDecision(Assessment& assessment, AssessmentState state, const Actor& actor,
                    std::chrono::system_clock::time_point at) {
  assessment.state = state;
  assessment.claimed_by.reset();
  assessment.decided_at = at;
  assessment.decided_by = actor.principal.user_id;
  for (auto& response : assessment.responses) {
    response.open_for_changes = false;
    response.reopened = false;
  }
}

}  // namespace

void ReviewService::CheckClaimantMove(const Actor& actor, const Assessment& assessment,
                                      AssessmentAction action) {
  if (!NextState(assessment.state, assessment.suspension.has_value(), action)) {
    throw IllegalTransition(assessment, ToString(action));
  }
  if (!HoldsClaim(actor.principal, assessment)) {
    throw PermissionDenied("only the assessor who claimed this assessment may do that",
                           "not_claimant")
        .WithField("claimed_by", assessment.claimed_by ? assessment.claimed_by->str() : "");
  }
}

Response ReviewService::Review(const Actor& actor, const AssessmentId& id,
                               const std::string& requirement_id,
                               const Parsed<VerdictRequest>& request,
                               std::optional<long long> expected_response_version) {
  const auto now = clock_.NowMicros();
  ResponseWrite write;
  write.admit = [&](const Assessment& assessment, const EvidenceLookup&) {
    AuthorizeFound(actor.principal, Permission::kReview, assessment.supplier_id,
                   "no such assessment");
    const VerdictRequest& verdict = request.Value();
    if (verdict.verdict != Verdict::kAccepted && !verdict.comment) {
      throw InvalidArgument("a rejected or query verdict needs a comment saying why",
                            "comment_required")
          .WithDetail({"comment", "required", "required when the verdict is rejected or query"});
    }
  };
  write.change = [&](const Assessment& assessment, Response& response) {
    CheckClaimantMove(actor, assessment, AssessmentAction::kReview);
    const VerdictRequest& verdict = request.Value();
    response.review =
        domain::Review{verdict.verdict, verdict.comment, actor.principal.user_id, now};
    response.review_history.push_back(*response.review);
    AuditEntry audit = EntryFor(assessment, "response.review");
    audit.detail.Set("requirement_id", response.requirement_id)
        .Set("verdict", ToString(verdict.verdict));
    return audit;
  };
  return assessments_.UpdateResponse(id, requirement_id, expected_response_version, actor, write);
}

Response ReviewService::Reopen(const Actor& actor, const AssessmentId& id,
                               const std::string& requirement_id,
                               std::optional<long long> expected_response_version) {
  ResponseWrite write;
  write.admit = [&](const Assessment& assessment, const EvidenceLookup&) {
    AuthorizeFound(actor.principal, Permission::kReview, assessment.supplier_id,
                   "no such assessment");
  };
  write.change = [&](const Assessment& assessment, Response& response) {
    CheckClaimantMove(actor, assessment, AssessmentAction::kReopen);
    response.review.reset();
    response.reopened = true;
    AuditEntry audit = EntryFor(assessment, "response.reopen");
    audit.detail.Set("requirement_id", response.requirement_id);
    return audit;
  };
  return assessments_.UpdateResponse(id, requirement_id, expected_response_version, actor, write);
}

Assessment ReviewService::RequestChanges(const Actor& actor, const AssessmentId& id,
                                         const Parsed<std::string>& parsed_summary,
                                         std::optional<long long> expected_version) {
  VisibleAssessment(assessments_, actor, id, Permission::kReview);
  const std::string& summary = parsed_summary.Value();
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    CheckClaimantMove(actor, assessment, AssessmentAction::kRequestChanges);
    std::vector<std::string> open;
    for (auto& response : assessment.responses) {
      response.open_for_changes =
          response.reopened || (response.review && response.review->verdict != Verdict::kAccepted);
      response.reopened = false;
      if (response.open_for_changes) open.push_back(response.requirement_id);
    }
    if (open.empty()) {
      throw InvalidArgument(
          "reject, query or reopen at least one response before requesting changes",
          "nothing_to_change");
    }
    assessment.state = AssessmentState::kChangesRequested;
    assessment.previous_assessor = assessment.claimed_by;
    assessment.claimed_by.reset();
    assessment.changes_summary = summary;
    AuditEntry audit = EntryFor(assessment, "assessment.request_changes");
    audit.detail.Set("open_responses", open);
    return audit;
  });
}

Assessment ReviewService::Approve(const Actor& actor, const AssessmentId& id,
                                  const Parsed<ApprovalRequest>& parsed,
                                  std::optional<long long> expected_version) {
  const Assessment current = VisibleAssessment(assessments_, actor, id, Permission::kReview);
  const ApprovalRequest& request = parsed.Value();
  const auto standard = catalogue_.Get(current.standard, current.standard_version);
  const Date today = clock_.Today();
  const Date latest = LatestValidUntil(today, standard->review_interval_months);
  const Date valid_until = request.valid_until.value_or(latest);
  return assessments_.Approve(
      id, expected_version, actor, [&](Assessment& assessment, const ApprovalFacts& facts) {
        // The decision time is taken under the lock, after any revocation it saw committed.
        const auto now = clock_.NowMicros();
        CheckClaimantMove(actor, assessment, AssessmentAction::kApprove);
        if (facts.current_profile_hash != assessment.profile_hash) {
          throw FailedPrecondition(
              "the service's profile changed since this assessment was scoped; reject it and "
              "have the supplier start a new one",
              "scope_changed");
        }
        CheckApproval(assessment, request.conditions, facts.exceptions, today, valid_until, latest);
        ApprovalRecord record;
        std::vector<std::string> action_ids;
        for (const auto& condition : request.conditions) {
          RemediationAction action{ActionId(ids_.NewId()), assessment.id,
                                   assessment.supplier_id, assessment.service_id,
                                   assessment.standard,    condition.requirement_id,
                                   condition.description,  condition.due_date};
          action.created_at = now;
          action_ids.push_back(action.id.str());
          record.actions.push_back(std::move(action));
        }
        RecordDecision(assessment, AssessmentState::kApproved, actor, now);
        assessment.valid_until = valid_until;
        record.audit = EntryFor(assessment, "assessment.approve");
        record.audit.detail.Set("valid_until", valid_until.ToString())
            .Set("action_ids", action_ids)
            .Set("supersedes", facts.previous_approval
                                   ? std::optional<std::string>(facts.previous_approval->str())
                                   : std::nullopt);
        return record;
      });
}

Assessment ReviewService::Reject(const Actor& actor, const AssessmentId& id,
                                 const Parsed<std::string>& parsed_reason,
                                 std::optional<long long> expected_version) {
  VisibleAssessment(assessments_, actor, id, Permission::kReview);
  const std::string& reason = parsed_reason.Value();
  const auto now = clock_.NowMicros();
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    CheckClaimantMove(actor, assessment, AssessmentAction::kReject);
    RecordDecision(assessment, AssessmentState::kRejected, actor, now);
    assessment.decision_reason = reason;
    return EntryFor(assessment, "assessment.reject");
  });
}

Assessment ReviewService::Suspend(const Actor& actor, const AssessmentId& id,
                                  const Parsed<std::string>& parsed_reason,
                                  std::optional<long long> expected_version) {
  VisibleAssessment(assessments_, actor, id, Permission::kReview);
  const std::string& reason = parsed_reason.Value();
  const auto now = clock_.NowMicros();
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    if (!NextState(assessment.state, assessment.suspension.has_value(),
                   AssessmentAction::kSuspend)) {
      throw IllegalTransition(assessment, "suspend");
    }
    assessment.suspension = Suspension{reason, now, actor.principal.user_id};
    AuditEntry audit = EntryFor(assessment, "assessment.suspend");
    audit.detail.Set("suspended", true);
    return audit;
  });
}

Assessment ReviewService::Lift(const Actor& actor, const AssessmentId& id,
                               std::optional<long long> expected_version) {
  VisibleAssessment(assessments_, actor, id, Permission::kReview);
  return assessments_.Transition(id, expected_version, actor, [&](Assessment& assessment) {
    if (!NextState(assessment.state, assessment.suspension.has_value(), AssessmentAction::kLift)) {
      throw IllegalTransition(assessment, "lift");
    }
    assessment.suspension.reset();
    AuditEntry audit = EntryFor(assessment, "assessment.lift");
    audit.detail.Set("suspended", false);
    return audit;
  });
}

Comment ReviewService::AddComment(const Actor& actor, const AssessmentId& id,
                                  const Parsed<NewComment>& request) {
  const Assessment assessment =
      VisibleAssessment(assessments_, actor, id, Permission::kWriteComment);
  const std::string& body = request.Value().text;
  const bool internal = request.Value().internal;
  if (internal && actor.principal.role != Role::kAssessor) {
    throw PermissionDenied("only assessors may mark a comment internal", "internal_not_allowed");
  }
  Comment comment{CommentId(ids_.NewId()),
                  assessment.id,
                  assessment.supplier_id,
                  actor.principal.user_id,
                  actor.principal.role,
                  body,
                  internal,
                  clock_.NowMicros()};
  // The supplier's audit view hides actions ending in ".internal"; the text never goes in.
  AuditEntry audit{internal ? "comment.add.internal" : "comment.add",
                   "assessment",
                   assessment.id.str(),
                   assessment.supplier_id,
                   {}};
  audit.detail.Set("comment_id", comment.id.str()).Set("internal", internal);
  comments_.Add(comment, actor, audit);
  return comment;
}

PageResult<Comment> ReviewService::Comments(const Actor& actor, const AssessmentId& id,
                                            const Parsed<PageRequest>& page) {
  VisibleAssessment(assessments_, actor, id, Permission::kReadComments);
  return comments_.List(id, actor.principal.role != Role::kSupplier, page.Value());
}

}  // namespace coco::domain
