#include "domain/signing/signing_key.hpp"

#include <gtest/gtest.h>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint(seconds(1'800'000'000));

PublicSigningKey Key(std::string kid, TimePoint created, std::optional<TimePoint> retires = {}) {
  return PublicSigningKey{std::move(kid), "EdDSA", std::string(32, 'k'), created, retires};
}

std::vector<std::string> Kids(const std::vector<PublicSigningKey>& keys) {
  std::vector<std::string> kids;
  for (const auto& key : keys) kids.push_back(key.kid);
  return kids;
}

TEST(SigningKeyTest, AKeyIsRetiredUntilItsRetirementMomentThenGone) {
  const auto key = Key("a", kT0, kT0 + hours(1));
  EXPECT_EQ(StateAt(Key("s", kT0), kT0 + hours(10000)), SigningKeyState::kSigning);
  EXPECT_EQ(StateAt(key, kT0), SigningKeyState::kRetired);
  EXPECT_EQ(StateAt(key, kT0 + hours(1) - seconds(1)), SigningKeyState::kRetired);
  EXPECT_EQ(StateAt(key, kT0 + hours(1)), SigningKeyState::kGone);
  EXPECT_EQ(ToString(SigningKeyState::kRetired), "retired");
}

TEST(SigningKeyTest, RetireAfterTakesAWholeNumberAndAUnit) {
  struct Case {
    std::string text;
    long long seconds;
  };
  for (const auto& [text, expected] : std::vector<Case>{{"400d", 400 * 86400},
                                                        {"12h", 12 * 3600},
                                                        {"30m", 1800},
                                                        {"5s", 5},
                                                        {"0s", 0},
                                                        {"3650d", 3650LL * 86400}}) {
    EXPECT_EQ(ParseRetireAfter(text).count(), expected) << text;
  }
  for (const std::string text :
       {"", "d", "400", "-1d", "1.5d", "3651d", "99999999999s", "4w", "d400", " 4d"}) {
    EXPECT_THROW(ParseRetireAfter(text), Error) << text;
  }
}

TEST(SigningKeyTest, ThePublishedSetHoldsSigningAndRetiredKeysNotGoneOnes) {
  const auto now = kT0 + hours(100);
  const std::vector<PublicSigningKey> recorded = {
      Key("gone", kT0, kT0 + hours(50)),
      Key("retired", kT0 + hours(1), now + hours(1)),
      Key("signing", kT0 + hours(2)),
  };
  EXPECT_EQ(Kids(PublishedKeys(recorded, Key("signing", now), now)),
            (std::vector<std::string>{"signing", "retired"}));
}

TEST(SigningKeyTest, TheKeyThisNodeSignsWithIsAlwaysPublished) {
  const auto now = kT0 + hours(100);
  // Not recorded yet (the database write at start failed, or another node rotated meanwhile).
  EXPECT_EQ(Kids(PublishedKeys({Key("other", kT0)}, Key("mine", now), now)),
            (std::vector<std::string>{"mine", "other"}));
  // Recorded as gone, yet still signing here: a stale key file on this node.
  EXPECT_EQ(Kids(PublishedKeys({Key("mine", kT0, kT0 + hours(1))}, Key("mine", now), now)),
            (std::vector<std::string>{"mine"}));
}

}  // namespace
}  // namespace coco::domain
