#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/identity/role.hpp"

// The inbox (docs/notifications.md "Inboxes"): what waits for the caller, by role. Each section
// is one kind of work, read through the use case that owns it, so a section shows exactly what
// the caller could list through the API itself.
namespace coco::domain {

enum class InboxKind {
  kReviewUnclaimed,      // assessor, admin: submissions nobody has claimed
  kReviewClaimed,        // assessor: cases I claimed, with their age
  kChangesRequested,     // supplier: assessments sent back to us
  kQueryToAnswer,        // supplier: responses the assessor queried in them
  kActionDue,            // supplier: open actions due within 30 days (or overdue)
  kEvidenceLapsing,      // supplier: relied-on files lapsing within 60 days
  kExceptionToDecide,    // risk owner: MUST responses in review an exception could cover
  kExceptionExpiring,    // risk owner: active exceptions expiring within 30 days
  kSupplierLapsing,      // procurement: suppliers with something lapsing within 30 days
  kContractStartAtRisk,  // procurement: contracts starting within 90 days, not assured then
  kWebhookDisabled,      // everyone: my subscriptions coco disabled (admins: everyone's)
};
std::string_view ToString(InboxKind kind);
std::vector<std::string> InboxKindNames();

// How far ahead each dated kind looks, in days from today.
inline constexpr int kInboxActionDays = 30;
inline constexpr int kInboxEvidenceDays = 60;
inline constexpr int kInboxExceptionDays = 30;
inline constexpr int kInboxLapseDays = 30;
inline constexpr int kInboxContractDays = 90;
// The most items a section lists; `more` says when there were others.
inline constexpr int kInboxSectionLimit = 50;

// One thing waiting. The API turns its subject into a link (api/inbox_routes.cpp).
struct InboxItem {
  std::optional<Date> due_on;  // when it falls due, lapses, expires or starts; none for work
                               // without a date (a review, an answer)
  std::optional<std::chrono::system_clock::time_point> since;  // when it began to wait
  std::optional<std::string> supplier_id;
  std::string entity;     // assessment, response, action, evidence, exception, supplier, service,
                          // webhook
  std::string entity_id;  // a response's is "<assessment id>/<requirement id>"
  std::optional<std::string> assessment_id;  // of a response or an exception
  std::string summary;  // one line in plain words; its date, if any, is due_on, never in the words
};

struct InboxSection {
  InboxKind kind;
  std::vector<InboxItem> items;  // soonest due first, then oldest first
  bool more = false;
};

struct Inbox {
  Date as_of;
  std::vector<InboxSection> sections;  // the caller's role's kinds, in the order above
};

// The kinds a role's inbox holds, in order.
std::vector<InboxKind> InboxKindsOf(Role role);

// Orders a section's items (soonest due first, undated after dated, then oldest first) and
// keeps at most kInboxSectionLimit.
InboxSection MakeSection(InboxKind kind, std::vector<InboxItem> items);

}  // namespace coco::domain
