#include "tests/support/memory_audit_repository.hpp"

#include <chrono>

namespace coco::test {

std::vector<domain::AuditEvent> InMemoryAuditRepository::List(const domain::AuditFilter& filter) {
  std::lock_guard lock(mutex_);
  std::vector<domain::AuditEvent> events;
  for (const auto& event : events_) {
    if (static_cast<int>(events.size()) == filter.limit + 1) break;
    if (event.seq <= filter.after_seq) continue;
    if (filter.entity && event.entity != *filter.entity) continue;
    if (filter.entity_id && event.entity_id != *filter.entity_id) continue;
    if (filter.actor_user_id && event.actor_user_id != *filter.actor_user_id) continue;
    if (filter.since && event.at < *filter.since) continue;
    if (filter.supplier) {
      // Internal actions ("*.internal") are never shown to a supplier, as the SQL's NOT LIKE.
      const std::string suffix = ".internal";
      const bool internal =
          event.action.size() >= suffix.size() &&
          event.action.compare(event.action.size() - suffix.size(), suffix.size(), suffix) == 0;
      if (event.supplier_id != filter.supplier->str() || internal) continue;
    }
    events.push_back(event);
  }
  return events;
}

std::vector<domain::AuditEvent> InMemoryAuditRepository::ReadChain(long long after_seq, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<domain::AuditEvent> events;
  for (const auto& event : events_) {
    if (static_cast<int>(events.size()) == limit) break;
    if (event.seq > after_seq) events.push_back(event);
  }
  return events;
}

std::optional<domain::AuditEvent> InMemoryAuditRepository::Find(long long seq) {
  std::lock_guard lock(mutex_);
  if (seq < 1 || seq > static_cast<long long>(events_.size())) return std::nullopt;
  return events_[static_cast<std::size_t>(seq - 1)];
}

std::optional<domain::AuditCheckpoint> InMemoryAuditRepository::LatestCheckpoint() {
  std::lock_guard lock(mutex_);
  if (checkpoints_.empty()) return std::nullopt;
  const auto& [seq, hash] = *checkpoints_.rbegin();
  return domain::AuditCheckpoint{seq, hash};
}

domain::AuditCheckpoint InMemoryAuditRepository::Head() {
  std::lock_guard lock(mutex_);
  return head_;
}

void InMemoryAuditRepository::SaveCheckpoint(const domain::AuditCheckpoint& checkpoint) {
  std::lock_guard lock(mutex_);
  checkpoints_.emplace(checkpoint.seq, checkpoint.hash);  // the first of a seq stays
}

long long InMemoryAuditRepository::Append(const domain::Actor& actor,
                                          const domain::AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  const domain::AuditEvent event =
      domain::ChainedEvent(hasher_, head_.seq + 1, clock_.Now(), actor, entry, head_.hash);
  events_.push_back(event);
  head_ = {event.seq, event.hash};
  return event.seq;
}

void InMemoryAuditRepository::Tamper(long long seq,
                                     const std::function<void(domain::AuditEvent&)>& edit) {
  std::lock_guard lock(mutex_);
  edit(events_.at(static_cast<std::size_t>(seq - 1)));
}

}  // namespace coco::test
