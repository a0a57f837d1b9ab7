#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

// Webhooks end to end: a real coco delivers to a receiver (tests/support/webhook_receiver.py)
// that checks every signature with its own implementation of the Standard Webhooks scheme.
namespace coco::test {
namespace {

using nlohmann::json;

json Body(const HttpResponse& response) { return json::parse(response.body); }

// The receiver process, on a free loopback port; stopped with the test.
class Receiver {
 public:
  Receiver() {
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("coco-receiver-" + std::to_string(::getpid()) + "-" + std::to_string(++instances_));
    std::filesystem::create_directories(dir);
    port_file_ = (dir / "port").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string script =
          std::string(COCO_SOURCE_DIR) + "/tests/support/webhook_receiver.py";
      ::execlp("python3", "python3", script.c_str(), port_file_.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::ifstream in(port_file_);
      if (!(in >> port_)) {
        port_ = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    if (port_ == 0) throw std::runtime_error("the webhook receiver did not start");
    client_ = std::make_unique<HttpClient>(port_);
  }
  ~Receiver() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string Url(const std::string& hook) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/" + hook;
  }
  void Set(const std::string& hook, const json& settings) {
    const auto response = client_->Send("PUT", "/control/" + hook,
                                        {{"Content-Type", "application/json"}}, settings.dump());
    if (response.status != 204) throw std::runtime_error("receiver control failed");
  }
  json Received(const std::string& hook) {
    return Body(client_->Send("GET", "/received/" + hook, {}, ""));
  }
  int InFlight(const std::string& hook) {
    return Body(client_->Send("GET", "/in-flight/" + hook, {}, "")).at("in_flight").get<int>();
  }

 private:
  static inline int instances_ = 0;
  std::string port_file_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::unique_ptr<HttpClient> client_;
};

// Polls `done` every 100 ms, at most `seconds`: what a delivery needs is bounded by count, and
// the bound only ends a test that would otherwise wait for ever.
bool Eventually(const std::function<bool()>& done, int seconds = 30) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// Retries quickly and gives up after 15 s, so a test sees a delivery die.
std::map<std::string, std::string> FastRetries() {
  return {{"COCO_WEBHOOK_ALLOW_HTTP", "127.0.0.1"}, {"COCO_WEBHOOK_ALLOW_HOSTS", "127.0.0.1"},
          {"COCO_WEBHOOK_INTERVAL_MS", "100"},      {"COCO_WEBHOOK_TIMEOUT_MS", "2000"},
          {"COCO_WEBHOOK_RETRY_FIRST_MS", "100"},   {"COCO_WEBHOOK_RETRY_MAX_MS", "400"},
          {"COCO_WEBHOOK_GIVE_UP_MS", "15000"}};
}

class WebhooksHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World(FastRetries());
    receiver_ = new Receiver();
  }
  static void TearDownTestSuite() {
    delete receiver_;
    delete world_;
  }

  HttpResponse As(const std::string& who, const std::string& method, const std::string& target,
                  const json& body = nullptr) {
    auto headers = body.is_null() ? world_->As(who) : world_->JsonAs(who);
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  // A subscription of `who` to every event type (of `supplier` when given) at the receiver's
  // `hook`, whose secret the receiver is then told.
  json Subscribe(const std::string& who, const std::string& hook,
                 const std::string& supplier = "") {
    json body = {{"url", receiver_->Url(hook)},
                 {"event_types",
                  {"status.changed", "assessment.submitted", "assessment.resubmitted",
                   "assessment.changes_requested", "assessment.approved", "assessment.rejected",
                   "assessment.suspended", "assessment.lifted"}},
                 {"description", "test " + hook}};
    if (!supplier.empty()) body["supplier_id"] = supplier;
    const auto created = As(who, "POST", "/webhooks", body);
    EXPECT_EQ(created.status, 201) << created.body;
    const json webhook = Body(created);
    receiver_->Set(hook, {{"secret", webhook.at("secret")}, {"mode", "ok"}});
    return webhook;
  }

  // Events of the supplier's story: a service, then an assessment submitted (its events:
  // status.changed for the service, assessment.submitted).
  std::string Submit(const std::string& persona) {
    return Story(*world_, *client_)
        .Supplier(persona)
        .Service()
        .Assessment("SUPPLIER")
        .AnswerAll()
        .Submit()
        .id();
  }

  // Every event GET /events lists after `after`, oldest first.
  std::vector<json> Events(long long after) {
    std::vector<json> events;
    for (;;) {
      const auto page =
          Body(As("admin", "GET", "/events?after=" + std::to_string(after) + "&limit=200"));
      if (page.at("items").empty()) return events;
      for (const auto& event : page.at("items")) events.push_back(event);
      after = std::stoll(events.back().at("id").get<std::string>());
    }
  }

  // The ids of `supplier`'s events after `after` of the types Subscribe asks for.
  std::vector<std::string> EventIds(const std::string& supplier, long long after) {
    std::vector<std::string> ids;
    for (const auto& event : Events(after)) {
      const std::string type = event.at("type");
      if (event.at("supplier_id") == supplier &&
          (type == "status.changed" || type.starts_with("assessment."))) {
        ids.push_back(event.at("id"));
      }
    }
    return ids;
  }

  long long LastEventId() {
    const auto events = Events(0);
    return events.empty() ? 0 : std::stoll(events.back().at("id").get<std::string>());
  }

  // The distinct deliveries a hook received (by webhook-id), in arrival order.
  static std::vector<json> Distinct(const json& received) {
    std::vector<json> distinct;
    std::set<std::string> seen;
    for (const auto& delivery : received) {
      if (seen.insert(delivery.at("webhook_id").get<std::string>()).second) {
        distinct.push_back(delivery);
      }
    }
    return distinct;
  }

  static World* world_;
  static Receiver* receiver_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* WebhooksHttpTest::world_ = nullptr;
Receiver* WebhooksHttpTest::receiver_ = nullptr;

TEST_F(WebhooksHttpTest, ASubscriptionIsCheckedAndItsSecretShownOnce) {
  auto refused = [&](const json& body, const std::string& who = "procurement") {
    const auto response = As(who, "POST", "/webhooks", body);
    return std::make_pair(response.status, Body(response).value("code", ""));
  };
  const json types = {"status.changed"};
  EXPECT_EQ(refused({{"url", "ftp://hooks.example/x"}, {"event_types", types}}),
            std::make_pair(422, std::string("invalid_url")));
  EXPECT_EQ(refused({{"url", "http://hooks.example/x"}, {"event_types", types}}),
            std::make_pair(422, std::string("invalid_url")))
      << "plain http only for listed hosts";
  EXPECT_EQ(refused({{"url", "https://user:pw@hooks.example/x"}, {"event_types", types}}),
            std::make_pair(422, std::string("invalid_url")));
  EXPECT_EQ(refused({{"url", "https://hooks.example/x"}, {"event_types", {"status.exploded"}}}),
            std::make_pair(422, std::string("invalid_event_types")));
  EXPECT_EQ(refused({{"url", "https://hooks.example/x"}, {"event_types", json::array()}}),
            std::make_pair(422, std::string("invalid_event_types")));
  EXPECT_EQ(refused({{"url", "https://hooks.example/x"}, {"event_types", types}, {"extra", 1}}),
            std::make_pair(422, std::string("invalid_body")));
  // A supplier user subscribes to its own supplier only; another's is not found.
  EXPECT_EQ(refused({{"url", "https://hooks.example/x"},
                     {"event_types", types},
                     {"supplier_id", world_->supplier_b()}},
                    "supplier_a")
                .first,
            404);
  EXPECT_EQ(Body(As("procurement", "GET", "/webhooks")).at("items").size(), 0u)
      << "nothing refused was stored";

  const auto created = As("supplier_a", "POST", "/webhooks",
                          {{"url", "https://hooks.example/alpha"}, {"event_types", types}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json webhook = Body(created);
  EXPECT_TRUE(webhook.at("secret").get<std::string>().starts_with("whsec_"));
  EXPECT_EQ(webhook.at("supplier_id"), world_->supplier_a()) << "a supplier's own, implied";
  const auto read = As("supplier_a", "GET", "/webhooks/" + webhook.at("id").get<std::string>());
  ASSERT_EQ(read.status, 200);
  EXPECT_FALSE(Body(read).contains("secret"));
  EXPECT_EQ(read.body.find(webhook.at("secret").get<std::string>()), std::string::npos);

  const std::string path = "/webhooks/" + webhook.at("id").get<std::string>();
  const auto patched = As("supplier_a", "PATCH", path, {{"enabled", false}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched).at("enabled"), false);
  EXPECT_EQ(As("supplier_a", "PATCH", path, {{"url", "gopher://x"}}).status, 422);
  EXPECT_EQ(As("supplier_b", "DELETE", path).status, 404);
  EXPECT_EQ(As("supplier_a", "DELETE", path).status, 204);
  EXPECT_EQ(As("supplier_a", "GET", path).status, 404);
}

TEST_F(WebhooksHttpTest, DeliveriesArriveSignedOncePerEventInOrderAndOnlyToTheirSupplier) {
  const long long before = LastEventId();
  Subscribe("procurement", "portfolio");
  Subscribe("supplier_a", "alpha");
  Subscribe("supplier_b", "bravo");
  Submit("supplier_a");
  Submit("supplier_b");
  Submit("supplier_a");
  const auto alpha_events = EventIds(world_->supplier_a(), before);
  const auto bravo_events = EventIds(world_->supplier_b(), before);
  ASSERT_GE(alpha_events.size(), 4u);
  ASSERT_GE(bravo_events.size(), 2u);

  auto ids_of = [](const std::vector<json>& deliveries, const std::string& supplier) {
    std::vector<std::string> ids;
    for (const auto& delivery : deliveries) {
      const auto& data = delivery.at("payload").at("data");
      if (supplier.empty() || data.at("supplier_id") == supplier) {
        ids.push_back(data.at("id"));
      }
    }
    return ids;
  };
  ASSERT_TRUE(Eventually([&] {
    return Distinct(receiver_->Received("alpha")).size() >= alpha_events.size() &&
           Distinct(receiver_->Received("bravo")).size() >= bravo_events.size() &&
           Distinct(receiver_->Received("portfolio")).size() >=
               alpha_events.size() + bravo_events.size();
  })) << "not everything arrived";

  for (const std::string hook : {"alpha", "bravo", "portfolio"}) {
    for (const auto& delivery : receiver_->Received(hook)) {
      EXPECT_TRUE(delivery.at("valid").get<bool>()) << hook << ": " << delivery.dump();
      EXPECT_EQ(delivery.at("payload").at("type"), delivery.at("payload").at("data").at("type"));
    }
  }
  // Exactly the supplier's events, each once, in the order they happened.
  const auto alpha = Distinct(receiver_->Received("alpha"));
  EXPECT_EQ(ids_of(alpha, ""), alpha_events) << "supplier A's subscription";
  EXPECT_EQ(ids_of(Distinct(receiver_->Received("bravo")), ""), bravo_events)
      << "supplier B's subscription saw only B's events";
  const auto portfolio = Distinct(receiver_->Received("portfolio"));
  EXPECT_EQ(ids_of(portfolio, world_->supplier_a()), alpha_events);
  EXPECT_EQ(ids_of(portfolio, world_->supplier_b()), bravo_events);
  EXPECT_EQ(portfolio.size(), alpha_events.size() + bravo_events.size());
}

// Delivery yields to a busy API (docs/notifications.md "Delivery under load") but never stops:
// with requests always in flight, every event still arrives, once and in order.
TEST_F(WebhooksHttpTest, DeliveryGoesOnWhileTheApiIsNeverIdle) {
  const long long before = LastEventId();
  Subscribe("supplier_a", "busy");
  std::atomic<bool> done{false};
  std::atomic<long long> answered{0};
  std::vector<std::thread> callers;
  // More callers than the server has threads (COCO_THREADS: the cores), so it counts as busy.
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      auto client = world_->Client();
      const auto headers = world_->As("procurement");
      // Bounded by count as well as by the test: at most 60 s of back-to-back reads.
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!done && std::chrono::steady_clock::now() < until) {
        if (client->Send("GET", "/me", headers, "").status == 200) ++answered;
      }
    });
  }
  Submit("supplier_a");
  Submit("supplier_a");
  const auto events = EventIds(world_->supplier_a(), before);
  ASSERT_GE(events.size(), 4u);
  const bool arrived =
      Eventually([&] { return Distinct(receiver_->Received("busy")).size() >= events.size(); }, 50);
  const long long answered_meanwhile = answered;
  done = true;
  for (auto& caller : callers) caller.join();
  ASSERT_TRUE(arrived) << "deliveries stopped while the API was busy";
  EXPECT_GT(answered_meanwhile, 20) << "the API was not kept busy";
  std::vector<std::string> ids;
  for (const auto& delivery : Distinct(receiver_->Received("busy"))) {
    EXPECT_TRUE(delivery.at("valid").get<bool>()) << delivery.dump();
    ids.push_back(delivery.at("payload").at("data").at("id"));
  }
  EXPECT_EQ(ids, events);
}

TEST_F(WebhooksHttpTest, AReceiverThatIsDownGetsEverythingOnceWhenItComesBack) {
  const long long before = LastEventId();
  const json webhook = Subscribe("risk_owner", "flaky", world_->supplier_a());
  receiver_->Set("flaky", {{"mode", "fail"}});
  Submit("supplier_a");
  Submit("supplier_a");
  const auto events = EventIds(world_->supplier_a(), before);
  ASSERT_GE(events.size(), 4u);
  // Tried and refused, more than once: the first delivery is retried, the rest wait behind it.
  ASSERT_TRUE(Eventually([&] { return receiver_->Received("flaky").size() >= 3; }));
  EXPECT_EQ(Distinct(receiver_->Received("flaky")).size(), 1u)
      << "while the first delivery fails, the supplier's later events wait behind it";
  const std::string path = "/webhooks/" + webhook.at("id").get<std::string>();
  const auto log = Body(As("risk_owner", "GET", path + "/deliveries?limit=200"));
  bool retried = false;
  for (const auto& delivery : log.at("items")) {
    if (delivery.at("attempts").get<int>() >= 1 && delivery.at("last_status") == 500) {
      retried = delivery.at("state") == "pending";
    }
  }
  EXPECT_TRUE(retried) << log.dump();

  receiver_->Set("flaky", {{"mode", "ok"}});
  ASSERT_TRUE(
      Eventually([&] { return Distinct(receiver_->Received("flaky")).size() >= events.size(); }));
  std::vector<std::string> arrived;
  for (const auto& delivery : Distinct(receiver_->Received("flaky"))) {
    EXPECT_TRUE(delivery.at("valid").get<bool>());
    arrived.push_back(delivery.at("payload").at("data").at("id"));
  }
  EXPECT_EQ(arrived, events) << "every event once, in order, after de-duplication";
  const auto after = Body(As("risk_owner", "GET", path + "/deliveries?limit=200"));
  for (const auto& delivery : after.at("items")) EXPECT_EQ(delivery.at("state"), "delivered");
}

TEST_F(WebhooksHttpTest, ADeliveryFailingUntilItsDeadlineDisablesItsWebhookUntilEnabled) {
  const json webhook = Subscribe("admin", "doomed", world_->supplier_b());
  receiver_->Set("doomed", {{"mode", "fail"}});
  const std::string path = "/webhooks/" + webhook.at("id").get<std::string>();
  const auto ping = As("admin", "POST", path + "/test");
  ASSERT_EQ(ping.status, 202) << ping.body;
  EXPECT_EQ(Body(ping).at("event_type"), "webhook.test");
  ASSERT_TRUE(Eventually([&] { return Body(As("admin", "GET", path)).at("enabled") == false; }));
  const auto disabled = Body(As("admin", "GET", path));
  EXPECT_NE(disabled.at("disabled_reason").get<std::string>().find("500"), std::string::npos);
  const auto log = Body(As("admin", "GET", path + "/deliveries"));
  ASSERT_EQ(log.at("items").size(), 1u);
  EXPECT_EQ(log.at("items")[0].at("state"), "dead");
  EXPECT_GE(log.at("items")[0].at("attempts").get<int>(), 3);

  // Enabled again and retried by hand, the ping arrives.
  receiver_->Set("doomed", {{"mode", "ok"}});
  ASSERT_EQ(As("admin", "PATCH", path, {{"enabled", true}}).status, 200);
  const std::string delivery = log.at("items")[0].at("id");
  const auto retry = As("admin", "POST", path + "/deliveries/" + delivery + "/retry");
  ASSERT_EQ(retry.status, 200) << retry.body;
  ASSERT_TRUE(Eventually([&] {
    const auto items = Body(As("admin", "GET", path + "/deliveries")).at("items");
    return items.size() == 1 && items[0].at("state") == "delivered";
  }));
  const auto received = receiver_->Received("doomed");
  EXPECT_TRUE(received.back().at("valid").get<bool>());
  EXPECT_EQ(received.back().at("payload").at("type"), "webhook.test");
}

// Without COCO_WEBHOOK_ALLOW_HOSTS, loopback is refused before anything connects; a receiver
// that hangs holds up neither the API nor another subscriber's deliveries for long.
class WebhookEgressHttpTest : public ::testing::Test {};

TEST_F(WebhookEgressHttpTest, LoopbackIsRefusedUnlessListed) {
  World world({{"COCO_WEBHOOK_ALLOW_HTTP", "127.0.0.1"}, {"COCO_WEBHOOK_INTERVAL_MS", "100"}});
  Receiver receiver;
  auto client = world.Client();
  const auto created = client->Send(
      "POST", "/webhooks", world.JsonAs("admin"),
      json{{"url", receiver.Url("private")}, {"event_types", {"status.changed"}}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  receiver.Set("private", {{"secret", Body(created).at("secret")}});
  const std::string path = "/webhooks/" + Body(created).at("id").get<std::string>();
  ASSERT_EQ(client->Send("POST", path + "/test", world.As("admin"), "").status, 202);
  ASSERT_TRUE(Eventually([&] {
    const auto items =
        Body(client->Send("GET", path + "/deliveries", world.As("admin"), "")).at("items");
    return !items.empty() && items[0].at("attempts").get<int>() >= 1;
  }));
  const auto items =
      Body(client->Send("GET", path + "/deliveries", world.As("admin"), "")).at("items");
  EXPECT_EQ(items[0].at("state"), "pending");
  EXPECT_NE(items[0].at("last_error").get<std::string>().find("internal address"),
            std::string::npos)
      << items.dump();
  EXPECT_TRUE(receiver.Received("private").empty()) << "nothing reached the receiver";
}

TEST_F(WebhookEgressHttpTest, AHangingReceiverDoesNotHoldUpRequests) {
  auto env = FastRetries();
  env["COCO_WEBHOOK_TIMEOUT_MS"] = "20000";
  World world(env);
  Receiver receiver;
  auto client = world.Client();
  const auto created = client->Send(
      "POST", "/webhooks", world.JsonAs("admin"),
      json{{"url", receiver.Url("stuck")}, {"event_types", {"status.changed"}}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  receiver.Set("stuck", {{"secret", Body(created).at("secret")}, {"mode", "hang"}});
  const std::string path = "/webhooks/" + Body(created).at("id").get<std::string>();
  ASSERT_EQ(client->Send("POST", path + "/test", world.As("admin"), "").status, 202);
  ASSERT_TRUE(Eventually([&] { return receiver.InFlight("stuck") == 1; }));
  // While the delivery hangs (30 s, inside coco's 20 s timeout), the API answers reads and
  // writes; the receiver still holds the delivery when they are done.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(client->Send("GET", "/me", world.As("procurement"), "").status, 200);
  }
  const auto service = Story(world, *client).Supplier("supplier_a").Service().service_id();
  EXPECT_FALSE(service.empty());
  EXPECT_EQ(receiver.InFlight("stuck"), 1) << "the requests did not wait for the delivery";
}

}  // namespace
}  // namespace coco::test
