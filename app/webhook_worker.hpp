#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "app/leader_loop.hpp"
#include "domain/webhook/webhook_service.hpp"

namespace coco::app {

// How delivery yields to the API of the node it runs on (docs/notifications.md "Delivery under
// load"): while the API is busy, rounds are small and each is followed by a pause
// `pause_ratio` times as long as it took, so that delivery takes at most 1 / (1 + pause_ratio) of
// the time it would, and the API keeps the CPU and the database. Idle, delivery runs flat out.
struct DeliveryPacing {
  std::function<bool()> api_busy;  // true while the API has a request for each of its threads
  double pause_ratio = 0;          // 0: never yield
  int busy_events = 10;            // events fanned out by a round while the API is busy
  int busy_sends = 5;              // deliveries sent by a round while the API is busy
};

// Webhook delivery inside `coco serve` (docs/notifications.md "Delivery"): every interval, on the
// node that leads it, it makes the deliveries of new events and sends those due, round after
// round while there is progress.
class WebhookWorker {
 public:
  WebhookWorker(domain::WebhookDispatcher& dispatcher, std::string database_url,
                std::chrono::milliseconds interval, DeliveryPacing pacing,
                std::shared_ptr<spdlog::logger> logger);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }

 private:
  void Rounds(const std::function<bool()>& stopping);

  domain::WebhookDispatcher& dispatcher_;
  DeliveryPacing pacing_;
  std::shared_ptr<spdlog::logger> logger_;
  LeaderLoop loop_;
};

}  // namespace coco::app
