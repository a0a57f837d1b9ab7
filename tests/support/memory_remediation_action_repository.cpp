#include "tests/support/memory_remediation_action_repository.hpp"

#include <utility>

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

std::optional<domain::RemediationAction> InMemoryRemediationActionRepository::Find(
    const domain::ActionId& id) {
  std::lock_guard lock(mutex_);
  const auto found = actions_.find(id.str());
  if (found == actions_.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::RemediationAction> InMemoryRemediationActionRepository::List(
    const domain::ActionFilter& filter, const domain::PageRequest& page) {
  domain::RequireDayPosition(page);
  std::lock_guard lock(mutex_);
  std::vector<domain::RemediationAction> matching;
  for (const auto& [id, action] : actions_) {
    if (filter.supplier && action.supplier_id != *filter.supplier) continue;
    if (filter.assessment && action.assessment_id != *filter.assessment) continue;
    if (filter.state && action.state != *filter.state) continue;
    if (filter.overdue && action.OverdueOn(filter.today) != *filter.overdue) continue;
    matching.push_back(action);
  }
  return KeysetPageBy(std::move(matching), page, [](const domain::RemediationAction& action) {
    return std::pair<long long, std::string>(domain::DayPosition(action.due_date), action.id.str());
  });
}

domain::RemediationAction InMemoryRemediationActionRepository::Update(
    const domain::ActionId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::RemediationAction&)>& change) {
  std::lock_guard lock(mutex_);
  const auto found = actions_.find(id.str());
  if (found == actions_.end()) throw domain::NotFound("no such action");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  domain::RemediationAction changed = found->second;  // a change that throws leaves it alone
  const domain::AuditEntry audit = change(changed);
  // Only what PostgreSQL's UPDATE saves: the state, completion, verification and reopen reason.
  auto& stored = found->second;
  stored.state = changed.state;
  stored.completion = changed.completion;
  stored.verified_at = changed.verified_at;
  stored.verified_by = changed.verified_by;
  stored.reopen_reason = changed.reopen_reason;
  changed.version = ++stored.version;
  audit_.push_back(audit);
  return changed;
}

void InMemoryRemediationActionRepository::AddAction(const domain::RemediationAction& action) {
  std::lock_guard lock(mutex_);
  if (!actions_.emplace(action.id.str(), action).second) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
}

std::vector<std::string> InMemoryRemediationActionRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
