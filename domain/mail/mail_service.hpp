#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/common/ports.hpp"
#include "domain/inbox/inbox_service.hpp"
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

  // An assessor who wants the daily digest (review_digest) and has not had `day`'s yet: active,
  // with an e-mail address; with their conflicts, which hide suppliers from their queue.
  struct DigestReader {
    UserId user_id;
    std::string name;
    std::string email;
    std::vector<SupplierId> conflicts;
  };
  virtual std::vector<DigestReader> DigestsDue(Date day) = 0;
  // Marks `user`'s digest of `day` made and stores its mail, when it had anything to tell, in
  // one transaction; a digest already made is not made again.
  virtual void DigestDone(const UserId& user, Date day, const std::optional<Mail>& mail) = 0;
  // The names of suppliers, by id.
  virtual std::map<std::string, std::string> SupplierNames(const std::vector<std::string>& ids) = 0;

  // Webhooks coco disabled and nobody was told of yet, oldest first; each with its owner when
  // they get the mail.
  virtual std::vector<DisabledWebhookNotice> DisabledWebhooks(int limit) = 0;
  // Stores `mails` and forgets the notices `told`, in one transaction.
  virtual void DisabledWebhooksTold(const std::vector<DisabledWebhookNotice>& told,
                                    const std::vector<Mail>& mails) = 0;
};

// Where mail comes from and where its links go (COCO_MAIL_FROM, COCO_PUBLIC_URL), and the hour
// (UTC) from which the day's digests are made (COCO_MAIL_DIGEST_HOUR).
struct MailSettings {
  std::string from;
  std::string public_url;
  int digest_hour = 7;
};

class MailDispatcher {
 public:
  // `inbox` reads each assessor's queue for their digest; without it no digest is made.
  MailDispatcher(MailQueue& queue, MailSender& sender, IdGenerator& ids, const Clock& clock,
                 RetryPolicy policy, MailSettings settings, InboxService* inbox = nullptr)
      : queue_(queue),
        sender_(sender),
        ids_(ids),
        clock_(clock),
        policy_(policy),
        settings_(std::move(settings)),
        inbox_(inbox) {}

  struct Round {
    int read = 0;     // events read from the outbox
    int queued = 0;   // mails made from them
    int sent = 0;     // accepted by the mail server
    int failed = 0;   // refused or unreachable; tried again later
    int dead = 0;     // failed for good
    int digests = 0;  // assessors' digests made (with or without a mail)
  };
  // `events` bounds the events read, `sends` the mails sent.
  Round RunOnce(int events = 500, int sends = 50);

 private:
  // The day's digests, once the digest hour has come.
  void Digests(Round& round);
  // Tells owners of the webhooks coco disabled.
  void DisabledWebhooks(int limit, Round& round);

  MailQueue& queue_;
  MailSender& sender_;
  IdGenerator& ids_;
  const Clock& clock_;
  RetryPolicy policy_;
  MailSettings settings_;
  InboxService* inbox_;
};

}  // namespace coco::domain
