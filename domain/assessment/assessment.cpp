#include "domain/assessment/assessment.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include "domain/assessment/lifecycle.hpp"
#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<AssessmentState, std::string_view>, 8> kStates{{
    {AssessmentState::kDraft, "draft"},
    {AssessmentState::kSubmitted, "submitted"},
    {AssessmentState::kInReview, "in_review"},
    {AssessmentState::kChangesRequested, "changes_requested"},
    {AssessmentState::kApproved, "approved"},
    {AssessmentState::kRejected, "rejected"},
    {AssessmentState::kWithdrawn, "withdrawn"},
    {AssessmentState::kSuperseded, "superseded"},
}};

constexpr std::array<std::pair<Answer, std::string_view>, 4> kAnswers{{
    {Answer::kMet, "met"},
    {Answer::kPartiallyMet, "partially_met"},
    {Answer::kNotMet, "not_met"},
    {Answer::kNotApplicable, "not_applicable"},
}};

constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdicts{{
    {Verdict::kAccepted, "accepted"},
    {Verdict::kRejected, "rejected"},
    {Verdict::kQuery, "query"},
}};

}  // namespace

std::optional<Verdict> TryParseVerdict(std::string_view text) {
  return ValueIn<Verdict>(kVerdicts, text);
}

std::string_view ToString(Verdict verdict) { return NameIn(kVerdicts, verdict); }

std::optional<AssessmentState> TryParseAssessmentState(std::string_view text) {
  return ValueIn<AssessmentState>(kStates, text);
}

std::string_view ToString(AssessmentState state) { return NameIn(kStates, state); }

bool NotFullyMet(Level level, Answer answer) {
  return level == Level::kMust && (answer == Answer::kPartiallyMet || answer == Answer::kNotMet);
}

bool IsOpen(AssessmentState state) {
  return state == AssessmentState::kDraft || state == AssessmentState::kSubmitted ||
         state == AssessmentState::kInReview || state == AssessmentState::kChangesRequested;
}

std::optional<Answer> TryParseAnswer(std::string_view text) {
  return ValueIn<Answer>(kAnswers, text);
}

std::string_view ToString(Answer answer) { return NameIn(kAnswers, answer); }

Response* Assessment::FindResponse(std::string_view requirement_id) {
  for (auto& response : responses) {
    if (response.requirement_id == requirement_id) return &response;
  }
  return nullptr;
}

const Response* Assessment::FindResponse(std::string_view requirement_id) const {
  for (const auto& response : responses) {
    if (response.requirement_id == requirement_id) return &response;
  }
  return nullptr;
}

Progress ProgressOf(const Assessment& assessment) {
  Progress progress;
  for (const auto& response : assessment.responses) {
    ++progress.total;
    if (response.answer) ++progress.answered;
    if (response.level == Level::kMust) {
      ++progress.must_total;
      if (response.answer) ++progress.must_answered;
    }
  }
  return progress;
}

std::vector<std::string> AllowedActionNames(AssessmentState state, bool suspended) {
  std::vector<std::string> names;
  for (AssessmentAction action : AllowedActions(state, suspended)) {
    names.emplace_back(ToString(action));
  }
  return names;
}

Error IllegalTransition(const Assessment& assessment, std::string_view action) {
  return FailedPrecondition("cannot " + std::string(action) + " an assessment that is " +
                                std::string(ToString(assessment.state)),
                            "illegal_transition")
      .WithField("current_state", std::string(ToString(assessment.state)))
      .WithList("allowed_actions",
                AllowedActionNames(assessment.state, assessment.suspension.has_value()));
}

std::vector<Response> ScopedResponses(const Standard& standard, const ScopeProfile& profile) {
  std::vector<Response> responses;
  int position = 0;
  for (const Requirement* requirement : ApplicableRequirements(standard, profile)) {
    Response response;
    response.requirement_id = requirement->id;
    response.level = requirement->level;
    response.position = ++position;
    responses.push_back(std::move(response));
  }
  return responses;
}

std::vector<SubmissionProblem> SubmissionProblems(
    const Assessment& assessment, const Standard& standard, Date today,
    const std::function<std::optional<EvidenceKind>(const EvidenceId&)>& kind_of) {
  std::vector<SubmissionProblem> problems;
  for (const auto& response : assessment.responses) {
    const Requirement* requirement = standard.Find(response.requirement_id);
    const bool must = response.level == Level::kMust;
    const std::string& id = response.requirement_id;
    if (!response.answer) {
      if (must)
        problems.push_back({id, "unanswered", "every applicable MUST requirement needs an answer"});
      continue;
    }
    const Answer answer = *response.answer;
    if (answer != Answer::kMet && response.justification.empty()) {
      problems.push_back(
          {id, "justification_required",
           "partially met, not met and not applicable answers need a justification"});
    }
    if (NotFullyMet(response.level, answer)) {
      if (!response.remediation) {
        problems.push_back({id, "remediation_required",
                            "a MUST not fully met needs a dated remediation plan (COCO-04)"});
      } else if (!(today < response.remediation->due_date)) {
        problems.push_back(
            {id, "remediation_due_past", "the remediation plan's due date must be in the future"});
      }
    }
    if (must && (answer == Answer::kMet || answer == Answer::kPartiallyMet) &&
        requirement != nullptr && !requirement->evidence_kinds.empty()) {
      const bool covered = std::any_of(
          response.evidence_ids.begin(), response.evidence_ids.end(), [&](const EvidenceId& file) {
            const auto kind = kind_of(file);
            return kind &&
                   std::find(requirement->evidence_kinds.begin(), requirement->evidence_kinds.end(),
                             *kind) != requirement->evidence_kinds.end();
          });
      if (!covered) {
        std::string kinds;
        for (auto kind : requirement->evidence_kinds) {
          kinds += (kinds.empty() ? "" : ", ") + std::string(ToString(kind));
        }
        problems.push_back(
            {id, "evidence_required",
             "attach at least one evidence file of a kind this requirement accepts: " + kinds});
      }
    }
  }
  return problems;
}

}  // namespace coco::domain
