#include "api/pipeline.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"

namespace coco::api {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  static std::shared_ptr<spdlog::logger> MakeLogger(std::ostringstream& out) {
    auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_pattern("%v");
    return logger;
  }

  PipelineTest() {
    router_.Add(Method::kGet, "/open", Access::kPublic, Body::kNone, [](Request&) {
      return Response{200, "application/json", "{}", {}};
    });
    router_.Add(Method::kGet, "/private", Access::kAuthenticated, Body::kNone,
                [](Request& request) {
                  return Response{200, "text/plain", request.Caller().user_name, {}};
                });
    router_.Add(Method::kPost, "/json", Access::kPublic, Body::kJson, [](Request&) {
      return Response{201, "application/json", "{}", {}};
    });
    router_.Add(Method::kPost, "/raw", Access::kPublic, Body::kRaw, [](Request& request) {
      return Response{201, "text/plain", std::to_string(request.body.size()), {}};
    });
    router_.Add(Method::kGet, "/leaky", Access::kPublic, Body::kNone, [](Request&) -> Response {
      throw std::runtime_error("ERROR: relation \"secret_table\" at /var/lib/coco/x");
    });
    router_.Add(Method::kGet, "/denied", Access::kPublic, Body::kNone, [](Request&) -> Response {
      throw domain::FailedPrecondition("cannot approve a draft", "illegal_transition")
          .WithField("current_state", "draft")
          .WithList("allowed_actions", {"submit", "withdraw"});
    });
    router_.Add(Method::kGet, "/internal", Access::kPublic, Body::kNone, [](Request&) -> Response {
      throw domain::Internal("database error: duplicate key secret");
    });
  }

  Response Run(Method method, std::string path,
               std::vector<std::pair<std::string, std::string>> headers = {},
               std::string body = "") {
    Request request;
    request.method = method;
    request.path = std::move(path);
    request.headers = std::move(headers);
    request.body = std::move(body);
    return pipeline_.Handle(request);
  }

  static std::optional<std::string> HeaderOf(const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return std::nullopt;
  }

  static void ExpectProblem(const Response& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(response.content_type, "application/problem+json");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body.at("status"), status);
    EXPECT_EQ(body.at("code"), code);
    EXPECT_EQ(body.at("type"), "/problems/" + code);
    EXPECT_TRUE(body.at("title").is_string());
    EXPECT_TRUE(body.at("detail").is_string());
    EXPECT_EQ(body.at("request_id"), HeaderOf(response, "X-Request-Id").value());
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_ = MakeLogger(log_);
  Router router_;
  Metrics metrics_;
  Pipeline pipeline_{router_,
                     [](std::string_view secret) {
                       if (secret != "good") throw domain::Unauthenticated("bad token");
                       return test::FixedAdmin();
                     },
                     metrics_, logger_, PipelineOptions{1024}};
};

TEST_F(PipelineTest, AnswersAPublicRouteAndMintsARequestId) {
  const Response response = Run(Method::kGet, "/open");
  EXPECT_EQ(response.status, 200);
  const auto id = HeaderOf(response, "X-Request-Id");
  ASSERT_TRUE(id);
  EXPECT_TRUE(IsValidRequestId(*id));
  EXPECT_NE(log_.str().find(*id), std::string::npos);
}

TEST_F(PipelineTest, EchoesAValidRequestIdAndReplacesAnInvalidOne) {
  EXPECT_EQ(
      HeaderOf(Run(Method::kGet, "/open", {{"x-request-id", "abc-123_X.y:z"}}), "X-Request-Id"),
      "abc-123_X.y:z");
  for (const std::string& bad : {std::string("has space"), std::string(129, 'a'), std::string(""),
                                 std::string("quote\"d"), std::string("new\nline")}) {
    const auto id = HeaderOf(Run(Method::kGet, "/open", {{"x-request-id", bad}}), "X-Request-Id");
    EXPECT_NE(id, bad);
    EXPECT_TRUE(IsValidRequestId(*id));
  }
}

TEST_F(PipelineTest, UnknownPathIsProblem404) {
  ExpectProblem(Run(Method::kGet, "/nowhere"), 404, "not_found");
}

TEST_F(PipelineTest, WrongMethodIsProblem405WithAllow) {
  const Response response = Run(Method::kDelete, "/open");
  ExpectProblem(response, 405, "method_not_allowed");
  EXPECT_EQ(HeaderOf(response, "Allow"), "GET");
}

TEST_F(PipelineTest, MissingOrBadTokenIsProblem401) {
  ExpectProblem(Run(Method::kGet, "/private"), 401, "unauthenticated");
  ExpectProblem(Run(Method::kGet, "/private", {{"authorization", "Bearer nope"}}), 401,
                "unauthenticated");
  ExpectProblem(Run(Method::kGet, "/private", {{"authorization", "Basic good"}}), 401,
                "unauthenticated");
  ExpectProblem(Run(Method::kGet, "/private", {{"authorization", "Bearer "}}), 401,
                "unauthenticated");
  const Response ok = Run(Method::kGet, "/private", {{"authorization", "Bearer good"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ops");
}

TEST_F(PipelineTest, JsonBodiesOverTheCapAreProblem413ButRawBodiesAreNot) {
  ExpectProblem(Run(Method::kPost, "/json", {}, std::string(1025, 'x')), 413, "payload_too_large");
  EXPECT_EQ(Run(Method::kPost, "/json", {}, std::string(1024, 'x')).status, 201);
  ExpectProblem(Run(Method::kPost, "/open", {}, std::string(2000, 'x')), 413, "payload_too_large");
  EXPECT_EQ(Run(Method::kPost, "/raw", {}, std::string(5000, 'x')).body, "5000");
}

TEST_F(PipelineTest, UnexpectedExceptionsAre500WithOnlyTheRequestId) {
  const Response response = Run(Method::kGet, "/leaky");
  ExpectProblem(response, 500, "internal");
  EXPECT_EQ(response.body.find("secret_table"), std::string::npos);
  EXPECT_EQ(response.body.find("/var/lib"), std::string::npos);
  EXPECT_EQ(response.body.find("ERROR"), std::string::npos);
  // The cause goes to the log, tied to the request id.
  EXPECT_NE(log_.str().find("secret_table"), std::string::npos);

  const Response internal = Run(Method::kGet, "/internal");
  ExpectProblem(internal, 500, "internal");
  EXPECT_EQ(internal.body.find("duplicate key"), std::string::npos);
}

TEST_F(PipelineTest, DomainErrorsCarryTheirCodeAndFields) {
  const Response response = Run(Method::kGet, "/denied");
  ExpectProblem(response, 409, "illegal_transition");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body.at("current_state"), "draft");
  EXPECT_EQ(body.at("allowed_actions"), nlohmann::json::array({"submit", "withdraw"}));
}

TEST_F(PipelineTest, LogsOneJsonLinePerRequestWithoutTheToken) {
  Run(Method::kGet, "/private", {{"authorization", "Bearer good"}, {"x-request-id", "rid-1"}});
  std::istringstream lines(log_.str());
  std::string line;
  int request_lines = 0;
  while (std::getline(lines, line)) {
    const auto entry = nlohmann::json::parse(line);
    EXPECT_EQ(line.find("good"), std::string::npos) << line;
    if (entry.at("msg") == "request") {
      ++request_lines;
      EXPECT_EQ(entry.at("request_id"), "rid-1");
      EXPECT_EQ(entry.at("method"), "GET");
      EXPECT_EQ(entry.at("path"), "/private");
      EXPECT_EQ(entry.at("status"), 200);
      EXPECT_TRUE(entry.at("duration_ms").is_number());
      EXPECT_TRUE(entry.at("time").is_string());
      EXPECT_EQ(entry.at("level"), "info");
    }
  }
  EXPECT_EQ(request_lines, 1);
}

TEST_F(PipelineTest, CountsRequestsByRouteAndStatus) {
  Run(Method::kGet, "/open");
  Run(Method::kGet, "/open");
  Run(Method::kGet, "/nowhere");
  const std::string text = metrics_.Render();
  EXPECT_NE(text.find("coco_http_requests_total{method=\"GET\",route=\"/open\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("coco_http_request_duration_seconds_count{method=\"GET\",route=\"/open\"} 2"),
            std::string::npos);
}

}  // namespace
}  // namespace coco::api
