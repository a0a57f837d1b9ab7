#include "domain/identity/authorization.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

enum class AccessVerdict { kAllow, kDeny, kHide, kConflict };

bool HasConflict(const Principal& principal, const std::optional<SupplierId>& supplier) {
  return supplier && std::find(principal.conflicts.begin(), principal.conflicts.end(), *supplier) !=
                         principal.conflicts.end();
}

// Which roles may do what (DESIGN.md §4), as data: a supplier's own objects only, staff roles
// regardless of supplier.
struct Rule {
  Permission action;
  bool supplier_own;
  bool assessor;
  bool risk_owner;
  bool procurement;
  bool admin;
  bool conflict_blocks;  // a declared conflict of interest refuses staff for this action
};

constexpr Rule kRules[] = {
    //  action                    supplier assessor risk  procure admin  conflict
    {Permission::kReadSupplier, true, true, true, true, true, false},
    {Permission::kEditService, true, false, false, false, true, false},
    {Permission::kRecordTrigger, true, true, false, false, true, false},
    {Permission::kAdminister, false, false, false, false, true, false},
    {Permission::kWriteAssessment, true, false, false, false, false, false},
    {Permission::kReadAssessment, true, true, true, false, true, false},
    {Permission::kReadEvidenceBytes, true, true, true, false, true, false},
    {Permission::kReview, false, true, false, false, false, true},
    {Permission::kCompleteAction, true, false, false, false, false, false},
    {Permission::kManageExceptions, false, false, true, false, false, true},
    {Permission::kReadComments, true, true, true, false, true, false},
    {Permission::kWriteComment, true, true, true, false, true, false},
    {Permission::kReadStatus, true, true, true, true, true, false},
    {Permission::kReadAudit, true, true, true, false, true, false},
    {Permission::kVerifyAudit, false, false, false, false, true, false},
    {Permission::kReadMetrics, false, false, false, false, true, false},
    {Permission::kReadReviewQueue, false, true, false, false, true, false},
};

AccessVerdict Decide(const Principal& principal, Permission action,
                     const std::optional<SupplierId>& resource_supplier) {
  const Rule* rule = nullptr;
  for (const auto& candidate : kRules) {
    if (candidate.action == action) rule = &candidate;
  }
  if (rule == nullptr) return AccessVerdict::kDeny;

  switch (principal.role) {
    case Role::kSupplier: {
      // Another supplier's object is invisible whatever the action: 404, never 403.
      if (resource_supplier &&
          (!principal.supplier_id || *principal.supplier_id != *resource_supplier)) {
        return AccessVerdict::kHide;
      }
      return rule->supplier_own ? AccessVerdict::kAllow : AccessVerdict::kDeny;
    }
    case Role::kAssessor:
    case Role::kRiskOwner: {
      const bool allowed = principal.role == Role::kAssessor ? rule->assessor : rule->risk_owner;
      if (!allowed) return AccessVerdict::kDeny;
      if (rule->conflict_blocks && HasConflict(principal, resource_supplier)) {
        return AccessVerdict::kConflict;
      }
      return AccessVerdict::kAllow;
    }
    case Role::kProcurement:
      return rule->procurement ? AccessVerdict::kAllow : AccessVerdict::kDeny;
    case Role::kAdmin:
      return rule->admin ? AccessVerdict::kAllow : AccessVerdict::kDeny;
  }
  return AccessVerdict::kDeny;
}

}  // namespace

std::string_view ToString(Permission action) {
  switch (action) {
    case Permission::kReadSupplier:
      return "read_supplier";
    case Permission::kEditService:
      return "edit_service";
    case Permission::kRecordTrigger:
      return "record_trigger";
    case Permission::kAdminister:
      return "administer";
    case Permission::kWriteAssessment:
      return "write_assessment";
    case Permission::kReadAssessment:
      return "read_assessment";
    case Permission::kReadEvidenceBytes:
      return "read_evidence_bytes";
    case Permission::kReview:
      return "review";
    case Permission::kCompleteAction:
      return "complete_action";
    case Permission::kManageExceptions:
      return "manage_exceptions";
    case Permission::kReadComments:
      return "read_comments";
    case Permission::kWriteComment:
      return "write_comment";
    case Permission::kReadStatus:
      return "read_status";
    case Permission::kReadAudit:
      return "read_audit";
    case Permission::kVerifyAudit:
      return "verify_audit";
    case Permission::kReadMetrics:
      return "read_metrics";
    case Permission::kReadReviewQueue:
      return "read_review_queue";
  }
  return "unknown";
}

void Authorize(const Principal& principal, Permission action,
               const std::optional<SupplierId>& resource_supplier) {
  switch (Decide(principal, action, resource_supplier)) {
    case AccessVerdict::kAllow:
      return;
    case AccessVerdict::kHide:
      throw NotFound("no such object");
    case AccessVerdict::kConflict:
      throw PermissionDenied("you declared a conflict of interest with this supplier",
                             "conflict_of_interest");
    case AccessVerdict::kDeny:
      throw PermissionDenied("your role (" + std::string(ToString(principal.role)) + ") may not " +
                             std::string(ToString(action)));
  }
}

void AuthorizeFound(const Principal& principal, Permission action,
                    const SupplierId& resource_supplier, const std::string& missing_message) {
  if (Decide(principal, action, resource_supplier) == AccessVerdict::kHide) {
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

bool IsAllowed(const Principal& principal, Permission action,
               const std::optional<SupplierId>& resource_supplier) {
  return Decide(principal, action, resource_supplier) == AccessVerdict::kAllow;
}

}  // namespace coco::domain
