#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "domain/assessment/assessment.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/common/date.hpp"
#include "domain/trigger/trigger.hpp"
#include "domain/review/review_service.hpp"
#include "domain/standard/standard.hpp"

// The request bodies of assessments and of the review side (openapi/openapi.yaml), read with
// ObjectReader: every problem is one entry of a 422 "invalid_body", a body that is not JSON a 400.
// Named functions rather than code inside the route lambdas, so the fuzzer runs exactly the
// validation the server runs.
namespace coco::api::json {

// POST /services/{id}/assessments: {"standard"}.
domain::StandardKey ReadNewAssessment(const Request& request);
// PUT /assessments/{id}/responses/{requirement_id}.
domain::ResponseUpdate ReadResponseUpdate(const Request& request);

struct ReviewBody {
  domain::Verdict verdict;
  std::optional<std::string> comment;
};
// PUT /assessments/{id}/responses/{requirement_id}/review.
ReviewBody ReadReview(const Request& request);

// A body of one required text field ({"summary": ...}, {"reason": ...}), at most 5000 characters.
std::string ReadText(const Request& request, const std::string& name);

// POST /assessments/{id}/approve: {"valid_until", "conditions"}.
domain::ApprovalRequest ReadApproval(const Request& request);

struct CommentBody {
  std::string text;
  bool internal = false;
};
// POST /assessments/{id}/comments.
CommentBody ReadComment(const Request& request);

struct TriggerBody {
  domain::TriggerKind kind;
  domain::Date occurred_on;
  std::string note;
};
// POST /services/{id}/triggers.
TriggerBody ReadTrigger(const Request& request);

struct CompletionBody {
  std::string note;
  std::vector<domain::EvidenceId> evidence_ids;
};
// POST /actions/{id}/complete.
CompletionBody ReadCompletion(const Request& request);

struct ExceptionBody {
  std::string requirement_id;
  std::string reason;
  domain::Date expires_on;
};
// POST /assessments/{id}/exceptions.
ExceptionBody ReadException(const Request& request);

}  // namespace coco::api::json
