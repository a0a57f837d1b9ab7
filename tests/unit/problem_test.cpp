#include "api/problem.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/common/error.hpp"

namespace coco::api {
namespace {

Request WithQuery(std::map<std::string, std::string> query) {
  Request request;
  request.request_id = "req-1";
  request.query = std::move(query);
  return request;
}

// The domain names fields; the answer says where they are in the request.
TEST(ProblemLocationTest, AFieldIsAPointerIntoTheBodyUnlessTheRequestPutItElsewhere) {
  const Request body = WithQuery({});
  EXPECT_EQ(ProblemLocation("name", body), "/name");
  EXPECT_EQ(ProblemLocation("conflicts[2]", body), "/conflicts/2");
  EXPECT_EQ(ProblemLocation("conditions[1].due_date", body), "/conditions/1/due_date");
  EXPECT_EQ(ProblemLocation("profile.offshore[0].country", body), "/profile/offshore/0/country");

  // A field whose first name is a query parameter of this request is that parameter.
  const Request query = WithQuery({{"as_of", "2020-01-01"}});
  EXPECT_EQ(ProblemLocation("as_of", query), "query/as_of");
  EXPECT_EQ(ProblemLocation("as_of", body), "/as_of");
  // Only the first name decides: "as_of_text" is not "as_of".
  EXPECT_EQ(ProblemLocation("as_of_text", query), "/as_of_text");

  // A field a handler located itself goes there.
  Request upload = WithQuery({{"filename", "a.pdf"}});
  upload.field_locations["media_type"] = "header/content-type";
  EXPECT_EQ(ProblemLocation("media_type", upload), "header/content-type");
  EXPECT_EQ(ProblemLocation("filename", upload), "query/filename");

  // What the api wrote as a location already is kept; no field, no location.
  EXPECT_EQ(ProblemLocation("/profile/offshore/0/country", query), "/profile/offshore/0/country");
  EXPECT_EQ(ProblemLocation("query/level", body), "query/level");
  EXPECT_EQ(ProblemLocation("header/idempotency-key", body), "header/idempotency-key");
  EXPECT_EQ(ProblemLocation("", body), "");
}

TEST(ProblemResponseTest, TheStatusFollowsFromTheKindAlone) {
  const std::vector<std::pair<domain::ErrorKind, int>> table = {
      {domain::ErrorKind::kMalformed, 400},          {domain::ErrorKind::kInvalidArgument, 422},
      {domain::ErrorKind::kNotFound, 404},           {domain::ErrorKind::kAlreadyExists, 409},
      {domain::ErrorKind::kFailedPrecondition, 409}, {domain::ErrorKind::kConflict, 409},
      {domain::ErrorKind::kVersionMismatch, 412},    {domain::ErrorKind::kPermissionDenied, 403},
      {domain::ErrorKind::kUnauthenticated, 401},    {domain::ErrorKind::kPayloadTooLarge, 413},
      {domain::ErrorKind::kRateLimited, 429},        {domain::ErrorKind::kUnavailable, 503},
      {domain::ErrorKind::kInternal, 500},
  };
  const Request request = WithQuery({});
  for (const auto& [kind, status] : table) {
    // Whatever the code says: codes never choose the status.
    for (const char* code : {"precondition_failed", "malformed_json", "method_not_allowed"}) {
      const Response response = ProblemResponse(domain::Error(kind, code, "message"), request);
      EXPECT_EQ(response.status, status) << domain::ToString(kind) << " " << code;
      EXPECT_EQ(nlohmann::json::parse(response.body).at("status"), status);
    }
  }
}

TEST(ProblemResponseTest, DetailsAreLocatedInTheRequest) {
  const Request request = WithQuery({{"as_of", "x"}});
  const Response response =
      ProblemResponse(domain::InvalidArgument("bad", "invalid_query")
                          .WithDetail({"as_of", "invalid_date", "as_of is a date"})
                          .WithDetail({"conditions[0].due_date", "out_of_range", "too late"})
                          .WithDetail({"", "evidence_required", "attach one", "COCO-08"}),
                      request);
  const auto errors = nlohmann::json::parse(response.body).at("errors");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].at("pointer"), "query/as_of");
  EXPECT_EQ(errors[1].at("pointer"), "/conditions/0/due_date");
  EXPECT_FALSE(errors[2].contains("pointer"));
  EXPECT_EQ(errors[2].at("requirement_id"), "COCO-08");
}

TEST(ProblemResponseTest, AnHttpRefusalCarriesItsHeaderAndBodyMember) {
  const Response response = ProblemResponse(
      HttpRefusal(405, "method_not_allowed", "use GET").WithHeaderField("Allow", "allow", "GET"),
      "req-2");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.content_type, "application/problem+json");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body.at("allow"), "GET");
  EXPECT_EQ(body.at("code"), "method_not_allowed");
  EXPECT_EQ(body.at("type"), "/problems/method_not_allowed");
  EXPECT_EQ(body.at("request_id"), "req-2");
}

}  // namespace
}  // namespace coco::api
