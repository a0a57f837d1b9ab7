#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"

// A remediation action (like an OSCAL POA&M item), created from a condition of an approval
// (DESIGN.md §2).
namespace coco::domain {

struct ActionIdTag {
  static constexpr std::string_view kWhat = "action id";
};
using ActionId = Id<ActionIdTag>;

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

}  // namespace coco::domain
