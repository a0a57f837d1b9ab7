#include "domain/status/status_journal.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "domain/common/json_text.hpp"

namespace coco::domain {
namespace {

struct Entry {
  std::optional<std::string> service_id;
  std::optional<StandardKey> standard;
  AssuranceStatus status;
  AssuranceStatus base;
  const std::vector<Reason>* reasons;
};

// The supplier, then each service followed by the standards it requires, keyed so that two
// evaluations can be matched.
std::vector<std::pair<std::string, Entry>> Flatten(const SupplierStatus& status) {
  std::vector<std::pair<std::string, Entry>> entries;
  entries.push_back(
      {"", Entry{std::nullopt, std::nullopt, status.status, status.base_status, &status.reasons}});
  for (const auto& service : status.services) {
    const std::string id(service.facts->service_id);
    entries.push_back(
        {id, Entry{id, std::nullopt, service.status, service.base_status, &service.reasons}});
    for (const auto& standard : service.standards) {
      if (!standard.facts->required) continue;
      entries.push_back({id + "/" + std::string(ToString(standard.facts->standard)),
                         Entry{id, standard.facts->standard, standard.status, standard.base_status,
                               &standard.reasons}});
    }
  }
  return entries;
}

auto Tie(const Reason& r) {
  return std::tie(r.code, r.standard, r.service_id, r.requirement_id, r.evidence_id, r.action_id,
                  r.exception_id, r.trigger_id, r.assessment_id, r.date);
}

std::vector<GainedReason> Gained(const std::vector<Reason>* before,
                                 const std::vector<Reason>& after) {
  std::vector<GainedReason> gained;
  for (const auto& reason : after) {
    const bool known = before != nullptr &&
                       std::any_of(before->begin(), before->end(),
                                   [&](const Reason& old) { return Tie(old) == Tie(reason); });
    if (!known) {
      gained.push_back(GainedReason{reason.code, std::string(reason.action_id),
                                    std::string(reason.exception_id),
                                    std::string(reason.evidence_id), reason.date});
    }
  }
  return gained;
}

// The rule a date-driven change follows, from the reasons it gained.
std::string RuleOf(const std::vector<GainedReason>& gained) {
  for (const auto& reason : gained) {
    switch (reason.code) {
      case ReasonCode::kApprovalExpired:
        return "valid_until";
      case ReasonCode::kEvidenceExpired:
        return "evidence_lapsed";
      case ReasonCode::kActionOverdue:
        return "action_overdue";
      case ReasonCode::kExceptionExpired:
        return "exception_expired";
      case ReasonCode::kLapsesSoon:
        return "expiring_window";
      default:
        break;
    }
  }
  return "date";
}

void AppendId(std::string& out, const char* key, std::string_view value) {
  if (value.empty()) return;
  out += ",\"";
  out += key;
  out += "\":";
  AppendJsonString(out, value);
}

// The days after `start`'s day, up to and including `to`, on which any status of a supplier
// whose facts stay `facts` changes by itself: `visit(day, before, after)` for each, in order,
// until it returns false.
template <typename Visit>
void EachChangeDay(const SupplierFacts& facts, const SupplierStatus& start, Date to, Visit visit) {
  const SupplierStatus* before = &start;
  SupplierStatus held;
  std::optional<Date> day;
  for (auto next = NextChangeOfAny(*before); next && (!day || *day < *next) && *next <= to;
       next = NextChangeOfAny(*before)) {
    day = next;
    SupplierStatus after = EvaluateSupplier(facts, *day);
    if (!visit(*day, *before, after)) return;
    held = std::move(after);
    before = &held;
  }
}

}  // namespace

std::vector<StatusChange> StatusChanges(const SupplierStatus* before, const SupplierStatus& after) {
  std::map<std::string, Entry> earlier;
  if (before != nullptr) {
    for (auto& [key, entry] : Flatten(*before)) earlier.emplace(key, entry);
  }
  std::vector<StatusChange> changes;
  for (const auto& [key, entry] : Flatten(after)) {
    const auto found = earlier.find(key);
    std::optional<AssuranceStatus> from;
    const std::vector<Reason>* old_reasons = nullptr;
    if (found != earlier.end()) {
      from = found->second.status;
      old_reasons = found->second.reasons;
      earlier.erase(found);
    }
    if (from == entry.status) continue;
    changes.push_back(StatusChange{entry.service_id, entry.standard, from, entry.status, entry.base,
                                   ReasonsJson(*entry.reasons), std::nullopt,
                                   Gained(old_reasons, *entry.reasons)});
  }
  // What was part of the status and no longer is, in the order it was.
  if (before != nullptr) {
    for (const auto& [key, entry] : Flatten(*before)) {
      if (!earlier.contains(key)) continue;
      changes.push_back(StatusChange{entry.service_id,
                                     entry.standard,
                                     entry.status,
                                     std::nullopt,
                                     std::nullopt,
                                     "[]",
                                     std::nullopt,
                                     {}});
    }
  }
  return changes;
}

std::vector<DatedChanges> ChangesBetween(const SupplierFacts& facts, Date from, Date to) {
  std::vector<DatedChanges> result;
  EachChangeDay(facts, EvaluateSupplier(facts, from), to,
                [&](Date day, const SupplierStatus& before, const SupplierStatus& after) {
                  auto changes = StatusChanges(&before, after);
                  for (auto& change : changes) change.rule = RuleOf(change.gained);
                  if (!changes.empty()) result.push_back(DatedChanges{day, std::move(changes)});
                  return true;
                });
  return result;
}

std::optional<Date> NextChangeOfAny(const SupplierStatus& status) {
  std::optional<Date> first;
  const auto consider = [&](const std::optional<NextChange>& next) {
    if (next && (!first || next->date < *first)) first = next->date;
  };
  consider(status.next_change);
  for (const auto& service : status.services) {
    consider(service.next_change);
    for (const auto& standard : service.standards) {
      if (standard.facts->required) consider(standard.next_change);
    }
  }
  return first;
}

LapseOutlook LapseOutlookOf(const SupplierFacts& facts, const SupplierStatus& now, Date today) {
  LapseOutlook outlook;
  if (!NextChangeOfAny(now)) return outlook;  // nothing changes by itself: nothing will lapse
  outlook.next_visit = today.AddDays(kLapseWarningDays.front());
  EachChangeDay(facts, now, today.AddDays(kLapseLookaheadDays),
                [&](Date worse_on, const SupplierStatus&, const SupplierStatus& then) {
                  // Worst first (AssuranceStatus): a lower base status is a worse one.
                  if (!(then.base_status < now.base_status)) return true;
                  const int days = static_cast<int>((worse_on.days() - today.days()).count());
                  for (const int threshold : kLapseWarningDays) {  // widest first
                    const Date day = worse_on.AddDays(-threshold);
                    if (today < day) outlook.next_visit = std::min(*outlook.next_visit, day);
                    if (days <= threshold) {
                      outlook.warning =
                          LapseWarning{worse_on,   days,        threshold,
                                       now.status, then.status, ReasonsJson(then.reasons)};
                    }
                  }
                  return false;
                });
  return outlook;
}

std::string ReasonsJson(const std::vector<Reason>& reasons) {
  std::string out = "[";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const Reason& reason = reasons[i];
    if (i > 0) out += ',';
    // "code" is always present and sorts after action_id and assessment_id: those two are
    // written first, then code, then the rest, so the keys stay in alphabetical order.
    std::string head;
    AppendId(head, "action_id", reason.action_id);
    AppendId(head, "assessment_id", reason.assessment_id);
    out += '{';
    if (!head.empty()) {
      out.append(head, 1);
      out += ',';
    }
    out += "\"code\":";
    AppendJsonString(out, ToString(reason.code));
    if (reason.date) AppendId(out, "date", reason.date->ToString());
    AppendId(out, "evidence_id", reason.evidence_id);
    AppendId(out, "exception_id", reason.exception_id);
    AppendId(out, "requirement_id", reason.requirement_id);
    AppendId(out, "service_id", reason.service_id);
    if (reason.standard) AppendId(out, "standard", ToString(*reason.standard));
    AppendId(out, "trigger_id", reason.trigger_id);
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace coco::domain
