#include "persistence/pg_identity_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {

void PrepareIdentityApi(pqxx::connection& connection);

std::string PrincipalByTokenSql(std::string_view more_columns) {
  return std::string(
             "SELECT t.id, (extract(epoch FROM t.expires_at) * 1000000)::bigint,"
             "       u.id, u.name, u.role, u.supplier_id, u.conflicts") +
         std::string(more_columns) +
         "  FROM tokens t JOIN users u ON u.id = t.user_id"
         " WHERE t.secret_sha256 = $1 AND t.revoked_at IS NULL"
         "   AND t.expires_at > ('epoch'::timestamptz + $2::bigint * interval '1 microsecond')"
         "   AND u.state = 'active'";
}

domain::Principal PrincipalFromRow(const pqxx::row& row) {
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
}

void PgIdentityRepository::Prepare(pqxx::connection& connection) {
  PrepareIdentityApi(connection);
  connection.prepare("identity_principal_by_token", PrincipalByTokenSql());
  connection.prepare("identity_insert_user",
                     "INSERT INTO users (name, email, role, supplier_id, conflicts)"
                     " VALUES ($1, $2, $3, $4::uuid, $5::uuid[]) RETURNING id");
  connection.prepare("identity_insert_token",
                     "INSERT INTO tokens (user_id, name, secret_sha256, expires_at)"
                     " VALUES ($1, $2, $3, ('epoch'::timestamptz + $4::bigint * interval '1 "
                     "microsecond')) RETURNING id");
}

std::optional<domain::Principal> PgIdentityRepository::FindPrincipalByTokenHash(
    std::string_view secret_sha256, std::chrono::system_clock::time_point now) {
  // Every authenticated request comes through here: one round trip.
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::Principal> {
    const pqxx::result rows = tx.exec_prepared("identity_principal_by_token",
                                               std::string(secret_sha256), ToEpochMicros(now));
    if (rows.empty()) return std::nullopt;
    return PrincipalFromRow(rows[0]);
  });
}

domain::CreatedToken PgIdentityRepository::CreateUserWithToken(const domain::NewUser& user,
                                                               const domain::NewToken& token) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const std::optional<std::string> supplier =
        user.supplier_id ? std::optional<std::string>(user.supplier_id->str()) : std::nullopt;
    const pqxx::result user_row = tx.exec_prepared("identity_insert_user", user.name, user.email,
                                                   std::string(domain::ToString(user.role)),
                                                   supplier, ToUuidArray(user.conflicts));
    const std::string user_id = user_row[0][0].as<std::string>();
    const pqxx::result token_row =
        tx.exec_prepared("identity_insert_token", user_id, token.name, token.secret_sha256,
                         ToEpochMicros(token.expires_at));
    const domain::CreatedToken created{domain::UserId::Parse(user_id),
                                       domain::TokenId::Parse(token_row[0][0].as<std::string>())};
    if (audit_ != nullptr) {
      // The CLI's bootstrap path has no caller: the new user is its own actor, the request is
      // "cli", so even the first admin's creation is in the chain.
      const domain::Actor actor{
          domain::Principal{created.user_id, user.name, user.role, user.supplier_id, user.conflicts,
                            created.token_id, token.expires_at},
          "cli"};
      domain::AuditEntry entry{"user.create", "user", user_id, user.supplier_id, {}};
      entry.detail.Set("name", user.name)
          .Set("role", domain::ToString(user.role))
          .Set("token_id", created.token_id.str())
          .Set("via", "cli");
      audit_->Append(tx, actor, entry);
    }
    return created;
  });
}

}  // namespace coco::persistence

namespace coco::persistence {
namespace {

constexpr const char* kUserColumns =
    "id, name, email, role, supplier_id, conflicts, state,"
    " (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint, version, mail_kinds, follows";

constexpr const char* kTokenColumns =
    "id, user_id, name, (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM expires_at) * 1000000)::bigint,"
    " (extract(epoch FROM revoked_at) * 1000000)::bigint, created_by_token";

domain::User UserFromRow(const pqxx::row& row) {
  domain::User user{
      domain::UserId::Parse(row[0].as<std::string>()),
      row[1].as<std::string>(),
      row[2].is_null() ? std::nullopt : std::optional<std::string>(row[2].as<std::string>()),
      domain::ParseRole(row[3].as<std::string>()),
      row[4].is_null()
          ? std::nullopt
          : std::optional<domain::SupplierId>(domain::SupplierId::Parse(row[4].as<std::string>())),
      ParseSupplierIdArray(row[5]),
      row[6].as<std::string>() == "active" ? domain::UserState::kActive
                                           : domain::UserState::kDisabled,
      FromEpochMicros(row[7].as<long long>()),
      FromEpochMicros(row[8].as<long long>()),
      row[9].as<long long>()};
  if (!row[10].is_null()) {
    std::vector<domain::MailKind> kinds;
    for (const auto& name : ParseTextArray(row[10])) {
      if (const auto kind = domain::TryParseMailKind(name)) kinds.push_back(*kind);
    }
    user.mail_kinds = std::move(kinds);
  }
  user.follows = ParseSupplierIdArray(row[11]);
  return user;
}

std::optional<std::string> MailKindsArray(
    const std::optional<std::vector<domain::MailKind>>& kinds) {
  if (!kinds) return std::nullopt;
  return TextArray(domain::NamesOf(*kinds));
}

domain::TokenInfo TokenFromRow(const pqxx::row& row) {
  domain::TokenInfo token{domain::TokenId::Parse(row[0].as<std::string>()),
                          domain::UserId::Parse(row[1].as<std::string>()),
                          row[2].as<std::string>(),
                          FromEpochMicros(row[3].as<long long>()),
                          FromEpochMicros(row[4].as<long long>()),
                          std::nullopt,
                          std::nullopt};
  if (!row[5].is_null()) token.revoked_at = FromEpochMicros(row[5].as<long long>());
  if (!row[6].is_null()) token.created_by_token = domain::TokenId::Parse(row[6].as<std::string>());
  return token;
}

}  // namespace

void PrepareIdentityApi(pqxx::connection& connection) {
  connection.prepare("user_insert",
                     "INSERT INTO users (id, name, email, role, supplier_id, conflicts, state,"
                     " created_at, updated_at)"
                     " VALUES ($1, $2, $3, $4, $5::uuid, $6::uuid[], 'active',"
                     " 'epoch'::timestamptz + $7::bigint * interval '1 microsecond',"
                     " 'epoch'::timestamptz + $7::bigint * interval '1 microsecond')");
  connection.prepare("user_find",
                     std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1");
  connection.prepare("user_find_for_update", std::string("SELECT ") + kUserColumns +
                                                 " FROM users WHERE id = $1 FOR UPDATE");
  connection.prepare(
      "user_list", std::string("SELECT ") + kUserColumns +
                       " FROM users WHERE ($1::bigint IS NULL OR (created_at, id) >"
                       " ('epoch'::timestamptz + $1::bigint * interval '1 microsecond', $2::uuid))"
                       " ORDER BY created_at, id LIMIT $3");
  connection.prepare("user_update",
                     "UPDATE users SET name = $2, email = $3, conflicts = $4::uuid[], state = $5,"
                     " updated_at = 'epoch'::timestamptz + $6::bigint * interval '1 microsecond',"
                     " mail_kinds = $7::text[], follows = $8::uuid[],"
                     " version = version + 1 WHERE id = $1 RETURNING version");
  connection.prepare("user_revoke_tokens",
                     "UPDATE tokens SET revoked_at = 'epoch'::timestamptz + $2::bigint * interval"
                     " '1 microsecond' WHERE user_id = $1 AND revoked_at IS NULL");
  connection.prepare("token_insert",
                     "INSERT INTO tokens (id, user_id, name, secret_sha256, created_at, expires_at,"
                     " created_by_token)"
                     " VALUES ($1, $2, $3, $4,"
                     " 'epoch'::timestamptz + $5::bigint * interval '1 microsecond',"
                     " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7::uuid)");
  connection.prepare("token_find",
                     std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id = $1");
  connection.prepare(
      "token_list", std::string("SELECT ") + kTokenColumns +
                        " FROM tokens WHERE ($1::uuid IS NULL OR user_id = $1::uuid)"
                        " AND ($2::bigint IS NULL OR (created_at, id) >"
                        " ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
                        " ORDER BY created_at, id LIMIT $4");
  // A new token, the revocation of a token's family and the disabling of a user all take the
  // user's row first, so they happen one after the other: a token committed while its parent
  // was being revoked, or while its user was being disabled, would otherwise escape the
  // revocation (the revoking statement's snapshot predates it). Families never span users.
  // Inserts share the lock and check the user and parent after the wait; revocations and user
  // changes take it alone, then revoke in a statement of their own.
  connection.prepare("token_lock_user_to_insert",
                     "SELECT state FROM users WHERE id = $1 FOR SHARE");
  connection.prepare("token_parent_revoked",
                     "SELECT revoked_at IS NOT NULL FROM tokens WHERE id = $1");
  connection.prepare("token_lock_user_to_revoke",
                     "SELECT 1 FROM users WHERE id = (SELECT user_id FROM tokens WHERE id = $1)"
                     " FOR NO KEY UPDATE");
  // A token and every token made with it (and with those): a child never outlives its parent.
  connection.prepare("token_revoke",
                     "WITH RECURSIVE family AS (SELECT id FROM tokens WHERE id = $1"
                     " UNION SELECT t.id FROM tokens t JOIN family f ON t.created_by_token = f.id)"
                     " UPDATE tokens SET revoked_at = coalesce(revoked_at, 'epoch'::timestamptz +"
                     " $2::bigint * interval '1 microsecond') WHERE id IN (SELECT id FROM family)");
}

const PgAuditLog& PgIdentityRepository::Audit() const {
  if (audit_ == nullptr) throw domain::Internal("identity repository built without an audit log");
  return *audit_;
}

void PgIdentityRepository::InsertUser(const domain::User& user, const domain::Actor& actor,
                                      const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> supplier;
    if (user.supplier_id) supplier = user.supplier_id->str();
    tx.exec_prepared("user_insert", user.id.str(), user.name, user.email,
                     std::string(domain::ToString(user.role)), supplier,
                     ToUuidArray(user.conflicts), ToEpochMicros(user.created_at));
    Audit().Append(tx, actor, audit);
  });
}

std::optional<domain::User> PgIdentityRepository::FindUser(const domain::UserId& id) {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::User> {
    const pqxx::result rows = tx.exec_prepared("user_find", id.str());
    if (rows.empty()) return std::nullopt;
    return UserFromRow(rows[0]);
  });
}

domain::PageResult<domain::User> PgIdentityRepository::ListUsers(const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto after = AfterOf(page);
    return KeysetPage<domain::User>(
        tx.exec_prepared("user_list", after.micros, after.id, page.limit + 1), page.limit,
        UserFromRow, [](const domain::User& last) {
          return domain::PagePosition{ToEpochMicros(last.created_at), last.id.str()};
        });
  });
}

domain::User PgIdentityRepository::UpdateUser(
    const domain::UserId& id, std::optional<long long> expected_version, const domain::Actor& actor,
    const std::function<domain::AuditEntry(domain::User&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_prepared("user_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such user");
    domain::User user = UserFromRow(rows[0]);
    if (expected_version && *expected_version != user.version) {
      throw domain::StaleVersion(user.version);
    }
    const auto was = user.state;
    const domain::AuditEntry audit = change(user);
    user.version =
        tx.exec_prepared("user_update", user.id.str(), user.name, user.email,
                         ToUuidArray(user.conflicts), std::string(domain::ToString(user.state)),
                         ToEpochMicros(user.updated_at), MailKindsArray(user.mail_kinds),
                         ToUuidArray(user.follows))[0][0]
            .as<long long>();
    if (was == domain::UserState::kActive && user.state == domain::UserState::kDisabled) {
      tx.exec_prepared("user_revoke_tokens", user.id.str(), ToEpochMicros(user.updated_at));
    }
    Audit().Append(tx, actor, audit);
    return user;
  });
}

void PgIdentityRepository::InsertToken(const domain::TokenInfo& token,
                                       const std::string& secret_sha256, const domain::Actor& actor,
                                       const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    const pqxx::result user = tx.exec_prepared("token_lock_user_to_insert", token.user_id.str());
    std::optional<std::string> parent;
    if (token.created_by_token) {
      parent = token.created_by_token->str();
      const pqxx::result revoked = tx.exec_prepared("token_parent_revoked", *parent);
      // Revoked since it authenticated this request: the request's token is no longer valid.
      if (revoked.empty() || revoked[0][0].as<bool>()) {
        throw domain::Unauthenticated("a valid bearer token is required");
      }
    }
    // Disabled since the use case looked: disabling revokes every token, this one included.
    if (!user.empty() && user[0][0].as<std::string>() != "active") {
      throw domain::FailedPrecondition("the user is disabled", "user_disabled");
    }
    tx.exec_prepared("token_insert", token.id.str(), token.user_id.str(), token.name, secret_sha256,
                     ToEpochMicros(token.created_at), ToEpochMicros(token.expires_at), parent);
    Audit().Append(tx, actor, audit);
  });
}

std::optional<domain::TokenInfo> PgIdentityRepository::FindToken(const domain::TokenId& id) {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::TokenInfo> {
    const pqxx::result rows = tx.exec_prepared("token_find", id.str());
    if (rows.empty()) return std::nullopt;
    return TokenFromRow(rows[0]);
  });
}

domain::PageResult<domain::TokenInfo> PgIdentityRepository::ListTokens(
    const std::optional<domain::UserId>& user, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> user_id;
    if (user) user_id = user->str();
    const auto after = AfterOf(page);
    return KeysetPage<domain::TokenInfo>(
        tx.exec_prepared("token_list", user_id, after.micros, after.id, page.limit + 1), page.limit,
        TokenFromRow, [](const domain::TokenInfo& last) {
          return domain::PagePosition{ToEpochMicros(last.created_at), last.id.str()};
        });
  });
}

void PgIdentityRepository::RevokeToken(const domain::TokenId& id,
                                       std::chrono::system_clock::time_point at,
                                       const domain::Actor& actor,
                                       const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("token_lock_user_to_revoke", id.str());
    tx.exec_prepared("token_revoke", id.str(), ToEpochMicros(at));
    Audit().Append(tx, actor, audit);
  });
}

}  // namespace coco::persistence
