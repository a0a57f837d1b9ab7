#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>

#include "app/leader_loop.hpp"
#include "persistence/pg_status_journal.hpp"

namespace coco::app {

// The status scheduler inside `coco serve` (docs/status.md "The scheduler"): every interval, on
// the node that leads it, it journals the date-driven status changes that came due, catching up
// whatever a downtime missed.
class StatusScheduler {
 public:
  StatusScheduler(persistence::PgStatusJournal& journal, std::string database_url,
                  std::chrono::seconds interval, std::shared_ptr<spdlog::logger> logger);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }

 private:
  void Round(const std::function<bool()>& stopping);

  persistence::PgStatusJournal& journal_;
  std::shared_ptr<spdlog::logger> logger_;
  LeaderLoop loop_;
};

}  // namespace coco::app
