#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/signing/signing_key.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every SigningKeyRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository().
namespace coco::test {

template <typename Harness>
class SigningKeyRepositoryContract : public ::testing::Test {
 protected:
  Harness harness_;
  domain::SigningKeyRepository& repository() { return harness_.repository(); }

  static domain::TimePoint At(int hours) { return ContractMoment(hours * 3600); }
  // Key `tag` (a hex digit, as kids are hex): a 16-character kid and 32 raw bytes, binary ones
  // included.
  static domain::PublicSigningKey Key(char tag, int created_hours) {
    std::string raw(32, tag);
    raw[0] = '\0';
    raw[1] = '\xff';
    return domain::PublicSigningKey{std::string(16, tag), "EdDSA", raw, At(created_hours),
                                    std::nullopt};
  }
  std::vector<std::string> Kids() {
    std::vector<std::string> kids;
    for (const auto& key : repository().All()) kids.push_back(key.kid.substr(0, 1));
    return kids;
  }
  std::optional<domain::TimePoint> RetiresAt(char tag) {
    for (const auto& key : repository().All()) {
      if (key.kid == std::string(16, tag)) return key.retires_at;
    }
    ADD_FAILURE() << "no key " << tag;
    return std::nullopt;
  }
};

TYPED_TEST_SUITE_P(SigningKeyRepositoryContract);

TYPED_TEST_P(SigningKeyRepositoryContract, RegisteringTwiceRecordsOnceAsGiven) {
  this->repository().Register(this->Key('a', 0));
  auto again = this->Key('a', 5);
  again.public_key = std::string(32, 'z');
  this->repository().Register(again);
  const auto all = this->repository().All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kid, std::string(16, 'a'));
  EXPECT_EQ(all[0].algorithm, "EdDSA");
  EXPECT_EQ(all[0].public_key, this->Key('a', 0).public_key);
  EXPECT_EQ(all[0].created_at, this->At(0));
  EXPECT_FALSE(all[0].retires_at.has_value());
}

TYPED_TEST_P(SigningKeyRepositoryContract, AllIsOldestFirstThenByKid) {
  EXPECT_TRUE(this->repository().All().empty());
  this->repository().Register(this->Key('c', 2));
  this->repository().Register(this->Key('b', 1));
  this->repository().Register(this->Key('a', 2));
  EXPECT_EQ(this->Kids(), (std::vector<std::string>{"b", "a", "c"}));
}

// The retiring key is recorded if its server never could, and retires; the next one signs.
TYPED_TEST_P(SigningKeyRepositoryContract, ARotationRecordsBothKeysAndRetiresTheOld) {
  this->repository().Rotate(this->Key('a', 0), this->Key('b', 1), this->At(100));
  EXPECT_EQ(this->Kids(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(this->RetiresAt('a'), this->At(100));
  EXPECT_FALSE(this->RetiresAt('b').has_value());
  this->repository().Rotate(this->Key('b', 1), this->Key('c', 2), this->At(200));
  EXPECT_EQ(this->Kids(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(this->RetiresAt('a'), this->At(100));
  EXPECT_EQ(this->RetiresAt('b'), this->At(200));
  EXPECT_FALSE(this->RetiresAt('c').has_value());
}

// A key already retired keeps the earlier of its retirement and the new one.
TYPED_TEST_P(SigningKeyRepositoryContract, ARotationNeverExtendsARetirement) {
  this->repository().Rotate(this->Key('a', 0), this->Key('b', 1), this->At(100));
  this->repository().Rotate(this->Key('a', 0), this->Key('c', 2), this->At(300));
  EXPECT_EQ(this->RetiresAt('a'), this->At(100));
  this->repository().Rotate(this->Key('a', 0), this->Key('d', 3), this->At(50));
  EXPECT_EQ(this->RetiresAt('a'), this->At(50));
}

// A rotation to a key already recorded is refused as a whole: the old key is not retired.
TYPED_TEST_P(SigningKeyRepositoryContract, ARotationToARecordedKeyChangesNothing) {
  this->repository().Register(this->Key('a', 0));
  this->repository().Register(this->Key('b', 1));
  EXPECT_EQ(ErrorKindOf([&] {
              this->repository().Rotate(this->Key('a', 0), this->Key('b', 1), this->At(100));
            }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_FALSE(this->RetiresAt('a').has_value());
  EXPECT_EQ(ErrorKindOf([&] {
              this->repository().Rotate(this->Key('e', 0), this->Key('b', 1), this->At(100));
            }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(this->Kids(), (std::vector<std::string>{"a", "b"}));
}

REGISTER_TYPED_TEST_SUITE_P(SigningKeyRepositoryContract, RegisteringTwiceRecordsOnceAsGiven,
                            AllIsOldestFirstThenByKid, ARotationRecordsBothKeysAndRetiresTheOld,
                            ARotationNeverExtendsARetirement,
                            ARotationToARecordedKeyChangesNothing);

}  // namespace coco::test
