#include <gtest/gtest.h>

#include "api/json/body.hpp"
#include "api/json/supplier_json.hpp"
#include "api/json/user_json.hpp"
#include "domain/common/error.hpp"

namespace coco::api::json {
namespace {

Request JsonRequest(std::string body) {
  Request request;
  request.method = Method::kPost;
  request.headers.emplace_back("content-type", "application/json");
  request.body = std::move(body);
  return request;
}

// Found by fuzz/json_body_fuzzer: nlohmann throws out_of_range (not parse_error) for a number
// beyond double's range, which escaped ObjectReader and became a 500.
TEST(JsonBodyTest, ANumberOutOfRangeIsMalformedJsonNotAnInternalError) {
  try {
    ReadNewSupplier(JsonRequest(R"({"name": "Acme", "contact_email": 1e400})"));
    FAIL() << "expected a domain error";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kMalformed);
    EXPECT_EQ(error.code(), "malformed_json");
  }
}

// Found by fuzz/json_body_fuzzer: a token's expires_at in year 7987 overflowed the nanosecond
// clock (undefined behaviour) on its way to the domain's lifetime check.
TEST(JsonBodyTest, ATimestampBeyondTheClocksRangeIsInvalidNotAnOverflow) {
  for (const char* when :
       {"7987-01-01T00:00:00Z", "2263-01-01T00:00:00Z", "1969-12-31T23:59:59Z"}) {
    try {
      ReadNewToken(
          JsonRequest(std::string(R"({"user_id": "12345678-1234-1234-1234-123456789012", )") +
                      R"("name": "n", "expires_at": ")" + when + R"("})"));
      FAIL() << when << ": expected a domain error";
    } catch (const domain::Error& error) {
      EXPECT_EQ(error.code(), "invalid_body") << when;
      ASSERT_FALSE(error.details().empty());
      EXPECT_EQ(error.details().front().code, "invalid_timestamp") << when;
    }
  }
}

}  // namespace
}  // namespace coco::api::json
