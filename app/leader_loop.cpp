#include "app/leader_loop.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "api/logging.hpp"

namespace coco::app {
namespace {

constexpr int kBackgroundNice = 10;

}  // namespace

LeaderLoop::LeaderLoop(std::string name, std::string database_url, int role,
                       std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger,
                       Round round, Priority priority)
    : name_(std::move(name)),
      leadership_(std::move(database_url), role),
      interval_(interval),
      logger_(std::move(logger)),
      round_(std::move(round)),
      priority_(priority) {}

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

bool LeaderLoop::Pause(std::chrono::nanoseconds duration) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stop_; });
}

void LeaderLoop::Run() {
  // Work nothing waits on: when the CPU is contended, the API's threads come first. (Linux gives
  // each thread its own nice value; failing to lower it changes nothing else.)
  if (priority_ == Priority::kBelowRequests) {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kBackgroundNice);
  }
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
