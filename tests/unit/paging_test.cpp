#include "api/json/paging.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/http.hpp"
#include "domain/common/base64url.hpp"
#include "domain/common/error.hpp"

namespace coco::api::json {
namespace {

constexpr const char* kUuidA = "0b5c2a9e-6f1d-4c3b-9a8e-1d2c3b4a5f60";
constexpr const char* kUuidB = "7e6d5c4b-3a29-4187-9650-4f3e2d1c0b0a";

std::string Cursor(const std::string& id) {
  return EncodeCursor(domain::PagePosition{1700000000000000, id});
}

TEST(PagingTest, ACursorDecodesOnlyInAListOfItsKind) {
  const std::string uuid = Cursor(kUuidA);
  const std::string pair = Cursor(std::string(kUuidA) + "," + kUuidB);
  const std::string row = Cursor("1234567");

  EXPECT_TRUE(DecodeCursor(uuid, CursorKey::kUuid));
  EXPECT_FALSE(DecodeCursor(uuid, CursorKey::kUuidPair));
  EXPECT_FALSE(DecodeCursor(uuid, CursorKey::kRowNumber));

  EXPECT_FALSE(DecodeCursor(pair, CursorKey::kUuid));
  EXPECT_TRUE(DecodeCursor(pair, CursorKey::kUuidPair));
  EXPECT_FALSE(DecodeCursor(pair, CursorKey::kRowNumber));

  // A row number reaching a list keyed by UUIDs would be a database error, not a 422.
  EXPECT_FALSE(DecodeCursor(row, CursorKey::kUuid));
  EXPECT_FALSE(DecodeCursor(row, CursorKey::kUuidPair));
  const auto position = DecodeCursor(row, CursorKey::kRowNumber);
  ASSERT_TRUE(position);
  EXPECT_EQ(position->created_micros, 1700000000000000);
  EXPECT_EQ(position->id, "1234567");
}

TEST(PagingTest, RowNumbersAreAtMostEighteenDigits) {
  EXPECT_TRUE(DecodeCursor(Cursor(std::string(18, '9')), CursorKey::kRowNumber));
  EXPECT_FALSE(DecodeCursor(Cursor(std::string(19, '9')), CursorKey::kRowNumber));
  EXPECT_FALSE(DecodeCursor(Cursor("-1"), CursorKey::kRowNumber));
  EXPECT_FALSE(DecodeCursor(Cursor(""), CursorKey::kRowNumber));
}

TEST(PagingTest, AForeignCursorIsA422NamingTheCursor) {
  Request request;
  request.query = {{"cursor", Cursor("42")}};
  try {
    PageFromQuery(request, CursorKey::kUuid);
    FAIL() << "a row-number cursor was accepted by a list keyed by UUIDs";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kInvalidArgument);
    EXPECT_EQ(error.code(), "invalid_query");
    ASSERT_EQ(error.details().size(), 1U);
    EXPECT_EQ(error.details().front().field, "query/cursor");
  }
  EXPECT_EQ(PageFromQuery(request, CursorKey::kRowNumber).after->id, "42");
}

}  // namespace
}  // namespace coco::api::json
