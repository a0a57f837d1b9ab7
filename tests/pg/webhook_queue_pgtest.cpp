// The webhook queue's SQL on PostgreSQL (persistence/pg_webhook_repository.cpp): where a new
// subscription starts in the outbox, that each event becomes one delivery, and which deliveries
// are due: only the oldest pending one of each (webhook, supplier), so one supplier's events
// arrive in order, with a dead one no longer holding the queue and a disabled webhook getting
// nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "persistence/pg_webhook_repository.hpp"
#include "tests/pg/contract_harness.hpp"

namespace coco::test {
namespace {

using domain::DeliveryState;

const domain::SupplierId kA = domain::SupplierId::Parse("00000000-0000-4000-8000-0000000000a1");
const domain::SupplierId kB = domain::SupplierId::Parse("00000000-0000-4000-8000-0000000000b1");
const domain::UserId kOwner = domain::UserId::Parse("00000000-0000-4000-8000-0000000000c1");

class WebhookQueuePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.SeedSupplier(kA);
    harness_.SeedSupplier(kB);
    harness_.SeedUser(kOwner);
  }

  // An event of `supplier` in the outbox; its id.
  long long Event(const domain::SupplierId& supplier) {
    harness_.database.Exec(
        "INSERT INTO events (type, supplier_id, entity, entity_id, data, occurred_at) VALUES"
        " ('status.changed', '" +
        supplier.str() + "', 'supplier', '" + supplier.str() + "', '{}', now())");
    return std::stoll(harness_.database.QueryValue("SELECT max(id) FROM events"));
  }

  domain::Webhook Subscribe() {
    const domain::Webhook webhook{domain::WebhookId(ids_.NewId()),
                                  kOwner,
                                  "https://hooks.example/in",
                                  {"status.changed"},
                                  std::nullopt,
                                  "",
                                  true,
                                  std::nullopt,
                                  harness_.clock.NowMicros()};
    return repo_.Create(
        webhook, "whsec_c2VjcmV0", Admin(),
        domain::AuditEntry{"webhook.create", "webhook", webhook.id.str(), std::nullopt, {}});
  }

  domain::Actor Admin() const {
    return domain::Actor{domain::Principal{kOwner,
                                           "owner",
                                           domain::Role::kAdmin,
                                           std::nullopt,
                                           {},
                                           domain::TokenId::Parse(NthUuid(900)),
                                           harness_.clock.Now() + std::chrono::hours(1)},
                         "pg-test"};
  }

  domain::Delivery Of(const domain::Webhook& webhook, long long event,
                      const domain::SupplierId& supplier) {
    domain::Delivery delivery{
        domain::DeliveryId(ids_.NewId()), webhook.id, event, "status.changed", supplier, "{}"};
    delivery.next_attempt_at = harness_.clock.NowMicros();
    delivery.created_at = harness_.clock.NowMicros();
    return delivery;
  }

  // The event ids of the deliveries due now, in queue order.
  std::vector<long long> DueEvents() {
    std::vector<long long> events;
    for (const auto& due : repo_.DueDeliveries(harness_.clock.NowMicros(), 100)) {
      events.push_back(due.delivery.event_id.value_or(-1));
    }
    return events;
  }

  void Record(const domain::Delivery& delivery, DeliveryState state,
              std::chrono::seconds next = std::chrono::seconds(0),
              std::optional<std::string> disable = std::nullopt) {
    const auto now = harness_.clock.NowMicros();
    repo_.Record(
        {{delivery, domain::WebhookQueue::Outcome{now, 500, "the receiver answered 500", state,
                                                  now + next, std::move(disable)}}});
  }

  PgContractHarness harness_;
  persistence::PgWebhookRepository repo_{*harness_.pool, *harness_.audit};
  SequentialIds ids_{7000};
};

TEST_F(WebhookQueuePgTest, ASubscriptionStartsAfterTheNewestEvent) {
  Event(kA);
  const long long before = Event(kA);
  const auto webhook = Subscribe();
  EXPECT_EQ(webhook.cursor, before);
  EXPECT_TRUE(repo_.PendingEvents(100).events.empty());
  const long long after = Event(kB);
  const auto backlog = repo_.PendingEvents(100);
  ASSERT_EQ(backlog.webhooks.size(), 1u);
  ASSERT_EQ(backlog.events.size(), 1u);
  EXPECT_EQ(backlog.events[0].id, after);

  repo_.AddDeliveries({}, {webhook.id}, after);
  EXPECT_TRUE(repo_.PendingEvents(100).events.empty()) << "the cursor moved past it";
}

TEST_F(WebhookQueuePgTest, EachEventBecomesOneDelivery) {
  const auto webhook = Subscribe();
  const long long event = Event(kA);
  repo_.AddDeliveries({Of(webhook, event, kA)}, {webhook.id}, event);
  repo_.AddDeliveries({Of(webhook, event, kA)}, {webhook.id}, event);
  EXPECT_EQ(repo_.Deliveries(webhook.id, domain::PageRequest{}).items.size(), 1u);
}

TEST_F(WebhookQueuePgTest, OnlyTheOldestPendingDeliveryOfEachSupplierIsDue) {
  const auto webhook = Subscribe();
  const long long a1 = Event(kA), b1 = Event(kB), a2 = Event(kA), b2 = Event(kB);
  const auto d_a1 = Of(webhook, a1, kA), d_b1 = Of(webhook, b1, kB);
  const auto d_a2 = Of(webhook, a2, kA), d_b2 = Of(webhook, b2, kB);
  repo_.AddDeliveries({d_a1, d_b1, d_a2, d_b2}, {webhook.id}, b2);
  EXPECT_EQ(DueEvents(), (std::vector<long long>{a1, b1}));

  Record(d_a1, DeliveryState::kDelivered);
  EXPECT_EQ(DueEvents(), (std::vector<long long>{b1, a2}));
  // A delivery waiting for its next try still holds its supplier's queue.
  Record(d_b1, DeliveryState::kPending, std::chrono::seconds(60));
  EXPECT_EQ(DueEvents(), (std::vector<long long>{a2}));
  // A dead one no longer does.
  Record(d_b1, DeliveryState::kDead);
  EXPECT_EQ(DueEvents(), (std::vector<long long>{a2, b2}));
  const auto log = repo_.Deliveries(webhook.id, domain::PageRequest{}).items;
  ASSERT_EQ(log.size(), 4u);
  const auto dead = std::find_if(log.begin(), log.end(),
                                 [&](const domain::Delivery& item) { return item.id == d_b1.id; });
  ASSERT_NE(dead, log.end());
  EXPECT_EQ(dead->state, DeliveryState::kDead);
  EXPECT_EQ(dead->attempts, 2);
  EXPECT_EQ(dead->last_status, 500);

  // A delivery is retried through its own webhook only.
  const auto other = Subscribe();
  EXPECT_THROW(repo_.Retry(other.id, d_b1.id, harness_.clock.NowMicros()), domain::Error);
  EXPECT_EQ(DueEvents(), (std::vector<long long>{a2, b2}));
  // Retried by hand, the dead one is due again, and ahead of its supplier's later one.
  repo_.Retry(webhook.id, d_b1.id, harness_.clock.NowMicros());
  EXPECT_EQ(DueEvents(), (std::vector<long long>{b1, a2}));
}

TEST_F(WebhookQueuePgTest, ADisabledWebhookGetsNothingUntilEnabled) {
  const auto webhook = Subscribe();
  const auto other = Subscribe();
  const long long e1 = Event(kA), e2 = Event(kA);
  const auto first = Of(webhook, e1, kA);
  repo_.AddDeliveries({first, Of(webhook, e2, kA), Of(other, e1, kA)}, {webhook.id, other.id}, e2);
  Record(first, DeliveryState::kDead, std::chrono::seconds(0), "failed for 25 hours");
  const auto disabled = repo_.Find(webhook.id);
  ASSERT_TRUE(disabled.has_value());
  EXPECT_FALSE(disabled->enabled);
  EXPECT_EQ(disabled->disabled_reason, "failed for 25 hours");
  EXPECT_EQ(DueEvents(), (std::vector<long long>{e1})) << "only the other webhook's";
  const long long e3 = Event(kA);
  const auto backlog = repo_.PendingEvents(100);
  ASSERT_EQ(backlog.webhooks.size(), 1u);
  EXPECT_EQ(backlog.webhooks[0].id, other.id);
  EXPECT_EQ(backlog.events.back().id, e3);

  repo_.Update(webhook.id, std::nullopt, Admin(), [](domain::Webhook& changed) {
    changed.enabled = true;
    changed.disabled_reason.reset();
    return domain::AuditEntry{"webhook.update", "webhook", changed.id.str(), std::nullopt, {}};
  });
  EXPECT_EQ(DueEvents(), (std::vector<long long>{e2, e1}));
  EXPECT_EQ(repo_.PendingEvents(100).webhooks.size(), 2u) << "and it resumes where it stopped";
}

// Receiving is reading: a disabled user's subscriptions get nothing new and send nothing more
// until the account is enabled again.
TEST_F(WebhookQueuePgTest, ADisabledOwnersWebhooksGetNothing) {
  const auto webhook = Subscribe();
  const long long e1 = Event(kA);
  repo_.AddDeliveries({Of(webhook, e1, kA)}, {webhook.id}, e1);
  Event(kA);
  harness_.database.Exec("UPDATE users SET state = 'disabled' WHERE id = '" + kOwner.str() + "'");
  EXPECT_TRUE(DueEvents().empty());
  EXPECT_TRUE(repo_.PendingEvents(100).webhooks.empty());
  harness_.database.Exec("UPDATE users SET state = 'active' WHERE id = '" + kOwner.str() + "'");
  EXPECT_EQ(DueEvents(), (std::vector<long long>{e1}));
  EXPECT_EQ(repo_.PendingEvents(100).webhooks.size(), 1u);
}

}  // namespace
}  // namespace coco::test
