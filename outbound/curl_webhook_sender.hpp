#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "domain/webhook/webhook.hpp"
#include "domain/webhook/webhook_ports.hpp"

namespace coco::outbound {

// Webhook deliveries over libcurl (docs/notifications.md "Egress"): every request of a round at
// once through one multi handle, each bounded by `timeout`. The multi handle lives as long as the
// sender, so its connections are kept alive from round to round (one thread calls SendAll). The
// host is resolved once here and every address checked against the egress policy before anything
// connects; the connection is pinned to the checked address (CURLOPT_RESOLVE), so a second lookup
// cannot swap it. Redirects are never followed, and only http and https are spoken.
class CurlWebhookSender final : public domain::WebhookSender {
 public:
  CurlWebhookSender(domain::EgressPolicy policy, std::chrono::milliseconds timeout);
  ~CurlWebhookSender() override;
  CurlWebhookSender(const CurlWebhookSender&) = delete;
  CurlWebhookSender& operator=(const CurlWebhookSender&) = delete;
  std::vector<domain::SendResult> SendAll(
      const std::vector<domain::OutgoingRequest>& requests) override;
  // Ends the transfers in flight within 200 ms (as failures, tried again later) and every later
  // one at once: for a prompt shutdown.
  void Cancel() { cancelled_ = true; }

 private:
  std::atomic<bool> cancelled_{false};
  void* multi_ = nullptr;  // CURLM*, kept for its connection cache
  domain::EgressPolicy policy_;
  std::chrono::milliseconds timeout_;
};

}  // namespace coco::outbound
