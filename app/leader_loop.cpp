#include "app/leader_loop.hpp"

#include "api/logging.hpp"

namespace coco::app {

LeaderLoop::LeaderLoop(std::string name, std::string database_url, int role,
                       std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger,
                       Round round)
    : name_(std::move(name)),
      leadership_(std::move(database_url), role),
      interval_(interval),
      logger_(std::move(logger)),
      round_(std::move(round)) {}

LeaderLoop::~LeaderLoop() { Stop(); }

void LeaderLoop::Start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void LeaderLoop::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LeaderLoop::Run() {
  const auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stop_;
  };
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    try {
      if (leadership_.Lead()) round_(stopping);
    } catch (const std::exception& error) {
      // Nothing is lost: the work stays due until it is done and recorded.
      api::LogJson(*logger_, spdlog::level::warn, name_ + " round failed",
                   {{"error", error.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace coco::app
