#include "domain/common/error.hpp"

#include <gtest/gtest.h>

namespace coco::domain {
namespace {

TEST(ErrorTest, ShorthandsCarryKindAndDefaultCode) {
  const std::vector<std::pair<Error, std::pair<ErrorKind, std::string>>> cases = {
      {Malformed("m"), {ErrorKind::kMalformed, "malformed_request"}},
      {InvalidArgument("m"), {ErrorKind::kInvalidArgument, "invalid_argument"}},
      {NotFound("m"), {ErrorKind::kNotFound, "not_found"}},
      {AlreadyExists("m"), {ErrorKind::kAlreadyExists, "already_exists"}},
      {FailedPrecondition("m"), {ErrorKind::kFailedPrecondition, "failed_precondition"}},
      {Conflict("m"), {ErrorKind::kConflict, "conflict"}},
      {PermissionDenied("m"), {ErrorKind::kPermissionDenied, "forbidden"}},
      {Unauthenticated("m"), {ErrorKind::kUnauthenticated, "unauthenticated"}},
      {PayloadTooLarge("m"), {ErrorKind::kPayloadTooLarge, "payload_too_large"}},
      {RateLimited("m"), {ErrorKind::kRateLimited, "rate_limited"}},
      {Unavailable("m"), {ErrorKind::kUnavailable, "unavailable"}},
      {Internal("m"), {ErrorKind::kInternal, "internal"}},
  };
  for (const auto& [error, expected] : cases) {
    EXPECT_EQ(error.kind(), expected.first);
    EXPECT_EQ(error.code(), expected.second);
    EXPECT_EQ(error.message(), "m");
    EXPECT_STREQ(error.what(), "m");
  }
}

TEST(ErrorTest, CarriesDetailsAndExtraFields) {
  Error error = FailedPrecondition("cannot approve", "illegal_transition");
  error.WithField("current_state", "draft").WithList("allowed_actions", {"submit", "withdraw"});
  error.WithDetail({"COCO-08", "evidence_required", "attach a network diagram"});
  ASSERT_EQ(error.fields().size(), 2u);
  EXPECT_EQ(error.fields()[0].name, "current_state");
  EXPECT_FALSE(error.fields()[0].list);
  EXPECT_EQ(error.fields()[1].values, (std::vector<std::string>{"submit", "withdraw"}));
  EXPECT_TRUE(error.fields()[1].list);
  ASSERT_EQ(error.details().size(), 1u);
  EXPECT_EQ(error.details()[0].field, "COCO-08");
  EXPECT_EQ(error.code(), "illegal_transition");
}

}  // namespace
}  // namespace coco::domain
