#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/status/status.hpp"

// The status journal's rules (docs/status.md "History"): what counts as a change between two
// evaluations of a supplier's status, which rule made a change that no write caused, and which
// days a supplier's status changes by itself. Pure; persistence/pg_status_journal.cpp stores
// what these return.
namespace coco::domain {

// What a reason that a change gained is about, owned (a Reason points into its facts).
struct GainedReason {
  ReasonCode code;
  std::string action_id;
  std::string exception_id;
  std::string evidence_id;
  std::optional<Date> date;
};

// One change of one status: the supplier's (no service), a service's (service, no standard) or
// a (service, standard)'s of a standard the service requires.
struct StatusChange {
  std::optional<std::string> service_id;
  std::optional<StandardKey> standard;
  std::optional<AssuranceStatus> from;  // absent: it was not part of the supplier's status
  std::optional<AssuranceStatus> to;    // absent: it no longer is (a standard not required)
  std::optional<AssuranceStatus> base;  // the base status of `to`
  std::string reasons;                  // `to`'s reasons as JSON (ReasonsJson); "[]" when absent
  // For a change no write caused: the rule whose date passed ("valid_until", "evidence_lapsed",
  // "action_overdue", "exception_expired", "expiring_window"), named from the reasons `to`
  // gained; "date" when none is telling.
  std::optional<std::string> rule;
  // The ids the reasons `to` gained name (action_id, exception_id, evidence_id) by reason code:
  // what the date-driven events (action.overdue, exception.expiring, ...) are about.
  std::vector<GainedReason> gained;
};

// Every status that differs between `before` (absent: the supplier had no status yet) and
// `after`, supplier first, then each service in order, each followed by its standards. Only the
// status counts: a change of reasons alone is not a change.
std::vector<StatusChange> StatusChanges(const SupplierStatus* before, const SupplierStatus& after);

// The date-driven changes of a supplier whose facts stay `facts`, on each day after `from` up to
// and including `to` on which one of its statuses changes, each with its rule.
struct DatedChanges {
  Date day;
  std::vector<StatusChange> changes;
};
std::vector<DatedChanges> ChangesBetween(const SupplierFacts& facts, Date from, Date to);

// The first day after the status's as_of on which any of its statuses (a required standard's,
// so a service's or the supplier's) changes by itself; absent when none will.
std::optional<Date> NextChangeOfAny(const SupplierStatus& status);

// Lapse warnings (docs/status.md "Lapse warnings"): `status.lapsing` says that the supplier's
// status will get worse in 30, 7 or 1 days. Worse means a lower base status: `expiring` is the
// warning window itself, not a loss of assurance.
inline constexpr std::array<int, 3> kLapseWarningDays = {30, 7, 1};
// How far ahead a worsening is looked for: twice the widest warning, so that a supplier seen at
// least every 30 days (LapseOutlook::next_visit) has each worsening in view 30 days ahead.
inline constexpr int kLapseLookaheadDays = 2 * kLapseWarningDays.front();

struct LapseWarning {
  Date worsens_on;    // the first day the supplier's base status is worse than today's
  int days = 0;       // from today to worsens_on: 1 to 30
  int threshold = 0;  // the smallest of kLapseWarningDays that is at least `days`
  AssuranceStatus from = AssuranceStatus::kNotAssessed;  // the supplier's status today
  AssuranceStatus to = AssuranceStatus::kNotAssessed;    // its status on worsens_on
  std::string reasons;                                   // the reasons of that status (ReasonsJson)
};

struct LapseOutlook {
  std::optional<LapseWarning> warning;  // the threshold reached today, if one is
  // The next day after today on which the supplier must be looked at again: the next threshold
  // of the worsening in view, or 30 days on while its status may still change by itself; absent
  // when nothing will change.
  std::optional<Date> next_visit;
};

// The warning due on `today` for a supplier whose facts stay `facts`; `now` is its status on
// `today`. Which thresholds were already announced is the caller's to remember.
LapseOutlook LapseOutlookOf(const SupplierFacts& facts, const SupplierStatus& now, Date today);

// A list of reasons as the API renders it: a JSON array of objects with keys in alphabetical
// order (action_id, assessment_id, code, date, evidence_id, exception_id, requirement_id,
// service_id, standard, trigger_id), each present only when set.
std::string ReasonsJson(const std::vector<Reason>& reasons);

}  // namespace coco::domain
