#include "domain/inbox/inbox.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<InboxKind, std::string_view>, 11> kInboxKinds = {{
    {InboxKind::kReviewUnclaimed, "review_unclaimed"},
    {InboxKind::kReviewClaimed, "review_claimed"},
    {InboxKind::kChangesRequested, "changes_requested"},
    {InboxKind::kQueryToAnswer, "query_to_answer"},
    {InboxKind::kActionDue, "action_due"},
    {InboxKind::kEvidenceLapsing, "evidence_lapsing"},
    {InboxKind::kExceptionToDecide, "exception_to_decide"},
    {InboxKind::kExceptionExpiring, "exception_expiring"},
    {InboxKind::kSupplierLapsing, "supplier_lapsing"},
    {InboxKind::kContractStartAtRisk, "contract_start_at_risk"},
    {InboxKind::kWebhookDisabled, "webhook_disabled"},
}};

}  // namespace

std::string_view ToString(InboxKind kind) { return NameIn(kInboxKinds, kind); }

std::vector<std::string> InboxKindNames() { return NamesIn(kInboxKinds); }

std::vector<InboxKind> InboxKindsOf(Role role) {
  using K = InboxKind;
  switch (role) {
    case Role::kAssessor:
      return {K::kReviewUnclaimed, K::kReviewClaimed, K::kWebhookDisabled};
    case Role::kSupplier:
      return {K::kChangesRequested, K::kQueryToAnswer, K::kActionDue, K::kEvidenceLapsing,
              K::kWebhookDisabled};
    case Role::kRiskOwner:
      return {K::kExceptionToDecide, K::kExceptionExpiring, K::kWebhookDisabled};
    case Role::kProcurement:
      return {K::kSupplierLapsing, K::kContractStartAtRisk, K::kWebhookDisabled};
    case Role::kAdmin:
      return {K::kReviewUnclaimed, K::kWebhookDisabled};
  }
  return {};
}

InboxSection MakeSection(InboxKind kind, std::vector<InboxItem> items) {
  std::stable_sort(items.begin(), items.end(), [](const InboxItem& a, const InboxItem& b) {
    if (a.due_on.has_value() != b.due_on.has_value()) return a.due_on.has_value();
    if (a.due_on && *a.due_on != *b.due_on) return *a.due_on < *b.due_on;
    if (a.since.has_value() != b.since.has_value()) return a.since.has_value();
    if (a.since && *a.since != *b.since) return *a.since < *b.since;
    return a.entity_id < b.entity_id;
  });
  InboxSection section{kind, std::move(items), false};
  if (section.items.size() > static_cast<std::size_t>(kInboxSectionLimit)) {
    section.items.resize(kInboxSectionLimit);
    section.more = true;
  }
  return section;
}

}  // namespace coco::domain
