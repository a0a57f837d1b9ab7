#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/assessment/assessment_repository.hpp"
#include "domain/assessment/lifecycle.hpp"
#include "domain/common/ports.hpp"
#include "domain/review/decision.hpp"
#include "domain/risk_exception/risk_exception_repository.hpp"
#include "domain/review/comment_repository.hpp"
#include "domain/service/service_repository.hpp"
#include "domain/standard/catalogue.hpp"

namespace coco::domain {

struct ApprovalRequest {
  std::optional<Date> valid_until;  // default: LatestValidUntil
  std::vector<Condition> conditions;
};

// The assessor's side of a case (DESIGN.md §2, docs/review-side.md): verdicts, reopening,
// requests for changes, decisions, suspension, and the case's comment thread. Every move is
// checked against the lifecycle under the assessment's lock; review moves are for the assessor
// who claimed the case (403 "not_claimant"), and a declared conflict of interest refuses them
// all (403 "conflict_of_interest").
class ReviewService {
 public:
  ReviewService(AssessmentRepository& assessments, RiskExceptionRepository& exceptions,
          CommentRepository& comments, Catalogue& catalogue, IdGenerator& ids, const Clock& clock)
      : assessments_(assessments),
        exceptions_(exceptions),
        comments_(comments),
        catalogue_(catalogue),
        ids_(ids),
        clock_(clock) {}

  // Pre-checks for handlers that must refuse before reading a body.
  void CheckMayReview(const Actor& actor, const AssessmentId& id);
  void CheckMayComment(const Actor& actor, const AssessmentId& id);

  // A verdict on one response; `rejected` and `query` need a comment (422 "comment_required").
  Response Review(const Actor& actor, const AssessmentId& id, const std::string& requirement_id,
                  Verdict verdict, std::optional<std::string> comment,
                  std::optional<long long> expected_response_version);
  // Marks a response for the supplier to change, clearing its verdict.
  Response Reopen(const Actor& actor, const AssessmentId& id, const std::string& requirement_id,
                  std::optional<long long> expected_response_version);
  Assessment RequestChanges(const Actor& actor, const AssessmentId& id, const std::string& summary,
                            std::optional<long long> expected_version);
  Assessment Approve(const Actor& actor, const AssessmentId& id, const ApprovalRequest& request,
                     std::optional<long long> expected_version);
  Assessment Reject(const Actor& actor, const AssessmentId& id, const std::string& reason,
                    std::optional<long long> expected_version);
  Assessment Suspend(const Actor& actor, const AssessmentId& id, const std::string& reason,
                     std::optional<long long> expected_version);
  Assessment Lift(const Actor& actor, const AssessmentId& id,
                  std::optional<long long> expected_version);

  Comment AddComment(const Actor& actor, const AssessmentId& id, const std::string& body,
                     bool internal);
  // Suppliers see the public comments only. `page` is asked for once the caller is known to be
  // allowed, so a refused caller hears that before anything about its query.
  PageResult<Comment> Comments(const Actor& actor, const AssessmentId& id,
                               const std::function<PageRequest()>& page);

 private:
  // A decision by the claimant: checks the lifecycle allows `action`, then that the actor
  // claimed the case.
  void CheckClaimantMove(const Actor& actor, const Assessment& assessment, AssessmentAction action);

  AssessmentRepository& assessments_;
  RiskExceptionRepository& exceptions_;
  CommentRepository& comments_;
  Catalogue& catalogue_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
