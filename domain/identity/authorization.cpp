#include "domain/identity/authorization.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

enum class Verdict { kAllow, kDeny, kHide, kConflict };

bool HasConflict(const Principal& principal, const std::optional<SupplierId>& supplier) {
  return supplier && std::find(principal.conflicts.begin(), principal.conflicts.end(),
                               *supplier) != principal.conflicts.end();
}

// Which roles may do what (DESIGN.md §4), as data: a supplier's own objects only, staff roles
// regardless of supplier.
struct Rule {
  Action action;
  bool supplier_own;
  bool assessor;
  bool risk_owner;
  bool procurement;
  bool admin;
  bool conflict_blocks;  // a declared conflict of interest refuses staff for this action
};

constexpr Rule kRules[] = {
    //  action                    supplier assessor risk  procure admin  conflict
    {Action::kReadSupplier,       true,    true,    true,  true,   true,  false},
    {Action::kEditService,        true,    false,   false, false,  true,  false},
    {Action::kRecordTrigger,      true,    true,    false, false,  true,  false},
    {Action::kAdminister,         false,   false,   false, false,  true,  false},
    {Action::kWriteAssessment,    true,    false,   false, false,  false, false},
    {Action::kReadAssessment,     true,    true,    true,  false,  true,  false},
    {Action::kReadEvidenceBytes,  true,    true,    true,  false,  true,  false},
    {Action::kReview,             false,   true,    false, false,  false, true},
    {Action::kCompleteAction,     true,    false,   false, false,  false, false},
    {Action::kManageExceptions,   false,   false,   true,  false,  false, true},
    {Action::kReadComments,       true,    true,    true,  false,  true,  false},
    {Action::kWriteComment,       true,    true,    true,  false,  true,  false},
    {Action::kReadStatus,         true,    true,    true,  true,   true,  false},
    {Action::kReadAudit,          true,    true,    true,  false,  true,  false},
    {Action::kVerifyAudit,        false,   false,   false, false,  true,  false},
    {Action::kReadMetrics,        false,   false,   false, false,  true,  false},
    {Action::kReadReviewQueue,    false,   true,    false, false,  true,  false},
};

Verdict Decide(const Principal& principal, Action action,
               const std::optional<SupplierId>& resource_supplier) {
  const Rule* rule = nullptr;
  for (const auto& candidate : kRules) {
    if (candidate.action == action) rule = &candidate;
  }
  if (rule == nullptr) return Verdict::kDeny;

  switch (principal.role) {
    case Role::kSupplier: {
      // Another supplier's object is invisible whatever the action: 404, never 403.
      if (resource_supplier && (!principal.supplier_id || *principal.supplier_id != *resource_supplier)) {
        return Verdict::kHide;
      }
      return rule->supplier_own ? Verdict::kAllow : Verdict::kDeny;
    }
    case Role::kAssessor:
    case Role::kRiskOwner: {
      const bool allowed = principal.role == Role::kAssessor ? rule->assessor : rule->risk_owner;
      if (!allowed) return Verdict::kDeny;
      if (rule->conflict_blocks && HasConflict(principal, resource_supplier)) {
        return Verdict::kConflict;
      }
      return Verdict::kAllow;
    }
    case Role::kProcurement:
      return rule->procurement ? Verdict::kAllow : Verdict::kDeny;
    case Role::kAdmin:
      return rule->admin ? Verdict::kAllow : Verdict::kDeny;
  }
  return Verdict::kDeny;
}

}  // namespace

std::string_view ToString(Action action) {
  switch (action) {
    case Action::kReadSupplier: return "read_supplier";
    case Action::kEditService: return "edit_service";
    case Action::kRecordTrigger: return "record_trigger";
    case Action::kAdminister: return "administer";
    case Action::kWriteAssessment: return "write_assessment";
    case Action::kReadAssessment: return "read_assessment";
    case Action::kReadEvidenceBytes: return "read_evidence_bytes";
    case Action::kReview: return "review";
    case Action::kCompleteAction: return "complete_action";
    case Action::kManageExceptions: return "manage_exceptions";
    case Action::kReadComments: return "read_comments";
    case Action::kWriteComment: return "write_comment";
    case Action::kReadStatus: return "read_status";
    case Action::kReadAudit: return "read_audit";
    case Action::kVerifyAudit: return "verify_audit";
    case Action::kReadMetrics: return "read_metrics";
    case Action::kReadReviewQueue: return "read_review_queue";
  }
  return "unknown";
}

void Authorize(const Principal& principal, Action action,
               const std::optional<SupplierId>& resource_supplier) {
  switch (Decide(principal, action, resource_supplier)) {
    case Verdict::kAllow:
      return;
    case Verdict::kHide:
      throw NotFound("no such object");
    case Verdict::kConflict:
      throw PermissionDenied("you declared a conflict of interest with this supplier",
                             "conflict_of_interest");
    case Verdict::kDeny:
      throw PermissionDenied("your role (" + std::string(ToString(principal.role)) +
                             ") may not " + std::string(ToString(action)));
  }
}

void AuthorizeFound(const Principal& principal, Action action, const SupplierId& resource_supplier,
                    const std::string& missing_message) {
  if (Decide(principal, action, resource_supplier) == Verdict::kHide) {
    throw NotFound(missing_message);
  }
  Authorize(principal, action, resource_supplier);
}

bool NarrowToOwnSupplier(const Principal& principal, std::optional<SupplierId>& supplier_filter) {
  if (principal.role != Role::kSupplier) return true;
  if (!principal.supplier_id) return false;
  if (supplier_filter && *supplier_filter != *principal.supplier_id) return false;
  supplier_filter = principal.supplier_id;
  return true;
}

bool IsAllowed(const Principal& principal, Action action,
               const std::optional<SupplierId>& resource_supplier) {
  return Decide(principal, action, resource_supplier) == Verdict::kAllow;
}

}  // namespace coco::domain
