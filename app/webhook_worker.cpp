#include "app/webhook_worker.hpp"

#include "api/logging.hpp"

namespace coco::app {
namespace {

constexpr int kWebhookLeader = 2;  // SchedulerLeadership's role for webhook delivery

}  // namespace

WebhookWorker::WebhookWorker(domain::WebhookDispatcher& dispatcher, std::string database_url,
                             std::chrono::milliseconds interval,
                             std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher),
      logger_(logger),
      loop_("webhook delivery", std::move(database_url), kWebhookLeader, interval,
            std::move(logger), [this](const auto& stopping) { Rounds(stopping); }) {}

void WebhookWorker::Rounds(const std::function<bool()>& stopping) {
  for (;;) {
    const auto round = dispatcher_.RunOnce();
    if (round.dead > 0) {
      api::LogJson(*logger_, spdlog::level::warn,
                   "webhook deliveries failed for good; their webhooks are disabled",
                   {{"dead", round.dead}});
    }
    // Another round at once while there was progress; failures alone wait for the interval.
    if (stopping() || (round.read == 0 && round.delivered == 0)) break;
  }
}

}  // namespace coco::app
