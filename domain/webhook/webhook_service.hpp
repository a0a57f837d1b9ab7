#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/supplier/supplier_repository.hpp"
#include "domain/webhook/webhook_ports.hpp"
#include "domain/webhook/webhook_repository.hpp"

namespace coco::domain {

struct NewWebhook {
  std::string url;
  std::vector<std::string> event_types;
  std::optional<SupplierId> supplier_id;
  std::string description;
};

struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  std::optional<bool> enabled;
};

struct CreatedWebhook {
  Webhook webhook;
  std::string secret;  // shown once
};

// Webhook subscriptions (docs/notifications.md). Anyone who may read the status feed subscribes:
// staff to the portfolio or one supplier, a supplier user to their own supplier only, so a
// subscription never receives what its owner could not read through GET /events. Each user sees
// and changes their own subscriptions; admins see and change everyone's.
class WebhookService {
 public:
  WebhookService(WebhookRepository& webhooks, SupplierRepository& suppliers, WebhookSigner& signer,
                 IdGenerator& ids, const Clock& clock, EgressPolicy policy)
      : webhooks_(webhooks),
        suppliers_(suppliers),
        signer_(signer),
        ids_(ids),
        clock_(clock),
        policy_(std::move(policy)) {}

  // 422 "invalid_url", "invalid_event_types"; 404 for a supplier that does not exist or (for a
  // supplier user) is not theirs.
  CreatedWebhook Create(const Actor& actor, const Parsed<NewWebhook>& request);
  PageResult<Webhook> List(const Actor& actor, const Parsed<PageRequest>& page);
  Webhook Get(const Actor& actor, const WebhookId& id);
  // Re-enabling resumes from where it stopped: nothing it missed while disabled is lost.
  Webhook Patch(const Actor& actor, const WebhookId& id, const Parsed<WebhookPatch>& patch,
                std::optional<long long> expected_version);
  void Delete(const Actor& actor, const WebhookId& id, std::optional<long long> expected_version);

  PageResult<Delivery> Deliveries(const Actor& actor, const WebhookId& id,
                                  const Parsed<PageRequest>& page);
  Delivery Retry(const Actor& actor, const WebhookId& id, const DeliveryId& delivery);
  // Queues a "webhook.test" ping behind the webhook's other deliveries.
  Delivery Test(const Actor& actor, const WebhookId& id);

 private:
  // The webhook if `actor` owns it or administers; 404 otherwise, as if it did not exist.
  Webhook Owned(const Actor& actor, const WebhookId& id);
  std::vector<std::string> CheckedTypes(const std::vector<std::string>& types) const;

  WebhookRepository& webhooks_;
  SupplierRepository& suppliers_;
  WebhookSigner& signer_;
  IdGenerator& ids_;
  const Clock& clock_;
  EgressPolicy policy_;
};

// One round of delivery, on the leader node: makes the deliveries of new events, then sends
// what is due, all at once, and records each outcome by the retry policy.
class WebhookDispatcher {
 public:
  WebhookDispatcher(WebhookQueue& queue, WebhookSender& sender, WebhookSigner& signer,
                    IdGenerator& ids, const Clock& clock, RetryPolicy policy)
      : queue_(queue),
        sender_(sender),
        signer_(signer),
        ids_(ids),
        clock_(clock),
        policy_(policy) {}

  struct Round {
    int read = 0;       // new events read from the outbox
    int queued = 0;     // deliveries made from them
    int delivered = 0;  // sent and answered 2xx
    int failed = 0;     // sent and failed; tried again later
    int dead = 0;       // failed for good; their webhooks disabled
  };
  // `events` bounds the events read, `sends` the deliveries sent.
  Round RunOnce(int events = 500, int sends = 100);

 private:
  // Reads up to `limit` new events into `round` and makes their deliveries.
  void FanOut(int limit, Round& round);

  WebhookQueue& queue_;
  WebhookSender& sender_;
  WebhookSigner& signer_;
  IdGenerator& ids_;
  const Clock& clock_;
  RetryPolicy policy_;
};

}  // namespace coco::domain
