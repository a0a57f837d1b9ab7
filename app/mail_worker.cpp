#include "app/mail_worker.hpp"

#include "api/logging.hpp"

namespace coco::app {
namespace {

constexpr int kMailLeader = 3;  // SchedulerLeadership's role for e-mail

}  // namespace

MailWorker::MailWorker(domain::MailDispatcher& dispatcher, std::string database_url,
                       std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher),
      logger_(logger),
      loop_(
          "e-mail", std::move(database_url), kMailLeader, interval, std::move(logger),
          [this](const auto& stopping) { Rounds(stopping); },
          LeaderLoop::Priority::kBelowRequests) {}

void MailWorker::Rounds(const std::function<bool()>& stopping) {
  for (;;) {
    const auto round = dispatcher_.RunOnce();
    if (round.failed > 0 || round.dead > 0) {
      api::LogJson(*logger_, spdlog::level::warn, "the mail server did not take every mail",
                   {{"failed", round.failed}, {"dead", round.dead}});
    }
    if (stopping() || (round.read == 0 && round.sent == 0)) break;
  }
}

}  // namespace coco::app
