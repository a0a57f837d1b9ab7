#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "persistence/pg_status_journal.hpp"

namespace coco::app {

// The status scheduler inside `coco serve` (docs/status.md "The scheduler"): every interval, if
// this node leads (a PostgreSQL advisory lock, so any number of nodes may run one), it journals
// the date-driven status changes that came due, catching up whatever a downtime missed.
class StatusScheduler {
 public:
  StatusScheduler(persistence::PgStatusJournal& journal, std::string database_url,
                  std::chrono::seconds interval, std::shared_ptr<spdlog::logger> logger);
  ~StatusScheduler();  // stops and joins
  StatusScheduler(const StatusScheduler&) = delete;
  StatusScheduler& operator=(const StatusScheduler&) = delete;

  void Start();
  void Stop();

 private:
  void Run();
  void Round();

  persistence::PgStatusJournal& journal_;
  persistence::SchedulerLeadership leadership_;
  std::chrono::seconds interval_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace coco::app
