#include "domain/identity/token_service.hpp"

#include <gtest/gtest.h>

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"

namespace coco::domain {
namespace {

class TokenServiceTest : public ::testing::Test {
 protected:
  test::InMemoryIdentityRepository repository_;
  test::FakeHasher hasher_;
  test::FakeTokenGenerator generator_;
  test::FakeClock clock_;
  TokenService service_{repository_, hasher_, generator_, clock_};

  NewUser Admin(std::string name = "ops") {
    return NewUser{std::move(name), std::nullopt, Role::kAdmin, std::nullopt, {}};
  }
  static ErrorKind KindOf(const std::function<void()>& call) {
    try {
      call();
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::kInternal;
  }
};

TEST_F(TokenServiceTest, IssuedTokenAuthenticatesItsUser) {
  const IssuedToken issued = service_.CreateUserWithToken(Admin(), "cli", std::nullopt);
  const Principal principal = service_.Authenticate(issued.secret);
  EXPECT_EQ(principal.user_id, issued.user_id);
  EXPECT_EQ(principal.token_id, issued.token_id);
  EXPECT_EQ(principal.role, Role::kAdmin);
}

TEST_F(TokenServiceTest, StoresOnlyTheHashOfTheSecret) {
  const IssuedToken issued = service_.CreateUserWithToken(Admin(), "cli", std::nullopt);
  // The repository is keyed by hash: the raw secret used as a hash finds nothing.
  EXPECT_FALSE(repository_.FindPrincipalByTokenHash(issued.secret, clock_.Now()));
  EXPECT_TRUE(repository_.FindPrincipalByTokenHash(hasher_.Sha256Hex(issued.secret), clock_.Now()));
}

TEST_F(TokenServiceTest, DefaultLifetimeIsNinetyDaysAndAtMostAYear) {
  const auto start = clock_.Now();
  EXPECT_EQ(service_.CreateUserWithToken(Admin("a"), "t", std::nullopt).expires_at,
            start + std::chrono::days(90));
  EXPECT_EQ(service_.CreateUserWithToken(Admin("b"), "t", 365).expires_at,
            start + std::chrono::days(365));
  EXPECT_EQ(KindOf([&] { service_.CreateUserWithToken(Admin("c"), "t", 366); }),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] { service_.CreateUserWithToken(Admin("d"), "t", 0); }),
            ErrorKind::kInvalidArgument);
}

TEST_F(TokenServiceTest, ExpiredRevokedOrDisabledAreUnauthenticated) {
  const IssuedToken expiring = service_.CreateUserWithToken(Admin("a"), "t", 1);
  const IssuedToken revoked = service_.CreateUserWithToken(Admin("b"), "t", std::nullopt);
  const IssuedToken disabled = service_.CreateUserWithToken(Admin("c"), "t", std::nullopt);
  repository_.Revoke(revoked.token_id);
  repository_.Disable(disabled.user_id);
  clock_.Advance(std::chrono::days(1));
  for (const auto& secret : {expiring.secret, revoked.secret, disabled.secret,
                             std::string("coco_unknown"), std::string(""), std::string(500, 'x')}) {
    EXPECT_EQ(KindOf([&] { service_.Authenticate(secret); }), ErrorKind::kUnauthenticated)
        << secret;
  }
}

TEST_F(TokenServiceTest, ValidatesTheNewUser) {
  EXPECT_EQ(KindOf([&] { service_.CreateUserWithToken(Admin(""), "t", std::nullopt); }),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] {
              service_.CreateUserWithToken(
                  NewUser{"s", std::nullopt, Role::kSupplier, std::nullopt, {}}, "t", std::nullopt);
            }),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] {
              service_.CreateUserWithToken(
                  NewUser{"a",
                          std::nullopt,
                          Role::kAdmin,
                          SupplierId::Parse("00000000-0000-4000-8000-00000000000a"),
                          {}},
                  "t", std::nullopt);
            }),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] { service_.CreateUserWithToken(Admin(), "", std::nullopt); }),
            ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace coco::domain
