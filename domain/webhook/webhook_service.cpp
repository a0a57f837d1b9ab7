#include "domain/webhook/webhook_service.hpp"

#include <algorithm>
#include <set>

#include "domain/common/date.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {
namespace {

constexpr std::size_t kMaxDescription = 500;
constexpr std::size_t kMaxEventTypes = 50;

AuditEntry EntryFor(const Webhook& webhook, std::string action) {
  AuditEntry audit{std::move(action), "webhook", webhook.id.str(), webhook.supplier_id, {}};
  // The URL and event types are what an investigator needs; the secret never goes in.
  audit.detail.Set("url", webhook.url)
      .Set("event_types", webhook.event_types)
      .Set("enabled", webhook.enabled);
  return audit;
}

void CheckDescription(const std::string& description) {
  if (CharacterCount(description) > kMaxDescription) {
    throw InvalidArgument("description is at most 500 characters", "invalid_body")
        .WithDetail({"description", "invalid_length", "at most 500 characters"});
  }
}

}  // namespace

std::vector<std::string> WebhookService::CheckedTypes(const std::vector<std::string>& types) const {
  std::vector<ErrorDetail> problems;
  if (types.empty() || types.size() > kMaxEventTypes) {
    problems.push_back({"event_types", "invalid_length", "between 1 and 50 event types"});
  }
  for (const auto& type : types) {
    if (!IsEventType(type)) {
      problems.push_back(
          {"event_types", "invalid_enum", "not an event type: " + type.substr(0, 60)});
    }
  }
  if (!problems.empty()) {
    throw InvalidArgument("the event types are not ones coco sends", "invalid_event_types")
        .WithDetails(std::move(problems));
  }
  std::vector<std::string> unique;
  for (const auto& type : types) {
    if (std::find(unique.begin(), unique.end(), type) == unique.end()) unique.push_back(type);
  }
  return unique;
}

CreatedWebhook WebhookService::Create(const Actor& actor, const Parsed<NewWebhook>& request) {
  // The same reading right as the events feed: anyone may subscribe to what they may read.
  Authorize(actor.principal, Permission::kReadStatus);
  const NewWebhook& wanted = request.Value();
  // A supplier user's subscription is to its own supplier; naming another one hears "not
  // found", as for any of that supplier's objects.
  std::optional<SupplierId> supplier = wanted.supplier_id;
  if (!NarrowToOwnSupplier(actor.principal, supplier) ||
      (supplier && !suppliers_.Find(*supplier))) {
    throw NotFound("no such supplier");
  }
  ParseWebhookUrl(wanted.url, policy_);
  CheckDescription(wanted.description);
  Webhook webhook{WebhookId(ids_.NewId()),
                  actor.principal.user_id,
                  wanted.url,
                  CheckedTypes(wanted.event_types),
                  supplier,
                  wanted.description,
                  true,
                  std::nullopt,
                  clock_.NowMicros()};
  const std::string secret = signer_.NewSecret();
  webhook = webhooks_.Create(webhook, secret, actor, EntryFor(webhook, "webhook.create"));
  return CreatedWebhook{webhook, secret};
}

PageResult<Webhook> WebhookService::List(const Actor& actor, const Parsed<PageRequest>& page) {
  Authorize(actor.principal, Permission::kReadStatus);
  const PageRequest& request = page.Value();
  if (IsAllowed(actor.principal, Permission::kAdminister)) {
    return webhooks_.List(std::nullopt, request);
  }
  return webhooks_.List(actor.principal.user_id, request);
}

Webhook WebhookService::Owned(const Actor& actor, const WebhookId& id) {
  Authorize(actor.principal, Permission::kReadStatus);
  auto webhook = webhooks_.Find(id);
  if (!webhook || (webhook->owner_id != actor.principal.user_id &&
                   !IsAllowed(actor.principal, Permission::kAdminister))) {
    throw NotFound("no such webhook");
  }
  return *webhook;
}

Webhook WebhookService::Get(const Actor& actor, const WebhookId& id) { return Owned(actor, id); }

Webhook WebhookService::Patch(const Actor& actor, const WebhookId& id,
                              const Parsed<WebhookPatch>& parsed,
                              std::optional<long long> expected_version) {
  Owned(actor, id);
  const WebhookPatch& patch = parsed.Value();
  if (patch.url) ParseWebhookUrl(*patch.url, policy_);
  std::optional<std::vector<std::string>> types;
  if (patch.event_types) types = CheckedTypes(*patch.event_types);
  if (patch.description) CheckDescription(*patch.description);
  return webhooks_.Update(id, expected_version, actor, [&](Webhook& webhook) {
    if (patch.url) webhook.url = *patch.url;
    if (types) webhook.event_types = *types;
    if (patch.description) webhook.description = *patch.description;
    if (patch.enabled) {
      webhook.enabled = *patch.enabled;
      if (webhook.enabled) webhook.disabled_reason.reset();
    }
    return EntryFor(webhook, "webhook.update");
  });
}

void WebhookService::Delete(const Actor& actor, const WebhookId& id,
                            std::optional<long long> expected_version) {
  const Webhook webhook = Owned(actor, id);
  webhooks_.Delete(id, expected_version, actor, EntryFor(webhook, "webhook.delete"));
}

PageResult<Delivery> WebhookService::Deliveries(const Actor& actor, const WebhookId& id,
                                                const Parsed<PageRequest>& page) {
  Owned(actor, id);
  return webhooks_.Deliveries(id, page.Value());
}

Delivery WebhookService::Retry(const Actor& actor, const WebhookId& id,
                               const DeliveryId& delivery) {
  Owned(actor, id);
  return webhooks_.Retry(id, delivery, clock_.NowMicros());
}

Delivery WebhookService::Test(const Actor& actor, const WebhookId& id) {
  const Webhook webhook = Owned(actor, id);
  const auto now = clock_.NowMicros();
  Delivery ping{DeliveryId(ids_.NewId()), webhook.id,   std::nullopt,
                "webhook.test",           std::nullopt, TestPayload(webhook.id, now)};
  ping.next_attempt_at = now;
  ping.created_at = now;
  return webhooks_.Enqueue(ping);
}

void WebhookDispatcher::FanOut(int limit, Round& round) {
  const auto backlog = queue_.PendingEvents(limit);
  if (backlog.events.empty()) return;
  const auto now = clock_.NowMicros();
  std::vector<Delivery> deliveries;
  std::vector<WebhookId> moved;
  for (const auto& webhook : backlog.webhooks) {
    bool any = false;
    for (const auto& event : backlog.events) {
      if (event.id <= webhook.cursor) continue;
      any = true;
      if (!Wants(webhook, event)) continue;
      Delivery delivery{DeliveryId(ids_.NewId()),
                        webhook.id,
                        event.id,
                        event.type,
                        SupplierId::Parse(event.supplier_id),
                        WebhookPayload(event)};
      delivery.next_attempt_at = now;
      delivery.created_at = now;
      deliveries.push_back(std::move(delivery));
    }
    if (any) moved.push_back(webhook.id);
  }
  queue_.AddDeliveries(deliveries, moved, backlog.events.back().id);
  round.read = static_cast<int>(backlog.events.size());
  round.queued = static_cast<int>(deliveries.size());
}

WebhookDispatcher::Round WebhookDispatcher::RunOnce(int events, int sends) {
  Round round;
  FanOut(events, round);
  const auto due = queue_.DueDeliveries(clock_.NowMicros(), sends);
  if (due.empty()) return round;
  std::vector<OutgoingRequest> requests;
  requests.reserve(due.size());
  for (const auto& item : due) {
    // The timestamp is of this try (receivers refuse stale ones); the id is the delivery's own.
    const std::string timestamp = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());
    const std::string& id = item.delivery.id.str();
    requests.push_back(
        OutgoingRequest{item.url,
                        {{"content-type", "application/json"},
                         {"webhook-id", id},
                         {"webhook-timestamp", timestamp},
                         {"webhook-signature",
                          signer_.Signature(item.secret, id, timestamp, item.delivery.payload)}},
                        item.delivery.payload});
  }
  const auto results = sender_.SendAll(requests);
  const auto now = clock_.NowMicros();
  std::vector<std::pair<Delivery, WebhookQueue::Outcome>> outcomes;
  outcomes.reserve(due.size());
  for (std::size_t i = 0; i < due.size(); ++i) {
    const Delivery& delivery = due[i].delivery;
    const SendResult& result =
        i < results.size() ? results[i] : SendResult{std::nullopt, "not sent"};
    WebhookQueue::Outcome outcome{now, result.status, std::nullopt};
    if (result.status && Delivered(*result.status)) {
      outcome.state = DeliveryState::kDelivered;
      outcome.next_attempt_at = now;
      ++round.delivered;
    } else {
      outcome.error =
          result.status ? "the receiver answered " + std::to_string(*result.status) : result.error;
      const auto next = NextAttempt(policy_, delivery.attempts + 1, delivery.created_at, now);
      if (next) {
        outcome.next_attempt_at = *next;
        ++round.failed;
      } else {
        outcome.state = DeliveryState::kDead;
        outcome.next_attempt_at = now;
        outcome.disable_reason = "delivery " + delivery.id.str() + " failed until " +
                                 FormatTimestamp(now) + ": " + *outcome.error;
        ++round.dead;
      }
    }
    outcomes.emplace_back(delivery, std::move(outcome));
  }
  queue_.Record(outcomes);
  return round;
}

}  // namespace coco::domain
