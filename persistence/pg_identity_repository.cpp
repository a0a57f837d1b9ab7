#include "persistence/pg_identity_repository.hpp"

#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {

void PgIdentityRepository::Prepare(pqxx::connection& connection) {
  connection.prepare("identity_principal_by_token",
                     "SELECT t.id, (extract(epoch FROM t.expires_at) * 1000000)::bigint,"
                     "       u.id, u.name, u.role, u.supplier_id, u.conflicts"
                     "  FROM tokens t JOIN users u ON u.id = t.user_id"
                     " WHERE t.secret_sha256 = $1 AND t.revoked_at IS NULL"
                     "   AND t.expires_at > ('epoch'::timestamptz + $2::bigint * interval '1 microsecond')"
                     "   AND u.state = 'active'");
  connection.prepare("identity_insert_user",
                     "INSERT INTO users (name, email, role, supplier_id, conflicts)"
                     " VALUES ($1, $2, $3, $4::uuid, $5::uuid[]) RETURNING id");
  connection.prepare("identity_insert_token",
                     "INSERT INTO tokens (user_id, name, secret_sha256, expires_at)"
                     " VALUES ($1, $2, $3, ('epoch'::timestamptz + $4::bigint * interval '1 microsecond')) RETURNING id");
}

std::optional<domain::Principal> PgIdentityRepository::FindPrincipalByTokenHash(
    std::string_view secret_sha256, std::chrono::system_clock::time_point now) {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::Principal> {
    const pqxx::result rows = tx.exec_prepared("identity_principal_by_token",
                                               std::string(secret_sha256), ToEpochMicros(now));
    if (rows.empty()) return std::nullopt;
    const pqxx::row row = rows[0];
    std::optional<domain::SupplierId> supplier;
    if (!row[5].is_null()) supplier = domain::SupplierId::Parse(row[5].as<std::string>());
    return domain::Principal{
        domain::UserId::Parse(row[2].as<std::string>()),
        row[3].as<std::string>(),
        domain::ParseRole(row[4].as<std::string>()),
        supplier,
        ParseSupplierIdArray(row[6]),
        domain::TokenId::Parse(row[0].as<std::string>()),
        FromEpochMicros(row[1].as<long long>()),
    };
  });
}

domain::CreatedToken PgIdentityRepository::CreateUserWithToken(const domain::NewUser& user,
                                                               const domain::NewToken& token) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const std::optional<std::string> supplier =
        user.supplier_id ? std::optional<std::string>(user.supplier_id->str()) : std::nullopt;
    const pqxx::result user_row =
        tx.exec_prepared("identity_insert_user", user.name, user.email,
                         std::string(domain::ToString(user.role)), supplier,
                         ToUuidArray(user.conflicts));
    const std::string user_id = user_row[0][0].as<std::string>();
    const pqxx::result token_row =
        tx.exec_prepared("identity_insert_token", user_id, token.name, token.secret_sha256,
                         ToEpochMicros(token.expires_at));
    return domain::CreatedToken{domain::UserId::Parse(user_id),
                                domain::TokenId::Parse(token_row[0][0].as<std::string>())};
  });
}

}  // namespace coco::persistence
