#include "domain/status/status.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<AssuranceStatus, std::string_view>, 7> kStatuses{{
    {AssuranceStatus::kNotAssured, "not_assured"},
    {AssuranceStatus::kExpired, "expired"},
    {AssuranceStatus::kNotAssessed, "not_assessed"},
    {AssuranceStatus::kInProgress, "in_progress"},
    {AssuranceStatus::kExpiring, "expiring"},
    {AssuranceStatus::kConditionallyAssured, "conditionally_assured"},
    {AssuranceStatus::kAssured, "assured"},
}};

constexpr std::array<std::pair<ReasonCode, std::string_view>, 15> kReasonCodes{{
    {ReasonCode::kRejected, "rejected"},
    {ReasonCode::kSuspended, "suspended"},
    {ReasonCode::kNoSubmission, "no_submission"},
    {ReasonCode::kNoServices, "no_services"},
    {ReasonCode::kActionOverdue, "action_overdue"},
    {ReasonCode::kExceptionExpired, "exception_expired"},
    {ReasonCode::kApprovalExpired, "approval_expired"},
    {ReasonCode::kEvidenceExpired, "evidence_expired"},
    {ReasonCode::kProfileChanged, "profile_changed"},
    {ReasonCode::kReassessmentTriggered, "reassessment_triggered"},
    {ReasonCode::kReassessmentInProgress, "reassessment_in_progress"},
    {ReasonCode::kOpenActions, "open_actions"},
    {ReasonCode::kActiveExceptions, "active_exceptions"},
    {ReasonCode::kLapsesSoon, "lapses_soon"},
    {ReasonCode::kShouldEvidenceExpired, "should_evidence_expired"},
}};

struct Outcome {
  AssuranceStatus status;
  AssuranceStatus base_status;
};

Outcome Same(AssuranceStatus status) { return {status, status}; }

// Collects reasons when asked to; the status-only path passes no sink and returns early.
class Sink {
 public:
  Sink(std::vector<Reason>* reasons, StandardKey standard)
      : reasons_(reasons), standard_(standard) {}
  bool collecting() const { return reasons_ != nullptr; }
  void Add(Reason reason) {
    if (reasons_ == nullptr) return;
    reasons_->push_back(reason);
    reasons_->back().standard = standard_;
  }

 private:
  std::vector<Reason>* reasons_;
  StandardKey standard_;
};

bool SatisfiedByVerifiedAction(const GoverningApproval& approval, std::string_view requirement) {
  return std::any_of(approval.actions.begin(), approval.actions.end(),
                     [&](const ActionFact& action) {
                       return action.verified && action.requirement_id == requirement;
                     });
}

// An exception was relied on unless it had already ended when the approval was decided: revoked
// before that moment, or expired before that day. (One revoked later the same day was relied on.)
bool ReliedOn(const GoverningApproval& approval, const ExceptionFact& exception) {
  if (exception.revoked_at && *exception.revoked_at <= approval.decided_at) return false;
  return !(exception.expires_on < Date::Of(approval.decided_at));
}

// Whether the end of `exception` leaves its requirement uncovered on `day`: the requirement is
// still not fully met, no verified action satisfies it and no other exception covers it.
bool ExpiryMatters(const GoverningApproval& approval, const ExceptionFact& exception, Date day) {
  if (!exception.requirement_not_met || !ReliedOn(approval, exception)) return false;
  if (SatisfiedByVerifiedAction(approval, exception.requirement_id)) return false;
  return std::none_of(
      approval.exceptions.begin(), approval.exceptions.end(), [&](const ExceptionFact& other) {
        return &other != &exception && other.requirement_id == exception.requirement_id &&
               other.ActiveOn(day);
      });
}

void AddInProgress(const StandardFacts& facts, Sink& sink) {
  if (facts.open_assessment_id) {
    sink.Add(
        {.code = ReasonCode::kReassessmentInProgress, .assessment_id = *facts.open_assessment_id});
  }
}

Outcome Evaluate(const StandardFacts& facts, const std::vector<TriggerFact>& triggers, Date as_of,
                 Sink sink) {
  // 1. A rejection as the newest decision, or a suspended approval.
  if (facts.rejected_assessment_id) {
    sink.Add({.code = ReasonCode::kRejected,
              .assessment_id = *facts.rejected_assessment_id,
              .date = facts.rejected_on});
    AddInProgress(facts, sink);
    return Same(AssuranceStatus::kNotAssured);
  }
  if (facts.approval && facts.approval->suspended) {
    sink.Add({.code = ReasonCode::kSuspended, .assessment_id = facts.approval->assessment_id});
    AddInProgress(facts, sink);
    return Same(AssuranceStatus::kNotAssured);
  }

  // 2. No governing approval.
  if (!facts.approval) {
    if (facts.open_assessment_id) {
      sink.Add({.code = ReasonCode::kReassessmentInProgress,
                .assessment_id = *facts.open_assessment_id});
      return Same(AssuranceStatus::kInProgress);
    }
    sink.Add({.code = ReasonCode::kNoSubmission});
    return Same(AssuranceStatus::kNotAssessed);
  }
  const GoverningApproval& approval = *facts.approval;

  // 3. What ends the approval's standing: overdue actions and lapsed exceptions (not assured);
  // lapsed validity or evidence, a changed profile, a later trigger (expired).
  bool not_assured = false;
  bool expired = false;
  for (const auto& action : approval.actions) {
    if (!action.verified && action.due_date < as_of) {
      not_assured = true;
      if (!sink.collecting()) return Same(AssuranceStatus::kNotAssured);
      sink.Add({.code = ReasonCode::kActionOverdue,
                .requirement_id = action.requirement_id,
                .action_id = action.id,
                .date = action.due_date});
    }
  }
  for (const auto& exception : approval.exceptions) {
    if (!exception.ActiveOn(as_of) && ExpiryMatters(approval, exception, as_of)) {
      not_assured = true;
      if (!sink.collecting()) return Same(AssuranceStatus::kNotAssured);
      sink.Add({.code = ReasonCode::kExceptionExpired,
                .requirement_id = exception.requirement_id,
                .exception_id = exception.id,
                .date = exception.LastActiveDay().AddDays(1)});
    }
  }
  if (approval.valid_until < as_of) {
    expired = true;
    sink.Add({.code = ReasonCode::kApprovalExpired,
              .assessment_id = approval.assessment_id,
              .date = approval.valid_until});
  }
  for (const auto& evidence : approval.evidence) {
    if (evidence.lapses_on < as_of) {
      if (evidence.must) expired = true;
      sink.Add({.code = evidence.must ? ReasonCode::kEvidenceExpired
                                      : ReasonCode::kShouldEvidenceExpired,
                .requirement_id = evidence.requirement_id,
                .evidence_id = evidence.evidence_id,
                .date = evidence.lapses_on});
    }
  }
  if (approval.profile_changed) {
    expired = true;
    sink.Add({.code = ReasonCode::kProfileChanged, .assessment_id = approval.assessment_id});
  }
  for (const auto& trigger : triggers) {
    if (trigger.recorded_at > approval.decided_at) {
      expired = true;
      sink.Add({.code = ReasonCode::kReassessmentTriggered,
                .trigger_id = trigger.id,
                .date = trigger.occurred_on});
    }
  }
  if (not_assured || expired) {
    AddInProgress(facts, sink);
    return Same(not_assured ? AssuranceStatus::kNotAssured : AssuranceStatus::kExpired);
  }

  // 4. Standing: conditional while actions are open or exceptions active; expiring when
  // anything above would lapse within the window.
  bool conditional = false;
  bool lapsing = false;
  const Date horizon = as_of.AddDays(kExpiringWindowDays);
  for (const auto& action : approval.actions) {
    if (action.verified) continue;
    conditional = true;
    sink.Add({.code = ReasonCode::kOpenActions,
              .requirement_id = action.requirement_id,
              .action_id = action.id,
              .date = action.due_date});
    if (action.due_date <= horizon) {
      lapsing = true;
      sink.Add({.code = ReasonCode::kLapsesSoon,
                .requirement_id = action.requirement_id,
                .action_id = action.id,
                .date = action.due_date});
    }
  }
  for (const auto& exception : approval.exceptions) {
    if (!exception.ActiveOn(as_of)) continue;
    conditional = true;
    sink.Add({.code = ReasonCode::kActiveExceptions,
              .requirement_id = exception.requirement_id,
              .exception_id = exception.id,
              .date = exception.expires_on});
    if (exception.LastActiveDay() <= horizon &&
        ExpiryMatters(approval, exception, exception.LastActiveDay().AddDays(1))) {
      lapsing = true;
      sink.Add({.code = ReasonCode::kLapsesSoon,
                .requirement_id = exception.requirement_id,
                .exception_id = exception.id,
                .date = exception.LastActiveDay()});
    }
  }
  if (approval.valid_until <= horizon) {
    lapsing = true;
    sink.Add({.code = ReasonCode::kLapsesSoon,
              .assessment_id = approval.assessment_id,
              .date = approval.valid_until});
  }
  for (const auto& evidence : approval.evidence) {
    if (evidence.must && evidence.lapses_on <= horizon) {
      lapsing = true;
      sink.Add({.code = ReasonCode::kLapsesSoon,
                .requirement_id = evidence.requirement_id,
                .evidence_id = evidence.evidence_id,
                .date = evidence.lapses_on});
    }
  }
  AddInProgress(facts, sink);
  const AssuranceStatus base =
      conditional ? AssuranceStatus::kConditionallyAssured : AssuranceStatus::kAssured;
  return {lapsing ? AssuranceStatus::kExpiring : base, base};
}

// The days after `as_of` on which the standard's status may change: the day after each lapse
// and the first day of each lapse's expiring window.
void AddCandidates(const StandardFacts& facts, Date as_of, std::vector<Date>& dates) {
  if (facts.rejected_assessment_id || !facts.approval || facts.approval->suspended) return;
  const GoverningApproval& approval = *facts.approval;
  auto lapse = [&](Date last_good_day) {
    for (Date day : {last_good_day.AddDays(1), last_good_day.AddDays(-kExpiringWindowDays)}) {
      if (as_of < day) dates.push_back(day);
    }
  };
  lapse(approval.valid_until);
  for (const auto& action : approval.actions) {
    if (!action.verified) lapse(action.due_date);
  }
  for (const auto& exception : approval.exceptions) lapse(exception.LastActiveDay());
  for (const auto& evidence : approval.evidence) lapse(evidence.lapses_on);
}

void SortUnique(std::vector<Date>& dates) {
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
}

// The first candidate day on which `status_on` differs from `current`.
template <typename StatusOn>
std::optional<NextChange> FirstChange(std::vector<Date>& candidates, AssuranceStatus current,
                                      StatusOn status_on) {
  SortUnique(candidates);
  for (Date day : candidates) {
    const AssuranceStatus status = status_on(day);
    if (status != current) return NextChange{day, status};
  }
  return std::nullopt;
}

AssuranceStatus ServiceStatusOn(const ServiceFacts& facts, Date day) {
  AssuranceStatus worst = AssuranceStatus::kAssured;
  bool any = false;
  for (const auto& standard : facts.standards) {
    if (!standard.required) continue;
    any = true;
    worst = std::min(worst, StandardStatusOn(standard, facts.triggers, day));
  }
  return any ? worst : AssuranceStatus::kNotAssessed;
}

void AddServiceCandidates(const ServiceFacts& facts, Date as_of, std::vector<Date>& dates) {
  for (const auto& standard : facts.standards) {
    if (standard.required) AddCandidates(standard, as_of, dates);
  }
}

}  // namespace

std::string_view ToString(AssuranceStatus status) { return NameIn(kStatuses, status); }

std::optional<AssuranceStatus> TryParseAssuranceStatus(std::string_view text) {
  return ValueIn<AssuranceStatus>(kStatuses, text);
}

std::vector<std::string> AssuranceStatusNames() { return NamesIn(kStatuses); }

std::string_view ToString(ReasonCode code) { return NameIn(kReasonCodes, code); }

AssuranceStatus StandardStatusOn(const StandardFacts& facts,
                                 const std::vector<TriggerFact>& triggers, Date as_of) {
  return Evaluate(facts, triggers, as_of, Sink(nullptr, facts.standard)).status;
}

StandardStatus EvaluateStandard(const StandardFacts& facts,
                                const std::vector<TriggerFact>& triggers, Date as_of) {
  StandardStatus result;
  result.facts = &facts;
  const Outcome outcome = Evaluate(facts, triggers, as_of, Sink(&result.reasons, facts.standard));
  result.status = outcome.status;
  result.base_status = outcome.base_status;
  std::vector<Date> candidates;
  AddCandidates(facts, as_of, candidates);
  result.next_change = FirstChange(
      candidates, result.status, [&](Date day) { return StandardStatusOn(facts, triggers, day); });
  return result;
}

ServiceStatus EvaluateService(const ServiceFacts& facts, Date as_of) {
  ServiceStatus result;
  result.facts = &facts;
  bool any = false;
  result.status = AssuranceStatus::kAssured;
  result.base_status = AssuranceStatus::kAssured;
  for (const auto& standard : facts.standards) {
    result.standards.push_back(EvaluateStandard(standard, facts.triggers, as_of));
    if (!standard.required) continue;
    any = true;
    result.status = std::min(result.status, result.standards.back().status);
    result.base_status = std::min(result.base_status, result.standards.back().base_status);
  }
  if (!any) {
    result.status = result.base_status = AssuranceStatus::kNotAssessed;
  }
  for (const auto& standard : result.standards) {
    if (!standard.facts->required || standard.status != result.status) continue;
    for (Reason reason : standard.reasons) {
      reason.service_id = facts.service_id;
      result.reasons.push_back(reason);
    }
  }
  std::vector<Date> candidates;
  AddServiceCandidates(facts, as_of, candidates);
  result.next_change =
      FirstChange(candidates, result.status, [&](Date day) { return ServiceStatusOn(facts, day); });
  return result;
}

SupplierStatus EvaluateSupplier(const SupplierFacts& facts, Date as_of) {
  SupplierStatus result;
  if (facts.services.empty()) {
    result.reasons.push_back({.code = ReasonCode::kNoServices});
    return result;  // not_assessed, and nothing will change by itself
  }
  result.status = AssuranceStatus::kAssured;
  result.base_status = AssuranceStatus::kAssured;
  for (const auto& service : facts.services) {
    result.services.push_back(EvaluateService(service, as_of));
    result.status = std::min(result.status, result.services.back().status);
    result.base_status = std::min(result.base_status, result.services.back().base_status);
  }
  for (const auto& service : result.services) {
    if (service.status != result.status) continue;
    result.reasons.insert(result.reasons.end(), service.reasons.begin(), service.reasons.end());
  }
  std::vector<Date> candidates;
  for (const auto& service : facts.services) AddServiceCandidates(service, as_of, candidates);
  result.next_change = FirstChange(candidates, result.status, [&](Date day) {
    AssuranceStatus worst = AssuranceStatus::kAssured;
    for (const auto& service : facts.services)
      worst = std::min(worst, ServiceStatusOn(service, day));
    return worst;
  });
  return result;
}

}  // namespace coco::domain
