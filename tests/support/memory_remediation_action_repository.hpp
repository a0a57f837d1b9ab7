#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/remediation/remediation_action_repository.hpp"

namespace coco::test {

// RemediationActionRepository in memory, keeping the same contract as
// PgRemediationActionRepository (tests/support/remediation_action_repository_contract.hpp): for
// unit tests of the rules that use it. Actions are created by an approval, not by this port:
// seed them with AddAction.
class InMemoryRemediationActionRepository final : public domain::RemediationActionRepository {
 public:
  std::optional<domain::RemediationAction> Find(const domain::ActionId& id) override;
  domain::PageResult<domain::RemediationAction> List(const domain::ActionFilter& filter,
                                                     const domain::PageRequest& page) override;
  domain::RemediationAction Update(
      const domain::ActionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RemediationAction&)>& change) override;

  // Test control: stores an action as an approval would (kAlreadyExists for a taken id).
  void AddAction(const domain::RemediationAction& action);
  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, domain::RemediationAction> actions_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
