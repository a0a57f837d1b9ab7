#pragma once

#include "domain/assessment/assessment_repository.hpp"
#include "domain/common/ports.hpp"
#include "domain/risk_exception/risk_exception_repository.hpp"

namespace coco::domain {

// Risk acceptance (DESIGN.md §2): a risk owner without a conflict of interest accepts, for a
// while, that an applicable MUST is not fully met. See docs/review-side.md for the rules.
class RiskExceptionService {
 public:
  RiskExceptionService(RiskExceptionRepository& exceptions, AssessmentRepository& assessments,
                 IdGenerator& ids, const Clock& clock)
      : exceptions_(exceptions), assessments_(assessments), ids_(ids), clock_(clock) {}

  void CheckMayAdd(const Actor& actor, const AssessmentId& assessment);

  RiskException Add(const Actor& actor, const AssessmentId& assessment,
                    const std::string& requirement_id, const std::string& reason, Date expires_on);
  // `page` is asked for once the caller is known to be allowed.
  PageResult<RiskException> List(const Actor& actor, const AssessmentId& assessment,
                                  const std::function<PageRequest()>& page);
  RiskException Revoke(const Actor& actor, const ExceptionId& id,
                       std::optional<long long> expected_version);

  Date Today() const { return clock_.Today(); }

 private:

  RiskExceptionRepository& exceptions_;
  AssessmentRepository& assessments_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
