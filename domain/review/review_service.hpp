#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/assessment/assessment_repository.hpp"
#include "domain/assessment/lifecycle.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/review/comment_repository.hpp"
#include "domain/review/decision.hpp"
#include "domain/service/service_repository.hpp"
#include "domain/standard/catalogue.hpp"

namespace coco::domain {

// A verdict on one response; `rejected` and `query` need a comment.
struct VerdictRequest {
  Verdict verdict = Verdict::kAccepted;
  std::optional<std::string> comment;
};

struct NewComment {
  std::string text;
  bool internal = false;  // assessors only
};

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
  ReviewService(AssessmentRepository& assessments, CommentRepository& comments,
                Catalogue& catalogue, IdGenerator& ids, const Clock& clock)
      : assessments_(assessments),
        comments_(comments),
        catalogue_(catalogue),
        ids_(ids),
        clock_(clock) {}

  // A verdict on one response; `rejected` and `query` need a comment (422 "comment_required").
  Response Review(const Actor& actor, const AssessmentId& id, const std::string& requirement_id,
                  const Parsed<VerdictRequest>& verdict,
                  std::optional<long long> expected_response_version);
  // Marks a response for the supplier to change, clearing its verdict.
  Response Reopen(const Actor& actor, const AssessmentId& id, const std::string& requirement_id,
                  std::optional<long long> expected_response_version);
  Assessment RequestChanges(const Actor& actor, const AssessmentId& id,
                            const Parsed<std::string>& summary,
                            std::optional<long long> expected_version);
  Assessment Approve(const Actor& actor, const AssessmentId& id,
                     const Parsed<ApprovalRequest>& request,
                     std::optional<long long> expected_version);
  Assessment Reject(const Actor& actor, const AssessmentId& id, const Parsed<std::string>& reason,
                    std::optional<long long> expected_version);
  Assessment Suspend(const Actor& actor, const AssessmentId& id, const Parsed<std::string>& reason,
                     std::optional<long long> expected_version);
  Assessment Lift(const Actor& actor, const AssessmentId& id,
                  std::optional<long long> expected_version);

  Comment AddComment(const Actor& actor, const AssessmentId& id, const Parsed<NewComment>& comment);
  // Suppliers see the public comments only. `page` is asked for once the caller is known to be
  // allowed, so a refused caller hears that before anything about its query.
  PageResult<Comment> Comments(const Actor& actor, const AssessmentId& id,
                               const Parsed<PageRequest>& page);

 private:
  // A decision by the claimant: checks the lifecycle allows `action`, then that the actor
  // claimed the case.
  void CheckClaimantMove(const Actor& actor, const Assessment& assessment, AssessmentAction action);

  AssessmentRepository& assessments_;
  CommentRepository& comments_;
  Catalogue& catalogue_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
