#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "domain/common/ports.hpp"
#include "domain/idempotency/idempotency.hpp"

namespace coco::test {

// IdempotencyStore in memory, keeping the same contract as PgIdempotencyStore
// (tests/support/idempotency_store_contract.hpp): for unit tests of the rules that use it.
class InMemoryIdempotencyStore final : public domain::IdempotencyStore {
 public:
  explicit InMemoryIdempotencyStore(const domain::Clock& clock) : clock_(clock) {}

  std::optional<domain::IdempotencyRecord> Find(const domain::UserId& user,
                                                std::string_view key) override;
  void Complete(const domain::IdempotencyClaim& claim, const domain::StoredResponse& response,
                bool keep) override;

  // What a guarded write's audit append does (PgAuditLog): takes (user, key) for `claim` unless
  // an unexpired claim holds it; says whether it did.
  bool Claim(const domain::IdempotencyClaim& claim, const std::string& entity,
             const std::string& entity_id);

 private:
  struct Stored {
    std::string claim_id;
    std::chrono::system_clock::time_point expires_at;
    domain::IdempotencyRecord record;
  };
  using Key = std::pair<std::string, std::string>;  // (user id, key)

  const domain::Clock& clock_;
  std::mutex mutex_;
  std::map<Key, Stored> keys_;
};

}  // namespace coco::test
