#include "domain/mail/mail_service.hpp"

#include <map>
#include <utility>

#include "domain/audit/audit.hpp"

namespace coco::domain {

void MailDispatcher::Digests(Round& round) {
  const auto now = clock_.Now();
  const Date today = Date::Of(now);
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(
      now - std::chrono::system_clock::time_point(today.days()));
  if (hour.count() < settings_.digest_hour) return;
  for (const MailQueue::DigestReader& reader : queue_.DigestsDue(today)) {
    // The queue as the assessor would read it: their conflicts hide what they may not claim.
    Actor actor = SystemActor("mail-digest");
    actor.principal.user_id = reader.user_id;
    actor.principal.user_name = reader.name;
    actor.principal.role = Role::kAssessor;
    actor.principal.conflicts = reader.conflicts;
    const Inbox inbox = inbox_->For(actor);
    std::vector<std::string> suppliers;
    for (const auto& section : inbox.sections) {
      for (const auto& item : section.items) {
        if (item.supplier_id) suppliers.push_back(*item.supplier_id);
      }
    }
    std::optional<Mail> mail =
        ComposeDigest(MailId(ids_.NewId()), MailRecipient{reader.user_id, reader.email}, today,
                      inbox, queue_.SupplierNames(suppliers), settings_.public_url);
    if (mail) mail->created_at = clock_.NowMicros();
    queue_.DigestDone(reader.user_id, today, mail);
    ++round.digests;
  }
}

void MailDispatcher::DisabledWebhooks(int limit, Round& round) {
  const auto notices = queue_.DisabledWebhooks(limit);
  if (notices.empty()) return;
  std::vector<Mail> mails;
  for (const DisabledWebhookNotice& notice : notices) {
    if (!notice.owner) continue;
    Mail mail =
        ComposeWebhookDisabled(MailId(ids_.NewId()), notice, *notice.owner, settings_.public_url);
    mail.created_at = clock_.NowMicros();
    mails.push_back(std::move(mail));
  }
  round.queued += static_cast<int>(mails.size());
  queue_.DisabledWebhooksTold(notices, mails);
}

MailDispatcher::Round MailDispatcher::RunOnce(int events, int sends) {
  Round round;
  const MailQueue::Backlog backlog = queue_.PendingEvents(events);
  if (!backlog.events.empty()) {
    std::vector<Mail> mails;
    // Who gets a kind about a supplier is read once a round: a burst (a catalogue-wide change)
    // is many events of few kinds and suppliers.
    std::map<std::pair<MailKind, std::string>, std::vector<MailRecipient>> audiences;
    for (const EventRecord& event : backlog.events) {
      const auto kind = MailKindOf(event.type);
      if (!kind) continue;
      const auto name = backlog.supplier_names.find(event.supplier_id);
      const std::string supplier =
          name == backlog.supplier_names.end() ? "a supplier" : name->second;
      auto [audience, unread] = audiences.try_emplace({*kind, event.supplier_id});
      if (unread) {
        audience->second = queue_.Recipients(AudienceOf(*kind), *kind, event.supplier_id);
      }
      for (const MailRecipient& to : audience->second) {
        Mail mail = ComposeEventMail(MailId(ids_.NewId()), event, *kind, to, supplier,
                                     settings_.public_url);
        mail.created_at = clock_.NowMicros();
        mails.push_back(std::move(mail));
      }
    }
    round.read = static_cast<int>(backlog.events.size());
    round.queued = static_cast<int>(mails.size());
    queue_.AddMails(mails, backlog.events.back().id);
  }

  DisabledWebhooks(events, round);
  if (inbox_ != nullptr) Digests(round);

  const auto due = queue_.DueMails(clock_.NowMicros(), sends);
  if (due.empty()) return round;
  std::vector<std::pair<Mail, MailQueue::Outcome>> outcomes;
  outcomes.reserve(due.size());
  for (const Mail& mail : due) {
    const auto error = sender_.Send(mail.to, MailMessage(mail, settings_.from, clock_.Now()));
    const auto now = clock_.NowMicros();
    MailQueue::Outcome outcome{now, !error, false, error, now};
    if (error) {
      const auto next = NextAttempt(policy_, mail.attempts + 1, mail.created_at, now);
      if (next) {
        outcome.next_attempt_at = *next;
        ++round.failed;
      } else {
        outcome.dead = true;
        ++round.dead;
      }
    } else {
      ++round.sent;
    }
    outcomes.emplace_back(mail, std::move(outcome));
  }
  queue_.Record(outcomes);
  return round;
}

}  // namespace coco::domain
