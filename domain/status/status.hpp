#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/standard/standard.hpp"

// Assurance status (DESIGN.md §2 "Assurance status"): a pure function of the facts below and an
// `as_of` date, with no I/O. The facts are what a status projection row holds for one
// (service, standard); the result says what the status is, why, and when it next changes.
namespace coco::domain {

// Worst first: roll-ups take the minimum.
enum class AssuranceStatus {
  kNotAssured,
  kExpired,
  kNotAssessed,
  kInProgress,
  kExpiring,
  kConditionallyAssured,
  kAssured,
};
std::string_view ToString(AssuranceStatus status);
std::optional<AssuranceStatus> TryParseAssuranceStatus(std::string_view text);
std::vector<std::string> AssuranceStatusNames();

enum class ReasonCode {
  kRejected,
  kSuspended,
  kNoSubmission,
  kNoServices,
  kActionOverdue,
  kExceptionExpired,
  kApprovalExpired,
  kEvidenceExpired,
  kProfileChanged,
  kReassessmentTriggered,
  kReassessmentInProgress,
  kOpenActions,
  kActiveExceptions,
  kLapsesSoon,
  kShouldEvidenceExpired,
};
std::string_view ToString(ReasonCode code);

// --- the facts ---

struct ActionFact {
  std::string id;
  std::string requirement_id;
  Date due_date;
  bool verified = false;
};

struct ExceptionFact {
  std::string id;
  std::string requirement_id;
  Date expires_on;
  std::optional<std::chrono::system_clock::time_point> revoked_at = {};
  // The requirement is a MUST answered partially_met or not_met (else the exception's expiry
  // changes nothing).
  bool requirement_not_met = true;

  std::optional<Date> RevokedOn() const {
    if (!revoked_at) return std::nullopt;
    return Date::Of(*revoked_at);
  }
  // Active through expires_on; a revoked one is expired from the day of its revocation.
  bool ActiveOn(Date day) const {
    if (revoked_at && !(day < Date::Of(*revoked_at))) return false;
    return day <= expires_on;
  }
  Date LastActiveDay() const {
    if (revoked_at && Date::Of(*revoked_at) <= expires_on) return Date::Of(*revoked_at).AddDays(-1);
    return expires_on;
  }
};

// The relied-on evidence of one accepted response: the qualifying file that lapses last
// (requirements with a qualifying file that never lapses have no fact).
struct EvidenceFact {
  std::string requirement_id;
  bool must = true;
  std::string evidence_id;
  Date lapses_on;
};

struct TriggerFact {
  std::string id;
  Date occurred_on;
  std::chrono::system_clock::time_point recorded_at;
};

// The newest approved, not superseded assessment.
struct GoverningApproval {
  std::string assessment_id;
  std::string standard_version;
  std::chrono::system_clock::time_point decided_at;
  Date valid_until;
  bool suspended = false;
  bool profile_changed = false;  // the service profile differs from the one it was scoped on
  std::vector<ActionFact> actions = {};
  std::vector<ExceptionFact> exceptions = {};
  std::vector<EvidenceFact> evidence = {};
};

struct StandardFacts {
  StandardKey standard = StandardKey::kCoco;
  bool required = true;  // by the service's profile; others are listed, not counted
  std::optional<GoverningApproval> approval;
  // Set when the newest decided assessment (ignoring withdrawn and superseded) is a rejection.
  std::optional<std::string> rejected_assessment_id;
  std::optional<Date> rejected_on;
  std::optional<std::string> open_assessment_id;
};

struct ServiceFacts {
  std::string service_id;
  std::vector<StandardFacts> standards;
  std::vector<TriggerFact> triggers;
};

struct SupplierFacts {
  std::string supplier_id;
  std::vector<ServiceFacts> services;
};

// --- the result ---
// Reasons point into the facts they were computed from (string_views): render them while the
// facts are alive.

struct Reason {
  ReasonCode code = ReasonCode::kNoSubmission;
  std::optional<StandardKey> standard = {};
  std::string_view service_id = {};  // on service and supplier roll-ups
  std::string_view requirement_id = {};
  std::string_view evidence_id = {};
  std::string_view action_id = {};
  std::string_view exception_id = {};
  std::string_view trigger_id = {};
  std::string_view assessment_id = {};
  std::optional<Date> date = {};
};

struct NextChange {
  Date date;
  AssuranceStatus status;
};

struct StandardStatus {
  const StandardFacts* facts = nullptr;
  AssuranceStatus status = AssuranceStatus::kNotAssessed;
  AssuranceStatus base_status = AssuranceStatus::kNotAssessed;  // status before `expiring`
  std::vector<Reason> reasons;
  std::optional<NextChange> next_change;
};

struct ServiceStatus {
  const ServiceFacts* facts = nullptr;
  AssuranceStatus status = AssuranceStatus::kNotAssessed;
  AssuranceStatus base_status = AssuranceStatus::kNotAssessed;
  std::vector<Reason> reasons;
  std::optional<NextChange> next_change;
  std::vector<StandardStatus> standards;
};

struct SupplierStatus {
  AssuranceStatus status = AssuranceStatus::kNotAssessed;
  AssuranceStatus base_status = AssuranceStatus::kNotAssessed;
  std::vector<Reason> reasons;
  std::optional<NextChange> next_change;
  std::vector<ServiceStatus> services;
};

// One (service, standard) as of `as_of`: the four ordered steps of DESIGN.md §2.
StandardStatus EvaluateStandard(const StandardFacts& facts,
                                const std::vector<TriggerFact>& triggers, Date as_of);
// Worst of the required standards; reasons are those of the standards that have that status.
ServiceStatus EvaluateService(const ServiceFacts& facts, Date as_of);
// Worst of the services; a supplier without services is not_assessed (no_services).
SupplierStatus EvaluateSupplier(const SupplierFacts& facts, Date as_of);

// The status alone (no reasons, no next change): the fast path the roll-ups and next-change
// searches use.
AssuranceStatus StandardStatusOn(const StandardFacts& facts,
                                 const std::vector<TriggerFact>& triggers, Date as_of);

// How many days before a lapse a status becomes `expiring`.
inline constexpr int kExpiringWindowDays = 30;

}  // namespace coco::domain
