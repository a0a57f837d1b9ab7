#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <map>
#include <nlohmann/json.hpp>

#include "api/pipeline.hpp"
#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"

namespace coco::api {
namespace {

// Records by (user, key); Complete creates the record, as the PostgreSQL store does for a write
// that appended no audit event.
class FakeIdempotencyStore final : public domain::IdempotencyStore {
 public:
  std::optional<domain::IdempotencyRecord> Find(const domain::UserId& user,
                                                std::string_view key) override {
    auto found = records.find({user.str(), std::string(key)});
    if (found == records.end()) return std::nullopt;
    return found->second;
  }
  void Complete(const domain::IdempotencyClaim& claim, const domain::StoredResponse& response,
                bool keep) override {
    domain::IdempotencyRecord record;
    record.fingerprint = claim.fingerprint;
    record.created_at = std::chrono::system_clock::now() - std::chrono::hours(1);
    record.completed = true;
    if (keep) record.response = response;
    records[{claim.user_id.str(), claim.key}] = record;
  }
  std::map<std::pair<std::string, std::string>, domain::IdempotencyRecord> records;
};

class PipelineGuardsTest : public ::testing::Test {
 protected:
  PipelineGuardsTest() {
    router_.Add(
        Method::kPost, "/things", Access::kAuthenticated, Body::kJson, Creates::kYes,
        [this](Request& request) {
          ++calls_;
          EXPECT_TRUE(request.idempotency.has_value() ==
                      request.Header("idempotency-key").has_value());
          if (request.body == "bad") throw domain::InvalidArgument("bad body");
          Response response{201, "application/json", R"({"n":)" + std::to_string(calls_) + "}", {}};
          response.WithHeader("Location", "/things/" + std::to_string(calls_));
          if (request.body == "secret") response.WithHeader("Cache-Control", "no-store");
          return response;
        });
    router_.Add(Method::kGet, "/things", Access::kAuthenticated, Body::kNone, [](Request&) {
      return Response{200, "application/json", "[]", {}};
    });
  }

  Response Run(Method method, std::vector<std::pair<std::string, std::string>> headers,
               std::string body = "", std::string peer = "192.0.2.1") {
    Request request;
    request.method = method;
    request.path = "/things";
    request.headers = std::move(headers);
    request.body = std::move(body);
    request.remote_address = std::move(peer);
    return pipeline_.Handle(request);
  }
  Response Create(const std::string& key, const std::string& body) {
    return Run(Method::kPost, {{"authorization", "Bearer good"}, {"idempotency-key", key}}, body);
  }
  static std::optional<std::string> HeaderOf(const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
  static std::string Code(const Response& response) {
    return nlohmann::json::parse(response.body).at("code");
  }

  Router router_;
  Metrics metrics_;
  FakeIdempotencyStore store_;
  test::FakeHasher hasher_;
  AuthThrottle throttle_{AuthThrottleOptions{2, std::chrono::seconds(60), 100}};
  int calls_ = 0;
  Pipeline pipeline_{
      router_,
      [](std::string_view secret) {
        if (secret != "good") throw domain::Unauthenticated("bad token");
        return test::FixedAdmin();
      },
      metrics_,
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()),
      PipelineOptions{1024},
      PipelineGuards{&throttle_, {}, &store_, &hasher_}};
};

TEST_F(PipelineGuardsTest, AReplayDoesNotCallTheHandler) {
  const auto first = Create("k1", "{}");
  ASSERT_EQ(first.status, 201);
  const auto again = Create("k1", "{}");
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(HeaderOf(again, "Location"), "/things/1");
  EXPECT_EQ(HeaderOf(again, "Idempotent-Replayed"), "true");
  EXPECT_FALSE(HeaderOf(first, "Idempotent-Replayed"));
}

TEST_F(PipelineGuardsTest, AnotherBodyUnderTheKeyIsRefused) {
  ASSERT_EQ(Create("k2", "{}").status, 201);
  const auto other = Create("k2", R"({"a":1})");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(Code(other), "idempotency_key_reused");
  EXPECT_EQ(calls_, 1);
}

TEST_F(PipelineGuardsTest, BadKeysAre400AndNeverReachTheHandler) {
  for (const std::string& key : {std::string(""), std::string("a b"), std::string(256, 'x')}) {
    const auto response = Create(key, "{}");
    EXPECT_EQ(response.status, 400) << key;
    EXPECT_EQ(Code(response), "invalid_idempotency_key");
  }
  EXPECT_EQ(Create(std::string(255, '~'), "{}").status, 201);
  EXPECT_EQ(calls_, 1);
}

TEST_F(PipelineGuardsTest, FailuresAreNotStoredSoTheKeyStaysUsable) {
  EXPECT_EQ(Create("k3", "bad").status, 422);
  EXPECT_TRUE(store_.records.empty());
  EXPECT_EQ(Create("k3", "{}").status, 201);
}

TEST_F(PipelineGuardsTest, ANoStoreResponseIsNotKept) {
  ASSERT_EQ(Create("k4", "secret").status, 201);
  const auto again = Create("k4", "secret");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Code(again), "idempotency_response_not_kept");
  EXPECT_EQ(calls_, 1);
}

TEST_F(PipelineGuardsTest, WithoutAKeyOrOnOtherRoutesNothingIsRecorded) {
  EXPECT_EQ(Run(Method::kPost, {{"authorization", "Bearer good"}}, "{}").status, 201);
  EXPECT_EQ(Run(Method::kGet, {{"authorization", "Bearer good"}, {"idempotency-key", "k"}}).status,
            200);
  EXPECT_TRUE(store_.records.empty());
}

TEST_F(PipelineGuardsTest, FailedAuthenticationsOverTheLimitAre429ValidTokensNever) {
  const std::vector<std::pair<std::string, std::string>> bad = {{"authorization", "Bearer nope"}};
  EXPECT_EQ(Run(Method::kGet, bad).status, 401);
  EXPECT_EQ(Run(Method::kGet, {}).status, 401);  // no token at all counts too
  const auto throttled = Run(Method::kGet, bad);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(Code(throttled), "too_many_failed_authentications");
  EXPECT_TRUE(HeaderOf(throttled, "Retry-After"));
  EXPECT_EQ(Run(Method::kGet, {{"authorization", "Bearer good"}}).status, 200);
  // Another address is counted apart.
  EXPECT_EQ(Run(Method::kGet, bad, "", "192.0.2.2").status, 401);
  const std::string metrics = metrics_.Render();
  EXPECT_NE(metrics.find("coco_auth_failures_total 4\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("coco_auth_throttled_total 1\n"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace coco::api
