// Requests an attacker or a broken client sends, over raw sockets: each gets a problem+json 4xx
// with nothing internal in it, the connection is closed where the stream can no longer be trusted,
// and the server keeps answering others.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

using Clock = std::chrono::steady_clock;

// A problem the transport raised: the status, the code, the fixed sentence, and none of the
// exception texts Pistache 0.0.5 used to send ("basic_string::_M_create", "stoull").
void ExpectTransportProblem(const std::optional<HttpResponse>& response, int status,
                            const std::string& code) {
  ASSERT_TRUE(response.has_value()) << "no answer; expected " << status << " " << code;
  EXPECT_EQ(response->status, status) << response->body;
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_EQ(response->Header("connection"), "close");
  const auto body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body.at("status"), status);
  EXPECT_EQ(body.at("code"), code);
  EXPECT_EQ(body.at("request_id"), response->Header("x-request-id").value_or("?"));
  EXPECT_FALSE(body.at("detail").get<std::string>().empty());
  for (const char* internal : {"basic_string", "stoull", "stoi", "exception", "what()"}) {
    EXPECT_EQ(response->body.find(internal), std::string::npos) << response->body;
  }
}

class HostileHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Short clocks so the timeout cases finish quickly; the defaults have their own test below.
    server_ = new CocoServer({{"COCO_HEADER_TIMEOUT", "2"},
                              {"COCO_BODY_TIMEOUT", "2"},
                              {"COCO_KEEPALIVE_TIMEOUT", "3"},
                              {"COCO_MAX_BODY_BYTES", "2097152"}});
  }
  static void TearDownTestSuite() { delete server_; }

  // Sends `bytes` on a new connection and reads the one answer.
  static std::optional<HttpResponse> Exchange(const std::string& bytes,
                                              std::unique_ptr<HttpClient>* keep = nullptr) {
    auto client = server_->Client();
    client->SendBytes(bytes);
    auto response = client->Receive(10000);
    if (keep != nullptr) *keep = std::move(client);
    return response;
  }

  // After every hostile request, others are still served.
  static void ExpectHealthy() {
    auto client = server_->Client();
    EXPECT_EQ(client->Send("GET", "/healthz").status, 200);
  }

  static CocoServer* server_;
};

CocoServer* HostileHttpTest::server_ = nullptr;

TEST_F(HostileHttpTest, ANegativeContentLengthIs400AndCloses) {
  std::unique_ptr<HttpClient> client;
  const auto response =
      Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", &client);
  ExpectTransportProblem(response, 400, "malformed_request");
  EXPECT_TRUE(client->ServerClosed(5000));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, AnOverflowingContentLengthIs400) {
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: 99999999999999999999999\r\n\r\n"),
                         400, "malformed_request");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, TwoContentLengthsAre400NotTheFirstOne) {
  // The classic smuggling shape: a front end that takes the second length and a back end that
  // takes the first disagree on where the next request starts.
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                  "Content-Length: 40\r\n\r\n{}GET /healthz HTTP/1.1\r\n\r\n"),
                         400, "malformed_request");
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                  "Content-Length: 2\r\n\r\n{}"),
                         400, "malformed_request");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ALengthBesideChunkedIs400) {
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                         400, "malformed_request");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, TwentyThousandHeaderLinesAre431) {
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 20000; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  request += "\r\n";
  auto client = server_->Client();
  ASSERT_TRUE(client->SendBytes(""));  // connected before the sender thread starts
  // The server answers after the 101st line and drops the rest; send from another thread so a
  // full socket buffer cannot stall the test.
  std::thread sender([&client, &request] { client->SendBytes(request); });
  const auto response = client->Receive(10000);
  sender.join();
  ExpectTransportProblem(response, 431, "request_header_fields_too_large");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ATwoMegabyteHeaderIs431ThenClose) {
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2 << 20, 'a') + "\r\n\r\n";
  auto client = server_->Client();
  client->SendBytes("GET /healthz HTTP/1.1\r\n");
  std::thread sender([&client, &request] { client->SendBytes(request.substr(23)); });
  const auto response = client->Receive(10000);
  sender.join();
  ExpectTransportProblem(response, 431, "request_header_fields_too_large");
  EXPECT_TRUE(client->ServerClosed(10000));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ATooLongRequestLineIs414) {
  ExpectTransportProblem(
      Exchange("GET /healthz?x=" + std::string(10000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
      "uri_too_long");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ABodyOverTheTransportCapIsAProblemNotPlainText) {
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: 3000000\r\n\r\n{}"),
                         413, "payload_too_large");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ProtocolViolationsAreRefused) {
  ExpectTransportProblem(Exchange("GET /healthz HTTP/1.1\r\n\r\n"), 400, "malformed_request");
  ExpectTransportProblem(Exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n"),
                         400, "malformed_request");
  ExpectTransportProblem(Exchange("GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n"), 400,
                         "malformed_request");
  ExpectTransportProblem(Exchange("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 501,
                         "method_not_implemented");
  ExpectTransportProblem(Exchange("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"), 505,
                         "http_version_not_supported");
  ExpectTransportProblem(Exchange("GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                         400, "malformed_request");
  ExpectTransportProblem(Exchange("POST /suppliers HTTP/1.1\r\nHost: x\r\n"
                                  "Transfer-Encoding: gzip, chunked\r\n\r\n"),
                         501, "unsupported_transfer_encoding");
  ExpectTransportProblem(Exchange(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
                                  std::string(200, '\x00') + "\r\n"),
                         400, "malformed_request");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, HeadersThatNeverFinishGet408AndAClose) {
  std::unique_ptr<HttpClient> client = server_->Client();
  const auto started = Clock::now();
  ASSERT_TRUE(client->SendBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  const auto response = client->Receive(10000);
  ExpectTransportProblem(response, 408, "request_timeout");
  EXPECT_GE(Clock::now() - started, std::chrono::seconds(2)) << "answered before the timeout";
  EXPECT_TRUE(client->ServerClosed(5000));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, TricklingHeadersDoNotExtendTheTimeout) {
  // Slowloris: a byte at a time, each well inside any per-read timeout.
  std::unique_ptr<HttpClient> client = server_->Client();
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: abcdefghijklmnop";
  std::optional<HttpResponse> response;
  for (char c : request) {
    if (!client->SendBytes(std::string(1, c))) break;
    response = client->Receive(300);
    if (response) break;
  }
  if (!response) response = client->Receive(10000);
  ExpectTransportProblem(response, 408, "request_timeout");
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ABodyThatNeverFinishesGets408) {
  std::unique_ptr<HttpClient> client = server_->Client();
  ASSERT_TRUE(
      client->SendBytes("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                        "Content-Type: application/json\r\n\r\n{\"name\":"));
  ExpectTransportProblem(client->Receive(10000), 408, "request_timeout");
  EXPECT_TRUE(client->ServerClosed(5000));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ManySlowClientsAreAllCutOffAndOthersAreServedMeanwhile) {
  constexpr int kSlowClients = 200;
  std::vector<std::unique_ptr<HttpClient>> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.push_back(server_->Client());
    ASSERT_TRUE(slow.back()->SendBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  }
  ExpectHealthy();  // while all of them hold a connection
  int timed_out = 0;
  for (auto& client : slow) {
    const auto response = client->Receive(10000);
    if (response && response->status == 408 && client->ServerClosed(5000)) ++timed_out;
  }
  EXPECT_EQ(timed_out, kSlowClients);
  ExpectHealthy();
}

TEST_F(HostileHttpTest, AnIdleKeepAliveConnectionIsClosedQuietly) {
  std::unique_ptr<HttpClient> client = server_->Client();
  ASSERT_TRUE(client->SendBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto response = client->Receive(5000);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->Header("connection"), "keep-alive");
  EXPECT_FALSE(client->ServerClosed(1000));
  EXPECT_TRUE(client->ServerClosed(10000)) << "the idle connection was kept";
}

TEST_F(HostileHttpTest, PipelinedRequestsAreAnsweredInOrder) {
  auto client = server_->Client();
  ASSERT_TRUE(
      client->SendBytes("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
                        "GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"));
  const auto first = client->Receive(5000);
  const auto second = client->Receive(5000);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->Header("x-request-id"), "first");
  EXPECT_EQ(second->status, 404);
  EXPECT_EQ(second->Header("x-request-id"), "second");
}

TEST_F(HostileHttpTest, AChunkedBodyReachesTheHandlerWhole) {
  auto chunk = [](const std::string& data, const std::string& extension = "") {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", data.size());
    return std::string(size) + extension + "\r\n" + data + "\r\n";
  };
  const std::string token = server_->CreateAdminToken();
  auto client = server_->Client();
  ASSERT_TRUE(client->SendBytes("POST /suppliers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                token +
                                "\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n" +
                                chunk("{\"name\": \"Chunk") +
                                chunk("y Ltd\", \"contact_email\": \"a@b.example\"}", ";ext=1") +
                                "0\r\nX-Trailer: t\r\n\r\n"));
  const auto response = client->Receive(10000);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 201) << response->body;
  EXPECT_EQ(nlohmann::json::parse(response->body).value("name", ""), "Chunky Ltd");
}

TEST_F(HostileHttpTest, Expect100ContinueIsAnswered) {
  auto client = server_->Client();
  ASSERT_TRUE(
      client->SendBytes("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        "Content-Type: application/json\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = client->Receive(5000);
  ASSERT_TRUE(interim.has_value()) << "no 100 Continue: curl would wait a second for it";
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->SendBytes("{}"));
  const auto final_response = client->Receive(5000);
  ASSERT_TRUE(final_response.has_value());
  EXPECT_EQ(final_response->status, 401);
}

TEST_F(HostileHttpTest, TheRefusalsAreCountedAndLogged) {
  ExpectTransportProblem(Exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n"),
                         400, "malformed_request");
  EXPECT_TRUE(server_->WaitForLog("request refused", 5000));
  const std::string token = server_->CreateAdminToken("metrics reader");
  auto client = server_->Client();
  const auto metrics = client->Send("GET", "/metrics", {{"Authorization", "Bearer " + token}});
  EXPECT_NE(metrics.body.find("route=\"unparsed\",status=\"400\""), std::string::npos)
      << metrics.body.substr(0, 2000);
}

// The defaults, as shipped: a request whose headers stall is cut off after 10–15 s.
TEST(HostileHttpDefaultsTest, TheDefaultHeaderTimeoutIsBetweenTenAndFifteenSeconds) {
  CocoServer server;
  auto client = server.Client();
  const auto started = Clock::now();
  ASSERT_TRUE(client->SendBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_FALSE(client->Receive(9000).has_value()) << "cut off before 10 s";
  const auto response = client->Receive(8000);
  ExpectTransportProblem(response, 408, "request_timeout");
  const auto waited = Clock::now() - started;
  EXPECT_GE(waited, std::chrono::seconds(10));
  EXPECT_LE(waited, std::chrono::seconds(16));
}

}  // namespace
}  // namespace coco::test
