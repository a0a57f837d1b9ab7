#include "app/status_scheduler.hpp"

#include "api/logging.hpp"

namespace coco::app {
namespace {

constexpr int kSchedulerLeader = 1;  // SchedulerLeadership's role for the status scheduler

}  // namespace

StatusScheduler::StatusScheduler(persistence::PgStatusJournal& journal, std::string database_url,
                                 std::chrono::seconds interval,
                                 std::shared_ptr<spdlog::logger> logger)
    : journal_(journal),
      logger_(logger),
      loop_("status scheduler", std::move(database_url), kSchedulerLeader, interval,
            std::move(logger), [this](const auto& stopping) { Round(stopping); }) {}

void StatusScheduler::Round(const std::function<bool()>& stopping) {
  // Nothing is lost when a round fails: a supplier stays due until journalled.
  constexpr std::size_t kBatch = 500;
  std::size_t total = 0;
  for (;;) {
    const std::size_t done = journal_.CatchUp(kBatch);
    total += done;
    if (done < kBatch || stopping()) break;
  }
  if (total > 0) {
    api::LogJson(*logger_, spdlog::level::info, "status scheduler journalled suppliers",
                 {{"suppliers", total}});
  }
}

}  // namespace coco::app
