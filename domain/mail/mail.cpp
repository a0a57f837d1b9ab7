#include "domain/mail/mail.hpp"

#include <array>
#include <cstdio>
#include <utility>

#include "domain/common/date.hpp"
#include "domain/common/json_text.hpp"
#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<MailKind, std::string_view>, 7> kMailKinds = {{
    {MailKind::kChangesRequested, "changes_requested"},
    {MailKind::kActionDue, "action_due"},
    {MailKind::kExceptionExpiring, "exception_expiring"},
    {MailKind::kSupplierLapsing, "supplier_lapsing"},
    {MailKind::kFollowedSupplier, "followed_supplier"},
    {MailKind::kReviewDigest, "review_digest"},
    {MailKind::kWebhookDisabled, "webhook_disabled"},
}};

// The base of every link: COCO_PUBLIC_URL without its trailing slashes.
std::string LinkBase(std::string_view public_url) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// Where the reader chooses their mail: Your e-mail in the web front end (or notifications.email
// on their user, through the API).
std::string Footer(std::string_view public_url) {
  return "\n-- \ncoco sends this because of your notification settings. Choose which e-mails "
         "you get: " +
         LinkBase(public_url) + "/notifications\n";
}

// RFC 5322 allows 998 octets a line: a body line is broken before 990 (a character's last bytes
// may follow), and a header keeps room for its name.
constexpr std::size_t kLongestLine = 990;
constexpr std::size_t kLongestHeaderValue = 900;

// A header value on one line: control characters (CR and LF above all) become spaces, and a
// value too long for a line (a long webhook URL in a subject) is cut at a character's start.
std::string HeaderValue(std::string_view text) {
  std::string value;
  value.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    value.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  value.resize(CharacterBoundary(value, kLongestHeaderValue));
  return value;
}

// The body with CRLF line ends, as SMTP wants them; a line longer than SMTP carries is broken,
// between characters.
std::string CrLf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  std::size_t line = 0;
  for (const char c : text) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
      line = 0;
      continue;
    }
    if (line >= kLongestLine && !ContinuesCharacter(c)) {
      out += "\r\n";
      line = 0;
    }
    out.push_back(c);
    ++line;
  }
  return out;
}

// "Thu, 03 Dec 2026 10:15:00 +0000" (RFC 5322).
std::string MailDate(std::chrono::system_clock::time_point at) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::seconds>(at - day));
  const std::chrono::weekday weekday(day);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[weekday.c_encoding()].data(), static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1].data(),
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return text;
}

struct Words {
  std::string subject;
  std::string lead;
  std::string path;
};

Words WordsOf(const EventRecord& event, MailKind kind, std::string_view supplier) {
  const std::string name(supplier);
  switch (kind) {
    case MailKind::kChangesRequested:
      return {"Changes requested: an assessment of " + name,
              "An assessor has asked " + name +
                  " to change an assessment and submit it again. Their questions are beside "
                  "each answer to change.",
              "/assessments/" + event.entity_id};
    case MailKind::kActionDue: {
      const bool overdue = event.type == "action.overdue";
      return {std::string(overdue ? "Action overdue: " : "Action due soon: ") + name,
              "An action " + name + " agreed to keep its assurance " +
                  (overdue ? "is overdue. Until it is done, the approval it is a condition of "
                             "no longer counts."
                           : "falls due soon. Complete it before its due date to stay assured."),
              "/actions/" + event.entity_id};
    }
    case MailKind::kExceptionExpiring:
      return {"Risk exception expiring: " + name,
              "A risk exception accepted for " + name +
                  " expires soon. When it ends, the requirement it covers counts as not met "
                  "again.",
              "/exceptions"};
    case MailKind::kSupplierLapsing:
      return {name + " will stop being assured",
              name +
                  " will stop being assured soon unless something changes: evidence lapses, an "
                  "approval ends, an action falls due or an exception expires.",
              "/suppliers/" + event.supplier_id};
    case MailKind::kFollowedSupplier:
      return {"Assurance status changed: " + name,
              "The assurance status of " + name + ", a supplier you follow, has changed.",
              "/suppliers/" + event.supplier_id};
    case MailKind::kReviewDigest:     // made from the inbox (ComposeDigest)
    case MailKind::kWebhookDisabled:  // made from the webhook (ComposeWebhookDisabled)
      break;
  }
  return {};
}

}  // namespace

std::string_view ToString(MailKind kind) { return NameIn(kMailKinds, kind); }

std::optional<MailKind> TryParseMailKind(std::string_view text) {
  return ValueIn<MailKind>(kMailKinds, text);
}

std::vector<std::string> MailKindNames() { return NamesIn(kMailKinds); }

std::vector<std::string> NamesOf(const std::vector<MailKind>& kinds) {
  std::vector<std::string> names;
  names.reserve(kinds.size());
  for (const MailKind kind : kinds) names.emplace_back(ToString(kind));
  return names;
}

std::vector<MailKind> MailKindsOf(Role role) {
  // Anyone may subscribe to webhooks, so anyone may hear that coco disabled one.
  switch (role) {
    case Role::kSupplier:
      return {MailKind::kChangesRequested, MailKind::kActionDue, MailKind::kWebhookDisabled};
    case Role::kRiskOwner:
      return {MailKind::kExceptionExpiring, MailKind::kWebhookDisabled};
    case Role::kProcurement:
      return {MailKind::kSupplierLapsing, MailKind::kFollowedSupplier, MailKind::kWebhookDisabled};
    case Role::kAssessor:
      return {MailKind::kReviewDigest, MailKind::kWebhookDisabled};
    case Role::kAdmin:
      return {MailKind::kWebhookDisabled};
  }
  return {};
}

std::optional<MailKind> MailKindOf(std::string_view event_type) {
  if (event_type == "assessment.changes_requested") return MailKind::kChangesRequested;
  if (event_type == "action.due_soon" || event_type == "action.overdue") {
    return MailKind::kActionDue;
  }
  if (event_type == "exception.expiring") return MailKind::kExceptionExpiring;
  if (event_type == "status.lapsing") return MailKind::kSupplierLapsing;
  if (event_type == "status.changed") return MailKind::kFollowedSupplier;
  return std::nullopt;
}

MailAudience AudienceOf(MailKind kind) {
  switch (kind) {
    case MailKind::kChangesRequested:
    case MailKind::kActionDue:
      return {Role::kSupplier, true, false};
    case MailKind::kExceptionExpiring:
      return {Role::kRiskOwner, false, false};
    case MailKind::kSupplierLapsing:
      return {Role::kProcurement, false, false};
    case MailKind::kFollowedSupplier:
      return {Role::kProcurement, false, true};
    case MailKind::kReviewDigest:
      return {Role::kAssessor, false, false};
    case MailKind::kWebhookDisabled:
      break;  // the webhook's owner, whatever their role (DisabledWebhookNotice)
  }
  return {};
}

Mail ComposeEventMail(MailId id, const EventRecord& event, MailKind kind, const MailRecipient& to,
                      std::string_view supplier_name, std::string_view public_url) {
  const Words words = WordsOf(event, kind, supplier_name);
  Mail mail{std::move(id), to.user_id, to.email, kind, words.subject, {}, {}};
  mail.body = words.lead + "\n\nOpen it in coco:\n" + LinkBase(public_url) + words.path + "\n" +
              Footer(public_url);
  mail.dedupe_key = "event:" + std::to_string(event.id) + ":" + to.user_id.str();
  return mail;
}

std::optional<Mail> ComposeDigest(MailId id, const MailRecipient& to, Date day, const Inbox& inbox,
                                  const std::map<std::string, std::string>& supplier_names,
                                  std::string_view public_url) {
  const std::string base = LinkBase(public_url);
  std::string body;
  std::vector<std::string> counts;
  for (const InboxSection& section : inbox.sections) {
    if (section.kind != InboxKind::kReviewUnclaimed && section.kind != InboxKind::kReviewClaimed) {
      continue;
    }
    if (section.items.empty()) continue;
    const bool unclaimed = section.kind == InboxKind::kReviewUnclaimed;
    const std::string count =
        std::to_string(section.items.size()) + (section.more ? " or more" : "");
    counts.push_back(count + (unclaimed ? " waiting to be claimed" : " in review with you"));
    body += std::string(unclaimed ? "Waiting to be claimed" : "Your cases in review") + " (" +
            count + "):\n";
    for (const InboxItem& item : section.items) {
      const auto name =
          item.supplier_id ? supplier_names.find(*item.supplier_id) : supplier_names.end();
      body += "- " + (name == supplier_names.end() ? std::string("A supplier") : name->second) +
              ": " + item.summary;
      if (item.since) body += ", submitted " + Date::Of(*item.since).ToString();
      body += "\n  " + base + "/cases/" + item.entity_id + "\n";
    }
    body += "\n";
  }
  if (counts.empty()) return std::nullopt;
  std::string subject = "Review queue: ";
  for (std::size_t i = 0; i < counts.size(); ++i) subject += (i ? ", " : "") + counts[i];
  Mail mail{std::move(id), to.user_id, to.email, MailKind::kReviewDigest, subject, {}, {}};
  mail.body = "The review queue on " + day.ToString() + ".\n\n" + body +
              "The whole queue: " + base + "/review-queue\n" + Footer(public_url);
  mail.dedupe_key = "digest:" + day.ToString() + ":" + to.user_id.str();
  return mail;
}

Mail ComposeWebhookDisabled(MailId id, const DisabledWebhookNotice& notice, const MailRecipient& to,
                            std::string_view public_url) {
  const std::string name =
      notice.description.empty() ? notice.url : notice.description + " (" + notice.url + ")";
  Mail mail{std::move(id),
            to.user_id,
            to.email,
            MailKind::kWebhookDisabled,
            "Your webhook was disabled: " + notice.url,
            {},
            {}};
  mail.body = "coco disabled your webhook " + name +
              ": its deliveries kept failing until coco gave up on them.\n\nThe last failure: " +
              notice.reason +
              "\n\nNothing it missed is lost. Once the receiver works again, enable the "
              "webhook (PATCH /webhooks/" +
              notice.webhook_id +
              " with {\"enabled\": true}) and its deliveries resume where they stopped; a dead "
              "delivery can be sent again with POST /webhooks/" +
              notice.webhook_id + "/deliveries/{id}/retry.\n" + Footer(public_url);
  mail.dedupe_key = "webhook-disabled:" + notice.webhook_id + ":" + std::to_string(notice.version);
  return mail;
}

std::string MailMessage(const Mail& mail, std::string_view from,
                        std::chrono::system_clock::time_point at) {
  std::string message;
  message += "Date: " + MailDate(at) + "\r\n";
  message += "From: " + HeaderValue(from) + "\r\n";
  message += "To: " + HeaderValue(mail.to) + "\r\n";
  message += "Subject: " + HeaderValue(mail.subject) + "\r\n";
  message += "Message-ID: <" + mail.id.str() + "@coco>\r\n";
  message += "MIME-Version: 1.0\r\n";
  message += "Content-Type: text/plain; charset=utf-8\r\n";
  message += "Content-Transfer-Encoding: 8bit\r\n";
  message += "\r\n";
  message += CrLf(mail.body);
  return message;
}

}  // namespace coco::domain
