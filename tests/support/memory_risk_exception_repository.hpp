#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "domain/risk_exception/risk_exception_repository.hpp"

namespace coco::test {

// RiskExceptionRepository in memory, keeping the same contract as PgRiskExceptionRepository
// (tests/support/risk_exception_repository_contract.hpp): for unit tests of the rules that use
// it. Exceptions belong to assessments, which this port cannot create: seed them first.
class InMemoryRiskExceptionRepository final : public domain::RiskExceptionRepository {
 public:
  // `make` runs under the fake's lock, as the real one runs under the assessment's row lock: it
  // must not call back into this repository.
  domain::RiskException Add(const domain::AssessmentId& assessment, const domain::Actor& actor,
                            const Maker& make) override;
  std::optional<domain::RiskException> Find(const domain::ExceptionId& id) override;
  domain::PageResult<domain::RiskException> List(const domain::AssessmentId& assessment,
                                                 const domain::PageRequest& page) override;
  std::optional<domain::PageResult<domain::RiskException>> ListBySupplier(
      const domain::SupplierId& supplier, const domain::PageRequest& page) override;
  domain::PageResult<domain::RiskException> ListByExpiry(const domain::ExceptionQuery& query,
                                                         const domain::PageRequest& page) override;
  std::vector<domain::RiskException> AllOf(const domain::AssessmentId& assessment) override;
  domain::RiskException Update(
      const domain::ExceptionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RiskException&)>& change) override;

  // Test controls: the suppliers and assessments exceptions refer to.
  void AddSupplier(const domain::SupplierId& supplier);
  void AddAssessment(const domain::Assessment& assessment);  // and its supplier
  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  // Oldest first, as the port's lists by creation order them.
  std::vector<domain::RiskException> Matching(
      const std::function<bool(const domain::RiskException&)>& keep) const;

  mutable std::mutex mutex_;
  std::set<std::string> suppliers_;
  std::map<std::string, domain::Assessment> assessments_;
  std::map<std::string, domain::RiskException> exceptions_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
