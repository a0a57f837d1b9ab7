#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>

#include "app/leader_loop.hpp"
#include "domain/webhook/webhook_service.hpp"

namespace coco::app {

// Webhook delivery inside `coco serve` (docs/notifications.md "Delivery"): every interval, on the
// node that leads it, it makes the deliveries of new events and sends those due, round after
// round while there is progress.
class WebhookWorker {
 public:
  WebhookWorker(domain::WebhookDispatcher& dispatcher, std::string database_url,
                std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }

 private:
  void Rounds(const std::function<bool()>& stopping);

  domain::WebhookDispatcher& dispatcher_;
  std::shared_ptr<spdlog::logger> logger_;
  LeaderLoop loop_;
};

}  // namespace coco::app
