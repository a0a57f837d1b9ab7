#include "persistence/pg_signing_key_repository.hpp"

#include <cstdio>

#include "domain/common/base64url.hpp"
#include "domain/common/error.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

pqxx::result Insert(pqxx::work& tx, const domain::PublicSigningKey& key) {
  return tx.exec_prepared("signing_key_register", key.kid, key.algorithm,
                          domain::Base64UrlEncode(key.public_key), ToEpochMicros(key.created_at),
                          OptionalMicros(key.retires_at));
}

}  // namespace

void PgSigningKeyRepository::Prepare(pqxx::connection& connection) {
  constexpr const char* kMicros = "'epoch'::timestamptz + $%d::bigint * interval '1 microsecond'";
  auto at = [&](int n) {
    char text[96];
    std::snprintf(text, sizeof text, kMicros, n);
    return std::string(text);
  };
  connection.prepare("signing_key_register",
                     "INSERT INTO signing_keys (kid, algorithm, public_key, created_at, retires_at)"
                     " VALUES ($1, $2, $3, " +
                         at(4) + ", " + at(5) + ") ON CONFLICT (kid) DO NOTHING");
  // An already retired key keeps the earlier retirement: a rotation never extends a key's life.
  connection.prepare("signing_key_retire",
                     "UPDATE signing_keys SET retires_at = LEAST(coalesce(retires_at, " + at(2) +
                         "), " + at(2) + ") WHERE kid = $1");
  connection.prepare("signing_key_all",
                     "SELECT kid, algorithm, public_key,"
                     " (extract(epoch FROM created_at) * 1000000)::bigint,"
                     " (extract(epoch FROM retires_at) * 1000000)::bigint"
                     " FROM signing_keys ORDER BY created_at, kid");
}

void PgSigningKeyRepository::Register(const domain::PublicSigningKey& key) {
  WithTransaction(pool_, [&](pqxx::work& tx) { Insert(tx, key); });
}

void PgSigningKeyRepository::Rotate(const domain::PublicSigningKey& retiring,
                                    const domain::PublicSigningKey& next,
                                    domain::TimePoint retires_at) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    Insert(tx, retiring);
    tx.exec_prepared("signing_key_retire", retiring.kid, ToEpochMicros(retires_at));
    if (Insert(tx, next).affected_rows() != 1) {
      throw domain::AlreadyExists("the new signing key " + next.kid + " is already recorded");
    }
  });
}

std::vector<domain::PublicSigningKey> PgSigningKeyRepository::All() {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::PublicSigningKey> keys;
    for (const auto& row : tx.exec_prepared("signing_key_all")) {
      domain::PublicSigningKey key;
      key.kid = row[0].as<std::string>();
      key.algorithm = row[1].as<std::string>();
      const auto raw = domain::Base64UrlDecode(row[2].as<std::string>());
      if (!raw) throw domain::Internal("signing_keys holds a public key that is not base64url");
      key.public_key = *raw;
      key.created_at = FromEpochMicros(row[3].as<long long>());
      if (!row[4].is_null()) key.retires_at = FromEpochMicros(row[4].as<long long>());
      keys.push_back(std::move(key));
    }
    return keys;
  });
}

}  // namespace coco::persistence
