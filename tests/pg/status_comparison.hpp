#pragma once

// The status projection test (status_projection_pgtest.cpp), part 2: the projection's facts and
// the recomputed ones compared field by field, and the statuses derived from each.

#include "tests/pg/status_recomputation.hpp"

namespace coco::status_projection {

// ---------------------------------------------------------------------------------------------
// Comparison, field by field.

template <typename T, typename Key>
inline void SortBy(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

inline void Normalise(domain::SupplierFacts& facts) {
  for (auto& service : facts.services) {
    SortBy(service.standards, [](const auto& s) { return static_cast<int>(s.standard); });
    SortBy(service.triggers, [](const auto& t) { return t.id; });
    for (auto& standard : service.standards) {
      if (!standard.approval) continue;
      SortBy(standard.approval->actions, [](const auto& a) { return a.id; });
      SortBy(standard.approval->exceptions, [](const auto& e) { return e.id; });
      SortBy(standard.approval->evidence, [](const auto& e) { return e.requirement_id; });
    }
  }
}

class Differences {
 public:
  template <typename A, typename B>
  void Field(const std::string& where, const A& projection, const B& expected) {
    const std::string p = Text(projection), e = Text(expected);
    if (p != e) lines_.push_back(where + ": projection " + p + ", recomputed " + e);
  }
  void Add(std::string line) { lines_.push_back(std::move(line)); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  static std::string Text(const std::string& text) { return text; }
  static std::string Text(const char* text) { return text; }
  template <typename T>
  static std::string Text(const T& value) {
    return status_projection::Text(value);
  }

  std::vector<std::string> lines_;
};

// Compares the projection's facts with the recomputed ones. Where the projection names one of
// several equally good evidence files, the recomputation adopts its choice, so the statuses
// compared afterwards can name the same file.
inline std::vector<std::string> CompareFacts(domain::SupplierFacts projection,
                                             ExpectedFacts& expected) {
  Normalise(projection);
  Normalise(expected.facts);
  Differences d;
  for (const auto& problem : expected.problems) d.Add("raw tables: " + problem);
  std::string p_order, e_order;
  for (const auto& s : projection.services) p_order += s.service_id + " ";
  for (const auto& s : expected.facts.services) e_order += s.service_id + " ";
  d.Field("services (in order)", p_order, e_order);
  for (auto& es : expected.facts.services) {
    const auto ps_it = std::find_if(projection.services.begin(), projection.services.end(),
                                    [&](const auto& s) { return s.service_id == es.service_id; });
    if (ps_it == projection.services.end()) continue;
    const auto& ps = *ps_it;
    const std::string sw = "service " + es.service_id;
    {
      std::string p_triggers, e_triggers;
      for (const auto& t : ps.triggers) {
        p_triggers += t.id + "@" + t.occurred_on.ToString() + "/" + Text(t.recorded_at) + " ";
      }
      for (const auto& t : es.triggers) {
        e_triggers += t.id + "@" + t.occurred_on.ToString() + "/" + Text(t.recorded_at) + " ";
      }
      d.Field(sw + " triggers", p_triggers, e_triggers);
    }
    std::string p_keys, e_keys;
    for (const auto& s : ps.standards) p_keys += std::string(domain::ToString(s.standard)) + " ";
    for (const auto& s : es.standards) e_keys += std::string(domain::ToString(s.standard)) + " ";
    d.Field(sw + " standards listed", p_keys, e_keys);
    for (auto& e : es.standards) {
      const auto p_it = std::find_if(ps.standards.begin(), ps.standards.end(),
                                     [&](const auto& s) { return s.standard == e.standard; });
      if (p_it == ps.standards.end()) continue;
      const auto& p = *p_it;
      const std::string key(domain::ToString(e.standard));
      const std::string w = sw + " " + key;
      d.Field(w + " required", p.required, e.required);
      d.Field(w + " open_assessment_id", p.open_assessment_id, e.open_assessment_id);
      d.Field(w + " rejected_assessment_id", p.rejected_assessment_id, e.rejected_assessment_id);
      d.Field(w + " rejected_on", p.rejected_on, e.rejected_on);
      d.Field(w + " governing approval", p.approval ? p.approval->assessment_id : "none",
              e.approval ? e.approval->assessment_id : "none");
      if (!p.approval || !e.approval || p.approval->assessment_id != e.approval->assessment_id) {
        continue;
      }
      const auto& pa = *p.approval;
      auto& ea = *e.approval;
      d.Field(w + " standard_version", pa.standard_version, ea.standard_version);
      d.Field(w + " decided_at", pa.decided_at, ea.decided_at);
      d.Field(w + " valid_until", std::optional<Date>(pa.valid_until),
              std::optional<Date>(ea.valid_until));
      d.Field(w + " suspended", pa.suspended, ea.suspended);
      d.Field(w + " profile_changed", pa.profile_changed, ea.profile_changed);
      std::string p_actions, e_actions;
      for (const auto& a : pa.actions) {
        p_actions += a.id + ":" + a.requirement_id + ":" + a.due_date.ToString() +
                     (a.verified ? ":verified " : ":unverified ");
      }
      for (const auto& a : ea.actions) {
        e_actions += a.id + ":" + a.requirement_id + ":" + a.due_date.ToString() +
                     (a.verified ? ":verified " : ":unverified ");
      }
      d.Field(w + " actions", p_actions, e_actions);
      std::string p_exceptions, e_exceptions;
      for (const auto& x : pa.exceptions) {
        p_exceptions +=
            x.id + ":" + x.requirement_id + ":expires " + x.expires_on.ToString() + ":revoked " +
            Text(x.RevokedOn()) + ":at " +
            std::to_string(x.revoked_at ? x.revoked_at->time_since_epoch().count() : 0) +
            (x.requirement_not_met ? ":not_met " : ":met ");
      }
      for (const auto& x : ea.exceptions) {
        e_exceptions +=
            x.id + ":" + x.requirement_id + ":expires " + x.expires_on.ToString() + ":revoked " +
            Text(x.RevokedOn()) + ":at " +
            std::to_string(x.revoked_at ? x.revoked_at->time_since_epoch().count() : 0) +
            (x.requirement_not_met ? ":not_met " : ":met ");
      }
      d.Field(w + " exceptions", p_exceptions, e_exceptions);
      // Evidence: requirement, MUST or not, lapse date; the file named must be one of the files
      // that lapse last.
      std::string p_evidence, e_evidence;
      for (const auto& x : pa.evidence) {
        p_evidence +=
            x.requirement_id + (x.must ? ":MUST:" : ":SHOULD:") + x.lapses_on.ToString() + " ";
      }
      for (const auto& x : ea.evidence) {
        e_evidence +=
            x.requirement_id + (x.must ? ":MUST:" : ":SHOULD:") + x.lapses_on.ToString() + " ";
      }
      d.Field(w + " relied-on evidence", p_evidence, e_evidence);
      for (auto& x : ea.evidence) {
        const auto& tied =
            expected.evidence_ties[es.service_id + "/" + key + "/" + x.requirement_id];
        const auto named = std::find_if(pa.evidence.begin(), pa.evidence.end(), [&](const auto& y) {
          return y.requirement_id == x.requirement_id;
        });
        if (named == pa.evidence.end()) continue;
        if (tied.contains(named->evidence_id)) {
          x.evidence_id = named->evidence_id;
        } else {
          d.Add(w + " relied-on evidence of " + x.requirement_id + ": projection names " +
                named->evidence_id + ", not one of the files lapsing last");
        }
      }
    }
  }
  return d.lines();
}

// A status tree as lines, reasons sorted, for comparing two evaluations.
inline std::string ReasonText(const domain::Reason& r) {
  std::string text(domain::ToString(r.code));
  if (r.standard) text += " standard=" + std::string(domain::ToString(*r.standard));
  if (!r.service_id.empty()) text += " service=" + std::string(r.service_id);
  if (!r.requirement_id.empty()) text += " requirement=" + std::string(r.requirement_id);
  if (!r.evidence_id.empty()) text += " evidence=" + std::string(r.evidence_id);
  if (!r.action_id.empty()) text += " action=" + std::string(r.action_id);
  if (!r.exception_id.empty()) text += " exception=" + std::string(r.exception_id);
  if (!r.trigger_id.empty()) text += " trigger=" + std::string(r.trigger_id);
  if (!r.assessment_id.empty()) text += " assessment=" + std::string(r.assessment_id);
  if (r.date) text += " date=" + r.date->ToString();
  return text;
}

template <typename Status>
inline void StatusLines(const std::string& who, const Status& status,
                        std::vector<std::string>& lines) {
  std::string head = who + " status=" + std::string(domain::ToString(status.status)) +
                     " base_status=" + std::string(domain::ToString(status.base_status)) +
                     " next_change=";
  head += status.next_change ? status.next_change->date.ToString() + ":" +
                                   std::string(domain::ToString(status.next_change->status))
                             : "none";
  lines.push_back(head);
  std::vector<std::string> reasons;
  for (const auto& reason : status.reasons)
    reasons.push_back(who + "   reason " + ReasonText(reason));
  std::sort(reasons.begin(), reasons.end());
  lines.insert(lines.end(), reasons.begin(), reasons.end());
}

inline std::vector<std::string> StatusTree(const domain::SupplierFacts& facts, Date as_of) {
  const auto status = domain::EvaluateSupplier(facts, as_of);
  std::vector<std::string> lines;
  StatusLines("supplier", status, lines);
  for (const auto& service : status.services) {
    const std::string who = "service " + service.facts->service_id;
    StatusLines(who, service, lines);
    for (const auto& standard : service.standards) {
      StatusLines(who + " " + std::string(domain::ToString(standard.facts->standard)), standard,
                  lines);
    }
  }
  return lines;
}

inline std::vector<std::string> CompareStatuses(domain::SupplierFacts projection,
                                                domain::SupplierFacts expected, Date today) {
  Normalise(projection);
  Normalise(expected);
  // Services in the same order on both sides, so the trees line up even when the order differs
  // (that is reported by the facts comparison).
  SortBy(projection.services, [](const auto& s) { return s.service_id; });
  SortBy(expected.services, [](const auto& s) { return s.service_id; });
  std::vector<std::string> out;
  for (const int offset : {0, 29, 30, 31, 200, 400}) {
    const Date as_of = today.AddDays(offset);
    const auto p = StatusTree(projection, as_of);
    const auto e = StatusTree(expected, as_of);
    if (p == e) continue;
    // The first line each side has that the other lacks.
    const auto only = [](const std::vector<std::string>& in,
                         const std::vector<std::string>& other) {
      for (const auto& line : in) {
        if (std::find(other.begin(), other.end(), line) == other.end()) return "`" + line + "`";
      }
      return std::string("(none)");
    };
    out.push_back("status as of " + as_of.ToString() + " (today+" + std::to_string(offset) +
                  "): only in the projection's " + only(p, e) + "; only in the recomputation's " +
                  only(e, p));
  }
  return out;
}

}  // namespace coco::status_projection
