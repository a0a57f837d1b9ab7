#pragma once

#include <functional>
#include <optional>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/remediation/remediation_action.hpp"

namespace coco::domain {

struct ActionFilter {
  std::optional<SupplierId> supplier;
  std::optional<AssessmentId> assessment;
  std::optional<ActionState> state;
  std::optional<bool> overdue;  // as of `today`
  Date today = Date::FromYmd(1970, 1, 1);
};

class RemediationActionRepository {
 public:
  virtual ~RemediationActionRepository() = default;
  virtual std::optional<RemediationAction> Find(const ActionId& id) = 0;
  // Ordered by due date, then id.
  virtual PageResult<RemediationAction> List(const ActionFilter& filter,
                                             const PageRequest& page) = 0;
  // Locks the action, checks `expected_version` (412), lets `change` edit it (it may throw),
  // saves it with version + 1 and appends the returned entry.
  virtual RemediationAction Update(const ActionId& id, std::optional<long long> expected_version,
                                   const Actor& actor,
                                   const std::function<AuditEntry(RemediationAction&)>& change) = 0;
};

}  // namespace coco::domain
