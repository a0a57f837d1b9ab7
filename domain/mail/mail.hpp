#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/common/uuid.hpp"
#include "domain/identity/role.hpp"
#include "domain/inbox/inbox.hpp"
#include "domain/status/status_repository.hpp"

// E-mail to people (docs/notifications.md "E-mail"): which events make mail, for whom, in which
// words, and the message as SMTP carries it. Pure rules; persistence finds the recipients an
// audience names, outbound/ sends.
namespace coco::domain {

struct MailIdTag {
  static constexpr std::string_view kWhat = "mail id";
};
using MailId = Id<MailIdTag>;

enum class MailKind {
  kChangesRequested,   // supplier users: an assessor sent an assessment back
  kActionDue,          // supplier users: an action falls due soon, or is overdue
  kExceptionExpiring,  // risk owners: an exception expires soon
  kSupplierLapsing,    // procurement: a supplier will stop being assured (30, 7, 1 days ahead)
  kFollowedSupplier,   // procurement: any status change of a supplier they follow
  kReviewDigest,       // assessors: once a day, what waits in the review queue
  kWebhookDisabled,    // anyone: coco disabled a webhook of theirs after it failed for good
};
std::string_view ToString(MailKind kind);
std::optional<MailKind> TryParseMailKind(std::string_view text);
std::vector<std::string> MailKindNames();
// The names of `kinds`, in their order.
std::vector<std::string> NamesOf(const std::vector<MailKind>& kinds);

// The kinds a role may receive. A user who has not chosen receives every one of them.
std::vector<MailKind> MailKindsOf(Role role);

// The kind of mail an event of `event_type` makes, if any.
std::optional<MailKind> MailKindOf(std::string_view event_type);

// Who receives a kind of mail about a supplier's event: the active users of `role` with an
// e-mail address who want that kind and may read the supplier: of that supplier itself when
// `own_supplier_only` (supplier users), following it when `followers_only`, and never a user
// who declared a conflict of interest with it.
struct MailAudience {
  Role role = Role::kAdmin;
  bool own_supplier_only = false;
  bool followers_only = false;
};
MailAudience AudienceOf(MailKind kind);

struct MailRecipient {
  UserId user_id;
  std::string email;
};

// One message to one person, tried until it is sent or dead.
struct Mail {
  MailId id;
  UserId user_id;
  std::string to;
  MailKind kind = MailKind::kChangesRequested;
  std::string subject;
  std::string body;
  std::string dedupe_key;  // one mail per event and recipient
  int attempts = 0;
  std::chrono::system_clock::time_point created_at = {};
};

// The mail `event` makes for `to`, a mail of `kind`. `supplier_name` names the event's supplier;
// the link starts with `public_url` (COCO_PUBLIC_URL: the web front end's address), and goes to
// the page where the reader acts: the assessment, the action, the exceptions, the supplier.
Mail ComposeEventMail(MailId id, const EventRecord& event, MailKind kind, const MailRecipient& to,
                      std::string_view supplier_name, std::string_view public_url);

// A webhook coco disabled (its deliveries failed for good), to be told to its owner. Each
// disabling is told once, and only while the webhook is still disabled.
struct DisabledWebhookNotice {
  std::string webhook_id;
  long long version = 0;  // the webhook's version the disabling made
  std::string url;
  std::string description;
  std::string reason;
  // The owner, when they get the mail: active, with an address, wanting webhook_disabled, and
  // the webhook not enabled again since.
  std::optional<MailRecipient> owner;
};

// The mail telling `to` that coco disabled their webhook, and how to resume it.
Mail ComposeWebhookDisabled(MailId id, const DisabledWebhookNotice& notice, const MailRecipient& to,
                            std::string_view public_url);

// An assessor's digest of `day`: the review sections of their inbox, each item with its
// supplier's name (`supplier_names`, by id) and a link to its case; nothing when both are empty.
std::optional<Mail> ComposeDigest(MailId id, const MailRecipient& to, Date day, const Inbox& inbox,
                                  const std::map<std::string, std::string>& supplier_names,
                                  std::string_view public_url);

// The message as SMTP carries it, CRLF line ends: Date, From, To, Subject, Message-ID and a
// plain-text UTF-8 body. A header value loses its control characters, so no name can add a
// header of its own.
std::string MailMessage(const Mail& mail, std::string_view from,
                        std::chrono::system_clock::time_point at);

}  // namespace coco::domain
