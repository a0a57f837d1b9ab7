#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "domain/audit/audit.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/remediation/remediation_action.hpp"
#include "domain/risk_exception/risk_exception.hpp"
#include "domain/service/service.hpp"
#include "tests/support/fakes.hpp"

namespace coco::test {

// What PostgreSQL is to the pg repositories, for the in-memory service and assessment
// repositories: the rows they share, under one lock, so that a write touching both (a profile
// change re-scoping the service's drafts) is atomic as a transaction is.
struct MemoryDatabase {
  std::recursive_mutex mutex;
  std::map<std::string, domain::Service> services;
  std::map<std::string, domain::Assessment> assessments;
  std::vector<domain::RemediationAction> actions;  // created by approvals
  std::vector<domain::AuditEntry> audit;

  // The neighbours those repositories read inside their transactions; a test that needs them
  // replaces them. As they come: every supplier exists, no evidence file does, no assessment
  // has exceptions.
  std::function<bool(const domain::SupplierId&)> supplier_exists = [](const auto&) { return true; };
  domain::EvidenceLookup find_evidence = [](const auto&) {
    return std::optional<domain::Evidence>();
  };
  std::function<std::vector<domain::RiskException>(const domain::AssessmentId&)> exceptions_of =
      [](const auto&) { return std::vector<domain::RiskException>(); };

  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() {
    std::lock_guard lock(mutex);
    return ActionsOf(audit);
  }
};

}  // namespace coco::test
