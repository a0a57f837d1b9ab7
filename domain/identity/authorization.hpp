#pragma once

#include <optional>
#include <string_view>

#include "domain/common/uuid.hpp"
#include "domain/identity/principal.hpp"

namespace coco::domain {

// What the permission table (DESIGN.md §4) allows: one entry per row. Not to be confused with a
// step of the assessment lifecycle (AssessmentAction) or a remediation item (RemediationAction).
enum class Permission {
  kReadSupplier,       // read supplier, services, required standards
  kEditService,        // create/edit services
  kRecordTrigger,      // record reassessment triggers
  kAdminister,         // create suppliers, users, tokens for others; disable users
  kWriteAssessment,    // upload evidence; start, answer, submit, withdraw assessments
  kReadAssessment,     // read assessments, evidence metadata, actions
  kReadEvidenceBytes,  // download evidence content
  kReview,             // claim, review, reopen, request changes, approve, reject, suspend, verify
  kCompleteAction,     // complete remediation actions
  kManageExceptions,   // add/revoke risk exceptions
  kReadComments,       // read a case's comments (suppliers: public ones only)
  kWriteComment,       // add a comment to a case (only assessors may mark one internal)
  kReadStatus,         // status, portfolio, attestation
  kReadAudit,          // audit events (suppliers: of their own objects, minus internal comments)
  kVerifyAudit,        // recompute the audit chain
  kReadMetrics,        // /metrics
  kReadReviewQueue,    // the review queue (assessors work it, admins oversee it)
};

std::string_view ToString(Permission action);

// Decides whether `principal` may do `action` on an object owned by `resource_supplier` (absent
// for objects that belong to no supplier, and for collection-level actions). Deny by default.
// Throws:
//   kNotFound ("not_found")                  a supplier user reaching for another supplier's
//                                            object: its existence is not revealed;
//   kPermissionDenied ("conflict_of_interest") an assessor or risk owner who declared a conflict
//                                            with the resource's supplier;
//   kPermissionDenied ("forbidden")          any other refusal.
void Authorize(const Principal& principal, Permission action,
               const std::optional<SupplierId>& resource_supplier = std::nullopt);

// Authorize for an object that was looked up and found: a supplier user reaching for another
// supplier's object gets exactly the NotFound it would get if the object did not exist
// (`missing_message`), so the answer cannot tell the two apart.
void AuthorizeFound(const Principal& principal, Permission action,
                    const SupplierId& resource_supplier, const std::string& missing_message);

// For a listing with an optional supplier filter: a supplier user sees its own objects only.
// Narrows `supplier_filter` to the user's supplier, or returns false when the listing must be
// empty (another supplier was asked for, or the user has none). Staff filters stay as given.
bool NarrowToOwnSupplier(const Principal& principal, std::optional<SupplierId>& supplier_filter);

// The same decision as a value, for listings that filter rather than fail.
bool IsAllowed(const Principal& principal, Permission action,
               const std::optional<SupplierId>& resource_supplier = std::nullopt);

}  // namespace coco::domain
