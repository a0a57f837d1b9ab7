#pragma once

#include <mutex>
#include <vector>

#include "domain/signing/signing_key.hpp"

namespace coco::test {

// SigningKeyRepository in memory, keeping the same contract as PgSigningKeyRepository
// (tests/support/signing_key_repository_contract.hpp): for unit tests of the rules that use it.
class InMemorySigningKeyRepository final : public domain::SigningKeyRepository {
 public:
  void Register(const domain::PublicSigningKey& key) override;
  void Rotate(const domain::PublicSigningKey& retiring, const domain::PublicSigningKey& next,
              domain::TimePoint retires_at) override;
  std::vector<domain::PublicSigningKey> All() override;

 private:
  // Adds `key` to `keys` unless its kid is there; says whether it did.
  static bool Insert(std::vector<domain::PublicSigningKey>& keys,
                     const domain::PublicSigningKey& key);

  std::mutex mutex_;
  std::vector<domain::PublicSigningKey> keys_;
};

}  // namespace coco::test
