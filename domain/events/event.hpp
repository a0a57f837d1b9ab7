#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/status/status_journal.hpp"
#include "domain/status/status_repository.hpp"

// The events outbox (docs/status.md "Events"): every user-visible change appends one, in the
// transaction that made it. These are the rules that name them; persistence stores them.
namespace coco::domain {

// An event as GET /events lists it and a webhook delivers it (openapi: Event): id (a string),
// type, supplier_id, subject {entity, id}, data, occurred_at; canonical JSON text.
std::string EventText(const EventRecord& event);

// The event types, as subscribers see them.
std::vector<std::string> EventTypeNames();

// The event an audited write is, if it is one: the moves of an assessment's review
// (assessment.submitted, .resubmitted, .changes_requested, .approved, .rejected, .suspended,
// .lifted). `resubmission` is the submit audit entry's flag.
std::optional<std::string_view> EventTypeOfAudit(std::string_view action, bool resubmission);
// The audit actions EventTypeOfAudit names an event for.
std::vector<std::string> AuditActionsWithEvents();

// The events a change of a (service, standard) is about, beside its status.changed, from the
// reasons it gained: an action falling overdue (action.overdue) or due within the expiring window
// (action.due_soon), an exception expired (exception.expired) or expiring (exception.expiring),
// a relied-on file lapsing within the window (evidence.lapsing). A date passing gains them; so
// does a write that opens the window at once (an approval whose condition is due in 20 days).
struct SubjectEvent {
  std::string type;
  std::string entity;  // "action", "exception", "evidence"
  std::string entity_id;
  std::optional<Date> date;  // the day it falls due, expires or lapses
};
std::vector<SubjectEvent> DateEventsOf(const StatusChange& change);

}  // namespace coco::domain
