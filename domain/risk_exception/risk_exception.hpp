#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"

// A risk exception: a risk owner accepts, until a date, that an applicable MUST is not fully met
// (DESIGN.md §2).
namespace coco::domain {

struct ExceptionIdTag {
  static constexpr std::string_view kWhat = "exception id";
};
using ExceptionId = Id<ExceptionIdTag>;

// What an exception is on a day (GET /exceptions?state=): RiskException::StateOn.
enum class ExceptionState { kActive, kExpired, kRevoked };
std::optional<ExceptionState> TryParseExceptionState(std::string_view text);
std::string_view ToString(ExceptionState state);

// Exceptions are for cases a decision is pending on or was made on; drafts can still change and
// closed cases are history.
bool AcceptsExceptions(AssessmentState state);

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

  // Revoked on or before `day`.
  bool RevokedBy(Date day) const { return revoked_at && !(day < Date::Of(*revoked_at)); }

  // Covers its requirement through `expires_on`; a revoked one counts as expired from the day
  // of its revocation.
  bool ActiveOn(Date day) const {
    if (RevokedBy(day)) return false;
    return day <= expires_on;
  }

  // ActiveOn decides; an inactive one is revoked if it was revoked by `day` (before or after it
  // expired), else expired.
  ExceptionState StateOn(Date day) const {
    if (ActiveOn(day)) return ExceptionState::kActive;
    return RevokedBy(day) ? ExceptionState::kRevoked : ExceptionState::kExpired;
  }
};

// The exception among `exceptions` that covers `requirement_id` on `day`, if one does: at most
// one may (adding a second is 409 "exception_exists").
const RiskException* ActiveExceptionFor(const std::vector<RiskException>& exceptions,
                                        std::string_view requirement_id, Date day);

}  // namespace coco::domain
