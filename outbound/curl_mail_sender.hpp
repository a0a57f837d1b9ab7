#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "domain/mail/mail_service.hpp"

namespace coco::outbound {

// Mail through libcurl's SMTP (docs/notifications.md "E-mail"): one connection a message, bounded
// by `timeout`. `smtp_url` is COCO_SMTP_URL: smtp://host:port (STARTTLS when the server offers
// it) or smtps://host:port (TLS from the start), with user:password@ for servers that want a
// login. The envelope sender is the address in `from` (COCO_MAIL_FROM, "coco <coco@example.org>"
// or a bare address).
class CurlMailSender final : public domain::MailSender {
 public:
  CurlMailSender(std::string smtp_url, std::string from, std::chrono::milliseconds timeout);
  std::optional<std::string> Send(const std::string& to, const std::string& message) override;
  // Ends the conversation in flight within about a second (a failure, tried again later) and
  // refuses every later one at once: so a hanging mail server cannot hold up a shutdown.
  void Cancel() { cancelled_ = true; }

 private:
  std::atomic<bool> cancelled_{false};
  std::string smtp_url_;
  std::string envelope_from_;
  std::chrono::milliseconds timeout_;
};

}  // namespace coco::outbound
