#include "tests/support/memory_trigger_repository.hpp"

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

void InMemoryTriggerRepository::Record(const domain::Trigger& trigger, const domain::Actor&,
                                       const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (!triggers_.emplace(trigger.id.str(), trigger).second) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
  audit_.push_back(audit);
}

domain::PageResult<domain::Trigger> InMemoryTriggerRepository::List(
    const domain::ServiceId& service, const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  std::vector<domain::Trigger> matching;
  for (const auto& [id, trigger] : triggers_) {
    if (trigger.service_id == service) matching.push_back(trigger);
  }
  // Ordered by when it was recorded, not when it occurred.
  return KeysetPageOf(std::move(matching), page,
                      [](const domain::Trigger& trigger) { return trigger.recorded_at; });
}

std::vector<std::string> InMemoryTriggerRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
