#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/common/ports.hpp"
#include "domain/mail/mail.hpp"
#include "domain/webhook/webhook.hpp"

// Mail is made from the events outbox and sent by the leader node only, as webhook deliveries
// are (docs/notifications.md "E-mail"): a request never waits for a mail server, and a broken
// one fails no request.
namespace coco::domain {

// Sending (outbound/, libcurl's SMTP). Tests use a real SMTP server.
class MailSender {
 public:
  virtual ~MailSender() = default;
  // Hands `message` (MailMessage) for `to` to the mail server; nullopt once it accepted it, else
  // why it did not (refused, unreachable, timed out).
  virtual std::optional<std::string> Send(const std::string& to, const std::string& message) = 0;
};

// The outbox side, worked on the leader node only.
class MailQueue {
 public:
  virtual ~MailQueue() = default;

  struct Backlog {
    std::vector<EventRecord> events;                    // after the mail cursor, oldest first
    std::map<std::string, std::string> supplier_names;  // of those events' suppliers, by id
  };
  virtual Backlog PendingEvents(int limit) = 0;
  // The users `audience` names for a mail of `kind` about `supplier_id`'s event.
  virtual std::vector<MailRecipient> Recipients(const MailAudience& audience, MailKind kind,
                                                const std::string& supplier_id) = 0;
  // Stores `mails` (one per dedupe key: a mail made twice is stored once) and moves the cursor
  // through event `through`, in one transaction.
  virtual void AddMails(const std::vector<Mail>& mails, long long through) = 0;
  // Mails not yet sent nor dead whose next try is due at `now`, oldest first.
  virtual std::vector<Mail> DueMails(std::chrono::system_clock::time_point now, int limit) = 0;

  struct Outcome {
    std::chrono::system_clock::time_point at;
    bool sent = false;
    bool dead = false;
    std::optional<std::string> error;
    std::chrono::system_clock::time_point next_attempt_at = {};
  };
  // The outcomes of one round, in one transaction.
  virtual void Record(const std::vector<std::pair<Mail, Outcome>>& outcomes) = 0;
};

// Where mail comes from and where its links go (COCO_MAIL_FROM, COCO_PUBLIC_URL).
struct MailSettings {
  std::string from;
  std::string public_url;
};

class MailDispatcher {
 public:
  MailDispatcher(MailQueue& queue, MailSender& sender, IdGenerator& ids, const Clock& clock,
                 RetryPolicy policy, MailSettings settings)
      : queue_(queue),
        sender_(sender),
        ids_(ids),
        clock_(clock),
        policy_(policy),
        settings_(std::move(settings)) {}

  struct Round {
    int read = 0;    // events read from the outbox
    int queued = 0;  // mails made from them
    int sent = 0;    // accepted by the mail server
    int failed = 0;  // refused or unreachable; tried again later
    int dead = 0;    // failed for good
  };
  // `events` bounds the events read, `sends` the mails sent.
  Round RunOnce(int events = 500, int sends = 50);

 private:
  MailQueue& queue_;
  MailSender& sender_;
  IdGenerator& ids_;
  const Clock& clock_;
  RetryPolicy policy_;
  MailSettings settings_;
};

}  // namespace coco::domain
