#pragma once

#include "domain/signing/signing_key.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

// The public halves of the signing keys, in the signing_keys table (migration 0011).
class PgSigningKeyRepository final : public domain::SigningKeyRepository {
 public:
  explicit PgSigningKeyRepository(ConnectionPool& pool) : pool_(pool) {}

  static void Prepare(pqxx::connection& connection);

  void Register(const domain::PublicSigningKey& key) override;
  void Rotate(const domain::PublicSigningKey& retiring, const domain::PublicSigningKey& next,
              domain::TimePoint retires_at) override;
  std::vector<domain::PublicSigningKey> All() override;

 private:
  ConnectionPool& pool_;
};

}  // namespace coco::persistence
