#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "domain/identity/role.hpp"

// What the review side adds around an assessment (DESIGN.md §2): remediation actions created
// from conditions, risk exceptions, reassessment triggers and the case's comment thread.
namespace coco::domain {

struct ActionIdTag { static constexpr std::string_view kWhat = "action id"; };
using ActionId = Id<ActionIdTag>;
struct ExceptionIdTag { static constexpr std::string_view kWhat = "exception id"; };
using ExceptionId = Id<ExceptionIdTag>;
struct TriggerIdTag { static constexpr std::string_view kWhat = "trigger id"; };
using TriggerId = Id<TriggerIdTag>;
struct CommentIdTag { static constexpr std::string_view kWhat = "comment id"; };
using CommentId = Id<CommentIdTag>;

// --- remediation actions (like an OSCAL POA&M item) ---

enum class ActionState { kOpen, kDone, kVerified };
std::optional<ActionState> TryParseActionState(std::string_view text);
std::string_view ToString(ActionState state);

struct ActionCompletion {
  std::string note;
  std::vector<EvidenceId> evidence_ids;
  std::chrono::system_clock::time_point completed_at;
  UserId completed_by;
};

struct RemediationAction {
  ActionId id;
  AssessmentId assessment_id;
  SupplierId supplier_id;
  ServiceId service_id;
  StandardKey standard = StandardKey::kCoco;
  std::string requirement_id;
  std::string description;
  Date due_date;
  ActionState state = ActionState::kOpen;
  std::optional<ActionCompletion> completion = {};
  std::optional<std::chrono::system_clock::time_point> verified_at = {};
  std::optional<UserId> verified_by = {};
  std::optional<std::string> reopen_reason = {};
  std::chrono::system_clock::time_point created_at = {};
  long long version = 1;

  // Not verified by the end of its due date: overdue from the day after (a done one too).
  bool OverdueOn(Date day) const { return state != ActionState::kVerified && due_date < day; }
};

// --- risk exceptions ---

struct RiskException {
  ExceptionId id;
  AssessmentId assessment_id;
  SupplierId supplier_id;
  ServiceId service_id;
  StandardKey standard = StandardKey::kCoco;
  std::string requirement_id;
  std::string reason;
  UserId approved_by;
  std::chrono::system_clock::time_point created_at;
  Date expires_on;
  std::optional<std::chrono::system_clock::time_point> revoked_at = {};
  std::optional<UserId> revoked_by = {};
  long long version = 1;

  // Covers its requirement through `expires_on`; a revoked one counts as expired from the day
  // of its revocation.
  bool ActiveOn(Date day) const {
    if (revoked_at && !(day < Date::Of(*revoked_at))) return false;
    return day <= expires_on;
  }
};

// --- reassessment triggers ---

enum class TriggerKind {
  kIncident,
  kMajorChange,
  kNewSubcontractor,
  kNewOffshoreLocation,
  kCertificateRevoked,
  kOther,
};
std::optional<TriggerKind> TryParseTriggerKind(std::string_view text);
std::string_view ToString(TriggerKind kind);
std::vector<std::string> TriggerKindNames();

struct Trigger {
  TriggerId id;
  ServiceId service_id;
  SupplierId supplier_id;
  TriggerKind kind = TriggerKind::kOther;
  Date occurred_on;
  std::string note;
  UserId recorded_by;
  std::chrono::system_clock::time_point recorded_at;
};

// --- the case's comment thread ---

struct Comment {
  CommentId id;
  AssessmentId assessment_id;
  SupplierId supplier_id;
  UserId author_id;
  Role author_role = Role::kAssessor;
  std::string body;
  bool internal = false;  // assessors only; never shown to the supplier
  std::chrono::system_clock::time_point created_at;
};

}  // namespace coco::domain
