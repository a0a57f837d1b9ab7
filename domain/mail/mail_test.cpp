#include "domain/mail/mail.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domain/inbox/inbox.hpp"
#include "domain/mail/mail_service.hpp"

namespace coco::domain {
namespace {

const UserId kAnn = UserId::Parse("11111111-1111-4111-8111-111111111111");
const MailId kMail = MailId::Parse("22222222-2222-4222-8222-222222222222");

EventRecord Event(std::string type, std::string entity, std::string entity_id) {
  return EventRecord{42,
                     std::move(type),
                     "33333333-3333-4333-8333-333333333333",
                     std::move(entity),
                     std::move(entity_id),
                     "{}",
                     std::chrono::system_clock::time_point(std::chrono::hours(24 * 20000))};
}

TEST(MailTest, EachRoleReceivesItsOwnKindsAndEachKindItsAudience) {
  const MailKind disabled = MailKind::kWebhookDisabled;
  EXPECT_EQ(MailKindsOf(Role::kSupplier),
            (std::vector<MailKind>{MailKind::kChangesRequested, MailKind::kActionDue, disabled}));
  EXPECT_EQ(MailKindsOf(Role::kRiskOwner),
            (std::vector<MailKind>{MailKind::kExceptionExpiring, disabled}));
  EXPECT_EQ(
      MailKindsOf(Role::kProcurement),
      (std::vector<MailKind>{MailKind::kSupplierLapsing, MailKind::kFollowedSupplier, disabled}));
  EXPECT_EQ(MailKindsOf(Role::kAssessor),
            (std::vector<MailKind>{MailKind::kReviewDigest, disabled}));
  EXPECT_EQ(MailKindsOf(Role::kAdmin), std::vector<MailKind>{disabled});
  // Every kind goes to the role that may choose it, and a supplier's mail to its own users only.
  // A disabled webhook is told to its owner, whatever their role: it has no audience.
  for (const auto& name : MailKindNames()) {
    const MailKind kind = *TryParseMailKind(name);
    EXPECT_EQ(ToString(kind), name);
    if (kind == disabled) continue;
    const MailAudience audience = AudienceOf(kind);
    const auto kinds = MailKindsOf(audience.role);
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << name;
    EXPECT_EQ(audience.own_supplier_only, audience.role == Role::kSupplier) << name;
  }
  EXPECT_FALSE(TryParseMailKind("everything"));
}

TEST(MailTest, TheEventsThatMakeMail) {
  const std::map<std::string, std::optional<MailKind>> cases = {
      {"assessment.changes_requested", MailKind::kChangesRequested},
      {"action.due_soon", MailKind::kActionDue},
      {"action.overdue", MailKind::kActionDue},
      {"exception.expiring", MailKind::kExceptionExpiring},
      {"status.lapsing", MailKind::kSupplierLapsing},
      {"status.changed", MailKind::kFollowedSupplier},
      {"assessment.submitted", std::nullopt},
      {"evidence.lapsing", std::nullopt},
  };
  for (const auto& [type, kind] : cases) EXPECT_EQ(MailKindOf(type), kind) << type;
}

TEST(MailTest, AMailNamesTheSupplierAndLinksToWhereTheReaderActs) {
  const MailRecipient ann{kAnn, "ann@example.org"};
  const Mail changes =
      ComposeEventMail(kMail, Event("assessment.changes_requested", "assessment", "a-1"),
                       MailKind::kChangesRequested, ann, "Acme Ltd", "https://coco.example/");
  EXPECT_EQ(changes.subject, "Changes requested: an assessment of Acme Ltd");
  EXPECT_NE(changes.body.find("\nhttps://coco.example/assessments/a-1\n"), std::string::npos)
      << changes.body;
  EXPECT_EQ(changes.dedupe_key, "event:42:" + kAnn.str());
  EXPECT_EQ(changes.to, "ann@example.org");

  const Mail overdue =
      ComposeEventMail(kMail, Event("action.overdue", "action", "x-9"), MailKind::kActionDue, ann,
                       "Acme Ltd", "https://coco.example");
  EXPECT_EQ(overdue.subject, "Action overdue: Acme Ltd");
  EXPECT_NE(overdue.body.find("https://coco.example/actions/x-9"), std::string::npos);
  const Mail lapsing =
      ComposeEventMail(kMail, Event("status.lapsing", "supplier", "s"), MailKind::kSupplierLapsing,
                       ann, "Acme Ltd", "https://coco.example");
  EXPECT_NE(
      lapsing.body.find("https://coco.example/suppliers/33333333-3333-4333-8333-333333333333"),
      std::string::npos);
}

TEST(MailTest, NoNameCanAddAHeaderAndTheBodyTravelsWithCrLf) {
  Mail mail = ComposeEventMail(kMail, Event("status.changed", "service", "s"),
                               MailKind::kFollowedSupplier, {kAnn, "ann@example.org"},
                               "Evil\r\nBcc: victim@example.org", "https://coco.example");
  const std::string message =
      MailMessage(mail, "coco <coco@example.org>",
                  std::chrono::system_clock::time_point(std::chrono::seconds(1796292000)));
  const std::string headers = message.substr(0, message.find("\r\n\r\n"));
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Subject: Assurance status changed: Evil  Bcc: victim@example.org\r\n"),
            std::string::npos)
      << headers;
  EXPECT_NE(headers.find("Date: Thu, 03 Dec 2026 10:00:00 +0000"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Message-ID: <" + kMail.str() + "@coco>"), std::string::npos);
  const std::string body = message.substr(message.find("\r\n\r\n") + 4);
  for (std::size_t at = body.find('\n'); at != std::string::npos; at = body.find('\n', at + 1)) {
    ASSERT_GT(at, 0u);
    EXPECT_EQ(body[at - 1], '\r') << "a bare LF in the body at " << at;
  }
}

TEST(MailTest, TheDigestListsTheQueueWithNamesAndLinksAndIsNothingWhenItIsEmpty) {
  const MailRecipient ada{kAnn, "ada@example.org"};
  const Date day = Date::Parse("2026-12-04");
  Inbox inbox{
      day,
      {InboxSection{
           InboxKind::kReviewUnclaimed,
           {InboxItem{std::nullopt,
                      std::chrono::system_clock::time_point(Date::Parse("2026-12-01").days()),
                      "s-1", "assessment", "a-1", std::nullopt,
                      "SUPPLIER 1.0 assessment, 12 MUST answered, 0 not met"}},
           true},
       InboxSection{InboxKind::kReviewClaimed, {}, false},
       InboxSection{InboxKind::kWebhookDisabled, {}, false}}};
  const auto digest =
      ComposeDigest(kMail, ada, day, inbox, {{"s-1", "Acme Ltd"}}, "https://coco.example/");
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->subject, "Review queue: 1 or more waiting to be claimed");
  EXPECT_EQ(digest->kind, MailKind::kReviewDigest);
  EXPECT_EQ(digest->dedupe_key, "digest:2026-12-04:" + kAnn.str());
  EXPECT_NE(digest->body.find("- Acme Ltd: SUPPLIER 1.0 assessment, 12 MUST answered, 0 not met, "
                              "submitted 2026-12-01\n  https://coco.example/cases/a-1\n"),
            std::string::npos)
      << digest->body;
  EXPECT_EQ(digest->body.find("Your cases in review"), std::string::npos) << "an empty section";

  inbox.sections[0].items.clear();
  EXPECT_FALSE(ComposeDigest(kMail, ada, day, inbox, {}, "https://coco.example"));
}

TEST(MailTest, ADisabledWebhookIsToldToItsOwnerWithHowToResumeIt) {
  const MailRecipient ann{kAnn, "ann@example.org"};
  const DisabledWebhookNotice notice{"55555555-5555-4555-8555-555555555555",
                                     4,
                                     "https://hooks.example/coco",
                                     "Our SIEM",
                                     "the receiver answered 503",
                                     ann};
  const Mail mail = ComposeWebhookDisabled(kMail, notice, ann, "https://coco.example/");
  EXPECT_EQ(mail.kind, MailKind::kWebhookDisabled);
  EXPECT_EQ(mail.to, "ann@example.org");
  EXPECT_EQ(mail.subject, "Your webhook was disabled: https://hooks.example/coco");
  EXPECT_NE(mail.body.find("Our SIEM (https://hooks.example/coco)"), std::string::npos);
  EXPECT_NE(mail.body.find("The last failure: the receiver answered 503"), std::string::npos);
  EXPECT_NE(mail.body.find("PATCH /webhooks/55555555-5555-4555-8555-555555555555"),
            std::string::npos);
  EXPECT_NE(mail.body.find("https://coco.example/notifications"), std::string::npos)
      << "where to choose one's mail";
  // Told once per disabling: the key names the webhook's version the disabling made.
  EXPECT_EQ(mail.dedupe_key, "webhook-disabled:55555555-5555-4555-8555-555555555555:4");

  // A URL of 2,000 characters (and a description of 500 in two-byte letters) still makes a
  // message whose every line SMTP carries: at most 998 octets.
  DisabledWebhookNotice long_one = notice;
  long_one.url = "https://hooks.example/" + std::string(1978, 'a');
  long_one.description.clear();
  for (int i = 0; i < 500; ++i) long_one.description += "\xc3\xa9";  // é
  const std::string message =
      MailMessage(ComposeWebhookDisabled(kMail, long_one, ann, "https://coco.example"),
                  "coco@example.org", std::chrono::system_clock::time_point{});
  std::size_t start = 0;
  while (start < message.size()) {
    const std::size_t end = message.find("\r\n", start);
    const std::size_t length = (end == std::string::npos ? message.size() : end) - start;
    EXPECT_LE(length, 998u) << message.substr(start, 60);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  EXPECT_NE(message.find("Subject: Your webhook was disabled: https://hooks.example/aaa"),
            std::string::npos);
}

// The dispatcher over fakes: a mail that fails is tried again on the retry schedule, and dead
// once the schedule gives up; one that is sent is not tried again.
class FakeQueue final : public MailQueue {
 public:
  Backlog PendingEvents(int) override { return std::exchange(backlog, {}); }
  std::vector<MailRecipient> Recipients(const MailAudience&, MailKind,
                                        const std::string& supplier) override {
    ++recipient_reads;
    return {{kAnn, supplier + "@example.org"}};
  }
  void AddMails(const std::vector<Mail>& mails, long long) override { added = mails; }
  std::vector<Mail> DueMails(std::chrono::system_clock::time_point, int) override { return due; }
  void Record(const std::vector<std::pair<Mail, Outcome>>& outcomes) override {
    recorded = outcomes;
  }
  std::vector<DigestReader> DigestsDue(Date) override { return {}; }
  void DigestDone(const UserId&, Date, const std::optional<Mail>&) override {}
  std::map<std::string, std::string> SupplierNames(const std::vector<std::string>&) override {
    return {};
  }
  std::vector<DisabledWebhookNotice> DisabledWebhooks(int) override {
    return std::exchange(notices, {});
  }
  void DisabledWebhooksTold(const std::vector<DisabledWebhookNotice>& told,
                            const std::vector<Mail>& mails) override {
    told_notices = told;
    told_mails = mails;
  }
  Backlog backlog;
  std::vector<DisabledWebhookNotice> notices;
  std::vector<DisabledWebhookNotice> told_notices;
  std::vector<Mail> told_mails;
  int recipient_reads = 0;
  std::vector<Mail> added;
  std::vector<Mail> due;
  std::vector<std::pair<Mail, Outcome>> recorded;
};

class FakeSender final : public MailSender {
 public:
  std::optional<std::string> Send(const std::string& to, const std::string&) override {
    if (to == "down@example.org") return "Couldn't connect to server";
    return std::nullopt;
  }
};

class FixedClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return now; }
  std::chrono::system_clock::time_point now{std::chrono::hours(24 * 20000)};
};

class NoIds final : public IdGenerator {
 public:
  Uuid NewId() override { return Uuid::Parse("44444444-4444-4444-8444-444444444444"); }
};

TEST(MailDispatcherTest, AFailedMailIsTriedAgainUntilTheScheduleGivesUp) {
  FakeQueue queue;
  FakeSender sender;
  NoIds ids;
  FixedClock clock;
  const RetryPolicy policy{std::chrono::seconds(60), std::chrono::hours(4), std::chrono::hours(25)};
  MailDispatcher dispatcher(queue, sender, ids, clock, policy, {"coco@example.org", "https://x"});
  Mail sent{kMail, kAnn, "ann@example.org", MailKind::kActionDue, "s", "b", "k1", 0, clock.now};
  Mail failing = sent;
  failing.to = "down@example.org";
  Mail old = failing;
  old.created_at = clock.now - std::chrono::hours(26);
  queue.due = {sent, failing, old};

  const auto round = dispatcher.RunOnce();
  EXPECT_EQ(round.sent, 1);
  EXPECT_EQ(round.failed, 1);
  EXPECT_EQ(round.dead, 1);
  ASSERT_EQ(queue.recorded.size(), 3u);
  EXPECT_TRUE(queue.recorded[0].second.sent);
  EXPECT_FALSE(queue.recorded[1].second.sent);
  EXPECT_FALSE(queue.recorded[1].second.dead);
  EXPECT_EQ(queue.recorded[1].second.next_attempt_at, clock.now + std::chrono::seconds(60));
  EXPECT_EQ(queue.recorded[1].second.error, "Couldn't connect to server");
  EXPECT_TRUE(queue.recorded[2].second.dead);
}

TEST(MailDispatcherTest, WhoGetsAKindIsReadOnceASupplierInARound) {
  FakeQueue queue;
  FakeSender sender;
  NoIds ids;
  FixedClock clock;
  MailDispatcher dispatcher(queue, sender, ids, clock, RetryPolicy{}, {"coco@x", "https://x"});
  for (const char* supplier : {"s-a", "s-a", "s-b", "s-a"}) {
    EventRecord event = Event("status.changed", "service", "v");
    event.supplier_id = supplier;
    queue.backlog.events.push_back(event);
  }
  queue.backlog.events.push_back(Event("assessment.submitted", "assessment", "a"));  // no mail

  const auto round = dispatcher.RunOnce();
  EXPECT_EQ(round.read, 5);
  EXPECT_EQ(round.queued, 4) << "one mail per event and recipient";
  EXPECT_EQ(queue.recipient_reads, 2) << "once for s-a, once for s-b";
  ASSERT_EQ(queue.added.size(), 4u);
  EXPECT_EQ(queue.added[2].to, "s-b@example.org");
}

TEST(MailDispatcherTest, EveryDisabledWebhookIsForgottenOnceToldAndOnlyWantedOnesMailed) {
  FakeQueue queue;
  FakeSender sender;
  NoIds ids;
  FixedClock clock;
  MailDispatcher dispatcher(queue, sender, ids, clock, RetryPolicy{}, {"coco@x", "https://x"});
  const MailRecipient ann{kAnn, "ann@example.org"};
  queue.notices = {{"w-1", 2, "https://a.example", "", "timed out", ann},
                   {"w-2", 3, "https://b.example", "", "refused", std::nullopt}};

  const auto round = dispatcher.RunOnce();
  EXPECT_EQ(round.queued, 1);
  ASSERT_EQ(queue.told_mails.size(), 1u) << "the owner who does not get it is not mailed";
  EXPECT_EQ(queue.told_mails[0].dedupe_key, "webhook-disabled:w-1:2");
  EXPECT_EQ(queue.told_mails[0].created_at, clock.now);
  EXPECT_EQ(queue.told_notices.size(), 2u) << "both are forgotten";
}

}  // namespace
}  // namespace coco::domain
