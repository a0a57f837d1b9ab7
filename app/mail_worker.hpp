#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>

#include "app/leader_loop.hpp"
#include "domain/mail/mail_service.hpp"

namespace coco::app {

// E-mail inside `coco serve` (docs/notifications.md "E-mail"): every interval, on the node that
// leads it, it makes the mail of new events and sends what is due, round after round while there
// is progress.
class MailWorker {
 public:
  MailWorker(domain::MailDispatcher& dispatcher, std::string database_url,
             std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }

 private:
  void Rounds(const std::function<bool()>& stopping);

  domain::MailDispatcher& dispatcher_;
  std::shared_ptr<spdlog::logger> logger_;
  LeaderLoop loop_;
};

}  // namespace coco::app
