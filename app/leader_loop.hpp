#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "persistence/pg_status_journal.hpp"

namespace coco::app {

// Work that one node of many does at a time, inside `coco serve`: every interval, if this node
// leads `role` (a PostgreSQL advisory lock, so any number of nodes may run one, and another
// takes over when the leader goes away), `round` runs, on a thread of its own so the API never
// waits for it. `round` is handed a `stopping()` to check between batches. An exception from it
// is logged and the next interval tries again.
class LeaderLoop {
 public:
  using Round = std::function<void(const std::function<bool()>& stopping)>;
  // kBelowRequests: the loop's thread runs at a lower CPU priority (nice 10) than the API's, for
  // work nothing waits on (delivery, mail). Not for work that holds locks requests wait for.
  enum class Priority { kNormal, kBelowRequests };

  LeaderLoop(std::string name, std::string database_url, int role,
             std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger,
             Round round, Priority priority = Priority::kNormal);
  ~LeaderLoop();  // stops and joins
  LeaderLoop(const LeaderLoop&) = delete;
  LeaderLoop& operator=(const LeaderLoop&) = delete;

  // Starts the thread, unless the interval is zero (this node never does the work).
  void Start();
  void Stop();
  // For `round`, between batches: waits `duration`, or less if the loop is stopped; false then.
  bool Pause(std::chrono::nanoseconds duration);

 private:
  void Run();

  std::string name_;
  persistence::SchedulerLeadership leadership_;
  std::chrono::milliseconds interval_;
  std::shared_ptr<spdlog::logger> logger_;
  Round round_;
  Priority priority_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace coco::app
