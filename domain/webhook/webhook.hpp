#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/uuid.hpp"
#include "domain/status/status_repository.hpp"

// Webhook subscriptions and their deliveries (docs/notifications.md): what a subscriber asked
// for, what may be sent where, when a failed delivery is tried again. Pure rules; the outbox
// they read is the events table (docs/status.md "Events").
namespace coco::domain {

struct WebhookIdTag {
  static constexpr std::string_view kWhat = "webhook id";
};
using WebhookId = Id<WebhookIdTag>;
struct DeliveryIdTag {
  static constexpr std::string_view kWhat = "delivery id";
};
using DeliveryId = Id<DeliveryIdTag>;

struct Webhook {
  WebhookId id;
  UserId owner_id;  // whose reading rights bound what it receives
  std::string url;
  std::vector<std::string> event_types;
  std::optional<SupplierId> supplier_id;  // one supplier's events, or (staff) the portfolio
  std::string description;
  bool enabled = true;
  std::optional<std::string> disabled_reason = {};  // set when coco disabled it
  std::chrono::system_clock::time_point created_at;
  long long version = 1;
  long long cursor = 0;  // the last event id its deliveries were made through (not published)
};

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view ToString(DeliveryState state);
std::optional<DeliveryState> TryParseDeliveryState(std::string_view text);

// One message to one subscriber: an event (or a test ping), tried until it is delivered or dead.
// Its id is the `webhook-id` header, the same on every try.
struct Delivery {
  DeliveryId id;
  WebhookId webhook_id;
  std::optional<long long> event_id;  // absent for a test ping
  std::string event_type;
  std::optional<SupplierId> supplier_id;
  std::string payload;  // the body sent, fixed when the delivery is made
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::chrono::system_clock::time_point next_attempt_at = {};
  std::optional<std::chrono::system_clock::time_point> last_attempt_at = {};
  std::optional<int> last_status = {};  // the receiver's HTTP status
  std::optional<std::string> last_error = {};
  std::chrono::system_clock::time_point created_at = {};
  std::optional<std::chrono::system_clock::time_point> delivered_at = {};
};

// Where deliveries may go (COCO_WEBHOOK_ALLOW_HTTP, COCO_WEBHOOK_ALLOW_HOSTS): https only, and
// never to a loopback, link-local or private address, unless the host is listed.
struct EgressPolicy {
  std::vector<std::string> allow_http_hosts;
  std::vector<std::string> allow_private_hosts;

  bool AllowsHttp(std::string_view host) const;
  bool AllowsPrivate(std::string_view host) const;
};

struct WebhookUrl {
  std::string scheme;  // "https" or "http"
  std::string host;    // lower case; an IPv6 literal without its brackets
  int port = 0;
};

// Parses a subscription's URL: absolute http(s) with a host, no user name or password, no
// fragment, at most 2000 characters; http only for a host `policy` allows it for. Throws
// kInvalidArgument "invalid_url" naming the field "url".
WebhookUrl ParseWebhookUrl(std::string_view text, const EgressPolicy& policy);

// An address a delivery must not reach unless its host is listed: loopback, private (RFC 1918,
// unique local), link-local, carrier-grade NAT, unspecified, multicast, broadcast, and IPv4
// mapped into IPv6 of any of those. `address` is 4 (IPv4) or 16 (IPv6) bytes, network order.
bool IsInternalAddress(const std::vector<std::uint8_t>& address);

// The event types a subscription may ask for: every type of the outbox.
bool IsEventType(std::string_view type);

// Whether `webhook` wants `event`: of a type it asked for, and of its supplier when it names one.
// (Whether the owner may read it is decided once, when the subscription is made: a supplier
// user's subscription always names their supplier.)
bool Wants(const Webhook& webhook, const EventRecord& event);

// The body of an event's delivery, in the Standard Webhooks shape {type, timestamp, data}: data
// is the event as GET /events lists it (EventText).
std::string WebhookPayload(const EventRecord& event);
// The body of a test ping: type "webhook.test".
std::string TestPayload(const WebhookId& webhook, std::chrono::system_clock::time_point at);

// When failed deliveries are tried again (COCO_WEBHOOK_RETRY_*): the first retry after
// `first_delay`, each later one after twice the last, at most `max_delay`; a delivery still
// failing `give_up_after` its creation is dead, and its subscription is disabled.
struct RetryPolicy {
  std::chrono::milliseconds first_delay{std::chrono::seconds(30)};
  std::chrono::milliseconds max_delay{std::chrono::hours(4)};
  std::chrono::milliseconds give_up_after{std::chrono::hours(25)};
};

// After the `attempts`-th failed try (1 for the first), when to try again; nullopt when the
// delivery is dead at `now`.
std::optional<std::chrono::system_clock::time_point> NextAttempt(
    const RetryPolicy& policy, int attempts, std::chrono::system_clock::time_point created_at,
    std::chrono::system_clock::time_point now);

// A receiver's answer counts as delivered when it is 2xx.
inline bool Delivered(int http_status) { return http_status >= 200 && http_status <= 299; }

}  // namespace coco::domain
