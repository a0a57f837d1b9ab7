#include <gtest/gtest.h>

#include "api/json/body.hpp"
#include "api/json/supplier_json.hpp"
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
    EXPECT_EQ(error.kind(), domain::ErrorKind::kInvalidArgument);
    EXPECT_EQ(error.code(), "malformed_json");
  }
}

}  // namespace
}  // namespace coco::api::json
