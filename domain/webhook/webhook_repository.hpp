#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/webhook/webhook.hpp"

namespace coco::domain {

// Subscriptions and their delivery log, as the API reads and writes them.
class WebhookRepository {
 public:
  virtual ~WebhookRepository() = default;

  // Stores `webhook` with its signing secret and appends `audit`, in one transaction. Its cursor
  // starts at the newest event: a subscription receives what happens after it was made.
  virtual Webhook Create(const Webhook& webhook, const std::string& secret, const Actor& actor,
                         const AuditEntry& audit) = 0;
  virtual std::optional<Webhook> Find(const WebhookId& id) = 0;
  // Oldest first; only `owner`'s when given.
  virtual PageResult<Webhook> List(const std::optional<UserId>& owner, const PageRequest& page) = 0;
  // Applies `change` to the stored webhook under its row lock and appends the audit entry it
  // returns; 412 "precondition_failed" when `expected_version` is stale.
  virtual Webhook Update(const WebhookId& id, std::optional<long long> expected_version,
                         const Actor& actor, const std::function<AuditEntry(Webhook&)>& change) = 0;
  // Removes the webhook and its delivery log.
  virtual void Delete(const WebhookId& id, std::optional<long long> expected_version,
                      const Actor& actor, const AuditEntry& audit) = 0;

  // Newest first.
  virtual PageResult<Delivery> Deliveries(const WebhookId& webhook, const PageRequest& page) = 0;
  // Makes a delivery of `webhook` due at `now` again (pending, its attempts kept); a delivered
  // one too, for a receiver that lost it. NotFound for no such delivery of that webhook.
  virtual Delivery Retry(const WebhookId& webhook, const DeliveryId& id,
                         std::chrono::system_clock::time_point now) = 0;
  // Queues a new delivery (a test ping) behind the webhook's others.
  virtual Delivery Enqueue(const Delivery& delivery) = 0;
};

// The outbox side, worked by the dispatcher on the leader node only.
class WebhookQueue {
 public:
  virtual ~WebhookQueue() = default;

  struct Backlog {
    std::vector<Webhook> webhooks;    // every enabled subscription, with its cursor
    std::vector<EventRecord> events;  // up to `limit` events after the lowest of their cursors
  };
  virtual Backlog PendingEvents(int limit) = 0;
  // Stores the deliveries made from a backlog and moves each webhook's cursor through
  // `through`, in one transaction; a delivery of an event already queued is not made twice.
  virtual void AddDeliveries(const std::vector<Delivery>& deliveries,
                             const std::vector<WebhookId>& webhooks, long long through) = 0;

  struct Due {
    Delivery delivery;
    std::string url;
    std::string secret;
  };
  // Deliveries due at `now` of enabled webhooks: of each webhook and supplier only the oldest
  // not yet delivered or dead, so one supplier's events arrive in order.
  virtual std::vector<Due> DueDeliveries(std::chrono::system_clock::time_point now, int limit) = 0;

  struct Outcome {
    std::chrono::system_clock::time_point at;
    std::optional<int> status;
    std::optional<std::string> error;
    DeliveryState state = DeliveryState::kPending;
    std::chrono::system_clock::time_point next_attempt_at = {};
    // Set when the delivery died: the webhook is disabled with this reason.
    std::optional<std::string> disable_reason = {};
  };
  // The outcomes of one round, in one transaction.
  virtual void Record(const std::vector<std::pair<Delivery, Outcome>>& outcomes) = 0;
};

}  // namespace coco::domain
