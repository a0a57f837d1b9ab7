// A token a user makes for itself belongs to the family of the token it used, revoking a token
// revokes its family, and disabling a user revokes all its tokens (docs/decisions.md). These
// races, made deterministic, check that no token escapes: one side is held open on a connection
// of its own, the repository's call starts on the other side, and the held side commits only
// once PostgreSQL shows the call waiting.
#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "security/system_clock.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

constexpr const char* kUser = "00000000-0000-4000-8000-00000000d001";
constexpr const char* kParent = "00000000-0000-4000-8000-00000000d0a1";
constexpr const char* kChild = "00000000-0000-4000-8000-00000000d0b1";
constexpr const char* kGrandchild = "00000000-0000-4000-8000-00000000d0c1";

std::string InsertToken(const std::string& id, const std::string& parent) {
  return "INSERT INTO tokens (id, user_id, name, secret_sha256, expires_at, created_by_token)"
         " VALUES ('" +
         id + "', '" + kUser + "', 'token " + id + "', encode(sha256('" + id +
         "'::bytea), 'hex'), now() + interval '1 day', '" + parent + "')";
}

class TokenFamilyPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Migrate();
    database_.Exec(std::string("INSERT INTO users (id, name, role) VALUES ('") + kUser +
                   "', 'Assessor', 'assessor')");
    database_.Exec(std::string("INSERT INTO tokens (id, user_id, name, secret_sha256, expires_at)"
                               " VALUES ('") +
                   kParent + "', '" + kUser +
                   "', 'parent', repeat('a', 64), now() + interval '2 days')");
    pool_ =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database_.url(), 2});
    audit_ = std::make_unique<persistence::PgAuditLog>(hasher_, clock_);
    repository_ = std::make_unique<persistence::PgIdentityRepository>(*pool_, audit_.get());
  }

  domain::Actor Actor() const {
    return domain::Actor{domain::Principal{domain::UserId::Parse(kUser),
                                           "Assessor",
                                           domain::Role::kAssessor,
                                           std::nullopt,
                                           {},
                                           domain::TokenId::Parse(kParent),
                                           clock_.Now()},
                         "token-family-test"};
  }

  // The repository making `child` with `parent`, as POST /tokens does for a user's own token
  // (without a parent: as it does for an admin making a token for the user).
  void InsertChild(const std::string& child, const std::optional<std::string>& parent) {
    const auto now = clock_.Now();
    std::optional<domain::TokenId> parent_id;
    if (parent) parent_id = domain::TokenId::Parse(*parent);
    domain::TokenInfo token{domain::TokenId::Parse(child),
                            domain::UserId::Parse(kUser),
                            "child",
                            now,
                            now + std::chrono::hours(1),
                            std::nullopt,
                            parent_id};
    repository_->InsertToken(token, std::string(64, 'b'), Actor(),
                             domain::AuditEntry{"token.create", "token", child, std::nullopt, {}});
  }

  void Revoke(const std::string& token) {
    repository_->RevokeToken(domain::TokenId::Parse(token), clock_.Now(), Actor(),
                             domain::AuditEntry{"token.revoke", "token", token, std::nullopt, {}});
  }

  // The repository disabling the user, as POST /users/{id}/disable does.
  void Disable() {
    repository_->UpdateUser(
        domain::UserId::Parse(kUser), std::nullopt, Actor(), [this](domain::User& user) {
          user.state = domain::UserState::kDisabled;
          user.updated_at = clock_.Now();
          return domain::AuditEntry{"user.disable", "user", kUser, std::nullopt, {}};
        });
  }

  static int LockWaiters(pqxx::connection& observer) {
    pqxx::nontransaction tx(observer);
    return tx
        .exec(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'")[0][0]
        .as<int>();
  }

  // Runs `held` in a transaction left open, starts `call`, and commits `held` once `call` waits
  // on a lock. Returns what `call` threw, if anything.
  std::exception_ptr Race(const std::vector<std::string>& held, const std::function<void()>& call) {
    pqxx::connection holder(database_.url());
    pqxx::work hold(holder);
    for (const auto& sql : held) hold.exec(sql);
    auto done = std::async(std::launch::async, [&call]() -> std::exception_ptr {
      try {
        call();
        return nullptr;
      } catch (...) {
        return std::current_exception();
      }
    });
    pqxx::connection observer(database_.url());
    for (int poll = 0; poll < 500 && LockWaiters(observer) == 0; ++poll) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(LockWaiters(observer), 1) << "the repository's call never waited";
    hold.commit();
    return done.get();
  }

  // The domain error a call threw (a test failure if it threw something else).
  static domain::Error DomainError(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const domain::Error& e) {
      return e;
    } catch (...) {
    }
    ADD_FAILURE() << "the call did not throw a domain error";
    return domain::Internal("not a domain error");
  }

  std::string Revoked(const std::string& token) const {
    return database_.QueryValue("SELECT revoked_at IS NOT NULL FROM tokens WHERE id = '" + token +
                                "'");
  }

  test::TestDatabase database_;
  security::OpensslHasher hasher_;
  security::SystemClock clock_;
  std::unique_ptr<persistence::ConnectionPool> pool_;
  std::unique_ptr<persistence::PgAuditLog> audit_;
  std::unique_ptr<persistence::PgIdentityRepository> repository_;
};

// The revocation commits first: the child, started with the parent still valid, is refused as
// its request's token no longer is.
TEST_F(TokenFamilyPgTest, AChildStartedBeforeItsParentsRevocationCommittedIsRefused) {
  const auto error =
      Race({std::string("SELECT 1 FROM users WHERE id = '") + kUser + "' FOR NO KEY UPDATE",
            std::string("UPDATE tokens SET revoked_at = now() WHERE id = '") + kParent + "'"},
           [&] { InsertChild(kChild, kParent); });
  ASSERT_NE(error, nullptr) << "the child was made with a revoked token";
  EXPECT_EQ(DomainError(error).kind(), domain::ErrorKind::kUnauthenticated);
  EXPECT_EQ(
      database_.QueryValue(std::string("SELECT count(*) FROM tokens WHERE id = '") + kChild + "'"),
      "0");
}

// The child commits first: the revocation, started before, still revokes it.
TEST_F(TokenFamilyPgTest, AChildCommittedDuringItsParentsRevocationIsRevokedWithIt) {
  const auto error = Race({std::string("SELECT 1 FROM users WHERE id = '") + kUser + "' FOR SHARE",
                           InsertToken(kChild, kParent)},
                          [&] { Revoke(kParent); });
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(Revoked(kParent), "t");
  EXPECT_EQ(Revoked(kChild), "t") << "the child outlived its revoked parent";
}

// The same one generation down: a grandchild made from a child while the family is revoked.
TEST_F(TokenFamilyPgTest, AGrandchildCommittedDuringTheRevocationIsRevokedWithIt) {
  database_.Exec(InsertToken(kChild, kParent));
  const auto error = Race({std::string("SELECT 1 FROM users WHERE id = '") + kUser + "' FOR SHARE",
                           InsertToken(kGrandchild, kChild)},
                          [&] { Revoke(kParent); });
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(Revoked(kChild), "t");
  EXPECT_EQ(Revoked(kGrandchild), "t") << "the grandchild outlived its revoked grandparent";
}

// A token made for a user (no parent) while the user is being disabled: it waits, then is
// refused, since the disabling revokes every token the user has.
TEST_F(TokenFamilyPgTest, ATokenStartedBeforeItsUsersDisablingCommittedIsRefused) {
  const auto error =
      Race({std::string("SELECT 1 FROM users WHERE id = '") + kUser + "' FOR NO KEY UPDATE",
            std::string("UPDATE users SET state = 'disabled' WHERE id = '") + kUser + "'",
            std::string("UPDATE tokens SET revoked_at = now() WHERE user_id = '") + kUser +
                "' AND revoked_at IS NULL"},
           [&] { InsertChild(kChild, std::nullopt); });
  ASSERT_NE(error, nullptr) << "a token was made for a disabled user";
  EXPECT_EQ(DomainError(error).code(), "user_disabled");
  EXPECT_EQ(
      database_.QueryValue(std::string("SELECT count(*) FROM tokens WHERE id = '") + kChild + "'"),
      "0");
}

// A token committed while its user's disabling waits: the disabling revokes it too.
TEST_F(TokenFamilyPgTest, ATokenCommittedDuringItsUsersDisablingIsRevoked) {
  const auto error = Race({std::string("SELECT 1 FROM users WHERE id = '") + kUser + "' FOR SHARE",
                           InsertToken(kChild, kParent)},
                          [&] { Disable(); });
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(Revoked(kParent), "t");
  EXPECT_EQ(Revoked(kChild), "t") << "a token outlived its user's disabling";
}

// Without a race the repository refuses a child of a revoked token outright.
TEST_F(TokenFamilyPgTest, AChildOfARevokedTokenIsRefused) {
  Revoke(kParent);
  try {
    InsertChild(kChild, kParent);
    FAIL() << "a child of a revoked token was stored";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.kind(), domain::ErrorKind::kUnauthenticated) << e.message();
  }
}

}  // namespace
}  // namespace coco
