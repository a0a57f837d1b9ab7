#include "tests/support/memory_signing_key_repository.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::test {

bool InMemorySigningKeyRepository::Insert(std::vector<domain::PublicSigningKey>& keys,
                                          const domain::PublicSigningKey& key) {
  const bool known = std::any_of(keys.begin(), keys.end(),
                                 [&](const auto& other) { return other.kid == key.kid; });
  if (!known) keys.push_back(key);
  return !known;
}

void InMemorySigningKeyRepository::Register(const domain::PublicSigningKey& key) {
  std::lock_guard lock(mutex_);
  Insert(keys_, key);
}

void InMemorySigningKeyRepository::Rotate(const domain::PublicSigningKey& retiring,
                                          const domain::PublicSigningKey& next,
                                          domain::TimePoint retires_at) {
  std::lock_guard lock(mutex_);
  auto keys = keys_;  // all or nothing, as the one transaction
  Insert(keys, retiring);
  for (auto& key : keys) {
    if (key.kid == retiring.kid)
      key.retires_at = std::min(key.retires_at.value_or(retires_at), retires_at);
  }
  if (!Insert(keys, next)) {
    throw domain::AlreadyExists("the new signing key " + next.kid + " is already recorded");
  }
  keys_ = std::move(keys);
}

std::vector<domain::PublicSigningKey> InMemorySigningKeyRepository::All() {
  std::lock_guard lock(mutex_);
  auto keys = keys_;
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::pair(a.created_at, a.kid) < std::pair(b.created_at, b.kid);
  });
  return keys;
}

}  // namespace coco::test
