// Faults met with traffic flowing: PostgreSQL restarted and crashed, coco killed and stopped, a
// database too slow to answer, two nodes racing. Each test starts its own processes (a
// PostgreSQL cluster of its own where the fault touches PostgreSQL), sends traffic only to
// 127.0.0.1, and is bounded in time.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/coco_server.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/story.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {
namespace {

using Clock = std::chrono::steady_clock;

// One answer seen by a load thread.
struct Seen {
  Clock::time_point sent;  // when the request went out
  Clock::time_point at;    // when its answer (or failure) came back
  int status = 0;          // 0: no answer at all (connection refused, reset or cut short)
  bool retry_after = false;
  std::string body;
};

// `threads` clients, each sending `request` in a loop until Stop(); every answer is recorded.
class Load {
 public:
  using Request = std::function<HttpResponse(HttpClient&, int thread, int sequence)>;

  Load(const CocoServer& server, int threads, Request request) {
    for (int t = 0; t < threads; ++t) {
      workers_.emplace_back([this, &server, request, t] {
        auto client = server.Client();
        for (int sequence = 0; !stop_; ++sequence) {
          Seen seen;
          seen.sent = Clock::now();
          try {
            const HttpResponse response = request(*client, t, sequence);
            seen.status = response.status;
            seen.retry_after = response.Header("retry-after").has_value();
            seen.body = response.body;
          } catch (const std::exception&) {
            client = server.Client();
          }
          seen.at = Clock::now();
          std::lock_guard lock(mutex_);
          seen_.push_back(std::move(seen));
          changed_.notify_all();
        }
      });
    }
  }
  ~Load() { Stop(); }

  void Stop() {
    stop_ = true;
    for (auto& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  // Waits (bounded) until `count` more answers than now were seen, each passing `filter`.
  bool WaitForMore(std::size_t count, const std::function<bool(const Seen&)>& filter,
                   int timeout_ms) {
    std::unique_lock lock(mutex_);
    const std::size_t from = seen_.size();
    return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
      std::size_t matching = 0;
      for (std::size_t i = from; i < seen_.size(); ++i) matching += filter(seen_[i]) ? 1 : 0;
      return matching >= count;
    });
  }

  std::vector<Seen> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Seen> seen_;
  std::vector<std::thread> workers_;
};

bool Any(const Seen&) { return true; }
bool Ok(const Seen& seen) { return seen.status >= 200 && seen.status < 300; }

// Every answer was a success or a 503 with Retry-After: no other 5xx, no dropped connection.
void ExpectOnlySuccessOr503(const std::vector<Seen>& seen) {
  std::map<int, int> statuses;
  for (const Seen& one : seen) {
    ++statuses[one.status];
    if (one.status == 503) {
      EXPECT_TRUE(one.retry_after) << "a 503 without Retry-After: " << one.body;
    } else if (!Ok(one)) {
      ADD_FAILURE() << "answered " << one.status << ": " << one.body;
    }
  }
  std::string summary;
  for (const auto& [status, count] : statuses) {
    summary += std::to_string(status) + "x" + std::to_string(count) + " ";
  }
  testing::Test::RecordProperty("statuses", summary);
  std::cout << "[ statuses ] " << summary << "\n";
}

// The audit chain verifies end to end.
void ExpectAuditChainVerifies(const CocoServer& server, const std::string& admin) {
  auto client = server.Client();
  const auto verified = client->Send("GET", "/audit/verify?full=true", Bearer(admin));
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(BodyJson(verified).at("ok"), true) << verified.body;
}

// Polls (bounded) /metrics until the server holds exactly one request besides that poll.
bool HoldsOneRequest(const CocoServer& server, const std::string& admin) {
  auto metrics = server.Client();
  for (int i = 0; i < 100; ++i) {
    if (metrics->Send("GET", "/metrics", Bearer(admin))
            .body.find("coco_http_requests_in_flight 2\n") != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string NewSupplier(HttpClient& client, const std::string& admin, const std::string& name) {
  const auto created =
      client.Send("POST", "/suppliers", Bearer(admin),
                  nlohmann::json{{"name", name}, {"contact_email", "security@example.org"}}.dump());
  if (created.status != 201) throw std::runtime_error("supplier: " + created.body);
  return BodyJson(created).at("id");
}

TEST(PostgresFaultTest, RestartedUnderReadLoadAnswers200Or503AndRecovers) {
  PgCluster cluster;
  TestDatabase database(cluster.AdminUrl());
  CocoServer server(database, {{"COCO_STATEMENT_TIMEOUT_MS", "2000"}});
  const std::string admin = server.CreateAdminToken();
  {
    auto client = server.Client();
    NewSupplier(*client, admin, "Read Load Ltd");
  }
  Load load(server, 3, [&admin](HttpClient& client, int, int) {
    return client.Send("GET", "/suppliers", Bearer(admin));
  });
  ASSERT_TRUE(load.WaitForMore(30, Ok, 20000)) << "no load before the fault";
  cluster.Stop();
  ASSERT_TRUE(load.WaitForMore(10, Any, 20000));
  cluster.Start();
  const auto restarted = Clock::now();
  ASSERT_TRUE(load.WaitForMore(1, Ok, 20000)) << "no success after PostgreSQL came back";
  const auto recovered = Clock::now();
  const auto recovery = recovered - restarted;
  ASSERT_TRUE(load.WaitForMore(30, Any, 20000));
  load.Stop();

  const auto seen = load.seen();
  ExpectOnlySuccessOr503(seen);
  EXPECT_LT(recovery, std::chrono::seconds(10)) << "recovery took too long";
  std::cout << "[ recovery ] "
            << std::chrono::duration_cast<std::chrono::milliseconds>(recovery).count() << " ms\n";
  // Every request sent after the first success is a success. (Not "the last answers": one sent
  // while PostgreSQL was still starting can be answered late, by a thread the CPU starved.)
  int after = 0;
  for (const Seen& one : seen) {
    if (one.sent < recovered) continue;
    ++after;
    EXPECT_EQ(one.status, 200) << one.body;
  }
  EXPECT_GE(after, 20) << "too few requests after recovery to tell";
}

TEST(PostgresFaultTest, CrashedDuringWritesKeepsEveryAcknowledgedWrite) {
  PgCluster cluster;
  TestDatabase database(cluster.AdminUrl());
  CocoServer server(database, {{"COCO_STATEMENT_TIMEOUT_MS", "2000"}});
  const std::string admin = server.CreateAdminToken();

  std::mutex acknowledged_mutex;
  std::set<std::string> acknowledged;
  Load load(server, 4, [&](HttpClient& client, int thread, int sequence) {
    const std::string name = "Crash " + std::to_string(thread) + "-" + std::to_string(sequence);
    auto response = client.Send(
        "POST", "/suppliers", Bearer(admin),
        nlohmann::json{{"name", name}, {"contact_email", "security@example.org"}}.dump());
    if (response.status == 201) {
      std::lock_guard lock(acknowledged_mutex);
      acknowledged.insert(BodyJson(response).at("id").get<std::string>());
    }
    return response;
  });
  ASSERT_TRUE(load.WaitForMore(40, Ok, 30000)) << "no writes before the crash";
  cluster.Stop(/*crash=*/true);
  ASSERT_TRUE(load.WaitForMore(10, Any, 20000));
  cluster.Start();
  ASSERT_TRUE(load.WaitForMore(20, Ok, 30000)) << "no writes after recovery";
  load.Stop();

  ExpectOnlySuccessOr503(load.seen());
  auto client = server.Client();
  for (const auto& id : acknowledged) {
    EXPECT_EQ(client->Send("GET", "/suppliers/" + id, Bearer(admin)).status, 200)
        << "acknowledged supplier " << id << " is gone";
  }
  std::cout << "[ acknowledged ] " << acknowledged.size() << " writes, all present\n";
  ExpectAuditChainVerifies(server, admin);
}

// No blob without its metadata row, no row without its audit event, no gap in the chain: each
// create writes all of them in one transaction, so a kill leaves all or none.
void ExpectNoOrphans(const TestDatabase& database) {
  EXPECT_EQ(database.QueryValue(
                "SELECT count(*) FROM evidence_blobs b WHERE NOT EXISTS (SELECT 1 FROM evidence e "
                "WHERE e.supplier_id = b.supplier_id AND e.sha256 = b.sha256)"),
            "0")
      << "an orphan blob";
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM evidence e WHERE NOT EXISTS "
                                "(SELECT 1 FROM audit_events a WHERE a.entity_id = e.id::text)"),
            "0")
      << "an evidence row without its audit event";
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM suppliers s WHERE NOT EXISTS "
                                "(SELECT 1 FROM audit_events a WHERE a.entity_id = s.id::text)"),
            "0")
      << "a supplier without its audit event";
  EXPECT_EQ(database.QueryValue("SELECT count(*) = coalesce(max(seq), 0) FROM audit_events"), "t")
      << "a gap in the audit chain";
}

TEST(CocoFaultTest, KilledMidUploadLeavesNothingHalfWritten) {
  TestDatabase database;
  const std::string key = database.name() + "-key.pem";
  const std::map<std::string, std::string> env = {
      {"COCO_SIGNING_KEY", (std::filesystem::temp_directory_path() / key).string()}};
  auto server = std::make_unique<CocoServer>(database, env);
  const std::string admin = server->CreateAdminToken();
  std::string supplier;
  {
    auto client = server->Client();
    supplier = NewSupplier(*client, admin, "Upload Ltd");
  }
  // Half of a 4 MB upload is on its way when the process is killed.
  auto uploader = server->Client();
  const std::string body(4 << 20, 'e');
  ASSERT_TRUE(uploader->SendBytes("POST /suppliers/" + supplier +
                                  "/evidence?filename=big.pdf&kind=policy HTTP/1.1\r\n"
                                  "Host: x\r\nAuthorization: Bearer " +
                                  admin + "\r\nContent-Type: application/pdf\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" +
                                  body.substr(0, body.size() / 2)));
  server->Signal(SIGKILL);
  ASSERT_TRUE(server->WaitForExit(10000).has_value());

  // Then many writers at once, killed at a moment nobody chose.
  server = std::make_unique<CocoServer>(database, env);
  {
    Load load(*server, 4, [&](HttpClient& client, int thread, int sequence) {
      if (thread % 2 == 0) {
        return client.Send("POST", "/suppliers", Bearer(admin),
                           nlohmann::json{{"name", "Kill " + std::to_string(thread) + "-" +
                                                       std::to_string(sequence)},
                                          {"contact_email", "security@example.org"}}
                               .dump());
      }
      return client.Send(
          "POST",
          "/suppliers/" + supplier + "/evidence?filename=f" + std::to_string(sequence) +
              ".pdf&kind=policy",
          {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/pdf"}},
          std::string(256 << 10, static_cast<char>('a' + sequence % 26)));
    });
    ASSERT_TRUE(load.WaitForMore(40, Ok, 30000));
    server->Signal(SIGKILL);
    ASSERT_TRUE(server->WaitForExit(10000).has_value());
    load.Stop();
  }
  server = std::make_unique<CocoServer>(database, env);
  ExpectNoOrphans(database);
  ExpectAuditChainVerifies(*server, admin);
  // Every evidence row the API lists can be downloaded whole.
  auto client = server->Client();
  const auto list =
      client->Send("GET", "/suppliers/" + supplier + "/evidence?limit=200", Bearer(admin));
  ASSERT_EQ(list.status, 200) << list.body;
  const nlohmann::json listed = BodyJson(list);
  for (const auto& item : listed.at("items")) {
    const auto content = client->Send(
        "GET", "/evidence/" + item.at("id").get<std::string>() + "/content", Bearer(admin));
    EXPECT_EQ(content.status, 200);
    EXPECT_EQ(content.body.size(), item.at("size").get<std::size_t>());
  }
  std::filesystem::remove(env.at("COCO_SIGNING_KEY"));
}

TEST(CocoFaultTest, SigtermFinishesRequestsInFlightAndStopsReadinessAtOnce) {
  TestDatabase database;
  CocoServer server(database, {{"COCO_SHUTDOWN_TIMEOUT", "15"}});
  const std::string admin = server.CreateAdminToken();
  auto idle = server.Client();
  ASSERT_EQ(idle->Send("GET", "/healthz").status, 200);  // a keep-alive connection, now idle

  // A create whose body is half-way through arriving.
  const std::string body =
      nlohmann::json{{"name", "In Flight Ltd"}, {"contact_email", "security@example.org"}}.dump();
  auto in_flight = server.Client();
  ASSERT_TRUE(in_flight->SendBytes(
      "POST /suppliers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body.substr(0, 5)));
  ASSERT_TRUE(HoldsOneRequest(server, admin)) << "the half-sent request never reached it";
  server.Signal(SIGTERM);
  ASSERT_TRUE(server.WaitForLog("\"msg\":\"stopping\"", 5000));

  auto probe = server.Client();
  const auto ready = probe->Send("GET", "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(BodyJson(ready).value("code", ""), "stopping");
  EXPECT_EQ(ready.Header("connection"), "close");
  EXPECT_TRUE(idle->ServerClosed(5000)) << "an idle connection was kept while stopping";

  ASSERT_TRUE(in_flight->SendBytes(body.substr(5)));
  const auto created = in_flight->Receive(10000);
  ASSERT_TRUE(created.has_value()) << "the request in flight got no answer";
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->Header("connection"), "close");

  const auto code = server.WaitForExit(10000);
  ASSERT_TRUE(code.has_value()) << "coco did not exit after its last request";
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM suppliers WHERE name = 'In Flight Ltd'"),
            "1");
}

TEST(CocoFaultTest, SigtermCutsOffARequestThatNeverFinishesAtTheDeadline) {
  TestDatabase database;
  CocoServer server(database, {{"COCO_SHUTDOWN_TIMEOUT", "2"}, {"COCO_BODY_TIMEOUT", "60"}});
  const std::string admin = server.CreateAdminToken();
  auto stalled = server.Client();
  ASSERT_TRUE(
      stalled->SendBytes("POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
  ASSERT_TRUE(HoldsOneRequest(server, admin));
  const auto signalled = Clock::now();
  server.Signal(SIGTERM);
  const auto code = server.WaitForExit(15000);
  ASSERT_TRUE(code.has_value()) << "coco did not exit at its shutdown deadline";
  EXPECT_EQ(*code, 0);
  EXPECT_GE(Clock::now() - signalled, std::chrono::seconds(2));
  EXPECT_TRUE(server.WaitForLog("shutdown timeout passed", 1000));
}

TEST(CocoFaultTest, ASlowDatabaseGives503WithRetryAfterAndOthersKeepFlowing) {
  TestDatabase database;
  CocoServer server(database, {{"COCO_STATEMENT_TIMEOUT_MS", "500"}, {"COCO_THREADS", "2"}});
  const std::string admin = server.CreateAdminToken();
  {
    auto client = server.Client();
    NewSupplier(*client, admin, "Locked Ltd");
  }
  // Another session holds the suppliers table: every statement that reads it waits.
  pqxx::connection locker(database.url());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE suppliers IN ACCESS EXCLUSIVE MODE");

  Load health(server, 1,
              [](HttpClient& client, int, int) { return client.Send("GET", "/healthz"); });
  auto client = server.Client();
  for (int i = 0; i < 3; ++i) {
    const auto slow = client->Send("GET", "/suppliers", Bearer(admin));
    EXPECT_EQ(slow.status, 503) << slow.body;
    EXPECT_TRUE(slow.Header("retry-after").has_value());
    EXPECT_EQ(BodyJson(slow).value("code", ""), "database_timeout");
  }
  ASSERT_TRUE(health.WaitForMore(5, Ok, 10000)) << "health checks stopped flowing";
  lock.abort();
  EXPECT_EQ(client->Send("GET", "/suppliers", Bearer(admin)).status, 200);
  health.Stop();
  ExpectOnlySuccessOr503(health.seen());
}

// A SUPPLIER assessment of a new service of `supplier`, every requirement answered, in draft.
std::string ReadyToSubmit(HttpClient& client, const std::string& token,
                          const std::string& supplier) {
  return Story(client, supplier, token)
      .Service(Profile(), {{"name", "race service"}})
      .Assessment("SUPPLIER")
      .AnswerAll({}, NotApplicable("not this service"))
      .id();
}

TEST(TwoNodesFaultTest, RacingTheSameSubmitAndClaimExactlyOneWins) {
  TestDatabase database;
  CocoServer first(database, {});
  CocoServer second(database, {});
  ASSERT_EQ(
      first.RunCli({"catalogue", "import", std::string(COCO_SOURCE_DIR) + "/standards"}).exit_code,
      0);
  const std::string admin = first.CreateAdminToken();
  const std::string assessor =
      first.RunCli({"token", "create", "--role", "assessor", "--name", "a"})
          .out.substr(0, std::string::npos);
  auto setup = first.Client();
  const std::string supplier = NewSupplier(*setup, admin, "Race Ltd");
  const std::string supplier_token =
      first.RunCli({"token", "create", "--role", "supplier", "--name", "s", "--supplier", supplier})
          .out;
  auto trim = [](std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
  };
  const std::string supplier_secret = trim(supplier_token);
  const std::string assessor_secret = trim(assessor);

  constexpr int kRounds = 8;
  std::vector<std::string> assessments;
  for (int i = 0; i < kRounds; ++i) {
    assessments.push_back(ReadyToSubmit(*setup, supplier_secret, supplier));
  }
  // The same action sent to both nodes at once, each from its own thread and connection.
  auto race = [&](const std::string& secret, const std::string& action) {
    for (const auto& id : assessments) {
      std::atomic<int> go{0};
      std::vector<int> statuses(2);
      std::vector<std::thread> racers;
      for (int node = 0; node < 2; ++node) {
        racers.emplace_back([&, node] {
          auto client = (node == 0 ? first : second).Client();
          client->Send("GET", "/healthz");  // connected before the start line
          ++go;
          while (go.load() < 2) std::this_thread::yield();
          statuses[node] =
              client->Send("POST", "/assessments/" + id + "/" + action, Bearer(secret)).status;
        });
      }
      for (auto& racer : racers) racer.join();
      std::multiset<int> outcome(statuses.begin(), statuses.end());
      EXPECT_EQ(outcome.count(200), 1u)
          << action << " " << id << ": " << statuses[0] << " and " << statuses[1];
      EXPECT_EQ(outcome.count(409), 1u) << action << " " << id;
    }
  };
  race(supplier_secret, "submit");
  race(assessor_secret, "claim");
  // One audit event per won action, none for the lost ones.
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_events WHERE action = "
                                "'assessment.submit'"),
            std::to_string(kRounds));
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_events WHERE action = "
                                "'assessment.claim'"),
            std::to_string(kRounds));
}

}  // namespace
}  // namespace coco::test
