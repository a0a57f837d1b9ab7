#pragma once

#include <gtest/gtest.h>

#include <chrono>

#include "domain/common/error.hpp"
#include "domain/identity/identity_repository.hpp"

// The contract every IdentityRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides: repository(), Revoke(TokenId), Disable(UserId).
namespace coco::test {

template <typename Harness>
class IdentityRepositoryContract : public ::testing::Test {
 protected:
  Harness harness_;
  domain::IdentityRepository& repository() { return harness_.repository(); }

  static std::chrono::system_clock::time_point At(int day_of_month) {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / day_of_month);
  }
  static std::string Hash(char c) { return std::string(64, c); }

  domain::CreatedToken Create(const std::string& name, char hash, int expires_day,
                              domain::Role role = domain::Role::kAdmin) {
    return repository().CreateUserWithToken(
        domain::NewUser{name, std::nullopt, role, std::nullopt, {}},
        domain::NewToken{name + " token", Hash(hash), At(expires_day)});
  }
};

TYPED_TEST_SUITE_P(IdentityRepositoryContract);

TYPED_TEST_P(IdentityRepositoryContract, FindsThePrincipalOfALiveToken) {
  const auto created = this->Create("alice", 'a', 30);
  const auto principal = this->repository().FindPrincipalByTokenHash(this->Hash('a'), this->At(20));
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->user_id, created.user_id);
  EXPECT_EQ(principal->token_id, created.token_id);
  EXPECT_EQ(principal->user_name, "alice");
  EXPECT_EQ(principal->role, domain::Role::kAdmin);
  EXPECT_FALSE(principal->supplier_id.has_value());
  EXPECT_TRUE(principal->conflicts.empty());
  EXPECT_EQ(principal->token_expires_at, this->At(30));
}

TYPED_TEST_P(IdentityRepositoryContract, UnknownHashFindsNothing) {
  this->Create("alice", 'a', 30);
  EXPECT_FALSE(this->repository().FindPrincipalByTokenHash(this->Hash('b'), this->At(20)));
}

TYPED_TEST_P(IdentityRepositoryContract, ExpiredTokenFindsNothingFromItsExpiryOn) {
  this->Create("alice", 'a', 20);
  const auto expiry = this->At(20);
  EXPECT_TRUE(this->repository().FindPrincipalByTokenHash(this->Hash('a'),
                                                          expiry - std::chrono::microseconds(1)));
  EXPECT_FALSE(this->repository().FindPrincipalByTokenHash(this->Hash('a'), expiry));
  EXPECT_FALSE(this->repository().FindPrincipalByTokenHash(this->Hash('a'), this->At(21)));
}

TYPED_TEST_P(IdentityRepositoryContract, RevokedTokenFindsNothing) {
  const auto created = this->Create("alice", 'a', 30);
  this->harness_.Revoke(created.token_id);
  EXPECT_FALSE(this->repository().FindPrincipalByTokenHash(this->Hash('a'), this->At(20)));
}

TYPED_TEST_P(IdentityRepositoryContract, DisabledUserFindsNothing) {
  const auto created = this->Create("alice", 'a', 30);
  this->harness_.Disable(created.user_id);
  EXPECT_FALSE(this->repository().FindPrincipalByTokenHash(this->Hash('a'), this->At(20)));
}

TYPED_TEST_P(IdentityRepositoryContract, DuplicateSecretHashIsAlreadyExists) {
  this->Create("alice", 'a', 30);
  try {
    this->Create("bob", 'a', 30);
    FAIL() << "a second token with the same hash was stored";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kAlreadyExists);
  }
}

TYPED_TEST_P(IdentityRepositoryContract, UsersAreDistinct) {
  const auto alice = this->Create("alice", 'a', 30);
  const auto bob = this->Create("bob", 'b', 30, domain::Role::kAdmin);
  EXPECT_NE(alice.user_id, bob.user_id);
  EXPECT_NE(alice.token_id, bob.token_id);
  EXPECT_EQ(this->repository().FindPrincipalByTokenHash(this->Hash('b'), this->At(1))->user_name,
            "bob");
}

REGISTER_TYPED_TEST_SUITE_P(IdentityRepositoryContract, FindsThePrincipalOfALiveToken,
                            UnknownHashFindsNothing, ExpiredTokenFindsNothingFromItsExpiryOn,
                            RevokedTokenFindsNothing, DisabledUserFindsNothing,
                            DuplicateSecretHashIsAlreadyExists, UsersAreDistinct);

}  // namespace coco::test
