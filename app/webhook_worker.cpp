#include "app/webhook_worker.hpp"

#include <algorithm>

#include "api/logging.hpp"

namespace coco::app {
namespace {

constexpr int kWebhookLeader = 2;  // SchedulerLeadership's role for webhook delivery
// A round that waited on a slow receiver (up to COCO_WEBHOOK_TIMEOUT_MS) must not hold every
// other subscriber's deliveries back for 19 times as long: the pause is at most this.
constexpr std::chrono::seconds kLongestBusyPause{1};

}  // namespace

WebhookWorker::WebhookWorker(domain::WebhookDispatcher& dispatcher, std::string database_url,
                             std::chrono::milliseconds interval, DeliveryPacing pacing,
                             std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher),
      pacing_(std::move(pacing)),
      logger_(logger),
      loop_(
          "webhook delivery", std::move(database_url), kWebhookLeader, interval, std::move(logger),
          [this](const auto& stopping) { Rounds(stopping); },
          LeaderLoop::Priority::kBelowRequests) {}

void WebhookWorker::Rounds(const std::function<bool()>& stopping) {
  const auto busy = [this] { return pacing_.pause_ratio > 0 && pacing_.api_busy(); };
  bool yielding = busy();
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const auto round = yielding ? dispatcher_.RunOnce(pacing_.busy_events, pacing_.busy_sends)
                                : dispatcher_.RunOnce();
    const auto took = std::chrono::steady_clock::now() - started;
    if (round.dead > 0) {
      api::LogJson(*logger_, spdlog::level::warn,
                   "webhook deliveries failed for good; their webhooks are disabled",
                   {{"dead", round.dead}});
    }
    // Another round at once while there was progress; failures alone wait for the interval.
    if (stopping() || (round.read == 0 && round.delivered == 0)) break;
    yielding = busy();
    if (yielding) {
      const auto pause = std::min<std::chrono::nanoseconds>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(took * pacing_.pause_ratio),
          kLongestBusyPause);
      if (!loop_.Pause(pause)) break;
    }
  }
}

}  // namespace coco::app
