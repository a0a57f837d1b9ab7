#pragma once

#include <string>
#include <string_view>

#include "domain/identity/identity_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

namespace coco::persistence {

// The statement that authenticates a request: the principal behind a token secret's SHA-256
// ($1) as of $2 (epoch microseconds), in columns 0 to 6, then `more_columns` (", ..." or empty)
// for a caller that reads something else in the same round trip. No row: the token is not valid
// (unknown, expired, revoked, or its user disabled).
std::string PrincipalByTokenSql(std::string_view more_columns = "");
// The principal from columns 0 to 6 of a row of that statement.
domain::Principal PrincipalFromRow(const pqxx::row& row);

class PgIdentityRepository final : public domain::IdentityRepository {
 public:
  // `audit` may be null only for the CLI's bootstrap path, which writes no API mutations.
  PgIdentityRepository(ConnectionPool& pool, const PgAuditLog* audit = nullptr)
      : pool_(pool), audit_(audit) {
    if (audit_ != nullptr) pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  std::optional<domain::Principal> FindPrincipalByTokenHash(
      std::string_view secret_sha256, std::chrono::system_clock::time_point now) override;
  domain::CreatedToken CreateUserWithToken(const domain::NewUser& user,
                                           const domain::NewToken& token) override;

  void InsertUser(const domain::User& user, const domain::Actor& actor,
                  const domain::AuditEntry& audit) override;
  std::optional<domain::User> FindUser(const domain::UserId& id) override;
  domain::PageResult<domain::User> ListUsers(const domain::PageRequest& page) override;
  domain::User UpdateUser(const domain::UserId& id, std::optional<long long> expected_version,
                          const domain::Actor& actor,
                          const std::function<domain::AuditEntry(domain::User&)>& change) override;
  void InsertToken(const domain::TokenInfo& token, const std::string& secret_sha256,
                   const domain::Actor& actor, const domain::AuditEntry& audit) override;
  std::optional<domain::TokenInfo> FindToken(const domain::TokenId& id) override;
  domain::PageResult<domain::TokenInfo> ListTokens(const std::optional<domain::UserId>& user,
                                                   const domain::PageRequest& page) override;
  void RevokeToken(const domain::TokenId& id, std::chrono::system_clock::time_point at,
                   const domain::Actor& actor, const domain::AuditEntry& audit) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  const PgAuditLog& Audit() const;

  ConnectionPool& pool_;
  const PgAuditLog* audit_;
};

}  // namespace coco::persistence
