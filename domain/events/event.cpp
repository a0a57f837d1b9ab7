#include "domain/events/event.hpp"

#include <algorithm>

#include "domain/common/date.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {

std::string EventText(const EventRecord& event) {
  JsonObject subject;
  subject.Set("entity", event.entity).Set("id", event.entity_id);
  JsonObject text;
  text.Set("id", std::to_string(event.id))
      .Set("type", event.type)
      .Set("supplier_id", event.supplier_id)
      .Set("subject", subject)
      .SetRaw("data", event.data.empty() ? "{}" : event.data)
      .Set("occurred_at", FormatTimestamp(event.occurred_at));
  return text.Text();
}

std::vector<std::string> EventTypeNames() {
  return {"status.changed",         "assessment.submitted",
          "assessment.resubmitted", "assessment.changes_requested",
          "assessment.approved",    "assessment.rejected",
          "assessment.suspended",   "assessment.lifted",
          "action.due_soon",        "action.overdue",
          "exception.expiring",     "exception.expired",
          "evidence.lapsing",       "status.lapsing"};
}

std::vector<std::string> AuditActionsWithEvents() {
  return {"assessment.submit", "assessment.request_changes", "assessment.approve",
          "assessment.reject", "assessment.suspend",         "assessment.lift"};
}

std::optional<std::string_view> EventTypeOfAudit(std::string_view action, bool resubmission) {
  if (action == "assessment.submit") {
    return resubmission ? "assessment.resubmitted" : "assessment.submitted";
  }
  if (action == "assessment.request_changes") return "assessment.changes_requested";
  if (action == "assessment.approve") return "assessment.approved";
  if (action == "assessment.reject") return "assessment.rejected";
  if (action == "assessment.suspend") return "assessment.suspended";
  if (action == "assessment.lift") return "assessment.lifted";
  return std::nullopt;
}

std::vector<SubjectEvent> DateEventsOf(const StatusChange& change) {
  std::vector<SubjectEvent> events;
  if (!change.standard) return events;
  const auto add = [&](std::string type, std::string entity, std::string_view id,
                       const std::optional<Date>& date) {
    if (id.empty()) return;
    const bool seen = std::any_of(events.begin(), events.end(), [&](const SubjectEvent& event) {
      return event.type == type && event.entity_id == id;
    });
    if (!seen)
      events.push_back(SubjectEvent{std::move(type), std::move(entity), std::string(id), date});
  };
  for (const auto& reason : change.gained) {
    switch (reason.code) {
      case ReasonCode::kActionOverdue:
        add("action.overdue", "action", reason.action_id, reason.date);
        break;
      case ReasonCode::kExceptionExpired:
        add("exception.expired", "exception", reason.exception_id, reason.date);
        break;
      case ReasonCode::kLapsesSoon:
        add("action.due_soon", "action", reason.action_id, reason.date);
        add("exception.expiring", "exception", reason.exception_id, reason.date);
        add("evidence.lapsing", "evidence", reason.evidence_id, reason.date);
        break;
      default:
        break;
    }
  }
  return events;
}

}  // namespace coco::domain
