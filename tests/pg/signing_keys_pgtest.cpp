// The signing_keys table through PgSigningKeyRepository: registering is idempotent, a rotation
// records both halves in one transaction, a rotation never extends a retired key's life, and a
// failed rotation leaves nothing behind.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_signing_key_repository.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

using domain::PublicSigningKey;
using domain::TimePoint;
using std::chrono::hours;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'800'000'000));

PublicSigningKey Key(char tag, TimePoint created) {
  return PublicSigningKey{std::string(16, tag), "EdDSA", std::string(32, tag), created,
                          std::nullopt};
}

class SigningKeysPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Migrate();
    pool_ =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database_.url(), 1});
    repository_ = std::make_unique<persistence::PgSigningKeyRepository>(*pool_);
  }

  test::TestDatabase database_;
  std::unique_ptr<persistence::ConnectionPool> pool_;
  std::unique_ptr<persistence::PgSigningKeyRepository> repository_;
};

TEST_F(SigningKeysPgTest, RegisteringTwiceRecordsOnceAndRoundTrips) {
  repository_->Register(Key('a', kT0));
  repository_->Register(Key('a', kT0 + hours(5)));
  const auto all = repository_->All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kid, std::string(16, 'a'));
  EXPECT_EQ(all[0].public_key, std::string(32, 'a'));
  EXPECT_EQ(all[0].algorithm, "EdDSA");
  EXPECT_EQ(all[0].created_at, kT0);
  EXPECT_FALSE(all[0].retires_at);
}

TEST_F(SigningKeysPgTest, ARotationRetiresTheOldKeyAndNeverExtendsARetirement) {
  // The old key was never registered (its server could not record it): the rotation does.
  repository_->Rotate(Key('a', kT0), Key('b', kT0 + hours(1)), kT0 + hours(100));
  auto all = repository_->All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kid, std::string(16, 'a'));
  EXPECT_EQ(all[0].retires_at, kT0 + hours(100));
  EXPECT_FALSE(all[1].retires_at);

  // Rotating away from the already retired key again (a stale key file) keeps the earlier moment.
  repository_->Rotate(Key('a', kT0), Key('c', kT0 + hours(2)), kT0 + hours(500));
  all = repository_->All();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].retires_at, kT0 + hours(100));
  // ...but may bring it forward.
  repository_->Rotate(Key('c', kT0), Key('d', kT0 + hours(3)), kT0 + hours(1));
  repository_->Rotate(Key('a', kT0), Key('e', kT0 + hours(4)), kT0 + hours(50));
  EXPECT_EQ(repository_->All()[0].retires_at, kT0 + hours(50));
}

TEST_F(SigningKeysPgTest, ARotationToARecordedKeyFailsAndChangesNothing) {
  repository_->Register(Key('a', kT0));
  repository_->Register(Key('b', kT0 + hours(1)));
  const auto before = database_.RowCounts();
  EXPECT_THROW(repository_->Rotate(Key('a', kT0), Key('b', kT0 + hours(2)), kT0 + hours(9)),
               domain::Error);
  for (const auto& key : repository_->All()) EXPECT_FALSE(key.retires_at) << key.kid;
  EXPECT_EQ(database_.RowCounts(), before);
}

}  // namespace
}  // namespace coco
