#pragma once

#include "domain/identity/identity_repository.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

class PgIdentityRepository final : public domain::IdentityRepository {
 public:
  explicit PgIdentityRepository(ConnectionPool& pool) : pool_(pool) {}

  // Registers this repository's named statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  std::optional<domain::Principal> FindPrincipalByTokenHash(
      std::string_view secret_sha256, std::chrono::system_clock::time_point now) override;
  domain::CreatedToken CreateUserWithToken(const domain::NewUser& user,
                                           const domain::NewToken& token) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace coco::persistence
