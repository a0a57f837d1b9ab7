#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// Writes `bytes` on a new connection and closes it without reading anything: a client whose
// connection dropped before the response arrived.
void SendAndHangUp(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    sent += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

class IdempotencyHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  using Headers = std::vector<std::pair<std::string, std::string>>;

  Headers WithKey(Headers headers, const std::string& key) {
    headers.emplace_back("Idempotency-Key", key);
    return headers;
  }
  static std::string SupplierBody(const std::string& name) {
    return nlohmann::json{{"name", name}, {"contact_email", "it@" + name + ".example"}}.dump();
  }
  long long Count(const std::string& sql) {
    return std::stoll(world_->server().database().QueryValue(sql));
  }
  long long SuppliersNamed(const std::string& name) {
    return Count("SELECT count(*) FROM suppliers WHERE name = '" + name + "'");
  }
  long long EvidenceNamed(const std::string& filename) {
    return Count("SELECT count(*) FROM evidence WHERE filename = '" + filename + "'");
  }
  std::string UploadTarget(const std::string& filename) {
    return "/suppliers/" + world_->supplier_a() + "/evidence?filename=" + filename + "&kind=policy";
  }
  Headers UploadHeaders(const std::string& key) {
    auto headers = WithKey(world_->As("supplier_a"), key);
    headers.emplace_back("Content-Type", "application/pdf");
    return headers;
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* IdempotencyHttpTest::world_ = nullptr;

TEST_F(IdempotencyHttpTest, ReplaysTheFirstResponseAndWritesNothingMore) {
  const auto headers = WithKey(world_->JsonAs("admin"), "replay-1");
  const auto first = client_->Send("POST", "/suppliers", headers, SupplierBody("replayco"));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.Header("idempotent-replayed"));
  const auto before = world_->server().database().RowCounts();

  const auto again = client_->Send("POST", "/suppliers", headers, SupplierBody("replayco"));
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(again.Header("location"), first.Header("location"));
  EXPECT_EQ(again.Header("etag"), first.Header("etag"));
  EXPECT_EQ(again.Header("content-type"), first.Header("content-type"));
  EXPECT_NE(again.Header("x-request-id"), first.Header("x-request-id"));
  EXPECT_EQ(world_->server().database().RowCounts(), before) << "a replay wrote rows";
  EXPECT_EQ(SuppliersNamed("replayco"), 1);
}

TEST_F(IdempotencyHttpTest, TheSameKeyWithAnotherBodyIsRefusedAndWritesNothing) {
  const auto headers = WithKey(world_->JsonAs("admin"), "reused-1");
  ASSERT_EQ(client_->Send("POST", "/suppliers", headers, SupplierBody("reusedco")).status, 201);
  const auto before = world_->server().database().RowCounts();
  const auto other = client_->Send("POST", "/suppliers", headers, SupplierBody("otherco"));
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(BodyJson(other).at("code"), "idempotency_key_reused");
  EXPECT_EQ(world_->server().database().RowCounts(), before);
  // The same key on another creating route is another request too.
  const auto service = client_->Send("POST", "/suppliers/" + world_->supplier_a() + "/services",
                                     headers, SupplierBody("x"));
  EXPECT_EQ(service.status, 422) << service.body;
  EXPECT_EQ(BodyJson(service).at("code"), "idempotency_key_reused");
}

TEST_F(IdempotencyHttpTest, KeysBelongToTheirCaller) {
  const std::string second_admin = world_->NewToken("admin", "second admin");
  const auto mine = client_->Send("POST", "/suppliers", WithKey(world_->JsonAs("admin"), "shared"),
                                  SupplierBody("sharedco"));
  ASSERT_EQ(mine.status, 201) << mine.body;
  const auto theirs = client_->Send("POST", "/suppliers",
                                    {{"Authorization", "Bearer " + second_admin},
                                     {"Content-Type", "application/json"},
                                     {"Idempotency-Key", "shared"}},
                                    SupplierBody("sharedco"));
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_FALSE(theirs.Header("idempotent-replayed"));
  EXPECT_NE(BodyJson(theirs).at("id"), BodyJson(mine).at("id"));
  EXPECT_EQ(SuppliersNamed("sharedco"), 2);
}

TEST_F(IdempotencyHttpTest, AMalformedKeyIsABadRequest) {
  for (const std::string& key :
       {std::string("has space"), std::string(256, 'k'), std::string("caf\xc3\xa9")}) {
    const auto before = world_->server().database().RowCounts();
    const auto response = client_->Send("POST", "/suppliers", WithKey(world_->JsonAs("admin"), key),
                                        SupplierBody("badkeyco"));
    EXPECT_EQ(response.status, 400) << key << "\n" << response.body;
    EXPECT_EQ(BodyJson(response).at("code"), "invalid_idempotency_key");
    EXPECT_EQ(world_->server().database().RowCounts(), before);
  }
  EXPECT_EQ(SuppliersNamed("badkeyco"), 0);
}

TEST_F(IdempotencyHttpTest, WithoutAKeyEveryPostCreates) {
  for (int i = 0; i < 2; ++i) {
    const auto response =
        client_->Send("POST", "/suppliers", world_->JsonAs("admin"), SupplierBody("nokeyco"));
    EXPECT_EQ(response.status, 201) << response.body;
    EXPECT_FALSE(response.Header("idempotent-replayed"));
  }
  EXPECT_EQ(SuppliersNamed("nokeyco"), 2);
}

TEST_F(IdempotencyHttpTest, AFailedRequestDoesNotUseUpItsKey) {
  const auto headers = WithKey(world_->JsonAs("admin"), "after-failure");
  const auto bad = client_->Send("POST", "/suppliers", headers,
                                 R"({"name":"failco","contact_email":"not an address"})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  // A corrected request under the same key is a new request, not a reuse.
  const auto good = client_->Send("POST", "/suppliers", headers, SupplierBody("failco"));
  EXPECT_EQ(good.status, 201) << good.body;
}

TEST_F(IdempotencyHttpTest, ATokenSecretIsNeverKeptSoItsRetryNamesTheTokenInstead) {
  const auto user =
      client_->Send("POST", "/users", world_->JsonAs("admin"),
                    R"({"name":"Token Holder","email":"holder@example.test","role":"assessor"})");
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string body =
      nlohmann::json{{"user_id", BodyJson(user).at("id")}, {"name", "ci"}}.dump();
  const auto headers = WithKey(world_->JsonAs("admin"), "token-1");
  const auto first = client_->Send("POST", "/tokens", headers, body);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string secret = BodyJson(first).at("secret");
  const auto tokens_before = Count("SELECT count(*) FROM tokens");
  EXPECT_EQ(
      Count("SELECT count(*) FROM idempotency_keys WHERE response_body LIKE '%" + secret + "%'"),
      0);

  const auto again = client_->Send("POST", "/tokens", headers, body);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(BodyJson(again).at("code"), "idempotency_response_not_kept");
  EXPECT_EQ(BodyJson(again).at("entity"), "token");
  EXPECT_EQ(BodyJson(again).at("entity_id"), BodyJson(first).at("id"));
  EXPECT_EQ(again.body.find(secret), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM tokens"), tokens_before);
}

TEST_F(IdempotencyHttpTest, AnUploadWhoseConnectionDroppedIsStoredOnceAndItsRetryGetsTheResponse) {
  const std::string bytes = RandomBytes(256 * 1024, 11);
  const std::string target = UploadTarget("dropped.pdf");
  std::string raw = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : UploadHeaders("upload-dropped"))
    raw += name + ": " + value + "\r\n";
  raw += "X-Request-Id: dropped-upload-1\r\nContent-Length: " + std::to_string(bytes.size()) +
         "\r\n\r\n" + bytes;
  SendAndHangUp(world_->server().port(), raw);
  // The server finishes the request it read in full; its log line comes after the response is
  // stored.
  ASSERT_TRUE(world_->server().WaitForLog("dropped-upload-1", 10000));
  ASSERT_EQ(EvidenceNamed("dropped.pdf"), 1);
  const auto stored_id = world_->server().database().QueryValue(
      "SELECT id FROM evidence WHERE filename = 'dropped.pdf'");

  const auto retry = client_->Send("POST", target, UploadHeaders("upload-dropped"), bytes);
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.Header("idempotent-replayed"), "true");
  EXPECT_EQ(BodyJson(retry).at("id"), stored_id);
  EXPECT_EQ(retry.Header("location"), "/evidence/" + stored_id);
  EXPECT_EQ(EvidenceNamed("dropped.pdf"), 1);
  // The filename is part of the request: the same key and bytes under another name are a reuse.
  const auto renamed =
      client_->Send("POST", UploadTarget("renamed.pdf"), UploadHeaders("upload-dropped"), bytes);
  EXPECT_EQ(renamed.status, 422) << renamed.body;
  EXPECT_EQ(EvidenceNamed("renamed.pdf"), 0);
}

TEST_F(IdempotencyHttpTest, ConcurrentRequestsWithOneKeyCreateOneRow) {
  const std::string bytes = RandomBytes(1 << 20, 12);
  const std::string target = UploadTarget("raced.pdf");
  constexpr int kClients = 4;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(world_->Client());
  std::vector<HttpResponse> responses(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      responses[i] = clients[i]->Send("POST", target, UploadHeaders("raced-key"), bytes);
    });
  }
  for (auto& thread : threads) thread.join();
  int created = 0;
  for (const auto& response : responses) {
    if (response.status == 201 && !response.Header("idempotent-replayed")) {
      ++created;
    } else if (response.status == 201) {
      EXPECT_EQ(response.Header("idempotent-replayed"), "true");
    } else {
      EXPECT_EQ(response.status, 409) << response.body;
      EXPECT_EQ(BodyJson(response).at("code"), "idempotency_key_in_use");
      EXPECT_TRUE(response.Header("retry-after"));
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(EvidenceNamed("raced.pdf"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'evidence.upload' AND "
                  "detail LIKE '%raced.pdf%'"),
            1);
  // Afterwards every retry replays.
  const auto later = client_->Send("POST", target, UploadHeaders("raced-key"), bytes);
  EXPECT_EQ(later.status, 201);
  EXPECT_EQ(later.Header("idempotent-replayed"), "true");
}

TEST_F(IdempotencyHttpTest, AnExpiredKeyIsForgotten) {
  const auto headers = WithKey(world_->JsonAs("admin"), "expiring");
  ASSERT_EQ(client_->Send("POST", "/suppliers", headers, SupplierBody("expiredco")).status, 201);
  world_->server().database().Exec(
      "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = "
      "'expiring'");
  const auto again = client_->Send("POST", "/suppliers", headers, SupplierBody("expiredco"));
  EXPECT_EQ(again.status, 201);
  EXPECT_FALSE(again.Header("idempotent-replayed"));
  EXPECT_EQ(SuppliersNamed("expiredco"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys WHERE expires_at <= now()"), 0);
}

}  // namespace
}  // namespace coco::test
