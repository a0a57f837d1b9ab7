#include "domain/webhook/webhook.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "domain/common/error.hpp"
#include "domain/events/event.hpp"
#include "domain/webhook/webhook_service.hpp"
#include "security/standard_webhook_signer.hpp"
#include "tests/support/fakes.hpp"

// The webhook rules (domain/webhook) and the Standard Webhooks signer (security/).
namespace coco::test {
namespace {

using std::chrono::milliseconds;

domain::Webhook Hook(std::vector<std::string> types) {
  return domain::Webhook{domain::WebhookId::Parse("33333333-3333-4333-8333-333333333333"),
                         domain::UserId::Parse("55555555-5555-4555-8555-555555555555"),
                         "https://hooks.example/in",
                         std::move(types),
                         std::nullopt,
                         "",
                         true,
                         std::nullopt,
                         {}};
}

std::string UrlError(const std::string& url, const domain::EgressPolicy& policy = {}) {
  try {
    domain::ParseWebhookUrl(url, policy);
    return "accepted";
  } catch (const domain::Error& error) {
    return error.code();
  }
}

TEST(WebhookUrlTest, HttpsWithAHostOnlyAndHttpForListedHosts) {
  const auto url = domain::ParseWebhookUrl("https://Hooks.Example:8443/in?x=1", {});
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "hooks.example");
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(domain::ParseWebhookUrl("https://[::1]/in", {}).host, "::1");
  EXPECT_EQ(domain::ParseWebhookUrl("https://hooks.example", {}).port, 443);
  for (const char* bad :
       {"", "hooks.example/in", "ftp://hooks.example/", "http://hooks.example/",
        "https://user:pw@hooks.example/", "https:///in", "https://hooks.example:0/",
        "https://hooks.example:99999/", "https://hooks.example:8x/", "https://hooks.example/#top",
        "https://hooks.example/a b", "https://hooks.example\\@evil/", "https://[::1/"}) {
    EXPECT_EQ(UrlError(bad), "invalid_url") << bad;
  }
  EXPECT_EQ(UrlError(std::string("https://hooks.example/") + std::string(2000, 'a')),
            "invalid_url");
  const domain::EgressPolicy local{{"127.0.0.1"}, {}};
  EXPECT_EQ(domain::ParseWebhookUrl("http://127.0.0.1:9000/in", local).port, 9000);
  EXPECT_EQ(UrlError("http://127.0.0.2/in", local), "invalid_url");
}

TEST(WebhookEgressTest, InternalAddressesAreKnownAcrossBothFamilies) {
  using Bytes = std::vector<std::uint8_t>;
  for (const Bytes& internal :
       {Bytes{127, 0, 0, 1}, Bytes{10, 1, 2, 3}, Bytes{172, 16, 0, 1}, Bytes{172, 31, 255, 255},
        Bytes{192, 168, 1, 1}, Bytes{169, 254, 169, 254}, Bytes{100, 64, 0, 1}, Bytes{0, 0, 0, 0},
        Bytes{224, 0, 0, 1}, Bytes{255, 255, 255, 255},
        Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},             // ::1
        Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},             // ::
        Bytes{0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},       // fe80::1
        Bytes{0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},          // fd00::1
        Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1},      // ::ffff:10.0.0.1
        Bytes{0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1},  // NAT64
        Bytes{1, 2, 3}}) {
    EXPECT_TRUE(domain::IsInternalAddress(internal)) << internal.size();
  }
  for (const Bytes& external :
       {Bytes{8, 8, 8, 8}, Bytes{172, 32, 0, 1}, Bytes{100, 128, 0, 1}, Bytes{93, 184, 216, 34},
        Bytes{0x20, 0x01, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88},
        Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 8, 8, 4, 4}}) {
    EXPECT_FALSE(domain::IsInternalAddress(external));
  }
  const domain::EgressPolicy policy{{}, {"Receiver.Local"}};
  EXPECT_TRUE(policy.AllowsPrivate("receiver.local"));
  EXPECT_FALSE(policy.AllowsPrivate("other.local"));
}

TEST(WebhookRetryTest, WaitsDoubleUpToTheLongestThenTheDeliveryIsDead) {
  const domain::RetryPolicy policy{milliseconds(1000), milliseconds(5000), milliseconds(60000)};
  const auto created = std::chrono::system_clock::time_point{} + std::chrono::hours(1000);
  auto wait = [&](int attempts, milliseconds since) {
    const auto now = created + since;
    const auto next = domain::NextAttempt(policy, attempts, created, now);
    return next ? std::chrono::duration_cast<milliseconds>(*next - now).count() : -1;
  };
  EXPECT_EQ(wait(1, milliseconds(0)), 1000);
  EXPECT_EQ(wait(2, milliseconds(0)), 2000);
  EXPECT_EQ(wait(3, milliseconds(0)), 4000);
  EXPECT_EQ(wait(4, milliseconds(0)), 5000);
  EXPECT_EQ(wait(40, milliseconds(0)), 5000);
  EXPECT_EQ(wait(5, milliseconds(59999)), 5000);
  EXPECT_EQ(wait(5, milliseconds(60000)), -1);
  // The shipped schedule keeps trying for at least 24 hours.
  const domain::RetryPolicy shipped;
  EXPECT_GE(shipped.give_up_after, std::chrono::hours(24));
}

TEST(WebhookPayloadTest, AnEventIsDeliveredAsTheFeedListsIt) {
  const domain::EventRecord event{
      42,
      "status.changed",
      "11111111-1111-4111-8111-111111111111",
      "service",
      "22222222-2222-4222-8222-222222222222",
      R"({"to":"assured"})",
      std::chrono::system_clock::time_point{} + std::chrono::seconds(1767225600)};
  const auto body = nlohmann::json::parse(domain::WebhookPayload(event));
  EXPECT_EQ(body.at("type"), "status.changed");
  EXPECT_EQ(body.at("timestamp"), "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(body.at("data"), nlohmann::json::parse(domain::EventText(event)));
  EXPECT_EQ(body.at("data").at("id"), "42");
  EXPECT_EQ(body.at("data").at("subject").at("entity"), "service");
  EXPECT_EQ(body.at("data").at("data").at("to"), "assured");

  domain::Webhook webhook = Hook({"status.changed"});
  EXPECT_TRUE(domain::Wants(webhook, event));
  webhook.supplier_id = domain::SupplierId::Parse("44444444-4444-4444-8444-444444444444");
  EXPECT_FALSE(domain::Wants(webhook, event)) << "another supplier's";
  webhook.supplier_id = domain::SupplierId::Parse(event.supplier_id);
  EXPECT_TRUE(domain::Wants(webhook, event));
  webhook.event_types = {"assessment.approved"};
  EXPECT_FALSE(domain::Wants(webhook, event)) << "a type not asked for";
}

TEST(StandardWebhookSignerTest, MatchesTheSpecificationsExample) {
  // The example of the Standard Webhooks specification's reference libraries, checked by hand
  // with Python's hmac module.
  const security::StandardWebhookSigner signer;
  EXPECT_EQ(
      signer.Signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                       "1614265330", R"({"test": 2432232314})"),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  security::StandardWebhookSigner fresh;
  const auto secret = fresh.NewSecret();
  EXPECT_TRUE(secret.starts_with("whsec_"));
  EXPECT_EQ(security::DecodeBase64(secret.substr(6)).size(), 32u);
  EXPECT_NE(secret, fresh.NewSecret());
  EXPECT_THROW(security::DecodeBase64("not base64!"), std::invalid_argument);
  EXPECT_EQ(security::DecodeBase64(security::EncodeBase64("ab")), "ab");
}

// A queue and a sender in memory, to see the dispatcher's decisions.
class FakeQueue final : public domain::WebhookQueue {
 public:
  Backlog backlog;
  std::vector<domain::Delivery> added;
  long long through = 0;
  std::vector<Due> due;
  std::vector<std::pair<std::string, Outcome>> recorded;

  Backlog PendingEvents(int) override { return backlog; }
  void AddDeliveries(const std::vector<domain::Delivery>& deliveries,
                     const std::vector<domain::WebhookId>&, long long last) override {
    added.insert(added.end(), deliveries.begin(), deliveries.end());
    through = last;
  }
  std::vector<Due> DueDeliveries(std::chrono::system_clock::time_point, int) override {
    return due;
  }
  void Record(const std::vector<std::pair<domain::Delivery, Outcome>>& outcomes) override {
    for (const auto& [delivery, outcome] : outcomes) {
      recorded.emplace_back(delivery.id.str(), outcome);
    }
  }
};

class FakeSender final : public domain::WebhookSender {
 public:
  std::vector<domain::SendResult> answers;
  std::vector<domain::OutgoingRequest> sent;
  std::vector<domain::SendResult> SendAll(
      const std::vector<domain::OutgoingRequest>& requests) override {
    sent = requests;
    return answers;
  }
};

TEST(WebhookDispatcherTest, MakesDeliveriesOfWantedEventsAndRecordsEachOutcome) {
  FakeQueue queue;
  FakeSender sender;
  security::StandardWebhookSigner signer;
  SequentialIds ids{1};
  FakeClock clock;
  domain::WebhookDispatcher dispatcher(
      queue, sender, signer, ids, clock,
      domain::RetryPolicy{milliseconds(1000), milliseconds(4000), milliseconds(10000)});
  const std::string a = "11111111-1111-4111-8111-111111111111";
  domain::Webhook webhook = Hook({"status.changed"});
  webhook.cursor = 1;
  queue.backlog.webhooks = {webhook};
  queue.backlog.events = {
      {1, "status.changed", a, "supplier", a, "{}", clock.Now()},  // already made
      {2, "status.changed", a, "supplier", a, "{}", clock.Now()},
      {3, "assessment.approved", a, "assessment", a, "{}", clock.Now()},  // not asked for
      {4, "status.changed", a, "service", a, "{}", clock.Now()}};

  const auto secret = signer.NewSecret();
  auto due = [&](int attempts, std::chrono::seconds age) {
    domain::Delivery delivery{
        domain::DeliveryId(ids.NewId()), webhook.id, 2, "status.changed", std::nullopt,
        R"({"type":"status.changed"})"};
    delivery.attempts = attempts;
    delivery.created_at = clock.Now() - age;
    return domain::WebhookQueue::Due{delivery, "https://hooks.example/in", secret};
  };
  queue.due = {due(0, std::chrono::seconds(0)), due(2, std::chrono::seconds(1)),
               due(5, std::chrono::seconds(30))};
  sender.answers = {{204, ""}, {500, ""}, {std::nullopt, "timed out"}};

  const auto round = dispatcher.RunOnce();
  ASSERT_EQ(queue.added.size(), 2u);
  EXPECT_EQ(queue.added[0].event_id, 2);
  EXPECT_EQ(queue.added[1].event_id, 4);
  EXPECT_EQ(queue.through, 4);
  EXPECT_EQ(round.read, 4);
  EXPECT_EQ(round.queued, 2);

  // Each request carries the Standard Webhooks headers, signed over its own id and timestamp.
  ASSERT_EQ(sender.sent.size(), 3u);
  std::map<std::string, std::string> headers(sender.sent[0].headers.begin(),
                                             sender.sent[0].headers.end());
  EXPECT_EQ(headers.at("webhook-id"), queue.due[0].delivery.id.str());
  EXPECT_EQ(headers.at("webhook-signature"),
            signer.Signature(secret, headers.at("webhook-id"), headers.at("webhook-timestamp"),
                             sender.sent[0].body));

  ASSERT_EQ(queue.recorded.size(), 3u);
  EXPECT_EQ(queue.recorded[0].second.state, domain::DeliveryState::kDelivered);
  const auto& failed = queue.recorded[1].second;
  EXPECT_EQ(failed.state, domain::DeliveryState::kPending);
  EXPECT_EQ(failed.next_attempt_at - clock.Now(), milliseconds(4000)) << "the third wait";
  EXPECT_EQ(failed.error, "the receiver answered 500");
  const auto& dead = queue.recorded[2].second;
  EXPECT_EQ(dead.state, domain::DeliveryState::kDead);
  ASSERT_TRUE(dead.disable_reason.has_value());
  EXPECT_NE(dead.disable_reason->find("timed out"), std::string::npos);
  EXPECT_EQ(round.delivered, 1);
  EXPECT_EQ(round.failed, 1);
  EXPECT_EQ(round.dead, 1);
}

}  // namespace
}  // namespace coco::test
