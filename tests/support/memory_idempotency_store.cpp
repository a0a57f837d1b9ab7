#include "tests/support/memory_idempotency_store.hpp"

#include <chrono>

namespace coco::test {
namespace {

std::chrono::system_clock::time_point Micros(std::chrono::system_clock::time_point at) {
  return std::chrono::floor<std::chrono::microseconds>(at);
}

}  // namespace

std::optional<domain::IdempotencyRecord> InMemoryIdempotencyStore::Find(const domain::UserId& user,
                                                                        std::string_view key) {
  std::lock_guard lock(mutex_);
  const auto found = keys_.find(Key(user.str(), std::string(key)));
  if (found == keys_.end() || found->second.expires_at <= clock_.Now()) return std::nullopt;
  return found->second.record;
}

void InMemoryIdempotencyStore::Complete(const domain::IdempotencyClaim& claim,
                                        const domain::StoredResponse& response, bool keep) {
  std::lock_guard lock(mutex_);
  const auto now = Micros(clock_.Now());
  auto found = keys_.find(Key(claim.user_id.str(), claim.key));
  if (found == keys_.end()) {
    // The write claimed nothing: recorded after the fact.
    domain::IdempotencyRecord record;
    record.fingerprint = claim.fingerprint;
    record.created_at = now;
    found = keys_
                .emplace(Key(claim.user_id.str(), claim.key),
                         Stored{claim.claim_id, now + domain::kIdempotencyKeyLifetime, record})
                .first;
  } else if (found->second.claim_id != claim.claim_id) {
    found = keys_.end();  // another request's claim (even an expired one) is left alone
  }
  if (found != keys_.end()) {
    found->second.record.completed = true;
    found->second.record.response = keep ? std::optional(response) : std::nullopt;
  }
  // The expired records go, as PostgreSQL's cleanup batch removes them.
  std::erase_if(keys_, [&](const auto& entry) { return entry.second.expires_at <= now; });
}

bool InMemoryIdempotencyStore::Claim(const domain::IdempotencyClaim& claim,
                                     const std::string& entity, const std::string& entity_id) {
  std::lock_guard lock(mutex_);
  const auto now = Micros(clock_.Now());
  const Key key(claim.user_id.str(), claim.key);
  const auto found = keys_.find(key);
  if (found != keys_.end() && found->second.expires_at > now) {
    return found->second.claim_id == claim.claim_id;
  }
  domain::IdempotencyRecord record;
  record.fingerprint = claim.fingerprint;
  record.created_at = now;
  record.entity = entity;
  record.entity_id = entity_id;
  keys_.insert_or_assign(key,
                         Stored{claim.claim_id, now + domain::kIdempotencyKeyLifetime, record});
  return true;
}

}  // namespace coco::test
