#include "domain/webhook/webhook.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/common/date.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/common/names.hpp"
#include "domain/events/event.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<DeliveryState, std::string_view>, 3> kDeliveryStates{{
    {DeliveryState::kPending, "pending"},
    {DeliveryState::kDelivered, "delivered"},
    {DeliveryState::kDead, "dead"},
}};

constexpr std::size_t kMaxUrlLength = 2000;

bool Listed(const std::vector<std::string>& hosts, std::string_view host) {
  const std::string lower = AsciiLower(host);
  return std::any_of(hosts.begin(), hosts.end(),
                     [&](const std::string& listed) { return AsciiLower(listed) == lower; });
}

Error BadUrl(const std::string& why) {
  return InvalidArgument("the webhook url is not allowed: " + why, "invalid_url")
      .WithDetail({"url", "invalid_url", why});
}

bool InRange(const std::vector<std::uint8_t>& address, std::initializer_list<std::uint8_t> prefix,
             int bits) {
  int index = 0;
  for (const std::uint8_t byte : prefix) {
    const int take = std::min(8, bits - index * 8);
    if (take <= 0) break;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((address[static_cast<std::size_t>(index)] & mask) != (byte & mask)) return false;
    ++index;
  }
  return true;
}

bool InternalIpv4(const std::vector<std::uint8_t>& a) {
  return InRange(a, {0}, 8) ||           // "this network", unspecified
         InRange(a, {10}, 8) ||          // private
         InRange(a, {100, 64}, 10) ||    // carrier-grade NAT
         InRange(a, {127}, 8) ||         // loopback
         InRange(a, {169, 254}, 16) ||   // link-local (cloud metadata)
         InRange(a, {172, 16}, 12) ||    // private
         InRange(a, {192, 0, 0}, 24) ||  // IETF protocol assignments
         InRange(a, {192, 168}, 16) ||   // private
         InRange(a, {198, 18}, 15) ||    // benchmarking
         InRange(a, {224}, 4) ||         // multicast
         InRange(a, {240}, 4);           // reserved, broadcast
}

}  // namespace

std::string_view ToString(DeliveryState state) { return NameIn(kDeliveryStates, state); }

std::optional<DeliveryState> TryParseDeliveryState(std::string_view text) {
  return ValueIn<DeliveryState>(kDeliveryStates, text);
}

bool EgressPolicy::AllowsHttp(std::string_view host) const {
  return Listed(allow_http_hosts, host);
}

bool EgressPolicy::AllowsPrivate(std::string_view host) const {
  return Listed(allow_private_hosts, host);
}

WebhookUrl ParseWebhookUrl(std::string_view text, const EgressPolicy& policy) {
  if (text.empty()) throw BadUrl("it is empty");
  if (text.size() > kMaxUrlLength) throw BadUrl("it is longer than 2000 characters");
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '\\') {
      throw BadUrl("it holds a space, a control character or a backslash");
    }
  }
  WebhookUrl url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) throw BadUrl("it is not an absolute http(s) URL");
  url.scheme = AsciiLower(text.substr(0, scheme_end));
  if (url.scheme != "https" && url.scheme != "http") throw BadUrl("only https is allowed");
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) throw BadUrl("it has a fragment");
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) {
    throw BadUrl("it names a user or password");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw BadUrl("its IPv6 address is not closed");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) throw BadUrl("its host is malformed");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) throw BadUrl("it has no host");
  url.host = AsciiLower(host);
  url.port = url.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    int value = 0;
    for (const char c : port) {
      if (c < '0' || c > '9' || value > 65535) throw BadUrl("its port is not a number");
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) throw BadUrl("its port is out of range");
    url.port = value;
  }
  if (url.scheme == "http" && !policy.AllowsHttp(url.host)) {
    throw BadUrl("only https is allowed for " + url.host);
  }
  return url;
}

bool IsInternalAddress(const std::vector<std::uint8_t>& address) {
  if (address.size() == 4) return InternalIpv4(address);
  if (address.size() != 16) return true;  // not an address we know: refuse
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) carry an IPv4 address.
  const bool mapped = InRange(address, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, 96);
  const bool compatible = InRange(address, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 96);
  if (mapped || compatible) {
    return InternalIpv4({address[12], address[13], address[14], address[15]});
  }
  return InRange(address, {0xFC}, 7) ||                     // unique local
         InRange(address, {0xFE, 0x80}, 10) ||              // link-local
         InRange(address, {0xFE, 0xC0}, 10) ||              // site-local (deprecated)
         InRange(address, {0xFF}, 8) ||                     // multicast
         InRange(address, {0x20, 0x01, 0x0D, 0xB8}, 32) ||  // documentation
         InRange(address, {0x00, 0x64, 0xFF, 0x9B}, 96);    // NAT64 of any IPv4: refuse
}

bool IsEventType(std::string_view type) {
  const auto types = EventTypeNames();
  return std::find(types.begin(), types.end(), type) != types.end();
}

bool Wants(const Webhook& webhook, const EventRecord& event) {
  if (webhook.supplier_id && webhook.supplier_id->str() != event.supplier_id) return false;
  return std::find(webhook.event_types.begin(), webhook.event_types.end(), event.type) !=
         webhook.event_types.end();
}

std::string WebhookPayload(const EventRecord& event) {
  JsonObject body;
  body.Set("type", event.type)
      .Set("timestamp", FormatTimestamp(event.occurred_at))
      .SetRaw("data", EventText(event));
  return body.Text();
}

std::string TestPayload(const WebhookId& webhook, std::chrono::system_clock::time_point at) {
  JsonObject data;
  data.Set("webhook_id", webhook.str());
  JsonObject body;
  body.Set("type", "webhook.test").Set("timestamp", FormatTimestamp(at)).Set("data", data);
  return body.Text();
}

std::optional<std::chrono::system_clock::time_point> NextAttempt(
    const RetryPolicy& policy, int attempts, std::chrono::system_clock::time_point created_at,
    std::chrono::system_clock::time_point now) {
  if (now - created_at >= policy.give_up_after) return std::nullopt;
  auto delay = policy.first_delay;
  for (int i = 1; i < attempts && delay < policy.max_delay; ++i) delay *= 2;
  delay = std::min(delay, policy.max_delay);
  return now + delay;
}

}  // namespace coco::domain
