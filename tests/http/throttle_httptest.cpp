#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

// One server with the production limit (20 failures a minute) that trusts 127.0.0.1 as its
// reverse proxy, so each test speaks for clients of its own through X-Forwarded-For.
class ThrottleHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new CocoServer({{"COCO_AUTH_FAILURE_LIMIT", "20"},
                              {"COCO_AUTH_FAILURE_WINDOW", "60"},
                              {"COCO_TRUSTED_PROXIES", "127.0.0.1"}});
    admin_ = new std::string(server_->CreateAdminToken());
  }
  static void TearDownTestSuite() {
    delete admin_;
    delete server_;
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;
  static Headers From(const std::string& client, const std::string& token) {
    return {{"X-Forwarded-For", client}, {"Authorization", "Bearer " + token}};
  }
  long long Metric(const std::string& name) {
    const auto response =
        client_->Send("GET", "/metrics", {{"Authorization", "Bearer " + *admin_}});
    EXPECT_EQ(response.status, 200);
    const std::regex line("(^|\n)" + name + " ([0-9]+)\n");
    std::smatch match;
    if (!std::regex_search(response.body, match, line)) return -1;
    return std::stoll(match[2]);
  }

  static CocoServer* server_;
  static std::string* admin_;
  std::unique_ptr<HttpClient> client_ = server_->Client();
};

CocoServer* ThrottleHttpTest::server_ = nullptr;
std::string* ThrottleHttpTest::admin_ = nullptr;

TEST_F(ThrottleHttpTest, RepeatedBadTokensGet429ButAValidTokenFromTheSameAddressIsServed) {
  const long long failures_before = Metric("coco_auth_failures_total");
  const long long throttled_before = Metric("coco_auth_throttled_total");
  const std::string address = "198.51.100.1";
  for (int i = 1; i <= 25; ++i) {
    const auto response =
        client_->Send("GET", "/suppliers", From(address, "coco_wrong" + std::to_string(i)));
    const auto body = nlohmann::json::parse(response.body);
    if (i <= 20) {
      EXPECT_EQ(response.status, 401) << i;
      EXPECT_EQ(body.at("code"), "unauthenticated");
      EXPECT_FALSE(response.Header("retry-after"));
    } else {
      EXPECT_EQ(response.status, 429) << i;
      EXPECT_EQ(body.at("code"), "too_many_failed_authentications");
      const auto retry_after = response.Header("retry-after");
      ASSERT_TRUE(retry_after);
      EXPECT_GE(std::stoi(*retry_after), 1);
      EXPECT_LE(std::stoi(*retry_after), 60);
    }
  }
  // Valid tokens are never slowed, whatever their address did.
  const auto valid = client_->Send("GET", "/suppliers", From(address, *admin_));
  EXPECT_EQ(valid.status, 200) << valid.body;
  // The status read authenticates inside its handler; it is throttled the same way.
  const auto status = client_->Send("GET", "/suppliers/00000000-0000-4000-8000-000000000000/status",
                                    From(address, "coco_bad"));
  EXPECT_EQ(status.status, 429) << status.body;
  // Another client behind the same proxy is unaffected.
  EXPECT_EQ(client_->Send("GET", "/suppliers", From("198.51.100.2", "coco_bad")).status, 401);

  EXPECT_EQ(Metric("coco_auth_failures_total") - failures_before, 27);
  EXPECT_EQ(Metric("coco_auth_throttled_total") - throttled_before, 6);
}

TEST_F(ThrottleHttpTest, AMissingTokenCountsAsAFailure) {
  const std::string address = "198.51.100.3";
  for (int i = 1; i <= 20; ++i) {
    EXPECT_EQ(client_->Send("GET", "/suppliers", {{"X-Forwarded-For", address}}).status, 401);
  }
  EXPECT_EQ(client_->Send("GET", "/suppliers", {{"X-Forwarded-For", address}}).status, 429);
}

TEST_F(ThrottleHttpTest, AForgedForwardedForEntryDoesNotEscapeTheCount) {
  // The client sends its own X-Forwarded-For; the proxy appends the real address (the right-most
  // entry), which is the one counted.
  for (int i = 1; i <= 20; ++i) {
    const auto response = client_->Send(
        "GET", "/suppliers", From("203.0.113." + std::to_string(i) + ", 198.51.100.4", "coco_x"));
    EXPECT_EQ(response.status, 401);
  }
  EXPECT_EQ(client_->Send("GET", "/suppliers", From("203.0.113.99, 198.51.100.4", "coco_x")).status,
            429);
}

}  // namespace
}  // namespace coco::test
