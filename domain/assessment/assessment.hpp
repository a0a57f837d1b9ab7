#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/common/error.hpp"
#include "domain/common/uuid.hpp"
#include "domain/evidence/evidence.hpp"
#include "domain/standard/standard.hpp"

namespace coco::domain {

struct AssessmentIdTag {
  static constexpr std::string_view kWhat = "assessment id";
};
using AssessmentId = Id<AssessmentIdTag>;

// DESIGN.md §2 lifecycle.
enum class AssessmentState {
  kDraft,
  kSubmitted,
  kInReview,
  kChangesRequested,
  kApproved,
  kRejected,
  kWithdrawn,
  kSuperseded,
};
std::optional<AssessmentState> TryParseAssessmentState(std::string_view text);
std::string_view ToString(AssessmentState state);
// Draft, submitted, in review or changes requested: at most one per service and standard.
bool IsOpen(AssessmentState state);

enum class Answer { kMet, kPartiallyMet, kNotMet, kNotApplicable };
// A MUST answered partially_met or not_met ("not fully met"): it needs a remediation plan to be
// submitted, a condition or an exception to be approved, and an exception's expiry matters while
// it stays so. SQL's coco_not_fully_met is the same rule (tests/pg/status_rules_pgtest.cpp).
bool NotFullyMet(Level level, Answer answer);
std::optional<Answer> TryParseAnswer(std::string_view text);
std::string_view ToString(Answer answer);

struct Remediation {
  std::string plan;
  Date due_date;
};

// An assessor's verdict on one response (DESIGN.md §2).
enum class Verdict { kAccepted, kRejected, kQuery };
std::optional<Verdict> TryParseVerdict(std::string_view text);
std::string_view ToString(Verdict verdict);

struct Review {
  Verdict verdict = Verdict::kAccepted;
  std::optional<std::string> comment;
  UserId reviewed_by;
  std::chrono::system_clock::time_point reviewed_at;
};

struct Response {
  std::string requirement_id;
  Level level = Level::kMust;
  int position = 0;
  std::optional<Answer> answer;  // unanswered until set
  std::string justification;
  std::vector<EvidenceId> evidence_ids;
  std::optional<Remediation> remediation;
  long long version = 1;
  std::chrono::system_clock::time_point updated_at;
  std::optional<Review> review = {};        // the current verdict
  std::vector<Review> review_history = {};  // every verdict given, oldest first
  bool open_for_changes = false;            // changes_requested: the supplier may edit it
  bool reopened = false;                    // the assessor reopened it in this review round
};

struct Suspension {
  std::string reason;
  std::chrono::system_clock::time_point suspended_at;
  UserId suspended_by;
};

struct Assessment {
  AssessmentId id;
  ServiceId service_id;
  SupplierId supplier_id;
  StandardKey standard;
  std::string standard_version;
  AssessmentState state = AssessmentState::kDraft;
  std::string profile_hash;  // the service profile it was scoped on
  UserId created_by;
  std::chrono::system_clock::time_point created_at;
  std::optional<std::chrono::system_clock::time_point> submitted_at;
  long long version = 1;
  std::vector<Response> responses;                  // in catalogue order
  std::optional<UserId> claimed_by = {};            // the assessor reviewing it (in_review only)
  std::optional<UserId> previous_assessor = {};     // who reviewed it before a resubmission
  std::optional<std::string> changes_summary = {};  // the last request for changes
  std::optional<std::chrono::system_clock::time_point> decided_at = {};
  std::optional<UserId> decided_by = {};
  std::optional<Date> valid_until = {};             // approvals only
  std::optional<std::string> decision_reason = {};  // rejections only
  std::optional<Suspension> suspension = {};        // approved and suspended

  Response* FindResponse(std::string_view requirement_id);
  const Response* FindResponse(std::string_view requirement_id) const;
};

struct Progress {
  int answered = 0;
  int total = 0;
  int must_answered = 0;
  int must_total = 0;
};
Progress ProgressOf(const Assessment& assessment);

// The names of the actions the lifecycle allows from `state` (see lifecycle.hpp), as a 409 lists
// them.
std::vector<std::string> AllowedActionNames(AssessmentState state, bool suspended);

// kFailedPrecondition "illegal_transition" (409) naming the current state and allowed actions.
Error IllegalTransition(const Assessment& assessment, std::string_view action);

// The responses an assessment of `standard` holds for `profile`: one empty response per
// applicable requirement, in catalogue order.
std::vector<Response> ScopedResponses(const Standard& standard, const ScopeProfile& profile);

struct SubmissionProblem {
  std::string requirement_id;
  std::string code;
  std::string detail;
};

// Every reason the assessment cannot be submitted yet (empty when it can): an unanswered MUST;
// partially met, not met or not applicable without a justification; a MUST not fully met
// without a remediation plan due after `today`; a MUST answered met or partially met without a
// file of one of its requirement's evidence kinds. `kind_of` gives each attached file's kind.
std::vector<SubmissionProblem> SubmissionProblems(
    const Assessment& assessment, const Standard& standard, Date today,
    const std::function<std::optional<EvidenceKind>(const EvidenceId&)>& kind_of);

}  // namespace coco::domain
