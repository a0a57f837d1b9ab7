#pragma once

#include "domain/signing/signing_key.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

// The public halves of the signing keys, in the signing_keys table (migration 0011).
class PgSigningKeyRepository final : public domain::SigningKeyRepository {
 public:
  explicit PgSigningKeyRepository(ConnectionPool& pool) : pool_(pool) { pool_.Use(&Prepare); }

  void Register(const domain::PublicSigningKey& key) override;
  void Rotate(const domain::PublicSigningKey& retiring, const domain::PublicSigningKey& next,
              domain::TimePoint retires_at) override;
  std::vector<domain::PublicSigningKey> All() override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
};

}  // namespace coco::persistence
