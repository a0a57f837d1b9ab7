#include "domain/mail/mail_service.hpp"

namespace coco::domain {

MailDispatcher::Round MailDispatcher::RunOnce(int events, int sends) {
  Round round;
  const MailQueue::Backlog backlog = queue_.PendingEvents(events);
  if (!backlog.events.empty()) {
    std::vector<Mail> mails;
    for (const EventRecord& event : backlog.events) {
      const auto kind = MailKindOf(event.type);
      if (!kind) continue;
      const auto name = backlog.supplier_names.find(event.supplier_id);
      const std::string supplier =
          name == backlog.supplier_names.end() ? "a supplier" : name->second;
      for (const MailRecipient& to :
           queue_.Recipients(AudienceOf(*kind), *kind, event.supplier_id)) {
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
