#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

void ExpectProblem(const HttpResponse& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  const auto body = BodyJson(response);
  EXPECT_EQ(body.at("status"), status);
  EXPECT_EQ(body.at("code"), code);
  EXPECT_EQ(body.at("request_id"), response.Header("x-request-id").value_or("?"));
}

// One server for the whole suite (Pistache leaks descriptors per start).
class SystemHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new CocoServer();
    admin_token_ = new std::string(server_->CreateAdminToken());
  }
  static void TearDownTestSuite() {
    delete admin_token_;
    delete server_;
  }
  static std::vector<std::pair<std::string, std::string>> AsAdmin() {
    return {{"Authorization", "Bearer " + *admin_token_}};
  }

  static CocoServer* server_;
  static std::string* admin_token_;
};

CocoServer* SystemHttpTest::server_ = nullptr;
std::string* SystemHttpTest::admin_token_ = nullptr;

TEST_F(SystemHttpTest, HealthAndReadinessAnswerWithoutAToken) {
  auto client = server_->Client();
  const auto health = client->Send("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(BodyJson(health).at("status"), "ok");
  const auto ready = client->Send("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(BodyJson(ready).at("status"), "ready");
}

TEST_F(SystemHttpTest, ServesTheContractItWasBuiltWith) {
  auto client = server_->Client();
  const auto response = client->Send("GET", "/openapi.yaml");
  EXPECT_EQ(response.status, 200);
  std::ifstream file(std::string(COCO_SOURCE_DIR) + "/openapi/openapi.yaml");
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(response.body, expected.str());
}

TEST_F(SystemHttpTest, ServesADocsPageWithItsOwnViewer) {
  auto client = server_->Client();
  const auto page = client->Send("GET", "/docs");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("spec-url=\"/openapi.yaml\""), std::string::npos);
  EXPECT_NE(page.body.find("src=\"/docs/redoc.standalone.js\""), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos) << "the page must not load from a CDN";
  const auto viewer = client->Send("GET", "/docs/redoc.standalone.js");
  EXPECT_EQ(viewer.status, 200);
  EXPECT_GT(viewer.body.size(), 100000u);
}

TEST_F(SystemHttpTest, EverythingElseNeedsAValidBearerToken) {
  auto client = server_->Client();
  ExpectProblem(client->Send("GET", "/metrics"), 401, "unauthenticated");
  ExpectProblem(client->Send("GET", "/metrics", {{"Authorization", "Bearer coco_wrong"}}), 401,
                "unauthenticated");
  ExpectProblem(client->Send("GET", "/metrics", {{"Authorization", *admin_token_}}), 401,
                "unauthenticated");
  EXPECT_EQ(client->Send("GET", "/metrics", AsAdmin()).status, 200);
}

TEST_F(SystemHttpTest, ExpiredRevokedAndDisabledTokensAre401) {
  auto client = server_->Client();
  const std::string expired = server_->CreateAdminToken("expired");
  const std::string revoked = server_->CreateAdminToken("revoked");
  const std::string disabled = server_->CreateAdminToken("disabled");
  for (const auto& token : {expired, revoked, disabled}) {
    EXPECT_EQ(client->Send("GET", "/metrics", {{"Authorization", "Bearer " + token}}).status, 200);
  }
  const auto& db = server_->database();
  db.Exec("UPDATE tokens SET expires_at = now() - interval '1 second' WHERE name = 'expired'");
  db.Exec("UPDATE tokens SET revoked_at = now() WHERE name = 'revoked'");
  db.Exec("UPDATE users SET state = 'disabled' WHERE name = 'disabled'");
  for (const auto& token : {expired, revoked, disabled}) {
    ExpectProblem(client->Send("GET", "/metrics", {{"Authorization", "Bearer " + token}}), 401,
                  "unauthenticated");
  }
}

TEST_F(SystemHttpTest, TokensAreStoredOnlyAsSha256) {
  const std::string token = server_->CreateAdminToken("hashed");
  const auto& db = server_->database();
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM tokens WHERE secret_sha256 = encode(sha256('" +
                          token + "'::bytea), 'hex')"),
            "1");
  EXPECT_EQ(
      db.QueryValue("SELECT count(*) FROM tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE t.secret_sha256 LIKE '%" +
                    token.substr(5, 10) + "%' OR u.name LIKE '%" + token.substr(5, 10) + "%'"),
      "0");
}

TEST_F(SystemHttpTest, MetricsCountRequestsAndShowThePool) {
  auto client = server_->Client();
  client->Send("GET", "/healthz");
  const auto response = client->Send("GET", "/metrics", AsAdmin());
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("coco_http_requests_total{method=\"GET\",route=\"/healthz\","
                               "status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(response.body.find("coco_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(response.body.find("coco_db_pool_in_use"), std::string::npos);
  EXPECT_NE(response.body.find("coco_db_pool_size 2"), std::string::npos);
}

TEST_F(SystemHttpTest, UnknownRouteIsProblem404) {
  auto client = server_->Client();
  ExpectProblem(client->Send("GET", "/no/such/thing"), 404, "not_found");
  ExpectProblem(client->Send("GET", "/healthz/extra"), 404, "not_found");
}

TEST_F(SystemHttpTest, WrongMethodIsProblem405ForEveryMethod) {
  auto client = server_->Client();
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}) {
    const auto response = client->Send(method, "/healthz");
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.Header("allow"), "GET") << method;
    if (std::string(method) != "HEAD") ExpectProblem(response, 405, "method_not_allowed");
  }
}

TEST_F(SystemHttpTest, JsonBodyOverTheCapIsProblem413) {
  auto client = server_->Client();
  const std::string big((1 << 20) + 1, 'x');
  ExpectProblem(client->Send("POST", "/healthz", {{"Content-Type", "application/json"}}, big), 413,
                "payload_too_large");
}

TEST_F(SystemHttpTest, RequestIdIsEchoedOrMintedAndLogged) {
  auto client = server_->Client();
  const auto echoed = client->Send("GET", "/healthz", {{"X-Request-Id", "trace-42.a_b:c"}});
  EXPECT_EQ(echoed.Header("x-request-id"), "trace-42.a_b:c");
  const auto replaced = client->Send("GET", "/healthz", {{"X-Request-Id", "bad id with spaces"}});
  const auto minted = replaced.Header("x-request-id");
  ASSERT_TRUE(minted.has_value());
  EXPECT_NE(*minted, "bad id with spaces");
  EXPECT_FALSE(minted->empty());

  ASSERT_TRUE(server_->WaitForLog("trace-42.a_b:c", 5000));
  bool found = false;
  for (const auto& line : server_->LogLines()) {
    const auto entry = nlohmann::json::parse(line);  // every line is one JSON object
    if (entry.value("request_id", "") == "trace-42.a_b:c") {
      found = true;
      EXPECT_EQ(entry.at("method"), "GET");
      EXPECT_EQ(entry.at("path"), "/healthz");
      EXPECT_EQ(entry.at("status"), 200);
      EXPECT_TRUE(entry.contains("duration_ms"));
      EXPECT_TRUE(entry.contains("time"));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SystemHttpTest, TokensNeverReachTheLog) {
  auto client = server_->Client();
  client->Send("GET", "/metrics", AsAdmin());
  client->Send(
      "GET", "/metrics",
      {{"Authorization", "Bearer coco_not_a_real_token_123"}, {"X-Request-Id", "token-log-check"}});
  ASSERT_TRUE(server_->WaitForLog("token-log-check", 5000));
  for (const auto& line : server_->LogLines()) {
    EXPECT_EQ(line.find(*admin_token_), std::string::npos) << line;
    EXPECT_EQ(line.find("coco_not_a_real_token_123"), std::string::npos) << line;
  }
}

TEST_F(SystemHttpTest, KeepAliveReallyWorks) {
  auto client = server_->Client();
  const auto first = client->SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(first.status, 200);
  const auto connection = first.Header("connection");
  ASSERT_TRUE(connection.has_value());
  EXPECT_EQ(*connection, "keep-alive") << "unpatched Pistache answers Connection: Close here";
  EXPECT_FALSE(client->ServerClosed(200));
  const auto second = client->SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(client->connections_opened(), 1) << "the second request needed a new connection";
}

TEST_F(SystemHttpTest, ConnectionCloseReallyCloses) {
  auto client = server_->Client();
  EXPECT_EQ(client->SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
  const auto response =
      client->SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_TRUE(client->ServerClosed(5000)) << "the server kept the socket open";
}

TEST_F(SystemHttpTest, Http10ClosesUnlessAskedToKeepAlive) {
  auto client = server_->Client();
  const auto response = client->SendRaw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_TRUE(client->ServerClosed(5000));
}

// A server started on a database whose migrations were not applied is alive but not ready.
TEST(ReadinessHttpTest, NotReadyUntilMigrated) {
  CocoServer server({}, {"--no-migrate"});
  auto client = server.Client();
  EXPECT_EQ(client->Send("GET", "/healthz").status, 200);
  ExpectProblem(client->Send("GET", "/readyz"), 503, "not_ready");
  ASSERT_EQ(server.RunCli({"migrate"}).exit_code, 0);
  EXPECT_EQ(client->Send("GET", "/readyz").status, 200);
}

TEST(ServeConfigHttpTest, BadConfigurationIsOneLineAndExitCode2) {
  const auto bad_port =
      RunProgram({CocoBinary(), "serve"}, {{"COCO_PORT", "eighty"}, {"COCO_DATABASE_URL", "x"}});
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_EQ(std::count(bad_port.err.begin(), bad_port.err.end(), '\n'), 1) << bad_port.err;
  EXPECT_NE(bad_port.err.find("COCO_PORT"), std::string::npos);

  const auto no_db =
      RunProgram({CocoBinary(), "serve"},
                 {{"COCO_DATABASE_URL", "postgresql://coco@127.0.0.1:1/coco?connect_timeout=2"},
                  {"COCO_PORT", std::to_string(FreePort())}});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_EQ(std::count(no_db.err.begin(), no_db.err.end(), '\n'), 1) << no_db.err;
  EXPECT_EQ(no_db.err.find("127.0.0.1:1"), std::string::npos) << "connection details leaked";
}

TEST(CliHttpTest, EverySubcommandHasHelp) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                               {"serve", "--help"},
                                               {"migrate", "--help"},
                                               {"token", "create", "--help"}}) {
    std::vector<std::string> argv = {CocoBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = RunProgram(argv, {});
    EXPECT_EQ(result.exit_code, 0) << args.back();
    EXPECT_NE(result.out.find("usage: coco"), std::string::npos) << args.back();
  }
  EXPECT_EQ(RunProgram({CocoBinary(), "frobnicate"}, {}).exit_code, 2);
}

TEST(CliHttpTest, TokenCreatePrintsOnlyTheTokenAndValidatesItsOptions) {
  TestDatabase database;
  const std::map<std::string, std::string> env = {{"COCO_DATABASE_URL", database.url()}};
  ASSERT_EQ(RunProgram({CocoBinary(), "migrate"}, env).exit_code, 0);
  const auto created = RunProgram(
      {CocoBinary(), "token", "create", "--role", "admin", "--name", "ops", "--expires-in", "30"},
      env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out.size(), 5u + 43u + 1u) << created.out;
  EXPECT_EQ(database.QueryValue("SELECT (expires_at - created_at) BETWEEN interval '29 days 23 "
                                "hours' AND interval '30 days 1 hour' FROM tokens"),
            "t");
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--role", "admin"},
        {"--role", "wizard", "--name", "x"},
        {"--role", "admin", "--name", "x", "--expires-in", "366"},
        {"--role", "admin", "--name", "x", "--expires-in", "0"}}) {
    std::vector<std::string> argv = {CocoBinary(), "token", "create"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    const auto result = RunProgram(argv, env);
    EXPECT_EQ(result.exit_code, 2) << bad.back();
    EXPECT_TRUE(result.out.empty());
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM users"), "1");
  // Even the bootstrap admin's creation is in the audit chain.
  EXPECT_EQ(database.QueryValue("SELECT action || ' ' || request_id FROM audit_events"),
            "user.create cli");
}

}  // namespace
}  // namespace coco::test
