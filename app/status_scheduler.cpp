#include "app/status_scheduler.hpp"

#include "api/logging.hpp"

namespace coco::app {

StatusScheduler::StatusScheduler(persistence::PgStatusJournal& journal, std::string database_url,
                                 std::chrono::seconds interval,
                                 std::shared_ptr<spdlog::logger> logger)
    : journal_(journal),
      leadership_(std::move(database_url)),
      interval_(interval),
      logger_(std::move(logger)) {}

StatusScheduler::~StatusScheduler() { Stop(); }

void StatusScheduler::Start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void StatusScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatusScheduler::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    Round();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

void StatusScheduler::Round() {
  constexpr std::size_t kBatch = 500;
  try {
    if (!leadership_.Lead()) return;
    std::size_t total = 0;
    for (;;) {
      const std::size_t done = journal_.CatchUp(kBatch);
      total += done;
      std::lock_guard lock(mutex_);
      if (done < kBatch || stop_) break;
    }
    if (total > 0) {
      api::LogJson(*logger_, spdlog::level::info, "status scheduler journalled suppliers",
                   {{"suppliers", total}});
    }
  } catch (const std::exception& error) {
    // The next round tries again; nothing is lost, since a supplier stays due until journalled.
    api::LogJson(*logger_, spdlog::level::warn, "status scheduler round failed",
                 {{"error", error.what()}});
  }
}

}  // namespace coco::app
