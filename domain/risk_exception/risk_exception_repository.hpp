#pragma once

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/risk_exception/risk_exception.hpp"

namespace coco::domain {

// What ListByExpiry reads: the exceptions of `supplier` (of every supplier when absent) whose
// `expires_on` is before `expires_before` (when set) and that `keep` accepts (every one when it
// is empty).
struct ExceptionQuery {
  std::optional<SupplierId> supplier;
  std::optional<Date> expires_before;
  std::function<bool(const RiskException&)> keep;
};

class RiskExceptionRepository {
 public:
  virtual ~RiskExceptionRepository() = default;
  // Locks the assessment (so an approval sees the exception or not, never half of it), hands
  // it and its exceptions to `make`, which returns the new exception and its audit entry or
  // throws; stores both. kNotFound if the assessment does not exist.
  using Maker = std::function<std::pair<RiskException, AuditEntry>(
      const Assessment&, const std::vector<RiskException>& existing)>;
  virtual RiskException Add(const AssessmentId& assessment, const Actor& actor,
                            const Maker& make) = 0;
  virtual std::optional<RiskException> Find(const ExceptionId& id) = 0;
  // Oldest first.
  virtual PageResult<RiskException> List(const AssessmentId& assessment,
                                         const PageRequest& page) = 0;
  // Every exception on the supplier's assessments, oldest first; nullopt when no supplier has
  // this id.
  virtual std::optional<PageResult<RiskException>> ListBySupplier(const SupplierId& supplier,
                                                                  const PageRequest& page) = 0;
  // The exceptions `query` names, by `expires_on` then id; a page holds `page.limit` of them
  // unless it is the last (`keep` is applied before the page is cut). The keyset position is
  // (days since 1970-01-01 of `expires_on`, id): a cursor of a list ordered by time is refused.
  virtual PageResult<RiskException> ListByExpiry(const ExceptionQuery& query,
                                                 const PageRequest& page) = 0;
  virtual std::vector<RiskException> AllOf(const AssessmentId& assessment) = 0;
  virtual RiskException Update(const ExceptionId& id, std::optional<long long> expected_version,
                               const Actor& actor,
                               const std::function<AuditEntry(RiskException&)>& change) = 0;
};

}  // namespace coco::domain
