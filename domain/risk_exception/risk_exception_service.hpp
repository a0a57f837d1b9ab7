#pragma once

#include "domain/assessment/assessment_repository.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/risk_exception/risk_exception_repository.hpp"

namespace coco::domain {

// GET /exceptions: which exceptions, across suppliers. `state` and `expiring_before` are judged
// as of today; `expiring_before` keeps active exceptions whose expires_on is before that day.
struct ExceptionFilter {
  std::optional<SupplierId> supplier;
  std::optional<ExceptionState> state;
  std::optional<Date> expiring_before;
};

struct NewRiskException {
  std::string requirement_id;
  std::string reason;
  Date expires_on;
};

// Risk acceptance (DESIGN.md §2): a risk owner without a conflict of interest accepts, for a
// while, that an applicable MUST is not fully met. See docs/review-side.md for the rules.
class RiskExceptionService {
 public:
  RiskExceptionService(RiskExceptionRepository& exceptions, AssessmentRepository& assessments,
                       IdGenerator& ids, const Clock& clock)
      : exceptions_(exceptions), assessments_(assessments), ids_(ids), clock_(clock) {}

  RiskException Add(const Actor& actor, const AssessmentId& assessment,
                    const Parsed<NewRiskException>& exception);
  PageResult<RiskException> List(const Actor& actor, const AssessmentId& assessment,
                                 const Parsed<PageRequest>& page);
  // A supplier's exceptions over all its assessments (active, expired and revoked), oldest
  // first: for the supplier's own users, assessors, risk owners and admins. 404 for another
  // supplier's user and for a supplier that does not exist; 403 for procurement.
  PageResult<RiskException> ListForSupplier(const Actor& actor, const SupplierId& supplier,
                                            const Parsed<PageRequest>& page);
  // Exceptions across suppliers, by expires_on then id (soonest to expire first): every
  // supplier's for assessors, risk owners (conflicts of interest do not hide them, as reading
  // assessments is not refused for one) and admins; a supplier user's own only (another
  // supplier's filter gives an empty list); 403 for procurement.
  PageResult<RiskException> ListAcrossSuppliers(const Actor& actor,
                                                const Parsed<ExceptionFilter>& filter,
                                                const Parsed<PageRequest>& page);
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
